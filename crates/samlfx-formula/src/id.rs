//! Salesforce record Ids: the 15-character case-sensitive form, the 18-character case-safe form
//! (the 15 plus a 3-character checksum), and conversion to the `IdLength` setting. The one place
//! that knows the checksum: CASESAFEID and the context both use it.

use std::borrow::Cow;

/// Whether Id fields read as 15 or 18 characters (`--id-length`): Salesforce formulas read the
/// 15-character form, `CASESAFEID()` gives 18.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum IdLength {
    #[default]
    Fifteen,
    Eighteen,
}

impl IdLength {
    /// The length in characters of an Id under this setting.
    pub const fn chars(self) -> u16 {
        match self {
            IdLength::Fifteen => 15,
            IdLength::Eighteen => 18,
        }
    }
}

const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";

/// Whether `s` is 15 ASCII letters and digits.
pub fn is_valid_15(s: &str) -> bool {
    s.len() == 15 && s.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// Whether `s` is 18 ASCII letters and digits whose last three are the checksum of the first 15.
pub fn is_valid_18(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 18 && b.iter().all(u8::is_ascii_alphanumeric) && b[15..] == check_chars(&b[..15])
}

/// The 3 check characters of a 15-character Id: each 5-character chunk gives one, whose bit j
/// says whether the chunk's j-th character is an upper-case letter. `None` for anything that
/// is not a 15-character Id.
pub fn checksum(id15: &str) -> Option<String> {
    is_valid_15(id15).then(|| {
        check_chars(id15.as_bytes())
            .map(char::from)
            .iter()
            .collect()
    })
}

/// The check characters of 15 bytes, computed without allocating (an audit computes them for
/// every user).
fn check_chars(id15: &[u8]) -> [u8; 3] {
    let mut out = [0; 3];
    for (o, chunk) in out.iter_mut().zip(id15.chunks(5)) {
        let bits = chunk.iter().enumerate().fold(0usize, |acc, (j, b)| {
            acc | (usize::from(b.is_ascii_uppercase()) << j)
        });
        *o = ALPHABET[bits];
    }
    out
}

/// CASESAFEID: a 15-character Id with its checksum appended; other input unchanged (Salesforce
/// Classic's documented behaviour).
pub fn case_safe(s: &str) -> String {
    match checksum(s) {
        Some(c) => format!("{s}{c}"),
        None => s.to_owned(),
    }
}

/// Why a value is not an Id, with the help line to print.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidId {
    pub reason: String,
    pub help: String,
}

/// A valid Id (15 alphanumerics, or 18 with a correct checksum) at the configured length;
/// borrowed when `s` is already at that length or only needs cutting.
pub fn normalise(s: &str, len: IdLength) -> Result<Cow<'_, str>, InvalidId> {
    const SHAPE: &str = "an Id is 15 letters and digits (case-sensitive), or those 15 followed by the 3-character checksum CASESAFEID appends";
    if is_valid_15(s) {
        return Ok(match len {
            IdLength::Fifteen => Cow::Borrowed(s),
            IdLength::Eighteen => Cow::Owned(case_safe(s)),
        });
    }
    if is_valid_18(s) {
        return Ok(Cow::Borrowed(match len {
            IdLength::Fifteen => &s[..15],
            IdLength::Eighteen => s,
        }));
    }
    if s.len() == 18 && s.bytes().all(|b| b.is_ascii_alphanumeric()) {
        let right = case_safe(&s[..15]);
        return Err(InvalidId {
            reason: format!("`{s}` has a wrong checksum"),
            help: format!(
                "the last 3 characters must encode the case of the first 15: the 18-character form is `{right}`"
            ),
        });
    }
    let n = s.chars().count();
    let reason = if n != 15 && n != 18 {
        format!("`{s}` has {n} characters, not 15 or 18")
    } else {
        format!("`{s}` holds characters other than ASCII letters and digits")
    };
    Err(InvalidId {
        reason,
        help: SHAPE.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksum_matches_the_documented_example() {
        assert_eq!(case_safe("001xx000003DHur"), "001xx000003DHurAAG");
        assert_eq!(case_safe("short"), "short");
        assert_eq!(case_safe("jdoe@example.co"), "jdoe@example.co");
        assert!(is_valid_18("001xx000003DHurAAG"));
        assert!(!is_valid_18("001xx000003DHurAAA"));
        assert!(!is_valid_15("jdoe@example.co"));
    }

    #[test]
    fn normalise_follows_the_length_setting_and_refuses_non_ids() {
        assert_eq!(
            normalise("001xx000003DHurAAG", IdLength::Fifteen).unwrap(),
            "001xx000003DHur"
        );
        assert_eq!(
            normalise("001xx000003DHur", IdLength::Eighteen).unwrap(),
            "001xx000003DHurAAG"
        );
        let bad = normalise("001xx000003DHurAAA", IdLength::Fifteen).unwrap_err();
        assert!(bad.help.contains("`001xx000003DHurAAG`"), "{bad:?}");
        let bad = normalise("jdoe@example.comxx", IdLength::Fifteen).unwrap_err();
        assert!(bad.reason.contains("other than"), "{bad:?}");
        let bad = normalise("abc", IdLength::Eighteen).unwrap_err();
        assert!(bad.reason.contains("3 characters"), "{bad:?}");
    }
}
