//! Prepaid hours over the API and the pages: purchases (admins only), the balance for the
//! organisation's managers, statements as JSON, CSV and PDF with a running balance, time on
//! covered work that costs nothing, and 40 concurrent time entries against a 10-hour package
//! that spend exactly the package and not a minute more.

use std::process::Command;

use serde_json::{Value, json};
use tokio::task::JoinSet;

use crate::browser::Browser;
use crate::support::{Req, TestApp, spawn_app};
use alcance_testkit::{TestBackend, on_both_backends};

on_both_backends!(
    only_admins_record_purchases,
    the_balance_is_for_the_organisations_managers,
    the_csv_statement_has_every_row_and_a_running_balance,
    the_pdf_statement_names_the_organisation_and_its_movements,
    time_on_covered_work_consumes_nothing,
    concurrent_time_entries_spend_the_package_exactly,
    a_reversal_gives_the_hours_back_once,
    the_pages_show_balances_and_take_time,
);

/// Today in the fixtures' organisations (America/Bogota).
fn today(t: &TestApp) -> chrono::NaiveDate {
    alcance_app::hours::today_in("America/Bogota", t.app.now())
}

/// Buys `hours` for organisation A as the admin; returns the package.
async fn buy(t: &TestApp, hours: &str) -> Value {
    let expires = today(t) + chrono::Duration::days(365);
    let body =
        json!({"hours": hours, "price": "$ 4.000.000", "expires_on": expires.to_string(), "invoice_ref": "FE-1001"});
    t.post(&format!("/api/v1/organizations/{}/hour-packages", t.fx.org_a.id), &t.fx.admin.token, body).await.expect(201)
}

/// Ticket A as a not-covered new feature whose requester chose to pay with hours.
async fn paid_with_hours(t: &TestApp) -> i64 {
    let number = t.fx.ticket_a;
    let path = format!("/api/v1/tickets/{number}");
    t.patch(&path, &t.fx.agent.token, json!({"category": "new_feature"})).await.expect(200);
    let ana = Browser::sign_in(t, t.fx.requester_a.email()).await;
    let decided = ana.submit(&format!("/portal/tickets/{number}/decision"), &[("choice", "hours")]).await;
    assert_eq!(decided.see_other(), format!("/portal/tickets/{number}?msg=decided_hours"));
    number
}

async fn log(t: &TestApp, number: i64, duration: &str) -> crate::support::Resp {
    let body = json!({"duration": duration, "note": "Desarrollo del módulo"});
    t.post(&format!("/api/v1/tickets/{number}/time"), &t.fx.agent.token, body).await
}

async fn available(t: &TestApp) -> i64 {
    let hours = t.get(&format!("/api/v1/organizations/{}/hours", t.fx.org_a.id), &t.fx.manager_a.token).await;
    hours.expect(200)["available_minutes"].as_i64().unwrap()
}

async fn statement(t: &TestApp, format: &str) -> crate::support::Resp {
    let d = today(t);
    let path = format!("/api/v1/organizations/{}/hours/statement?from={d}&to={d}&format={format}", t.fx.org_a.id);
    t.get(&path, &t.fx.manager_a.token).await
}

async fn only_admins_record_purchases(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let fx = &t.fx;
    let package = buy(&t, "10").await;
    assert_eq!(package["minutes"], 600);
    assert_eq!(package["balance_minutes"], 600);
    assert_eq!(package["price_minor"], 4_000_000);
    assert_eq!(package["currency"], "COP");
    assert_eq!(package["purchased_on"], today(&t).to_string());
    assert_eq!(package["expired"], false);

    let path = format!("/api/v1/organizations/{}/hour-packages", fx.org_a.id);
    let body = json!({"hours": "5", "price": "100", "expires_on": "2099-01-01", "invoice_ref": "X"});
    for token in [&fx.agent.token, &fx.manager_a.token, &fx.requester_a.token] {
        t.post(&path, token, body.clone()).await.problem(403, "forbidden", None);
    }
    // Bad input names its field; an expiry before the purchase is out of range.
    let bad = json!({"hours": "mucho", "price": "100", "expires_on": "2099-01-01", "invoice_ref": "X"});
    let refused = t.post(&path, &fx.admin.token, bad).await.problem(422, "invalid_field", Some("hours"));
    assert_eq!(refused["field_code"], "invalid");
    let early = json!({"hours": "5", "price": "100", "purchased_on": "2026-03-01", "expires_on": "2026-02-01", "invoice_ref": "X"});
    t.post(&path, &fx.admin.token, early).await.problem(422, "invalid_field", Some("expires_on"));
    t.post("/api/v1/organizations/999999/hour-packages", &fx.admin.token, body).await.problem(404, "not_found", None);
    // Only the first purchase counts.
    assert_eq!(available(&t).await, 600);
}

async fn the_balance_is_for_the_organisations_managers(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let fx = &t.fx;
    buy(&t, "10").await;
    buy(&t, "2,5").await;
    let path = format!("/api/v1/organizations/{}/hours", fx.org_a.id);
    let mine = t.get(&path, &fx.manager_a.token).await.expect(200);
    assert_eq!(mine["available_minutes"], 750);
    assert_eq!(mine["organization"], "Cámara A");
    assert_eq!(mine["packages"].as_array().unwrap().len(), 2);
    // Staff see it too; the other organisation's manager and requesters do not.
    assert_eq!(t.get(&path, &fx.agent.token).await.expect(200)["available_minutes"], 750);
    t.get(&path, &fx.manager_b.token).await.problem(404, "not_found", None);
    t.get(&path, &fx.requester_a.token).await.problem(404, "not_found", None);
    let statement = format!("{path}/statement?from=2026-01-01&to=2099-01-01");
    t.get(&statement, &fx.manager_b.token).await.problem(404, "not_found", None);
    t.get(&statement, &fx.requester_a.token).await.problem(404, "not_found", None);
    let backwards = format!("{path}/statement?from=2026-02-01&to=2026-01-01");
    t.get(&backwards, &fx.manager_a.token).await.problem(422, "invalid_field", Some("to"));
    let bad_format = format!("{path}/statement?from=2026-01-01&to=2026-01-02&format=xls");
    t.get(&bad_format, &fx.manager_a.token).await.problem(422, "invalid_field", Some("format"));
}

/// Reads the statement CSV: (hours, balance) per row, as minutes.
fn csv_rows(text: &str) -> Vec<(String, i64, i64)> {
    let minutes = |cell: &str| (cell.parse::<f64>().unwrap() * 60.0).round() as i64;
    text.split("\r\n")
        .skip(1)
        .filter(|l| !l.is_empty())
        .map(|line| {
            let cells: Vec<&str> = line.split(',').collect();
            (cells[1].to_owned(), minutes(cells[4]), minutes(cells[5]))
        })
        .collect()
}

async fn the_csv_statement_has_every_row_and_a_running_balance(backend: TestBackend) {
    let t = spawn_app(backend).await;
    buy(&t, "10").await;
    let number = paid_with_hours(&t).await;
    log(&t, number, "1,5").await.expect(201);
    log(&t, number, "45 min").await.expect(201);
    log(&t, number, "1:15").await.expect(201);

    let csv = statement(&t, "csv").await;
    assert_eq!(csv.status, 200);
    assert_eq!(csv.header("content-type"), Some("text/csv; charset=utf-8"));
    let disposition = csv.header("content-disposition").unwrap();
    assert!(disposition.starts_with("attachment; filename=") && disposition.contains(".csv"), "{disposition}");
    let text = csv.text();
    assert!(text.starts_with("fecha,movimiento,paquete,solicitud,horas,saldo,nota\r\n"), "{text}");
    assert!(text.contains(&format!(",#{number},")), "the request in {text}");
    let rows = csv_rows(&text);
    let kinds: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(kinds, ["purchase", "consumption", "consumption", "consumption"]);
    let moved: Vec<i64> = rows.iter().map(|r| r.1).collect();
    assert_eq!(moved, [600, -90, -45, -75]);
    let mut running = 0;
    for (_, minutes, balance) in &rows {
        running += minutes;
        assert_eq!(*balance, running, "running balance in {text}");
    }
    assert_eq!(running, 390);

    // The JSON statement agrees, with opening and closing balances.
    let json = statement(&t, "json").await.expect(200);
    assert_eq!(json["opening_minutes"], 0);
    assert_eq!(json["closing_minutes"], 390);
    let after: Vec<i64> =
        json["rows"].as_array().unwrap().iter().map(|r| r["balance_after_minutes"].as_i64().unwrap()).collect();
    assert_eq!(after, [600, 510, 465, 390]);
    assert_eq!(available(&t).await, 390);
    // An English caller gets the English header.
    let d = today(&t);
    let path = format!("/api/v1/organizations/{}/hours/statement?from={d}&to={d}&format=csv", t.fx.org_a.id);
    let english = t
        .send(
            reqwest::Method::GET,
            &path,
            Req {
                token: Some(&t.fx.manager_a.token),
                headers: vec![("accept-language", "en".into())],
                ..Req::default()
            },
        )
        .await;
    assert!(english.text().starts_with("date,movement,package,request,hours,balance,note"));
}

async fn the_pdf_statement_names_the_organisation_and_its_movements(backend: TestBackend) {
    let t = spawn_app(backend).await;
    buy(&t, "10").await;
    let number = paid_with_hours(&t).await;
    log(&t, number, "2").await.expect(201);

    let pdf = statement(&t, "pdf").await;
    assert_eq!(pdf.header("content-type"), Some("application/pdf"));
    assert!(pdf.header("content-disposition").unwrap().contains(".pdf"));
    let bytes = pdf.expect_bytes();
    assert!(bytes.starts_with(b"%PDF"), "not a PDF");
    let file = std::env::temp_dir().join(format!("alcance-estado-{}-{number}.pdf", std::process::id()));
    std::fs::write(&file, bytes).unwrap();
    let out = Command::new("pdftotext")
        .args(["-layout", file.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext is needed for this test: apt-get install poppler-utils");
    let _ = std::fs::remove_file(&file);
    assert!(out.status.success(), "pdftotext failed: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    for part in [
        "Estado de cuenta de horas prepagadas",
        "Cámara A",
        "Compra",
        "+10 h",
        "Consumo",
        &format!("#{number}"),
        "-2 h",
        "Saldo final",
        "8 h",
        "Página 1 de 1",
    ] {
        assert!(text.contains(part), "{part} in the PDF text:\n{text}");
    }
}

async fn time_on_covered_work_consumes_nothing(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let fx = &t.fx;
    buy(&t, "10").await;
    let number = fx.ticket_a2;
    t.patch(&format!("/api/v1/tickets/{number}"), &fx.agent.token, json!({"category": "bug_fix"})).await.expect(200);
    let entry = log(&t, number, "3").await.expect(201);
    assert_eq!(entry["billing"], "covered");
    assert_eq!(entry["minutes"], 180);
    assert_eq!(entry["ticket_number"], number);
    assert_eq!(available(&t).await, 600);
    let rows = statement(&t, "json").await.expect(200)["rows"].as_array().unwrap().len();
    assert_eq!(rows, 1, "only the purchase");
    let list = t.get(&format!("/api/v1/tickets/{number}/time"), &fx.agent.token).await.expect(200);
    assert_eq!(list.as_array().unwrap().len(), 1);
    // Client contacts neither log nor read time entries.
    t.get(&format!("/api/v1/tickets/{number}/time"), &fx.manager_a.token).await.problem(403, "forbidden", None);
    let body = json!({"duration": "1"});
    t.post(&format!("/api/v1/tickets/{number}/time"), &fx.requester_a2.token, body).await.problem(
        403,
        "forbidden",
        None,
    );
    log(&t, number, "cero").await.problem(422, "invalid_field", Some("duration"));
    log(&t, 999_999, "1").await.problem(404, "not_found", None);
}

/// 40 agents log 30 minutes each at once against 10 hours: exactly 20 fit.
async fn concurrent_time_entries_spend_the_package_exactly(backend: TestBackend) {
    let t = spawn_app(backend).await;
    buy(&t, "10").await;
    let number = paid_with_hours(&t).await;

    let mut tasks = JoinSet::new();
    for i in 0..40 {
        let (client, url, token) =
            (t.client.clone(), t.url(&format!("/api/v1/tickets/{number}/time")), t.fx.agent.token.clone());
        tasks.spawn(async move {
            let body = json!({"duration": "30 min", "note": format!("Tarea {i}")});
            let response = client.post(url).bearer_auth(token).json(&body).send().await.unwrap();
            let status = response.status().as_u16();
            (status, response.json::<Value>().await.unwrap())
        });
    }
    let (mut created, mut refused) = (0, 0);
    while let Some(done) = tasks.join_next().await {
        let (status, body) = done.unwrap();
        match status {
            201 => {
                assert_eq!(body["billing"], "hours", "{body}");
                created += 1;
            }
            422 => {
                assert_eq!(body["code"], "invalid_field", "{body}");
                assert_eq!(body["field"], "duration", "{body}");
                assert_eq!(body["field_code"], "insufficient_balance", "{body}");
                refused += 1;
            }
            other => panic!("unexpected {other}: {body}"),
        }
    }
    assert_eq!((created, refused), (20, 20));
    assert_eq!(available(&t).await, 0);

    let all = statement(&t, "json").await.expect(200);
    let rows = all["rows"].as_array().unwrap();
    let consumed: i64 = rows
        .iter()
        .filter(|r| r["entry"]["kind"] == "consumption")
        .map(|r| r["entry"]["minutes"].as_i64().unwrap())
        .sum();
    assert_eq!(consumed, -600);
    assert_eq!(rows.iter().filter(|r| r["entry"]["kind"] == "consumption").count(), 20);
    assert_eq!(all["closing_minutes"], 0);
    let entries = t.get(&format!("/api/v1/tickets/{number}/time"), &t.fx.agent.token).await.expect(200);
    assert_eq!(entries.as_array().unwrap().len(), 20, "no lost entry");
    // Every consumption points at one of the recorded time entries.
    let ids: Vec<i64> = entries.as_array().unwrap().iter().map(|e| e["id"].as_i64().unwrap()).collect();
    for row in rows.iter().filter(|r| r["entry"]["kind"] == "consumption") {
        assert!(ids.contains(&row["entry"]["time_entry_id"].as_i64().unwrap()), "{row}");
    }
    // The refusal names the balance.
    let again = log(&t, number, "1").await.problem(422, "invalid_field", Some("duration"));
    assert!(again["detail"].as_str().unwrap().contains("0 h"), "{again}");
}

async fn a_reversal_gives_the_hours_back_once(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let fx = &t.fx;
    buy(&t, "10").await;
    let number = paid_with_hours(&t).await;
    log(&t, number, "2").await.expect(201);
    let rows = statement(&t, "json").await.expect(200)["rows"].clone();
    let consumption = rows.as_array().unwrap().iter().find(|r| r["entry"]["kind"] == "consumption").unwrap();
    let id = consumption["entry"]["id"].as_i64().unwrap();
    let path = format!("/api/v1/hour-ledger/{id}/reverse");
    let note = json!({"note": "Se registró en el caso equivocado"});
    t.post(&path, &fx.agent.token, note.clone()).await.problem(403, "forbidden", None);
    t.post(&path, &fx.admin.token, json!({"note": ""})).await.problem(422, "invalid_field", Some("note"));
    let reversal = t.post(&path, &fx.admin.token, note.clone()).await.expect(201);
    assert_eq!(reversal["kind"], "reversal");
    assert_eq!(reversal["minutes"], 120);
    assert_eq!(reversal["reverses_id"], id);
    assert_eq!(available(&t).await, 600);
    t.post(&path, &fx.admin.token, note.clone()).await.problem(422, "invalid_field", Some("entry"));
    let back = format!("/api/v1/hour-ledger/{}/reverse", reversal["id"]);
    t.post(&back, &fx.admin.token, note).await.problem(422, "invalid_field", Some("entry"));
    assert_eq!(available(&t).await, 600);
}

async fn the_pages_show_balances_and_take_time(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let fx = &t.fx;
    buy(&t, "1").await;
    let number = paid_with_hours(&t).await;

    // The agent logs time on the page; too much is refused next to the field, in Spanish.
    let agent = Browser::sign_in(&t, fx.agent.email()).await;
    let path = format!("/agent/tickets/{number}/time");
    let html = agent.get(&path).await.ok().to_owned();
    assert!(html.contains("saldo disponible de la organización 1 h"), "{html}");
    assert_eq!(agent.post(&path, &[("duration", "1")]).await.status, 403, "no CSRF token");
    let too_much = agent.submit(&path, &[("duration", "2"), ("note", "Diseño")]).await;
    assert_eq!(too_much.status, 422);
    assert!(too_much.body.contains("No hay saldo suficiente de horas para «Duración»: el saldo disponible es 1 h."));
    assert!(too_much.body.contains("value=\"2\""), "the form keeps what was typed");
    let done = agent.submit(&path, &[("duration", "45 min"), ("note", "Diseño de la base de datos")]).await;
    assert_eq!(done.see_other(), format!("{path}?msg=logged"));
    let html = agent.get(&done.location).await.ok().to_owned();
    assert!(html.contains("Tiempo registrado.") && html.contains("Diseño de la base de datos"));
    for part in ["Horas del paquete", "<td class=\"num\">0,75 h</td>", "<td>Agente</td>"] {
        assert!(html.contains(part), "{part} in {html}");
    }
    assert!(html.contains("saldo disponible de la organización 0,25 h"), "{html}");

    // The manager sees the balance and the movement linked to the request.
    let manager = Browser::sign_in(&t, fx.manager_a.email()).await;
    let html = manager.get("/portal/hours").await.ok().to_owned();
    assert!(html.contains("href=\"/portal/hours\""), "the navigation link");
    assert!(html.contains("id=\"hours-available\">0,25 h<"), "{html}");
    assert!(html.contains(&format!("href=\"/portal/tickets/{number}\">#{number}</a>")), "{html}");
    assert!(html.contains("Descargar CSV") && html.contains("Descargar PDF"));
    let d = today(&t);
    let csv = manager.get(&format!("/portal/hours/statement.csv?from={d}&to={d}")).await;
    assert_eq!(csv.status, 200);
    assert!(csv.body.contains("consumption"), "{}", csv.body);
    let bad = manager.get("/portal/hours/statement.pdf?from=ayer&to=hoy").await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("El campo «Desde» no tiene un formato válido."), "{}", bad.body);

    // Requesters and the other organisation: no such page; staff: their console.
    let ana = Browser::sign_in(&t, fx.requester_a.email()).await;
    assert_eq!(ana.get("/portal/hours").await.status, 404);
    assert!(!ana.get("/portal").await.body.contains("href=\"/portal/hours\""), "no link for requesters");
    assert_eq!(agent.get("/portal/hours").await.see_other(), "/agent");
    assert_eq!(manager.get(&path).await.status, 404);

    // The admin records a purchase on the page.
    let admin = Browser::sign_in(&t, fx.admin.email()).await;
    let org = fx.org_a.id.to_string();
    let html = admin.get(&format!("/admin/hours?org={org}")).await.ok().to_owned();
    assert!(html.contains("Registrar una compra") && html.contains("FE-1001"), "{html}");
    let expires = (d + chrono::Duration::days(20)).to_string();
    let refused = admin
        .submit(
            "/admin/hours/purchase",
            &[("organization", &org), ("hours", ""), ("price", "1"), ("expires_on", &expires), ("invoice_ref", "FE-2")],
        )
        .await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("El campo «Horas compradas» es obligatorio."));
    let bought = admin
        .submit(
            "/admin/hours/purchase",
            &[
                ("organization", &org),
                ("hours", "5"),
                ("price", "$ 900.000"),
                ("expires_on", &expires),
                ("invoice_ref", "FE-2"),
            ],
        )
        .await;
    assert_eq!(bought.see_other(), format!("/admin/hours?org={org}&msg=purchased"));
    let html = admin.get(&bought.location).await.ok().to_owned();
    assert!(html.contains("Compra registrada.") && html.contains("Vence en 20 días"), "{html}");
    assert_eq!(available(&t).await, 5 * 60 + 15);
    assert_eq!(agent.get("/admin/hours").await.status, 403);
    assert_eq!(manager.get("/admin/hours").await.status, 404);
}
