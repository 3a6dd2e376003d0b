//! The table: wrapped cells, a shaded header row that repeats on every page, rows kept
//! whole across page breaks.

use crate::layout::{CONTENT_WIDTH, INK, Layout, MARGIN, Op, RIGHT, SEPARATOR};
use crate::metrics::{Font, encode};
use crate::wrap::wrap;
use crate::{Align, Column, Table};

const HEADER_SIZE: f32 = 8.5;
const BODY_SIZE: f32 = 9.0;
const LEADING: f32 = 11.5;
const PAD_X: f32 = 5.0;
const PAD_Y: f32 = 4.5;

/// Column geometry: left edge, width, alignment.
struct Geometry {
    x: Vec<f32>,
    width: Vec<f32>,
    align: Vec<Align>,
}

impl Geometry {
    fn new(columns: &[Column]) -> Self {
        let sum: f32 = columns.iter().map(|c| c.width.max(0.0)).sum();
        let share = |c: &Column| if sum > 0.0 { c.width.max(0.0) / sum } else { 1.0 / columns.len() as f32 };
        let width: Vec<f32> = columns.iter().map(|c| share(c) * CONTENT_WIDTH).collect();
        let x = width
            .iter()
            .scan(MARGIN, |left, w| {
                let x = *left;
                *left += w;
                Some(x)
            })
            .collect();
        Geometry { x, width, align: columns.iter().map(|c| c.align).collect() }
    }

    /// Wraps one row's cells to their columns; missing cells are empty, extra ones dropped.
    fn wrap_row(&self, cells: &[String], font: Font, size: f32) -> Vec<Vec<Vec<u8>>> {
        (0..self.width.len())
            .map(|i| {
                let text = cells.get(i).map(|c| encode(c)).unwrap_or_default();
                wrap(&text, font, size, self.width[i] - 2.0 * PAD_X)
            })
            .collect()
    }

    /// Draws lines `from..from + count` of each cell, top at `top`.
    fn draw_cells(
        &self,
        l: &mut Layout,
        cells: &[Vec<Vec<u8>>],
        range: (usize, usize),
        top: f32,
        font: Font,
        size: f32,
    ) {
        let (from, count) = range;
        for (i, lines) in cells.iter().enumerate() {
            for (n, line) in lines.iter().skip(from).take(count).enumerate() {
                // Centre the glyphs in the line box: cap height and descender are both ~0.2 em.
                let baseline = top - PAD_Y - n as f32 * LEADING - (LEADING - size) / 2.0 - size * 0.78;
                match self.align[i] {
                    Align::Left => l.text(self.x[i] + PAD_X, baseline, font, size, INK, line.clone()),
                    Align::Right => {
                        let right = self.x[i] + self.width[i] - PAD_X;
                        l.text_right(right, baseline, font, size, INK, line.clone());
                    }
                }
            }
        }
    }
}

fn height(lines: usize) -> f32 {
    lines as f32 * LEADING + 2.0 * PAD_Y
}

fn tallest(cells: &[Vec<Vec<u8>>], from: usize) -> usize {
    cells.iter().map(|c| c.len().saturating_sub(from)).max().unwrap_or(0).max(1)
}

pub(crate) fn table(l: &mut Layout, table: &Table) {
    let geometry = Geometry::new(&table.columns);
    let headers: Vec<String> = table.columns.iter().map(|c| c.header.clone()).collect();
    let header = geometry.wrap_row(&headers, Font::Bold, HEADER_SIZE);
    let header_height = height(tallest(&header, 0));
    let rows: Vec<Vec<Vec<Vec<u8>>>> =
        table.rows.iter().map(|r| geometry.wrap_row(r, Font::Regular, BODY_SIZE)).collect();

    // The header never ends a page alone.
    let first = rows.first().map_or(0.0, |r| height(tallest(r, 0)));
    l.ensure(header_height + first);
    // Whether this page holds the header and nothing else of the table: a row that does not
    // fit then would not fit on any page.
    let mut fresh = l.at_page_top();
    draw_header(l, &geometry, &header, header_height);

    for cells in &rows {
        let mut from = 0;
        loop {
            let lines = tallest(cells, from);
            let needed = height(lines);
            if needed <= l.room() {
                draw_row(l, &geometry, cells, (from, lines), needed);
                fresh = false;
                break;
            }
            if fresh {
                // Taller than a whole page: the only case where a row continues on the next.
                let fit = (((l.room() - 2.0 * PAD_Y) / LEADING).floor() as usize).max(1);
                draw_row(l, &geometry, cells, (from, fit), height(fit));
                from += fit;
            }
            l.new_page();
            draw_header(l, &geometry, &header, header_height);
            fresh = true;
        }
    }
}

fn draw_header(l: &mut Layout, geometry: &Geometry, header: &[Vec<Vec<u8>>], height: f32) {
    let top = l.y;
    let tint = l.tint;
    l.push(Op::Fill { x: MARGIN, y: top - height, width: CONTENT_WIDTH, height, color: tint });
    geometry.draw_cells(l, header, (0, usize::MAX), top, Font::Bold, HEADER_SIZE);
    let brand = l.brand;
    l.rule(MARGIN, RIGHT, top - height, 0.8, brand);
    l.y = top - height;
}

fn draw_row(l: &mut Layout, geometry: &Geometry, cells: &[Vec<Vec<u8>>], range: (usize, usize), height: f32) {
    let top = l.y;
    geometry.draw_cells(l, cells, range, top, Font::Regular, BODY_SIZE);
    l.y = top - height;
    l.rule(MARGIN, RIGHT, l.y, 0.4, SEPARATOR);
}
