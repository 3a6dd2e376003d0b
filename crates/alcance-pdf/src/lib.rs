//! Small, pure and deterministic PDF layout for Alcance's business documents: quotes
//! (cotizaciones) and hour-package statements.
//!
//! The crate only lays out: the caller formats and translates every string (amounts,
//! dates, labels) and hands over a [`Document`]; [`render`] returns the PDF bytes.
//!
//! - A4 portrait, 18 mm margins. Every page carries the letterhead (brand name in the
//!   brand colour, the brand's contact lines on the right, a thin coloured rule) and the
//!   footer (the caller's footer text and "page N of M" from [`Document::page_label`]).
//! - Text uses the standard 14 fonts Helvetica and Helvetica-Bold in WinAnsiEncoding, so
//!   nothing is embedded and Spanish (á é í ó ú ñ ü ¿ ¡ €) works; characters outside
//!   WinAnsi are drawn as `?` (see [`metrics::encode`]).
//! - The table wraps every cell within its column; a row is never split across pages
//!   (unless it is taller than a whole page, the one case where it continues on the next
//!   page), and the header row repeats on each page the table reaches. The totals block is
//!   kept together.
//! - Pure: no clock, no I/O, no randomness. The same [`Document`] always gives the same
//!   bytes; the creation date is written only when the caller supplies one.

mod layout;
pub mod metrics;
mod table;
mod wrap;
mod writer;

/// Who issues the document.
#[derive(Debug, Clone, PartialEq)]
pub struct Brand {
    /// Shown large, in `color`, at the top left of every page; also the PDF's `/Author`.
    pub name: String,
    /// sRGB; used for the name, the rules and (as a light tint) the table header.
    pub color: [u8; 3],
    /// Small lines at the top right: address, web site, e-mail, tax id.
    pub lines: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// One table column.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub header: String,
    pub align: Align,
    /// Share of the table width. Shares are normalised by their sum, so `[3, 1, 1]` works
    /// as well as `[0.6, 0.2, 0.2]`; if they sum to zero (or less) the columns are equal.
    pub width: f32,
}

/// A table: a row with fewer cells than columns leaves the rest empty; extra cells are
/// ignored. A cell may contain `\n` to force a line break.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<String>>,
}

/// One line of the right-aligned totals block ("Subtotal", "IVA 19 %", "Total").
#[derive(Debug, Clone, PartialEq)]
pub struct TotalLine {
    pub label: String,
    pub amount: String,
    /// Bold, slightly larger, with a coloured rule above: for the grand total.
    pub emphasis: bool,
}

/// The creation date written to the document information, in the caller's time zone.
/// Out-of-range fields are clamped (month 1–12, day 1–31, hour 0–23, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PdfDate {
    pub year: u16,
    pub month: u8,
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
    /// Offset from UTC in minutes, e.g. -300 for Colombia (UTC−5).
    pub utc_offset_minutes: i16,
}

/// Everything a page shows, top to bottom. Empty parts are left out.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub brand: Brand,
    /// "Cotización Q-2026-0007"; also the PDF's `/Title`, shown by viewers in the title bar.
    pub title: String,
    /// Label/value pairs under the title: ("Cliente", "Ferretería Núñez"), ("Fecha", …).
    pub meta: Vec<(String, String)>,
    /// Paragraphs before the table.
    pub intro: Vec<String>,
    pub table: Table,
    pub totals: Vec<TotalLine>,
    /// Paragraphs after the totals (conditions, validity, payment details).
    pub notes: Vec<String>,
    /// Small text at the bottom left of every page (up to three wrapped lines).
    pub footer: String,
    /// Bottom right of every page; `{page}` and `{pages}` are replaced by the page number
    /// and the page count: "Página {page} de {pages}".
    pub page_label: String,
    /// BCP 47 tag for the PDF's `/Lang`, e.g. "es-CO"; empty leaves it out.
    pub language: String,
    pub creation_date: Option<PdfDate>,
}

/// Lays the document out on A4 pages and returns the PDF file.
pub fn render(doc: &Document) -> Vec<u8> {
    let pages = layout::layout(doc);
    writer::write(doc, &pages)
}

/// The number of pages [`render`] would produce (the layout without the writing).
pub fn page_count(doc: &Document) -> usize {
    layout::layout(doc).len()
}
