//! A small typographic grid on printpdf's operations: pages of a paper size, margins,
//! a cursor running down the page, text measured with the embedded fonts and wrapped
//! by words (a word wider than the line is cut by characters), page breaks, shapes,
//! and headers and footers with the marking and page numbers added once the page
//! count is known.
//!
//! Coordinates given to this module are in points from the TOP-left corner (how a
//! page is read); printpdf's origin is bottom-left, converted here only.

use super::fonts::Fonts;
use printpdf::{
    Color, Line, LineDashPattern, LinePoint, Op, PaintMode, PdfFontHandle, PdfPage, Point, Polygon,
    PolygonRing, Pt, Rect, Rgb, TextItem, WindingOrder,
};

/// A paper size in millimetres.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Paper {
    pub name: &'static str,
    pub width_mm: f32,
    pub height_mm: f32,
}

pub const A4: Paper = Paper {
    name: "A4",
    width_mm: 210.0,
    height_mm: 297.0,
};
pub const LETTER: Paper = Paper {
    name: "Letter",
    width_mm: 215.9,
    height_mm: 279.4,
};

const MM: f32 = 72.0 / 25.4;

/// Colours of the report, as 0xRRGGBB.
pub mod ink {
    pub const TEXT: u32 = 0x1D2633;
    pub const MUTED: u32 = 0x5B6675;
    pub const NAVY: u32 = 0x1F3A5F;
    pub const RULE: u32 = 0xC9D1DB;
    pub const PANEL: u32 = 0xF1F4F8;
    pub const WHITE: u32 = 0xFFFFFF;
}

pub fn rgb(hex: u32) -> Color {
    Color::Rgb(Rgb {
        r: ((hex >> 16) & 0xFF) as f32 / 255.0,
        g: ((hex >> 8) & 0xFF) as f32 / 255.0,
        b: (hex & 0xFF) as f32 / 255.0,
        icc_profile: None,
    })
}

/// How a run of text looks.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub size: f32,
    pub bold: bool,
    pub color: u32,
}

impl Style {
    pub const fn new(size: f32, bold: bool, color: u32) -> Style {
        Style { size, bold, color }
    }
    /// Distance between baselines.
    pub fn leading(&self) -> f32 {
        self.size * 1.32
    }
}

pub const BODY: Style = Style::new(9.5, false, ink::TEXT);
pub const SMALL: Style = Style::new(7.5, false, ink::MUTED);
pub const H1: Style = Style::new(17.0, true, ink::NAVY);
pub const H2: Style = Style::new(11.5, true, ink::NAVY);

pub struct Doc<'f> {
    pub fonts: &'f Fonts,
    /// Page size in points.
    pub w: f32,
    pub h: f32,
    /// Left margin and content width.
    pub left: f32,
    pub width: f32,
    /// Where content starts and must end, from the top.
    pub top: f32,
    pub bottom: f32,
    /// Distance from the top of the page to where the next block goes.
    pub cursor: f32,
    pages: Vec<Vec<Op>>,
    ops: Vec<Op>,
    /// Characters drawn as the replacement glyph (outside the fonts).
    pub replaced: usize,
}

impl<'f> Doc<'f> {
    pub fn new(fonts: &'f Fonts, paper: Paper) -> Doc<'f> {
        let (w, h) = (paper.width_mm * MM, paper.height_mm * MM);
        let left = 18.0 * MM;
        Doc {
            fonts,
            w,
            h,
            left,
            width: w - 2.0 * left,
            top: 24.0 * MM,
            bottom: h - 20.0 * MM,
            cursor: 24.0 * MM,
            pages: Vec::new(),
            ops: Vec::new(),
            replaced: 0,
        }
    }

    /// Columns of a 12-column grid: x and width of columns `from..from+span`.
    pub fn grid(&self, from: usize, span: usize) -> (f32, f32) {
        const GUTTER: f32 = 12.0;
        let col = (self.width - 11.0 * GUTTER) / 12.0;
        (
            self.left + from as f32 * (col + GUTTER),
            span as f32 * col + (span.saturating_sub(1)) as f32 * GUTTER,
        )
    }

    pub fn page_count(&self) -> usize {
        self.pages.len() + 1
    }

    pub fn new_page(&mut self) {
        let ops = std::mem::take(&mut self.ops);
        self.pages.push(ops);
        self.cursor = self.top;
    }

    /// Room left on this page, in points.
    pub fn room(&self) -> f32 {
        self.bottom - self.cursor
    }

    /// Starts a new page unless `height` fits below the cursor.
    pub fn ensure(&mut self, height: f32) {
        if self.cursor + height > self.bottom && self.cursor > self.top {
            self.new_page();
        }
    }

    pub fn gap(&mut self, pt: f32) {
        self.cursor += pt;
    }

    /// Cleans text for the fonts, counting replaced characters.
    pub fn clean(&mut self, text: &str) -> String {
        let (t, n) = self.fonts.clean(text);
        self.replaced += n;
        t
    }

    pub fn text_width(&self, text: &str, style: Style) -> f32 {
        self.fonts.face(style.bold).width(text, style.size)
    }

    /// One line of (clean) text with its top at `top`.
    pub fn text_at(&mut self, x: f32, top: f32, text: &str, style: Style) {
        if text.is_empty() {
            return;
        }
        let baseline = self.h - top - style.size * 0.93;
        let face = self.fonts.face(style.bold);
        self.ops.extend([
            Op::StartTextSection,
            Op::SetFillColor {
                col: rgb(style.color),
            },
            Op::SetFont {
                font: PdfFontHandle::External(face.id.clone()),
                size: Pt(style.size),
            },
            Op::SetTextCursor {
                pos: Point {
                    x: Pt(x),
                    y: Pt(baseline),
                },
            },
            Op::ShowText {
                items: vec![TextItem::Text(text.to_string())],
            },
            Op::EndTextSection,
        ]);
    }

    /// Text cut to `width` with an ellipsis, drawn at `top`.
    pub fn text_fit(&mut self, x: f32, top: f32, width: f32, text: &str, style: Style) {
        let t = self.clean(text);
        let t = self.cut_to(&t, width, style);
        self.text_at(x, top, &t, style);
    }

    /// Right-aligned text ending at `right`.
    pub fn text_right(&mut self, right: f32, top: f32, text: &str, style: Style) {
        let t = self.clean(text);
        let w = self.text_width(&t, style);
        self.text_at(right - w, top, &t, style);
    }

    pub fn text_center(&mut self, center: f32, top: f32, text: &str, style: Style) {
        let t = self.clean(text);
        let w = self.text_width(&t, style);
        self.text_at(center - w / 2.0, top, &t, style);
    }

    fn cut_to(&self, text: &str, width: f32, style: Style) -> String {
        if self.text_width(text, style) <= width {
            return text.to_string();
        }
        let mut out = String::new();
        for c in text.chars() {
            let mut next = out.clone();
            next.push(c);
            next.push('…');
            if self.text_width(&next, style) > width {
                break;
            }
            out.push(c);
        }
        out.push('…');
        out
    }

    /// Wraps (clean) text into lines no wider than `width`.
    pub fn wrap(&self, text: &str, width: f32, style: Style) -> Vec<String> {
        let mut lines = Vec::new();
        for para in text.split('\n') {
            let mut line = String::new();
            for word in para.split_whitespace() {
                let candidate = if line.is_empty() {
                    word.to_string()
                } else {
                    format!("{line} {word}")
                };
                if self.text_width(&candidate, style) <= width {
                    line = candidate;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                // A word wider than the line is cut by characters.
                let mut piece = String::new();
                for c in word.chars() {
                    piece.push(c);
                    if self.text_width(&piece, style) > width && piece.chars().count() > 1 {
                        piece.pop();
                        lines.push(std::mem::take(&mut piece));
                        piece.push(c);
                    }
                }
                line = piece;
            }
            lines.push(line);
        }
        lines
    }

    /// Lines of `text` at most `max` (the last one cut with an ellipsis).
    pub fn wrap_max(&mut self, text: &str, width: f32, style: Style, max: usize) -> Vec<String> {
        let t = self.clean(text);
        let mut lines = self.wrap(&t, width, style);
        if lines.len() > max {
            lines.truncate(max);
            let last = lines.pop().unwrap_or_default();
            let cut = self.cut_to(&format!("{last} …"), width, style);
            lines.push(cut);
        }
        lines
    }

    /// Draws wrapped text in a fixed box (no page break); returns its height.
    pub fn block(
        &mut self,
        x: f32,
        top: f32,
        width: f32,
        text: &str,
        style: Style,
        max: usize,
    ) -> f32 {
        let lines = self.wrap_max(text, width, style, max);
        for (i, l) in lines.iter().enumerate() {
            self.text_at(x, top + i as f32 * style.leading(), l, style);
        }
        lines.len() as f32 * style.leading()
    }

    /// Height `block` would take.
    pub fn block_height(&mut self, text: &str, width: f32, style: Style, max: usize) -> f32 {
        self.wrap_max(text, width, style, max).len() as f32 * style.leading()
    }

    /// A paragraph at the cursor across `x..x+width`, breaking pages between lines.
    pub fn paragraph(&mut self, x: f32, width: f32, text: &str, style: Style) {
        let t = self.clean(text);
        for l in self.wrap(&t, width, style) {
            self.ensure(style.leading());
            self.text_at(x, self.cursor, &l, style);
            self.cursor += style.leading();
        }
    }

    /// Full-width paragraph followed by a small gap.
    pub fn para(&mut self, text: &str, style: Style) {
        self.paragraph(self.left, self.width, text, style);
        self.cursor += style.size * 0.5;
    }

    /// A bullet item (wrapped under its own indent).
    pub fn bullet(&mut self, text: &str, style: Style) {
        let indent = 11.0;
        let t = self.clean(text);
        let lines = self.wrap(&t, self.width - indent, style);
        self.ensure(style.leading() * lines.len().min(3) as f32);
        self.text_at(self.left + 2.0, self.cursor, "•", style);
        for l in lines {
            self.ensure(style.leading());
            self.text_at(self.left + indent, self.cursor, &l, style);
            self.cursor += style.leading();
        }
        self.cursor += 2.0;
    }

    /// A section title on a new page (`page`) or where the cursor is.
    pub fn heading(&mut self, text: &str, page: bool) {
        if page {
            if !self.ops.is_empty() || !self.pages.is_empty() {
                self.new_page();
            }
        } else {
            self.ensure(H1.leading() + 60.0);
        }
        let top = self.cursor;
        self.text_fit(self.left, top, self.width, text, H1);
        self.cursor += H1.leading() + 2.0;
        self.hline(
            self.left,
            self.left + self.width,
            self.cursor,
            ink::NAVY,
            1.2,
        );
        self.cursor += 10.0;
    }

    pub fn subheading(&mut self, text: &str) {
        self.ensure(H2.leading() + 40.0);
        self.cursor += 4.0;
        let top = self.cursor;
        self.text_fit(self.left, top, self.width, text, H2);
        self.cursor += H2.leading() + 3.0;
    }

    pub fn rect(
        &mut self,
        x: f32,
        top: f32,
        w: f32,
        h: f32,
        fill: Option<u32>,
        stroke: Option<u32>,
    ) {
        let mode = match (fill, stroke) {
            (Some(_), Some(_)) => PaintMode::FillStroke,
            (Some(_), None) => PaintMode::Fill,
            _ => PaintMode::Stroke,
        };
        if let Some(f) = fill {
            self.ops.push(Op::SetFillColor { col: rgb(f) });
        }
        if let Some(s) = stroke {
            self.ops.push(Op::SetOutlineColor { col: rgb(s) });
            self.ops.push(Op::SetOutlineThickness { pt: Pt(0.6) });
        }
        self.ops.push(Op::DrawRectangle {
            rectangle: Rect {
                x: Pt(x),
                y: Pt(self.h - top - h),
                width: Pt(w),
                height: Pt(h),
                mode: Some(mode),
                winding_order: None,
            },
        });
    }

    fn point(&self, (x, top): (f32, f32)) -> Point {
        Point {
            x: Pt(x),
            y: Pt(self.h - top),
        }
    }

    /// A polyline through `points` (x, top), optionally dashed.
    pub fn line(&mut self, points: &[(f32, f32)], color: u32, width: f32, dash: Option<&[f32]>) {
        self.ops.push(Op::SetOutlineColor { col: rgb(color) });
        self.ops.push(Op::SetOutlineThickness { pt: Pt(width) });
        self.ops.push(Op::SetLineDashPattern {
            dash: match dash {
                Some(d) => LineDashPattern::new(0.0, d),
                None => LineDashPattern::solid(),
            },
        });
        let pts = points
            .iter()
            .map(|p| LinePoint {
                p: self.point(*p),
                bezier: false,
            })
            .collect();
        self.ops.push(Op::DrawLine {
            line: Line {
                points: pts,
                is_closed: false,
            },
        });
        if dash.is_some() {
            self.ops.push(Op::SetLineDashPattern {
                dash: LineDashPattern::solid(),
            });
        }
    }

    pub fn hline(&mut self, x0: f32, x1: f32, top: f32, color: u32, width: f32) {
        self.line(&[(x0, top), (x1, top)], color, width, None);
    }

    /// A closed shape, filled and/or outlined.
    pub fn polygon(
        &mut self,
        points: &[(f32, f32)],
        fill: Option<u32>,
        stroke: Option<(u32, f32)>,
    ) {
        let mode = match (fill, stroke) {
            (Some(_), Some(_)) => PaintMode::FillStroke,
            (Some(_), None) => PaintMode::Fill,
            _ => PaintMode::Stroke,
        };
        if let Some(f) = fill {
            self.ops.push(Op::SetFillColor { col: rgb(f) });
        }
        if let Some((c, w)) = stroke {
            self.ops.push(Op::SetOutlineColor { col: rgb(c) });
            self.ops.push(Op::SetOutlineThickness { pt: Pt(w) });
        }
        let ring = PolygonRing {
            points: points
                .iter()
                .map(|p| LinePoint {
                    p: self.point(*p),
                    bezier: false,
                })
                .collect(),
        };
        self.ops.push(Op::DrawPolygon {
            polygon: Polygon {
                rings: vec![ring],
                mode,
                winding_order: WindingOrder::NonZero,
            },
        });
    }

    /// Finishes the document: headers and footers on every page but the first, the
    /// marking on every page. Returns printpdf pages.
    pub fn finish(
        mut self,
        paper: Paper,
        header: &str,
        marking: &str,
        footer: &str,
    ) -> Vec<PdfPage> {
        self.new_page();
        let total = self.pages.len();
        let pages = std::mem::take(&mut self.pages);
        let mut out = Vec::with_capacity(total);
        for (i, ops) in pages.into_iter().enumerate() {
            self.ops = ops;
            let band_top = 8.0 * MM;
            // The cover's top is navy: its marking is white there.
            let top_ink = if i == 0 { ink::WHITE } else { 0xB03A2E };
            self.text_center(
                self.w / 2.0,
                band_top,
                marking,
                Style::new(8.0, true, top_ink),
            );
            self.text_center(
                self.w / 2.0,
                self.h - 9.0 * MM,
                marking,
                Style::new(8.0, true, 0xB03A2E),
            );
            if i > 0 {
                let y = 14.0 * MM;
                self.text_fit(self.left, y, self.width * 0.7, header, SMALL);
                self.hline(self.left, self.left + self.width, y + 11.0, ink::RULE, 0.5);
                let fy = self.h - 15.0 * MM;
                self.hline(self.left, self.left + self.width, fy - 4.0, ink::RULE, 0.5);
                self.text_fit(self.left, fy, self.width * 0.7, footer, SMALL);
                self.text_right(
                    self.left + self.width,
                    fy,
                    &format!("Page {} of {total}", i + 1),
                    SMALL,
                );
            }
            let ops = std::mem::take(&mut self.ops);
            out.push(PdfPage::new(
                printpdf::Mm(paper.width_mm),
                printpdf::Mm(paper.height_mm),
                ops,
            ));
        }
        out
    }
}
