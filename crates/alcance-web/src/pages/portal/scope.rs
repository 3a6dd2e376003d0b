//! GET /portal/alcance: "Nuestro alcance de soporte": the organisation's contract and the
//! support policy, read from the policy data.

use alcance_app::{App, portal_views};
use alcance_domain::model::Contract;
use alcance_domain::policy::{Category, SlaClock, SlaSpan, SlaTarget};
use alcance_domain::ticket::{Coverage, Priority};
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};

use super::staff_elsewhere;
use crate::i18n::Lang;
use crate::pages::{PageCtx, PageError, SignedIn, render};

struct ContractView {
    name: String,
    starts_on: String,
    ends_on: Option<String>,
    rate: String,
    rate_with_tax: String,
    tax: String,
}

struct CategoryView {
    id: String,
    label: String,
    description: String,
    clause: String,
    examples: Vec<String>,
    hour_packages: bool,
}

struct SlaView {
    priority: Priority,
    text: String,
    clock: String,
}

#[derive(Template)]
#[template(path = "portal/scope.html")]
struct ScopePage {
    ctx: PageCtx,
    organization: String,
    contract: Option<ContractView>,
    policy_name: String,
    policy_version: u32,
    summary: String,
    covered: Vec<CategoryView>,
    not_covered: Vec<CategoryView>,
    /// Labels of the categories prepaid hours may pay for.
    hour_categories: Vec<String>,
    sla: Vec<SlaView>,
    procedure: String,
}

/// An ISO date (YYYY-MM-DD) as written in the page's language.
fn date(lang: Lang, iso: &str) -> String {
    match chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d") {
        Ok(d) if lang == Lang::En => d.format("%m/%d/%Y").to_string(),
        Ok(d) => d.format("%d/%m/%Y").to_string(),
        Err(_) => iso.to_owned(),
    }
}

/// 1900 basis points -> "19 %" (Spanish spacing) or "19%"; 1950 -> "19,5 %".
fn percent(lang: Lang, basis_points: i64) -> String {
    let whole = basis_points / 100;
    let rest = basis_points % 100;
    let number = match (rest, lang) {
        (0, _) => whole.to_string(),
        (r, Lang::Es) => format!("{whole},{}", format!("{r:02}").trim_end_matches('0')),
        (r, Lang::En) => format!("{whole}.{}", format!("{r:02}").trim_end_matches('0')),
    };
    match lang {
        Lang::Es => format!("{number} %"),
        Lang::En => format!("{number}%"),
    }
}

fn contract_view(ctx: &PageCtx, c: &Contract) -> ContractView {
    let with_tax = (i128::from(c.hourly_rate_minor) * i128::from(10_000 + c.tax_rate_basis_points) + 5_000) / 10_000;
    ContractView {
        name: c.name.clone(),
        starts_on: date(ctx.lang, &c.starts_on),
        ends_on: c.ends_on.as_deref().map(|d| date(ctx.lang, d)),
        rate: crate::view::money(c.hourly_rate_minor, &c.currency),
        rate_with_tax: crate::view::money(i64::try_from(with_tax).unwrap_or(i64::MAX), &c.currency),
        tax: percent(ctx.lang, c.tax_rate_basis_points),
    }
}

fn category_view(lang: &str, c: &Category) -> CategoryView {
    CategoryView {
        id: c.id.clone(),
        label: c.label.get(lang).to_owned(),
        description: c.description.get(lang).to_owned(),
        clause: c.clause.clone(),
        examples: c.examples.iter().map(|e| e.get(lang).to_owned()).collect(),
        hour_packages: c.hour_packages,
    }
}

/// "1 hora", "4 horas hábiles", "2 días hábiles", "30 minutos".
fn span(ctx: &PageCtx, span: SlaSpan, clock: SlaClock) -> String {
    let business = clock == SlaClock::Business;
    let (n, key) = match span {
        SlaSpan::Minutes(n) => (n, "portal-span-minutes"),
        SlaSpan::Hours(n) if business => (n, "portal-span-business-hours"),
        SlaSpan::Hours(n) => (n, "portal-span-hours"),
        SlaSpan::Days(n) if business => (n, "portal-span-business-days"),
        SlaSpan::Days(n) => (n, "portal-span-days"),
    };
    let key = if n == 1 { format!("{key}-one") } else { key.to_owned() };
    ctx.t1(&key, "n", n)
}

fn sla_view(ctx: &PageCtx, priority: Priority, target: &SlaTarget) -> SlaView {
    let text = ctx.lang.text(
        "portal-sla-line",
        &[
            ("first", span(ctx, target.first_response, target.clock)),
            ("update", span(ctx, target.update, target.clock)),
            ("resolution", span(ctx, target.resolution, target.clock)),
        ],
    );
    let clock = match target.clock {
        SlaClock::Calendar => ctx.t("portal-sla-clock-calendar"),
        SlaClock::Business => ctx.t("portal-sla-clock-business"),
    };
    SlaView { priority, text, clock }
}

pub async fn page(State(app): State<App>, page: SignedIn) -> Response {
    if let Some(to_agent) = staff_elsewhere(&page) {
        return to_agent;
    }
    let SignedIn { ctx, actor } = page;
    let scope = match portal_views::scope(&app, &actor).await {
        Ok(scope) => scope,
        Err(e) => return PageError::from_app(ctx, e).into_response(),
    };
    let lang = ctx.lang_code();
    let policy = &scope.policy;
    let of = |coverage: Coverage| -> Vec<CategoryView> {
        policy.categories.iter().filter(|c| c.coverage == coverage).map(|c| category_view(lang, c)).collect()
    };
    let page = ScopePage {
        organization: scope.organization.name.clone(),
        contract: scope.contract.as_ref().map(|c| contract_view(&ctx, c)),
        policy_name: policy.name.get(lang).to_owned(),
        policy_version: policy.version,
        summary: policy.summary.get(lang).to_owned(),
        covered: of(Coverage::Covered),
        not_covered: of(Coverage::NotCovered),
        hour_categories: policy
            .categories
            .iter()
            .filter(|c| c.hour_packages)
            .map(|c| c.label.get(lang).to_owned())
            .collect(),
        sla: Priority::ALL.iter().map(|p| sla_view(&ctx, *p, policy.sla.for_priority(*p))).collect(),
        procedure: policy.out_of_scope_procedure.get(lang).to_owned(),
        ctx,
    };
    render(&page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_and_dates_read_as_in_colombia() {
        assert_eq!(percent(Lang::Es, 1900), "19 %");
        assert_eq!(percent(Lang::Es, 1950), "19,5 %");
        assert_eq!(percent(Lang::En, 825), "8.25%");
        assert_eq!(date(Lang::Es, "2026-01-31"), "31/01/2026");
        assert_eq!(date(Lang::En, "2026-01-31"), "01/31/2026");
    }
}
