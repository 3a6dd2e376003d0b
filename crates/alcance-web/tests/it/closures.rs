//! Calendar closures an admin adds and the policy's pausing statuses, through the use cases
//! and the contracts page on both backends, with a fixed clock.
//!
//! Dates are November 2026 in Bogotá (UTC-5, no daylight saving); Monday 16 is a holiday, the
//! other days used here are ordinary business days (08:00-18:00).

use std::sync::Arc;

use alcance_app::closures::{self, NewClosure};
use alcance_app::directory::{self, NewContract};
use alcance_app::tickets::{self, OpenTicket, TicketChange};
use alcance_app::{App, AppError, sla};
use alcance_domain::FieldErrorCode;
use alcance_domain::ticket::{Channel, Status};
use alcance_testkit::{TestBackend, on_both_backends};
use chrono::{DateTime, TimeDelta, TimeZone, Utc};

use crate::browser::Browser;
use crate::support::{At, Person, TestApp, spawn_app};

on_both_backends!(
    a_closure_on_the_due_day_moves_the_first_response_to_the_next_business_day,
    a_closure_of_every_contract_applies_to_each_of_them,
    only_admins_add_closures,
    an_invalid_closure_changes_nothing_and_names_its_field,
    a_policy_with_an_unknown_pausing_status_is_refused_with_its_line,
    a_policy_that_pauses_in_progress_stops_the_clock_there,
);

fn at(app: &App, when: DateTime<Utc>) -> App {
    App { clock: Arc::new(At(when)), ..app.clone() }
}

fn bogota(day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    chrono_tz::America::Bogota.with_ymd_and_hms(2026, 11, day, hour, minute, 0).unwrap().with_timezone(&Utc)
}

/// Opens a normal-priority ticket (8 business hours to first response) for `requester`.
async fn open_at(app: &App, t: &TestApp, when: DateTime<Utc>, org: &str, requester: &Person) -> (i64, i64) {
    let input = OpenTicket {
        subject: "El sitio no carga".into(),
        body: "Desde esta mañana".into(),
        organization: Some(org.into()),
        requester: Some(requester.email().to_owned()),
        asset_id: None,
        priority: None,
    };
    let ticket = tickets::open(&at(app, when), &t.fx.agent.actor(), input, Channel::Portal).await.unwrap();
    (ticket.id, ticket.number)
}

async fn first_response_due(app: &App, t: &TestApp, id: i64, now: DateTime<Utc>) -> DateTime<Utc> {
    let clock = sla::ticket_clock(&at(app, now), &t.fx.agent.actor(), id).await.unwrap().unwrap();
    clock.report.first_response.due
}

fn closure(contract_id: Option<i64>, first: &str, last: &str, name: &str) -> NewClosure {
    NewClosure { contract_id, first_day: first.into(), last_day: last.into(), name: name.into() }
}

async fn stored(t: &TestApp) -> usize {
    closures::list(&t.app, &t.fx.admin.actor()).await.unwrap().len()
}

async fn a_closure_on_the_due_day_moves_the_first_response_to_the_next_business_day(backend: TestBackend) {
    let t = spawn_app(backend).await;
    // Friday 20 at 14:00: four hours on Friday, four on Monday 23: due Monday 12:00.
    let (id, _) = open_at(&t.app, &t, bogota(20, 14, 0), &t.fx.org_a.slug, &t.fx.requester_a).await;
    assert_eq!(first_response_due(&t.app, &t, id, bogota(20, 15, 0)).await, bogota(23, 12, 0));

    // The admin closes Monday 23 for org A's contract, through the contracts page.
    let admin = Browser::sign_in(&t, t.fx.admin.email()).await;
    let contract = t.fx.contract_a.id.to_string();
    let form = [
        ("contract", contract.as_str()),
        ("first_day", "2026-11-23"),
        ("last_day", "2026-11-23"),
        ("closure_name", "Inventario anual"),
    ];
    let added = admin.submit("/admin/contracts/closures", &form).await;
    assert_eq!(added.see_other(), "/admin/contracts?msg=closure_added#closures");
    let page = admin.get("/admin/contracts?msg=closure_added").await.ok().to_owned();
    assert!(page.contains("El cierre quedó registrado"), "the confirmation");
    assert!(page.contains("Inventario anual") && page.contains("23/11/2026"), "the list shows it");
    assert!(page.contains("Agregar cierre"), "the form");

    // Monday is skipped: four hours on Tuesday 24 from 08:00.
    assert_eq!(first_response_due(&t.app, &t, id, bogota(20, 15, 0)).await, bogota(24, 12, 0));
    // Org B's contract is not closed.
    let (other, _) = open_at(&t.app, &t, bogota(20, 14, 0), &t.fx.org_b.slug, &t.fx.requester_b).await;
    assert_eq!(first_response_due(&t.app, &t, other, bogota(20, 15, 0)).await, bogota(23, 12, 0));
    // The periodic check writes the moved due into the queue's row.
    sla::check_all(&at(&t.app, bogota(20, 15, 0))).await.unwrap();
    let rows = sla::rows_for(&t.app, vec![id, other]).await.unwrap();
    assert_eq!(rows[&id].first_response_due, Some(bogota(24, 12, 0)));
    assert_eq!(rows[&other].first_response_due, Some(bogota(23, 12, 0)));

    // Deleting the closure puts the due back.
    let listed = closures::list(&t.app, &t.fx.admin.actor()).await.unwrap();
    let delete = format!("/admin/contracts/closures/{}/delete", listed[0].closure.id);
    assert_eq!(admin.post(&delete, &[]).await.status, 403, "no CSRF token");
    assert_eq!(admin.submit(&delete, &[]).await.see_other(), "/admin/contracts?msg=closure_deleted#closures");
    assert_eq!(stored(&t).await, 0);
    assert_eq!(first_response_due(&t.app, &t, id, bogota(20, 15, 0)).await, bogota(23, 12, 0));
}

async fn a_closure_of_every_contract_applies_to_each_of_them(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let (a, _) = open_at(&t.app, &t, bogota(20, 14, 0), &t.fx.org_a.slug, &t.fx.requester_a).await;
    let (b, _) = open_at(&t.app, &t, bogota(20, 14, 0), &t.fx.org_b.slug, &t.fx.requester_b).await;
    // "Vacaciones colectivas": Monday 23 to Wednesday 25, every contract.
    let added =
        closures::add(&t.app, &t.fx.admin.actor(), closure(None, "2026-11-23", "2026-11-25", "Vacaciones colectivas"))
            .await
            .unwrap();
    assert_eq!(added.contract_id, None);
    assert_eq!(added.created_by, t.fx.admin.id());
    for id in [a, b] {
        assert_eq!(first_response_due(&t.app, &t, id, bogota(20, 15, 0)).await, bogota(26, 12, 0), "ticket {id}");
    }
    let admin = Browser::sign_in(&t, t.fx.admin.email()).await;
    let page = admin.get("/admin/contracts").await.ok().to_owned();
    assert!(page.contains("Vacaciones colectivas") && page.contains("Todos los contratos"), "listed as global");
    let english = admin.get_with("/admin/contracts", "alcance_lang=en").await.ok().to_owned();
    assert!(english.contains("Calendar closures") && english.contains("All contracts"), "in English too");
}

async fn only_admins_add_closures(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let input = || closure(None, "2026-12-24", "2027-01-02", "Vacaciones colectivas 24 dic – 2 ene");
    for who in [&t.fx.agent, &t.fx.manager_a, &t.fx.requester_a] {
        let refused = closures::add(&t.app, &who.actor(), input()).await.unwrap_err();
        assert!(matches!(refused, AppError::Forbidden), "{refused:?}");
        assert!(matches!(closures::list(&t.app, &who.actor()).await, Err(AppError::Forbidden)));
    }
    // Through the page, with the caller's own valid CSRF token.
    let form = [("first_day", "2026-12-24"), ("last_day", "2027-01-02"), ("closure_name", "Intrusa")];
    let agent = Browser::sign_in(&t, t.fx.agent.email()).await;
    assert_eq!(agent.submit("/admin/contracts/closures", &form).await.status, 403);
    let manager = Browser::sign_in(&t, t.fx.manager_a.email()).await;
    assert_eq!(manager.submit("/admin/contracts/closures", &form).await.status, 404);
    assert_eq!(stored(&t).await, 0, "nothing was added");
    // An admin's closure cannot be deleted by an agent either.
    let added = closures::add(&t.app, &t.fx.admin.actor(), input()).await.unwrap();
    assert!(matches!(closures::delete(&t.app, &t.fx.agent.actor(), added.id).await, Err(AppError::Forbidden)));
    let delete = format!("/admin/contracts/closures/{}/delete", added.id);
    assert_eq!(agent.submit(&delete, &[]).await.status, 403);
    assert_eq!(stored(&t).await, 1);
}

async fn an_invalid_closure_changes_nothing_and_names_its_field(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let admin_actor = t.fx.admin.actor();
    let long_name = "x".repeat(101);
    let cases: [(NewClosure, &str, FieldErrorCode); 6] = [
        (closure(None, "24/12/2026", "2027-01-02", "Vacaciones"), "first_day", FieldErrorCode::Invalid),
        (closure(None, "2026-12-24", "", "Vacaciones"), "last_day", FieldErrorCode::Required),
        (closure(None, "2026-12-24", "2026-12-23", "Vacaciones"), "last_day", FieldErrorCode::OutOfRange),
        (closure(None, "2026-01-01", "2027-01-02", "Vacaciones"), "last_day", FieldErrorCode::OutOfRange),
        (closure(None, "2026-12-24", "2027-01-02", &long_name), "name", FieldErrorCode::TooLong),
        (closure(Some(999_999), "2026-12-24", "2027-01-02", "Vacaciones"), "contract", FieldErrorCode::NotFound),
    ];
    for (input, field, code) in cases {
        match closures::add(&t.app, &admin_actor, input).await {
            Err(AppError::Invalid(e)) => assert_eq!((e.field.as_str(), e.code), (field, code)),
            other => panic!("{field}: {other:?}"),
        }
    }
    assert_eq!(stored(&t).await, 0);

    // The page shows the form again (422) with the error next to the field and what was typed.
    let admin = Browser::sign_in(&t, t.fx.admin.email()).await;
    let form =
        [("contract", ""), ("first_day", "2026-12-24"), ("last_day", "2026-12-20"), ("closure_name", "Al revés")];
    let page = admin.submit("/admin/contracts/closures", &form).await;
    assert_eq!(page.status, 422, "{}", page.body);
    assert!(page.body.contains("id=\"closure-last-error\""), "the error is on the last day");
    assert!(page.body.contains("Último día") && page.body.contains("2026-12-24 – 2027-12-24"), "it says the range");
    assert!(page.body.contains("value=\"Al revés\""), "what was typed is kept");
    assert!(!page.body.contains("id=\"contract-name-error\""), "the contract form has no error");
    let form = [("contract", ""), ("first_day", "2026-12-24"), ("last_day", "2026-12-24"), ("closure_name", " ")];
    let page = admin.submit("/admin/contracts/closures", &form).await;
    assert_eq!(page.status, 422);
    assert!(page.body.contains("id=\"closure-name-error\""), "the error is on the name");
    let form = [("contract", "abc"), ("first_day", "2026-12-24"), ("last_day", "2026-12-24"), ("closure_name", "x")];
    assert!(admin.submit("/admin/contracts/closures", &form).await.body.contains("id=\"closure-contract-error\""));
    assert_eq!(stored(&t).await, 0, "nothing was added");
}

/// The default policy (which leaves `pausing` out: the default list) with another version
/// and an `[sla]` table holding the given `pausing` line.
fn policy_with_pausing(version: u32, pausing: &str) -> String {
    let default = alcance_app::policies::DEFAULT_POLICY;
    assert!(default.contains("[sla.critical]") && !default.contains("\npausing = "));
    default.replacen("version = 1\n", &format!("version = {version}\n"), 1).replacen(
        "[sla.critical]",
        &format!("[sla]\n{pausing}\n\n[sla.critical]"),
        1,
    )
}

async fn a_policy_with_an_unknown_pausing_status_is_refused_with_its_line(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let text = policy_with_pausing(2, "pausing = [\"waiting_on_client\", \"en_espera\"]");
    let line = text.lines().position(|l| l.contains("en_espera")).unwrap() + 1;
    let refused = App::start(&t.db.config, alcance_app::Settings::default(), &text).await.err().expect("refused");
    let message = refused.to_string();
    assert!(message.contains(&format!("line {line}, field `pausing`")), "{message}");
    assert!(message.contains("`en_espera` is not a status") && message.contains("in_progress"), "{message}");
    // Listing a status twice is refused too; leaving the list out means the default list.
    let twice = policy_with_pausing(2, "pausing = [\"quoted\", \"quoted\"]");
    assert!(App::start(&t.db.config, Default::default(), &twice).await.err().unwrap().to_string().contains("twice"));
    let without = policy_with_pausing(2, "");
    let policy = alcance_domain::policy::Policy::from_toml(&without).unwrap();
    assert_eq!(policy.pausing, alcance_domain::sla::DEFAULT_PAUSING.to_vec());
}

async fn a_policy_that_pauses_in_progress_stops_the_clock_there(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let text = policy_with_pausing(2, "pausing = [\"waiting_on_client\", \"in_progress\"]");
    let app2 = App::start(&t.db.config, alcance_app::Settings::default(), &text).await.unwrap();
    let policy = app2.policies.get(&app2.store, app2.policies.default_id()).await.unwrap();
    assert_eq!(policy.pausing, vec![Status::WaitingOnClient, Status::InProgress]);

    // Org A gets a newer contract under version 2; org B keeps version 1 (the default list).
    let contract = NewContract {
        organization: t.fx.org_a.slug.clone(),
        name: "Soporte 2027".into(),
        starts_on: "2026-11-01".into(),
        ends_on: None,
        hourly_rate_minor: 150_000,
        currency: None,
        tax_rate_basis_points: None,
        allow_overdraft: false,
        time_zone: None,
        policy_id: None,
    };
    let contract = directory::create_contract(&app2, &t.fx.admin.actor(), contract).await.unwrap();
    assert_eq!(contract.policy_id, app2.policies.default_id());

    let mut left = Vec::new();
    for (org, requester) in [(&t.fx.org_a.slug, &t.fx.requester_a), (&t.fx.org_b.slug, &t.fx.requester_b)] {
        let (id, n) = open_at(&app2, &t, bogota(17, 9, 0), org, requester).await;
        let classify = TicketChange { category: Some("bug_fix".into()), ..TicketChange::default() };
        tickets::change(&at(&app2, bogota(17, 9, 30)), &t.fx.agent.actor(), n, classify).await.unwrap();
        let start = TicketChange { status: Some(Status::InProgress), ..TicketChange::default() };
        tickets::change(&at(&app2, bogota(17, 10, 0)), &t.fx.agent.actor(), n, start).await.unwrap();
        let clock = sla::ticket_clock(&at(&app2, bogota(17, 12, 0)), &t.fx.agent.actor(), id).await.unwrap().unwrap();
        left.push((clock.report.paused, clock.report.first_response.time_left));
    }
    // Org A: paused since 10:00, one hour accrued. Org B: still running, three hours accrued.
    assert_eq!(left, vec![(true, TimeDelta::hours(7)), (false, TimeDelta::hours(5))]);

    // The policy page lists the pausing statuses of the policy in force.
    let admin = Browser::sign_in(&t, t.fx.admin.email()).await;
    let page = admin.get("/admin/policy").await.ok().to_owned();
    assert!(page.contains("Estados que detienen el reloj"), "the section");
    assert!(page.contains("data-pausing=\"waiting_on_client\"") && !page.contains("data-pausing=\"in_progress\""));
}
