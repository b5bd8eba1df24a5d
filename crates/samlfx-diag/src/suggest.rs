//! "Did you mean …?": the known names closest to an unknown one. Used by the checker (functions,
//! fields), the context reader (merge fields) and `explain` (codes, functions, fields).

/// The candidates close enough to `name` to be a likely typo or a shortened or extended name,
/// closest first (ties keep the candidates' order).
pub fn ranked<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let mut found: Vec<(usize, &str)> = candidates
        .into_iter()
        .filter_map(|c| {
            let d = distance(name, c);
            close_enough(name, c, d).then_some((d, c))
        })
        .collect();
    found.sort_by_key(|(d, _)| *d);
    found.into_iter().map(|(_, c)| c).collect()
}

/// The closest candidate, if any is close enough.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let d = distance(name, c);
        if close_enough(name, c, d) && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

/// A typo (distance ≤ 2, or ≤ a quarter of the length for long names) or an extended or
/// shortened name sharing a prefix of at least three characters (`LOWERCASE` for `LOWER`).
fn close_enough(name: &str, cand: &str, d: usize) -> bool {
    let n = name.chars().count().max(cand.chars().count());
    if d <= 2.max(n / 4) && d < n {
        return true;
    }
    let (short, long) = if name.len() < cand.len() {
        (name, cand)
    } else {
        (cand, name)
    };
    short.len() >= 3
        && long
            .get(..short.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(short))
}

/// Case-insensitive (ASCII) Levenshtein distance over characters.
pub fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(!ca.eq_ignore_ascii_case(cb));
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_and_prefixes_are_close_and_strangers_are_not() {
        assert_eq!(distance("abc", "ABD"), 1);
        assert_eq!(distance("é", "e"), 1);
        assert_eq!(closest("lefft", ["LEN", "LEFT", "LOWER"]), Some("LEFT"));
        assert_eq!(closest("LOWERCASE", ["LEN", "LOWER"]), Some("LOWER"));
        assert_eq!(closest("zzzzzz", ["LEN", "LOWER"]), None);
        assert_eq!(
            ranked("F10A", ["F104", "F101", "F301"]),
            ["F104", "F101", "F301"]
        );
        assert!(ranked("F10A", ["wrong-argument-type"]).is_empty());
    }
}
