//! Serialises laid-out pages with `pdf-writer`.
//!
//! Object numbers are fixed by position (catalog 1, page tree 2, info 3, fonts 4–5, then
//! a page and its content stream per page), no file ID and no date are invented, so the
//! output depends on the input alone.

use pdf_writer::{Content, Date, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

use crate::layout::{Op, PAGE_HEIGHT, PAGE_WIDTH, Rgb};
use crate::metrics::Font;
use crate::{Document, PdfDate};

const CATALOG: Ref = Ref::new(1);
const PAGE_TREE: Ref = Ref::new(2);
const INFO: Ref = Ref::new(3);
const FONTS: [(Font, Ref, &[u8]); 2] = [(Font::Regular, Ref::new(4), b"F1"), (Font::Bold, Ref::new(5), b"F2")];
const FIRST_PAGE_ID: i32 = 6;

pub(crate) fn write(doc: &Document, pages: &[Vec<Op>]) -> Vec<u8> {
    let mut pdf = Pdf::new();
    let ids: Vec<(Ref, Ref)> = (0..pages.len())
        .map(|i| {
            let page = FIRST_PAGE_ID + 2 * i32::try_from(i).unwrap_or(i32::MAX / 4);
            (Ref::new(page), Ref::new(page + 1))
        })
        .collect();

    let mut catalog = pdf.catalog(CATALOG);
    catalog.pages(PAGE_TREE);
    if !doc.language.is_empty() {
        catalog.lang(TextStr(&doc.language));
    }
    // Viewers show the title rather than the file name.
    catalog.viewer_preferences().display_doc_title(true);
    catalog.finish();

    let mut info = pdf.document_info(INFO);
    info.title(TextStr(&doc.title));
    if !doc.brand.name.is_empty() {
        info.author(TextStr(&doc.brand.name));
    }
    info.producer(TextStr("Alcance"));
    if let Some(date) = doc.creation_date {
        info.creation_date(pdf_date(date));
    }
    info.finish();

    let mut tree = pdf.pages(PAGE_TREE);
    tree.kids(ids.iter().map(|(page, _)| *page)).count(i32::try_from(ids.len()).unwrap_or(i32::MAX));
    tree.media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT));
    // Inherited by every page.
    let mut resources = tree.resources();
    let mut fonts = resources.fonts();
    for (_, id, name) in FONTS {
        fonts.pair(Name(name), id);
    }
    fonts.finish();
    resources.finish();
    tree.finish();

    for (font, id, _) in FONTS {
        pdf.type1_font(id)
            .base_font(Name(font.base_name().as_bytes()))
            .encoding_predefined(Name(b"WinAnsiEncoding"))
            .first_char(32)
            .last_char(255)
            .widths(font.widths().iter().map(|&w| f32::from(w)));
    }

    for (ops, (page_id, content_id)) in pages.iter().zip(&ids) {
        let mut page = pdf.page(*page_id);
        page.parent(PAGE_TREE);
        page.contents(*content_id);
        page.finish();
        pdf.stream(*content_id, &content(ops));
    }
    pdf.finish()
}

fn content(ops: &[Op]) -> Vec<u8> {
    let mut c = Content::new();
    for op in ops {
        match op {
            Op::Text { x, y, font, size, color, text } => {
                let name = FONTS.iter().find(|(f, _, _)| f == font).map_or(&b"F1"[..], |(_, _, n)| n);
                c.set_fill_rgb(color[0], color[1], color[2]);
                c.begin_text();
                c.set_font(Name(name), *size);
                c.next_line(*x, *y);
                c.show(Str(text));
                c.end_text();
            }
            Op::Fill { x, y, width, height, color } => {
                c.set_fill_rgb(color[0], color[1], color[2]);
                c.rect(*x, *y, *width, *height);
                c.fill_nonzero();
            }
            Op::Line { x1, y1, x2, y2, width, color } => {
                stroke(&mut c, *color, *width);
                c.move_to(*x1, *y1);
                c.line_to(*x2, *y2);
                c.stroke();
            }
        }
    }
    c.finish().into_vec()
}

fn stroke(c: &mut Content, color: Rgb, width: f32) {
    c.set_stroke_rgb(color[0], color[1], color[2]);
    c.set_line_width(width);
}

fn pdf_date(d: PdfDate) -> Date {
    let offset = i32::from(d.utc_offset_minutes);
    let hours = i8::try_from(offset / 60).unwrap_or(0);
    let minutes = u8::try_from((offset % 60).abs()).unwrap_or(0);
    Date::new(d.year)
        .month(d.month)
        .day(d.day)
        .hour(d.hour)
        .minute(d.minute)
        .second(d.second)
        .utc_offset_hour(hours)
        .utc_offset_minute(minutes)
}
