//! What the corpus tests share: the functions samlfx leaves out of its catalog on purpose.
//! `tests/conformance.rs` skips the cases that call them and `tests/check_corpus.rs` does not
//! type-check their formulas.

/// Functions deliberately outside the catalog, and why.
pub const SKIPPED_FUNCTIONS: &[(&str, &str)] = &[
    (
        "GEOLOCATION",
        "the Geolocation type has no use in a SAML attribute",
    ),
    (
        "DISTANCE",
        "the Geolocation type has no use in a SAML attribute",
    ),
    (
        "JSONVALUE",
        "JSON extraction is not part of the SAML attribute catalog",
    ),
    (
        "JSONPATHVALUE",
        "JSON extraction is not part of the SAML attribute catalog",
    ),
    (
        "FORMATCURRENCY",
        "locale-dependent currency formatting is out of scope",
    ),
];

/// The skipped functions a case calls (its `functions` and `nested_functions` lists), with why.
pub fn skipped_calls<'a>(
    called: impl IntoIterator<Item = &'a str> + Clone,
) -> impl Iterator<Item = &'static (&'static str, &'static str)> {
    SKIPPED_FUNCTIONS
        .iter()
        .filter(move |(f, _)| called.clone().into_iter().any(|g| g == *f))
}
