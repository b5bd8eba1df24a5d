//! The URL helpers of the app and contact-center rules. They live in `samlfx_aws::endpoint`, where
//! `inspect` reads them too, so that an ACS URL and a captured response's Recipient are judged
//! by one rule.

pub use samlfx_aws::endpoint::{
    SignIn, global_url, is_lower_uuid, is_signin_path, region_of, signin, split,
};
