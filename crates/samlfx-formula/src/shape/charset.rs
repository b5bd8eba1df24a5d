//! Character sets as real sets: one bit per ASCII character plus one flag for everything beyond
//! ASCII. AWS's rules are ASCII classes (`[A-Za-z0-9_+=,.@-]`), so this is exact for every rule
//! samlfx checks, and a set operation is a couple of integer instructions.

use std::fmt;

/// A set of characters: the ASCII ones exactly, the rest as "any non-ASCII character or none".
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct CharSet {
    /// Bit `c` is set when the ASCII character `c` is in the set.
    ascii: u128,
    /// Whether the set holds (or may hold) characters beyond ASCII.
    non_ascii: bool,
}

impl CharSet {
    pub const EMPTY: CharSet = CharSet {
        ascii: 0,
        non_ascii: false,
    };
    /// Every character, ASCII or not.
    pub const ANY: CharSet = CharSet {
        ascii: u128::MAX,
        non_ascii: true,
    };
    /// Every ASCII character, controls included.
    pub const ASCII: CharSet = CharSet {
        ascii: u128::MAX,
        non_ascii: false,
    };
    pub const DIGITS: CharSet = CharSet::range(b'0', b'9');
    pub const UPPER: CharSet = CharSet::range(b'A', b'Z');
    pub const LOWER: CharSet = CharSet::range(b'a', b'z');
    pub const LETTERS: CharSet = CharSet::UPPER.union(CharSet::LOWER);
    /// ASCII letters and digits: what a Salesforce Id is made of.
    pub const ALNUM: CharSet = CharSet::LETTERS.union(CharSet::DIGITS);
    /// Printable ASCII, space included (0x20–0x7E).
    pub const PRINTABLE: CharSet = CharSet::range(0x20, 0x7E);

    /// The ASCII characters from `lo` to `hi`, both included.
    pub const fn range(lo: u8, hi: u8) -> CharSet {
        let mut ascii = 0u128;
        let mut c = lo;
        while c <= hi && c < 128 {
            ascii |= 1 << c;
            c += 1;
        }
        CharSet {
            ascii,
            non_ascii: false,
        }
    }

    /// The ASCII characters of `bytes` (bytes beyond ASCII are ignored).
    pub const fn of_bytes(bytes: &[u8]) -> CharSet {
        let mut ascii = 0u128;
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] < 128 {
                ascii |= 1 << bytes[i];
            }
            i += 1;
        }
        CharSet {
            ascii,
            non_ascii: false,
        }
    }

    /// Whether every byte of `bytes` is an ASCII character of this set: [`CharSet::of_bytes`]
    /// and [`CharSet::is_subset_of`] in one pass that stops at the first refusal, on two
    /// 64-bit words (an audit asks this of every user's values).
    pub fn admits_ascii(self, bytes: &[u8]) -> bool {
        let (lo, hi) = (self.ascii as u64, (self.ascii >> 64) as u64);
        bytes.iter().all(|&b| {
            let bit = 1u64 << (b & 63);
            match b {
                0..=63 => lo & bit != 0,
                64..=127 => hi & bit != 0,
                _ => false,
            }
        })
    }

    /// The characters that occur in `s`.
    pub fn of_str(s: &str) -> CharSet {
        s.chars().fold(CharSet::EMPTY, |set, c| set.with(c))
    }

    /// This set with `c` added.
    pub const fn with(self, c: char) -> CharSet {
        if c.is_ascii() {
            CharSet {
                ascii: self.ascii | 1 << (c as u32),
                non_ascii: self.non_ascii,
            }
        } else {
            CharSet {
                ascii: self.ascii,
                non_ascii: true,
            }
        }
    }

    /// This set with every non-ASCII character added.
    pub const fn with_non_ascii(self) -> CharSet {
        CharSet {
            ascii: self.ascii,
            non_ascii: true,
        }
    }

    pub const fn union(self, other: CharSet) -> CharSet {
        CharSet {
            ascii: self.ascii | other.ascii,
            non_ascii: self.non_ascii || other.non_ascii,
        }
    }

    pub const fn intersection(self, other: CharSet) -> CharSet {
        CharSet {
            ascii: self.ascii & other.ascii,
            non_ascii: self.non_ascii && other.non_ascii,
        }
    }

    /// The characters of this set that are not in `other`.
    pub const fn minus(self, other: CharSet) -> CharSet {
        CharSet {
            ascii: self.ascii & !other.ascii,
            non_ascii: self.non_ascii && !other.non_ascii,
        }
    }

    pub const fn is_empty(self) -> bool {
        self.ascii == 0 && !self.non_ascii
    }

    pub const fn is_subset_of(self, other: CharSet) -> bool {
        self.minus(other).is_empty()
    }

    pub const fn contains(self, c: char) -> bool {
        if c.is_ascii() {
            self.ascii & (1 << (c as u32)) != 0
        } else {
            self.non_ascii
        }
    }

    /// Whether the set holds characters beyond ASCII.
    pub const fn has_non_ascii(self) -> bool {
        self.non_ascii
    }

    /// The ASCII characters of the set, in code order.
    pub fn ascii_chars(self) -> impl Iterator<Item = char> {
        (0u8..128)
            .filter(move |&c| self.ascii & (1 << c) != 0)
            .map(char::from)
    }

    /// The ASCII characters of the set that are uppercased or lowercased by LOWER() and UPPER()
    /// mapped through `f`: the set of `f(c)` for every `c`. Non-ASCII stays non-ASCII (an
    /// approximation that holds for every rule samlfx checks, which are ASCII classes).
    pub fn map_ascii(self, f: impl Fn(char) -> char) -> CharSet {
        let mapped = self
            .ascii_chars()
            .fold(CharSet::EMPTY, |set, c| set.with(f(c)));
        CharSet {
            ascii: mapped.ascii,
            non_ascii: self.non_ascii || mapped.non_ascii,
        }
    }

    /// The characters of the set, for a message: the space and line breaks by name, then up to
    /// `limit` printable characters quoted (`'#', '/'`), then "control characters" and
    /// "non-ASCII characters" when the set holds any.
    pub fn describe(self, limit: usize) -> String {
        let mut parts: Vec<String> = Vec::new();
        let breaks = [
            ('\t', "tab"),
            ('\n', "line feed"),
            ('\r', "carriage return"),
        ];
        let controls = self
            .ascii_chars()
            .any(|c| c.is_ascii_control() && !breaks.iter().any(|(b, _)| *b == c));
        if self.contains(' ') {
            parts.push("space".to_owned());
        }
        // Tabs and line breaks are named when they are the only controls, else counted in.
        if !controls {
            parts.extend(
                breaks
                    .iter()
                    .filter(|(c, _)| self.contains(*c))
                    .map(|(_, name)| (*name).to_owned()),
            );
        }
        let printable: Vec<char> = self
            .ascii_chars()
            .filter(|c| c.is_ascii_graphic())
            .collect();
        parts.extend(printable.iter().take(limit).map(|c| format!("'{c}'")));
        if printable.len() > limit {
            parts.push("…".to_owned());
        }
        if controls {
            parts.push("control characters".to_owned());
        }
        if self.non_ascii {
            parts.push("non-ASCII characters".to_owned());
        }
        parts.join(", ")
    }
}

impl fmt::Debug for CharSet {
    /// Ranges of ASCII codes, as a regex class would: `CharSet[0x30-0x39 0x41-0x5a +non-ASCII]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CharSet[")?;
        let mut c = 0u32;
        let mut first = true;
        while c < 128 {
            if self.ascii & (1 << c) == 0 {
                c += 1;
                continue;
            }
            let start = c;
            while c + 1 < 128 && self.ascii & (1 << (c + 1)) != 0 {
                c += 1;
            }
            let sep = if first { "" } else { " " };
            first = false;
            if start == c {
                write!(f, "{sep}{start:#04x}")?;
            } else {
                write!(f, "{sep}{start:#04x}-{c:#04x}")?;
            }
            c += 1;
        }
        if self.non_ascii {
            write!(f, "{}+non-ASCII", if first { "" } else { " " })?;
        }
        write!(f, "]")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The one-pass check agrees with building the set of the bytes and comparing.
        #[test]
        fn admits_ascii_is_of_bytes_then_subset(bytes: Vec<u8>, lo: u64, hi: u64) {
            let set = CharSet { ascii: u128::from(lo) | u128::from(hi) << 64, non_ascii: false };
            let slow = bytes.is_ascii() && CharSet::of_bytes(&bytes).is_subset_of(set);
            proptest::prop_assert_eq!(set.admits_ascii(&bytes), slow);
            let rsn = CharSet::ALNUM.union(CharSet::of_bytes(b"_+=,.@-"));
            let slow = bytes.is_ascii() && CharSet::of_bytes(&bytes).is_subset_of(rsn);
            proptest::prop_assert_eq!(rsn.admits_ascii(&bytes), slow);
        }
    }

    #[test]
    fn set_operations() {
        let rsn = CharSet::ALNUM.union(CharSet::of_bytes(b"_+=,.@-"));
        assert!(CharSet::of_str("jdoe@005xx").is_subset_of(rsn));
        assert!(!CharSet::of_str("j doe").is_subset_of(rsn));
        assert!(!CharSet::of_str("jdö").is_subset_of(rsn));
        assert_eq!(CharSet::of_str("a b#").minus(rsn), CharSet::of_bytes(b" #"));
        assert!(CharSet::ANY.contains('é') && !CharSet::ASCII.contains('é'));
        assert_eq!(CharSet::range(b'a', b'c'), CharSet::of_bytes(b"abc"));
        assert!(CharSet::EMPTY.is_empty() && CharSet::EMPTY.is_subset_of(CharSet::EMPTY));
        assert_eq!(
            CharSet::UPPER.map_ascii(|c| c.to_ascii_lowercase()),
            CharSet::LOWER
        );
        assert_eq!(
            CharSet::of_str(" #é").describe(8),
            "space, '#', non-ASCII characters"
        );
    }
}
