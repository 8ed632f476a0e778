//! The terminal questionnaire: one item at a time (an applicability question, or a
//! practice for one zone class), guidance and the scan's evidence shown, single keys to
//! answer. Every answer is saved as it is given, so quitting at any point and running
//! `credence assess` again resumes at the first unanswered item.
//!
//! In a terminal, keys are read one at a time. Otherwise (a pipe, a test) each input
//! line is one key (its first character) or, after a prompt, the text asked for.

use anyhow::Result;
use console::{Key, Term};
use credence::assess::Answer;
use credence::assess::engine::{self, Item, QuestionStatus, State};
use credence::assess::evidence::{self, Evidence};
use credence::assess::template::Template;
use credence::store::Engagement;
use std::io::{BufRead, IsTerminal, Write};

/// Where keys and typed text come from.
trait Input {
    /// The next key, lower-cased; `None` at end of input.
    fn key(&mut self) -> Option<char>;
    /// A line of text after a prompt; `None` at end of input.
    fn line(&mut self, prompt: &str) -> Option<String>;
}

struct TermInput(Term);

impl Input for TermInput {
    fn key(&mut self) -> Option<char> {
        loop {
            match self.0.read_key().ok()? {
                Key::Char(c) => return Some(c.to_ascii_lowercase()),
                Key::Escape => return Some('q'),
                Key::ArrowLeft => return Some('b'),
                Key::ArrowRight => return Some('s'),
                _ => continue,
            }
        }
    }
    fn line(&mut self, prompt: &str) -> Option<String> {
        let _ = self.0.write_str(prompt);
        self.0.read_line().ok()
    }
}

struct LineInput<R: BufRead>(R);

impl<R: BufRead> LineInput<R> {
    fn next_line(&mut self) -> Option<String> {
        let mut s = String::new();
        match self.0.read_line(&mut s) {
            Ok(0) | Err(_) => None,
            Ok(_) => Some(s.trim_end_matches(['\r', '\n']).to_string()),
        }
    }
}

impl<R: BufRead> Input for LineInput<R> {
    fn key(&mut self) -> Option<char> {
        loop {
            let l = self.next_line()?;
            if let Some(c) = l.trim().chars().next() {
                return Some(c.to_ascii_lowercase());
            }
        }
    }
    fn line(&mut self, prompt: &str) -> Option<String> {
        print!("{prompt}");
        let l = self.next_line();
        println!();
        l
    }
}

pub fn print_progress(o: &mut impl Write, t: &Template, state: &State) -> Result<()> {
    let progress = state.progress(t);
    writeln!(
        o,
        "{} {} — round {} ({})",
        t.model.name, t.model.version, state.assessment.id, state.assessment.label
    )?;
    for d in &progress {
        let target = state
            .targets
            .get(&d.domain)
            .map(|l| format!("  target {l}"))
            .unwrap_or_default();
        writeln!(
            o,
            "  {:<12} {:>3}/{:<3} answered{target}",
            d.domain, d.answered, d.applicable
        )?;
    }
    let (a, n): (u32, u32) = progress
        .iter()
        .fold((0, 0), |(a, n), d| (a + d.answered, n + d.applicable));
    writeln!(o, "  {:<12} {a:>3}/{n:<3} answered", "total")?;
    Ok(())
}

fn answer_for(c: char) -> Option<Answer> {
    Some(match c {
        'f' => Answer::Fully,
        'l' => Answer::Largely,
        'p' => Answer::Partially,
        'n' => Answer::Not,
        'a' => Answer::NotApplicable,
        'u' => Answer::Unknown,
        _ => return None,
    })
}

fn show_practice(
    o: &mut impl Write,
    t: &Template,
    state: &State,
    ev: &Evidence,
    id: &str,
    zone: Option<&str>,
    pending: Option<&str>,
) -> Result<()> {
    let Some(p) = t.practice(id) else {
        return Ok(());
    };
    let domain = t.domain(&p.domain).map(|d| d.name.as_str()).unwrap_or("");
    let level = t
        .levels
        .iter()
        .find(|l| l.number == p.level)
        .map(|l| l.name.as_str())
        .unwrap_or("");
    let (done, total) = totals(t, state);
    let zone_part = zone.map(|z| format!(" · zone {z}")).unwrap_or_default();
    writeln!(o)?;
    writeln!(
        o,
        "── {} · {domain} · level {} ({level}){zone_part} ── [{done}/{total} answered]",
        p.id, p.level
    )?;
    writeln!(o, "{}", p.question)?;
    writeln!(o)?;
    writeln!(o, "Guidance: {}", p.guidance)?;
    writeln!(o, "Evidence to ask for: {}", p.evidence_examples.join("; "))?;
    let shown = ev.for_practice(p);
    if ev.scan.is_none() {
        writeln!(o, "Scan evidence: no scan in this engagement yet.")?;
    } else if !shown.is_empty() {
        writeln!(o, "Scan evidence (scan {}):", ev.scan.unwrap_or(0))?;
        for i in shown {
            let zones: Vec<String> = i.by_zone.iter().map(|(z, n)| format!("{z} {n}")).collect();
            let zones = if zones.is_empty() {
                String::new()
            } else {
                format!(" ({})", zones.join(", "))
            };
            writeln!(o, "  {:>4}  {}{zones}", i.count, i.label)?;
            for e in i.examples.iter().take(3) {
                writeln!(o, "          e.g. {e}")?;
            }
        }
    }
    let attached: Vec<&str> = state
        .evidence
        .iter()
        .filter(|e| e.practice_id == p.id && e.zone.as_deref() == zone)
        .map(|e| e.name.as_str())
        .collect();
    if !attached.is_empty() {
        writeln!(o, "Attached: {}", attached.join(", "))?;
    }
    if let Some(r) = state.answer_of(&p.id, zone) {
        let note = r
            .note
            .as_deref()
            .map(|n| format!(" — {n}"))
            .unwrap_or_default();
        writeln!(o, "Current answer: {}{note}", r.answer.label())?;
    }
    if let Some(n) = pending {
        writeln!(o, "Note to save with the answer: {n}")?;
    }
    writeln!(
        o,
        "[f] Fully  [l] Largely  [p] Partially  [n] Not  [a] N/A  [u] Unknown   [t] note  [e] attach evidence  [s] skip  [b] back  [q] quit"
    )?;
    Ok(())
}

fn totals(t: &Template, state: &State) -> (u32, u32) {
    state
        .progress(t)
        .iter()
        .fold((0, 0), |(a, n), d| (a + d.answered, n + d.applicable))
}

/// The index of the first unanswered item after `from` (wrapping), if any.
fn next_open(t: &Template, state: &State, items: &[Item], from: Option<usize>) -> Option<usize> {
    let start = from.map(|i| i + 1).unwrap_or(0);
    (start..items.len())
        .chain(0..start.min(items.len()))
        .find(|&i| !state.is_answered(t, &items[i]))
}

pub fn run(eng: &mut Engagement, t: &Template, state: &mut State) -> Result<i32> {
    let stdout = std::io::stdout();
    let interactive = std::io::stdin().is_terminal() && stdout.is_terminal();
    let mut input: Box<dyn Input> = if interactive {
        Box::new(TermInput(Term::stdout()))
    } else {
        Box::new(LineInput(std::io::stdin().lock()))
    };
    let ev = evidence::of_engagement(eng)?;
    {
        let mut o = stdout.lock();
        print_progress(&mut o, t, state)?;
    }
    let mut items = state.items(t);
    let mut cursor = next_open(t, state, &items, None);
    let mut pending_note: Option<String> = None;
    loop {
        let Some(at) = cursor else {
            println!();
            println!(
                "All items answered: {}.",
                super::assess::overall_line(eng, t, state)?
            );
            println!(
                "See the results with `credence maturity -e {}`.",
                eng.path().display()
            );
            return Ok(0);
        };
        let item = items[at].clone();
        if interactive {
            // One item on the screen at a time; a pipe keeps the whole transcript.
            let _ = Term::stdout().clear_screen();
        }
        {
            let mut o = stdout.lock();
            match &item {
                Item::Question { id } => {
                    let q = t.question(id).map(|q| q.text.as_str()).unwrap_or("");
                    let now = match state.question_status(t, id) {
                        QuestionStatus::Yes => " (answered yes)",
                        QuestionStatus::No => " (answered no)",
                        _ => "",
                    };
                    writeln!(o)?;
                    writeln!(o, "── Applicability: {id}{now} ──")?;
                    writeln!(o, "{q}")?;
                    writeln!(
                        o,
                        "[y] yes  [n] no (skips what depends on it)   [s] skip  [b] back  [q] quit"
                    )?;
                }
                Item::Practice { id, zone } => show_practice(
                    &mut o,
                    t,
                    state,
                    &ev,
                    id,
                    zone.as_deref(),
                    pending_note.as_deref(),
                )?,
            }
            o.flush()?;
        }
        let Some(key) = input.key() else {
            return quit(t, state);
        };
        let mut answered = false;
        match (&item, key) {
            (_, 'q') => return quit(t, state),
            (_, 's') => {
                pending_note = None;
                // The next open item; when this is the only one, simply the next item.
                let other = next_open(t, state, &items, Some(at)).filter(|&i| i != at);
                cursor = Some(other.unwrap_or((at + 1) % items.len()));
                continue;
            }
            (_, 'b') => {
                pending_note = None;
                cursor = Some(at.saturating_sub(1));
                continue;
            }
            (Item::Question { id }, 'y' | 'n') => {
                engine::set_applicability(eng, t, state, id, key == 'y')?;
                answered = true;
            }
            (Item::Practice { id, zone }, 't') => {
                let Some(note) = input.line("Note: ") else {
                    return quit(t, state);
                };
                match state.answer_of(id, zone.as_deref()).map(|r| r.answer) {
                    Some(a) => {
                        engine::record_answer(eng, t, state, id, zone.as_deref(), a, Some(&note))?
                    }
                    None => pending_note = Some(note),
                }
                continue;
            }
            (Item::Practice { id, zone }, 'e') => {
                let Some(path) = input.line("File to attach: ") else {
                    return quit(t, state);
                };
                let path = std::path::PathBuf::from(path.trim());
                match engine::attach_evidence(eng, t, state, id, zone.as_deref(), &path) {
                    Ok(e) => println!("Attached {} ({} bytes, {})", e.name, e.size, &e.hash[..12]),
                    Err(err) => println!("Not attached: {err:#}"),
                }
                continue;
            }
            (Item::Practice { id, zone }, c) => match answer_for(c) {
                Some(a) => {
                    let keep = state
                        .answer_of(id, zone.as_deref())
                        .and_then(|r| r.note.clone());
                    let note = pending_note.take().or(keep);
                    engine::record_answer(eng, t, state, id, zone.as_deref(), a, note.as_deref())?;
                    if let Some(p) = t.practice(id)
                        && let Some(c) = ev.contradiction(p, a, zone.as_deref())
                    {
                        println!("! The scan contradicts this answer: {c}");
                    }
                    answered = true;
                }
                None => println!("Key '{c}' does nothing here; use one of the keys listed."),
            },
            (Item::Question { .. }, c) => {
                println!("Key '{c}' does nothing here: [y] yes or [n] no.")
            }
        }
        if answered {
            // Answers can change what applies: recompute and continue after this item.
            let current = item.clone();
            items = state.items(t);
            let here = items.iter().position(|i| *i == current);
            cursor = next_open(
                t,
                state,
                &items,
                here.or(Some(at.min(items.len()).saturating_sub(1))),
            );
        }
    }
}

fn quit(t: &Template, state: &State) -> Result<i32> {
    let (done, total) = totals(t, state);
    println!();
    println!(
        "Saved: {done}/{total} answered. Run `credence assess` again to continue where you stopped."
    );
    Ok(0)
}
