//! /admin/hours: an admin picks an organisation, sees its packages, balance and movements,
//! records a purchase (hours, price, dates, invoice) and reverses a movement with a note.

use alcance_app::hours::{self, PurchaseInput};
use alcance_app::{App, admin_views};
use alcance_domain::hours::LedgerEntryKind;
use alcance_domain::model::Organization;
use alcance_domain::money::format_hours;
use askama::Template;
use axum::extract::{Form, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use serde::Deserialize;

use super::{MovementView, PackageView, field_errors, movements, package_views};
use crate::pages::admin::{AdminPage, Errors, invalid};
use crate::pages::{PageCtx, PageError, check_csrf, render};

#[derive(Deserialize, Default)]
pub struct PageQuery {
    org: Option<String>,
    msg: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct PurchaseForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    organization: String,
    #[serde(default)]
    hours: String,
    #[serde(default)]
    price: String,
    #[serde(default)]
    purchased_on: String,
    #[serde(default)]
    expires_on: String,
    #[serde(default)]
    invoice_ref: String,
}

#[derive(Deserialize, Default)]
pub struct ReverseForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    organization: String,
    #[serde(default)]
    entry: String,
    #[serde(default)]
    note: String,
}

/// The chosen organisation's hours.
struct Chosen {
    id: i64,
    name: String,
    available: String,
    currency: String,
    packages: Vec<PackageView>,
    movements: Vec<MovementView>,
    /// Movements that may still be reversed: (id, label).
    reversible: Vec<(i64, String)>,
}

#[derive(Template)]
#[template(path = "hours/admin.html")]
struct HoursAdminPage {
    ctx: PageCtx,
    orgs: Vec<Organization>,
    chosen: Option<Chosen>,
    purchase: PurchaseForm,
    reverse: ReverseForm,
    errors: Errors,
    notice: Option<String>,
}

fn notice(ctx: &PageCtx, msg: Option<&str>) -> Option<String> {
    let key = match msg? {
        "purchased" => "hours-msg-purchased",
        "reversed" => "hours-msg-reversed",
        _ => return None,
    };
    Some(ctx.t(key))
}

/// The first day any statement could hold: before the product existed.
fn beginning() -> NaiveDate {
    NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default()
}

async fn chosen(app: &App, page: &AdminPage, org: i64) -> Result<Chosen, alcance_app::AppError> {
    let ctx = &page.ctx;
    let overview = hours::overview(app, &page.actor, org).await?;
    let all = hours::statement(app, &page.actor, org, beginning(), overview.today).await?;
    let reversed: Vec<i64> = all.rows.iter().filter_map(|r| r.entry.reverses_id).collect();
    let reversible = all
        .rows
        .iter()
        .rev()
        .filter(|r| r.entry.kind != LedgerEntryKind::Reversal && !reversed.contains(&r.entry.id))
        .map(|r| {
            let e = &r.entry;
            let ticket = e.ticket_number.map(|n| format!(" · #{n}")).unwrap_or_default();
            let kind = ctx.t(&format!("hours-kind-{}", e.kind.as_str()));
            (e.id, format!("{} · {kind} · {}{ticket}", e.id, format_hours(e.minutes, ctx.lang.code())))
        })
        .collect();
    Ok(Chosen {
        id: overview.organization.id,
        name: overview.organization.name.clone(),
        available: format_hours(overview.available_minutes, ctx.lang.code()),
        currency: overview.currency.as_str().to_owned(),
        packages: package_views(ctx, &overview),
        movements: movements(ctx, &all),
        reversible,
    })
}

async fn show(
    app: &App,
    page: AdminPage,
    org: Option<i64>,
    purchase: PurchaseForm,
    reverse: ReverseForm,
    errors: Errors,
    notice: Option<String>,
) -> Response {
    let orgs = match admin_views::organizations(app, &page.actor).await {
        Ok(orgs) => orgs,
        Err(e) => return PageError::from_app(page.ctx, e).into_response(),
    };
    let chosen = match org {
        Some(id) => match chosen(app, &page, id).await {
            Ok(c) => Some(c),
            Err(e) => return PageError::from_app(page.ctx, e).into_response(),
        },
        None => None,
    };
    let failed = !errors.0.is_empty();
    let response = render(&HoursAdminPage { ctx: page.ctx, orgs, chosen, purchase, reverse, errors, notice });
    if failed { invalid(response) } else { response }
}

fn org_id(text: &str) -> Option<i64> {
    text.trim().parse::<i64>().ok().filter(|n| *n > 0)
}

pub async fn page(State(app): State<App>, page: AdminPage, Query(q): Query<PageQuery>) -> Response {
    let notice = notice(&page.ctx, q.msg.as_deref());
    let org = q.org.as_deref().and_then(org_id);
    show(&app, page, org, PurchaseForm::default(), ReverseForm::default(), Errors::default(), notice).await
}

pub async fn purchase(State(app): State<App>, page: AdminPage, Form(form): Form<PurchaseForm>) -> Response {
    if let Err(e) = check_csrf(&page.ctx, &form.csrf_token) {
        return e.into_response();
    }
    let Some(org) = org_id(&form.organization) else { return PageError::NotFound(page.ctx).into_response() };
    let input = PurchaseInput {
        hours: form.hours.clone(),
        price: form.price.clone(),
        purchased_on: form.purchased_on.clone(),
        expires_on: form.expires_on.clone(),
        invoice_ref: form.invoice_ref.clone(),
    };
    match hours::record_purchase(&app, &page.actor, org, input).await {
        Ok(_) => Redirect::to(&format!("/admin/hours?org={org}&msg=purchased")).into_response(),
        Err(e) => match field_errors(&page.ctx, &e) {
            Some(errors) => show(&app, page, Some(org), form, ReverseForm::default(), errors, None).await,
            None => PageError::from_app(page.ctx, e).into_response(),
        },
    }
}

pub async fn reverse(State(app): State<App>, page: AdminPage, Form(form): Form<ReverseForm>) -> Response {
    if let Err(e) = check_csrf(&page.ctx, &form.csrf_token) {
        return e.into_response();
    }
    let Some(org) = org_id(&form.organization) else { return PageError::NotFound(page.ctx).into_response() };
    let Some(entry) = org_id(&form.entry) else {
        let mut errors = Errors::default();
        let label = page.ctx.t("hours-label-entry");
        errors.push("entry", page.ctx.lang.text("field-required", &[("field", label)]));
        return show(&app, page, Some(org), PurchaseForm::default(), form, errors, None).await;
    };
    match hours::reverse(&app, &page.actor, entry, &form.note).await {
        Ok(_) => Redirect::to(&format!("/admin/hours?org={org}&msg=reversed")).into_response(),
        Err(e) => match field_errors(&page.ctx, &e) {
            Some(errors) => show(&app, page, Some(org), PurchaseForm::default(), form, errors, None).await,
            None => PageError::from_app(page.ctx, e).into_response(),
        },
    }
}
