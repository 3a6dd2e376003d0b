//! A quote as a branded PDF and as the e-mail that carries it.
//!
//! The PDF is built here rather than in the web layer because the e-mail sent with a quote
//! must attach it inside the transaction that sends the quote; the download routes use the
//! same function. Its few fixed labels live here in Spanish and English, like the
//! not-covered notice, until issue 6 brings mail templates.

use alcance_domain::money::{self, Currency};
use alcance_domain::quote::LinePricing;
use alcance_pdf::{Align, Brand as PdfBrand, Column, Document, Table, TotalLine};
use alcance_store::Conn;
use alcance_store::repo::quotes::Quote;
use alcance_store::repo::{organizations, web};
use chrono::{DateTime, Utc};

use crate::time_entries::managers;
use crate::{AppError, Brand, Settings};

struct Labels {
    title: &'static str,
    client: &'static str,
    request: &'static str,
    issued: &'static str,
    valid_until: &'static str,
    description: &'static str,
    quantity: &'static str,
    rate: &'static str,
    amount: &'static str,
    subtotal: &'static str,
    tax: &'static str,
    total: &'static str,
    fixed: &'static str,
    accept: &'static str,
    page: &'static str,
}

const ES: Labels = Labels {
    title: "Cotización",
    client: "Cliente",
    request: "Solicitud",
    issued: "Fecha",
    valid_until: "Válida hasta",
    description: "Descripción",
    quantity: "Cantidad",
    rate: "Valor unitario",
    amount: "Valor",
    subtotal: "Subtotal",
    tax: "IVA",
    total: "Total",
    fixed: "Valor fijo",
    accept: "Puede aceptar o rechazar esta cotización en el portal de soporte, en la página de la solicitud.",
    page: "Página {page} de {pages}",
};

const EN: Labels = Labels {
    title: "Quote",
    client: "Client",
    request: "Request",
    issued: "Date",
    valid_until: "Valid until",
    description: "Description",
    quantity: "Quantity",
    rate: "Unit price",
    amount: "Amount",
    subtotal: "Subtotal",
    tax: "VAT",
    total: "Total",
    fixed: "Fixed price",
    accept: "You can accept or reject this quote on the support portal, on the request's page.",
    page: "Page {page} of {pages}",
};

/// `#rrggbb` or `#rgb` as RGB (the brand's colour was validated at start).
fn rgb(color: &str) -> [u8; 3] {
    let hex = color.trim_start_matches('#');
    let full: String = if hex.len() == 3 { hex.chars().flat_map(|c| [c, c]).collect() } else { hex.to_owned() };
    let byte = |i: usize| full.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok()).unwrap_or(0);
    [byte(0), byte(2), byte(4)]
}

/// The quote as a PDF in `lang` ("es" or "en").
pub fn quote_pdf(q: &Quote, organization_name: &str, brand: &Brand, public_url: &str, lang: &str) -> Vec<u8> {
    let l = if lang == "en" { &EN } else { &ES };
    let currency = Currency::from_code("currency", &q.currency).unwrap_or(Currency::Cop);
    let fmt = |minor: i64| money::format_money(minor, currency, lang);
    let date = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
    let rows = q
        .lines
        .iter()
        .map(|line| match line.pricing {
            LinePricing::Hours { minutes, rate_minor } => {
                vec![
                    line.description.clone(),
                    money::format_hours(minutes, lang),
                    fmt(rate_minor),
                    fmt(line.amount_minor),
                ]
            }
            LinePricing::Fixed { .. } => {
                vec![line.description.clone(), l.fixed.to_owned(), String::new(), fmt(line.amount_minor)]
            }
        })
        .collect();
    let tax_percent = format!("{} {} %", l.tax, q.tax_rate_basis_points as f64 / 100.0)
        .replace('.', if lang == "en" { "." } else { "," });
    let mut notes: Vec<String> = q.notes.split("\n\n").map(str::to_owned).filter(|n| !n.trim().is_empty()).collect();
    notes.push(l.accept.to_owned());
    let doc = Document {
        brand: PdfBrand { name: brand.name.clone(), color: rgb(&brand.color), lines: vec![public_url.to_owned()] },
        title: format!("{} {}", l.title, q.number),
        meta: vec![
            (l.client.to_owned(), organization_name.to_owned()),
            (l.request.to_owned(), format!("#{} {}", q.ticket_number, q.title)),
            (l.issued.to_owned(), date(q.sent_at.unwrap_or(q.created_at).date_naive())),
            (l.valid_until.to_owned(), date(q.valid_until)),
        ],
        intro: Vec::new(),
        table: Table {
            columns: vec![
                Column { header: l.description.to_owned(), align: Align::Left, width: 0.52 },
                Column { header: l.quantity.to_owned(), align: Align::Right, width: 0.14 },
                Column { header: l.rate.to_owned(), align: Align::Right, width: 0.16 },
                Column { header: l.amount.to_owned(), align: Align::Right, width: 0.18 },
            ],
            rows,
        },
        totals: vec![
            TotalLine { label: l.subtotal.to_owned(), amount: fmt(q.subtotal_minor), emphasis: false },
            TotalLine { label: tax_percent, amount: fmt(q.tax_minor), emphasis: false },
            TotalLine { label: l.total.to_owned(), amount: fmt(q.total_minor), emphasis: true },
        ],
        notes,
        footer: format!("{} · {}", brand.name, q.number),
        page_label: l.page.to_owned(),
        language: if lang == "en" { "en".to_owned() } else { "es-CO".to_owned() },
        creation_date: None,
    };
    alcance_pdf::render(&doc)
}

/// Tells the organisation's managers that a quote was sent, with the PDF attached.
pub(crate) async fn notify_sent(
    c: &mut dyn Conn,
    q: &Quote,
    settings: &Settings,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let org = organizations::by_id(c, q.organization_id).await?.ok_or(AppError::NotFound)?;
    let base = settings.public_url.trim_end_matches('/');
    let link = format!("{base}/portal/tickets/{}", q.ticket_number);
    for manager in managers(c, q.organization_id).await? {
        let lang = if manager.language == "en" { "en" } else { "es" };
        let currency = Currency::from_code("currency", &q.currency).unwrap_or(Currency::Cop);
        let total = money::format_money(q.total_minor, currency, lang);
        let (subject, body) = if lang == "en" {
            (
                format!("Quote {} for request #{}", q.number, q.ticket_number),
                format!(
                    "Hello {},\n\nWe sent you quote {} for request #{} \"{}\": {} (VAT included), valid until {}.\nThe PDF is attached. Accept or reject it here:\n{link}\n\nKind regards,\n{}",
                    manager.name, q.number, q.ticket_number, q.title, total, q.valid_until, settings.brand.name
                ),
            )
        } else {
            (
                format!("Cotización {} para la solicitud #{}", q.number, q.ticket_number),
                format!(
                    "Hola, {}:\n\nLe enviamos la cotización {} para la solicitud #{} «{}»: {} (IVA incluido), válida hasta el {}.\nAdjuntamos el PDF. Acéptela o recházela aquí:\n{link}\n\nCordialmente,\n{}",
                    manager.name, q.number, q.ticket_number, q.title, total, q.valid_until, settings.brand.name
                ),
            )
        };
        let id = web::enqueue_ticket_email(c, &manager.email, &subject, &body, q.ticket_id, now).await?;
        let pdf = quote_pdf(q, &org.name, &settings.brand, base, lang);
        web::attach_to_email(c, id, &format!("{}.pdf", q.number), "application/pdf", pdf).await?;
    }
    Ok(())
}
