//! Key/value forms that span more than one assignment: keys ending in `key` with
//! random values, `- key: password` / `value: x` lists, and secret keys whose value
//! is a block below them (YAML lists, CloudFormation `Default:`).

use super::patterns::{block_item, block_opener, key_suffix_assignment, named_key, named_value};
use super::words::NOT_A_SECRET_KEY_SUFFIX;
use super::{
    KeyValueDetector, acceptable_value, classify_key, contains_ignore_case, looks_like_literal,
    looks_random, unquote,
};
use crate::detect::filters::is_not_a_secret;
use crate::detect::{RawFinding, TextInput};
use crate::finding::{Category, Confidence};
use crate::ingest::TextHint;

impl KeyValueDetector {
    /// Keys ending in "key" with a random-looking value.
    pub(super) fn scan_key_suffix(
        &self,
        input: &TextInput<'_>,
        line: &str,
        base: usize,
        out: &mut Vec<RawFinding>,
    ) {
        let re = key_suffix_assignment();
        if !re.is_match(line) {
            return;
        }
        for c in re.captures_iter(line) {
            let key = c.name("key").expect("group").as_str().to_ascii_lowercase();
            if NOT_A_SECRET_KEY_SUFFIX.iter().any(|w| key.contains(w)) {
                continue;
            }
            let vm = c.name("value").expect("group");
            let (value, quoted) = unquote(vm.as_str());
            if !looks_random(value)
                || is_not_a_secret(value)
                || (input.hint == TextHint::Code && !quoted)
            {
                continue;
            }
            let start = base + vm.start() + quoted as usize;
            self.push(
                input,
                start..start + value.len(),
                value,
                (
                    Category::ApiKey,
                    "generic.key_assignment",
                    "Key in a configuration value",
                ),
                Confidence::Low,
                out,
            );
        }
    }

    /// A secret key whose value is a block below it: a YAML list or JSON array of
    /// values (`passwords:` then `- "x"`), or a CloudFormation-style parameter
    /// (`DbPassword:` then `Default: x`, or JSON's `"DbPassword": {` then
    /// `"Default": "x"`).
    pub(super) fn scan_block(
        &self,
        input: &TextInput<'_>,
        line_no: usize,
        out: &mut Vec<RawFinding>,
    ) {
        let lr = input.lines.line_range(input.text, line_no);
        let line = &input.text[lr];
        let opens_block = line.trim_end().ends_with([':', '[', '{']);
        if line.len() > 512 || !opens_block || !block_opener().is_match(line) {
            return;
        }
        let Some(c) = block_opener().captures(line) else {
            return;
        };
        let Some(cls) = classify_key(c.name("key").expect("group").as_str()) else {
            return;
        };
        let indent = line.len() - line.trim_start().len();
        let last = (line_no + 8).min(input.lines.line_count() - 1);
        for n in line_no + 1..=last {
            let r = input.lines.line_range(input.text, n);
            let l = &input.text[r.clone()];
            let l_indent = l.len() - l.trim_start().len();
            let t = l.trim();
            if t.is_empty()
                || t.starts_with([']', '}'])
                || (l_indent <= indent && !t.starts_with('-'))
            {
                break;
            }
            // A list of mappings (`- key: pro_email`) is a table, read by scan_named.
            if let Some(item) = t.strip_prefix("- ")
                && item.split_once(':').is_some_and(|(k, _)| {
                    !k.trim().is_empty()
                        && k.trim()
                            .chars()
                            .all(|ch| ch.is_alphanumeric() || matches!(ch, '_' | '.' | '-'))
                })
            {
                break;
            }
            let Some(vc) = block_item().captures(l) else {
                continue;
            };
            let vm = vc.name("value").expect("group");
            let (value, quoted) = unquote(vm.as_str());
            if acceptable_value(value, cls.0, false)
                && (quoted || looks_like_literal(value, input.hint))
            {
                let start = r.start + vm.start() + quoted as usize;
                self.push(
                    input,
                    start..start + value.len(),
                    value,
                    cls,
                    Confidence::Medium,
                    out,
                );
            }
        }
    }

    /// `- key: password` then `value: x` within the next lines.
    pub(super) fn scan_named(
        &self,
        input: &TextInput<'_>,
        line_no: usize,
        out: &mut Vec<RawFinding>,
    ) {
        let lr = input.lines.line_range(input.text, line_no);
        let line = &input.text[lr.clone()];
        let names_a_key = contains_ignore_case(line, "key") || contains_ignore_case(line, "name");
        if line.len() > 4096 || !names_a_key || !named_key().is_match(line) {
            return;
        }
        let Some(c) = named_key().captures(line) else {
            return;
        };
        let Some(cls) = classify_key(c.name("key").expect("group").as_str()) else {
            return;
        };
        let last = (line_no + 3).min(input.lines.line_count() - 1);
        for n in line_no..=last {
            let r = input.lines.line_range(input.text, n);
            let l = &input.text[r.clone()];
            let from = if n == line_no {
                c.get(0).expect("match").end()
            } else {
                0
            };
            if let Some(vc) = named_value().captures(&l[from..]) {
                let vm = vc.name("value").expect("group");
                let (value, quoted) = unquote(vm.as_str());
                if acceptable_value(value, cls.0, false) {
                    let start = r.start + from + vm.start() + quoted as usize;
                    self.push(
                        input,
                        start..start + value.len(),
                        value,
                        cls,
                        Confidence::Medium,
                        out,
                    );
                }
                return;
            }
        }
    }
}
