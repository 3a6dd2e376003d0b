//! Pages of the portal area, through HTTP as a browser would send them: a cookie session,
//! URL-encoded and multipart forms with the CSRF token, 303 redirects followed by hand.

use crate::browser::{Browser, Part, answer, client};
use crate::support::{MAX_ATTACHMENT, TestApp, spawn_app};
use alcance_app::tickets::{self, TicketChange};
use alcance_domain::ticket::Status;
use alcance_testkit::{TestBackend, on_both_backends};

on_both_backends!(
    portal_lists_only_what_the_contact_may_see,
    portal_new_request_with_an_attachment,
    portal_refuses_forms_without_the_csrf_token,
    portal_hides_other_requests,
    portal_reply_close_confirm_and_reopen,
    portal_scope_page_reads_the_policy,
    portal_explains_a_not_covered_request,
    portal_escapes_what_people_write,
);

/// The page is a whole document in the expected language with one main heading.
#[track_caller]
fn assert_page(html: &str, lang: &str) {
    assert!(html.contains(&format!("<html lang=\"{lang}\">")), "lang attribute: {html}");
    assert_eq!(html.matches("<h1").count(), 1, "one h1: {html}");
}

/// The ticket number in a "/portal/tickets/{n}?msg=..." redirect.
fn number_in(location: &str) -> i64 {
    let rest = location.strip_prefix("/portal/tickets/").unwrap_or_else(|| panic!("redirect: {location}"));
    rest.split(['?', '/']).next().unwrap().parse().unwrap()
}

async fn count_tickets(t: &TestApp) -> usize {
    t.ticket_numbers(&t.fx.admin.token, "").await.len()
}

async fn portal_lists_only_what_the_contact_may_see(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let fx = &t.fx;

    let ana = Browser::sign_in(&t, fx.requester_a.email()).await;
    let page = ana.get("/portal").await;
    let html = page.ok();
    assert_page(html, "es");
    assert!(html.contains("Mis solicitudes") && html.contains("Nueva solicitud"), "{html}");
    assert!(html.contains("No carga el portal"), "own request listed");
    assert!(html.contains(&format!("href=\"/portal/tickets/{}\"", fx.ticket_a)));
    assert!(!html.contains("Error al exportar"), "a sibling's request is not listed");
    assert!(!html.contains("Certificado vencido"), "another organisation's request is not listed");
    assert!(html.contains("<time datetime="), "last activity as <time>");
    assert!(html.contains("status-new") && html.contains("coverage-pending"), "status and coverage badges");

    // The manager sees the whole organisation, with the requesters' names.
    let manager = Browser::sign_in(&t, fx.manager_a.email()).await;
    let html = manager.get("/portal").await.ok().to_owned();
    assert!(html.contains("No carga el portal") && html.contains("Error al exportar"), "{html}");
    assert!(!html.contains("Certificado vencido"));
    assert!(html.contains("Andrés") && html.contains("Ana"), "requester names for managers");

    // Filters: the status groups and the text search.
    let html = manager.get("/portal?status=done").await.ok().to_owned();
    assert!(!html.contains("No carga el portal"), "nothing resolved yet");
    assert!(html.contains("No encontramos solicitudes con ese filtro"), "friendly empty state");
    let html = manager.get("/portal?status=open&q=exportar").await.ok().to_owned();
    assert!(html.contains("Error al exportar") && !html.contains("No carga el portal"), "{html}");

    // Pagination with a cursor: 26 more requests need a "Ver más".
    for i in 0..26 {
        let input = tickets::OpenTicket {
            subject: format!("Solicitud de prueba {i}"),
            body: "x".into(),
            organization: None,
            requester: None,
            asset_id: None,
            priority: None,
        };
        tickets::open(&t.app, &fx.requester_a.actor(), input, alcance_domain::ticket::Channel::Portal).await.unwrap();
    }
    let html = ana.get("/portal").await.ok().to_owned();
    assert!(html.contains("Solicitud de prueba 25") && !html.contains("No carga el portal"));
    let marker = "href=\"/portal?status=all&#38;cursor=";
    let start = html.find(marker).unwrap_or_else(|| panic!("a Ver más link: {html}")) + "href=\"".len();
    let link = html[start..].split('"').next().unwrap().replace("&#38;", "&");
    let html = ana.get(&link).await.ok().to_owned();
    assert!(html.contains("No carga el portal"), "the oldest request is on the next page");
    assert!(!html.contains("Solicitud de prueba 25"));

    // A success message only from the allow-list, never the query's own text.
    let html = ana.get("/portal?msg=created&n=41").await.ok().to_owned();
    assert!(html.contains("Recibimos su solicitud #41"));
    let html = ana.get("/portal?msg=%3Cb%3Ehola%3C%2Fb%3E").await.ok().to_owned();
    assert!(!html.contains("<b>hola</b>") && !html.contains("alert-ok"));

    // Staff go to their console; signed-out visitors to the sign-in page.
    let agent = Browser::sign_in(&t, fx.agent.email()).await;
    assert_eq!(agent.get("/portal").await.see_other(), "/agent");
    assert_eq!(agent.get("/portal/alcance").await.see_other(), "/agent");
    let anonymous = client();
    let page = answer(anonymous.get(t.url("/portal/new")).send().await.unwrap()).await;
    assert!(
        page.see_other().starts_with("/login?next=%2Fportal%2Fnew")
            || page.location.starts_with("/login?next=/portal/new")
    );
}

async fn portal_new_request_with_an_attachment(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let fx = &t.fx;
    let ana = Browser::sign_in(&t, fx.requester_a.email()).await;

    let html = ana.get("/portal/new").await.ok().to_owned();
    assert_page(&html, "es");
    assert!(html.contains("enctype=\"multipart/form-data\"") && html.contains("data-dropzone"), "{html}");
    assert!(html.contains("Máximo 64 KB por archivo"), "the size limit in the hint");
    assert!(html.contains(&fx.asset_a.name) && !html.contains(&fx.asset_b.name), "only the organisation's assets");
    assert!(html.contains("hx-post=\"/portal/preview\""), "preview with htmx");
    for id in ["subject", "body", "asset_id", "priority-high", "files"] {
        assert!(html.contains(&format!("<label for=\"{id}\"")), "label for {id}");
    }

    let before = count_tickets(&t).await;
    let asset = fx.asset_a.id.to_string();
    let page = ana
        .submit_multipart(
            "/portal/tickets",
            &[
                Part::Text("subject", "El formulario de eventos no envía"),
                Part::Text("body", "Al dar clic en **Enviar** se queda cargando."),
                Part::Text("asset_id", &asset),
                Part::Text("priority", "high"),
                Part::File("files", "captura.png", "image/png", vec![137, 80, 78, 71, 1, 2, 3]),
                Part::File("files", "notas.txt", "text/plain", b"pasos para reproducir".to_vec()),
            ],
        )
        .await;
    let location = page.see_other().to_owned();
    assert!(location.ends_with("?msg=created"), "{location}");
    let number = number_in(&location);
    assert_eq!(count_tickets(&t).await, before + 1);

    let detail = t.ticket(number, &fx.admin.token).await;
    assert_eq!(detail["ticket"]["channel"], "portal");
    assert_eq!(detail["ticket"]["priority"], "high");
    assert_eq!(detail["ticket"]["asset_id"], fx.asset_a.id);
    assert_eq!(detail["ticket"]["requester_id"], fx.requester_a.id());
    let files: Vec<&str> =
        detail["attachments"].as_array().unwrap().iter().map(|a| a["file_name"].as_str().unwrap()).collect();
    assert_eq!(files.len(), 2, "{detail}");
    assert!(files.contains(&"captura.png") && files.contains(&"notas.txt"));

    let html = ana.get(&location).await.ok().to_owned();
    assert_page(&html, "es");
    assert!(html.contains(&format!("Recibimos su solicitud #{number}")), "success message with the number");
    assert!(html.contains("<strong>Enviar</strong>"), "description rendered from Markdown");
    assert!(html.contains("captura.png") && html.contains("/api/v1/attachments/"), "attachments with download links");
    assert!(html.contains(&fx.asset_a.name), "the asset");

    // The download link works with the session cookie.
    let id = detail["attachments"][0]["id"].as_i64().unwrap();
    let download = ana.get(&format!("/api/v1/attachments/{id}")).await;
    assert_eq!(download.status, 200);

    // A missing subject: the form again, the text kept, the error by the field.
    let page = ana
        .submit_multipart(
            "/portal/tickets",
            &[Part::Text("subject", "  "), Part::Text("body", "Texto que no se pierde")],
        )
        .await;
    assert_eq!(page.status, 422);
    assert!(page.body.contains("Texto que no se pierde"));
    assert!(page.body.contains("aria-invalid=\"true\"") && page.body.contains("id=\"subject-error\""), "{}", page.body);

    // A file over the limit: nothing is opened, and the person is told which file.
    let before = count_tickets(&t).await;
    let page = ana
        .submit_multipart(
            "/portal/tickets",
            &[
                Part::Text("subject", "Video del error"),
                Part::Text("body", "Adjunto el video"),
                Part::File("files", "video.mp4", "video/mp4", vec![0; MAX_ATTACHMENT + 1]),
            ],
        )
        .await;
    assert_eq!(page.status, 422);
    assert!(page.body.contains("«video.mp4» pesa más de 64 KB"), "{}", page.body);
    assert!(page.body.contains("value=\"Video del error\""));
    assert_eq!(count_tickets(&t).await, before, "nothing opened");

    // The no-JavaScript preview shows the form again with the rendered text.
    let page =
        ana.submit_multipart("/portal/tickets", &[Part::Text("body", "_cursiva_"), Part::Text("preview", "1")]).await;
    assert!(page.ok().contains("<em>cursiva</em>"));
    assert_eq!(count_tickets(&t).await, before);
    // And the htmx one answers a fragment.
    let page = ana.submit("/portal/preview", &[("body", "**hola** <script>x</script>")]).await;
    let html = page.ok();
    assert!(html.contains("<strong>hola</strong>") && !html.contains("<script") && !html.contains("<html"), "{html}");
}

async fn portal_refuses_forms_without_the_csrf_token(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let fx = &t.fx;
    let ana = Browser::sign_in(&t, fx.requester_a.email()).await;
    let before = count_tickets(&t).await;
    let form = [
        Part::Text("subject", "Sin token"),
        Part::Text("body", "No debería crearse"),
        Part::File("files", "a.txt", "text/plain", b"hola".to_vec()),
    ];
    assert_eq!(ana.post_multipart("/portal/tickets", &form).await.status, 403);
    let forged =
        [Part::Text("csrf_token", "otro-token"), Part::Text("subject", "Token falso"), Part::Text("body", "x")];
    assert_eq!(ana.post_multipart("/portal/tickets", &forged).await.status, 403);
    assert_eq!(count_tickets(&t).await, before, "nothing created");

    let reply = format!("/portal/tickets/{}/reply", fx.ticket_a);
    assert_eq!(ana.post_multipart(&reply, &[Part::Text("body", "hola")]).await.status, 403);
    let close = format!("/portal/tickets/{}/close", fx.ticket_a);
    assert_eq!(ana.post(&close, &[]).await.status, 403);
    assert_eq!(ana.post("/portal/preview", &[("body", "x")]).await.status, 403);
    let detail = t.ticket(fx.ticket_a, &fx.admin.token).await;
    assert_eq!(detail["ticket"]["status"], "new", "not closed");
    assert!(detail["comments"].as_array().unwrap().is_empty(), "no reply written");
}

async fn portal_hides_other_requests(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let fx = &t.fx;
    let ana = Browser::sign_in(&t, fx.requester_a.email()).await;
    for number in [fx.ticket_b, fx.ticket_a2, 999_999] {
        let page = ana.get(&format!("/portal/tickets/{number}")).await;
        assert_eq!(page.status, 404, "#{number}");
        assert!(page.body.contains("No encontrado") && !page.body.contains("Certificado vencido"));
        let reply = [Part::Text("body", "intrusión")];
        assert_eq!(ana.submit_multipart(&format!("/portal/tickets/{number}/reply"), &reply).await.status, 404);
        let close = ana.submit(&format!("/portal/tickets/{number}/close"), &[]).await;
        assert_eq!(close.status, 404);
    }
    assert_eq!(ana.get("/portal/tickets/abc").await.status, 404);
    let detail = t.ticket(fx.ticket_b, &fx.admin.token).await;
    assert_eq!(detail["ticket"]["status"], "new");
    assert!(detail["comments"].as_array().unwrap().is_empty());

    // A manager sees a sibling's request; another organisation's manager does not.
    let manager = Browser::sign_in(&t, fx.manager_a.email()).await;
    assert!(manager.get(&format!("/portal/tickets/{}", fx.ticket_a2)).await.ok().contains("Error al exportar"));
    let manager_b = Browser::sign_in(&t, fx.manager_b.email()).await;
    assert_eq!(manager_b.get(&format!("/portal/tickets/{}", fx.ticket_a)).await.status, 404);
}

async fn portal_reply_close_confirm_and_reopen(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let fx = &t.fx;
    let ana = Browser::sign_in(&t, fx.requester_a.email()).await;
    let path = format!("/portal/tickets/{}", fx.ticket_a);

    // The agent answers publicly and writes an internal note; the client sees only the reply.
    tickets::comment(&t.app, &fx.agent.actor(), fx.ticket_a, "Estamos revisando el servidor.", false).await.unwrap();
    tickets::comment(&t.app, &fx.agent.actor(), fx.ticket_a, "NOTA INTERNA: cliente difícil", true).await.unwrap();
    let change = TicketChange { category: Some("bug_fix".into()), ..TicketChange::default() };
    tickets::change(&t.app, &fx.agent.actor(), fx.ticket_a, change).await.unwrap();
    let html = ana.get(&path).await.ok().to_owned();
    assert_page(&html, "es");
    assert!(html.contains("Estamos revisando el servidor."));
    assert!(html.contains("Equipo de soporte"), "staff replies are marked");
    assert!(!html.contains("NOTA INTERNA"), "internal notes never appear");
    assert!(html.contains("Clasificada como Corrección de errores o fallas (Cubierta)"), "{html}");
    assert!(html.contains("Estado: Nueva → Abierta"), "history in plain words");
    assert!(html.contains("a.txt") && html.contains(&format!("/api/v1/attachments/{}", fx.attachment_a)));
    assert!(html.contains("Cerrar solicitud"), "close offered while open");

    // The client replies with a file.
    let page = ana
        .submit_multipart(
            &format!("{path}/reply"),
            &[
                Part::Text("body", "Ya **probé** de nuevo y sigue igual."),
                Part::File("files", "pantallazo.jpg", "image/jpeg", vec![0xff, 0xd8, 1, 2]),
            ],
        )
        .await;
    assert_eq!(page.see_other(), format!("{path}?msg=replied"));
    let html = ana.get(&format!("{path}?msg=replied")).await.ok().to_owned();
    assert!(html.contains("Ya <strong>probé</strong> de nuevo y sigue igual."), "{html}");
    assert!(html.contains("pantallazo.jpg"));
    assert!(html.contains("Su respuesta quedó registrada"));
    // An empty reply is refused kindly.
    let page = ana.submit_multipart(&format!("{path}/reply"), &[Part::Text("body", " ")]).await;
    assert_eq!(page.status, 422);
    assert!(page.body.contains("Escriba un mensaje o adjunte al menos un archivo."));

    // Resolved by the agent: the client may confirm or reopen.
    let change = TicketChange { status: Some(Status::Resolved), ..TicketChange::default() };
    tickets::change(&t.app, &fx.agent.actor(), fx.ticket_a, change).await.unwrap();
    let html = ana.get(&path).await.ok().to_owned();
    assert!(html.contains("Confirmar solución") && html.contains("Reabrir"), "{html}");
    let page = ana.submit(&format!("{path}/reopen"), &[("body", "El botón sigue sin funcionar")]).await;
    assert_eq!(page.see_other(), format!("{path}?msg=reopened"));
    let detail = t.ticket(fx.ticket_a, &fx.admin.token).await;
    assert_eq!(detail["ticket"]["status"], "open");
    let html = ana.get(&path).await.ok().to_owned();
    assert!(html.contains("El botón sigue sin funcionar") && html.contains("Estado: Resuelta → Abierta"));
    // Reopening something that is not resolved is refused without a change.
    let page = ana.submit(&format!("{path}/reopen"), &[]).await;
    assert_eq!(page.see_other(), format!("{path}?msg=not_allowed"));

    // Closing.
    let page = ana.submit(&format!("{path}/close"), &[]).await;
    assert_eq!(page.see_other(), format!("{path}?msg=closed"));
    let detail = t.ticket(fx.ticket_a, &fx.admin.token).await;
    assert_eq!(detail["ticket"]["status"], "closed");
    let html = ana.get(&format!("{path}?msg=closed")).await.ok().to_owned();
    assert!(html.contains("status-closed") && html.contains("Solicitud cerrada"));
    assert!(!html.contains(&format!("action=\"{path}/reply\"")), "no reply form on a closed request");
    // Closing again says so instead of failing.
    let page = ana.submit(&format!("{path}/close"), &[]).await;
    assert_eq!(page.see_other(), format!("{path}?msg=already_closed"));
    let page = ana.submit_multipart(&format!("{path}/reply"), &[Part::Text("body", "x")]).await;
    assert_eq!(page.see_other(), format!("{path}?msg=already_closed"));
}

async fn portal_scope_page_reads_the_policy(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let fx = &t.fx;
    let ana = Browser::sign_in(&t, fx.requester_a.email()).await;
    let html = ana.get("/portal/alcance").await.ok().to_owned();
    assert_page(&html, "es");
    assert!(html.contains("Nuestro alcance de soporte"));
    assert!(html.contains(&fx.contract_a.name), "the contract");
    assert!(html.contains("$ 150.000") && html.contains("19 %"), "rate in pesos and IVA: {html}");
    assert!(html.contains("$ 178.500"), "rate with IVA");
    assert!(html.contains("Qué está cubierto") && html.contains("Qué no está cubierto"));
    assert!(html.contains("Corrección de errores o fallas"), "a covered category");
    assert!(html.contains("Desarrollo de nuevas funcionalidades o módulos"), "a not-covered category");
    assert!(html.contains("Al entrar a la sección de afiliados sale un error 500"), "examples");
    assert!(html.contains("Se puede pagar con un paquete de horas"), "hour packages");
    assert!(html.contains("Primera respuesta en 1 hora"), "SLA in plain words: {html}");
    assert!(html.contains("cotizar"), "the out-of-scope procedure");

    // In English with the language switch's cookie.
    let html = ana.get_with("/portal/alcance", "alcance_lang=en").await.ok().to_owned();
    assert_page(&html, "en");
    assert!(
        html.contains("Our support scope") && html.contains("Bug fixes") && html.contains("New features or modules")
    );
    assert!(html.contains("First response within 1 hour"));
}

async fn portal_explains_a_not_covered_request(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let fx = &t.fx;
    let change = TicketChange { category: Some("new_feature".into()), ..TicketChange::default() };
    tickets::change(&t.app, &fx.agent.actor(), fx.ticket_a, change).await.unwrap();
    let ana = Browser::sign_in(&t, fx.requester_a.email()).await;
    let html = ana.get(&format!("/portal/tickets/{}", fx.ticket_a)).await.ok().to_owned();
    assert!(html.contains("Esta solicitud está fuera del alcance del soporte"), "{html}");
    assert!(html.contains("«Desarrollo de nuevas funcionalidades o módulos»") && html.contains("sección 2"));
    assert!(html.contains("Pedir una cotización") && html.contains("Usar un paquete de horas"));
    assert!(html.contains("soporte.igniweb.com"), "the policy's own procedure text");
    assert!(html.contains("coverage-not_covered"));
}

async fn portal_escapes_what_people_write(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let fx = &t.fx;
    let ana = Browser::sign_in(&t, fx.requester_a.email()).await;
    let page = ana
        .submit_multipart(
            "/portal/tickets",
            &[
                Part::Text("subject", "<script>alert(1)</script>"),
                Part::Text("body", "<img src=x onerror=alert(1)> [x](javascript:alert(1))"),
            ],
        )
        .await;
    let location = page.see_other().to_owned();
    for path in [location.as_str(), "/portal"] {
        let html = ana.get(path).await.ok().to_owned();
        let escaped = html.contains("&#60;script&#62;alert(1)&#60;/script&#62;")
            || html.contains("&lt;script&gt;alert(1)&lt;/script&gt;");
        assert!(escaped, "escaped on {path}: {html}");
        assert!(!html.contains("<script>alert(1)"), "never raw on {path}");
        assert!(!html.contains("onerror") && !html.contains("javascript:alert"), "Markdown sanitized on {path}");
    }
}
