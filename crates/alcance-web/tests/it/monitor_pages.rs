//! The monitoring pages through HTTP as a browser sends them: the admin's monitor form
//! (errors next to the field, nothing saved), the heartbeat URL and integration token shown
//! once and working, the agents' console and a monitor's response-time chart, and the status
//! page's access rules and escaping.

use std::sync::Arc;

use alcance_app::monitoring::CheckRow;
use alcance_app::monitoring::{self, runner};
use alcance_domain::monitor::MonitorInput;
use alcance_store::StoreError;
use alcance_store::repo::monitors::insert_check;
use alcance_testkit::{TestBackend, on_both_backends};
use chrono::Duration;
use reqwest::Method;
use serde_json::json;

use alcance_probe::{ProbeOptions, Prober};

use crate::browser::{Browser, answer, client};
use crate::support::{At, Req, TestApp, spawn_app};

on_both_backends!(
    admin_creates_an_http_monitor_and_bad_input_saves_nothing,
    a_heartbeat_url_is_shown_once_and_works,
    an_integration_token_is_shown_once_and_can_be_revoked,
    the_status_page_follows_the_contract_and_escapes_names,
    the_detail_page_draws_the_last_day_of_checks,
    a_site_that_goes_down_shows_on_every_page,
);

async fn monitor_count(t: &TestApp) -> usize {
    monitoring::views::console(&t.app, &t.fx.admin.actor(), None).await.unwrap().len()
}

/// An HTTP monitor of org-a made through the use case; its id.
async fn http_monitor(t: &TestApp, name: &str) -> i64 {
    let input = MonitorInput {
        name: name.into(),
        kind: "http".into(),
        target: "https://portal-a.example.co/".into(),
        ..MonitorInput::default()
    };
    monitoring::create(&t.app, &t.fx.admin.actor(), "org-a", None, input).await.unwrap().monitor.id
}

/// The text after `marker` up to the first quote, space or `<`.
fn after<'a>(html: &'a str, marker: &str) -> &'a str {
    let start = html.find(marker).unwrap_or_else(|| panic!("no {marker} in {html}")) + marker.len();
    let rest = &html[start..];
    &rest[..rest.find(['"', ' ', '<', '\n']).unwrap_or(rest.len())]
}

async fn admin_creates_an_http_monitor_and_bad_input_saves_nothing(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let admin = Browser::sign_in(&t, t.fx.admin.email()).await;
    let agent = Browser::sign_in(&t, t.fx.agent.email()).await;
    let requester = Browser::sign_in(&t, t.fx.requester_a.email()).await;

    let html = admin.get("/admin/monitors").await.ok().to_owned();
    assert!(html.contains("aria-current=\"page\">Monitoreo</a>"), "admin navigation marks the page");
    assert!(html.contains("Aún no hay monitores."), "empty list");
    assert!(html.contains("id=\"monitor-interval-hint\""), "fields explain themselves");
    assert!(!html.contains("style=\"") && !html.contains("<script>"), "no inline style or script");
    let asset = t.fx.asset_a.id.to_string();

    // A bad URL comes back with the error next to the field, the input kept, nothing saved.
    let mut form = vec![
        ("organization", "org-a"),
        ("kind", "http"),
        ("name", "Portal Cámara A"),
        ("target", "portal-a sin esquema"),
        ("asset_id", asset.as_str()),
        ("interval_seconds", "60"),
    ];
    let page = admin.submit("/admin/monitors", &form).await;
    assert_eq!(page.status, 422, "{}", page.body);
    assert!(page.body.contains("id=\"monitor-target-error\""), "error next to the field");
    assert!(page.body.contains("El campo «Dirección a revisar» no tiene un formato válido."), "{}", page.body);
    assert!(page.body.contains("value=\"portal-a sin esquema\""), "input kept");
    assert!(page.body.contains("value=\"Portal Cámara A\""), "input kept");
    assert_eq!(monitor_count(&t).await, 0);

    // Too short an interval names the field and the allowed range.
    form[3] = ("target", "https://portal-a.example.co/");
    form[5] = ("interval_seconds", "5");
    let page = admin.submit("/admin/monitors", &form).await;
    assert_eq!(page.status, 422);
    assert!(page.body.contains("El valor de «Cada cuántos segundos» está fuera del rango permitido (30-604800)."));
    assert!(
        page.body.contains("aria-describedby=\"monitor-interval-hint monitor-interval-error\" aria-invalid=\"true\"")
    );
    assert_eq!(monitor_count(&t).await, 0);

    // An agent may not set monitors up, even with a valid CSRF token of their own session.
    form[5] = ("interval_seconds", "60");
    assert_eq!(agent.submit("/admin/monitors", &form).await.status, 403);
    assert_eq!(monitor_count(&t).await, 0);

    let page = admin.submit("/admin/monitors", &form).await;
    assert_eq!(page.see_other(), "/admin/monitors?msg=created");
    let created = monitoring::views::console(&t.app, &t.fx.admin.actor(), None).await.unwrap();
    assert_eq!(created.len(), 1);
    let m = &created[0].monitor;
    assert_eq!(
        (m.asset_id, m.interval_seconds, m.target.as_str()),
        (Some(t.fx.asset_a.id), 60, "https://portal-a.example.co/")
    );
    let html = admin.get("/admin/monitors?msg=created").await.ok().to_owned();
    assert!(html.contains("El monitor quedó creado."));
    assert!(html.contains("Portal Cámara A") && html.contains(&format!("href=\"/admin/monitors/{}\"", m.id)));

    // The agents' console lists it, pending until its first check, and filters by organisation.
    let queue = agent.get("/agent").await.ok().to_owned();
    assert!(queue.contains("href=\"/agent/monitors\""), "linked from the queue");
    let html = agent.get("/agent/monitors").await.ok().to_owned();
    assert!(html.contains(&format!("<a href=\"/agent/monitors/{}\">Portal Cámara A</a>", m.id)), "{html}");
    assert!(html.contains("data-state=\"pending\">Sin datos aún</span>"), "state in words");
    assert!(html.contains("Cámara A"));
    let html = agent.get("/agent/monitors?org=org-b").await.ok().to_owned();
    assert!(html.contains("Esta organización todavía no tiene monitores."), "empty state");
    assert!(!html.contains("Portal Cámara A"));
    assert_eq!(agent.get("/agent/monitors?org=no-existe").await.status, 404);

    // The edit form refuses a bad value the same way, and pauses the monitor.
    let edit = format!("/admin/monitors/{}", m.id);
    let html = admin.get(&edit).await.ok().to_owned();
    assert!(html.contains("value=\"https://portal-a.example.co/\""), "current settings");
    let page = admin
        .submit(&edit, &[("name", "Portal A"), ("target", "https://portal-a.example.co/"), ("timeout_seconds", "90")])
        .await;
    assert_eq!(page.status, 422);
    assert!(page.body.contains("id=\"monitor-timeout-error\""), "{}", page.body);
    assert!(monitoring::get(&t.app, &t.fx.admin.actor(), m.id).await.unwrap().enabled, "nothing changed");
    let page = admin.submit(&edit, &[("name", "Portal A"), ("target", "https://portal-a.example.co/")]).await;
    assert_eq!(page.see_other(), format!("{edit}?msg=saved"));
    let paused = monitoring::get(&t.app, &t.fx.admin.actor(), m.id).await.unwrap();
    assert!(!paused.enabled && paused.name == "Portal A");
    assert!(agent.get("/agent/monitors").await.ok().contains("data-state=\"paused\">En pausa</span>"));

    // Client contacts do not know these pages exist.
    assert_eq!(requester.get("/agent/monitors").await.status, 404);
    assert_eq!(requester.get(&format!("/agent/monitors/{}", m.id)).await.status, 404);
    assert_eq!(requester.get("/admin/monitors").await.status, 404);
}

async fn a_heartbeat_url_is_shown_once_and_works(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let admin = Browser::sign_in(&t, t.fx.admin.email()).await;
    let form = [("organization", "org-a"), ("kind", "heartbeat"), ("name", "Respaldo nocturno"), ("target", "")];
    let page = admin.submit("/admin/monitors", &form).await;
    let html = page.ok().to_owned();
    assert_eq!(page.cache_control, "no-store", "the secret is not cached");
    assert!(html.contains("no se volverá a mostrar"), "says it is shown once");
    let url = after(&html, "value=\"http://127.0.0.1:8080/api/v1/heartbeat/");
    assert!(url.starts_with("hb_"), "{url}");
    assert!(html.contains(&format!("curl -fsS -m 10 --retry 3 http://127.0.0.1:8080/api/v1/heartbeat/{url}")));
    let secret = url.to_owned();

    let ping = t.send(Method::GET, &format!("/api/v1/heartbeat/{secret}"), Req::default()).await;
    assert_eq!(ping.status, 200, "{}", ping.text());
    let id = monitoring::views::console(&t.app, &t.fx.admin.actor(), None).await.unwrap()[0].monitor.id;
    assert!(monitoring::get(&t.app, &t.fx.admin.actor(), id).await.unwrap().last_ping_at.is_some());

    // Never again: not on the list, not on the monitor's pages.
    for path in ["/admin/monitors".to_owned(), format!("/admin/monitors/{id}"), format!("/agent/monitors/{id}")] {
        let html = admin.get(&path).await.ok().to_owned();
        assert!(!html.contains(&secret) && !html.contains("data-heartbeat-url"), "{path}");
    }

    // Its edit form asks only what a heartbeat needs.
    let html = admin.get(&format!("/admin/monitors/{id}")).await.ok().to_owned();
    assert!(html.contains("id=\"monitor-grace\"") && !html.contains("id=\"monitor-method\""));
    assert!(html.contains(&format!("action=\"/admin/monitors/{id}/heartbeat\"")), "the regenerate button");

    // A new URL replaces the old one at once.
    let page = admin.submit(&format!("/admin/monitors/{id}/heartbeat"), &[]).await;
    let html = page.ok().to_owned();
    let fresh = after(&html, "value=\"http://127.0.0.1:8080/api/v1/heartbeat/").to_owned();
    assert_ne!(fresh, secret);
    assert_eq!(t.send(Method::GET, &format!("/api/v1/heartbeat/{secret}"), Req::default()).await.status, 404);
    assert_eq!(t.send(Method::POST, &format!("/api/v1/heartbeat/{fresh}"), Req::default()).await.status, 200);
}

async fn an_integration_token_is_shown_once_and_can_be_revoked(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let admin = Browser::sign_in(&t, t.fx.admin.email()).await;
    let agent = Browser::sign_in(&t, t.fx.agent.email()).await;

    // A missing name is an error next to the token form's own field.
    let page = admin.submit("/admin/monitors/tokens", &[("token_organization", "org-a"), ("token_name", " ")]).await;
    assert_eq!(page.status, 422);
    assert!(page.body.contains("id=\"token-name-error\""), "{}", page.body);
    assert!(monitoring::list_integration_tokens(&t.app, &t.fx.admin.actor()).await.unwrap().is_empty());

    let form = [("token_organization", "org-a"), ("token_name", "Alertmanager producción")];
    let page = admin.submit("/admin/monitors/tokens", &form).await;
    let html = page.ok().to_owned();
    assert_eq!(page.cache_control, "no-store");
    let token =
        after(&html, "id=\"new-integration-token\" class=\"admin-token\" type=\"text\" readonly value=\"").to_owned();
    assert!(token.starts_with("alc_int_"), "{token}");
    assert!(html.contains(&format!("credentials: {token}")), "Alertmanager example");
    assert!(html.contains("http://127.0.0.1:8080/api/v1/integrations/alertmanager"));
    assert!(html.contains(&format!("-H &#34;Authorization: Bearer {token}&#34;")), "Checkmk and webhook examples");
    assert!(html.contains("--data-urlencode host="));
    assert!(html.contains("/api/v1/integrations/webhook"));
    // The generic webhook's example, pasted as it is shown, works.
    let start = html.find("-d &#39;").unwrap() + "-d &#39;".len();
    let example = html[start..].split("&#39;").next().unwrap().replace("&#34;", "\"");
    let example: serde_json::Value = serde_json::from_str(&example).unwrap();
    assert_eq!(example["category"], "backup_restore");
    let sent = t.send(
        Method::POST,
        "/api/v1/integrations/webhook",
        Req { token: Some(&token), json: Some(example), ..Req::default() },
    );
    assert_eq!(sent.await.expect(200)["results"][0]["action"], "opened", "the example as given works");

    // The token works: an alert opens a ticket, whose agent timeline says what happened.
    let alert = json!({"key": "nas", "status": "firing", "title": "Falla del <b>NAS</b>", "details": "Disco lleno"});
    let sent = t.send(
        Method::POST,
        "/api/v1/integrations/webhook",
        Req { token: Some(&token), json: Some(alert), ..Req::default() },
    );
    let answer_json = sent.await.expect(200);
    assert_eq!(answer_json["results"][0]["action"], "opened");
    let number = answer_json["results"][0]["ticket_number"].as_i64().unwrap();
    let html = agent.get(&format!("/agent/tickets/{number}")).await.ok().to_owned();
    assert!(
        html.contains("Webhook reportó un problema: Falla del &#60;b&#62;NAS&#60;/b&#62;. Detalle: Disco lleno"),
        "{html}"
    );
    let resolved = json!({"key": "nas", "status": "resolved", "title": "Falla del NAS"});
    let sent = t.send(
        Method::POST,
        "/api/v1/integrations/webhook",
        Req { token: Some(&token), json: Some(resolved), ..Req::default() },
    );
    assert_eq!(sent.await.expect(200)["results"][0]["action"], "recovered");
    assert!(agent.get(&format!("/agent/tickets/{number}")).await.ok().contains("Webhook: el servicio se recuperó."));

    // Listed with its use, never with its secret.
    let html = admin.get("/admin/monitors").await.ok().to_owned();
    assert!(!html.contains(&token) && html.contains("Alertmanager producción"));
    let id = monitoring::list_integration_tokens(&t.app, &t.fx.admin.actor()).await.unwrap()[0].id;
    assert!(html.contains(&format!("action=\"/admin/monitors/tokens/{id}/revoke\"")));

    assert_eq!(agent.submit(&format!("/admin/monitors/tokens/{id}/revoke"), &[]).await.status, 403);
    let page = admin.submit(&format!("/admin/monitors/tokens/{id}/revoke"), &[]).await;
    assert_eq!(page.see_other(), "/admin/monitors?msg=token_revoked#tokens");
    let html = admin.get("/admin/monitors?msg=token_revoked").await.ok().to_owned();
    assert!(html.contains("Se revocó el token.") && html.contains(">Revocado</span>"));
    let alert = json!({"key": "nas", "status": "firing", "title": "Otra falla"});
    let sent = t.send(
        Method::POST,
        "/api/v1/integrations/webhook",
        Req { token: Some(&token), json: Some(alert), ..Req::default() },
    );
    assert_eq!(sent.await.status, 401);
}

async fn the_status_page_follows_the_contract_and_escapes_names(backend: TestBackend) {
    let t = spawn_app(backend).await;
    http_monitor(&t, "<script>alert(1)</script> Portal").await;
    let (_, token) =
        monitoring::create_integration_token(&t.app, &t.fx.admin.actor(), "org-a", "Script").await.unwrap();
    let alert = json!({"key": "cpu", "status": "firing", "title": "CPU al <i>100 %</i>"});
    let sent = t.send(
        Method::POST,
        "/api/v1/integrations/webhook",
        Req { token: Some(&token), json: Some(alert), ..Req::default() },
    );
    sent.await.expect(200);
    let admin = Browser::sign_in(&t, t.fx.admin.email()).await;
    let agent = Browser::sign_in(&t, t.fx.agent.email()).await;
    let own = Browser::sign_in(&t, t.fx.requester_a.email()).await;
    let other = Browser::sign_in(&t, t.fx.requester_b.email()).await;
    let anonymous = || async { answer(client().get(t.url("/status/org-a")).send().await.unwrap()).await };

    // Private by default: sign in first, and then only staff and the organisation's people.
    assert_eq!(anonymous().await.see_other(), "/login?next=/status/org-a");
    let html = own.get("/status/org-a").await.ok().to_owned();
    assert!(html.contains("<h1>Cámara A</h1>"));
    assert!(html.contains("&#60;script&#62;alert(1)&#60;/script&#62; Portal"), "escaped service name");
    assert!(!html.contains("<script>alert(1)"), "never raw");
    assert!(html.contains("CPU al &#60;i&#62;100 %&#60;/i&#62;") && html.contains("En curso"), "incident history");
    assert!(html.contains("Hay servicios con problemas"), "an incident goes on");
    assert!(!html.contains("/agent/tickets/"), "no ticket links for clients");
    assert!(agent.get("/status/org-a").await.ok().contains("Cámara A"));
    assert_eq!(other.get("/status/org-a").await.status, 404);
    // A client finds it from the portal.
    assert!(own.get("/portal").await.ok().contains("href=\"/status\""));
    assert_eq!(own.get("/status").await.see_other(), "/status/org-a");

    // The admin makes org-a's page public: anyone sees it; org-b's stays private.
    let contract = t.fx.contract_a.id.to_string();
    let form = [("contract", contract.as_str()), ("status_page_public", "1"), ("resolve_on_recovery", "1")];
    assert_eq!(agent.submit("/admin/monitors/terms", &form).await.status, 403);
    assert_eq!(admin.submit("/admin/monitors/terms", &form).await.see_other(), "/admin/monitors?msg=terms_saved#terms");
    let terms = monitoring::terms(&t.app, &t.fx.admin.actor(), t.fx.contract_a.id).await.unwrap();
    assert!(terms.status_page_public && terms.resolve_on_recovery);
    let html = admin.get("/admin/monitors").await.ok().to_owned();
    assert!(html.contains(&format!(
        "id=\"terms-public-{contract}\" name=\"status_page_public\" type=\"checkbox\" value=\"1\" checked"
    )));
    let page = anonymous().await;
    assert!(page.ok().contains("&#60;script&#62;alert(1)&#60;/script&#62; Portal"));
    assert!(!page.body.contains("<script>alert(1)"));
    assert_eq!(other.get("/status/org-a").await.status, 200, "public means anyone");
    let english = client().get(t.url("/status/org-a")).header("accept-language", "en-US,en;q=0.9");
    let html = answer(english.send().await.unwrap()).await.ok().to_owned();
    assert!(html.contains("<html lang=\"en\"") && html.contains("Some services are having problems"));
    assert!(!html.contains("style=\"") && !html.contains("<script>"), "no inline style or script");
    let page = answer(client().get(t.url("/status/org-b")).send().await.unwrap()).await;
    assert_eq!(page.see_other(), "/login?next=/status/org-b");
    let page = answer(client().get(t.url("/status/org-b")).header("cookie", &own.cookie).send().await.unwrap()).await;
    assert_eq!(page.status, 404);
    // Unticking both keeps the page private again.
    let form = [("contract", contract.as_str())];
    admin.submit("/admin/monitors/terms", &form).await.see_other();
    let terms = monitoring::terms(&t.app, &t.fx.admin.actor(), t.fx.contract_a.id).await.unwrap();
    assert!(!terms.status_page_public && !terms.resolve_on_recovery);
    assert_eq!(anonymous().await.status, 303);
}

async fn the_detail_page_draws_the_last_day_of_checks(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let id = http_monitor(&t, "Portal A").await;
    let agent = Browser::sign_in(&t, t.fx.agent.email()).await;
    let admin = Browser::sign_in(&t, t.fx.admin.email()).await;
    let path = format!("/agent/monitors/{id}");

    let html = agent.get(&path).await.ok().to_owned();
    assert!(html.contains("Todavía no hay revisiones en las últimas 24 horas.") && !html.contains("<svg"));

    // Ten checks in the last 100 minutes, one of them failed without an answer.
    let now = t.app.now();
    t.app
        .store
        .write(move |c| {
            Box::pin(async move {
                for i in 0..10_i64 {
                    let failed = i == 3;
                    let check = CheckRow {
                        checked_at: now - Duration::minutes(10 * i + 1),
                        ok: !failed,
                        response_ms: (!failed).then_some(100 + 20 * i),
                        code: if failed { "timeout".into() } else { "healthy".into() },
                    };
                    insert_check(c, id, &check).await?;
                }
                Ok::<_, StoreError>(())
            })
        })
        .await
        .unwrap();

    let html = agent.get(&path).await.ok().to_owned();
    assert!(html.contains("<svg class=\"monitor-chart\""), "{html}");
    assert!(!html.contains("style=\""), "the chart is styled by the stylesheet (CSP)");
    assert!(html.contains("role=\"img\" aria-labelledby=\"chart-title chart-desc\""));
    let points = after(&html, "<polyline class=\"chart-line\" points=\"");
    assert!(!points.is_empty());
    let line = &html[html.find("<polyline").unwrap()..];
    assert_eq!(line[..line.find("/>").unwrap()].matches(',').count(), 9, "one point per timed check");
    assert_eq!(html.matches("<g class=\"chart-failure\">").count(), 1, "the failure is marked");
    assert!(html.contains("máx. 280 ms") && html.contains("mín. 100 ms"), "axis labels");
    assert!(html.contains("Revisiones: 10. Tiempo de respuesta entre 100 ms y 280 ms. Revisiones fallidas: 1."));
    assert!(html.contains("<dd>90 %</dd>"), "uptime over the last day");
    assert!(html.contains("https://portal-a.example.co/"), "settings summary");
    assert!(!html.contains(&format!("href=\"/admin/monitors/{id}\"")), "agents do not edit");
    assert!(admin.get(&path).await.ok().contains(&format!("href=\"/admin/monitors/{id}\"")), "admins do");
    assert_eq!(agent.get("/agent/monitors/999999").await.status, 404);
}

async fn a_site_that_goes_down_shows_on_every_page(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let admin = Browser::sign_in(&t, t.fx.admin.email()).await;
    let agent = Browser::sign_in(&t, t.fx.agent.email()).await;
    let client_a = Browser::sign_in(&t, t.fx.requester_a.email()).await;

    // A real site on loopback, checked through the prober the server would use.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let target = format!("http://{}/", listener.local_addr().unwrap());
    let site = axum::Router::new().route("/", axum::routing::get(|| async { "ok" }));
    let server = tokio::spawn(async move { axum::serve(listener, site).await });
    let options = ProbeOptions { allowed_networks: vec!["127.0.0.0/8".parse().unwrap()], ..ProbeOptions::default() };
    let prober = Prober::new(options).unwrap();
    let form = [
        ("organization", "org-a"),
        ("kind", "http"),
        ("name", "Sitio de la Cámara"),
        ("target", target.as_str()),
        ("keyword", "ok"),
        ("interval_seconds", "30"),
        ("failures_to_open", "1"),
    ];
    admin.submit("/admin/monitors", &form).await.see_other();
    let run_at = |offset_seconds: i64| {
        let mut app = t.app.clone();
        app.clock = Arc::new(At(chrono::Utc::now() + Duration::seconds(offset_seconds)));
        app
    };
    let outcomes = runner::run_due(&run_at(1), &prober).await.unwrap();
    assert_eq!(outcomes.len(), 1, "{outcomes:?}");
    let html = agent.get("/agent/monitors").await.ok().to_owned();
    assert!(html.contains("data-state=\"up\">Funcionando</span>"), "{html}");
    assert!(html.contains("<td class=\"num\">100 %</td>"), "uptime of the day");

    // The site stops answering: the next check opens an incident and its ticket.
    server.abort();
    let _ = server.await;
    let outcomes = runner::run_due(&run_at(40), &prober).await.unwrap();
    let Some((id, Some(monitoring::Reported::Opened { ticket_number }))) = outcomes.first().cloned() else {
        panic!("no incident: {outcomes:?}")
    };
    let html = agent.get("/agent/monitors").await.ok().to_owned();
    assert!(html.contains("data-state=\"down\">Con problemas</span>"));
    assert!(html.contains(&format!("<a href=\"/agent/tickets/{ticket_number}\">#{ticket_number}</a>")), "{html}");
    assert!(html.contains("<td class=\"num\">50 %</td>"));

    let html = agent.get(&format!("/agent/monitors/{id}")).await.ok().to_owned();
    assert!(html.contains("Este monitor tiene un incidente abierto."));
    assert!(html.contains("Sitio de la Cámara no responde") && html.contains("En curso"), "incident history");
    assert_eq!(html.matches(&format!("href=\"/agent/tickets/{ticket_number}\"")).count(), 2, "alert and history");
    assert_eq!(html.matches("<g class=\"chart-failure\">").count(), 1, "the failed check on the chart");

    let html = agent.get(&format!("/agent/tickets/{ticket_number}")).await.ok().to_owned();
    assert!(html.contains("Monitor de Alcance reportó un problema: Sitio de la Cámara no responde"), "{html}");
    assert!(!html.contains("agent-event-other") && !html.contains("monitor_alert"), "described, not \"other\"");

    let html = client_a.get("/status/org-a").await.ok().to_owned();
    assert!(html.contains("Hay servicios con problemas") && html.contains("data-overall=\"problems\""));
    assert!(html.contains("Sitio de la Cámara") && html.contains("data-state=\"down\">Con problemas</span>"));
}
