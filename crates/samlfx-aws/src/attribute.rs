//! The SAML attributes AWS reads (`https://aws.amazon.com/SAML/Attributes/…`): one table with
//! each attribute's key, short name and value rules.
