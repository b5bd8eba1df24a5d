//! RoleSessionName values two users share. Amazon Connect makes the value the agent's
//! username, so two users with one value would share one agent; a value equal but for letter
//! case is reported apart. The index keeps one entry per distinct value: its hashes and the
//! first user, not the value itself.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

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
    /// The value as the first user has it (exact), or lower-cased (case-insensitive).
    pub value: String,
    pub case_insensitive: bool,
    pub users: Vec<UserRef>,
}

/// The keys are hashes already: hash them no further.
#[derive(Default)]
struct Identity(u64);

impl Hasher for Identity {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// One distinct value (ignoring case): kept small, since there is one per user.
struct Slot {
    /// The low bits of the exact value's hash: tells an exact repeat from a case variant.
    exact: u32,
    first_line: u32,
    /// 1 + the index in `found` of this value's exact and case-insensitive groups; 0 for none.
    exact_group: u32,
    ci_group: u32,
    first_id: str_box::Id,
    first_username: Box<str>,
}

mod str_box {
    /// An Id held inline: 15 or 18 ASCII characters.
    #[derive(Clone, Copy)]
    pub struct Id {
        bytes: [u8; 18],
        len: u8,
    }

    impl Id {
        pub fn new(s: &str) -> Id {
            let mut bytes = [0; 18];
            let n = s.len().min(18);
            bytes[..n].copy_from_slice(&s.as_bytes()[..n]);
            Id {
                bytes,
                len: n as u8,
            }
        }
        pub fn as_str(&self) -> &str {
            std::str::from_utf8(&self.bytes[..self.len as usize]).unwrap_or("")
        }
    }
}

/// The collision index of one audit.
#[derive(Default)]
pub struct Collisions {
    seen: HashMap<u64, Slot, BuildHasherDefault<Identity>>,
    pub found: Vec<Collision>,
}

/// FNV-1a over the attribute's index and the bytes, folded to lower case when `fold` (ASCII
/// by byte, anything else through `to_lowercase`): no allocation for the common ASCII value.
fn hash(attribute: usize, s: &str, fold: bool) -> u64 {
    const PRIME: u64 = 0x0000_0100_0000_01B3;
    let mut h: u64 = 0xCBF2_9CE4_8422_2325 ^ attribute as u64;
    let mut eat = |b: u8| {
        h ^= u64::from(b);
        h = h.wrapping_mul(PRIME);
    };
    if fold && !s.is_ascii() {
        s.to_lowercase().bytes().for_each(&mut eat);
    } else if fold {
        s.bytes().for_each(|b| eat(b.to_ascii_lowercase()));
    } else {
        s.bytes().for_each(eat);
    }
    // A final mix, so that values differing only at the end spread over the table.
    h ^= h >> 33;
    h = h.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    h ^ (h >> 33)
}

impl Collisions {
    /// Records that `user` gets `value` for attribute `index` (named `key`).
    pub fn add(&mut self, index: usize, key: &str, value: &str, user: &UserRef) {
        let folded = hash(index, value, true);
        let exact = hash(index, value, false) as u32;
        let Some(slot) = self.seen.get_mut(&folded) else {
            self.seen.insert(
                folded,
                Slot {
                    exact,
                    first_id: str_box::Id::new(&user.id),
                    first_username: user.username.as_str().into(),
                    first_line: u32::try_from(user.line).unwrap_or(u32::MAX),
                    exact_group: 0,
                    ci_group: 0,
                },
            );
            return;
        };
        let is_exact = slot.exact == exact;
        let group = if is_exact {
            &mut slot.exact_group
        } else {
            &mut slot.ci_group
        };
        match *group {
            0 => {
                *group = self.found.len() as u32 + 1;
                let first = UserRef {
                    id: slot.first_id.as_str().to_owned(),
                    username: slot.first_username.to_string(),
                    line: u64::from(slot.first_line),
                };
                self.found.push(Collision {
                    attribute: key.to_owned(),
                    value: if is_exact {
                        value.to_owned()
                    } else {
                        value.to_lowercase()
                    },
                    case_insensitive: !is_exact,
                    users: vec![first, user.clone()],
                });
            }
            i => self.found[i as usize - 1].users.push(user.clone()),
        }
    }

    /// How many distinct values were seen.
    pub fn distinct(&self) -> usize {
        self.seen.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(id: &str) -> UserRef {
        UserRef {
            id: id.into(),
            username: format!("{id}@x"),
            line: 0,
        }
    }

    #[test]
    fn exact_and_case_insensitive_apart() {
        let mut c = Collisions::default();
        c.add(0, "k", "jdoe", &user("a"));
        c.add(0, "k", "jdoe", &user("b"));
        c.add(0, "k", "JDoe", &user("c"));
        c.add(0, "k", "jdoe", &user("d"));
        c.add(0, "k", "other", &user("e"));
        assert_eq!(c.found.len(), 2);
        assert!(!c.found[0].case_insensitive);
        let ids: Vec<_> = c.found[0].users.iter().map(|u| u.id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "d"]);
        assert!(c.found[1].case_insensitive);
        let ids: Vec<_> = c.found[1].users.iter().map(|u| u.id.as_str()).collect();
        assert_eq!(ids, ["a", "c"]);
    }
}
