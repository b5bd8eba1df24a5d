//! RoleSessionName values two users share. Amazon Connect makes the value the agent's
//! username, so two users with one value would share one agent; a value equal but for letter
//! case is reported apart.
//!
//! The index keeps 16 bytes per user while the export streams past: the hash of the value
//! folded to lower case (with the attribute) and the user's ordinal in the export. At the end
//! the entries are sorted, and only the users whose hash is shared are looked at again: the
//! export (or standard input's copy) is read a second time for those rows, from the checkpoint
//! of each batch that holds one, their values are compared for real, and only equal values are
//! reported, so a hash collision never produces a false report.

use std::collections::HashMap;

use samlfx_diag::{Code, Diagnostic, Severity};
use serde::Serialize;

/// A user as a collision names them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct UserRef {
    #[serde(rename = "Id")]
    pub id: String,
    #[serde(rename = "Username")]
    pub username: String,
    #[serde(skip)]
    pub line: u64,
}

/// Users sharing one value (exactly, or ignoring case).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Collision {
    pub attribute: String,
    /// The value as the users have it (exact), or lower-cased (case-insensitive).
    pub value: String,
    pub case_insensitive: bool,
    pub users: Vec<UserRef>,
}

/// Users a U008 message names before it says how many more share the value.
const NAMED: usize = 10;

impl Collision {
    /// The collision as a U008 diagnostic (for SARIF and GitHub output): an error under
    /// Amazon Connect, where the value is the agent's username, else the code's warning.
    pub fn to_diagnostic(&self, connect: bool) -> Diagnostic {
        let short = self.attribute.rsplit('/').next().unwrap_or(&self.attribute);
        let mut named: Vec<String> = self
            .users
            .iter()
            .take(NAMED)
            .map(|u| format!("{} {} (line {})", u.id, u.username, u.line))
            .collect();
        if self.users.len() > NAMED {
            named.push(format!("and {} more", self.users.len() - NAMED));
        }
        let mut d = Diagnostic::new(
            Code::SharedSessionName,
            format!(
                "{} users share the {short} `{}`{}: {}",
                self.users.len(),
                self.value,
                if self.case_insensitive {
                    " ignoring letter case"
                } else {
                    ""
                },
                named.join(", ")
            ),
        )
        .with_help("build the value from a field unique to each user, such as $User.Id");
        if connect {
            d = d.with_severity(Severity::Error);
        }
        d
    }
}

/// One user's value, recovered for the final comparison.
#[derive(Clone, Debug)]
pub struct Recovered {
    /// The user's position in the export (0-based, counting unreadable rows).
    pub ordinal: u64,
    /// Index of the attribute among the app's attributes.
    pub attribute: usize,
    pub value: String,
    pub user: UserRef,
}

/// A 64-bit hash of the attribute's index and the value folded to lower case (ASCII through a
/// stack buffer, eight bytes a step; anything else through `to_lowercase`). It only nominates
/// candidates, which are compared as text, so its quality matters for speed, not for truth.
pub fn hash(attribute: usize, s: &str) -> u64 {
    if s.is_ascii() {
        hash_folded(attribute, s.as_bytes())
    } else {
        hash_folded(attribute, s.to_lowercase().as_bytes())
    }
}

fn hash_folded(attribute: usize, bytes: &[u8]) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut h = (attribute as u64 ^ bytes.len() as u64).wrapping_mul(K);
    let mut words = bytes.chunks_exact(8);
    let mut mix = |w: u64| h = (h ^ lower8(w)).wrapping_mul(K).rotate_left(31);
    for word in words.by_ref() {
        mix(u64::from_le_bytes(word.try_into().expect("8 bytes")));
    }
    let rest = words.remainder();
    if !rest.is_empty() {
        let mut w = [0u8; 8];
        w[..rest.len()].copy_from_slice(rest);
        mix(u64::from_le_bytes(w));
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    h ^ (h >> 33)
}

/// Eight bytes with their ASCII capitals made small, all at once: a byte from `A` to `Z` gets
/// bit 5 set; every other byte, non-ASCII ones included, is left as it is.
fn lower8(w: u64) -> u64 {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let low7 = w & !HIGH;
    // Bit 7 of each byte: set when the byte is at least `A`, and when it is past `Z`.
    let from_a = low7 + 0x3F3F_3F3F_3F3F_3F3F;
    let past_z = low7 + 0x2525_2525_2525_2525;
    let upper = from_a & !past_z & !w & HIGH;
    w | (upper >> 2)
}

/// The value folded as [`hash`] folds it.
fn fold(s: &str) -> String {
    if s.is_ascii() {
        s.to_ascii_lowercase()
    } else {
        s.to_lowercase()
    }
}

/// The entries of one audit: (hash, ordinal) per user with a value, spread over 256 buckets by
/// the hash's top byte as they arrive, so that the sort at the end is 256 small sorts that fit
/// in cache, on two threads.
#[derive(Debug)]
pub struct Index {
    buckets: Vec<Vec<(u64, u64)>>,
}

impl Default for Index {
    fn default() -> Self {
        Index {
            buckets: vec![Vec::new(); 256],
        }
    }
}

impl Index {
    pub fn push(&mut self, hash: u64, ordinal: u64) {
        self.buckets[(hash >> 56) as usize].push((hash, ordinal));
    }

    pub fn extend(&mut self, entries: &[(u64, u64)]) {
        for &(hash, ordinal) in entries {
            self.push(hash, ordinal);
        }
    }

    pub fn len(&self) -> usize {
        self.buckets.iter().map(Vec::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.buckets.iter().all(Vec::is_empty)
    }

    /// The ordinals of the users whose hash another user shares, sorted, once each; the
    /// entries are dropped.
    pub fn candidates(self) -> Vec<u64> {
        // Equal hashes share a bucket: each half of the buckets is sorted by hash on its own
        // thread, and the ordinals of each run of equal hashes collected.
        fn shared(buckets: Vec<Vec<(u64, u64)>>) -> Vec<u64> {
            let mut out = Vec::new();
            for mut bucket in buckets {
                bucket.sort_unstable_by_key(|e| e.0);
                for run in bucket.chunk_by(|a, b| a.0 == b.0) {
                    if run.len() > 1 {
                        out.extend(run.iter().map(|e| e.1));
                    }
                }
            }
            out
        }
        let mut first = self.buckets;
        let second = first.split_off(128);
        let (mut out, more) = std::thread::scope(|scope| {
            let other = scope.spawn(|| shared(second));
            let mine = shared(first);
            (mine, other.join().unwrap_or_default())
        });
        out.extend(more);
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// The collisions among `recovered` (the candidates' values), compared as text: per attribute
/// and value, the users sharing it exactly; per value folded to lower case, the first user and
/// every user whose value differs from theirs only in case. Ordered by where the second user
/// of each collision stands in the export.
pub fn group(mut recovered: Vec<Recovered>, keys: &[&str]) -> Vec<Collision> {
    recovered.sort_by_key(|r| (r.ordinal, r.attribute));
    let mut folded: HashMap<(usize, String), Vec<usize>> = HashMap::new();
    for (i, r) in recovered.iter().enumerate() {
        folded
            .entry((r.attribute, fold(&r.value)))
            .or_default()
            .push(i);
    }
    let mut found: Vec<(u64, bool, Collision)> = Vec::new();
    for ((attribute, lower), members) in folded {
        if members.len() < 2 {
            continue;
        }
        let key = keys.get(attribute).copied().unwrap_or_default();
        let users = |idx: &[usize]| -> Vec<UserRef> {
            idx.iter().map(|&i| recovered[i].user.clone()).collect()
        };
        let mut exact: Vec<(&str, Vec<usize>)> = Vec::new();
        for &i in &members {
            let v = recovered[i].value.as_str();
            match exact.iter_mut().find(|(e, _)| *e == v) {
                Some((_, idx)) => idx.push(i),
                None => exact.push((v, vec![i])),
            }
        }
        for (value, idx) in &exact {
            if idx.len() > 1 {
                found.push((
                    recovered[idx[1]].ordinal,
                    false,
                    Collision {
                        attribute: key.to_owned(),
                        value: (*value).to_owned(),
                        case_insensitive: false,
                        users: users(idx),
                    },
                ));
            }
        }
        let first = members[0];
        let mut variants = vec![first];
        variants.extend(
            members
                .iter()
                .copied()
                .filter(|&i| recovered[i].value != recovered[first].value),
        );
        if variants.len() > 1 {
            found.push((
                recovered[variants[1]].ordinal,
                true,
                Collision {
                    attribute: key.to_owned(),
                    value: lower,
                    case_insensitive: true,
                    users: users(&variants),
                },
            ));
        }
    }
    found.sort_by_key(|f| (f.0, f.1));
    found.into_iter().map(|(_, _, c)| c).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(ordinal: u64, value: &str) -> Recovered {
        Recovered {
            ordinal,
            attribute: 0,
            value: value.into(),
            user: UserRef {
                id: format!("u{ordinal}"),
                username: format!("u{ordinal}@x"),
                line: ordinal + 2,
            },
        }
    }

    fn ids(c: &Collision) -> Vec<&str> {
        c.users.iter().map(|u| u.id.as_str()).collect()
    }

    #[test]
    fn exact_and_case_insensitive_apart() {
        let found = group(
            vec![
                r(0, "jdoe"),
                r(1, "jdoe"),
                r(2, "JDoe"),
                r(3, "jdoe"),
                r(4, "other"),
                r(5, "JDoe"),
            ],
            &["k"],
        );
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(!found[0].case_insensitive);
        assert_eq!(found[0].value, "jdoe");
        assert_eq!(ids(&found[0]), ["u0", "u1", "u3"]);
        assert!(found[1].case_insensitive);
        assert_eq!(found[1].value, "jdoe");
        assert_eq!(ids(&found[1]), ["u0", "u2", "u5"]);
        assert!(!found[2].case_insensitive);
        assert_eq!(found[2].value, "JDoe");
        assert_eq!(ids(&found[2]), ["u2", "u5"]);
    }

    #[test]
    fn equal_hashes_of_different_values_are_no_collision() {
        // The index only nominates candidates; the values decide.
        let mut index = Index::default();
        index.push(7, 0);
        index.push(7, 1);
        index.push(9, 2);
        assert_eq!(index.candidates(), [0, 1]);
        // Across both halves of the buckets, and more than two users to a hash.
        let mut index = Index::default();
        index.extend(&[
            (u64::MAX, 5),
            (3, 1),
            (u64::MAX, 2),
            (3, 9),
            (u64::MAX, 4),
            (8, 0),
        ]);
        assert_eq!(index.len(), 6);
        assert_eq!(index.candidates(), [1, 2, 4, 5, 9]);
        assert!(group(vec![r(0, "alice"), r(1, "bob")], &["k"]).is_empty());
    }

    #[test]
    fn eight_bytes_are_lowered_as_each_byte_would_be() {
        for b in 0..=255u8 {
            let w = u64::from_le_bytes([b, b'Q', b, 0xC3, b'z', b'@', b'[', b]);
            let mut bytes = w.to_le_bytes();
            bytes.make_ascii_lowercase();
            assert_eq!(lower8(w), u64::from_le_bytes(bytes), "byte {b:#x}");
        }
    }

    #[test]
    fn the_hash_ignores_case_and_tells_attributes_apart() {
        assert_eq!(hash(0, "JDoe@X"), hash(0, "jdoe@x"));
        assert_eq!(hash(0, "ÉLODIE"), hash(0, "élodie"));
        assert_ne!(hash(0, "jdoe"), hash(1, "jdoe"));
        assert_ne!(hash(0, "jdoe"), hash(0, "jdoe2"));
    }
}
