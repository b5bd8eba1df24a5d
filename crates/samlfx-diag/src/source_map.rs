//! Maps from a decoded text back to the source it was decoded from.
//!
//! A diagnostic about part of a value (a placeholder inside a string literal, an ARN component
//! inside folded constant text, later an attribute value read from XML) is found by looking at the
//! *decoded* text, but must point at the *source* bytes. Escapes (`\'`, `\\`, `&amp;`, `&#39;`),
//! CDATA markers and folded sub-expressions make the two differ in length, so a plain offset is
//! wrong as soon as one of them comes before the part. A [`SourceMap`] records, for each run of
//! decoded bytes, where it came from:
//!
//! - **verbatim** runs were copied byte for byte, so every decoded byte has its own source byte;
//! - **opaque** runs (an escape, or text a sub-expression produced, such as a folded `TEXT(5)`)
//!   map as a whole to one source span: any part of them is blamed on all of it.
//!
//! Runs are stored, not bytes, so a literal without escapes costs one entry, and a lookup is a
//! binary search.
//!
//! Maps chain by looking up twice: for a formula read from an XML element, a literal's map gives
//! formula offsets, and the element's map takes those to file offsets
//! (`let s = literal.span(r); element.span(s.start..s.end)`), so escapes at both levels are
//! accounted for.
//!
//! ```
//! use samlfx_diag::{SourceMap, Span};
//!
//! // The formula `'it\'s <Name>'`: the literal's text starts after the quote at byte 1.
//! let mut map = SourceMap::new(1);
//! map.push_verbatim(2, 1); // `it`
//! map.push_escape(1, Span::new(3, 5)); // `\'` decodes to `'`
//! map.push_verbatim(8, 5); // `s <Name>`
//! let decoded = "it's <Name>";
//! assert_eq!(map.len(), decoded.len());
//! // `<Name>` is decoded bytes 5..11 but source bytes 7..13.
//! assert_eq!(map.span(5..11), Span::new(7, 13));
//! // The escaped quote is blamed whole.
//! assert_eq!(map.span(2..3), Span::new(3, 5));
//! ```

use std::ops::Range;

use crate::Span;

/// Where each byte of a decoded text came from in its source. See the [module](self) docs.
///
/// Built in decoded order with [`push_verbatim`](Self::push_verbatim),
/// [`push_escape`](Self::push_escape) and [`append`](Self::append). When the runs are pushed
/// in source order (as a decoder and a left-to-right concatenation do), the map is monotonic:
/// later decoded bytes never map before earlier ones.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SourceMap {
    /// Runs in decoded order; each starts where the previous one ends.
    runs: Vec<Run>,
    /// The decoded length.
    len: usize,
    /// The source position of the end of the decoded text: where an empty range at `len`
    /// points, and the whole anchor of an empty map.
    end: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct Run {
    /// The decoded offset where this run starts.
    decoded: usize,
    /// The source it came from; for a verbatim run its length is the run's decoded length.
    source: Span,
    verbatim: bool,
}

/// One run of a [`SourceMap`], as [`SourceMap::segments`] lists them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    /// The decoded bytes of the run.
    pub decoded: Range<usize>,
    /// The source bytes they came from.
    pub source: Span,
    /// Copied byte for byte (`true`), or decoded from / produced by the whole source span.
    pub verbatim: bool,
}

impl Default for SourceMap {
    fn default() -> Self {
        SourceMap::new(0)
    }
}

impl SourceMap {
    /// An empty map anchored at source offset `at`: where the decoded text begins (just after
    /// a literal's opening quote), so that even an empty text has a place.
    pub fn new(at: usize) -> SourceMap {
        SourceMap {
            runs: Vec::new(),
            len: 0,
            end: at,
        }
    }

    /// A map for text copied unchanged from `source_start` on: the identity, shifted.
    pub fn verbatim(source_start: usize, len: usize) -> SourceMap {
        let mut map = SourceMap::new(source_start);
        map.push_verbatim(len, source_start);
        map
    }

    /// A map for `len` decoded bytes that have no source of their own (the value a folded
    /// `TEXT(5)` or `UPPER('x')` produced): all of them map to `span`, the sub-expression that
    /// made them.
    pub fn derived(len: usize, span: Span) -> SourceMap {
        let mut map = SourceMap::new(span.start);
        map.push_escape(len, span);
        map.end = span.end;
        map
    }

    /// Appends `len` decoded bytes copied byte for byte from the source at `source_start`.
    /// Joins the previous run when it is verbatim and ends where this one starts.
    pub fn push_verbatim(&mut self, len: usize, source_start: usize) {
        if len == 0 {
            return;
        }
        let source = Span::new(source_start, source_start + len);
        if let Some(last) = self.runs.last_mut()
            && last.verbatim
            && last.source.end == source_start
        {
            last.source.end = source.end;
        } else {
            self.runs.push(Run {
                decoded: self.len,
                source,
                verbatim: true,
            });
        }
        self.len += len;
        self.end = source.end;
    }

    /// Appends `len` decoded bytes that stand for the whole of `source`: an escape (`\'`,
    /// `&amp;`) or text produced by the sub-expression at `source`. Any part of them maps to all
    /// of `source`. Nothing is recorded when `len` is 0.
    pub fn push_escape(&mut self, len: usize, source: Span) {
        if len == 0 {
            return;
        }
        self.runs.push(Run {
            decoded: self.len,
            source,
            verbatim: false,
        });
        self.len += len;
        self.end = source.end;
    }

    /// Appends `other` after this map's text: the map of `self_text + other_text`, as when
    /// constant texts are concatenated.
    pub fn append(&mut self, other: &SourceMap) {
        for (i, run) in other.runs.iter().enumerate() {
            let len = other.run_len(i);
            if run.verbatim {
                self.push_verbatim(len, run.source.start);
            } else {
                self.push_escape(len, run.source);
            }
        }
        // Even an empty text moves the end: the joined text ends where the last piece does.
        self.end = other.end;
    }

    /// The decoded length in bytes.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The smallest source span covering the source of the decoded bytes `decoded`. An opaque
    /// run touched at all is covered whole; an empty range maps to an empty span at the point
    /// before the decoded byte it starts at (after the last byte at the end). Offsets past the
    /// end are clamped to it.
    pub fn span(&self, decoded: Range<usize>) -> Span {
        let start = decoded.start.min(self.len);
        let end = decoded.end.min(self.len).max(start);
        if start == end {
            let at = self.point(start);
            return Span::new(at, at);
        }
        let first = &self.runs[self.run_at(start)];
        let last = &self.runs[self.run_at(end - 1)];
        let from = if first.verbatim {
            first.source.start + (start - first.decoded)
        } else {
            first.source.start
        };
        let to = if last.verbatim {
            last.source.start + (end - last.decoded)
        } else {
            last.source.end
        };
        // Ordered for a monotonic map; a map joined out of source order still gets a valid span.
        Span::new(from.min(to), to.max(from))
    }

    /// The map of the decoded bytes `decoded` alone, as a substring of the text has it (what
    /// `TRIM('  x  ')` keeps of its argument). A run cut by the range keeps its whole source
    /// when it is opaque. Offsets past the end are clamped to it.
    pub fn slice(&self, decoded: Range<usize>) -> SourceMap {
        let start = decoded.start.min(self.len);
        let end = decoded.end.min(self.len).max(start);
        let mut out = SourceMap::new(self.point(start));
        if start == end {
            return out;
        }
        for i in self.run_at(start)..=self.run_at(end - 1) {
            let run = &self.runs[i];
            let from = start.max(run.decoded);
            let to = end.min(run.decoded + self.run_len(i));
            if run.verbatim {
                out.push_verbatim(to - from, run.source.start + (from - run.decoded));
            } else {
                out.push_escape(to - from, run.source);
            }
        }
        out
    }

    /// The source span of the whole decoded text (its anchor point when empty).
    pub fn source_span(&self) -> Span {
        self.span(0..self.len)
    }

    /// This map with every source offset moved right by `offset`: a formula's map placed in
    /// the file that holds the formula.
    pub fn shifted(mut self, offset: usize) -> SourceMap {
        for run in &mut self.runs {
            run.source = run.source.shift(offset);
        }
        self.end += offset;
        self
    }

    /// The runs, in decoded order.
    pub fn segments(&self) -> impl ExactSizeIterator<Item = Segment> + '_ {
        self.runs.iter().enumerate().map(|(i, run)| Segment {
            decoded: run.decoded..run.decoded + self.run_len(i),
            source: run.source,
            verbatim: run.verbatim,
        })
    }

    /// Whether the map copies its text unchanged from one place: a literal without escapes.
    pub fn is_verbatim(&self) -> bool {
        self.runs.iter().all(|r| r.verbatim) && self.runs.len() <= 1
    }

    /// The source position just before decoded offset `at` (`at <= len`).
    fn point(&self, at: usize) -> usize {
        if at >= self.len {
            return self.end;
        }
        let run = &self.runs[self.run_at(at)];
        if run.verbatim {
            run.source.start + (at - run.decoded)
        } else {
            run.source.start
        }
    }

    /// The index of the run holding decoded byte `at` (`at < len`).
    fn run_at(&self, at: usize) -> usize {
        self.runs.partition_point(|r| r.decoded <= at) - 1
    }

    /// The decoded length of run `i`: up to the next run or the end.
    fn run_len(&self, i: usize) -> usize {
        let next = self.runs.get(i + 1).map_or(self.len, |n| n.decoded);
        next - self.runs[i].decoded
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// `'it\'s'` at source offset 10: decoded `it's`.
    fn its() -> SourceMap {
        let mut m = SourceMap::new(11);
        m.push_verbatim(2, 11);
        m.push_escape(1, Span::new(13, 15));
        m.push_verbatim(1, 15);
        m
    }

    #[test]
    fn verbatim_runs_map_byte_for_byte() {
        let m = SourceMap::verbatim(5, 10);
        assert_eq!(m.len(), 10);
        assert_eq!(m.span(0..10), Span::new(5, 15));
        assert_eq!(m.span(3..4), Span::new(8, 9));
        assert!(m.is_verbatim());
        assert_eq!(m.segments().len(), 1);
    }

    #[test]
    fn escapes_are_covered_whole() {
        let m = its();
        assert_eq!(m.len(), 4);
        assert_eq!(m.span(0..2), Span::new(11, 13));
        assert_eq!(m.span(2..3), Span::new(13, 15));
        assert_eq!(m.span(3..4), Span::new(15, 16));
        assert_eq!(m.span(1..3), Span::new(12, 15));
        assert_eq!(m.span(2..4), Span::new(13, 16));
        assert!(!m.is_verbatim());
    }

    #[test]
    fn empty_ranges_are_points() {
        let m = its();
        assert_eq!(m.span(0..0), Span::new(11, 11));
        assert_eq!(m.span(2..2), Span::new(13, 13));
        assert_eq!(m.span(3..3), Span::new(15, 15));
        assert_eq!(m.span(4..4), Span::new(16, 16));
        // Past the end is clamped.
        assert_eq!(m.span(7..9), Span::new(16, 16));
        let empty = SourceMap::new(42);
        assert_eq!(empty.span(0..0), Span::new(42, 42));
        assert_eq!(empty.source_span(), Span::new(42, 42));
    }

    #[test]
    fn adjacent_verbatim_runs_merge() {
        let mut m = SourceMap::new(0);
        m.push_verbatim(3, 0);
        m.push_verbatim(2, 3);
        m.push_verbatim(0, 99);
        m.push_escape(0, Span::new(99, 100));
        assert_eq!(m.segments().len(), 1);
        // Not adjacent in the source: a second run.
        m.push_verbatim(1, 9);
        assert_eq!(
            m.segments().collect::<Vec<_>>(),
            [
                Segment {
                    decoded: 0..5,
                    source: Span::new(0, 5),
                    verbatim: true
                },
                Segment {
                    decoded: 5..6,
                    source: Span::new(9, 10),
                    verbatim: true
                }
            ]
        );
    }

    #[test]
    fn append_joins_texts() {
        // `'it\'s' & TEXT(5)` with TEXT(5) at 19..26.
        let mut m = its();
        m.append(&SourceMap::derived(1, Span::new(19, 26)));
        assert_eq!(m.len(), 5);
        assert_eq!(m.span(4..5), Span::new(19, 26));
        assert_eq!(m.span(3..5), Span::new(15, 26));
        assert_eq!(m.span(5..5), Span::new(26, 26));
        // Appending an empty literal moves the end only.
        let mut e = SourceMap::verbatim(1, 2);
        e.append(&SourceMap::new(7));
        assert_eq!(e.len(), 2);
        assert_eq!(e.source_span(), Span::new(1, 3));
        assert_eq!(e.span(2..2), Span::new(7, 7));
        let mut j = SourceMap::verbatim(1, 3);
        j.append(&SourceMap::verbatim(4, 2));
        assert_eq!(j.segments().len(), 1, "contiguous verbatim runs merge");
    }

    #[test]
    fn slices_keep_their_sources() {
        // `it's` then `TEXT(5)` (19..26) then `ab` at 30.
        let mut m = its();
        m.append(&SourceMap::derived(2, Span::new(19, 26)));
        m.append(&SourceMap::verbatim(30, 2));
        assert_eq!(m.len(), 8);
        for (a, b) in [
            (0, 8),
            (1, 3),
            (2, 3),
            (3, 5),
            (5, 6),
            (4, 8),
            (6, 7),
            (3, 3),
            (8, 8),
        ] {
            let s = m.slice(a..b);
            assert_eq!(s.len(), b - a, "{a}..{b}");
            assert_eq!(s.source_span(), m.span(a..b), "{a}..{b}");
            for i in 0..s.len() {
                assert_eq!(
                    s.span(i..i + 1),
                    m.span(a + i..a + i + 1),
                    "{a}..{b} at {i}"
                );
            }
        }
        assert_eq!(m.slice(0..8), m);
    }

    #[test]
    fn shifted_moves_every_span() {
        let m = its().shifted(100);
        assert_eq!(m.span(0..4), Span::new(111, 116));
        assert_eq!(m.span(4..4), Span::new(116, 116));
    }

    /// One piece of a literal body: a plain character or an escape.
    #[derive(Clone, Debug)]
    enum Piece {
        Char(char),
        Escape(char),
    }

    fn piece() -> impl Strategy<Value = Piece> {
        prop_oneof![
            3 => any::<char>()
                .prop_filter("not a quote or backslash", |c| !matches!(c, '\'' | '\\'))
                .prop_map(Piece::Char),
            1 => prop_oneof![Just('\''), Just('\\')].prop_map(Piece::Escape),
        ]
    }

    /// A literal's source `'…'` at `at` inside some text, its decoded body and its map, built as
    /// a decoder would.
    fn literal(at: usize, pieces: &[Piece]) -> (String, String, SourceMap) {
        let mut src = String::from("'");
        let mut decoded = String::new();
        let mut map = SourceMap::new(at + 1);
        for p in pieces {
            let here = at + src.len();
            match *p {
                Piece::Char(c) => {
                    src.push(c);
                    decoded.push(c);
                    map.push_verbatim(c.len_utf8(), here);
                }
                Piece::Escape(c) => {
                    src.push('\\');
                    src.push(c);
                    decoded.push(c);
                    map.push_escape(1, Span::new(here, here + 2));
                }
            }
        }
        src.push('\'');
        (src, decoded, map)
    }

    proptest! {
        #[test]
        fn literals_map_into_their_source(
            at in 0usize..50,
            pieces in proptest::collection::vec(piece(), 0..40),
        ) {
            let (src, decoded, map) = literal(at, &pieces);
            prop_assert_eq!(map.len(), decoded.len());
            let body = Span::new(at + 1, at + src.len() - 1);
            let mut last = Span::new(body.start, body.start);
            for (i, c) in decoded.char_indices() {
                let s = map.span(i..i + c.len_utf8());
                // Inside the literal's body.
                prop_assert!(body.start <= s.start && s.end <= body.end, "{s:?} outside {body:?}");
                // Monotonic, and never overlapping the previous character.
                prop_assert!(last.end <= s.start, "{last:?} then {s:?}");
                // The source bytes decode to exactly this character.
                let text = &src[s.start - at..s.end - at];
                let shown = text.strip_prefix('\\').unwrap_or(text);
                prop_assert_eq!(shown, c.to_string());
                last = s;
            }
            prop_assert_eq!(map.source_span(), body);
            prop_assert_eq!(map.span(decoded.len()..decoded.len()), Span::new(body.end, body.end));
        }

        #[test]
        fn ranges_cover_their_characters(
            pieces in proptest::collection::vec(piece(), 1..30),
            a in 0usize..40,
            b in 0usize..40,
        ) {
            let (_, decoded, map) = literal(0, &pieces);
            let bounds: Vec<usize> = decoded.char_indices().map(|(i, _)| i).chain([decoded.len()]).collect();
            let (a, b) = (bounds[a % bounds.len()], bounds[b % bounds.len()]);
            let (a, b) = (a.min(b), a.max(b));
            let whole = map.span(a..b);
            // A range's span is exactly the union of its characters' spans.
            let mut union: Option<Span> = None;
            for (i, c) in decoded[a..b].char_indices() {
                let s = map.span(a + i..a + i + c.len_utf8());
                union = Some(union.map_or(s, |u| u.to(s)));
            }
            match union {
                Some(u) => prop_assert_eq!(whole, u),
                None => prop_assert!(whole.is_empty()),
            }
            // Joining two halves maps each half where it was.
            let mut left = map.clone();
            left.append(&map.clone().shifted(1000));
            prop_assert_eq!(left.span(0..map.len()), map.source_span());
            prop_assert_eq!(left.span(map.len() + a..map.len() + b), map.span(a..b).shift(1000));
        }
    }
}
