//! The integration tokens monitoring tools post alerts with (create for an organisation,
//! shown once with ready-to-paste examples; revoke), and the monitoring terms of each
//! active contract (public status page; resolve the ticket on recovery).

use alcance_app::monitoring;
use alcance_app::monitoring::MonitoringTerms;
use alcance_app::{App, directory};
use alcance_domain::model::Id;
use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::admin::{CsrfForm, Extras, checked, show};
use super::{public_base, refusal};
use crate::pages::admin::AdminPage;
use crate::pages::{PageCtx, PageError, check_csrf};

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct TokenForm {
    pub csrf_token: String,
    /// The organisation's slug.
    pub token_organization: String,
    pub token_name: String,
}

/// A token just created, with what to paste into each tool. Shown this once.
pub struct TokenShown {
    pub title: String,
    pub token: String,
    pub alertmanager: String,
    pub checkmk: String,
    pub webhook: String,
}

fn token_shown(ctx: &PageCtx, base: &str, title: String, token: String) -> TokenShown {
    let alertmanager = format!(
        "receivers:\n  - name: alcance\n    webhook_configs:\n      - url: {base}/api/v1/integrations/alertmanager\n        \
         send_resolved: true\n        http_config:\n          authorization:\n            credentials: {token}\n"
    );
    // --data-urlencode, not -d: plugin output often holds "&" or "%".
    let checkmk = format!(
        "curl -fsS -m 10 {base}/api/v1/integrations/checkmk \\\n  -H \"Authorization: Bearer {token}\" \\\n  \
         --data-urlencode host=\"$NOTIFY_HOSTNAME\" \\\n  --data-urlencode service=\"$NOTIFY_SERVICEDESC\" \\\n  \
         --data-urlencode state=\"${{NOTIFY_SERVICESTATE:-$NOTIFY_HOSTSTATE}}\" \\\n  \
         --data-urlencode text=\"${{NOTIFY_SERVICEOUTPUT:-$NOTIFY_HOSTOUTPUT}}\""
    );
    // Written by hand to keep the fields in the order the documentation gives them.
    let text = |key: &str| serde_json::Value::String(ctx.t(key)).to_string();
    let body = format!(
        "{{\"key\":\"backup-nas\",\"status\":\"firing\",\"severity\":\"high\",\"title\":{},\"details\":{},\"category\":\"backup_restore\"}}",
        text("monitors-example-webhook-title"),
        text("monitors-example-webhook-details"),
    );
    // The JSON goes inside single quotes for the shell; a quote in the texts would end them.
    let body = body.replace('\'', "\u{2019}");
    let webhook = format!(
        "curl -fsS -m 10 {base}/api/v1/integrations/webhook \\\n  -H \"Authorization: Bearer {token}\" \\\n  \
         -H \"Content-Type: application/json\" \\\n  -d '{body}'"
    );
    TokenShown { title, token, alertmanager, checkmk, webhook }
}

pub async fn create_token(State(app): State<App>, page: AdminPage, Form(form): Form<TokenForm>) -> Response {
    if let Err(e) = check_csrf(&page.ctx, &form.csrf_token) {
        return e.into_response();
    }
    let actor = &page.actor;
    match monitoring::create_integration_token(&app, actor, &form.token_organization, &form.token_name).await {
        Ok((row, token)) => {
            let org = directory::list_orgs(&app, actor)
                .await
                .ok()
                .and_then(|orgs| orgs.into_iter().find(|o| o.id == row.organization_id))
                .map_or_else(|| form.token_organization.clone(), |o| o.name);
            let title = page.ctx.lang.text("monitors-token-created", &[("name", row.name.clone()), ("org", org)]);
            let shown = token_shown(&page.ctx, &public_base(&app), title, token);
            let notice = None;
            show(&app, page, Extras { token: Some(shown), notice, ..Extras::default() }).await
        }
        Err(e) => {
            let rename = [("organization", "token_organization"), ("name", "token_name")];
            match refusal(&page.ctx, e, &rename) {
                Ok(errors) => show(&app, page, Extras { token_form: Some(form), errors, ..Extras::default() }).await,
                Err(response) => response,
            }
        }
    }
}

pub async fn revoke_token(
    State(app): State<App>,
    page: AdminPage,
    Path(id): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Response {
    let id = match checked(&page.ctx, &form.csrf_token, &id) {
        Ok(id) => id,
        Err(response) => return response,
    };
    match monitoring::revoke_integration_token(&app, &page.actor, id).await {
        Ok(()) => Redirect::to("/admin/monitors?msg=token_revoked#tokens").into_response(),
        Err(e) => PageError::from_app(page.ctx, e).into_response(),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TermsForm {
    csrf_token: String,
    contract: String,
    /// Checkboxes: present ("1") when ticked.
    status_page_public: Option<String>,
    resolve_on_recovery: Option<String>,
}

pub async fn save_terms(State(app): State<App>, page: AdminPage, Form(form): Form<TermsForm>) -> Response {
    if let Err(e) = check_csrf(&page.ctx, &form.csrf_token) {
        return e.into_response();
    }
    let Ok(contract) = form.contract.trim().parse::<Id>() else {
        return PageError::NotFound(page.ctx).into_response();
    };
    let terms = MonitoringTerms {
        status_page_public: form.status_page_public.is_some(),
        resolve_on_recovery: form.resolve_on_recovery.is_some(),
    };
    match monitoring::set_terms(&app, &page.actor, contract, terms).await {
        Ok(()) => Redirect::to("/admin/monitors?msg=terms_saved#terms").into_response(),
        Err(e) => PageError::from_app(page.ctx, e).into_response(),
    }
}
