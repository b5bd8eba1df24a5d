//! Writes a synthetic org export of N users for `benches/audit.sh` and for trying `samlfx audit`
//! on a large org: realistic aliases and usernames, 18-character Ids with their checksum, a few
//! percent inactive users, aliases Amazon Connect refuses, and bad rows.
//!
//! `cargo run --release --example gen_users -- N [csv|json] [BAD_PERCENT] > users.csv`

use std::io::{self, BufWriter, Write};

const FIRST: &[&str] = &[
    "James",
    "Mary",
    "Robert",
    "Patricia",
    "John",
    "Jennifer",
    "Michael",
    "Linda",
    "David",
    "Elizabeth",
    "William",
    "Barbara",
    "Richard",
    "Susan",
    "Joseph",
    "Jessica",
    "Thomas",
    "Sarah",
    "Wei",
    "Priya",
    "Mohammed",
    "Olga",
    "Kenji",
    "Aisha",
    "Carlos",
    "Fatima",
    "Hiroshi",
    "Ines",
];
const LAST: &[&str] = &[
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Gonzalez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Taylor",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Perez",
    "Thompson",
    "White",
    "Harris",
    "Sanchez",
    "O'Brien",
    "D'Arcy",
    "Nguyen",
    "Kowalski",
    "Schmidt",
    "Rossi",
    "Tanaka",
    "Singh",
];
const PROFILES: &[&str] = &[
    "Contact Center Agent",
    "Contact Center Supervisor",
    "Standard User",
    "System Administrator",
];
const ROLES: &[&str] = &["Tier 1", "Tier 2", "Supervisors", ""];

/// xorshift64*: reproducible without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
    fn percent(&mut self, p: u64) -> bool {
        self.next() % 100 < p
    }
}

/// The 18-character form of a 15-character Id (CASESAFEID's checksum).
fn id18(id15: &str) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
    let mut out = id15.to_owned();
    for chunk in id15.as_bytes().chunks(5) {
        let n = chunk
            .iter()
            .enumerate()
            .filter(|(_, b)| b.is_ascii_uppercase())
            .fold(0, |n, (i, _)| n | (1 << i));
        out.push(ALPHABET[n] as char);
    }
    out
}

struct User {
    id: String,
    username: String,
    active: bool,
    alias: String,
    profile: &'static str,
    role: &'static str,
}

fn user(i: u64, rng: &mut Rng) -> User {
    let first = rng.pick(FIRST);
    let last = rng.pick(LAST);
    let mut alias: String = format!("{}{}", &first[..1], last)
        .to_lowercase()
        .chars()
        .take(8)
        .collect();
    if rng.percent(1) {
        // Aliases Amazon Connect refuses (KB 004867756): a space or a plus.
        alias = format!("{} {}", &first[..1], &last[..last.len().min(5)]).to_lowercase();
    }
    User {
        id: id18(&format!("005Hs{i:010}")),
        username: format!(
            "{}.{}{}@acme.example.com",
            first.to_lowercase(),
            last.to_lowercase().replace('\'', ""),
            i
        ),
        active: !rng.percent(5),
        alias,
        profile: rng.pick(PROFILES),
        role: rng.pick(ROLES),
    }
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

fn json_str(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

fn main() -> io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let n: u64 = args.first().and_then(|a| a.parse().ok()).unwrap_or(1000);
    let json = args.get(1).is_some_and(|f| f == "json");
    let bad: u64 = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(3);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut out = BufWriter::with_capacity(1 << 20, io::stdout().lock());
    if json {
        writeln!(
            out,
            "{{\n  \"status\": 0,\n  \"result\": {{\n    \"records\": ["
        )?;
    } else {
        writeln!(
            out,
            "\"Id\",\"Username\",\"IsActive\",\"Alias\",\"Profile.Name\",\"UserRole.Name\""
        )?;
    }
    for i in 0..n {
        let u = user(i, &mut rng);
        let broken = rng.percent(bad);
        if json {
            let sep = if i + 1 == n { "" } else { "," };
            let id = if broken { "005-broken" } else { u.id.as_str() };
            let role = if u.role.is_empty() {
                "null".to_owned()
            } else {
                format!(
                    "{{\"attributes\": {{\"type\": \"UserRole\"}}, \"Name\": {}}}",
                    json_str(u.role)
                )
            };
            writeln!(
                out,
                "      {{\n        \"attributes\": {{\"type\": \"User\", \"url\": \"/services/data/v62.0/sobjects/User/{}\"}},\n        \"Id\": {},\n        \"Username\": {},\n        \"IsActive\": {},\n        \"Alias\": {},\n        \"Profile\": {{\"attributes\": {{\"type\": \"Profile\"}}, \"Name\": {}}},\n        \"UserRole\": {}\n      }}{sep}",
                u.id,
                json_str(id),
                json_str(&u.username),
                u.active,
                json_str(&u.alias),
                json_str(u.profile),
                role
            )?;
        } else if broken && i % 2 == 0 {
            // A row cut short.
            writeln!(out, "\"{}\",\"{}\",\"{}\"", u.id, u.username, u.active)?;
        } else {
            let id = if broken { "005-broken" } else { u.id.as_str() };
            writeln!(
                out,
                "\"{id}\",\"{}\",\"{}\",{},{},{}",
                u.username,
                u.active,
                csv_field(&u.alias),
                csv_field(u.profile),
                csv_field(u.role)
            )?;
        }
    }
    if json {
        writeln!(
            out,
            "    ],\n    \"totalSize\": {n},\n    \"done\": true\n  }},\n  \"warnings\": []\n}}"
        )?;
    }
    out.flush()
}
