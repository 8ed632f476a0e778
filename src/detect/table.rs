//! Tables (sheets, CSV, document tables) read as a person reads them: header rows give
//! columns their roles (password, username, system, URL, notes), and a credential row
//! becomes one finding carrying (system, username, password) from the same row.
//! Owned by the spreadsheet work (issue 3); see ARCHITECTURE.md. Submodules: `words`
//! (header vocabulary, [`column_role`]) and `records` (label/value records).
//!
//! How a grid is read:
//! - A **header row** is a row with a password-like or notes column and at least two
//!   cells whose words give them a role ([`column_role`]): titles above it, blank rows
//!   and free text before it are not headers. Header words are recognised in English,
//!   German, French, Spanish, Portuguese, Dutch, Swedish and Polish, with or without
//!   diacritics.
//! - A header written on two rows (a group row such as `Device | Access` above
//!   ` | User | Password`) takes the upper word where the lower cell is empty.
//! - A table runs from its header to the next header (usually after a blank row), so
//!   one sheet can hold several tables with different column orders.
//! - In a data row, every non-empty cell of a secret column is one finding at its own
//!   cell, paired with the row's first username cell and its best system cell (system
//!   or device, then host/IP, then URL, then a name or description). Placeholders,
//!   masks, "see vault", yes/no answers and dates are not secrets. Notes cells, and
//!   free text outside any table, go through the prose detectors.
//! - Outside a table, a record written down a column of labels (`System: | PLC-01`,
//!   `User: | op`, `Password: | x`) gives the secret right of its label, paired with
//!   the user and system labelled in the same block of rows.
//! - Columns whose header is a question or speaks of a change, a date, a policy, a
//!   checksum or firmware ("Password changed?", "Firmware SHA-256") have no role.

mod records;
mod words;

pub use words::column_role;

use super::{RawFinding, filters};
use crate::finding::{Category, Confidence, Flag, a1};
use crate::ingest::{Origin, Table, TableAddressing};
use crate::secret::{Secret, mask_into};
use std::collections::HashSet;
use words::is_answer;

/// What a column holds, from its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A secret of the given category (password, PIN, community, PSK, API key).
    Secret(Category),
    /// A password hash ("Password hash", "NTLM hash").
    Hash,
    User,
    /// A system name; the number ranks columns (0: system/device, 1: host name, 2: IP
    /// address, 3: URL, 4: a name or description).
    System(u8),
    Notes,
}

/// A header row's roles, or `None` when the row is not a header.
fn header_roles(row: &[Option<String>]) -> Option<Vec<Option<Role>>> {
    let mut roles = Vec::with_capacity(row.len());
    let (mut n_roles, mut key) = (0, false);
    for cell in row {
        let role = cell.as_deref().and_then(|c| {
            // Quick reject before folding: header cells are short words.
            let c = c.trim();
            if c.is_empty() || c.len() > 80 || c.starts_with(|ch: char| ch.is_ascii_digit()) {
                None
            } else {
                column_role(c)
            }
        });
        if let Some(r) = role {
            n_roles += 1;
            key |= matches!(r, Role::Secret(_) | Role::Hash | Role::Notes);
        }
        roles.push(role);
    }
    // A row of values (addresses, passwords, paths) is not a header even where a
    // value happens to read like a header word.
    let filled = row
        .iter()
        .filter(|c| c.as_deref().is_some_and(|v| !v.trim().is_empty()));
    let (n_filled, n_values) = filled.fold((0, 0), |(n, v), c| {
        (
            n + 1,
            v + usize::from(!could_be_header(c.as_deref().unwrap_or("").trim())),
        )
    });
    let valueish = n_values * 3 > n_filled;
    // A header names different things (a secret and whose it is). A data row that
    // happens to hold header words holds them as values, often twice (`indian pass,
    // Indian Pass` in a gazetteer): two role cells with the same text, or roles of only
    // one kind, are not a header.
    let mut kinds: Vec<std::mem::Discriminant<Role>> = Vec::new();
    for d in roles.iter().flatten().map(std::mem::discriminant) {
        if !kinds.contains(&d) {
            kinds.push(d);
        }
    }
    let mut texts: Vec<String> = (0..row.len())
        .filter(|&j| roles[j].is_some())
        .filter_map(|j| cell_text(row, j).map(|t| t.to_lowercase()))
        .collect();
    let n_texts = texts.len();
    texts.sort();
    texts.dedup();
    let repeated = texts.len() < n_texts;
    (key && n_roles >= 2
        && kinds.len() >= 2
        && !repeated
        && !valueish
        && !is_label_value_row(row, &roles))
    .then_some(roles)
}

/// A header written on two rows (`System | Access` above ` | User | Password`): an
/// empty header cell takes its role from the cell above, when that row is a header
/// fragment (short words, none a value).
fn fill_from_group_header(rows: &[Vec<Option<String>>], i: usize, roles: &mut Vec<Option<Role>>) {
    let Some(above) = i.checked_sub(1).map(|a| &rows[a]) else {
        return;
    };
    if is_blank(above)
        || (0..above.len()).any(|j| cell_text(above, j).is_some_and(|v| !could_be_header(v)))
    {
        return;
    }
    let header = &rows[i];
    for (j, role) in roles.iter_mut().enumerate() {
        if role.is_none() && cell_text(header, j).is_none() {
            *role = cell_text(above, j)
                .and_then(column_role)
                .filter(|r| !matches!(r, Role::Notes));
        }
    }
    let width = above.len().max(header.len());
    for j in roles.len()..width {
        roles.push(if cell_text(header, j).is_none() {
            cell_text(above, j).and_then(column_role)
        } else {
            None
        });
    }
}

/// `User: | admin | Password: | x`: every label (a role word ending in `:`) is followed
/// by its value (not itself a label). Such a row is a record, not a header.
fn is_label_value_row(row: &[Option<String>], roles: &[Option<Role>]) -> bool {
    let filled: Vec<usize> = (0..row.len())
        .filter(|&j| cell_text(row, j).is_some())
        .collect();
    if filled.len() < 2 || filled.len() % 2 == 1 {
        return false;
    }
    filled.chunks(2).all(|pair| {
        let label = cell_text(row, pair[0]).unwrap_or("");
        let value = cell_text(row, pair[1]).unwrap_or("");
        roles[pair[0]].is_some()
            && label.ends_with(':')
            && !value.ends_with(':')
            && !matches!(roles[pair[1]], Some(Role::Secret(_)))
    })
}

struct Layout {
    roles: Vec<Option<Role>>,
    headers: Vec<String>,
    user: Option<usize>,
    /// System columns, best first.
    systems: Vec<usize>,
    /// Each column's finding detail (where the secret was read), written once: a
    /// credential sheet repeats it on every row.
    details: Vec<String>,
}

impl Layout {
    fn new(table: &Table, header_row: usize, roles: Vec<Option<Role>>) -> Layout {
        let headers: Vec<String> = table.rows[header_row]
            .iter()
            .map(|c| c.as_deref().unwrap_or("").trim().to_string())
            .collect();
        let user = roles.iter().position(|r| *r == Some(Role::User));
        let mut systems: Vec<(u8, usize)> = roles
            .iter()
            .enumerate()
            .filter_map(|(j, r)| match r {
                Some(Role::System(p)) => Some((*p, j)),
                _ => None,
            })
            .collect();
        systems.sort();
        let details = headers
            .iter()
            .map(|h: &String| {
                format!(
                    "column \"{}\" (header row {})",
                    short(h),
                    table.row_offset + header_row as u32 + 1
                )
            })
            .collect();
        Layout {
            roles,
            headers,
            user,
            systems: systems.into_iter().map(|(_, j)| j).collect(),
            details,
        }
    }
}

fn cell_text(row: &[Option<String>], j: usize) -> Option<&str> {
    row.get(j)
        .and_then(|c| c.as_deref())
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

fn is_blank(row: &[Option<String>]) -> bool {
    row.iter()
        .all(|c| c.as_deref().is_none_or(|s| s.trim().is_empty()))
}

/// Cheap test before [`column_role`]: header words are short and hold no digits
/// (most passwords do), so most data cells never reach the word lists.
fn could_be_header(v: &str) -> bool {
    v.len() <= 40 && !v.bytes().any(|b| b.is_ascii_digit())
}

/// Free text worth offering to the prose detectors (not a bare number or word).
fn is_free_text(s: &str) -> bool {
    s.len() >= 8 && s.contains([' ', ':', '=']) && s.chars().any(char::is_alphabetic)
}

pub struct TableDetector {}

impl Default for TableDetector {
    fn default() -> Self {
        Self::new()
    }
}

/// Where one cell is, in the table's addressing.
struct At<'t> {
    table: &'t Table,
    hidden_rows: &'t HashSet<u32>,
    hidden_cols: &'t HashSet<u32>,
}

impl At<'_> {
    fn place(&self, raw: &mut RawFinding, i: usize, j: usize, column_name: Option<&str>) {
        let (r, c) = (
            self.table.row_offset + i as u32,
            self.table.col_offset + j as u32,
        );
        match self.table.addressing {
            TableAddressing::A1 => raw.cell = Some(a1(r, c)),
            TableAddressing::LineAndColumnName => {
                raw.line = Some(r + 1);
                raw.label = column_name.filter(|n| !n.is_empty()).map(str::to_string);
            }
        }
        if self.hidden_rows.contains(&r) || self.hidden_cols.contains(&c) {
            raw.flags.push(Flag::Hidden);
        }
    }

    fn row_name(&self, i: usize) -> String {
        let mut name = String::new();
        self.push_row_name(&mut name, i);
        name
    }

    fn push_row_name(&self, out: &mut String, i: usize) {
        use std::fmt::Write;
        let r = self.table.row_offset + i as u32 + 1;
        let word = match self.table.addressing {
            TableAddressing::A1 => "row",
            TableAddressing::LineAndColumnName => "line",
        };
        let _ = write!(out, "{word} {r}");
    }
}

impl TableDetector {
    pub fn new() -> Self {
        TableDetector {}
    }

    /// Findings for one table. `prose` runs the text detectors over free text (notes
    /// cells and text outside tables, gathered a line a cell); its findings' spans are
    /// relative to the text it is given.
    pub fn detect(
        &self,
        table: &Table,
        _origin: &Origin,
        prose: &dyn Fn(&str) -> Vec<RawFinding>,
    ) -> Vec<RawFinding> {
        let hidden_rows: HashSet<u32> = table.hidden_rows.iter().copied().collect();
        let hidden_cols: HashSet<u32> = table.hidden_cols.iter().copied().collect();
        let at = At {
            table,
            hidden_rows: &hidden_rows,
            hidden_cols: &hidden_cols,
        };
        let mut out = Vec::new();
        let mut batch = ProseBatch::default();
        let mut layout: Option<Layout> = None;
        let mut after_blank = true;
        for (i, row) in table.rows.iter().enumerate() {
            if is_blank(row) {
                after_blank = true;
                continue;
            }
            // Outside a table every row may be a header; inside one, a new header comes
            // after a blank row or repeats a header word where the secret was.
            let recheck = match &layout {
                None => true,
                Some(l) => {
                    after_blank
                        || l.roles.iter().enumerate().any(|(j, r)| {
                            matches!(r, Some(Role::Secret(_)))
                                && cell_text(row, j)
                                    .filter(|v| could_be_header(v))
                                    .and_then(column_role)
                                    .is_some()
                        })
                }
            };
            after_blank = false;
            if recheck && let Some(mut roles) = header_roles(row) {
                fill_from_group_header(&table.rows, i, &mut roles);
                layout = Some(Layout::new(table, i, roles));
                continue;
            }
            match &layout {
                Some(l) => self.data_row(&at, l, i, row, &mut batch, &mut out),
                None => {
                    let labelled = records::label_value(&at, i, &mut out);
                    for (j, cell) in row.iter().enumerate() {
                        if labelled.contains(&j) {
                            continue;
                        }
                        if let Some(text) = cell.as_deref().filter(|t| is_free_text(t)) {
                            batch.add(None, i, j, text, None, None);
                        }
                    }
                }
            }
            if batch.bytes >= PROSE_BATCH_BYTES {
                batch.flush(&at, prose, &mut out);
            }
        }
        batch.flush(&at, prose, &mut out);
        out
    }

    fn data_row<'t>(
        &self,
        at: &At<'_>,
        l: &Layout,
        i: usize,
        row: &'t [Option<String>],
        batch: &mut ProseBatch<'t>,
        out: &mut Vec<RawFinding>,
    ) {
        // Borrowed until a finding needs them: most rows of a big sheet have none.
        let user = l.user.and_then(|j| cell_text(row, j));
        let system = l.systems.iter().find_map(|&j| cell_text(row, j));
        for (j, role) in l.roles.iter().enumerate() {
            let Some(value) = cell_text(row, j) else {
                continue;
            };
            let (category, hashed) = match role {
                Some(Role::Secret(c)) => (*c, false),
                Some(Role::Hash) => (Category::Hash, true),
                Some(Role::Notes) => {
                    let name = l.headers.get(j).map(String::as_str);
                    batch.add(name, i, j, value, user, system);
                    continue;
                }
                _ => continue,
            };
            let chars = value.chars().count();
            if !(2..=200).contains(&chars) || filters::is_not_a_secret(value) || is_answer(value) {
                continue;
            }
            // A sentence in a password column ("ask Jan, pw is in the safe"): prose.
            if value.split_whitespace().count() > 3 {
                let name = l.headers.get(j).map(String::as_str);
                batch.add(name, i, j, value, user, system);
                continue;
            }
            let (id, name) = if hashed {
                ("table.hash", "Password hash in a credential table")
            } else {
                ("table.secret", "Secret in a credential table")
            };
            let confidence = if user.is_some() || system.is_some() {
                Confidence::High
            } else {
                Confidence::Medium
            };
            let mut raw = RawFinding::new(id, name, category, confidence, Secret::new(value))
                .with_user(user.map(str::to_string))
                .with_system(system.map(str::to_string))
                .specificity(80);
            if hashed {
                raw = raw.flag(Flag::Hashed);
            }
            at.place(&mut raw, i, j, l.headers.get(j).map(String::as_str));
            // One buffer for the context line: a credential sheet builds 100,000.
            let mut ctx = String::with_capacity(64);
            at.push_row_name(&mut ctx, i);
            ctx.push(':');
            if let Some(s) = system {
                ctx.push_str(" system=");
                push_short(&mut ctx, s);
            }
            if let Some(u) = user {
                ctx.push_str(" user=");
                push_short(&mut ctx, u);
            }
            ctx.push(' ');
            ctx.push_str(category.as_str());
            ctx.push('=');
            mask_into(&mut ctx, value);
            raw.context = Some(ctx);
            raw.detail = l.details.get(j).cloned();
            out.push(raw);
        }
    }
}

/// One cell offered to the prose detectors.
struct ProseCell<'t> {
    i: usize,
    j: usize,
    text: &'t str,
    user: Option<&'t str>,
    system: Option<&'t str>,
    column_name: Option<String>,
}

/// Free-text cells gathered and offered to the prose detectors in one text (a line a
/// cell), so a big sheet costs one prefilter pass per batch, not one per cell; each
/// finding is placed back at its own cell.
#[derive(Default)]
struct ProseBatch<'t> {
    cells: Vec<ProseCell<'t>>,
    bytes: usize,
}

/// Text offered to the prose detectors in one call, at most (then flushed).
const PROSE_BATCH_BYTES: usize = 1 << 20;

impl<'t> ProseBatch<'t> {
    fn add(
        &mut self,
        column_name: Option<&str>,
        i: usize,
        j: usize,
        text: &'t str,
        user: Option<&'t str>,
        system: Option<&'t str>,
    ) {
        self.bytes += text.len() + 1;
        self.cells.push(ProseCell {
            i,
            j,
            text,
            user,
            system,
            column_name: column_name.map(str::to_string),
        });
    }

    fn flush(
        &mut self,
        at: &At<'_>,
        prose: &dyn Fn(&str) -> Vec<RawFinding>,
        out: &mut Vec<RawFinding>,
    ) {
        if self.cells.is_empty() {
            return;
        }
        // One line a cell: line breaks inside a cell become spaces (same byte length,
        // so offsets map back unchanged).
        let mut joined = String::with_capacity(self.bytes);
        let mut starts = Vec::with_capacity(self.cells.len());
        for c in &self.cells {
            starts.push(joined.len());
            joined.extend(
                c.text
                    .chars()
                    .map(|ch| if ch == '\n' || ch == '\r' { ' ' } else { ch }),
            );
            joined.push('\n');
        }
        let mut by_cell: Vec<Vec<RawFinding>> = (0..self.cells.len()).map(|_| Vec::new()).collect();
        for mut raw in prose(&joined) {
            let Some(span) = raw.span.clone() else {
                continue;
            };
            let k = starts
                .partition_point(|&s| s <= span.start)
                .saturating_sub(1);
            let len = self.cells[k].text.len();
            let start = span.start - starts[k];
            raw.span = Some(start.min(len)..(span.end - starts[k]).min(len));
            by_cell[k].push(raw);
        }
        for (c, found) in self.cells.iter().zip(by_cell) {
            if found.is_empty() {
                continue;
            }
            let spans: Vec<_> = found.iter().filter_map(|f| f.span.clone()).collect();
            let masked = mask_spans(c.text, &spans);
            for mut raw in found {
                raw.span = None;
                raw.column = None;
                at.place(&mut raw, c.i, c.j, c.column_name.as_deref());
                if raw.username.is_none() {
                    raw.username = c.user.map(str::to_string);
                }
                if raw.system.is_none() {
                    raw.system = c.system.map(str::to_string);
                }
                raw.context = Some(format!("{}: {}", at.row_name(c.i), masked));
                out.push(raw);
            }
        }
        self.cells.clear();
        self.bytes = 0;
    }
}

/// The cell text with every span masked, on one line, at most 160 characters.
fn mask_spans(text: &str, spans: &[std::ops::Range<usize>]) -> String {
    let mut spans: Vec<_> = spans
        .iter()
        .filter(|s| {
            s.end <= text.len() && text.is_char_boundary(s.start) && text.is_char_boundary(s.end)
        })
        .cloned()
        .collect();
    spans.sort_by_key(|s| s.start);
    let mut out = String::new();
    let mut pos = 0;
    for s in spans {
        if s.start < pos {
            continue;
        }
        out.push_str(&text[pos..s.start]);
        mask_into(&mut out, &text[s.clone()]);
        pos = s.end;
    }
    out.push_str(&text[pos..]);
    let one_line = out.split_whitespace().collect::<Vec<_>>().join(" ");
    one_line.chars().take(160).collect()
}

/// Appends a context value shortened to 40 characters (as [`short`]).
fn push_short(out: &mut String, s: &str) {
    match s.char_indices().nth(40) {
        None => out.push_str(s),
        Some((cut, _)) => {
            out.push_str(&s[..cut]);
            out.push('…');
        }
    }
}

/// A context value shortened to 40 characters.
fn short(s: &str) -> String {
    let t: String = s.chars().take(40).collect();
    if t.len() < s.len() { t + "…" } else { t }
}
