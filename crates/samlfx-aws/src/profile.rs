//! Profiles select rules: `aws` (AWS's own rules), `amazon-connect` (adds Service Cloud Voice's
//! Amazon Connect rules), `none` (formula checks only).

/// Which attribute rules run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Profile {
    #[default]
    Aws,
    AmazonConnect,
    None,
}
