//! Places the document on pages as a list of drawing operations per page.
//!
//! Coordinates are PDF points with the origin at the bottom left. The body runs from the
//! top margin down to the bottom margin; the footer sits inside the bottom margin, so the
//! body height is the same on every page and the footer can be drawn once the page count
//! is known.

use crate::metrics::{Font, encode, text_width};
use crate::wrap::wrap;
use crate::{Document, TotalLine};

pub(crate) const PAGE_WIDTH: f32 = 595.28;
pub(crate) const PAGE_HEIGHT: f32 = 841.89;
/// 18 mm.
pub(crate) const MARGIN: f32 = 51.02;
pub(crate) const CONTENT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;
pub(crate) const RIGHT: f32 = PAGE_WIDTH - MARGIN;

pub(crate) type Rgb = [f32; 3];
pub(crate) const INK: Rgb = [0.13, 0.13, 0.13];
pub(crate) const MUTED: Rgb = [0.38, 0.38, 0.38];
const FAINT: Rgb = [0.5, 0.5, 0.5];
pub(crate) const SEPARATOR: Rgb = [0.82, 0.82, 0.82];

/// One drawing operation, in the order it is painted.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Op {
    /// `y` is the baseline; `text` is WinAnsi.
    Text {
        x: f32,
        y: f32,
        font: Font,
        size: f32,
        color: Rgb,
        text: Vec<u8>,
    },
    Fill {
        x: f32,
        y: f32,
        width: f32,
        height: f32,
        color: Rgb,
    },
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width: f32,
        color: Rgb,
    },
}

/// Lays out the whole document: the body first, then the footers, which need the count.
pub(crate) fn layout(doc: &Document) -> Vec<Vec<Op>> {
    let mut l = Layout::new(doc);
    l.title_block();
    l.paragraphs(&doc.intro, Font::Regular, 10.0, 13.5, INK);
    if !doc.table.columns.is_empty() {
        l.gap(10.0);
        crate::table::table(&mut l, &doc.table);
    }
    l.totals(&doc.totals);
    if !doc.notes.is_empty() {
        l.gap(14.0);
        l.paragraphs(&doc.notes, Font::Regular, 8.5, 11.5, MUTED);
    }
    l.footers();
    l.pages
}

pub(crate) struct Layout<'a> {
    doc: &'a Document,
    pages: Vec<Vec<Op>>,
    /// Top of the free space on the current page.
    pub(crate) y: f32,
    /// Where the body starts on a fresh page, below the letterhead.
    page_top: f32,
    pub(crate) brand: Rgb,
    /// The brand colour mixed with 85 % white: a background that any text stays legible on.
    pub(crate) tint: Rgb,
}

impl<'a> Layout<'a> {
    fn new(doc: &'a Document) -> Self {
        let brand = doc.brand.color.map(|c| f32::from(c) / 255.0);
        let tint = brand.map(|c| c + (1.0 - c) * 0.85);
        let mut l = Layout { doc, pages: Vec::new(), y: 0.0, page_top: 0.0, brand, tint };
        l.new_page();
        l
    }

    pub(crate) fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = PAGE_HEIGHT - MARGIN;
        self.letterhead();
        self.page_top = self.y;
    }

    /// Free height left on this page.
    pub(crate) fn room(&self) -> f32 {
        self.y - MARGIN
    }

    pub(crate) fn at_page_top(&self) -> bool {
        self.y >= self.page_top
    }

    /// Starts a new page unless `height` fits here. On a fresh page nothing more can be
    /// gained, so content taller than a page is placed anyway (callers split it).
    pub(crate) fn ensure(&mut self, height: f32) {
        if height > self.room() && !self.at_page_top() {
            self.new_page();
        }
    }

    pub(crate) fn gap(&mut self, height: f32) {
        // A gap at the top of a page would only push content down.
        if !self.at_page_top() {
            self.y -= height;
        }
    }

    pub(crate) fn push(&mut self, op: Op) {
        if let Some(page) = self.pages.last_mut() {
            page.push(op);
        }
    }

    pub(crate) fn text(&mut self, x: f32, y: f32, font: Font, size: f32, color: Rgb, text: Vec<u8>) {
        if !text.is_empty() {
            self.push(Op::Text { x, y, font, size, color, text });
        }
    }

    /// Draws `text` ending at `right`.
    pub(crate) fn text_right(&mut self, right: f32, y: f32, font: Font, size: f32, color: Rgb, text: Vec<u8>) {
        let x = right - text_width(font, &text, size);
        self.text(x, y, font, size, color, text);
    }

    pub(crate) fn rule(&mut self, x1: f32, x2: f32, y: f32, width: f32, color: Rgb) {
        self.push(Op::Line { x1, y1: y, x2, y2: y, width, color });
    }

    /// Brand name on the left, contact lines on the right, a coloured rule below.
    fn letterhead(&mut self) {
        let brand = &self.doc.brand;
        let (name_size, name_leading) = (17.0, 21.0);
        let name = wrap(&encode(&brand.name), Font::Bold, name_size, CONTENT_WIDTH * 0.55);
        let (line_size, line_leading) = (8.0, 10.5);
        let lines: Vec<Vec<u8>> = brand
            .lines
            .iter()
            .flat_map(|line| wrap(&encode(line), Font::Regular, line_size, CONTENT_WIDTH * 0.42))
            .collect();
        let top = self.y;
        let brand_color = self.brand;
        for (i, line) in name.iter().enumerate() {
            let baseline = top - name_size - i as f32 * name_leading;
            self.text(MARGIN, baseline, Font::Bold, name_size, brand_color, line.clone());
        }
        for (i, line) in lines.iter().enumerate() {
            let baseline = top - line_size - i as f32 * line_leading;
            self.text_right(RIGHT, baseline, Font::Regular, line_size, MUTED, line.clone());
        }
        let height = (name.len() as f32 * name_leading).max(lines.len() as f32 * line_leading);
        self.y = top - height - 4.0;
        self.rule(MARGIN, RIGHT, self.y, 1.2, brand_color);
        self.y -= 18.0;
    }

    /// Draws wrapped lines at `x`, moving to a new page between lines when needed.
    pub(crate) fn lines(&mut self, x: f32, lines: Vec<Vec<u8>>, font: Font, size: f32, leading: f32, color: Rgb) {
        for line in lines {
            self.ensure(leading);
            let baseline = self.y - size;
            self.text(x, baseline, font, size, color, line);
            self.y -= leading;
        }
    }

    fn title_block(&mut self) {
        let doc = self.doc;
        let title = wrap(&encode(&doc.title), Font::Bold, 15.0, CONTENT_WIDTH);
        self.lines(MARGIN, title, Font::Bold, 15.0, 19.0, INK);
        if doc.meta.is_empty() {
            self.gap(6.0);
            return;
        }
        self.gap(4.0);
        let (size, leading) = (9.0, 12.5);
        let labels: Vec<Vec<u8>> = doc.meta.iter().map(|(label, _)| encode(label)).collect();
        let widest = labels.iter().map(|l| text_width(Font::Bold, l, size)).fold(0.0, f32::max);
        let label_width = (widest + 12.0).min(CONTENT_WIDTH * 0.35);
        for (label, (_, value)) in labels.into_iter().zip(&doc.meta) {
            let label_lines = wrap(&label, Font::Bold, size, label_width - 8.0);
            let value_lines = wrap(&encode(value), Font::Regular, size, CONTENT_WIDTH - label_width);
            let height = label_lines.len().max(value_lines.len()) as f32 * leading;
            // A label stays with its value.
            self.ensure(height);
            let top = self.y;
            self.lines(MARGIN, label_lines, Font::Bold, size, leading, MUTED);
            self.y = top;
            self.lines(MARGIN + label_width, value_lines, Font::Regular, size, leading, INK);
            self.y = top - height;
        }
        self.gap(8.0);
    }

    pub(crate) fn paragraphs(&mut self, paragraphs: &[String], font: Font, size: f32, leading: f32, color: Rgb) {
        for (i, paragraph) in paragraphs.iter().enumerate() {
            if i > 0 {
                self.gap(leading * 0.4);
            }
            let lines = wrap(&encode(paragraph), font, size, CONTENT_WIDTH);
            self.lines(MARGIN, lines, font, size, leading, color);
        }
        if !paragraphs.is_empty() {
            self.gap(4.0);
        }
    }

    /// The right-aligned block of totals, kept on one page.
    fn totals(&mut self, totals: &[TotalLine]) {
        if totals.is_empty() {
            return;
        }
        let style = |t: &TotalLine| if t.emphasis { (Font::Bold, 10.5) } else { (Font::Regular, 9.5) };
        let rows: Vec<(Vec<u8>, Vec<u8>)> = totals.iter().map(|t| (encode(&t.label), encode(&t.amount))).collect();
        let widest = totals
            .iter()
            .zip(&rows)
            .map(|(t, (label, amount))| {
                let (font, size) = style(t);
                text_width(font, label, size) + text_width(font, amount, size)
            })
            .fold(0.0, f32::max);
        let block = (widest + 30.0).clamp(CONTENT_WIDTH * 0.45, CONTENT_WIDTH);
        let left = RIGHT - block;
        let leading = 16.0;
        self.gap(10.0);
        let emphasised = totals.iter().filter(|t| t.emphasis).count();
        self.ensure(rows.len() as f32 * leading + emphasised as f32 * 4.0);
        for (t, (label, amount)) in totals.iter().zip(rows) {
            let (font, size) = style(t);
            if t.emphasis {
                self.y -= 2.0;
                self.rule(left, RIGHT, self.y, 0.8, self.brand);
                self.y -= 2.0;
            }
            // The block is as wide as its widest line (up to the full width), so labels stay on one line.
            let baseline = self.y - size - 2.0;
            self.text(left + 5.0, baseline, font, size, INK, label);
            self.text_right(RIGHT - 5.0, baseline, font, size, INK, amount);
            self.y -= leading;
        }
    }

    /// Footer text on the left, the page label on the right, below a hairline.
    fn footers(&mut self) {
        let count = self.pages.len();
        let (size, leading) = (7.5, 9.0);
        let footer = encode(&self.doc.footer);
        for index in 0..count {
            let label = self.doc.page_label.replace("{page}", &(index + 1).to_string());
            let label = encode(&label.replace("{pages}", &count.to_string()));
            let label_width = text_width(Font::Regular, &label, size);
            let mut lines = wrap(&footer, Font::Regular, size, CONTENT_WIDTH - label_width - 16.0);
            lines.truncate(3);
            let mut ops = Vec::new();
            let top = MARGIN - 8.0;
            ops.push(Op::Line { x1: MARGIN, y1: top, x2: RIGHT, y2: top, width: 0.4, color: SEPARATOR });
            let first = top - 10.0;
            for (i, line) in lines.into_iter().enumerate().filter(|(_, l)| !l.is_empty()) {
                let y = first - i as f32 * leading;
                ops.push(Op::Text { x: MARGIN, y, font: Font::Regular, size, color: FAINT, text: line });
            }
            if !label.is_empty() {
                let x = RIGHT - label_width;
                ops.push(Op::Text { x, y: first, font: Font::Regular, size, color: FAINT, text: label });
            }
            if let Some(page) = self.pages.get_mut(index) {
                page.extend(ops);
            }
        }
    }
}
