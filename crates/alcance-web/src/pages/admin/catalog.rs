//! Organisations, support contracts (with the calendar closures of their SLA clock) and
//! assets: the lists and their create forms.

use alcance_app::closures::{self, NewClosure};
use alcance_app::directory::{self, NewAsset, NewContract, NewOrganization};
use alcance_app::{App, admin_views};
use alcance_domain::model::{AssetKind, Id, Organization};
use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{AdminPage, Errors, Refusal, day, form_refusal, invalid, percent};
use crate::pages::{PageCtx, PageError, check_csrf, render};

/// Time zones offered as suggestions; any IANA name is accepted.
const ZONES: &[&str] = &[
    "America/Bogota",
    "America/Mexico_City",
    "America/Lima",
    "America/Guayaquil",
    "America/Panama",
    "America/Caracas",
    "America/Santiago",
    "America/Argentina/Buenos_Aires",
    "America/Sao_Paulo",
    "America/New_York",
    "America/Los_Angeles",
    "Europe/Madrid",
    "Etc/UTC",
];

#[derive(Deserialize, Default)]
pub struct MsgQuery {
    msg: Option<String>,
}

/// The confirmation shown after a successful form, from a fixed list (the query text is
/// never echoed).
fn notice(ctx: &PageCtx, msg: Option<&str>) -> Option<String> {
    let key = match msg? {
        "org_created" => "admin-msg-org-created",
        "contract_created" => "admin-msg-contract-created",
        "asset_created" => "admin-msg-asset-created",
        "closure_added" => "admin-msg-closure-added",
        "closure_deleted" => "admin-msg-closure-deleted",
        _ => return None,
    };
    Some(ctx.t(key))
}

// ---------------------------------------------------------------------------------------
// Organisations

#[derive(Deserialize, Default)]
pub struct OrgForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    slug: String,
    #[serde(default)]
    time_zone: String,
}

#[derive(Template)]
#[template(path = "admin/organizations.html")]
struct OrganizationsPage {
    ctx: PageCtx,
    orgs: Vec<Organization>,
    form: OrgForm,
    errors: Errors,
    notice: Option<String>,
    zones: &'static [&'static str],
}

async fn organizations_page(
    app: &App,
    page: AdminPage,
    form: OrgForm,
    errors: Errors,
    notice: Option<String>,
) -> Response {
    let AdminPage { ctx, actor } = page;
    match admin_views::organizations(app, &actor).await {
        Ok(orgs) => {
            let failed = errors.any();
            let page = render(&OrganizationsPage { ctx, orgs, form, errors, notice, zones: ZONES });
            if failed { invalid(page) } else { page }
        }
        Err(e) => PageError::from_app(ctx, e).into_response(),
    }
}

pub async fn organizations(State(app): State<App>, page: AdminPage, Query(q): Query<MsgQuery>) -> Response {
    let notice = notice(&page.ctx, q.msg.as_deref());
    let form = OrgForm { time_zone: directory::DEFAULT_TIME_ZONE.to_owned(), ..OrgForm::default() };
    organizations_page(&app, page, form, Errors::default(), notice).await
}

pub async fn create_organization(State(app): State<App>, page: AdminPage, Form(form): Form<OrgForm>) -> Response {
    if let Err(e) = check_csrf(&page.ctx, &form.csrf_token) {
        return e.into_response();
    }
    let zone = form.time_zone.trim();
    if !zone.is_empty() && zone.parse::<chrono_tz::Tz>().is_err() {
        let mut errors = Errors::default();
        errors.invalid(&page.ctx, "time_zone", "time_zone");
        return organizations_page(&app, page, form, errors, None).await;
    }
    let input = NewOrganization {
        slug: form.slug.trim().to_owned(),
        name: form.name.clone(),
        time_zone: Some(zone.to_owned()).filter(|z| !z.is_empty()),
    };
    match directory::create_org(&app, &page.actor, input).await {
        Ok(_) => Redirect::to("/admin/organizations?msg=org_created").into_response(),
        Err(e) => match form_refusal(&page.ctx, e, &[]) {
            Refusal::Field(errors) => organizations_page(&app, page, form, errors, None).await,
            Refusal::Page(response) => response,
        },
    }
}

// ---------------------------------------------------------------------------------------
// Contracts

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
}

/// The contracts page with both forms: `form` and `closure` as sent (or their defaults).
async fn contracts_page(
    app: &App,
    page: AdminPage,
    (form, closure): (ContractForm, ClosureForm),
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
    });
    if failed { invalid(page) } else { page }
}

fn new_contract_form(ctx: &PageCtx) -> ContractForm {
    let today = ctx.now.with_timezone(&crate::view::DEFAULT_TIME_ZONE).date_naive().to_string();
    ContractForm { starts_on: today, tax_percent: "19".into(), ..ContractForm::default() }
}

pub async fn contracts(State(app): State<App>, page: AdminPage, Query(q): Query<MsgQuery>) -> Response {
    let notice = notice(&page.ctx, q.msg.as_deref());
    let forms = (new_contract_form(&page.ctx), ClosureForm::default());
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

/// Every contract and asset belongs to an organisation: say so plainly when none is chosen.
fn require_org(ctx: &PageCtx, slug: &str, errors: &mut Errors) {
    if slug.is_empty() {
        let label = ctx.t("field-label-organization");
        errors.push("organization", ctx.lang.text("field-required", &[("field", label)]));
    }
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
    require_org(&page.ctx, &form.organization, &mut errors);
    let (Some(rate), Some(tax), false) = (rate, tax, errors.any()) else {
        return contracts_page(&app, page, (form, ClosureForm::default()), errors, None).await;
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
    match directory::create_contract(&app, &page.actor, input).await {
        Ok(_) => Redirect::to("/admin/contracts?msg=contract_created").into_response(),
        Err(e) => {
            let rename = [("hourly_rate_minor", "hourly_rate"), ("tax_rate_basis_points", "tax_percent")];
            match form_refusal(&page.ctx, e, &rename) {
                Refusal::Field(errors) => {
                    contracts_page(&app, page, (form, ClosureForm::default()), errors, None).await
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
                let forms = (new_contract_form(&page.ctx), form);
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
                let forms = (new_contract_form(&page.ctx), form);
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
// Assets

#[derive(Deserialize, Default)]
pub struct AssetForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    organization: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    url: String,
    #[serde(default)]
    description: String,
}

#[derive(Template)]
#[template(path = "admin/assets.html")]
struct AssetsPage {
    ctx: PageCtx,
    assets: Vec<admin_views::AssetRow>,
    orgs: Vec<Organization>,
    kinds: &'static [AssetKind],
    form: AssetForm,
    errors: Errors,
    notice: Option<String>,
}

impl AssetsPage {
    fn kind_label(&self, kind: &AssetKind) -> String {
        self.ctx.t(&format!("admin-kind-{}", kind.as_str()))
    }
}

async fn assets_page(app: &App, page: AdminPage, form: AssetForm, errors: Errors, notice: Option<String>) -> Response {
    let AdminPage { ctx, actor } = page;
    let loaded = async {
        Ok::<_, alcance_app::AppError>((
            admin_views::assets(app, &actor).await?,
            admin_views::organizations(app, &actor).await?,
        ))
    };
    match loaded.await {
        Ok((assets, orgs)) => {
            let failed = errors.any();
            let page = render(&AssetsPage { ctx, assets, orgs, kinds: AssetKind::ALL, form, errors, notice });
            if failed { invalid(page) } else { page }
        }
        Err(e) => PageError::from_app(ctx, e).into_response(),
    }
}

pub async fn assets(State(app): State<App>, page: AdminPage, Query(q): Query<MsgQuery>) -> Response {
    let notice = notice(&page.ctx, q.msg.as_deref());
    let form = AssetForm { kind: AssetKind::Software.as_str().to_owned(), ..AssetForm::default() };
    assets_page(&app, page, form, Errors::default(), notice).await
}

pub async fn create_asset(State(app): State<App>, page: AdminPage, Form(form): Form<AssetForm>) -> Response {
    if let Err(e) = check_csrf(&page.ctx, &form.csrf_token) {
        return e.into_response();
    }
    let mut errors = Errors::default();
    require_org(&page.ctx, &form.organization, &mut errors);
    if errors.any() {
        return assets_page(&app, page, form, errors, None).await;
    }
    let kind = match AssetKind::parse("kind", &form.kind) {
        Ok(kind) => kind,
        Err(e) => {
            let errors = match form_refusal(&page.ctx, e.into(), &[]) {
                Refusal::Field(errors) => errors,
                Refusal::Page(response) => return response,
            };
            return assets_page(&app, page, form, errors, None).await;
        }
    };
    let input = NewAsset {
        organization: form.organization.clone(),
        kind,
        name: form.name.clone(),
        url: Some(form.url.clone()),
        description: Some(form.description.clone()),
    };
    match directory::create_asset(&app, &page.actor, input).await {
        Ok(_) => Redirect::to("/admin/assets?msg=asset_created").into_response(),
        Err(e) => match form_refusal(&page.ctx, e, &[]) {
            Refusal::Field(errors) => assets_page(&app, page, form, errors, None).await,
            Refusal::Page(response) => response,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
