//! Records written as label and value (`System: | PLC-01`, `User: | op`,
//! `Password: | x`), down a column or along a row, outside any table.

use super::words::{column_role, is_answer};
use super::{At, Role, cell_text, could_be_header, is_blank, short};
use crate::detect::{RawFinding, filters};
use crate::finding::Confidence;
use crate::secret::{Secret, mask};

/// A label cell: a short text whose words give a role (`Password:`, `User`), without
/// digits unless it ends in a colon (`Tbl-Secret-1` is a value, `WPA2 key:` a label).
pub(super) fn label_role(row: &[Option<String>], j: usize) -> Option<Role> {
    cell_text(row, j)
        .filter(|v| could_be_header(v) || (v.len() <= 40 && v.ends_with(':')))
        .map(|v| v.trim_end_matches(':').trim())
        .and_then(column_role)
}

/// The value right of a label: the next non-empty cell within two columns, unless
/// that is another label (`Password:`).
fn value_of(row: &[Option<String>], j: usize) -> Option<(usize, &str)> {
    (j + 1..=j + 2)
        .find_map(|k| cell_text(row, k).map(|v| (k, v)))
        .filter(|&(_, v)| !v.ends_with(':') && !matches!(column_role(v), Some(Role::Secret(_))))
}

/// A record written down a column of labels (`System: | PLC-01`, `User: | op`,
/// `Password: | x`): the secret right of its label, paired with the user and system
/// labelled in the rows around it (up to a blank row). A label whose next row holds
/// a plain value under it heads a table column instead, and is left alone. Returns
/// the columns of this row that were read as labels or values.
pub(super) fn label_value(at: &At<'_>, i: usize, out: &mut Vec<RawFinding>) -> Vec<usize> {
    let rows = &at.table.rows;
    let row = &rows[i];
    let mut used = Vec::new();
    for j in 0..row.len() {
        let category = match label_role(row, j) {
            Some(Role::Secret(c)) => c,
            _ => continue,
        };
        let Some((k, value)) = value_of(row, j) else {
            continue;
        };
        let below_is_data = rows
            .get(i + 1)
            .is_some_and(|r| cell_text(r, j).is_some() && label_role(r, j).is_none());
        if below_is_data
            || column_role(value).is_some()
            || filters::is_not_a_secret(value)
            || is_answer(value)
            || value.chars().count() < 2
        {
            continue;
        }
        // The block: rows around this one up to a blank row, at most 8 each way.
        let lo = (i.saturating_sub(8)..i)
            .rev()
            .take_while(|&r| !is_blank(&rows[r]))
            .last()
            .unwrap_or(i);
        let hi = (i + 1..rows.len().min(i + 9))
            .take_while(|&r| !is_blank(&rows[r]))
            .last()
            .unwrap_or(i);
        let (mut user, mut system): (Option<&str>, Option<(u8, &str)>) = (None, None);
        // Labels in the same row (horizontal records, `Host: | x`), then down the
        // label column.
        let same_row = (0..row.len())
            .filter(|&c| c != j && cell_text(row, c).is_some_and(|t| t.ends_with(':')));
        let cells = same_row
            .map(|c| (row, c))
            .chain((lo..=hi).map(|r| (&rows[r], j)));
        for (r, c) in cells {
            let Some((_, v)) = value_of(r, c) else {
                continue;
            };
            match label_role(r, c) {
                Some(Role::User) if user.is_none() => user = Some(v),
                Some(Role::System(p)) if system.is_none_or(|(q, _)| p < q) => system = Some((p, v)),
                _ => {}
            }
        }
        // Without a colon, a lone "Password | x" is only a record when a user or system
        // label stands with it; otherwise it is any two cells side by side.
        let label = cell_text(row, j).unwrap_or("");
        if !label.ends_with(':') && user.is_none() && system.is_none() {
            continue;
        }
        let (user, system) = (user.map(str::to_string), system.map(|(_, v)| v.to_string()));
        let confidence = if user.is_some() || system.is_some() {
            Confidence::High
        } else {
            Confidence::Medium
        };
        let mut raw = RawFinding::new(
            "table.secret",
            "Secret in a credential table",
            category,
            confidence,
            Secret::new(value),
        )
        .with_user(user.clone())
        .with_system(system.clone())
        .specificity(80);
        at.place(&mut raw, i, k, Some(label));
        let mut ctx = at.row_name(i) + ":";
        if let Some(s) = &system {
            ctx.push_str(&format!(" system={}", short(s)));
        }
        if let Some(u) = &user {
            ctx.push_str(&format!(" user={}", short(u)));
        }
        ctx.push_str(&format!(" {}={}", category.as_str(), mask(value)));
        raw.context = Some(ctx);
        raw.detail = Some(format!(
            "labelled \"{}\" in the cell to its left",
            short(label)
        ));
        out.push(raw);
        used.extend([j, k]);
    }
    used
}
