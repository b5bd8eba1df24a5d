//! The byte scans the JSON reader spends its time in, done on 16 and 64 bytes at a time with
//! SIMD compares (the `wide` crate: safe SIMD on stable Rust, where our crates forbid `unsafe`)
//! instead of one byte at a time: where a string ends, where the whitespace stops, where a
//! nested object or array closes.
//!
//! An object's end is found the way a SIMD JSON parser finds structure: per 64-byte block, one
//! bit mask per interesting byte, the bytes inside strings from a prefix XOR of the quote mask,
//! then only the braces outside strings are walked. A block holding a backslash (rare in a user
//! export) is walked byte by byte, which keeps escapes exact.

use wide::u8x16;

fn load(bytes: &[u8]) -> u8x16 {
    let mut a = [0u8; 16];
    a.copy_from_slice(&bytes[..16]);
    u8x16::new(a)
}

fn bits(v: u8x16) -> u32 {
    v.to_bitmask()
}

/// The offset of the first byte of `s` that ends a JSON string's plain run: the quote, the
/// backslash or a control character (which JSON refuses in a string); `None` when there is none.
pub fn string_stop(s: &[u8]) -> Option<usize> {
    let (quote, backslash, space) = (u8x16::splat(b'"'), u8x16::splat(b'\\'), u8x16::splat(0x1f));
    let mut i = 0;
    while i + 16 <= s.len() {
        let v = load(&s[i..]);
        // `v <= 0x1f` as `min(v, 0x1f) == v`: SSE2 has no unsigned compare.
        let m = bits(v.simd_eq(quote) | v.simd_eq(backslash) | v.min(space).simd_eq(v));
        if m != 0 {
            return Some(i + m.trailing_zeros() as usize);
        }
        i += 16;
    }
    s[i..]
        .iter()
        .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
        .map(|k| i + k)
}

/// The offset of the first byte of `s` that is not JSON whitespace (`s.len()` when all are).
pub fn skip_ws(s: &[u8]) -> usize {
    let mut i = 0;
    // Most runs are short (a space after a colon): look at the first byte before loading 16.
    if s.first().is_none_or(|&b| !is_ws(b)) {
        return 0;
    }
    let (sp, nl, cr, tab) = (
        u8x16::splat(b' '),
        u8x16::splat(b'\n'),
        u8x16::splat(b'\r'),
        u8x16::splat(b'\t'),
    );
    while i + 16 <= s.len() {
        let v = load(&s[i..]);
        let ws = bits(v.simd_eq(sp) | v.simd_eq(nl) | v.simd_eq(cr) | v.simd_eq(tab));
        if ws != 0xffff {
            return i + (!ws).trailing_zeros() as usize;
        }
        i += 16;
    }
    i + s[i..]
        .iter()
        .position(|&b| !is_ws(b))
        .unwrap_or(s.len() - i)
}

fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\n' | b'\r' | b'\t')
}

/// Where the object (or array) opening at `s[0]` closes, as [`Closer`] finds it, 16 bytes at
/// a time: for the small nested records (`attributes`, `Profile`) a User record holds, where
/// [`Closer`]'s 64-byte blocks would mostly look past the end. `None` when `s` ends first.
pub fn close_small(s: &[u8], max_depth: u32) -> Result<Option<usize>, TooDeep> {
    let open = s.first().copied().unwrap_or(b'{');
    let mut closer = Closer::new(open, max_depth);
    let needles = [b'"', b'\\', open, closer.close].map(u8x16::splat);
    let mut i = 0;
    while i + 16 <= s.len() {
        let v = load(&s[i..]);
        let [quote, backslash, opens, closes] = needles.map(|n| bits(v.simd_eq(n)));
        if backslash != 0 || closer.escape {
            if let Some(at) = closer.bytes(&s[i..i + 16], i)? {
                return Ok(Some(at));
            }
            i += 16;
            continue;
        }
        let (quote, opens, closes) = (u64::from(quote), u64::from(opens), u64::from(closes));
        if let Some(p) = closer.block(quote, opens, closes, i)? {
            return Ok(Some(i + p + 1));
        }
        i += 16;
    }
    closer.bytes(&s[i..], i)
}

/// Each byte of a 64-byte block as a bit: quotes, backslashes, openers, closers and newlines.
struct Masks {
    quote: u64,
    backslash: u64,
    open: u64,
    close: u64,
    newline: u64,
}

fn masks(block: &[u8], open: u8, close: u8) -> Masks {
    let needles = [b'"', b'\\', open, close, b'\n'].map(u8x16::splat);
    let mut out = [0u64; 5];
    for k in 0..4 {
        let v = load(&block[k * 16..]);
        for (o, n) in out.iter_mut().zip(needles) {
            *o |= u64::from(bits(v.simd_eq(n))) << (16 * k);
        }
    }
    let [quote, backslash, open, close, newline] = out;
    Masks {
        quote,
        backslash,
        open,
        close,
        newline,
    }
}

/// Bit i set when an odd number of bits `0..=i` of `x` are: with `x` the quotes of a block
/// without escapes, the bytes from an opening quote up to (not including) its closing one.
fn prefix_xor(mut x: u64) -> u64 {
    x ^= x << 1;
    x ^= x << 2;
    x ^= x << 4;
    x ^= x << 8;
    x ^= x << 16;
    x ^= x << 32;
    x
}

/// The nesting was deeper than allowed at this offset of the bytes fed.
#[derive(Debug, PartialEq, Eq)]
pub struct TooDeep(pub usize);

/// Finds where an object (or array) closes, fed its text in pieces from its opening byte on.
/// Only its own pair of brackets is counted (outside strings): in valid JSON the pairs nest, so
/// that finds the end; invalid JSON is caught when the text is parsed.
#[derive(Debug)]
pub struct Closer {
    open: u8,
    close: u8,
    depth: u32,
    /// The deepest nesting followed before giving up.
    max_depth: u32,
    in_str: bool,
    /// The previous piece ended on a backslash inside a string: skip the next byte.
    escape: bool,
    /// Newlines in the bytes consumed so far (a JSON string cannot hold a raw one).
    newlines: u64,
}

impl Closer {
    /// A closer for `{…}` when `open` is `{`, for `[…]` otherwise, that follows at most
    /// `max_depth` levels of nesting.
    pub fn new(open: u8, max_depth: u32) -> Closer {
        Closer {
            open,
            close: if open == b'{' { b'}' } else { b']' },
            depth: 0,
            max_depth,
            in_str: false,
            escape: false,
            newlines: 0,
        }
    }

    /// The newlines among the bytes fed up to the closing byte (or all of them, before it).
    pub fn newlines(&self) -> u64 {
        self.newlines
    }

    /// Feeds the next piece: the offset just past the closing byte when it is in `s`, `None`
    /// when more is needed (all of `s` consumed).
    pub fn feed(&mut self, s: &[u8]) -> Result<Option<usize>, TooDeep> {
        let mut i = 0;
        while i < s.len() {
            if self.escape || s.len() - i < 64 {
                // A byte at a time: after a split escape, and for the last bytes of a piece.
                let end = (i + 64).min(s.len());
                if let Some(at) = self.bytes(&s[i..end], i)? {
                    return Ok(Some(at));
                }
                i = end;
                continue;
            }
            let block = &s[i..i + 64];
            let m = masks(block, self.open, self.close);
            if m.backslash != 0 {
                if let Some(at) = self.bytes(block, i)? {
                    return Ok(Some(at));
                }
                i += 64;
                continue;
            }
            if let Some(p) = self.block(m.quote, m.open, m.close, i)? {
                // Bits 0..=p: the bytes up to the closing one.
                let upto = u64::MAX >> (63 - p);
                self.newlines += u64::from((m.newline & upto).count_ones());
                return Ok(Some(i + p + 1));
            }
            self.newlines += u64::from(m.newline.count_ones());
            i += 64;
        }
        Ok(None)
    }

    /// One block without a backslash, as masks of its quotes, openers and closers (bit i for
    /// the block's byte i, which is byte `base + i` of the piece): the bytes inside strings
    /// come from a prefix XOR of the quotes, and only the brackets outside them are walked.
    /// `Some(i)` when byte i closes the value.
    fn block(
        &mut self,
        quote: u64,
        opens: u64,
        closes: u64,
        base: usize,
    ) -> Result<Option<usize>, TooDeep> {
        let inside = prefix_xor(quote) ^ if self.in_str { u64::MAX } else { 0 };
        let mut brackets = (opens | closes) & !inside;
        while brackets != 0 {
            let p = brackets.trailing_zeros() as usize;
            brackets &= brackets - 1;
            if opens >> p & 1 == 1 {
                self.depth += 1;
                if self.depth > self.max_depth {
                    return Err(TooDeep(base + p));
                }
            } else {
                self.depth = self.depth.saturating_sub(1);
                if self.depth == 0 {
                    return Ok(Some(p));
                }
            }
        }
        self.in_str ^= quote.count_ones() % 2 == 1;
        Ok(None)
    }

    /// The byte-at-a-time walk of `s`, which starts at offset `base` of the piece.
    fn bytes(&mut self, s: &[u8], base: usize) -> Result<Option<usize>, TooDeep> {
        for (k, &b) in s.iter().enumerate() {
            self.newlines += u64::from(b == b'\n');
            if self.escape {
                self.escape = false;
                continue;
            }
            if self.in_str {
                match b {
                    b'"' => self.in_str = false,
                    b'\\' => self.escape = true,
                    _ => {}
                }
            } else if b == b'"' {
                self.in_str = true;
            } else if b == self.open {
                self.depth += 1;
                if self.depth > self.max_depth {
                    return Err(TooDeep(base + k));
                }
            } else if b == self.close {
                self.depth = self.depth.saturating_sub(1);
                if self.depth == 0 {
                    return Ok(Some(base + k + 1));
                }
            }
        }
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The plain walk every fast path must agree with.
    fn close_slowly(open: u8, s: &[u8]) -> Result<Option<usize>, TooDeep> {
        Closer::new(open, 128).bytes(s, 0)
    }

    /// JSON-ish text rich in the bytes that matter.
    fn jsonish() -> impl Strategy<Value = Vec<u8>> {
        prop::collection::vec(prop::sample::select(b"{}[]\"\\ a\n:,".to_vec()), 0..400)
    }

    proptest! {
        #[test]
        fn closer_agrees_with_the_plain_walk(mut s in jsonish(), cut in 0usize..400, brace: bool) {
            let open = if brace { b'{' } else { b'[' };
            s.insert(0, open);
            let expected = close_slowly(open, &s);
            // Whole, 16 bytes at a time, and split in two pieces at any point.
            prop_assert_eq!(Closer::new(open, 128).feed(&s), close_slowly(open, &s));
            prop_assert_eq!(close_small(&s, 128), close_slowly(open, &s));
            let cut = cut.min(s.len());
            let mut c = Closer::new(open, 128);
            let got = match c.feed(&s[..cut]) {
                Ok(None) => c.feed(&s[cut..]).map(|r| r.map(|at| at + cut)),
                Err(TooDeep(at)) => Err(TooDeep(at)),
                found => found,
            };
            prop_assert_eq!(&got, &expected);
            // The newlines counted are those of the bytes consumed.
            let mut c = Closer::new(open, 128);
            if let Ok(found) = c.feed(&s) {
                let upto = found.unwrap_or(s.len());
                prop_assert_eq!(c.newlines(), s[..upto].iter().filter(|&&b| b == b'\n').count() as u64);
            }
        }

        #[test]
        fn string_stop_and_skip_ws_agree_with_a_plain_search(s in prop::collection::vec(any::<u8>(), 0..100), ws in prop::collection::vec(prop::sample::select(b" \n\r\ta".to_vec()), 0..100)) {
            prop_assert_eq!(string_stop(&s), s.iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20));
            prop_assert_eq!(skip_ws(&ws), ws.iter().position(|&b| !is_ws(b)).unwrap_or(ws.len()));
        }
    }

    #[test]
    fn an_object_with_strings_braces_and_escapes() {
        let text = br#"{"a": "}{", "b": {"c": "\"}"}, "d": [1, {"e": "\\"}]} tail"#;
        let end = text.iter().rposition(|&b| b == b'}').unwrap() + 1;
        assert_eq!(Closer::new(b'{', 128).feed(text), Ok(Some(end)));
        let long = [&b"{\"pad\": \""[..], &[b'x'; 200], &b"\"}"[..]].concat();
        assert_eq!(Closer::new(b'{', 128).feed(&long), Ok(Some(long.len())));
        let deep = vec![b'['; 200];
        assert_eq!(Closer::new(b'[', 128).feed(&deep), Err(TooDeep(128)));
    }
}
