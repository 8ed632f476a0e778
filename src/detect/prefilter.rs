//! The keyword prefilter: one aho-corasick automaton over the keywords of every
//! detector, matched ASCII-case-insensitively in a single pass over the text.
//!
//! The pass is non-overlapping (leftmost-longest, a DFA: several times faster than an
//! overlapping search). So that a detector that asked for `pass` still hears about
//! `password`, each keyword's owners include the owners of every keyword it contains.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

pub struct Prefilter {
    ac: Option<AhoCorasick>,
    /// For each automaton pattern, the detectors that declared it.
    owners: Vec<Vec<usize>>,
    /// Detectors with no keywords: offered every text.
    always: Vec<usize>,
    detector_count: usize,
}

/// Hit offsets per detector for one text.
pub struct Hits {
    per_detector: Vec<Option<Vec<usize>>>,
}

impl Hits {
    pub fn for_detector(&self, i: usize) -> Option<&[usize]> {
        self.per_detector.get(i).and_then(|h| h.as_deref())
    }
}

impl Prefilter {
    pub fn new(keyword_sets: &[Vec<String>]) -> Prefilter {
        let mut patterns: Vec<String> = Vec::new();
        let mut owners: Vec<Vec<usize>> = Vec::new();
        let mut always = Vec::new();
        for (det, words) in keyword_sets.iter().enumerate() {
            if words.is_empty() {
                always.push(det);
            }
            for w in words {
                let w = w.to_ascii_lowercase();
                match patterns.iter().position(|p| *p == w) {
                    Some(i) => {
                        if !owners[i].contains(&det) {
                            owners[i].push(det)
                        }
                    }
                    None => {
                        patterns.push(w);
                        owners.push(vec![det]);
                    }
                }
            }
        }
        // Containment closure: a longer keyword reports for the shorter ones inside it.
        let direct = owners.clone();
        for (i, p) in patterns.iter().enumerate() {
            for (j, q) in patterns.iter().enumerate() {
                if i != j && p.contains(q.as_str()) {
                    for &d in &direct[j] {
                        if !owners[i].contains(&d) {
                            owners[i].push(d);
                        }
                    }
                }
            }
        }
        let ac = if patterns.is_empty() {
            None
        } else {
            Some(
                AhoCorasickBuilder::new()
                    .ascii_case_insensitive(true)
                    .match_kind(MatchKind::LeftmostLongest)
                    .kind(Some(AhoCorasickKind::DFA))
                    .build(&patterns)
                    .expect("keyword automaton builds from plain strings"),
            )
        };
        Prefilter {
            ac,
            owners,
            always,
            detector_count: keyword_sets.len(),
        }
    }

    /// Keyword occurrences, routed to every detector that asked for the keyword or
    /// for a keyword inside it.
    pub fn find(&self, text: &str) -> Hits {
        let mut per_detector: Vec<Option<Vec<usize>>> = vec![None; self.detector_count];
        for &d in &self.always {
            per_detector[d] = Some(Vec::new());
        }
        if let Some(ac) = &self.ac {
            for m in ac.find_iter(text) {
                for &d in &self.owners[m.pattern().as_usize()] {
                    let v = per_detector[d].get_or_insert_with(Vec::new);
                    if v.last() != Some(&m.start()) {
                        v.push(m.start());
                    }
                }
            }
        }
        for v in per_detector.iter_mut().flatten() {
            v.sort_unstable();
            v.dedup();
        }
        Hits { per_detector }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_hits_to_owners_case_insensitively() {
        let p = Prefilter::new(&[
            vec!["password".into()],
            vec!["pass".into(), "akia".into()],
            vec![],
        ]);
        let h = p.find("DB_PASSWORD=x\nkey AKIAxyz");
        assert_eq!(h.for_detector(0), Some(&[3][..]));
        assert_eq!(h.for_detector(1), Some(&[3, 18][..]));
        assert_eq!(h.for_detector(2), Some(&[][..]));
        let none = p.find("nothing here");
        assert_eq!(none.for_detector(0), None);
    }
}
