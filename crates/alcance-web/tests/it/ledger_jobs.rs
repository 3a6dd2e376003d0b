//! The hour ledger's guarantees and its periodic jobs, through the use cases on both
//! backends: append-only storage, reversals, expiry of packages and quotes, and the
//! 30-day notice sent once.

use std::sync::Arc;

use alcance_app::hours::{self, PurchaseInput};
use alcance_app::not_covered::{self, Choice};
use alcance_app::quotes::{self, DraftInput, LineInput};
use alcance_app::tickets::{self, TicketChange};
use alcance_app::time_entries::{self, TimeInput};
use alcance_app::{AppError, account, jobs};
use alcance_domain::FieldErrorCode;
use alcance_domain::hours::LedgerEntryKind;
use alcance_domain::quote::QuoteStatus;
use alcance_store::{ConnExt, Sql};
use alcance_testkit::{TestBackend, on_both_backends};
use chrono::{DateTime, Duration, Utc};

use crate::support::{At, TestApp, spawn_app};

on_both_backends!(
    the_ledger_is_append_only_and_corrections_reverse,
    packages_expire_once_and_managers_hear_a_month_before,
    sent_quotes_expire_and_close_their_request,
    periodic_jobs_are_queued_once,
);

fn at(t: &TestApp, when: DateTime<Utc>) -> alcance_app::App {
    alcance_app::App { clock: Arc::new(At(when)), ..t.app.clone() }
}

fn purchase(hours: &str, expires_on: String) -> PurchaseInput {
    PurchaseInput {
        hours: hours.into(),
        price: "1.000.000".into(),
        purchased_on: String::new(),
        expires_on,
        invoice_ref: "FE-1".into(),
    }
}

fn in_days(t: &TestApp, days: i64) -> String {
    (t.app.now() + Duration::days(days)).format("%Y-%m-%d").to_string()
}

/// Ticket A classified not covered, its requester chose to pay with hours.
async fn paid_with_hours(t: &TestApp) {
    let change = TicketChange { category: Some("new_feature".into()), ..TicketChange::default() };
    tickets::change(&t.app, &t.fx.agent.actor(), t.fx.ticket_a, change).await.unwrap();
    not_covered::record_client_decision(&t.app, &t.fx.requester_a.actor(), t.fx.ticket_a, Choice::Hours, None)
        .await
        .unwrap();
}

async fn the_ledger_is_append_only_and_corrections_reverse(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let (admin, org) = (t.fx.admin.actor(), t.fx.org_a.id);
    // Without hours, choosing them is refused, naming the balance.
    let change = TicketChange { category: Some("new_feature".into()), ..TicketChange::default() };
    tickets::change(&t.app, &t.fx.agent.actor(), t.fx.ticket_a, change).await.unwrap();
    let refused =
        not_covered::record_client_decision(&t.app, &t.fx.requester_a.actor(), t.fx.ticket_a, Choice::Hours, None)
            .await;
    assert!(
        matches!(&refused, Err(AppError::Invalid(f)) if f.code == FieldErrorCode::InsufficientBalance && f.field == "choice"),
        "{refused:?}"
    );

    let package = hours::record_purchase(&t.app, &admin, org, purchase("2", in_days(&t, 90))).await.unwrap();
    assert_eq!(package.balance_minutes, 120);
    not_covered::record_client_decision(&t.app, &t.fx.requester_a.actor(), t.fx.ticket_a, Choice::Hours, None)
        .await
        .unwrap();
    let input = TimeInput { duration: "1,5".into(), worked_on: String::new(), note: "Módulo".into() };
    let entry = time_entries::log_time(&t.app, &t.fx.agent.actor(), t.fx.ticket_a, input).await.unwrap();
    assert_eq!((entry.minutes, entry.billing.as_str()), (90, "hours"));

    // More than what is left: refused with the balance, nothing written.
    let input = TimeInput { duration: "1".into(), worked_on: String::new(), note: String::new() };
    let refused = time_entries::log_time(&t.app, &t.fx.agent.actor(), t.fx.ticket_a, input).await;
    assert!(
        matches!(&refused, Err(AppError::Invalid(f)) if f.code == FieldErrorCode::InsufficientBalance && f.detail.as_deref() == Some("0,5 h")),
        "{refused:?}"
    );
    assert_eq!(time_entries::for_ticket(&t.app, &t.fx.agent.actor(), t.fx.ticket_a).await.unwrap().len(), 1);

    // The purchase cannot be reversed while its hours are spent; the consumption can, once.
    let today = hours::today_in("America/Bogota", t.app.now());
    let statement = hours::statement(&t.app, &admin, org, today, today).await.unwrap();
    let kinds: Vec<LedgerEntryKind> = statement.rows.iter().map(|r| r.entry.kind).collect();
    assert_eq!(kinds, vec![LedgerEntryKind::Purchase, LedgerEntryKind::Consumption]);
    let (bought, spent) = (statement.rows[0].entry.id, statement.rows[1].entry.id);
    assert!(hours::reverse(&t.app, &admin, bought, "error de digitación").await.is_err());
    assert!(hours::reverse(&t.app, &t.fx.agent.actor(), spent, "no aplica").await.is_err(), "admins only");
    let reversal = hours::reverse(&t.app, &admin, spent, "tiempo mal cargado").await.unwrap();
    assert_eq!((reversal.minutes, reversal.reverses_id), (90, Some(spent)));
    assert!(hours::reverse(&t.app, &admin, spent, "otra vez").await.is_err(), "reversed once");
    assert!(hours::reverse(&t.app, &admin, reversal.id, "deshacer").await.is_err(), "a reversal is final");
    let overview = hours::overview(&t.app, &t.fx.manager_a.actor(), org).await.unwrap();
    assert_eq!(overview.available_minutes, 120);
    assert!(hours::overview(&t.app, &t.fx.manager_b.actor(), org).await.is_err(), "another organisation");
    assert!(hours::overview(&t.app, &t.fx.requester_a.actor(), org).await.is_err(), "managers only");

    // The database itself refuses edits and deletions of the ledger.
    for sql in ["UPDATE hour_ledger SET minutes = 100000", "DELETE FROM hour_ledger"] {
        let result =
            t.app.store.write(move |c| Box::pin(async move { c.execute(Sql::Borrowed(sql), vec![]).await })).await;
        assert!(result.is_err(), "{sql} must fail");
    }
    assert_eq!(hours::overview(&t.app, &admin, org).await.unwrap().available_minutes, 120);
}

async fn packages_expire_once_and_managers_hear_a_month_before(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let (admin, org) = (t.fx.admin.actor(), t.fx.org_a.id);
    hours::record_purchase(&t.app, &admin, org, purchase("10", in_days(&t, 10))).await.unwrap();
    hours::record_purchase(&t.app, &admin, org, purchase("5", in_days(&t, 200))).await.unwrap();

    assert_eq!(hours::notify_expiring(&t.app).await.unwrap(), 1, "the one expiring in 10 days");
    assert_eq!(hours::notify_expiring(&t.app).await.unwrap(), 0, "once");
    let outbox = account::outbox(&t.app, &admin).await.unwrap();
    let notices: Vec<_> = outbox.iter().filter(|m| m.to_address == t.fx.manager_a.email()).collect();
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert!(notices[0].subject.contains("vence") && notices[0].body_text.contains("10 h"), "{:?}", notices[0]);

    assert_eq!(hours::expire_packages(&t.app).await.unwrap(), 0, "nothing expired yet");
    let later = at(&t, t.app.now() + Duration::days(12));
    assert_eq!(hours::expire_packages(&later).await.unwrap(), 1);
    assert_eq!(hours::expire_packages(&later).await.unwrap(), 0, "an expired package expires once");
    let overview = hours::overview(&later, &admin, org).await.unwrap();
    assert_eq!(overview.available_minutes, 300, "only the live package counts");
    let expired = overview.packages.iter().find(|p| p.minutes == 600).unwrap();
    assert_eq!(expired.balance_minutes, 0);

    // Time paid with hours never comes from the expired package.
    paid_with_hours(&t).await;
    let input = TimeInput { duration: "6".into(), worked_on: String::new(), note: String::new() };
    let refused = time_entries::log_time(&later, &t.fx.agent.actor(), t.fx.ticket_a, input).await;
    assert!(
        matches!(&refused, Err(AppError::Invalid(f)) if f.code == FieldErrorCode::InsufficientBalance),
        "{refused:?}"
    );
}

async fn sent_quotes_expire_and_close_their_request(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let change = TicketChange { category: Some("new_feature".into()), ..TicketChange::default() };
    tickets::change(&t.app, &t.fx.agent.actor(), t.fx.ticket_a, change).await.unwrap();
    not_covered::record_client_decision(&t.app, &t.fx.requester_a.actor(), t.fx.ticket_a, Choice::Quote, None)
        .await
        .unwrap();
    let draft = DraftInput {
        title: "Módulo de reservas".into(),
        notes: String::new(),
        valid_until: in_days(&t, 1),
        lines: vec![LineInput { description: "Desarrollo".into(), hours: "10".into(), ..LineInput::default() }],
    };
    let q = quotes::create_draft(&t.app, &t.fx.agent.actor(), t.fx.ticket_a, draft).await.unwrap();
    quotes::send(&t.app, &t.fx.agent.actor(), &q.number).await.unwrap();
    assert_eq!(quotes::expire_due(&t.app).await.unwrap(), 0, "still valid");

    let later = at(&t, t.app.now() + Duration::days(3));
    assert_eq!(quotes::expire_due(&later).await.unwrap(), 1);
    let expired = quotes::get(&t.app, &t.fx.agent.actor(), &q.number).await.unwrap();
    assert_eq!(expired.status, QuoteStatus::Expired);
    let detail = t.ticket(t.fx.ticket_a, &t.fx.agent.token).await;
    assert_eq!(detail["ticket"]["status"], "closed", "{detail}");
    // An expired quote cannot be accepted.
    let decision = quotes::Decision { accept: true, ..quotes::Decision::default() };
    assert!(quotes::decide(&later, &t.fx.manager_a.actor(), &q.number, decision).await.is_err());
}

async fn periodic_jobs_are_queued_once(backend: TestBackend) {
    let t = spawn_app(backend).await;
    for _ in 0..3 {
        jobs::schedule_periodic(&t.app).await.unwrap();
    }
    let count = t
        .app
        .store
        .read(|c| {
            Box::pin(
                async move { c.fetch_one(Sql::Borrowed("SELECT COUNT(*) AS n FROM jobs"), vec![]).await?.int("n") },
            )
        })
        .await
        .unwrap();
    assert_eq!(count, 6, "one of each periodic kind");
    // Two workers run them: each once.
    let (a, b) = tokio::join!(jobs::run_due(&t.app, "server-a"), jobs::run_due(&t.app, "server-b"));
    assert_eq!(a.unwrap() + b.unwrap(), 6);
    jobs::schedule_periodic(&t.app).await.unwrap();
    assert_eq!(jobs::run_due(&t.app, "server-a").await.unwrap(), 0, "the next runs wait for their period");
}
