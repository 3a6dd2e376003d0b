//! The "No Cubierta" flow: a classification that leaves a request out of scope tells the
//! requester by e-mail (outbox, their language, the clause in plain words, the choices and
//! the link); the client decides in the portal (quote, hours where allowed, or decline) and
//! the decision is in the history.

use crate::browser::Browser;
use crate::support::{TestApp, event_kinds, spawn_app};
use alcance_app::account;
use alcance_app::tickets::{self, TicketChange};
use alcance_testkit::{TestBackend, on_both_backends};

on_both_backends!(
    classifying_not_covered_mails_the_requester_in_their_language,
    a_client_asks_for_a_quote_from_the_portal,
    a_client_declines_and_the_request_closes,
    hours_only_where_the_policy_allows_them,
    another_organisation_cannot_decide,
    deciding_needs_the_csrf_token,
    a_bare_status_change_cannot_skip_the_decision,
);

/// Through the API, a client cannot leave "awaiting decision" by a plain status change: the
/// decision (and its history event) is the only way out for them.
async fn a_bare_status_change_cannot_skip_the_decision(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let fx = &t.fx;
    classify(&t, fx.ticket_a, "new_feature").await;
    for status in ["quote_requested", "closed"] {
        let change = TicketChange {
            status: Some(alcance_domain::ticket::Status::parse("status", status).unwrap()),
            ..TicketChange::default()
        };
        let refused = tickets::change(&t.app, &fx.requester_a.actor(), fx.ticket_a, change).await;
        assert!(matches!(refused, Err(alcance_app::AppError::Forbidden)), "{status}: {refused:?}");
    }
    let detail = t.ticket(fx.ticket_a, &fx.admin.token).await;
    assert_eq!(detail["ticket"]["status"], "awaiting_decision");
}

async fn classify(t: &TestApp, number: i64, category: &str) {
    let change = TicketChange { category: Some(category.into()), ..TicketChange::default() };
    tickets::change(&t.app, &t.fx.agent.actor(), number, change).await.unwrap();
}

/// The not-covered notices sent to `to` (acknowledgements and status mails aside).
async fn mails_to(t: &TestApp, to: &str) -> Vec<(String, String)> {
    let outbox = account::outbox(&t.app, &t.fx.admin.actor()).await.unwrap();
    outbox
        .into_iter()
        .filter(|m| m.to_address == to)
        .filter(|m| m.subject.contains("fuera del alcance") || m.subject.contains("outside the support scope"))
        .map(|m| (m.subject, m.body_text))
        .collect()
}

async fn classifying_not_covered_mails_the_requester_in_their_language(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let fx = &t.fx;

    // Covered: no not-covered notice.
    classify(&t, fx.ticket_a2, "bug_fix").await;
    assert!(mails_to(&t, fx.requester_a2.email()).await.is_empty());

    // Not covered, Spanish requester.
    classify(&t, fx.ticket_a, "new_feature").await;
    let mails = mails_to(&t, fx.requester_a.email()).await;
    assert_eq!(mails.len(), 1, "{mails:?}");
    let (subject, body) = &mails[0];
    assert!(subject.contains(&format!("#{}", fx.ticket_a)) && subject.contains("fuera del alcance"), "{subject}");
    for part in [
        "No carga el portal",
        "«Desarrollo de nuevas funcionalidades o módulos»",
        "sección 2",
        "no estaban contemplados en el diseño inicial",
        "Solicitar una cotización",
        "Usar horas de su paquete",
        &format!("/portal/tickets/{}", fx.ticket_a),
    ] {
        assert!(body.contains(part), "{part} in {body}");
    }
    // The same classification again is not news.
    classify(&t, fx.ticket_a, "new_feature").await;
    assert_eq!(mails_to(&t, fx.requester_a.email()).await.len(), 1);

    // English requester, a category without hour packages.
    account::set_language(&t.app, &fx.requester_b.actor(), "en").await.unwrap();
    classify(&t, fx.ticket_b, "software_administration").await;
    let mails = mails_to(&t, fx.requester_b.email()).await;
    assert_eq!(mails.len(), 1, "{mails:?}");
    let (subject, body) = &mails[0];
    assert!(subject.contains("outside the support scope"), "{subject}");
    for part in ["\"Software administration\"", "section 2", "Operating the software", "Ask for a quote"] {
        assert!(body.contains(part), "{part} in {body}");
    }
    assert!(!body.contains("Use hours from your package") && body.contains("cannot be paid for with an hour package"));
    assert!(!body.contains("Según"), "nothing in Spanish: {body}");

    let detail = t.ticket(fx.ticket_a, &fx.admin.token).await;
    assert_eq!(detail["ticket"]["status"], "awaiting_decision");
}

async fn a_client_asks_for_a_quote_from_the_portal(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let fx = &t.fx;
    classify(&t, fx.ticket_a, "new_feature").await;
    let ana = Browser::sign_in(&t, fx.requester_a.email()).await;
    let path = format!("/portal/tickets/{}", fx.ticket_a);

    let html = ana.get(&path).await.ok().to_owned();
    assert!(html.contains(&format!("action=\"{path}/decision\"")), "the decision form: {html}");
    assert!(html.contains("Solicitar una cotización (proyecto independiente)"));
    assert!(html.contains("Usar horas de mi paquete") && html.contains("No deseo continuar"));

    // No choice: the form again with the message.
    let none = ana.submit(&format!("{path}/decision"), &[("comment", "¿Cuánto costaría?")]).await;
    assert_eq!(none.status, 422);
    assert!(none.body.contains("Elija una de las opciones") && none.body.contains("¿Cuánto costaría?"));

    let done =
        ana.submit(&format!("{path}/decision"), &[("choice", "quote"), ("comment", "Lo necesitamos en mayo")]).await;
    assert_eq!(done.see_other(), format!("{path}?msg=decided_quote"));
    let html = ana.get(&done.location).await.ok().to_owned();
    assert!(html.contains("pidió una cotización"), "confirmation: {html}");
    assert!(html.contains("Su decisión:") && html.contains("status-quote_requested"));
    assert!(html.contains("Decisión: solicitar una cotización (proyecto independiente)."), "timeline in plain words");
    assert!(html.contains("Lo necesitamos en mayo"), "the comment is a public reply");
    assert!(!html.contains(&format!("action=\"{path}/decision\"")), "no second decision");

    let detail = t.ticket(fx.ticket_a, &fx.admin.token).await;
    assert_eq!(detail["ticket"]["status"], "quote_requested");
    let kinds = event_kinds(&detail);
    assert!(kinds.contains(&"client_decision".to_owned()), "{kinds:?}");
    let decision = detail["events"].as_array().unwrap().iter().find(|e| e["kind"] == "client_decision").unwrap();
    assert!(decision.to_string().contains("quote"), "{decision}");
    assert_eq!(detail["comments"].as_array().unwrap().len(), 1);

    // The agent's timeline says it too.
    let agent = Browser::sign_in(&t, fx.agent.email()).await;
    let html = agent.get(&format!("/agent/tickets/{}", fx.ticket_a)).await.ok().to_owned();
    assert!(html.contains("El cliente eligió: cotización."), "{html}");

    // Deciding again is refused: the request no longer waits for a decision.
    let again = ana.submit(&format!("{path}/decision"), &[("choice", "decline")]).await;
    assert_eq!(again.see_other(), format!("{path}?msg=not_allowed"));
    assert_eq!(t.ticket(fx.ticket_a, &fx.admin.token).await["ticket"]["status"], "quote_requested");
}

async fn a_client_declines_and_the_request_closes(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let fx = &t.fx;
    classify(&t, fx.ticket_a2, "custom_modification").await;
    // A manager of the organisation may decide on a colleague's request.
    let manager = Browser::sign_in(&t, fx.manager_a.email()).await;
    let path = format!("/portal/tickets/{}", fx.ticket_a2);
    let done = manager.submit(&format!("{path}/decision"), &[("choice", "decline"), ("comment", "")]).await;
    assert_eq!(done.see_other(), format!("{path}?msg=decided_decline"));
    let detail = t.ticket(fx.ticket_a2, &fx.admin.token).await;
    assert_eq!(detail["ticket"]["status"], "closed");
    assert!(detail["comments"].as_array().unwrap().is_empty(), "an empty comment writes no reply");
    let closing = detail["events"].as_array().unwrap().iter().rfind(|e| e["kind"] == "status_changed").unwrap();
    assert_eq!(closing["reason"], "El cliente no desea continuar");
    let html = manager.get(&done.location).await.ok().to_owned();
    assert!(html.contains("quedó cerrada") && html.contains("Decisión: no continuar."), "{html}");
}

async fn hours_only_where_the_policy_allows_them(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let fx = &t.fx;
    // No hour packages for software administration.
    classify(&t, fx.ticket_a, "software_administration").await;
    let ana = Browser::sign_in(&t, fx.requester_a.email()).await;
    let path = format!("/portal/tickets/{}", fx.ticket_a);
    let html = ana.get(&path).await.ok().to_owned();
    assert!(html.contains("Solicitar una cotización") && !html.contains("Usar horas de mi paquete"), "{html}");
    let refused = ana.submit(&format!("{path}/decision"), &[("choice", "hours")]).await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("no se puede pagar con un paquete de horas"));
    let detail = t.ticket(fx.ticket_a, &fx.admin.token).await;
    assert_eq!(detail["ticket"]["status"], "awaiting_decision");
    assert!(!event_kinds(&detail).contains(&"client_decision".to_owned()));

    // Where the policy allows them, hours need a balance: without a package the choice is
    // refused on the card, in Spanish, and nothing is recorded.
    classify(&t, fx.ticket_a, "new_feature").await;
    let refused = ana.submit(&format!("{path}/decision"), &[("choice", "hours")]).await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("no tiene saldo de horas disponible (saldo: 0 h)"), "{}", refused.body);
    let detail = t.ticket(fx.ticket_a, &fx.admin.token).await;
    assert_eq!(detail["ticket"]["status"], "awaiting_decision");
    assert!(!event_kinds(&detail).contains(&"client_decision".to_owned()));

    // With a package, the work starts and the hours are taken as the team logs time.
    let expires = alcance_app::hours::today_in("America/Bogota", t.app.now()) + chrono::Duration::days(180);
    let package = alcance_app::hours::PurchaseInput {
        hours: "10".into(),
        price: "1.500.000".into(),
        purchased_on: String::new(),
        expires_on: expires.to_string(),
        invoice_ref: "FE-1".into(),
    };
    alcance_app::hours::record_purchase(&t.app, &fx.admin.actor(), fx.org_a.id, package).await.unwrap();
    let done = ana.submit(&format!("{path}/decision"), &[("choice", "hours")]).await;
    assert_eq!(done.see_other(), format!("{path}?msg=decided_hours"));
    let html = ana.get(&done.location).await.ok().to_owned();
    assert!(html.contains("las horas se descuentan a medida que el equipo registra el tiempo"), "{html}");
    assert!(!html.contains("El equipo confirmará el saldo de horas"), "{html}");
    let detail = t.ticket(fx.ticket_a, &fx.admin.token).await;
    assert_eq!(detail["ticket"]["status"], "in_progress");
    assert!(event_kinds(&detail).contains(&"client_decision".to_owned()));
}

async fn another_organisation_cannot_decide(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let fx = &t.fx;
    classify(&t, fx.ticket_a, "new_feature").await;
    let path = format!("/portal/tickets/{}/decision", fx.ticket_a);
    for email in [fx.requester_b.email(), fx.manager_b.email(), fx.requester_a2.email()] {
        let other = Browser::sign_in(&t, email).await;
        assert_eq!(other.submit(&path, &[("choice", "quote")]).await.status, 404, "{email}");
    }
    let detail = t.ticket(fx.ticket_a, &fx.admin.token).await;
    assert_eq!(detail["ticket"]["status"], "awaiting_decision");
    assert!(!event_kinds(&detail).contains(&"client_decision".to_owned()));
}

async fn deciding_needs_the_csrf_token(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let fx = &t.fx;
    classify(&t, fx.ticket_a, "new_feature").await;
    let ana = Browser::sign_in(&t, fx.requester_a.email()).await;
    let path = format!("/portal/tickets/{}/decision", fx.ticket_a);
    assert_eq!(ana.post(&path, &[("choice", "quote")]).await.status, 403);
    assert_eq!(ana.post(&path, &[("csrf_token", "falso"), ("choice", "quote")]).await.status, 403);
    let detail = t.ticket(fx.ticket_a, &fx.admin.token).await;
    assert_eq!(detail["ticket"]["status"], "awaiting_decision");
}
