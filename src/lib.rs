//! samlfx: compile and validate the Salesforce formulas that a Connected App (or External Client
//! App) evaluates into SAML attributes, first of all for AWS and Amazon Connect.
//!
//! The pipeline, one module per stage:
//! source text → [`formula::syntax`] (AST with byte spans) → [`formula::check`] (typed IR, names
//! and types resolved against [`formula::catalog`]) → [`formula::program`] (a compiled
//! [`formula::Program`]) → [`formula::value`] (evaluated values). Every stage reports through
//! [`diag::Diagnostic`], and [`cli`] is the `samlfx` command line.
#![forbid(unsafe_code)]

pub mod cli;
pub mod diag;
pub mod formula;
