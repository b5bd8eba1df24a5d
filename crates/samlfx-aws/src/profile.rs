//! Profiles select rules: `aws` (AWS's own rules), `amazon-connect` (adds Service Cloud Voice's
//! Amazon Connect rules), `none` (formula checks only).

use std::fmt;
use std::str::FromStr;

/// The provider names Service Cloud Voice gives its IAM SAML identity provider: a Role value
/// naming one marks a Service Cloud Voice app, whose Amazon Connect rules apply.
pub const VOICE_PROVIDERS: [&str; 2] = [
    "saml-provider/SalesforceVoiceIdp",
    "saml-provider/SalesforceServiceVoiceIdp",
];

/// Which attribute rules run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Profile {
    /// AWS's rules for every attribute it reads (A1xx).
    #[default]
    Aws,
    /// AWS's rules and Amazon Connect's under Service Cloud Voice (A2xx): the RoleSessionName is
    /// the Connect username, so its characters narrow to `[A-Za-z0-9_.@-]`, and the Role pair
    /// should name the provider and role that Service Cloud Voice creates.
    AmazonConnect,
    /// No attribute rules: only the formula's own diagnostics.
    None,
}

impl Profile {
    /// Every profile, in the order `--profile` lists them.
    pub const ALL: [Profile; 3] = [Profile::Aws, Profile::AmazonConnect, Profile::None];

    /// The name `--profile` takes.
    pub fn as_str(self) -> &'static str {
        match self {
            Profile::Aws => "aws",
            Profile::AmazonConnect => "amazon-connect",
            Profile::None => "none",
        }
    }

    /// Whether AWS's attribute rules (A1xx) run.
    pub fn aws_rules(self) -> bool {
        self != Profile::None
    }

    /// Whether the Amazon Connect rules (A2xx) run.
    pub fn connect_rules(self) -> bool {
        self == Profile::AmazonConnect
    }
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A profile name that is none of `aws`, `amazon-connect`, `none`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownProfile(pub String);

impl fmt::Display for UnknownProfile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown profile '{}': expected aws, amazon-connect or none",
            self.0
        )
    }
}

impl std::error::Error for UnknownProfile {}

impl FromStr for Profile {
    type Err = UnknownProfile;

    /// Case-insensitive, as flags are typed by hand.
    fn from_str(s: &str) -> Result<Profile, UnknownProfile> {
        Profile::ALL
            .into_iter()
            .find(|p| p.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| UnknownProfile(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_its_own_names_and_nothing_else() {
        for p in Profile::ALL {
            assert_eq!(p.as_str().parse::<Profile>(), Ok(p));
            assert_eq!(p.to_string(), p.as_str());
        }
        assert_eq!(
            "Amazon-Connect".parse::<Profile>(),
            Ok(Profile::AmazonConnect)
        );
        assert_eq!(
            "connect".parse::<Profile>().unwrap_err().to_string(),
            "unknown profile 'connect': expected aws, amazon-connect or none"
        );
        assert!(Profile::Aws.aws_rules() && !Profile::Aws.connect_rules());
        assert!(Profile::AmazonConnect.aws_rules() && Profile::AmazonConnect.connect_rules());
        assert!(!Profile::None.aws_rules() && !Profile::None.connect_rules());
    }
}
