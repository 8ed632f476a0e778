//! The embedded fonts (Noto Sans Regular and Bold, SIL OFL 1.1, `assets/fonts/`), their
//! glyph widths for measuring text, and the fallback for characters they lack.
//!
//! Noto Sans covers Latin, Greek and Cyrillic. A character outside it (CJK, Arabic,
//! emoji ...) is drawn as U+FFFD (the replacement glyph) rather than as nothing, and
//! counted, so the report can say that names were shown incompletely and that the XLSX
//! and CSV keep them as written. Control characters become spaces.

use printpdf::{FontId, ParsedFont};
use std::collections::BTreeMap;

pub const REGULAR_TTF: &[u8] = include_bytes!("../../../assets/fonts/NotoSans-Regular.ttf");
pub const BOLD_TTF: &[u8] = include_bytes!("../../../assets/fonts/NotoSans-Bold.ttf");

/// Resource names. Fixed (printpdf would draw random ones) so the same report gives
/// the same bytes; six capitals, as the subset tag made from them must be.
pub const REGULAR_ID: &str = "CRDNSR";
pub const BOLD_ID: &str = "CRDNSB";

/// What a font needs for layout: advance widths by character.
pub struct Face {
    pub parsed: ParsedFont,
    pub id: FontId,
    units_per_em: f32,
    /// Advance of each covered character, in font units.
    advance: BTreeMap<u32, u16>,
}

impl Face {
    fn load(bytes: &[u8], id: &str) -> Result<Face, String> {
        let mut warnings = Vec::new();
        let parsed = ParsedFont::from_bytes(bytes, 0, &mut warnings)
            .ok_or_else(|| format!("embedded font {id} does not parse"))?;
        let advance = parsed
            .codepoint_to_glyph
            .iter()
            .map(|(cp, gid)| (*cp, parsed.glyph_widths.get(gid).copied().unwrap_or(0)))
            .collect();
        Ok(Face {
            units_per_em: parsed.units_per_em.max(1) as f32,
            id: FontId(id.to_string()),
            parsed,
            advance,
        })
    }

    /// The font cut down to the characters in `used` (and .notdef), so the PDF embeds
    /// a few kilobytes instead of half a megabyte. Falls back to the whole font.
    pub fn subset(&self, used: &std::collections::BTreeSet<char>) -> ParsedFont {
        use allsorts::binary::read::ReadScope;
        use allsorts::font_data::FontData;
        use allsorts::subset::{CmapTarget, SubsetProfile, subset};
        let mut glyphs: Vec<u16> = vec![0];
        for c in used {
            if let Some(g) = self.parsed.codepoint_to_glyph.get(&(*c as u32))
                && !glyphs.contains(g)
            {
                glyphs.push(*g);
            }
        }
        let bytes = &self.parsed.original_bytes;
        let cut = ReadScope::new(bytes)
            .read::<FontData<'_>>()
            .ok()
            .and_then(|f| f.table_provider(0).ok())
            .and_then(|p| subset(&p, &glyphs, &SubsetProfile::Minimal, CmapTarget::Unicode).ok())
            .and_then(|b| ParsedFont::from_bytes(&b, 0, &mut Vec::new()));
        cut.unwrap_or_else(|| self.parsed.clone())
    }

    pub fn covers(&self, c: char) -> bool {
        self.advance.contains_key(&(c as u32))
    }

    /// Width of `text` at `size` points (text already cleaned by [`Fonts::clean`]).
    pub fn width(&self, text: &str, size: f32) -> f32 {
        let units: u32 = text
            .chars()
            .map(|c| self.advance.get(&(c as u32)).copied().unwrap_or(0) as u32)
            .sum();
        units as f32 / self.units_per_em * size
    }
}

pub struct Fonts {
    pub regular: Face,
    pub bold: Face,
    /// The glyph drawn for a character the fonts lack.
    replacement: char,
}

impl Fonts {
    pub fn load() -> Result<Fonts, String> {
        let regular = Face::load(REGULAR_TTF, REGULAR_ID)?;
        let bold = Face::load(BOLD_TTF, BOLD_ID)?;
        let replacement = if regular.covers('\u{FFFD}') && bold.covers('\u{FFFD}') {
            '\u{FFFD}'
        } else {
            '?'
        };
        Ok(Fonts {
            regular,
            bold,
            replacement,
        })
    }

    pub fn face(&self, bold: bool) -> &Face {
        if bold { &self.bold } else { &self.regular }
    }

    /// Text both faces can draw: control characters become spaces, arrows the font
    /// lacks become ASCII ones, anything else uncovered the replacement glyph.
    /// Returns the text and how many characters were replaced.
    pub fn clean(&self, text: &str) -> (String, usize) {
        let mut replaced = 0;
        let mut out = String::with_capacity(text.len());
        for c in text.chars() {
            if c.is_control() {
                out.push(' ');
            } else if self.regular.covers(c) && self.bold.covers(c) {
                out.push(c);
            } else if let Some(s) = ascii_stand_in(c) {
                out.push_str(s);
            } else {
                replaced += 1;
                out.push(self.replacement);
            }
        }
        (out, replaced)
    }
}

/// ASCII for the symbols our own texts use that the font may lack.
fn ascii_stand_in(c: char) -> Option<&'static str> {
    Some(match c {
        '→' | '⟶' => "->",
        '←' => "<-",
        '↑' | '▲' => "^",
        '↓' | '▼' => "v",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_greek_cyrillic_are_covered_cjk_and_arabic_are_replaced() {
        let f = Fonts::load().unwrap();
        let (t, n) = f.clean("Übergabe Ωμέγα Привет");
        assert_eq!((t.as_str(), n), ("Übergabe Ωμέγα Привет", 0));
        assert_eq!(f.clean("IT → OT").0, "IT -> OT");
        let (t, n) = f.clean("工厂 مصنع\tx");
        assert_eq!(n, 6, "2 CJK and 4 Arabic letters");
        assert!(t.ends_with(" x"));
        assert!(!t.contains('工'));
    }

    #[test]
    fn widths_grow_with_text_and_size() {
        let f = Fonts::load().unwrap();
        let w = f.regular.width("Credence", 10.0);
        assert!(w > 30.0 && w < 60.0, "{w}");
        assert!((f.regular.width("Credence", 20.0) - 2.0 * w).abs() < 0.01);
        assert!(f.bold.width("Credence", 10.0) > w);
    }
}
