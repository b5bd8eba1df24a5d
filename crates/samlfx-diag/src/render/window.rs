//! What the human renderer draws instead of the raw source, so that no input floods or fools a
//! terminal:
//!
//! - **Hidden characters** (controls other than tab and newline, Unicode format characters such
//!   as the bidi overrides U+202A–U+202E, and the line/paragraph separators) are drawn as `�`, so
//!   a Trojan-source formula cannot display differently from what it is.
//! - **Long lines** (more than [`LONG_LINE`] characters) are cut to [`CONTEXT`] characters on
//!   either side of each span end, with `…` where text was left out.
//! - Lines with no span end are left empty (the drawing never shows them) but kept, so line
//!   numbers stay true; past the last span end nothing is kept.
//!
//! Spans are mapped into the window with [`Window::map`]; the header's column is put back to the
//! true one by the caller.

use std::borrow::Cow;

use crate::hidden::is_hidden;

/// Lines up to this many characters are shown whole: every normal formula and context line.
pub const LONG_LINE: usize = 256;

/// Characters kept on each side of a span end in a long line.
pub const CONTEXT: usize = 60;

/// Beyond this many lines before the last span end no snippet is drawn (only the location), so
/// that a file of millions of newlines costs nothing to report.
pub const MAX_LINES: usize = 10_000;

/// What a hidden character is drawn as.
pub const PLACEHOLDER: char = '\u{FFFD}';

/// Where text was left out of a long line.
pub const ELISION: char = '…';

/// The text with every hidden character drawn as `�`; a CR just before a LF is kept (CRLF line
/// ends). Borrowed when nothing changes.
pub fn visible(s: &str) -> Cow<'_, str> {
    let needs = s
        .char_indices()
        .any(|(i, c)| is_hidden(c) && !is_crlf(s, i, c));
    if !needs {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.char_indices()
            .map(|(i, c)| {
                if is_hidden(c) && !is_crlf(s, i, c) {
                    PLACEHOLDER
                } else {
                    c
                }
            })
            .collect(),
    )
}

fn is_crlf(s: &str, i: usize, c: char) -> bool {
    c == '\r' && s.as_bytes().get(i + 1) == Some(&b'\n')
}

/// A message cut to at most `max` characters: its start and end with `…` between. Long messages
/// quote long source text (a 1 MB identifier); the JSON and SARIF formats keep them whole.
pub fn shorten(s: &str, max: usize) -> Cow<'_, str> {
    let n = s.chars().count();
    if n <= max {
        return Cow::Borrowed(s);
    }
    let half = max / 2;
    let head: String = s.chars().take(half).collect();
    let tail: String = s.chars().skip(n - half).collect();
    Cow::Owned(format!("{head} {ELISION} {tail}"))
}

/// The drawable text and where each span end of the source landed in it.
#[derive(Debug)]
pub struct Window {
    pub text: String,
    /// (source offset, window offset) for every span end, sorted by source offset.
    map: Vec<(usize, usize)>,
}

impl Window {
    /// The window of `text` around `points` (byte offsets on char boundaries, at most
    /// `text.len()`); `None` when the points lie more than [`MAX_LINES`] lines deep.
    pub fn new(text: &str, points: &[usize]) -> Option<Window> {
        let mut pts = points.to_vec();
        pts.sort_unstable();
        pts.dedup();
        let last = *pts.last()?;
        if text.as_bytes()[..last]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            > MAX_LINES
        {
            return None;
        }
        let end = text[last..].find('\n').map_or(text.len(), |i| last + i);
        let mut w = Window {
            text: String::new(),
            map: Vec::with_capacity(pts.len()),
        };
        let mut next = 0;
        let mut line_start = 0;
        loop {
            let line_end = text[line_start..end]
                .find('\n')
                .map_or(end, |i| line_start + i);
            let first = next;
            while next < pts.len() && pts[next] <= line_end {
                next += 1;
            }
            if next > first {
                let crlf_follows = line_end < text.len();
                w.push_line(
                    &text[line_start..line_end],
                    line_start,
                    &pts[first..next],
                    crlf_follows,
                );
            }
            if line_end >= end {
                // ariadne draws no empty last line (a span at the end of a text ending in a
                // newline): give it a space so the snippet shows the line the header names.
                if line_start == line_end && next > first && line_start > 0 {
                    w.text.push(' ');
                }
                break;
            }
            w.text.push('\n');
            line_start = line_end + 1;
        }
        Some(w)
    }

    /// Where a source offset (one of the points) is in the window.
    pub fn map(&self, offset: usize) -> usize {
        match self.map.binary_search_by_key(&offset, |&(o, _)| o) {
            Ok(i) => self.map[i].1,
            // Not a point: the nearest point before it (never happens for the caller's spans).
            Err(0) => 0,
            Err(i) => self.map[i - 1].1,
        }
    }

    /// One line holding span ends: whole if short, else the zones around them.
    fn push_line(&mut self, line: &str, base: usize, pts: &[usize], newline_follows: bool) {
        let zones = zones(line, base, pts);
        let mut pending = pts.iter().copied().peekable();
        let mut shown_to = 0;
        for (a, b) in zones {
            if a > shown_to {
                self.text.push(ELISION);
            }
            for (i, c) in line[a..b].char_indices() {
                let at = base + a + i;
                while let Some(p) = pending.next_if(|&p| p <= at) {
                    self.map.push((p, self.text.len()));
                }
                let keep_cr = c == '\r' && newline_follows && a + i + 1 == line.len();
                self.text.push(if is_hidden(c) && !keep_cr {
                    PLACEHOLDER
                } else {
                    c
                });
            }
            shown_to = b;
            while let Some(p) = pending.next_if(|&p| p <= base + b) {
                self.map.push((p, self.text.len()));
            }
        }
        if shown_to < line.len() {
            self.text.push(ELISION);
        }
        for p in pending {
            self.map.push((p, self.text.len()));
        }
    }
}

/// The byte ranges of `line` to show: all of it when short, else [`CONTEXT`] characters either
/// side of each point, merged where they meet.
fn zones(line: &str, base: usize, pts: &[usize]) -> Vec<(usize, usize)> {
    let n = line.chars().count();
    if n <= LONG_LINE {
        return vec![(0, line.len())];
    }
    // Byte offset of each char index, and of the end.
    let byte_at = |k: usize| line.char_indices().nth(k).map_or(line.len(), |(i, _)| i);
    let mut zones: Vec<(usize, usize)> = Vec::new();
    for &p in pts {
        let ci = line[..p - base].chars().count();
        let (a, b) = (ci.saturating_sub(CONTEXT), (ci + CONTEXT).min(n));
        match zones.last_mut() {
            Some(last) if a <= last.1 + 1 => last.1 = last.1.max(b),
            _ => zones.push((a, b)),
        }
    }
    zones
        .into_iter()
        .map(|(a, b)| (byte_at(a), byte_at(b)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_characters_become_placeholders() {
        assert_eq!(visible("a\u{202E}b\0c\td\r\ne\rf"), "a�b�c\td\r\ne�f");
        assert!(matches!(visible("plain é"), Cow::Borrowed(_)));
    }

    #[test]
    fn short_text_is_unchanged_and_maps_to_itself() {
        let w = Window::new("ab\ncd", &[3, 5]).unwrap();
        assert_eq!(w.text, "\ncd");
        assert_eq!((w.map(3), w.map(5)), (1, 3));
    }

    #[test]
    fn long_lines_keep_context_around_each_point() {
        let text = format!("{}X{}", "a".repeat(1000), "b".repeat(1000));
        let w = Window::new(&text, &[1000, 1001]).unwrap();
        let expected = format!("…{}X{}…", "a".repeat(CONTEXT), "b".repeat(CONTEXT));
        assert_eq!(w.text, expected);
        let at = w.map(1000);
        assert_eq!(&w.text[at..at + 1], "X");
        assert_eq!(w.map(1001), at + 1);
    }

    #[test]
    fn a_span_over_a_long_line_shows_both_ends() {
        let text = "x".repeat(5000);
        let w = Window::new(&text, &[0, 5000]).unwrap();
        assert_eq!(w.text.chars().count(), 2 * CONTEXT + 1);
        assert_eq!(w.map(0), 0);
        assert_eq!(w.map(5000), w.text.len());
    }

    #[test]
    fn an_empty_last_line_holding_a_point_is_kept() {
        let w = Window::new("{\n", &[2]).unwrap();
        assert_eq!(w.text, "\n ");
        assert_eq!(w.map(2), 1);
    }

    #[test]
    fn too_many_lines_give_no_window() {
        let text = "\n".repeat(MAX_LINES + 1);
        assert!(Window::new(&text, &[text.len()]).is_none());
    }
}
