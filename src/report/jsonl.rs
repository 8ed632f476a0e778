//! JSON Lines: one finding record a line, fields as in `Finding` (DESIGN.md contract).

use crate::finding::Finding;
use std::io::Write;

pub fn write(findings: &[Finding], out: &mut dyn Write) -> std::io::Result<()> {
    for f in findings {
        serde_json::to_writer(&mut *out, f)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}
