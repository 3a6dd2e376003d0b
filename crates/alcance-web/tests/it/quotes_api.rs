//! Quotes through the API on a real server: a draft with an hours line and a fixed line, its
//! totals with IVA on the subtotal, the numbering, sending (the request becomes "quoted", the
//! managers get the PDF by e-mail), who may decide, accepting (the work starts, the address is
//! recorded, the quote no longer changes), paying with hours (reserved, and given back when the
//! quote is withdrawn), the PDF's text, and the pages that show it all.

use std::io::Write;

use crate::browser::Browser;
use crate::support::{TestApp, event_kinds, spawn_app};
use alcance_app::hours::{self, PurchaseInput};
use alcance_app::tickets::{self, TicketChange};
use alcance_app::{AppError, account};
use alcance_store::repo::web;
use alcance_testkit::{TestBackend, on_both_backends};
use chrono::Datelike;
use reqwest::Method;
use serde_json::{Value, json};

use crate::support::Req;

on_both_backends!(
    a_quote_from_draft_to_accepted_work,
    paying_with_hours_reserves_them_and_withdrawing_gives_them_back,
    the_pdf_says_the_number_the_lines_and_the_total,
    the_pages_draft_send_and_accept_a_quote,
);

async fn classify(t: &TestApp, number: i64, category: &str) {
    let change = TicketChange { category: Some(category.into()), ..TicketChange::default() };
    tickets::change(&t.app, &t.fx.agent.actor(), number, change).await.unwrap();
}

/// Two lines: 2,5 h at the contract's rate and a fixed $ 300.000.
fn draft() -> Value {
    json!({
        "title": "Módulo de pagos PSE",
        "notes": "Incluye pruebas con el banco.",
        "lines": [
            {"description": "Desarrollo del módulo", "hours": "2,5"},
            {"description": "Licencia del conector", "amount": "$ 300.000"}
        ]
    })
}

fn year(t: &TestApp) -> i32 {
    hours::today_in("America/Bogota", t.app.now()).year()
}

async fn put(t: &TestApp, path: &str, token: &str, body: Value) -> crate::support::Resp {
    t.send(Method::PUT, path, Req { token: Some(token), json: Some(body), ..Req::default() }).await
}

async fn status_of(t: &TestApp, number: i64) -> String {
    t.ticket(number, &t.fx.admin.token).await["ticket"]["status"].as_str().unwrap().to_owned()
}

/// Creates and sends the usual draft on `number`, returning the quote number.
async fn sent_quote(t: &TestApp, number: i64) -> String {
    let q = t.post(&format!("/api/v1/tickets/{number}/quotes"), &t.fx.agent.token, draft()).await.expect(201);
    let quote = q["number"].as_str().unwrap().to_owned();
    t.post(&format!("/api/v1/quotes/{quote}/send"), &t.fx.agent.token, json!({})).await.expect(200);
    quote
}

async fn a_quote_from_draft_to_accepted_work(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let fx = &t.fx;
    assert_eq!((fx.contract_a.hourly_rate_minor, fx.contract_a.tax_rate_basis_points), (150_000, 1900));
    let path = format!("/api/v1/tickets/{}/quotes", fx.ticket_a);

    // Only not-covered requests are quoted, and only by staff.
    t.post(&path, &fx.agent.token, draft()).await.problem(422, "invalid_field", Some("ticket"));
    classify(&t, fx.ticket_a, "new_feature").await;
    t.post(&path, &fx.manager_a.token, draft()).await.problem(403, "forbidden", None);

    // A bad line is named by its index.
    let mut bad = draft();
    bad["lines"][1] = json!({"description": "Sin valor"});
    t.post(&path, &fx.agent.token, bad).await.problem(422, "invalid_field", Some("lines[1].hours"));

    let q = t.post(&path, &fx.agent.token, draft()).await.expect(201);
    let number = q["number"].as_str().unwrap().to_owned();
    assert_eq!(number, format!("Q-{}-0001", year(&t)));
    assert_eq!(q["status"], "draft");
    assert_eq!(q["ticket_number"], fx.ticket_a);
    // 150 min x $ 150.000/h = $ 375.000; + $ 300.000 = $ 675.000; IVA 19 % on it = $ 128.250.
    assert_eq!(q["lines"][0]["kind"], "hours");
    assert_eq!(q["lines"][0]["minutes"], 150);
    assert_eq!(q["lines"][0]["rate_minor"], 150_000);
    assert_eq!(q["lines"][0]["amount_minor"], 375_000);
    assert_eq!(q["lines"][1]["kind"], "fixed");
    assert_eq!(q["lines"][1]["amount_minor"], 300_000);
    assert_eq!(q["subtotal_minor"], 675_000);
    assert_eq!(q["tax_minor"], 128_250);
    assert_eq!(q["total_minor"], 803_250);
    assert_eq!(q["hours_minutes"], 150);
    assert_eq!(q["currency"], "COP");

    // The next quote, on another request, takes the next number.
    classify(&t, fx.ticket_a2, "custom_modification").await;
    let second =
        t.post(&format!("/api/v1/tickets/{}/quotes", fx.ticket_a2), &fx.agent.token, draft()).await.expect(201);
    assert_eq!(second["number"], format!("Q-{}-0002", year(&t)));

    // A draft is the agency's: contacts do not see it.
    let quote_path = format!("/api/v1/quotes/{number}");
    t.get(&quote_path, &fx.manager_a.token).await.problem(404, "not_found", None);
    assert_eq!(t.get(&path, &fx.manager_a.token).await.expect(200), json!([]));

    // The draft changes; the totals follow.
    let mut changed = draft();
    changed["lines"][0]["hours"] = json!("4");
    changed["lines"][0]["rate"] = json!("100.000");
    let q = put(&t, &quote_path, &fx.agent.token, changed).await.expect(200);
    assert_eq!(q["lines"][0]["amount_minor"], 400_000);
    assert_eq!(q["subtotal_minor"], 700_000);
    assert_eq!(q["tax_minor"], 133_000);
    assert_eq!(q["total_minor"], 833_000);
    let q = put(&t, &quote_path, &fx.agent.token, draft()).await.expect(200);
    assert_eq!(q["total_minor"], 803_250);

    // Sent: the request is quoted and the managers get the PDF.
    let q = t.post(&format!("{quote_path}/send"), &fx.agent.token, json!({})).await.expect(200);
    assert_eq!(q["status"], "sent");
    assert!(q["sent_at"].is_string());
    assert_eq!(status_of(&t, fx.ticket_a).await, "quoted");
    let outbox = account::outbox(&t.app, &fx.admin.actor()).await.unwrap();
    let mail = outbox.iter().find(|m| m.to_address == fx.manager_a.email()).expect("a mail to the manager");
    assert!(mail.subject.contains(&number), "{}", mail.subject);
    assert!(mail.body_text.contains("$ 803.250"), "{}", mail.body_text);
    let id = mail.id;
    let files: Vec<String> = t
        .app
        .store
        .read(move |c| Box::pin(async move { web::attachment_names(c, id).await.map_err(AppError::from) }))
        .await
        .unwrap();
    assert_eq!(files, vec![format!("{number}.pdf")]);
    assert!(!outbox.iter().any(|m| m.to_address == fx.manager_b.email()), "only the organisation's managers");

    // Now the contacts who see the request see the quote.
    let seen = t.get(&quote_path, &fx.requester_a.token).await.expect(200);
    assert_eq!(seen["total_minor"], 803_250);
    assert_eq!(t.get(&path, &fx.requester_a.token).await.expect(200).as_array().unwrap().len(), 1);

    // Who decides: a requester may not; another organisation does not see it.
    let accept = format!("{quote_path}/accept");
    let refused = t.post(&accept, &fx.requester_a.token, json!({})).await;
    assert!(refused.status == 403 || refused.status == 404, "{}", refused.text());
    t.post(&accept, &fx.manager_b.token, json!({})).await.problem(404, "not_found", None);
    t.get(&quote_path, &fx.manager_b.token).await.problem(404, "not_found", None);
    assert_eq!(status_of(&t, fx.ticket_a).await, "quoted");

    // The manager accepts, from behind the local proxy that names the client's address.
    let accepted = t
        .send(
            Method::POST,
            &accept,
            Req {
                token: Some(&fx.manager_a.token),
                json: Some(json!({"note": "Adelante"})),
                headers: vec![("x-forwarded-for", "203.0.113.9, 10.0.0.2".to_owned())],
                ..Req::default()
            },
        )
        .await
        .expect(200);
    assert_eq!(accepted["status"], "accepted");
    assert_eq!(accepted["decided_by"], fx.manager_a.id());
    assert_eq!(accepted["decided_ip"], "203.0.113.9");
    assert_eq!(accepted["decision_note"], "Adelante");
    assert_eq!(accepted["pay_with_hours"], false);
    assert_eq!(status_of(&t, fx.ticket_a).await, "in_progress");

    // An accepted quote never changes, and is not decided twice.
    put(&t, &quote_path, &fx.agent.token, draft()).await.problem(422, "invalid_field", Some("status"));
    t.post(&format!("{quote_path}/reject"), &fx.manager_a.token, json!({})).await.problem(
        422,
        "invalid_field",
        Some("status"),
    );

    // The history tells the quote's steps.
    let detail = t.ticket(fx.ticket_a, &fx.admin.token).await;
    let quote_events: Vec<&Value> =
        detail["events"].as_array().unwrap().iter().filter(|e| e["kind"] == "quote_changed").collect();
    let steps: Vec<String> =
        quote_events.iter().map(|e| e["after"]["status"].as_str().unwrap_or("").to_owned()).collect();
    assert_eq!(steps, ["draft", "sent", "accepted"], "{quote_events:?}");
    assert!(event_kinds(&detail).contains(&"status_changed".to_owned()));

    // The other draft is rejected after sending: its request closes.
    let other = second["number"].as_str().unwrap();
    t.post(&format!("/api/v1/quotes/{other}/send"), &fx.agent.token, json!({})).await.expect(200);
    let rejected = t
        .post(&format!("/api/v1/quotes/{other}/reject"), &fx.manager_a.token, json!({"note": "Muy caro"}))
        .await
        .expect(200);
    assert_eq!(rejected["status"], "rejected");
    assert_eq!(status_of(&t, fx.ticket_a2).await, "closed");
}

async fn buy(t: &TestApp, org_id: i64, hours: &str) {
    let expires = hours::today_in("America/Bogota", t.app.now()) + chrono::Duration::days(365);
    let input = PurchaseInput {
        hours: hours.into(),
        price: "1.000.000".into(),
        purchased_on: String::new(),
        expires_on: expires.to_string(),
        invoice_ref: "FE-100".into(),
    };
    hours::record_purchase(&t.app, &t.fx.admin.actor(), org_id, input).await.unwrap();
}

async fn available(t: &TestApp) -> i64 {
    hours::overview(&t.app, &t.fx.admin.actor(), t.fx.org_a.id).await.unwrap().available_minutes
}

async fn paying_with_hours_reserves_them_and_withdrawing_gives_them_back(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let fx = &t.fx;
    classify(&t, fx.ticket_a, "new_feature").await;
    let quote = sent_quote(&t, fx.ticket_a).await;
    let accept = format!("/api/v1/quotes/{quote}/accept");

    // No package: refused, and nothing changed.
    t.post(&accept, &fx.manager_a.token, json!({"pay_with_hours": true})).await.problem(
        422,
        "invalid_field",
        Some("pay_with_hours"),
    );
    let refused = t.post(&accept, &fx.manager_a.token, json!({"pay_with_hours": true})).await.json();
    assert_eq!(refused["field_code"], "insufficient_balance");
    // Two hours are not enough for 2,5.
    buy(&t, fx.org_a.id, "2").await;
    t.post(&accept, &fx.manager_a.token, json!({"pay_with_hours": true})).await.problem(
        422,
        "invalid_field",
        Some("pay_with_hours"),
    );
    assert_eq!(available(&t).await, 120);
    assert_eq!(status_of(&t, fx.ticket_a).await, "quoted");

    buy(&t, fx.org_a.id, "10").await;
    assert_eq!(available(&t).await, 720);
    let accepted = t.post(&accept, &fx.manager_a.token, json!({"pay_with_hours": true})).await.expect(200);
    assert_eq!(accepted["pay_with_hours"], true);
    assert_eq!(available(&t).await, 720 - 150, "the quote's 2,5 h are reserved");
    assert_eq!(status_of(&t, fx.ticket_a).await, "in_progress");

    // Withdrawing accepted work needs a reason, and gives the hours back once.
    let withdraw = format!("/api/v1/quotes/{quote}/withdraw");
    t.post(&withdraw, &fx.agent.token, json!({})).await.problem(422, "invalid_field", Some("reason"));
    assert_eq!(available(&t).await, 570);
    t.post(&withdraw, &fx.manager_a.token, json!({"reason": "x"})).await.problem(403, "forbidden", None);
    let withdrawn =
        t.post(&withdraw, &fx.agent.token, json!({"reason": "El cliente canceló el proyecto"})).await.expect(200);
    assert_eq!(withdrawn["status"], "withdrawn");
    assert_eq!(available(&t).await, 720);
    t.post(&withdraw, &fx.agent.token, json!({"reason": "Otra vez"})).await.problem(
        422,
        "invalid_field",
        Some("status"),
    );
    assert_eq!(available(&t).await, 720);
}

fn pdf_text(bytes: &[u8]) -> String {
    let dir = std::env::temp_dir().join(format!("alcance-quote-{}-{}", std::process::id(), rand_suffix()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("q.pdf");
    std::fs::File::create(&file).unwrap().write_all(bytes).unwrap();
    let out = std::process::Command::new("pdftotext").arg("-layout").arg(&file).arg("-").output().expect("pdftotext");
    std::fs::remove_dir_all(&dir).ok();
    assert!(out.status.success(), "pdftotext: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos()
}

async fn the_pdf_says_the_number_the_lines_and_the_total(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let fx = &t.fx;
    classify(&t, fx.ticket_a, "new_feature").await;
    let quote = sent_quote(&t, fx.ticket_a).await;
    let path = format!("/api/v1/quotes/{quote}/pdf");

    let pdf = t.get(&path, &fx.requester_a.token).await;
    assert_eq!(pdf.header("content-type"), Some("application/pdf"));
    let disposition = pdf.header("content-disposition").unwrap_or_default().to_owned();
    assert!(disposition.contains(&format!("{quote}.pdf")), "{disposition}");
    let text = pdf_text(pdf.expect_bytes());
    for part in [
        quote.as_str(),
        "Desarrollo del módulo",
        "Licencia del conector",
        "$ 375.000",
        "$ 300.000",
        "$ 675.000",
        "$ 128.250",
        "$ 803.250",
        "Cámara A",
    ] {
        assert!(text.contains(part), "{part} in {text}");
    }
    t.get(&path, &fx.manager_b.token).await.problem(404, "not_found", None);
    t.get("/api/v1/quotes/Q-2026-9999/pdf", &fx.agent.token).await.problem(404, "not_found", None);
}

async fn the_pages_draft_send_and_accept_a_quote(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let fx = &t.fx;
    classify(&t, fx.ticket_a, "new_feature").await;
    let agent = Browser::sign_in(&t, fx.agent.email()).await;
    let ticket_page = agent.get(&format!("/agent/tickets/{}", fx.ticket_a)).await.ok().to_owned();
    assert!(
        ticket_page.contains("Cotizaciones")
            && ticket_page.contains(&format!("/agent/tickets/{}/quotes/new", fx.ticket_a))
    );
    assert!(
        ticket_page.contains(&format!("/agent/tickets/{}/time", fx.ticket_a))
            && ticket_page.contains("Registro de tiempo")
    );

    let form = agent.get(&format!("/agent/tickets/{}/quotes/new", fx.ticket_a)).await.ok().to_owned();
    assert!(form.contains("name=\"lines[4].description\""), "five rows without JavaScript");
    assert!(form.contains("value=\"No carga el portal\""), "the title is the subject");
    assert!(form.contains("value=\"$ 150.000\""), "the contract's rate");

    let create = format!("/agent/tickets/{}/quotes", fx.ticket_a);
    // Without the CSRF token nothing is created.
    assert_eq!(agent.post(&create, &[("title", "x")]).await.status, 403);
    let bad = agent
        .submit(&create, &[("title", "Módulo"), ("lines[0].description", "Desarrollo"), ("lines[0].hours", "dos")])
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("Horas de la línea 1") && bad.body.contains("value=\"dos\""), "{}", bad.body);
    let done = agent
        .submit(
            &create,
            &[
                ("title", "Módulo de pagos"),
                ("lines[0].description", "Desarrollo"),
                ("lines[0].hours", "2,5"),
                ("lines[0].rate", "$ 150.000"),
                ("lines[1].description", "Licencia"),
                ("lines[1].amount", "300.000"),
                ("lines[1].rate", "$ 150.000"),
                ("lines[2].rate", "$ 150.000"),
            ],
        )
        .await;
    let number = format!("Q-{}-0001", year(&t));
    assert_eq!(done.see_other(), format!("/agent/quotes/{number}?msg=created"));
    let page = agent.get(&done.location).await.ok().to_owned();
    for part in ["$ 675.000", "IVA (19 %)", "$ 128.250", "$ 803.250", "Enviar al cliente", "Descargar PDF", "Retirar"] {
        assert!(page.contains(part), "{part} in {page}");
    }
    let sent = agent.submit(&format!("/agent/quotes/{number}/send"), &[]).await;
    assert_eq!(sent.see_other(), format!("/agent/quotes/{number}?msg=sent"));
    let pdf = agent.get(&format!("/agent/quotes/{number}/pdf")).await;
    assert_eq!(pdf.status, 200);
    let timeline = agent.get(&format!("/agent/tickets/{}", fx.ticket_a)).await.ok().to_owned();
    assert!(timeline.contains(&format!("cotización {number} enviada")), "{timeline}");

    // The requester reads it; the manager decides.
    let request = format!("/portal/tickets/{}", fx.ticket_a);
    let ana = Browser::sign_in(&t, fx.requester_a.email()).await;
    let html = ana.get(&request).await.ok().to_owned();
    assert!(html.contains("$ 803.250") && html.contains("El gerente de su organización decide"), "{html}");
    assert!(!html.contains(&format!("/portal/quotes/{number}/accept")));
    assert_eq!(ana.get(&format!("/portal/quotes/{number}.pdf")).await.status, 200);

    buy(&t, fx.org_a.id, "10").await;
    let jorge = Browser::sign_in(&t, fx.manager_a.email()).await;
    let html = jorge.get(&request).await.ok().to_owned();
    assert!(
        html.contains(&format!("/portal/quotes/{number}/accept"))
            && html.contains("Pagar con horas de nuestro paquete")
    );
    let accepted = jorge.submit(&format!("/portal/quotes/{number}/accept"), &[("note", "")]).await;
    assert_eq!(accepted.see_other(), format!("{request}?msg=quote_accepted#quote"));
    let html = jorge.get(&format!("{request}?msg=quote_accepted")).await.ok().to_owned();
    assert!(html.contains("Aceptó la cotización") && html.contains("status-in_progress"), "{html}");
    let q = t.get(&format!("/api/v1/quotes/{number}"), &fx.agent.token).await.expect(200);
    assert_eq!(q["decided_ip"], "127.0.0.1", "the connection's address");
    assert_eq!(available(&t).await, 600, "accepted without hours: nothing reserved");
}
