//! Statements as files: the CSV the app layer writes, and the PDF laid out by `alcance-pdf`
//! with the labels of the caller's language. Shared by the API and the portal.

use alcance_app::App;
use alcance_app::hours::{Statement, statement_csv};
use alcance_domain::money::format_hours;
use alcance_pdf::{Align, Brand, Column, Document, Table, TotalLine};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use crate::i18n::Lang;
use crate::view;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatementFormat {
    Csv,
    Pdf,
}

/// The statement as a download: CSV (UTF-8) or PDF, named after the organisation and period.
pub fn download(app: &App, s: &Statement, lang: Lang, format: StatementFormat) -> Response {
    let (body, content_type, extension) = match format {
        StatementFormat::Csv => (statement_csv(s, lang.code()).into_bytes(), "text/csv; charset=utf-8", "csv"),
        StatementFormat::Pdf => (statement_pdf(app, s, lang), "application/pdf", "pdf"),
    };
    let name = format!(
        "{}-{}-{}-{}.{extension}",
        lang.text("hours-file-prefix", &[]),
        safe(&s.organization.slug),
        s.from,
        s.to
    );
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
        .unwrap_or(HeaderValue::from_static("attachment"));
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        body,
    )
        .into_response()
}

/// Only letters, digits and dashes in a file name.
fn safe(text: &str) -> String {
    text.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '-' }).collect()
}

/// `#0b5cad` as RGB; the brand colour was validated when the server started.
fn rgb(color: &str) -> [u8; 3] {
    let hex = color.trim_start_matches('#');
    let full: String = if hex.len() == 3 { hex.chars().flat_map(|c| [c, c]).collect() } else { hex.to_owned() };
    let byte = |i: usize| full.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok()).unwrap_or(0);
    [byte(0), byte(2), byte(4)]
}

/// A calendar day as written in `lang`.
pub fn day(lang: Lang, d: chrono::NaiveDate) -> String {
    match lang {
        Lang::Es => d.format("%d/%m/%Y").to_string(),
        Lang::En => d.format("%m/%d/%Y").to_string(),
    }
}

/// Signed hours with an explicit "+" on credits, so a statement reads as a ledger.
pub fn signed_hours(minutes: i64, lang: Lang) -> String {
    let text = format_hours(minutes, lang.code());
    if minutes > 0 { format!("+{text}") } else { text }
}

/// The statement as a PDF in `lang`.
pub fn statement_pdf(app: &App, s: &Statement, lang: Lang) -> Vec<u8> {
    let t = |key: &str| lang.text(key, &[]);
    let code = lang.code();
    let tz = view::zone(&s.organization.time_zone);
    let rows = s
        .rows
        .iter()
        .map(|r| {
            let e = &r.entry;
            vec![
                view::datetime(lang, tz, e.created_at),
                t(&format!("hours-kind-{}", e.kind.as_str())),
                e.ticket_number.map(|n| format!("#{n}")).unwrap_or_default(),
                e.note.clone(),
                signed_hours(e.minutes, lang),
                format_hours(r.balance_after, code),
            ]
        })
        .collect();
    let moved: i64 = s.rows.iter().map(|r| r.entry.minutes).sum();
    let brand = &app.settings.brand;
    let period = lang.text("hours-pdf-period-value", &[("from", day(lang, s.from)), ("to", day(lang, s.to))]);
    let mut intro = Vec::new();
    if s.rows.is_empty() {
        intro.push(t("hours-pdf-empty"));
    }
    let doc = Document {
        brand: Brand {
            name: brand.name.clone(),
            color: rgb(&brand.color),
            lines: vec![app.settings.public_url.clone()],
        },
        title: t("hours-pdf-title"),
        meta: vec![(t("hours-pdf-client"), s.organization.name.clone()), (t("hours-pdf-period"), period.clone())],
        intro,
        table: Table {
            columns: vec![
                Column { header: t("hours-col-date"), align: Align::Left, width: 0.18 },
                Column { header: t("hours-col-movement"), align: Align::Left, width: 0.15 },
                Column { header: t("hours-col-request"), align: Align::Left, width: 0.1 },
                Column { header: t("hours-col-note"), align: Align::Left, width: 0.31 },
                Column { header: t("hours-col-hours"), align: Align::Right, width: 0.13 },
                Column { header: t("hours-col-balance"), align: Align::Right, width: 0.13 },
            ],
            rows,
        },
        totals: vec![
            TotalLine { label: t("hours-pdf-opening"), amount: format_hours(s.opening_minutes, code), emphasis: false },
            TotalLine { label: t("hours-pdf-moved"), amount: signed_hours(moved, lang), emphasis: false },
            TotalLine { label: t("hours-pdf-closing"), amount: format_hours(s.closing_minutes, code), emphasis: true },
        ],
        notes: vec![t("hours-pdf-note")],
        footer: format!("{} · {} · {period}", brand.name, s.organization.name),
        page_label: lang.text("hours-pdf-page", &[("page", "{page}".into()), ("pages", "{pages}".into())]),
        language: if lang == Lang::En { "en".to_owned() } else { "es-CO".to_owned() },
        creation_date: None,
    };
    alcance_pdf::render(&doc)
}
