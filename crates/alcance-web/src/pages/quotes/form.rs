//! The draft form (new quote and draft changes): its fields as typed, read from an
//! URL-encoded body with indexed line names (`lines[2].hours`), and the refusals of the use
//! case placed next to their fields.

use alcance_app::AppError;
use alcance_app::quotes::{DraftInput, LineInput, Quote};
use alcance_domain::FieldError;
use alcance_domain::money::{self, Currency};
use alcance_domain::quote::LinePricing;

use crate::pages::PageCtx;

/// Rows the form offers without JavaScript: at least this many, and always a few blank ones.
pub const MIN_ROWS: usize = 5;
const BLANK_ROWS: usize = 2;
/// Rows read from a form; anything beyond is ignored (the domain allows 200 lines).
const MAX_ROWS: usize = 200;

/// One line of the form, as typed, with its errors.
#[derive(Default, Clone)]
pub struct Row {
    pub index: usize,
    /// 1-based, for people.
    pub n: usize,
    pub description: String,
    pub hours: String,
    pub rate: String,
    pub amount: String,
    pub description_error: Option<String>,
    pub hours_error: Option<String>,
    pub rate_error: Option<String>,
    pub amount_error: Option<String>,
}

impl Row {
    pub fn has_error(&self) -> bool {
        self.description_error.is_some()
            || self.hours_error.is_some()
            || self.rate_error.is_some()
            || self.amount_error.is_some()
    }
}

/// The form as shown.
#[derive(Default)]
pub struct DraftForm {
    pub action: String,
    pub csrf_token: String,
    pub title: String,
    pub notes: String,
    pub valid_until: String,
    pub rows: Vec<Row>,
    /// The contract's rate, as a new row's rate field shows it.
    pub default_rate: String,
    pub title_error: Option<String>,
    pub notes_error: Option<String>,
    pub valid_until_error: Option<String>,
    /// A refusal that belongs to no single field (the ticket, the status, the lines as a whole).
    pub form_error: Option<String>,
}

impl DraftForm {
    /// A new form: `rows` lines, the rate prefilled.
    pub fn blank(action: String, title: String, default_rate: String) -> Self {
        let mut form = DraftForm { action, title, default_rate, ..DraftForm::default() };
        form.pad();
        form
    }

    /// The form of an existing draft, its lines first.
    pub fn of(action: String, q: &Quote, lang: &str, default_rate: String) -> Self {
        let currency = Currency::from_code("currency", &q.currency).unwrap_or(Currency::Cop);
        let fmt = |minor: i64| money::format_money(minor, currency, lang);
        let rows = q
            .lines
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let mut row = Row { index: i, n: i + 1, description: l.description.clone(), ..Row::default() };
                match l.pricing {
                    LinePricing::Hours { minutes, rate_minor } => {
                        row.hours = money::format_hours(minutes, lang);
                        row.rate = fmt(rate_minor);
                    }
                    LinePricing::Fixed { .. } => row.amount = fmt(l.amount_minor),
                }
                row
            })
            .collect();
        let mut form = DraftForm {
            action,
            title: q.title.clone(),
            notes: q.notes.clone(),
            valid_until: q.valid_until.format("%Y-%m-%d").to_string(),
            rows,
            default_rate,
            ..DraftForm::default()
        };
        form.pad();
        form
    }

    /// Adds blank rows up to the minimum, and a couple more after the typed ones.
    fn pad(&mut self) {
        let last_used =
            self.rows.iter().rposition(|r| !(r.description.is_empty() && r.hours.is_empty() && r.amount.is_empty()));
        let wanted = (last_used.map_or(0, |i| i + 1) + BLANK_ROWS).clamp(MIN_ROWS, MAX_ROWS);
        self.rows.truncate(wanted.max(last_used.map_or(0, |i| i + 1)));
        while self.rows.len() < wanted {
            let index = self.rows.len();
            self.rows.push(Row { index, n: index + 1, rate: self.default_rate.clone(), ..Row::default() });
        }
    }

    /// Reads a submitted form (pairs in body order).
    pub fn read(action: String, pairs: Vec<(String, String)>, default_rate: String) -> Self {
        let mut form = DraftForm { action, default_rate, ..DraftForm::default() };
        for (name, value) in pairs {
            match name.as_str() {
                "csrf_token" => form.csrf_token = value,
                "title" => form.title = value,
                "notes" => form.notes = value,
                "valid_until" => form.valid_until = value,
                other => {
                    let Some((index, field)) = line_field(other) else { continue };
                    if index >= MAX_ROWS {
                        continue;
                    }
                    while form.rows.len() <= index {
                        let i = form.rows.len();
                        form.rows.push(Row { index: i, n: i + 1, ..Row::default() });
                    }
                    let row = &mut form.rows[index];
                    match field {
                        "description" => row.description = value,
                        "hours" => row.hours = value,
                        "rate" => row.rate = value,
                        "amount" => row.amount = value,
                        _ => {}
                    }
                }
            }
        }
        form
    }

    /// What the use case receives: every row, blank ones included (it skips them), so the
    /// indexes of its errors are the form's.
    pub fn input(&self) -> DraftInput {
        DraftInput {
            title: self.title.clone(),
            notes: self.notes.clone(),
            valid_until: self.valid_until.clone(),
            lines: self
                .rows
                .iter()
                .map(|r| {
                    // A rate alone (prefilled) on an otherwise blank row is still a blank row.
                    let blank =
                        r.description.trim().is_empty() && r.hours.trim().is_empty() && r.amount.trim().is_empty();
                    LineInput {
                        description: r.description.clone(),
                        hours: r.hours.clone(),
                        rate: if blank { String::new() } else { r.rate.clone() },
                        amount: r.amount.clone(),
                    }
                })
                .collect(),
        }
    }

    /// Places a refusal next to its field; `false` when it is not a field refusal.
    pub fn refused(&mut self, ctx: &PageCtx, e: &AppError) -> bool {
        let AppError::Invalid(f) = e else { return false };
        let message = |label: String| message(ctx, f, label);
        if let Some((index, field)) = line_field(&f.field)
            && let Some(row) = self.rows.get_mut(index)
        {
            let text = message(ctx.lang.text(&format!("quote-field-line-{field}"), &[("n", (index + 1).to_string())]));
            match field {
                "description" => row.description_error = Some(text),
                "rate" => row.rate_error = Some(text),
                "amount" => row.amount_error = Some(text),
                _ => row.hours_error = Some(text),
            }
            self.pad();
            return true;
        }
        match f.field.as_str() {
            "title" => self.title_error = Some(message(ctx.t("quote-field-title"))),
            "notes" => self.notes_error = Some(message(ctx.t("quote-field-notes"))),
            "valid_until" => self.valid_until_error = Some(message(ctx.t("quote-field-valid-until"))),
            "ticket" => self.form_error = Some(ctx.t("quote-error-not-quotable")),
            "status" => self.form_error = Some(ctx.t("quote-error-not-draft")),
            "lines"
                if f.code == alcance_domain::FieldErrorCode::Required
                    || f.code == alcance_domain::FieldErrorCode::TooShort =>
            {
                self.form_error = Some(ctx.t("quote-error-no-lines"))
            }
            _ => self.form_error = Some(message(ctx.t("quote-field-lines"))),
        }
        self.pad();
        true
    }

    pub fn has_errors(&self) -> bool {
        self.title_error.is_some()
            || self.notes_error.is_some()
            || self.valid_until_error.is_some()
            || self.form_error.is_some()
            || self.rows.iter().any(Row::has_error)
    }
}

fn message(ctx: &PageCtx, f: &FieldError, label: String) -> String {
    ctx.lang.text(
        &format!("field-{}", f.code.as_str()),
        &[("field", label), ("detail", f.detail.clone().unwrap_or_default())],
    )
}

/// `lines[2].hours` -> (2, "hours").
fn line_field(name: &str) -> Option<(usize, &str)> {
    let rest = name.strip_prefix("lines[")?;
    let (index, field) = rest.split_once("].")?;
    Some((index.parse().ok()?, field))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn lines_are_read_by_their_index_and_blank_rows_stay_blank() {
        let form = DraftForm::read(
            "/x".into(),
            pairs(&[
                ("title", "Módulo"),
                ("lines[0].description", "Análisis"),
                ("lines[0].hours", "2,5"),
                ("lines[0].rate", "$ 150.000"),
                ("lines[0].amount", ""),
                ("lines[1].description", ""),
                ("lines[1].hours", ""),
                ("lines[1].rate", "$ 150.000"),
                ("lines[2].description", "Licencia"),
                ("lines[2].amount", "300.000"),
                ("lines[9999].description", "fuera"),
            ]),
            "$ 150.000".into(),
        );
        let input = form.input();
        assert_eq!(input.title, "Módulo");
        assert_eq!(input.lines.len(), 3);
        assert_eq!(input.lines[0].hours, "2,5");
        assert_eq!(input.lines[1].rate, "", "a prefilled rate alone is a blank row");
        assert_eq!(input.lines[2].amount, "300.000");
        assert_eq!(line_field("lines[12].rate"), Some((12, "rate")));
        assert_eq!(line_field("title"), None);
    }

    #[test]
    fn a_new_form_offers_five_rows_with_the_rate() {
        let form = DraftForm::blank("/x".into(), "Asunto".into(), "$ 150.000".into());
        assert_eq!(form.rows.len(), MIN_ROWS);
        assert!(form.rows.iter().all(|r| r.rate == "$ 150.000"));
        assert_eq!(form.rows[4].n, 5);
    }
}
