//! The keyword prefilter: one aho-corasick automaton over the keywords of every
//! detector, matched ASCII-case-insensitively in a single pass over the text.
//!
//! The pass is non-overlapping (leftmost-longest, a DFA: several times faster than an
//! overlapping search). So that a detector that asked for `pass` still hears about
//! `password`, each keyword's owners include the owners of every keyword it contains.
//!
//! The pass is the scan's largest single cost, and a DFA walk is one chain of
//! dependent table loads, about five cycles a byte whatever the processor could do
//! besides. So a long text is cut at line breaks into [`LANES`] parts that are walked
//! in lockstep, letting the processor overlap the chains (`Prefilter::keyword_matches`).

use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::dfa::DFA;
use aho_corasick::{Anchored, MatchKind};

/// Parts of a long text searched together. Two measured best on the benchmark tree
/// (search 1.7x faster than one part; three and four parts slower than two): every
/// keyword hit stops all parts for a moment, so more parts stop more often.
const LANES: usize = 2;
/// Texts shorter than this are searched in one part: splitting costs more than it saves.
const LANE_MIN_TEXT: usize = 16 * 1024;

pub struct Prefilter {
    dfa: Option<DFA>,
    /// No keyword holds a line break, so no match crosses one and a text may be
    /// split after any `\n`.
    splittable: bool,
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
        let dfa = if patterns.is_empty() {
            None
        } else {
            Some(
                DFA::builder()
                    .ascii_case_insensitive(true)
                    .match_kind(MatchKind::LeftmostLongest)
                    // No prefilter: start states stay ordinary, so the walk below
                    // only stops at matches and dead ends.
                    .prefilter(false)
                    .build(&patterns)
                    .expect("keyword automaton builds from plain strings"),
            )
        };
        Prefilter {
            splittable: !patterns.iter().any(|p| p.contains('\n')),
            dfa,
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
        if let Some(dfa) = &self.dfa {
            for (pattern, start) in self.keyword_matches(dfa, text.as_bytes()) {
                for &d in &self.owners[pattern] {
                    let v = per_detector[d].get_or_insert_with(Vec::new);
                    if v.last() != Some(&start) {
                        v.push(start);
                    }
                }
            }
        }
        // Matches do not overlap and come in text order, so each detector's offsets
        // are already sorted and distinct.
        debug_assert!(
            per_detector
                .iter()
                .flatten()
                .all(|v| v.windows(2).all(|w| w[0] < w[1]))
        );
        Hits { per_detector }
    }

    /// (pattern, start) of every leftmost-longest, non-overlapping keyword match, in
    /// order: what `find_iter` gives. A long text is split after line breaks into
    /// [`LANES`] parts walked in lockstep; since no match crosses a line break, each
    /// part's matches are exactly the whole text's matches inside it.
    fn keyword_matches(&self, dfa: &DFA, hay: &[u8]) -> Vec<(usize, usize)> {
        let start = dfa
            .start_state(Anchored::No)
            .expect("the DFA is built for unanchored search");
        let mut lanes: [Lane; LANES] = std::array::from_fn(|_| Lane::new(0, 0, start));
        let mut from = 0;
        if self.splittable && hay.len() >= LANE_MIN_TEXT {
            for (k, lane) in lanes.iter_mut().enumerate().take(LANES - 1) {
                let cut = (hay.len() * (k + 1) / LANES).max(from);
                let Some(nl) = memchr::memchr(b'\n', &hay[cut..]) else {
                    break;
                };
                *lane = Lane::new(from, cut + nl + 1, start);
                from = cut + nl + 1;
            }
        }
        // The rest of the text: the last lane, or the only one.
        lanes[LANES - 1] = Lane::new(from, hay.len(), start);

        // Lockstep while every lane has bytes left. The states and positions are
        // copied to locals so they stay in registers: through memory, each step
        // would wait on the last one's store and the chains would not overlap.
        let mut state: [StateID; LANES] = [start; LANES];
        let mut at: [usize; LANES] = std::array::from_fn(|i| lanes[i].at);
        let end: [usize; LANES] = std::array::from_fn(|i| lanes[i].end);
        'lockstep: loop {
            let steps = (0..LANES).map(|i| end[i] - at[i]).min().unwrap_or(0);
            if steps == 0 {
                break;
            }
            for _ in 0..steps {
                let mut special = false;
                for i in 0..LANES {
                    state[i] = dfa.next_state(Anchored::No, state[i], hay[at[i]]);
                    special |= dfa.is_special(state[i]);
                }
                if special {
                    // Rare (a keyword matched or ended): each lane on its own, then
                    // the step count is worked out again (a restart moves back).
                    for i in 0..LANES {
                        lanes[i].at = at[i];
                        lanes[i].state = state[i];
                        lanes[i].after_step(dfa, start);
                        at[i] = lanes[i].at;
                        state[i] = lanes[i].state;
                    }
                    continue 'lockstep;
                }
                for a in at.iter_mut() {
                    *a += 1;
                }
            }
        }
        let mut all = Vec::new();
        for (i, lane) in lanes.iter_mut().enumerate() {
            lane.at = at[i];
            lane.state = state[i];
            loop {
                while lane.at < lane.end {
                    lane.state = dfa.next_state(Anchored::No, lane.state, hay[lane.at]);
                    lane.after_step(dfa, start);
                }
                if !lane.finish(start) {
                    break;
                }
            }
            all.append(&mut lane.found);
        }
        all
    }
}

/// One part of a text being searched: the find loop of aho-corasick's leftmost
/// search (walk until the automaton dies, report the last match seen, restart at its
/// end), taken apart so several parts can advance together.
struct Lane {
    at: usize,
    end: usize,
    /// The state after reading the byte at `at`, once `after_step` has run.
    state: StateID,
    /// The longest match seen since the last restart: (pattern, start, end).
    pending: Option<(usize, usize, usize)>,
    found: Vec<(usize, usize)>,
}

impl Lane {
    fn new(at: usize, end: usize, start: StateID) -> Lane {
        Lane {
            at,
            end,
            state: start,
            pending: None,
            found: Vec::new(),
        }
    }

    /// Acts on the state just entered by reading the byte at `at`, and moves on.
    #[inline(always)]
    fn after_step(&mut self, dfa: &DFA, start: StateID) {
        if dfa.is_special(self.state) {
            if dfa.is_dead(self.state) {
                // A leftmost DFA dies only after a match it cannot extend.
                let (pattern, from, to) = self.pending.expect("dead only after a match");
                self.found.push((pattern, from));
                self.restart(to, start);
                return;
            }
            if dfa.is_match(self.state) {
                let pattern = dfa.match_pattern(self.state, 0);
                let to = self.at + 1;
                self.pending = Some((pattern.as_usize(), to - dfa.pattern_len(pattern), to));
            }
        }
        self.at += 1;
    }

    fn restart(&mut self, at: usize, start: StateID) {
        self.at = at;
        self.state = start;
        self.pending = None;
    }

    /// At the end of the part, the match still pending is reported and the search
    /// goes on from its end (the bytes after it were only read to try to extend it).
    /// False when nothing was pending: the part is done.
    fn finish(&mut self, start: StateID) -> bool {
        match self.pending {
            Some((pattern, from, to)) => {
                self.found.push((pattern, from));
                self.restart(to, start);
                true
            }
            None => false,
        }
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

    /// The lane search gives exactly aho-corasick's own leftmost-longest matches, on
    /// texts long enough to be split, with keywords that overlap, nest and sit at the
    /// cuts and at the very end.
    #[test]
    fn lanes_find_what_one_search_finds() {
        let keywords: Vec<String> = [
            "pass", "password", "pwd", "word", "sword", "key", "key=", "a b", "ab",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let p = Prefilter::new(std::slice::from_ref(&keywords));
        assert!(
            p.splittable,
            "no keyword holds a line break: long texts are split"
        );
        let reference = aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .build(&keywords)
            .unwrap();
        const PIECES: &[&str] = &[
            "pass", "PassWord", "wor", "d", "sword", "pw", "pwd", "key", "=", "a", " ", "b", "\n",
            "x", "\r\n", "PASSWO",
        ];
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        for round in 0..40 {
            let mut text = String::new();
            while text.len() < LANE_MIN_TEXT * (1 + round % 3) + round * 37 {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                text.push_str(PIECES[(state % PIECES.len() as u64) as usize]);
            }
            let want: Vec<(usize, usize)> = reference
                .find_iter(&text)
                .map(|m| (m.pattern().as_usize(), m.start()))
                .collect();
            let got = p.keyword_matches(p.dfa.as_ref().unwrap(), text.as_bytes());
            assert_eq!(got, want, "round {round}");
        }
    }
}
