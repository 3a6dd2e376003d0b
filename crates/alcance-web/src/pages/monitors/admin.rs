//! /admin/monitors: the monitors (list, create), an organisation's integration tokens and
//! each active contract's monitoring terms, on one page; /admin/monitors/{id}: one monitor's
//! settings (edit, pause or resume, a new heartbeat URL). A heartbeat's secret URL is shown
//! once, on the answer to the form that made it, and never stored in the clear.

use alcance_app::monitoring::{self, views};
use alcance_app::{App, AppError, directory};
use alcance_domain::model::{Id, Organization};
use alcance_domain::monitor::MonitorKind;
use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::form::{self, Choice, MonitorForm, Shown};
use super::integrations::{TokenForm, TokenShown};
use super::{StateBadge, kind_label, public_base, refusal, seconds};
use crate::pages::admin::{AdminPage, Errors, invalid};
use crate::pages::{PageCtx, PageError, check_csrf, render};

#[derive(Deserialize, Default)]
pub struct MsgQuery {
    msg: Option<String>,
}

/// A heartbeat's URL, on the one answer that shows it.
pub struct HeartbeatShown {
    pub name: String,
    pub url: String,
    pub curl: String,
    pub cron: String,
}

fn heartbeat_shown(app: &App, name: &str, secret: &str) -> HeartbeatShown {
    let url = format!("{}/api/v1/heartbeat/{secret}", public_base(app));
    let curl = format!("curl -fsS -m 10 --retry 3 {url} > /dev/null");
    HeartbeatShown { name: name.to_owned(), cron: format!("30 2 * * * /usr/local/bin/backup.sh && {curl}"), curl, url }
}

struct MonitorLine {
    id: Id,
    organization: String,
    name: String,
    kind: String,
    target: String,
    every: String,
    state: StateBadge,
}

struct TokenLine {
    id: Id,
    organization: String,
    name: String,
    created_at: DateTime<Utc>,
    last_used_at: Option<DateTime<Utc>>,
    revoked: bool,
}

struct TermsLine {
    contract_id: Id,
    organization: String,
    org_slug: String,
    contract: String,
    public: bool,
    resolve: bool,
}

/// What one answer adds to the page: a form to re-fill, errors, a notice, a secret.
#[derive(Default)]
pub struct Extras {
    pub form: Option<MonitorForm>,
    pub token_form: Option<TokenForm>,
    pub errors: Errors,
    pub notice: Option<String>,
    pub heartbeat: Option<HeartbeatShown>,
    pub token: Option<TokenShown>,
}

#[derive(Template)]
#[template(path = "monitors/admin.html")]
struct AdminMonitorsPage {
    ctx: PageCtx,
    orgs: Vec<Organization>,
    assets: Vec<Choice>,
    kinds: Vec<Choice>,
    methods: Vec<Choice>,
    categories: Vec<Choice>,
    monitors: Vec<MonitorLine>,
    tokens: Vec<TokenLine>,
    terms: Vec<TermsLine>,
    form: MonitorForm,
    shown: Shown,
    token_form: TokenForm,
    errors: Errors,
    notice: Option<String>,
    heartbeat: Option<HeartbeatShown>,
    token: Option<TokenShown>,
}

/// The page's lists, read as the admin sees them.
struct Lists {
    orgs: Vec<Organization>,
    assets: Vec<Choice>,
    monitors: Vec<MonitorLine>,
    tokens: Vec<TokenLine>,
    terms: Vec<TermsLine>,
}

async fn lists(app: &App, page: &AdminPage) -> Result<Lists, AppError> {
    let (ctx, actor) = (&page.ctx, &page.actor);
    let orgs = directory::list_orgs(app, actor).await?;
    let org_name = |id: Id| orgs.iter().find(|o| o.id == id).map_or_else(|| format!("#{id}"), |o| o.name.clone());
    let assets = form::assets(&directory::list_assets(app, actor, None).await?, &orgs);
    let monitors = views::console(app, actor, None)
        .await?
        .into_iter()
        .map(|s| MonitorLine {
            id: s.monitor.id,
            organization: s.organization.name,
            kind: kind_label(ctx, s.monitor.kind),
            target: if s.monitor.kind == MonitorKind::Heartbeat { "–".to_owned() } else { s.monitor.target.clone() },
            every: seconds(s.monitor.interval_seconds),
            state: StateBadge::of(ctx, s.monitor.enabled, s.monitor.state),
            name: s.monitor.name,
        })
        .collect();
    let tokens = monitoring::list_integration_tokens(app, actor)
        .await?
        .into_iter()
        .map(|t| TokenLine {
            id: t.id,
            organization: org_name(t.organization_id),
            name: t.name,
            created_at: t.created_at,
            last_used_at: t.last_used_at,
            revoked: t.revoked_at.is_some(),
        })
        .collect();
    let mut terms = Vec::new();
    for c in directory::list_contracts(app, actor, None).await?.into_iter().filter(|c| c.active) {
        let t = monitoring::terms(app, actor, c.id).await?;
        let org = orgs.iter().find(|o| o.id == c.organization_id);
        terms.push(TermsLine {
            contract_id: c.id,
            organization: org_name(c.organization_id),
            org_slug: org.map(|o| o.slug.clone()).unwrap_or_default(),
            contract: c.name,
            public: t.status_page_public,
            resolve: t.resolve_on_recovery,
        });
    }
    Ok(Lists { orgs, assets, monitors, tokens, terms })
}

/// The secret on this answer must not linger in any cache.
pub fn no_store(mut response: Response) -> Response {
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

pub async fn show(app: &App, page: AdminPage, extras: Extras) -> Response {
    let l = match lists(app, &page).await {
        Ok(l) => l,
        Err(e) => return PageError::from_app(page.ctx, e).into_response(),
    };
    let ctx = page.ctx;
    let (failed, secret) = (extras.errors.any(), extras.heartbeat.is_some() || extras.token.is_some());
    let response = render(&AdminMonitorsPage {
        kinds: form::kinds(&ctx),
        methods: form::methods(),
        categories: form::categories(&ctx),
        orgs: l.orgs,
        assets: l.assets,
        monitors: l.monitors,
        tokens: l.tokens,
        terms: l.terms,
        form: extras.form.unwrap_or_else(MonitorForm::blank),
        shown: Shown::all(),
        token_form: extras.token_form.unwrap_or_default(),
        errors: extras.errors,
        notice: extras.notice,
        heartbeat: extras.heartbeat,
        token: extras.token,
        ctx,
    });
    match (failed, secret) {
        (true, _) => invalid(response),
        (false, true) => no_store(response),
        (false, false) => response,
    }
}

/// The confirmation a `?msg=` names; anything else shows nothing.
fn notice(ctx: &PageCtx, msg: Option<&str>) -> Option<String> {
    let key = match msg? {
        "created" => "monitors-msg-created",
        "saved" => "monitors-msg-saved",
        "token_revoked" => "monitors-msg-token-revoked",
        "terms_saved" => "monitors-msg-terms-saved",
        _ => return None,
    };
    Some(ctx.t(key))
}

pub async fn page(State(app): State<App>, page: AdminPage, Query(q): Query<MsgQuery>) -> Response {
    let notice = notice(&page.ctx, q.msg.as_deref());
    show(&app, page, Extras { notice, ..Extras::default() }).await
}

pub async fn create(State(app): State<App>, page: AdminPage, Form(form): Form<MonitorForm>) -> Response {
    if let Err(e) = check_csrf(&page.ctx, &form.csrf_token) {
        return e.into_response();
    }
    let created = match form.asset() {
        Ok(asset) => monitoring::create(&app, &page.actor, &form.organization, asset, form.input()).await,
        Err(e) => Err(e),
    };
    match created {
        Ok(c) => match c.heartbeat_secret {
            Some(secret) => {
                let heartbeat = Some(heartbeat_shown(&app, &c.monitor.name, &secret));
                let notice = Some(page.ctx.t("monitors-msg-created"));
                show(&app, page, Extras { heartbeat, notice, ..Extras::default() }).await
            }
            None => Redirect::to("/admin/monitors?msg=created").into_response(),
        },
        Err(e) => match refusal(&page.ctx, e, &[]) {
            Ok(errors) => show(&app, page, Extras { form: Some(form), errors, ..Extras::default() }).await,
            Err(response) => response,
        },
    }
}

#[derive(Template)]
#[template(path = "monitors/edit.html")]
struct EditPage {
    ctx: PageCtx,
    id: Id,
    /// Where the form posts.
    action: String,
    organization: String,
    kind: String,
    heartbeat_kind: bool,
    shown: Shown,
    assets: Vec<Choice>,
    methods: Vec<Choice>,
    categories: Vec<Choice>,
    form: MonitorForm,
    errors: Errors,
    notice: Option<String>,
    heartbeat: Option<HeartbeatShown>,
}

/// Shows the edit page of monitor `id`; `form`: what was typed (else the monitor's settings).
async fn edit_page(
    app: &App,
    page: AdminPage,
    id: Id,
    form: Option<MonitorForm>,
    errors: Errors,
    notice: Option<String>,
    heartbeat: Option<HeartbeatShown>,
) -> Response {
    let AdminPage { ctx, actor } = page;
    let loaded = async {
        let monitor = monitoring::get(app, &actor, id).await?;
        let orgs = directory::list_orgs(app, &actor).await?;
        let org = orgs.iter().find(|o| o.id == monitor.organization_id).cloned().ok_or(AppError::NotFound)?;
        let assets = directory::list_assets(app, &actor, Some(&org.slug)).await?;
        Ok::<_, AppError>((monitor, org, form::assets(&assets, &orgs)))
    };
    let (monitor, org, assets) = match loaded.await {
        Ok(found) => found,
        Err(e) => return PageError::from_app(ctx, e).into_response(),
    };
    let (failed, secret) = (errors.any(), heartbeat.is_some());
    let response = render(&EditPage {
        id,
        action: format!("/admin/monitors/{id}"),
        organization: org.name,
        kind: kind_label(&ctx, monitor.kind),
        heartbeat_kind: monitor.kind == MonitorKind::Heartbeat,
        shown: Shown::for_kind(monitor.kind),
        assets,
        methods: form::methods(),
        categories: form::categories(&ctx),
        form: form.unwrap_or_else(|| MonitorForm::of(&monitor)),
        errors,
        notice,
        heartbeat,
        ctx,
    });
    match (failed, secret) {
        (true, _) => invalid(response),
        (false, true) => no_store(response),
        (false, false) => response,
    }
}

fn monitor_id(ctx: &PageCtx, raw: &str) -> Result<Id, Response> {
    raw.parse::<Id>().map_err(|_| PageError::NotFound(ctx.clone()).into_response())
}

/// A form about one record: its CSRF token first, then the record's id from the path.
pub fn checked(ctx: &PageCtx, csrf_token: &str, raw_id: &str) -> Result<Id, Response> {
    check_csrf(ctx, csrf_token).map_err(IntoResponse::into_response)?;
    monitor_id(ctx, raw_id)
}

pub async fn edit(State(app): State<App>, page: AdminPage, Path(id): Path<String>, q: Query<MsgQuery>) -> Response {
    let id = match monitor_id(&page.ctx, &id) {
        Ok(id) => id,
        Err(response) => return response,
    };
    let notice = notice(&page.ctx, q.msg.as_deref());
    edit_page(&app, page, id, None, Errors::default(), notice, None).await
}

pub async fn update(
    State(app): State<App>,
    page: AdminPage,
    Path(id): Path<String>,
    Form(form): Form<MonitorForm>,
) -> Response {
    let id = match checked(&page.ctx, &form.csrf_token, &id) {
        Ok(id) => id,
        Err(response) => return response,
    };
    let updated = match form.asset() {
        Ok(asset) => monitoring::update(&app, &page.actor, id, asset, form.input(), form.is_enabled()).await,
        Err(e) => Err(e),
    };
    match updated {
        Ok(_) => Redirect::to(&format!("/admin/monitors/{id}?msg=saved")).into_response(),
        Err(e) => match refusal(&page.ctx, e, &[]) {
            Ok(errors) => edit_page(&app, page, id, Some(form), errors, None, None).await,
            Err(response) => response,
        },
    }
}

/// A form that carries nothing but its CSRF token (a button).
#[derive(Deserialize, Default)]
pub struct CsrfForm {
    #[serde(default)]
    pub csrf_token: String,
}

/// A new secret URL for a heartbeat; the old one stops working at once.
pub async fn regenerate(
    State(app): State<App>,
    page: AdminPage,
    Path(id): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Response {
    let id = match checked(&page.ctx, &form.csrf_token, &id) {
        Ok(id) => id,
        Err(response) => return response,
    };
    let regenerated = async {
        let monitor = monitoring::get(&app, &page.actor, id).await?;
        let secret = monitoring::regenerate_heartbeat(&app, &page.actor, id).await?;
        Ok::<_, AppError>(heartbeat_shown(&app, &monitor.name, &secret))
    };
    match regenerated.await {
        Ok(shown) => {
            let notice = Some(page.ctx.t("monitors-msg-regenerated"));
            edit_page(&app, page, id, None, Errors::default(), notice, Some(shown)).await
        }
        Err(e) => PageError::from_app(page.ctx, e).into_response(),
    }
}
