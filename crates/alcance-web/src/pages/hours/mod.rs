//! Pages for prepaid hours: the client manager's balance and statements (/portal/hours),
//! the agent's time entries on a ticket (/agent/tickets/{n}/time), and the admin's
//! purchases and reversals (/admin/hours).

mod admin;
mod agent;
mod portal;
pub mod statement;

use alcance_app::App;
use alcance_app::hours::{HoursOverview, Package, Statement};
use alcance_domain::model::Organization;
use alcance_domain::money::{Currency, format_hours, format_money};
use axum::Router;
use axum::routing::{get, post};
use chrono::NaiveDate;

use super::admin::Errors;
use super::{FormError, PageCtx};
use crate::view;

pub fn router() -> Router<App> {
    Router::new()
        .route("/portal/hours", get(portal::page))
        .route("/portal/hours/statement.csv", get(portal::csv))
        .route("/portal/hours/statement.pdf", get(portal::pdf))
        .route("/agent/tickets/{number}/time", get(agent::page).post(agent::log))
        .route("/admin/hours", get(admin::page))
        .route("/admin/hours/purchase", post(admin::purchase))
        .route("/admin/hours/reverse", post(admin::reverse))
}

/// The days before expiry from which a package is flagged ("vence en N días").
const EXPIRY_WARNING_DAYS: i64 = 30;

/// Where a package stands today.
pub enum PackageState {
    Live,
    /// Expires within [`EXPIRY_WARNING_DAYS`]; the days left (0 = today is its last day).
    Soon(i64),
    Expired,
}

/// A package as the tables show it.
pub struct PackageView {
    pub id: i64,
    pub bought: String,
    pub balance: String,
    pub price: String,
    pub purchased_on: String,
    pub expires_on: String,
    pub invoice_ref: String,
    pub state: PackageState,
}

impl PackageView {
    pub fn expired(&self) -> bool {
        matches!(self.state, PackageState::Expired)
    }

    /// "vence en N días" / "vence hoy", when it expires soon.
    pub fn warning(&self, ctx: &PageCtx) -> Option<String> {
        match self.state {
            PackageState::Soon(0) => Some(ctx.t("hours-expires-today")),
            PackageState::Soon(1) => Some(ctx.t("hours-expires-in-one")),
            PackageState::Soon(n) => Some(ctx.t1("hours-expires-in", "days", n)),
            _ => None,
        }
    }
}

fn state(today: NaiveDate, expires_on: NaiveDate) -> PackageState {
    let left = (expires_on - today).num_days();
    if left < 0 {
        PackageState::Expired
    } else if left < EXPIRY_WARNING_DAYS {
        PackageState::Soon(left)
    } else {
        PackageState::Live
    }
}

/// The overview's packages as the tables show them.
pub fn package_views(ctx: &PageCtx, o: &HoursOverview) -> Vec<PackageView> {
    o.packages.iter().map(|p| package_view(ctx, o.today, p, o.currency)).collect()
}

fn package_view(ctx: &PageCtx, today: NaiveDate, p: &Package, currency: Currency) -> PackageView {
    let lang = ctx.lang;
    PackageView {
        id: p.id,
        bought: format_hours(p.minutes, lang.code()),
        balance: format_hours(p.balance_minutes, lang.code()),
        price: format_money(p.price_minor, currency, lang.code()),
        purchased_on: statement::day(lang, p.purchased_on),
        expires_on: statement::day(lang, p.expires_on),
        invoice_ref: p.invoice_ref.clone(),
        state: state(today, p.expires_on),
    }
}

/// One movement of hours as the tables show it.
pub struct MovementView {
    pub id: i64,
    pub iso: String,
    pub when: String,
    pub kind: String,
    pub kind_label: String,
    pub ticket_number: Option<i64>,
    pub note: String,
    pub hours: String,
    pub debit: bool,
    pub balance: String,
    pub package_id: i64,
}

/// A statement's rows, newest first.
pub fn movements(ctx: &PageCtx, s: &Statement) -> Vec<MovementView> {
    let tz = view::zone(&s.organization.time_zone);
    s.rows
        .iter()
        .rev()
        .map(|r| {
            let e = &r.entry;
            MovementView {
                id: e.id,
                iso: view::iso(e.created_at),
                when: view::datetime(ctx.lang, tz, e.created_at),
                kind: e.kind.as_str().to_owned(),
                kind_label: ctx.t(&format!("hours-kind-{}", e.kind.as_str())),
                ticket_number: e.ticket_number,
                note: e.note.clone(),
                hours: statement::signed_hours(e.minutes, ctx.lang),
                debit: e.minutes < 0,
                balance: format_hours(r.balance_after, ctx.lang.code()),
                package_id: e.package_id,
            }
        })
        .collect()
}

/// Today in the organisation's time zone.
pub fn today(ctx: &PageCtx, org: &Organization) -> NaiveDate {
    alcance_app::hours::today_in(&org.time_zone, ctx.now)
}

/// A use case's field error as shown next to the control, with this area's field labels.
pub fn field_errors(ctx: &PageCtx, e: &alcance_app::AppError) -> Option<Errors> {
    let alcance_app::AppError::Invalid(f) = e else { return None };
    let label = ctx.t(&format!("hours-label-{}", f.field));
    let message = ctx.lang.text(
        &format!("field-{}", f.code.as_str()),
        &[("field", label), ("detail", f.detail.clone().unwrap_or_default())],
    );
    Some(Errors(vec![FormError { field: f.field.clone(), message }]))
}
