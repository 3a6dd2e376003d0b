//! Triage suggestions through HTTP: stored when a request is opened, shown to staff (API and
//! agent pages) and never to the client, accepted in one step, corrected, ordering the
//! "Sin clasificar" view, and applied automatically when the operator asks for it.

use std::sync::Arc;

use alcance_app::{App, Settings};
use alcance_testkit::{TestBackend, on_both_backends};
use serde_json::{Value, json};

use crate::browser::Browser;
use crate::support::{TestApp, spawn_app};

on_both_backends!(
    suggestion_is_stored_and_shown_to_staff_only,
    accepting_classifies_in_one_step,
    classifying_differently_marks_the_suggestion_corrected,
    unclassified_view_lists_confident_suggestions_first,
    auto_classification_when_configured,
    triage_report_counts_the_decisions,
);

const DOWN: &str = "El sitio está caído desde esta mañana, error 502";

/// The ticket numbers of the queue's rows, in order.
fn rows(html: &str) -> Vec<i64> {
    html.split("<tr data-queue-row>")
        .skip(1)
        .filter_map(|row| {
            let start = row.find("href=\"/agent/tickets/")? + "href=\"/agent/tickets/".len();
            row[start..].split('"').next()?.parse().ok()
        })
        .collect()
}

/// Opens a request as requester A through the API.
async fn open_as_client(t: &TestApp, subject: &str, body: &str) -> i64 {
    let token = &t.fx.requester_a.token;
    let answer = t.post("/api/v1/tickets", token, json!({"subject": subject, "body": body})).await.expect(201);
    answer["number"].as_i64().unwrap()
}

async fn suggestion(t: &TestApp, number: i64) -> Value {
    t.ticket(number, &t.fx.agent.token).await["suggestion"].clone()
}

async fn suggestion_is_stored_and_shown_to_staff_only(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let fx = &t.fx;
    let number = open_as_client(&t, DOWN, DOWN).await;

    let s = suggestion(&t, number).await;
    assert_eq!(s["category"], "server_availability", "{s}");
    assert_eq!(s["coverage"], "covered", "{s}");
    assert!(["critical", "high", "normal", "low"].contains(&s["priority"].as_str().unwrap()), "{s}");
    let confidence = s["confidence"].as_f64().unwrap();
    assert!(confidence > 0.0 && confidence <= 1.0, "{s}");
    assert!(s["coverage_confidence"].as_f64().unwrap() > 0.5, "{s}");
    assert_eq!(s["clause"], "1.2", "{s}");
    assert!(!s["top_words"].as_array().unwrap().is_empty(), "{s}");
    assert!(!s["model_version"].as_str().unwrap().is_empty(), "{s}");
    assert_eq!((s["accepted_at"].clone(), s["corrected"].clone()), (Value::Null, Value::Null));

    // The client sees the request, not the suggestion.
    let own = t.ticket(number, &fx.requester_a.token).await;
    assert_eq!(own["ticket"]["number"], number);
    assert_eq!(own["suggestion"], Value::Null, "{own}");
    assert_eq!(own["ticket"]["coverage"], "pending", "nothing is classified without an agent by default");
    // Every fixture ticket got one too.
    assert!(suggestion(&t, fx.ticket_b).await.is_object());

    // The agent's ticket page shows the panel; the client's page does not.
    let b = Browser::sign_in(&t, fx.agent.email()).await;
    let page = b.get(&format!("/agent/tickets/{number}")).await;
    let html = page.ok();
    assert_eq!(html.matches("<h1").count(), 1);
    assert!(html.contains("id=\"suggestion-heading\">Sugerencia<"), "the panel");
    assert!(html.contains("Monitoreo y disponibilidad del servidor"), "category label in Spanish");
    assert!(html.contains("Sección 1.2: Monitoreo y disponibilidad del servidor"), "the clause");
    assert!(html.contains(&format!("{} %", (confidence * 100.0).round() as i64)), "confidence as a percentage");
    assert!(html.contains("action=\"/agent/tickets/") && html.contains("/accept-suggestion\""), "the accept button");
    assert!(html.contains("Aceptar sugerencia"));
    assert!(html.contains("id=\"form-classify\""), "the classify form stays, to correct");
    let en = b.get_with(&format!("/agent/tickets/{number}"), "alcance_lang=en").await.body;
    assert!(en.contains("Server monitoring and availability") && en.contains("Accept suggestion"), "English");

    let client = Browser::sign_in(&t, fx.requester_a.email()).await;
    let portal = client.get(&format!("/portal/tickets/{number}")).await;
    assert!(!portal.ok().contains("Aceptar sugerencia") && !portal.body.contains("suggestion-heading"));
    assert_eq!(client.get(&format!("/agent/tickets/{number}")).await.status, 404);
}

async fn accepting_classifies_in_one_step(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let fx = &t.fx;

    // Through the API: clients may not; staff may.
    let number = open_as_client(&t, DOWN, DOWN).await;
    let path = format!("/api/v1/tickets/{number}/accept-suggestion");
    t.post(&path, &fx.requester_a.token, json!({})).await.problem(404, "not_found", None);
    let s = suggestion(&t, number).await;
    let ticket = t.post(&path, &fx.agent.token, json!({})).await.expect(200);
    assert_eq!(ticket["category"], "server_availability");
    assert_eq!(ticket["coverage"], "covered", "coverage follows the policy");
    assert_eq!(ticket["priority"], s["priority"]);
    assert_eq!(ticket["status"], "open");
    let detail = t.ticket(number, &fx.agent.token).await;
    let classified: Vec<&Value> =
        detail["events"].as_array().unwrap().iter().filter(|e| e["kind"] == "classified").collect();
    assert_eq!(classified.len(), 1, "{detail}");
    assert_eq!(classified[0]["actor_id"], fx.agent.id());
    assert_eq!(classified[0]["after"]["category"], "server_availability");
    assert!(detail["suggestion"]["accepted_at"].is_string(), "{detail}");
    assert_eq!(detail["suggestion"]["corrected"], false);
    // A ticket without a suggestion (none stored) cannot be accepted.
    t.post("/api/v1/tickets/99999/accept-suggestion", &fx.agent.token, json!({})).await.problem(404, "not_found", None);

    // Through the page: the CSRF token first, then one click.
    let number = open_as_client(&t, DOWN, "No abre ninguna página, sale 502 Bad Gateway.").await;
    let b = Browser::sign_in(&t, fx.agent.email()).await;
    let path = format!("/agent/tickets/{number}/accept-suggestion");
    assert_eq!(b.post(&path, &[]).await.status, 403, "no CSRF token");
    assert_eq!(t.ticket(number, &fx.agent.token).await["ticket"]["coverage"], "pending", "nothing changed");
    let answer = b.submit(&path, &[]).await;
    assert_eq!(answer.see_other(), format!("/agent/tickets/{number}?msg=classified"));
    let detail = t.ticket(number, &fx.agent.token).await;
    assert_ne!(detail["ticket"]["coverage"], "pending");
    assert_eq!(detail["ticket"]["category"], detail["suggestion"]["category"]);
    assert!(detail["suggestion"]["accepted_at"].is_string());
    let page = b.get(&format!("/agent/tickets/{number}?msg=classified")).await;
    assert!(page.ok().contains("Caso clasificado."));
    assert!(!page.body.contains("suggestion-heading"), "no panel once classified");

    // A client contact cannot reach the page action.
    let client = Browser::sign_in(&t, fx.requester_a.email()).await;
    let other = open_as_client(&t, DOWN, DOWN).await;
    assert_eq!(client.submit(&format!("/agent/tickets/{other}/accept-suggestion"), &[]).await.status, 404);
    assert_eq!(t.ticket(other, &fx.agent.token).await["ticket"]["coverage"], "pending");
}

async fn classifying_differently_marks_the_suggestion_corrected(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let fx = &t.fx;
    let b = Browser::sign_in(&t, fx.agent.email()).await;

    let number = open_as_client(&t, DOWN, DOWN).await;
    let answer = b.submit(&format!("/agent/tickets/{number}/classify"), &[("category", "new_feature")]).await;
    assert_eq!(answer.see_other(), format!("/agent/tickets/{number}?msg=classified"));
    let detail = t.ticket(number, &fx.agent.token).await;
    assert_eq!(detail["ticket"]["category"], "new_feature");
    assert_eq!(detail["suggestion"]["corrected"], true, "{detail}");
    assert_eq!(detail["suggestion"]["accepted_at"], Value::Null);

    // The same category by hand confirms it.
    let number = open_as_client(&t, DOWN, DOWN).await;
    let category = suggestion(&t, number).await["category"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/tickets/{number}");
    t.patch(&path, &fx.agent.token, json!({"category": category})).await.expect(200);
    assert_eq!(suggestion(&t, number).await["corrected"], false);
}

async fn unclassified_view_lists_confident_suggestions_first(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let fx = &t.fx;
    let mut opened = vec![fx.ticket_a, fx.ticket_a2, fx.ticket_b];
    for (subject, body) in [
        (DOWN, DOWN),
        ("Una pregunta", "Hola, ¿me pueden ayudar con algo?"),
        ("Quiero un módulo nuevo de pagos en línea", "Necesitamos desarrollar una pasarela de pagos nueva."),
        ("Renovar el certificado SSL", "El certificado SSL del sitio vence la otra semana."),
    ] {
        opened.push(open_as_client(&t, subject, body).await);
    }
    let mut expected = Vec::new();
    for n in &opened {
        let s = suggestion(&t, *n).await;
        expected.push(((s["confidence"].as_f64().unwrap() * 1000.0).round() as i64, *n));
    }
    expected.sort_by(|a, b| b.cmp(a));
    let expected: Vec<i64> = expected.into_iter().map(|(_, n)| n).collect();

    let b = Browser::sign_in(&t, fx.agent.email()).await;
    let page = b.get("/agent?view=unclassified").await;
    let html = page.ok();
    assert_eq!(rows(html), expected, "highest confidence first, then newest");
    assert!(html.contains(">Sugerencia<"), "the suggestion column");
    assert!(html.contains(">Monitoreo y disponibilidad del servidor</span>"), "the suggested category in the row");
    assert!(html.contains(">Confianza: "), "and its confidence");
    // Other views keep their order (newest first).
    let open_view = rows(b.get("/agent?view=open").await.ok());
    let mut newest = opened.clone();
    newest.sort_by(|a, b| b.cmp(a));
    assert_eq!(open_view, newest);
    // An explicit sort still wins in the triage view.
    assert_eq!(rows(b.get("/agent?view=unclassified&sort=newest").await.ok()), newest);
}

async fn auto_classification_when_configured(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let fx = &t.fx;
    let confidence = suggestion(&t, open_as_client(&t, DOWN, DOWN).await).await["confidence"].as_f64().unwrap();

    // The same database, served by a second server whose operator turned it on.
    let serve = |min: f64| {
        let settings = Settings { auto_classify_min_confidence: Some(min), ..(*t.app.settings).clone() };
        let app = App { settings: Arc::new(settings), ..t.app.clone() };
        async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let base = format!("http://{}", listener.local_addr().unwrap());
            tokio::spawn(alcance_web::serve(listener, app, std::future::pending()));
            base
        }
    };
    let open_on = |base: String| async move {
        let response = reqwest::Client::new()
            .post(format!("{base}/api/v1/tickets"))
            .bearer_auth(&fx.requester_a.token)
            .json(&json!({"subject": DOWN, "body": DOWN}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 201);
        response.json::<Value>().await.unwrap()
    };

    let on = serve((confidence - 0.05).max(0.0)).await;
    let ticket = open_on(on).await;
    assert_eq!(ticket["category"], "server_availability", "{ticket}");
    assert_eq!(ticket["coverage"], "covered");
    assert_eq!(ticket["status"], "open");
    let number = ticket["number"].as_i64().unwrap();
    let detail = t.ticket(number, &fx.agent.token).await;
    let classified: Vec<&Value> =
        detail["events"].as_array().unwrap().iter().filter(|e| e["kind"] == "classified").collect();
    assert_eq!(classified.len(), 1, "{detail}");
    assert_eq!(classified[0]["actor_id"], Value::Null, "the system classified it");
    assert_eq!(classified[0]["reason"], "clasificación automática");
    assert_eq!(detail["suggestion"]["category"], "server_availability");
    assert_eq!(detail["suggestion"]["accepted_at"], Value::Null, "not an agent's acceptance");

    // Below the threshold nothing happens.
    if confidence < 0.99 {
        let off = serve((confidence + 0.01).min(1.0)).await;
        let ticket = open_on(off).await;
        assert_eq!(ticket["coverage"], "pending", "{ticket}");
        assert_eq!(ticket["status"], "new");
    }
}

/// A count in the triage page's row for `row` (`data-category` or `data-week` value).
fn triage_cell(html: &str, row: &str, column: &str) -> Option<String> {
    let start = html.find(&format!("=\"{row}\">"))?;
    let line = &html[start..start + html[start..].find("</tr>")?];
    let cell = line.find(&format!("data-count=\"{column}\">"))? + column.len() + 14;
    Some(line[cell..].split('<').next()?.to_owned())
}

async fn triage_report_counts_the_decisions(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let fx = &t.fx;
    let accepted = open_as_client(&t, DOWN, DOWN).await;
    let corrected =
        open_as_client(&t, "Renovar el certificado SSL", "El certificado SSL del sitio vence la otra semana.").await;
    let left = open_as_client(&t, "Quiero un módulo nuevo de pagos", "Necesitamos una pasarela de pagos nueva.").await;

    let b = Browser::sign_in(&t, fx.agent.email()).await;
    b.submit(&format!("/agent/tickets/{accepted}/accept-suggestion"), &[]).await.see_other();
    let wrong = if suggestion(&t, corrected).await["category"] == "new_feature" { "bug_fix" } else { "new_feature" };
    b.submit(&format!("/agent/tickets/{corrected}/classify"), &[("category", wrong)]).await.see_other();

    // What the page should say, category by category (the fixture tickets have suggestions too).
    let mut expected: std::collections::BTreeMap<String, [i64; 4]> = Default::default();
    for n in [fx.ticket_a, fx.ticket_a2, fx.ticket_b, accepted, corrected, left] {
        let category = suggestion(&t, n).await["category"].as_str().unwrap().to_owned();
        let slot = if n == accepted {
            1
        } else if n == corrected {
            2
        } else {
            3
        };
        let counts = expected.entry(category).or_default();
        counts[0] += 1;
        counts[slot] += 1;
    }

    let page = b.get("/agent/triage").await;
    let html = page.ok();
    assert_eq!(html.matches("<h1").count(), 1);
    assert!(html.contains("<html lang=\"es"), "Spanish by default");
    assert!(html.contains(">Calidad de la clasificación</h1>"));
    assert!(html.contains("<th scope=\"col\""), "table headers");
    assert!(html.contains("<svg") && !html.contains("style="), "the chart, without inline styles");
    for (category, [suggested, acc, corr, pending]) in &expected {
        let cell = |column| triage_cell(html, category, column).unwrap_or_else(|| panic!("{category} {column}"));
        assert_eq!(cell("suggested"), suggested.to_string(), "{category}");
        assert_eq!(cell("accepted"), acc.to_string(), "{category}");
        assert_eq!(cell("corrected"), corr.to_string(), "{category}");
        assert_eq!(cell("pending"), pending.to_string(), "{category}");
        assert_eq!(cell("agreed"), "0", "{category}");
    }
    let total = |column| triage_cell(html, "total", column).unwrap();
    assert_eq!((total("accepted"), total("corrected"), total("pending")), ("1".into(), "1".into(), "4".into()));
    assert_eq!(total("rate"), "50 %", "one kept out of two decided");
    assert!(html.contains(">Monitoreo y disponibilidad del servidor</th>"), "labels from the default policy");
    // This week's row holds the same totals.
    let week = alcance_app::triage::week_start(t.app.now()).format("%Y-%m-%d").to_string();
    assert_eq!(triage_cell(html, &week, "accepted").as_deref(), Some("1"));
    assert_eq!(triage_cell(html, &week, "corrected").as_deref(), Some("1"));
    assert_eq!(triage_cell(html, &week, "pending").as_deref(), Some("4"));

    let en = b.get_with("/agent/triage", "alcance_lang=en").await.body;
    assert!(en.contains("Classification quality") && en.contains(">Server monitoring and availability</th>"));
    assert!(b.get("/agent").await.ok().contains("href=\"/agent/triage\""), "linked from the queue");

    let client = Browser::sign_in(&t, fx.requester_a.email()).await;
    let refused = client.get("/agent/triage").await;
    assert_eq!(refused.status, 404);
    assert!(!refused.body.contains("data-category"));
}
