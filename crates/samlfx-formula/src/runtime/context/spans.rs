//! Where each member of a context file sits: serde_json keeps no positions, so this small
//! scanner walks the (already validated) source once and records, for every object member,
//! the byte spans of its key and of its value, by path (`["$User", "Alias"]`; array elements
//! by index, `["result", "records", "0"]`). Diagnostics about a value then point into the file.

use std::collections::HashMap;

use samlfx_diag::Span;

/// Key and value spans of every object member of one JSON document.
#[derive(Debug, Default)]
pub(super) struct JsonSpans {
    members: HashMap<Vec<String>, (Span, Span)>,
}

impl JsonSpans {
    /// Scans `src`, which serde_json has parsed (so it is valid JSON and nests at most 128 deep).
    pub(super) fn scan(src: &str) -> JsonSpans {
        let mut scanner = Scanner {
            src,
            at: 0,
            out: JsonSpans::default(),
        };
        scanner.value(&mut Vec::new());
        scanner.out
    }

    /// The span of the member's key.
    pub(super) fn key(&self, path: &[&str]) -> Option<Span> {
        self.get(path).map(|(k, _)| k)
    }

    /// The span of the member's value.
    pub(super) fn value(&self, path: &[&str]) -> Option<Span> {
        self.get(path).map(|(_, v)| v)
    }

    fn get(&self, path: &[&str]) -> Option<(Span, Span)> {
        let path: Vec<String> = path.iter().map(|s| (*s).to_owned()).collect();
        self.members.get(&path).copied()
    }
}

struct Scanner<'a> {
    src: &'a str,
    at: usize,
    out: JsonSpans,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.src.as_bytes().get(self.at).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    /// One value starting at the cursor (after whitespace); stops right after it.
    fn value(&mut self, path: &mut Vec<String>) -> Option<()> {
        self.skip_ws();
        match self.peek()? {
            b'{' => self.container(path, b'}', true),
            b'[' => self.container(path, b']', false),
            b'"' => self.string().map(|_| ()),
            _ => {
                while self.peek().is_some_and(|b| {
                    !matches!(b, b',' | b']' | b'}' | b' ' | b'\t' | b'\n' | b'\r')
                }) {
                    self.at += 1;
                }
                Some(())
            }
        }
    }

    /// An object (`keyed`) or an array, the cursor on its opening bracket.
    fn container(&mut self, path: &mut Vec<String>, close: u8, keyed: bool) -> Option<()> {
        self.at += 1;
        let mut index = 0usize;
        loop {
            self.skip_ws();
            if self.peek()? == close {
                self.at += 1;
                return Some(());
            }
            let (name, key) = if keyed {
                let key = self.string()?;
                // The key as serde_json reads it, escapes and all.
                let name = serde_json::from_str::<String>(&self.src[key.start..key.end]).ok()?;
                self.skip_ws();
                if self.peek()? != b':' {
                    return None;
                }
                self.at += 1;
                (name, Some(key))
            } else {
                (index.to_string(), None)
            };
            self.skip_ws();
            let start = self.at;
            path.push(name);
            self.value(path)?;
            let value = Span::new(start, self.at);
            if let Some(key) = key {
                self.out.members.insert(path.clone(), (key, value));
            } else {
                self.out.members.insert(path.clone(), (value, value));
            }
            path.pop();
            index += 1;
            self.skip_ws();
            match self.peek()? {
                b',' => self.at += 1,
                b if b == close => {}
                _ => return None,
            }
        }
    }

    /// A string, the cursor on its opening quote; its span includes the quotes.
    fn string(&mut self) -> Option<Span> {
        let start = self.at;
        self.at += 1;
        loop {
            match self.peek()? {
                b'\\' => self.at += 2,
                b'"' => {
                    self.at += 1;
                    return Some(Span::new(start, self.at));
                }
                _ => self.at += 1,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_keys_and_values_at_any_depth() {
        let src = r#"{"$User": {"Alias": 5, "N\u0061me": "x y"},
            "fields": {"N__c": {"type": "Number", "value": "abc"}},
            "result": {"records": [{"Alias": null}]}}"#;
        let spans = JsonSpans::scan(src);
        let text = |s: Option<Span>| s.map(|s| &src[s.start..s.end]);
        assert_eq!(text(spans.value(&["$User", "Alias"])), Some("5"));
        assert_eq!(text(spans.key(&["$User", "Alias"])), Some("\"Alias\""));
        assert_eq!(text(spans.value(&["$User", "Name"])), Some("\"x y\""));
        assert_eq!(
            text(spans.value(&["fields", "N__c", "value"])),
            Some("\"abc\"")
        );
        assert_eq!(
            text(spans.value(&["result", "records", "0", "Alias"])),
            Some("null")
        );
        assert!(text(spans.value(&["$User"])).unwrap().starts_with('{'));
        assert_eq!(spans.value(&["$User", "Nope"]), None);
    }
}
