//! An External Client App's header and plugin policies against its SAML policies (C019): the
//! Metadata API reference for ExtlClntAppSamlConfigurablePolicies requires the app's
//! `distributionState` to be `Local` and its configurable policies' `isSamlPluginEnabled` to be
//! true; `isEnabled` false disables every plugin.

use samlfx_diag::{Code, Diagnostic};

use crate::model::{App, ClientApp, FileKind};

pub(super) fn check(part: &ClientApp, apps: &[&App]) -> Vec<Diagnostic> {
    let Some(name) = part.app_name() else {
        return Vec::new();
    };
    // Only a SAML policy of the same app makes these settings matter.
    let Some(policy) = apps
        .iter()
        .find(|a| a.client_app.as_ref().is_some_and(|c| c.as_str() == name))
    else {
        return Vec::new();
    };
    let policy_name = policy.name.as_deref().unwrap_or(name);
    let off = |message: String| Diagnostic::new(Code::ExternalClientAppSamlOff, message);
    let mut out = Vec::new();
    match part.kind {
        Some(FileKind::ClientApp) => {
            if let Some(state) = &part.distribution_state
                && state.as_str() != "Local"
            {
                out.push(
                    off(format!(
                        "`{name}` is distributed as `{}`, so its SAML policy `{policy_name}` is not in effect",
                        state.as_str()
                    ))
                    .at_labelled(state.span(), "SAML needs `Local`")
                    .with_help("set `<distributionState>Local</distributionState>`: an External Client App with SAML cannot be packaged"),
                );
            }
        }
        Some(FileKind::ClientAppPolicies) => {
            if let Some(enabled) = &part.enabled
                && !enabled.value
            {
                out.push(
                    off(format!(
                        "every plugin of `{name}` is disabled, so its SAML policy `{policy_name}` is not in effect"
                    ))
                    .at_labelled(enabled.span, "disables every plugin")
                    .with_help("set `<isEnabled>true</isEnabled>`"),
                );
            }
            match &part.saml_plugin {
                Some(p) if p.value => {}
                Some(p) => out.push(
                    off(format!(
                        "the SAML plugin of `{name}` is disabled, so its SAML policy `{policy_name}` is not in effect"
                    ))
                    .at_labelled(p.span, "SAML needs true")
                    .with_help("set `<isSamlPluginEnabled>true</isSamlPluginEnabled>`"),
                ),
                None => out.push(
                    off(format!(
                        "the policies of `{name}` do not enable its SAML plugin, so its SAML policy `{policy_name}` is not in effect"
                    ))
                    .at_labelled(part.name_span, "no `<isSamlPluginEnabled>true</isSamlPluginEnabled>`")
                    .with_help("add `<isSamlPluginEnabled>true</isSamlPluginEnabled>`"),
                ),
            }
        }
        _ => {}
    }
    out
}
