//! Which rules a run uses when no `--profile` is given.

use samlfx_aws::attribute::{Kind, Lookup, lookup};
use samlfx_aws::profile::{Profile, VOICE_PROVIDERS};

use crate::model::App;

/// The profile a run uses when none is given: the file's own (samlfx.toml `profile`), else
/// amazon-connect when a contact-center file is present or a Role formula names a
/// SalesforceVoiceIdp/SalesforceServiceVoiceIdp provider, else aws. Service Cloud Voice apps
/// are recognised so that their Amazon Connect rules (the username characters) are not missed.
pub fn choose_profile(apps: &[&App], contact_centers: usize) -> Profile {
    if let Some(p) = apps.iter().find_map(|a| a.profile.as_ref()) {
        return p.value;
    }
    let names_voice_provider = apps.iter().flat_map(|a| &a.attributes).any(|attr| {
        matches!(lookup(&attr.key.value), Lookup::Known(k) if k.kind() == Kind::Role)
            && VOICE_PROVIDERS
                .iter()
                .any(|p| attr.formula.value.contains(p))
    });
    if contact_centers > 0 || names_voice_provider {
        Profile::AmazonConnect
    } else {
        Profile::Aws
    }
}
