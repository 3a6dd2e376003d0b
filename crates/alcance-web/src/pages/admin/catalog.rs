//! Organisations and assets: the lists and their create forms (contracts are in
//! `contracts.rs`).

use alcance_app::directory::{self, NewAsset, NewOrganization};
use alcance_app::{App, admin_views};
use alcance_domain::model::{AssetKind, Organization};
use askama::Template;
use axum::extract::{Form, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{AdminPage, Errors, Refusal, form_refusal, invalid};
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
    pub(super) msg: Option<String>,
}

/// The confirmation shown after a successful form, from a fixed list (the query text is
/// never echoed).
pub(super) fn notice(ctx: &PageCtx, msg: Option<&str>) -> Option<String> {
    let key = match msg? {
        "org_created" => "admin-msg-org-created",
        "contract_created" => "admin-msg-contract-created",
        "asset_created" => "admin-msg-asset-created",
        "closure_added" => "admin-msg-closure-added",
        "closure_deleted" => "admin-msg-closure-deleted",
        "hours_saved" => "admin-msg-hours-saved",
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

/// Every contract and asset belongs to an organisation: say so plainly when none is chosen.
pub(super) fn require_org(ctx: &PageCtx, slug: &str, errors: &mut Errors) {
    if slug.is_empty() {
        let label = ctx.t("field-label-organization");
        errors.push("organization", ctx.lang.text("field-required", &[("field", label)]));
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
