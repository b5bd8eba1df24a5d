//! Which rules run on an app, decided by that app alone: its own `profile`, its ACS URL and
//! attribute keys, and a contact center only when the two files name each other. A file's
//! findings therefore never depend on unrelated files checked beside it.

use samlfx_aws::attribute::{Kind, Lookup, lookup};
use samlfx_aws::profile::{Profile, VOICE_PROVIDERS};

use super::attributes::is_aws_app;
use crate::model::{App, ContactCenter};

/// What links an app and a Service Cloud Voice contact center: something both files hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Link {
    /// The app's Entity ID is the contact center's internal name (`reqInternalName`, else its
    /// metadata name): Service Cloud Voice's setup makes it so.
    EntityId,
    /// The app's Role attribute names the role Service Cloud Voice creates for the contact
    /// center, `<reqInternalName>-SAMLRole`.
    RoleName,
}

impl Link {
    /// How a note names the link.
    pub fn describe(self) -> &'static str {
        match self {
            Link::EntityId => "the app's Entity ID is the contact center's internal name",
            Link::RoleName => "the app's Role names the contact center's `<name>-SAMLRole`",
        }
    }
}

/// How `app` and `cc` are linked, if they are. Only a Service Cloud Voice contact center links,
/// and only to a SAML app.
pub fn link(app: &App, cc: &ContactCenter) -> Option<Link> {
    if !app.saml || !cc.voice {
        return None;
    }
    let name = cc
        .internal_name
        .as_ref()
        .map(|t| t.as_str().trim().to_owned())
        .filter(|n| !n.is_empty())
        .or_else(|| cc.name.clone())?;
    if app
        .entity_id
        .as_ref()
        .is_some_and(|e| e.as_str().trim() == name)
    {
        return Some(Link::EntityId);
    }
    let role = format!("/{name}-SAMLRole");
    app.attributes
        .iter()
        .any(|a| {
            matches!(lookup(&a.key.value), Lookup::Known(k) if k.kind() == Kind::Role)
                && a.formula.value.contains(&role)
        })
        .then_some(Link::RoleName)
}

/// The profile `app` is checked under when neither the command line nor the file names one:
/// none for an app without SAML; amazon-connect for a Service Cloud Voice app (linked to one of
/// `centers`, or naming a Service Cloud Voice SAML provider in its Role); aws for an app that
/// signs in to AWS (an AWS sign-in ACS URL, or an attribute under AWS's key prefix); none for
/// any other SAML app (Zoom, Slack, Box…), which gets no AWS rule.
pub fn app_profile(app: &App, centers: &[&ContactCenter]) -> Profile {
    if let Some(p) = &app.profile {
        return p.value;
    }
    if !app.saml {
        return Profile::None;
    }
    let names_voice_provider = app.attributes.iter().any(|attr| {
        matches!(lookup(&attr.key.value), Lookup::Known(k) if k.kind() == Kind::Role)
            && VOICE_PROVIDERS
                .iter()
                .any(|p| attr.formula.value.contains(p))
    });
    if names_voice_provider || centers.iter().any(|cc| link(app, cc).is_some()) {
        Profile::AmazonConnect
    } else if is_aws_app(app) {
        Profile::Aws
    } else {
        Profile::None
    }
}
