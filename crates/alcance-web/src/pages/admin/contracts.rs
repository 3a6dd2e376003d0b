//! Support contracts: the list and its create form, each contract's working hours (the
//! week its SLA clock counts business time in), and the calendar closures.

use alcance_app::closures::{self, NewClosure};
use alcance_app::directory::{self, NewContract};
use alcance_app::{App, admin_views};
use alcance_domain::calendar::{DayNames, WEEK_TEXT_MAX, WeekTextError, WeeklyHours};
use alcance_domain::model::{Id, Organization};
use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::catalog::{MsgQuery, notice, require_org};
use super::{AdminPage, Errors, Refusal, day, form_refusal, invalid, percent};
use crate::i18n::Lang;
use crate::pages::{PageCtx, PageError, check_csrf, render};

#[derive(Deserialize, Default)]
pub struct ContractForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    organization: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    starts_on: String,
    #[serde(default)]
    ends_on: String,
    /// Whole pesos.
    #[serde(default)]
    hourly_rate: String,
    /// Percent, e.g. "19".
    #[serde(default)]
    tax_percent: String,
    #[serde(default)]
    allow_overdraft: Option<String>,
    /// As typed; empty keeps the default week.
    #[serde(default)]
    working_hours: String,
}

/// The "Agregar cierre" form. `closure_name`, not `name`: the contract form above has one.
#[derive(Deserialize, Default)]
pub struct ClosureForm {
    #[serde(default)]
    csrf_token: String,
    /// A contract id, or empty for every contract.
    #[serde(default)]
    contract: String,
    #[serde(default)]
    first_day: String,
    #[serde(default)]
    last_day: String,
    #[serde(default)]
    closure_name: String,
}

/// A closure as the table shows it.
struct ClosureView {
    id: Id,
    name: String,
    /// "24/12/2026 a 02/01/2027", or one date.
    days: String,
    /// "Cámara A · Soporte 2026", or "Todos los contratos".
    contract: String,
}

/// A contract's working hours as the "Horario de atención" section shows them, with its own
/// form (the value as typed and its error when that form was refused).
struct HoursView {
    contract_id: Id,
    /// "Organisation · Contract".
    label: String,
    /// The text in the page's language; empty for the default week.
    value: String,
    error: Option<String>,
}

/// A contract as the table shows it.
struct ContractView {
    organization: String,
    name: String,
    period: String,
    rate: String,
    tax: String,
    policy: String,
    overdraft: bool,
    active: bool,
}

#[derive(Template)]
#[template(path = "admin/contracts.html")]
struct ContractsPage {
    ctx: PageCtx,
    contracts: Vec<ContractView>,
    orgs: Vec<Organization>,
    /// Which policy new contracts get.
    policy_note: String,
    form: ContractForm,
    /// Field errors of whichever form was sent (their field names differ).
    errors: Errors,
    notice: Option<String>,
    closures: Vec<ClosureView>,
    /// (id, "Organisation · Contract") of every contract, for the closure form.
    contract_choices: Vec<(String, String)>,
    closure: ClosureForm,
    hours: Vec<HoursView>,
    /// The default week in the page's language (the placeholder of an empty field).
    default_hours: String,
}

/// A refused working-hours form: which contract, the text as typed and why.
type HoursRefusal = Option<(Id, String, String)>;

/// The contracts page with its forms: `form` and `closure` as sent (or their defaults), and
/// a refused working-hours form.
async fn contracts_page(
    app: &App,
    page: AdminPage,
    (form, closure, refused): (ContractForm, ClosureForm, HoursRefusal),
    errors: Errors,
    notice: Option<String>,
) -> Response {
    let AdminPage { ctx, actor } = page;
    let loaded = async {
        let rows = admin_views::contracts(app, &actor).await?;
        let orgs = admin_views::organizations(app, &actor).await?;
        let policy = admin_views::default_policy(app, &actor).await?;
        let closures = closures::list(app, &actor).await?;
        Ok::<_, alcance_app::AppError>((rows, orgs, policy, closures))
    };
    let (rows, orgs, policy, closure_rows) = match loaded.await {
        Ok(found) => found,
        Err(e) => return PageError::from_app(ctx, e).into_response(),
    };
    let contract_choices =
        rows.iter().map(|r| (r.contract.id.to_string(), format!("{} · {}", r.organization, r.contract.name))).collect();
    let names = day_names(ctx.lang);
    let hours = rows
        .iter()
        .map(|r| {
            let (value, error) = match &refused {
                Some((id, typed, error)) if *id == r.contract.id => (typed.clone(), Some(error.clone())),
                _ => (r.working_hours.as_deref().map(|t| in_language(t, names)).unwrap_or_default(), None),
            };
            let label = format!("{} · {}", r.organization, r.contract.name);
            HoursView { contract_id: r.contract.id, label, value, error }
        })
        .collect();
    let default_hours = alcance_app::sla::default_week().to_text(names);
    let closures = closure_rows
        .into_iter()
        .map(|item| {
            let c = item.closure;
            let (first, last) = (day(ctx.lang, &c.first_day.to_string()), day(ctx.lang, &c.last_day.to_string()));
            let days = if c.first_day == c.last_day {
                first
            } else {
                ctx.lang.text("admin-contracts-period", &[("start", first), ("end", last)])
            };
            let contract = item.contract.unwrap_or_else(|| ctx.t("admin-closures-every-contract"));
            ClosureView { id: c.id, name: c.name, days, contract }
        })
        .collect();
    let contracts = rows
        .into_iter()
        .map(|row| {
            let c = row.contract;
            let start = day(ctx.lang, &c.starts_on);
            let period = match &c.ends_on {
                Some(end) => ctx.lang.text("admin-contracts-period", &[("start", start), ("end", day(ctx.lang, end))]),
                None => ctx.t1("admin-contracts-from", "start", start),
            };
            ContractView {
                organization: row.organization,
                name: c.name,
                period,
                rate: crate::view::money(c.hourly_rate_minor, &c.currency),
                tax: ctx.t1("admin-percent", "value", percent(ctx.lang, c.tax_rate_basis_points)),
                policy: ctx.lang.text(
                    "admin-policy-key-version",
                    &[("key", row.policy_key), ("version", row.policy_version.to_string())],
                ),
                overdraft: c.allow_overdraft,
                active: c.active,
            }
        })
        .collect();
    let policy_note = ctx.lang.text(
        "admin-contracts-policy",
        &[("name", policy.name.get(ctx.lang_code()).to_owned()), ("version", policy.version.to_string())],
    );
    let failed = errors.any();
    let page = render(&ContractsPage {
        ctx,
        contracts,
        orgs,
        policy_note,
        form,
        errors,
        notice,
        closures,
        contract_choices,
        closure,
        hours,
        default_hours,
    });
    if failed || refused.is_some() { invalid(page) } else { page }
}

fn new_contract_form(ctx: &PageCtx) -> ContractForm {
    let today = ctx.now.with_timezone(&crate::view::DEFAULT_TIME_ZONE).date_naive().to_string();
    ContractForm { starts_on: today, tax_percent: "19".into(), ..ContractForm::default() }
}

pub async fn contracts(State(app): State<App>, page: AdminPage, Query(q): Query<MsgQuery>) -> Response {
    let notice = notice(&page.ctx, q.msg.as_deref());
    let forms = (new_contract_form(&page.ctx), ClosureForm::default(), None);
    contracts_page(&app, page, forms, Errors::default(), notice).await
}

/// Whole pesos as people type them: "150000", "150.000", "$ 150.000".
fn parse_pesos(text: &str) -> Option<i64> {
    let digits: String = text.chars().filter(|c| !matches!(c, '$' | '.' | ' ' | '\u{a0}')).collect();
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// A percentage as people type it ("19", "19,5", "19.5") in basis points.
fn parse_percent(text: &str) -> Option<i64> {
    let text = text.trim().trim_end_matches('%').trim().replace(',', ".");
    let value: f64 = text.parse().ok()?;
    if !(0.0..=100.0).contains(&value) {
        return None;
    }
    Some((value * 100.0).round() as i64)
}

pub async fn create_contract(State(app): State<App>, page: AdminPage, Form(form): Form<ContractForm>) -> Response {
    if let Err(e) = check_csrf(&page.ctx, &form.csrf_token) {
        return e.into_response();
    }
    let mut errors = Errors::default();
    let rate = parse_pesos(&form.hourly_rate);
    if rate.is_none() {
        errors.invalid(&page.ctx, "hourly_rate", "hourly_rate_minor");
    }
    let tax = parse_percent(&form.tax_percent);
    if tax.is_none() {
        errors.invalid(&page.ctx, "tax_percent", "tax_rate_basis_points");
    }
    if let Err(e) = hours_text(&form.working_hours) {
        errors.push("working_hours", hours_error(&page.ctx, &e));
    }
    require_org(&page.ctx, &form.organization, &mut errors);
    let (Some(rate), Some(tax), false) = (rate, tax, errors.any()) else {
        return contracts_page(&app, page, (form, ClosureForm::default(), None), errors, None).await;
    };
    let input = NewContract {
        organization: form.organization.clone(),
        name: form.name.clone(),
        starts_on: form.starts_on.clone(),
        ends_on: Some(form.ends_on.trim().to_owned()).filter(|d| !d.is_empty()),
        hourly_rate_minor: rate,
        currency: None,
        tax_rate_basis_points: Some(tax),
        allow_overdraft: form.allow_overdraft.is_some(),
        time_zone: None,
        policy_id: None,
    };
    let hours = Some(form.working_hours.as_str());
    match directory::create_contract_with_hours(&app, &page.actor, input, hours).await {
        Ok(_) => Redirect::to("/admin/contracts?msg=contract_created").into_response(),
        Err(e) => {
            let rename = [("hourly_rate_minor", "hourly_rate"), ("tax_rate_basis_points", "tax_percent")];
            match form_refusal(&page.ctx, e, &rename) {
                Refusal::Field(errors) => {
                    contracts_page(&app, page, (form, ClosureForm::default(), None), errors, None).await
                }
                Refusal::Page(response) => response,
            }
        }
    }
}

/// "Agregar cierre": a closure of one contract or of every contract.
pub async fn add_closure(State(app): State<App>, page: AdminPage, Form(form): Form<ClosureForm>) -> Response {
    if let Err(e) = check_csrf(&page.ctx, &form.csrf_token) {
        return e.into_response();
    }
    let contract_id = match form.contract.trim() {
        "" => None,
        id => match id.parse::<Id>() {
            Ok(id) => Some(id),
            Err(_) => {
                let mut errors = Errors::default();
                errors.invalid(&page.ctx, "contract", "contract");
                let forms = (new_contract_form(&page.ctx), form, None);
                return contracts_page(&app, page, forms, errors, None).await;
            }
        },
    };
    let input = NewClosure {
        contract_id,
        first_day: form.first_day.clone(),
        last_day: form.last_day.clone(),
        name: form.closure_name.clone(),
    };
    match closures::add(&app, &page.actor, input).await {
        Ok(_) => Redirect::to("/admin/contracts?msg=closure_added#closures").into_response(),
        Err(e) => match form_refusal(&page.ctx, e, &[("name", "closure_name")]) {
            Refusal::Field(errors) => {
                let forms = (new_contract_form(&page.ctx), form, None);
                contracts_page(&app, page, forms, errors, None).await
            }
            Refusal::Page(response) => response,
        },
    }
}

#[derive(Deserialize)]
pub struct DeleteClosureForm {
    #[serde(default)]
    csrf_token: String,
}

pub async fn delete_closure(
    State(app): State<App>,
    page: AdminPage,
    Path(id): Path<Id>,
    Form(form): Form<DeleteClosureForm>,
) -> Response {
    if let Err(e) = check_csrf(&page.ctx, &form.csrf_token) {
        return e.into_response();
    }
    match closures::delete(&app, &page.actor, id).await {
        Ok(()) => Redirect::to("/admin/contracts?msg=closure_deleted#closures").into_response(),
        Err(e) => PageError::from_app(page.ctx, e).into_response(),
    }
}

// ---------------------------------------------------------------------------------------
// Working hours

#[derive(Deserialize)]
pub struct HoursForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    working_hours: String,
}

/// The day names of the page's language.
fn day_names(lang: Lang) -> DayNames {
    if lang == Lang::En { DayNames::English } else { DayNames::Spanish }
}

/// A stored (canonical, Spanish) text written with `names`.
fn in_language(stored: &str, names: DayNames) -> String {
    WeeklyHours::parse_text(stored).map_or_else(|_| stored.to_owned(), |week| week.to_text(names))
}

/// Reads a typed text; empty is the default week.
fn hours_text(text: &str) -> Result<Option<WeeklyHours>, WeekTextError> {
    if text.trim().is_empty() { Ok(None) } else { WeeklyHours::parse_text(text).map(Some) }
}

/// What is wrong with a working-hours text, in the page's language, naming the piece at fault.
fn hours_error(ctx: &PageCtx, e: &WeekTextError) -> String {
    let day = |d: chrono::Weekday| ctx.t(&format!("admin-hours-day-{}", DayNames::English.name(d)));
    match e {
        WeekTextError::Empty => ctx.t("admin-hours-error-empty"),
        WeekTextError::TooLong => ctx.t1("admin-hours-error-too-long", "max", WEEK_TEXT_MAX),
        WeekTextError::UnknownDay(text) => ctx.t1("admin-hours-error-unknown-day", "text", text),
        WeekTextError::MissingDays(text) => ctx.t1("admin-hours-error-missing-days", "text", text),
        WeekTextError::MissingHours(text) => ctx.t1("admin-hours-error-missing-hours", "text", text),
        WeekTextError::BadInterval(text) => ctx.t1("admin-hours-error-bad-interval", "text", text),
        WeekTextError::Overlap(d) => ctx.t1("admin-hours-error-overlap", "day", day(*d)),
        WeekTextError::RepeatedDay(d) => ctx.t1("admin-hours-error-repeated-day", "day", day(*d)),
    }
}

/// "Guardar horario" of one contract: a text that does not read is shown back with what is
/// wrong and nothing changes.
pub async fn set_hours(
    State(app): State<App>,
    page: AdminPage,
    Path(id): Path<Id>,
    Form(form): Form<HoursForm>,
) -> Response {
    if let Err(e) = check_csrf(&page.ctx, &form.csrf_token) {
        return e.into_response();
    }
    let refused = |message: String| Some((id, form.working_hours.clone(), message));
    if let Err(e) = hours_text(&form.working_hours) {
        let forms = (new_contract_form(&page.ctx), ClosureForm::default(), refused(hours_error(&page.ctx, &e)));
        return contracts_page(&app, page, forms, Errors::default(), None).await;
    }
    match directory::set_working_hours(&app, &page.actor, id, &form.working_hours).await {
        Ok(_) => Redirect::to("/admin/contracts?msg=hours_saved#working-hours").into_response(),
        Err(e) => match form_refusal(&page.ctx, e, &[]) {
            Refusal::Field(errors) => {
                let message = errors.0.into_iter().next().map(|e| e.message).unwrap_or_default();
                let forms = (new_contract_form(&page.ctx), ClosureForm::default(), refused(message));
                contracts_page(&app, page, forms, Errors::default(), None).await
            }
            Refusal::Page(response) => response,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_as_typed() {
        assert_eq!(hours_text("  ").unwrap(), None, "empty is the default week");
        assert!(hours_text("lun-vie 08:00-18:00").unwrap().is_some());
        assert_eq!(hours_text("lun-vir 08:00-18:00").unwrap_err(), WeekTextError::UnknownDay("vir".into()));
        assert_eq!(
            in_language("lun-vie 08:00-18:00; sáb 08:00-12:00", DayNames::English),
            "mon-fri 08:00-18:00; sat 08:00-12:00"
        );
    }

    #[test]
    fn money_and_percent_as_typed() {
        assert_eq!(parse_pesos("150000"), Some(150_000));
        assert_eq!(parse_pesos("$ 150.000"), Some(150_000));
        assert_eq!(parse_pesos("150,5"), None);
        assert_eq!(parse_pesos(""), None);
        assert_eq!(parse_percent("19"), Some(1900));
        assert_eq!(parse_percent("19,5 %"), Some(1950));
        assert_eq!(parse_percent("101"), None);
        assert_eq!(parse_percent("abc"), None);
    }
}
