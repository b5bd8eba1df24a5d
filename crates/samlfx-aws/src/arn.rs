//! ARNs: `arn:partition:service:region:account:resource`, with validators for the kinds SAML
//! federation uses (IAM role, IAM SAML provider, Amazon Connect instance, STS assumed role).

use samlfx_diag::{Diagnostic, Span};

/// One component of an ARN and where it is in the ARN's text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Part<'a> {
    pub text: &'a str,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ResourceKind<'a> {
    IamRole { path: Part<'a>, name: Part<'a> },
    SamlProvider { name: Part<'a> },
    ConnectInstance { id: Part<'a> },
    AssumedRole { role: Part<'a>, session: Part<'a> },
    Other,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arn<'a> {
    pub text: &'a str,
    pub partition: Part<'a>,
    pub service: Part<'a>,
    pub region: Part<'a>,
    pub account: Part<'a>,
    pub resource: Part<'a>,
    pub kind: ResourceKind<'a>,
}

/// An ARN parsed and validated: `arn` is `None` when the text is not an ARN at all; the
/// diagnostics (spans relative to the text) say everything wrong with it.
#[derive(Clone, Debug, PartialEq)]
pub struct Checked<'a> {
    pub arn: Option<Arn<'a>>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses and validates one ARN.
pub fn check(text: &str) -> Checked<'_> {
    let _ = text;
    Checked {
        arn: None,
        diagnostics: Vec::new(),
    }
}
