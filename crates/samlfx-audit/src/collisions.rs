//! RoleSessionName values two users share. Amazon Connect makes the value the agent's
//! username, so two users with one value would share one agent; a value equal but for letter
//! case is reported apart. The index keeps one entry per distinct value: its hashes and the
//! first user, not the value itself.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, DefaultHasher, Hash, Hasher};

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

struct Slot {
    exact: u64,
    first_id: str_box::Id,
    first_username: Box<str>,
    first_line: u64,
    exact_group: Option<u32>,
    ci_group: Option<u32>,
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

fn hash(attribute: usize, s: &str) -> u64 {
    let mut h = DefaultHasher::new();
    attribute.hash(&mut h);
    s.hash(&mut h);
    h.finish()
}

impl Collisions {
    /// Records that `user` gets `value` for attribute `index` (named `key`).
    pub fn add(&mut self, index: usize, key: &str, value: &str, user: &UserRef) {
        let lower = value.to_lowercase();
        let folded = hash(index, &lower);
        let exact = hash(index, value);
        let Some(slot) = self.seen.get_mut(&folded) else {
            self.seen.insert(
                folded,
                Slot {
                    exact,
                    first_id: str_box::Id::new(&user.id),
                    first_username: user.username.as_str().into(),
                    first_line: user.line,
                    exact_group: None,
                    ci_group: None,
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
        match group {
            Some(i) => self.found[*i as usize].users.push(user.clone()),
            None => {
                *group = Some(self.found.len() as u32);
                let first = UserRef {
                    id: slot.first_id.as_str().to_owned(),
                    username: slot.first_username.to_string(),
                    line: slot.first_line,
                };
                self.found.push(Collision {
                    attribute: key.to_owned(),
                    value: if is_exact { value.to_owned() } else { lower },
                    case_insensitive: !is_exact,
                    users: vec![first, user.clone()],
                });
            }
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
