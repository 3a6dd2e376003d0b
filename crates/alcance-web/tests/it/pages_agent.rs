//! Pages of the agent area, through HTTP as a browser would send them: a cookie session,
//! forms with the CSRF token, redirects not followed.

use alcance_app::tickets::{self, OpenTicket, TicketChange};
use alcance_domain::ticket::{Channel, Coverage, Status};
use alcance_testkit::{TestBackend, on_both_backends};

use crate::browser::{Browser, Part, client};
use crate::support::{Person, TestApp, spawn_app};

on_both_backends!(
    contacts_get_not_found,
    queue_saved_views_filter,
    queue_filters_sorting_and_pages,
    classify_through_the_form,
    status_refusals_are_explained,
    assign_and_priority,
    internal_note_is_marked_and_hidden_from_the_requester,
    missing_csrf_changes_nothing,
    viewers_fragment_names_the_other_agent,
    subjects_are_escaped,
);

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

fn sorted(mut v: Vec<i64>) -> Vec<i64> {
    v.sort_unstable();
    v
}

async fn open(t: &TestApp, who: &Person, subject: &str) -> i64 {
    let input = OpenTicket {
        subject: subject.into(),
        body: "Detalle".into(),
        organization: None,
        requester: None,
        asset_id: None,
        priority: None,
    };
    tickets::open(&t.app, &who.actor(), input, Channel::Portal).await.unwrap().number
}

async fn change(t: &TestApp, number: i64, change: TicketChange) {
    tickets::change(&t.app, &t.fx.agent.actor(), number, change).await.unwrap();
}

async fn classify_covered(t: &TestApp, number: i64) {
    change(t, number, TicketChange { category: Some("bug_fix".into()), ..TicketChange::default() }).await;
}

async fn contacts_get_not_found(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let fx = &t.fx;
    for who in [&fx.requester_a, &fx.manager_a] {
        let b = Browser::sign_in(&t, who.email()).await;
        for path in [
            "/agent".to_owned(),
            "/agent?view=unclassified".to_owned(),
            format!("/agent/tickets/{}", fx.ticket_a),
            format!("/agent/tickets/{}/viewers", fx.ticket_a),
        ] {
            let page = b.get(&path).await;
            assert_eq!(page.status, 404, "{path} for {}", who.email());
            assert!(!page.body.contains("data-queue-row"), "{path}");
        }
        let page = b.submit(&format!("/agent/tickets/{}/classify", fx.ticket_a), &[("category", "bug_fix")]).await;
        assert_eq!(page.status, 404);
    }
    let detail = tickets::get(&t.app, &fx.agent.actor(), fx.ticket_a).await.unwrap();
    assert_eq!(detail.ticket.coverage, Coverage::Pending, "nothing changed");

    // Signed out: to the sign-in page, and back here after.
    let r = client().get(t.url("/agent")).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(r.headers()["location"], "/login?next=/agent");
}

async fn queue_saved_views_filter(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let fx = &t.fx;
    // ticket_a: new; ticket_a2: open and mine; ticket_b: waiting on the client;
    // a fourth: closed; a fifth: open, assigned to the admin.
    let (new, mine, waiting) = (fx.ticket_a, fx.ticket_a2, fx.ticket_b);
    classify_covered(&t, mine).await;
    change(&t, mine, TicketChange { assignee: Some(Some(fx.agent.id())), ..TicketChange::default() }).await;
    classify_covered(&t, waiting).await;
    change(&t, waiting, TicketChange { status: Some(Status::WaitingOnClient), ..TicketChange::default() }).await;
    let closed = open(&t, &fx.requester_a, "Duplicado").await;
    let reason = Some("Duplicado de otro caso".to_owned());
    change(&t, closed, TicketChange { status: Some(Status::Closed), reason, ..TicketChange::default() }).await;
    let admins = open(&t, &fx.requester_b, "Revisar copia de seguridad").await;
    classify_covered(&t, admins).await;
    change(&t, admins, TicketChange { assignee: Some(Some(fx.admin.id())), ..TicketChange::default() }).await;

    let b = Browser::sign_in(&t, fx.agent.email()).await;
    // The default view is "Todos abiertos".
    let page = b.get("/agent").await;
    let html = page.ok();
    assert!(html.contains("<html lang=\"es\""), "Spanish by default");
    assert_eq!(html.matches("<h1").count(), 1, "one h1");
    assert!(html.contains("data-queue-search"), "the search box for /");
    assert!(html.contains("aria-current=\"page\">Todos abiertos<"), "the current view is marked");
    assert!(html.contains("aria-sort=\"descending\""), "sorted newest first");
    assert_eq!(sorted(rows(html)), sorted(vec![new, mine, waiting, admins]));
    assert!(html.contains("Cámara A") && html.contains("Andrés"), "names of organisation and requester");
    assert!(html.contains("Corrección de errores o fallas"), "category label");
    assert!(html.contains("Sin clasificar") && html.contains("Cubierta"), "coverage badges");

    let view = |name: &'static str| {
        let b = &b;
        async move { rows(b.get(&format!("/agent?view={name}")).await.ok()) }
    };
    assert_eq!(view("unclassified").await, vec![new]);
    assert_eq!(view("mine").await, vec![mine]);
    assert_eq!(view("waiting").await, vec![waiting]);
    assert_eq!(sorted(view("open").await), sorted(vec![new, mine, waiting, admins]));
    // A view's status gives way to an explicit one.
    assert_eq!(rows(b.get("/agent?view=open&status=closed").await.ok()), vec![closed]);
    assert_eq!(rows(b.get("/agent?view=mine&status=any").await.ok()), vec![mine]);

    // English on request.
    let page = b.get("/agent?view=waiting").await;
    assert!(page.ok().contains("Esperando al cliente"));
    let en = b.get_with("/agent", "alcance_lang=en").await.body;
    assert!(en.contains("<html lang=\"en\"") && en.contains("All open") && en.contains("Ticket queue"), "{en}");
}

async fn queue_filters_sorting_and_pages(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let fx = &t.fx;
    let b = Browser::sign_in(&t, fx.agent.email()).await;

    let html = b.get("/agent?org=org-b").await;
    assert_eq!(rows(html.ok()), vec![fx.ticket_b]);
    assert!(html.body.contains("<option value=\"org-b\" selected>"), "the filter keeps its value");
    assert!(html.body.contains("<details class=\"more-filters\" open>"), "used filters are shown");
    assert_eq!(rows(b.get("/agent?q=exportar").await.ok()), vec![fx.ticket_a2]);
    assert_eq!(rows(b.get(&format!("/agent?q=%23{}", fx.ticket_b)).await.ok()), vec![fx.ticket_b]);
    assert_eq!(rows(b.get("/agent?status=open").await.ok()), Vec::<i64>::new());
    classify_covered(&t, fx.ticket_a).await;
    assert_eq!(rows(b.get("/agent?status=open").await.ok()), vec![fx.ticket_a]);
    assert_eq!(rows(b.get("/agent?coverage=covered").await.ok()), vec![fx.ticket_a]);
    assert_eq!(rows(b.get("/agent?category=bug_fix&org=org-a").await.ok()), vec![fx.ticket_a]);
    assert_eq!(sorted(rows(b.get("/agent?assignee=none").await.ok())).len(), 3);
    assert_eq!(rows(b.get("/agent?assignee=me").await.ok()), Vec::<i64>::new());
    let page = b.get("/agent?org=nadie&priority=urgentisima&sort=raro&page=-3").await;
    assert_eq!(rows(page.ok()), Vec::<i64>::new(), "an unknown organisation has no tickets; bad values are ignored");
    assert!(page.body.contains("No hay casos en esta vista"));

    // Sorting keeps the filters; the active column says so.
    let oldest = b.get("/agent?org=org-a&sort=oldest").await;
    assert_eq!(rows(oldest.ok()), vec![fx.ticket_a, fx.ticket_a2]);
    assert!(oldest.body.contains("aria-sort=\"ascending\""));
    assert!(
        oldest.body.contains("href=\"/agent?view=open&#38;org=org-a&#38;sort=priority\""),
        "sort links keep filters"
    );
    let newest = b.get("/agent?org=org-a").await;
    assert_eq!(rows(newest.ok()), vec![fx.ticket_a2, fx.ticket_a]);
    let by_update = b.get("/agent?org=org-a&sort=updated").await;
    assert_eq!(rows(by_update.ok()), vec![fx.ticket_a, fx.ticket_a2], "the classified one moved first");

    // Pages of 50.
    let mut opened = Vec::new();
    for i in 0..52 {
        opened.push(open(&t, &fx.requester_b, &format!("Lote {i}")).await);
    }
    let first = b.get("/agent?q=lote").await;
    let first_rows = rows(first.ok());
    assert_eq!(first_rows.len(), 50);
    assert!(first.body.contains("href=\"/agent?view=open&#38;q=lote&#38;page=2\""), "a next page");
    assert!(!first.body.contains("rel=\"prev\""));
    let second = b.get("/agent?q=lote&page=2").await;
    let second_rows = rows(second.ok());
    assert_eq!(second_rows.len(), 2);
    assert!(second.body.contains("rel=\"prev\"") && !second.body.contains("rel=\"next\""));
    let mut all: Vec<i64> = first_rows.into_iter().chain(second_rows).collect();
    all.sort_unstable();
    assert_eq!(all, opened);
}

async fn classify_through_the_form(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let fx = &t.fx;
    let b = Browser::sign_in(&t, fx.agent.email()).await;
    let number = fx.ticket_a;

    let page = b.get(&format!("/agent/tickets/{number}")).await;
    let html = page.ok();
    assert_eq!(html.matches("<h1").count(), 1);
    assert!(html.contains("<optgroup label=\"Cubierta\">") && html.contains("<optgroup label=\"No cubierta\">"));
    assert!(html.contains("Soporte Cámara A"), "the contract at a glance");
    assert!(html.contains("$ 150.000"), "its rate in pesos");
    assert!(html.contains("ana@a.co"), "the requester's e-mail");
    assert!(html.contains("/api/v1/attachments/"), "attachments download through the API");

    // Overriding the policy's coverage needs a reason: refused, shown by the field.
    let path = format!("/agent/tickets/{number}/classify");
    let refused = b.submit(&path, &[("category", "bug_fix"), ("coverage", "not_covered"), ("reason", "  ")]).await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("Escriba el motivo para cambiar la cobertura que indica la política."));
    assert!(refused.body.contains("aria-invalid=\"true\" aria-describedby=\"classify-reason-error\""));
    assert!(refused.body.contains("<option value=\"not_covered\" selected>"), "the choice is kept");
    let detail = tickets::get(&t.app, &fx.agent.actor(), number).await.unwrap();
    assert_eq!((detail.ticket.status, detail.ticket.coverage), (Status::New, Coverage::Pending), "unchanged");

    // By the policy: covered, and the ticket opens.
    let done = b.submit(&path, &[("category", "bug_fix"), ("coverage", ""), ("reason", "")]).await;
    assert_eq!(done.status, 303, "{}", done.body);
    let to = done.location.clone();
    assert_eq!(to, format!("/agent/tickets/{number}?msg=classified"));
    let detail = tickets::get(&t.app, &fx.agent.actor(), number).await.unwrap();
    assert_eq!(detail.ticket.category.as_deref(), Some("bug_fix"));
    assert_eq!(detail.ticket.coverage, Coverage::Covered);
    assert_eq!(detail.ticket.status, Status::Open);
    let html = b.get(&to).await.body;
    assert!(html.contains("Caso clasificado."));
    assert!(html.contains("clasificó el caso como «Corrección de errores o fallas» (Cubierta)"), "{html}");
    assert!(html.contains("cambió el estado de «Nueva» a «Abierta»."));

    // With a reason, the override stands and says why.
    let number = fx.ticket_a2;
    let path = format!("/agent/tickets/{number}/classify");
    let fields = [("category", "bug_fix"), ("coverage", "not_covered"), ("reason", "Es una mejora, no una falla")];
    assert_eq!(b.submit(&path, &fields).await.status, 303);
    let detail = tickets::get(&t.app, &fx.agent.actor(), number).await.unwrap();
    assert_eq!((detail.ticket.coverage, detail.ticket.status), (Coverage::NotCovered, Status::AwaitingDecision));
    let html = b.get(&format!("/agent/tickets/{number}")).await.body;
    assert!(html.contains("cambió la cobertura de «Cubierta» a «No cubierta»"), "{html}");
    assert!(html.contains("Motivo: Es una mejora, no una falla"));

    // No category: refused by the field.
    let refused = b.submit(&path, &[("category", "")]).await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("Elija una categoría."));
}

async fn status_refusals_are_explained(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let fx = &t.fx;
    let b = Browser::sign_in(&t, fx.agent.email()).await;
    let path = format!("/agent/tickets/{}/status", fx.ticket_a);

    let page = b.get(&format!("/agent/tickets/{}", fx.ticket_a)).await;
    assert!(page.ok().contains("<option value=\"closed\">"), "a new ticket may be closed");
    assert!(!page.body.contains("<option value=\"resolved\">"), "only the moves the lifecycle allows");

    let refused = b.submit(&path, &[("status", "resolved")]).await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("Un caso en estado «Nueva» no puede pasar a «Resuelta»."), "{}", refused.body);
    let refused = b.submit(&path, &[("status", "closed"), ("reason", "")]).await;
    assert_eq!(refused.status, 422);
    assert!(
        refused.body.contains("id=\"status-reason-error\">Escriba el motivo para cerrar un caso que no se resolvió.")
    );
    let detail = tickets::get(&t.app, &fx.agent.actor(), fx.ticket_a).await.unwrap();
    assert_eq!(detail.ticket.status, Status::New);

    let done = b.submit(&path, &[("status", "closed"), ("reason", "Spam")]).await;
    assert_eq!(done.status, 303);
    let html = b.get(&done.location).await.body;
    assert!(html.contains("Estado actualizado."));
    assert!(html.contains("Motivo: Spam"));
    assert!(html.contains("Este caso está cerrado"), "a closed ticket offers no actions");
    assert!(!html.contains("action=\"/agent/tickets/"), "{html}");
}

async fn assign_and_priority(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let fx = &t.fx;
    let b = Browser::sign_in(&t, fx.agent.email()).await;
    let n = fx.ticket_b;

    let done = b.submit(&format!("/agent/tickets/{n}/assign"), &[("assignee", "none"), ("take", "me")]).await;
    assert_eq!(done.location, format!("/agent/tickets/{n}?msg=assigned"));
    let detail = tickets::get(&t.app, &fx.agent.actor(), n).await.unwrap();
    assert_eq!(detail.ticket.assignee_id, Some(fx.agent.id()));
    let admin = fx.admin.id().to_string();
    assert_eq!(b.submit(&format!("/agent/tickets/{n}/assign"), &[("assignee", &admin)]).await.status, 303);
    let refused =
        b.submit(&format!("/agent/tickets/{n}/assign"), &[("assignee", &fx.requester_b.id().to_string())]).await;
    assert_eq!(refused.status, 422, "only staff take tickets");

    assert_eq!(b.submit(&format!("/agent/tickets/{n}/priority"), &[("priority", "critical")]).await.status, 303);
    let detail = tickets::get(&t.app, &fx.agent.actor(), n).await.unwrap();
    assert_eq!(detail.ticket.assignee_id, Some(fx.admin.id()));
    assert_eq!(detail.ticket.priority.as_str(), "critical");
    let html = b.get(&format!("/agent/tickets/{n}")).await.body;
    assert!(html.contains("Agente tomó el caso."), "{html}");
    assert!(html.contains("Agente reasignó el caso de Agente a Admin."));
    assert!(html.contains("cambió la prioridad de Normal a Crítica."));
    assert!(rows(b.get("/agent?priority=critical").await.ok()) == vec![n]);
}

async fn internal_note_is_marked_and_hidden_from_the_requester(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let fx = &t.fx;
    let b = Browser::sign_in(&t, fx.agent.email()).await;
    let n = fx.ticket_a;
    let path = format!("/agent/tickets/{n}/comment");

    let note = b
        .submit_multipart(
            &path,
            &[
                Part::Text("visibility", "internal"),
                Part::Text("body", "Revisar el **registro** del servidor"),
                Part::File("files", "traza.log", "text/plain", b"linea 1".to_vec()),
            ],
        )
        .await;
    assert_eq!(note.status, 303, "{}", note.body);
    assert_eq!(note.location, format!("/agent/tickets/{n}?msg=noted"));
    let reply = b
        .submit_multipart(
            &path,
            &[
                Part::Text("visibility", "public"),
                Part::Text("body", "Ya lo estamos revisando."),
                Part::File("files", "", "application/octet-stream", b"".to_vec()),
            ],
        )
        .await;
    assert_eq!(reply.location, format!("/agent/tickets/{n}?msg=replied"));

    let html = b.get(&format!("/agent/tickets/{n}?msg=noted")).await.body;
    assert!(html.contains("Nota interna guardada."));
    let note_entry = html.split("<li class=\"entry note\">").nth(1).expect("a note entry");
    let note_entry = note_entry.split("</li>").next().unwrap();
    assert!(note_entry.contains("<span class=\"badge tag-internal\">Nota interna</span>"), "{note_entry}");
    assert!(note_entry.contains("<strong>registro</strong>"), "Markdown rendered");
    assert!(html.contains("<li class=\"entry reply\">") && html.contains("Ya lo estamos revisando."));
    assert!(html.contains("adjuntó traza.log"), "the file is in the timeline");

    // The requester sees the reply, never the note or its file.
    let theirs = tickets::get(&t.app, &fx.requester_a.actor(), n).await.unwrap();
    assert!(theirs.comments.iter().any(|c| c.body == "Ya lo estamos revisando."));
    assert!(theirs.comments.iter().all(|c| !c.body.contains("registro")));
    assert!(theirs.attachments.iter().all(|a| a.file_name != "traza.log"));
    let staff = tickets::get(&t.app, &fx.agent.actor(), n).await.unwrap();
    let file = staff.attachments.iter().find(|a| a.file_name == "traza.log").expect("stored");
    assert!(file.internal, "a note's attachment is internal");
    let portal = Browser::sign_in(&t, fx.requester_a.email()).await.get(&format!("/portal/tickets/{n}")).await;
    assert!(!portal.body.contains("registro</strong>") && !portal.body.contains("traza.log"));

    // Nothing to say: refused, the choice kept.
    let empty = b.submit_multipart(&path, &[Part::Text("visibility", "internal"), Part::Text("body", "   ")]).await;
    assert_eq!(empty.status, 422);
    assert!(empty.body.contains("Escriba un mensaje o adjunte un archivo."));
    assert!(empty.body.contains("value=\"internal\" checked"));
}

async fn missing_csrf_changes_nothing(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let fx = &t.fx;
    let b = Browser::sign_in(&t, fx.agent.email()).await;
    let n = fx.ticket_a;
    for (action, fields) in [
        ("classify", vec![("category", "bug_fix")]),
        ("assign", vec![("take", "me")]),
        ("status", vec![("status", "closed"), ("reason", "Spam")]),
        ("priority", vec![("priority", "critical")]),
    ] {
        let page = b.post(&format!("/agent/tickets/{n}/{action}"), &fields).await;
        assert_eq!(page.status, 403, "{action}");
        let page = b
            .post(&format!("/agent/tickets/{n}/{action}"), &[&[("csrf_token", "falso")][..], &fields[..]].concat())
            .await;
        assert_eq!(page.status, 403, "{action} with a wrong token");
    }
    let page = b
        .post_multipart(
            &format!("/agent/tickets/{n}/comment"),
            &[Part::Text("body", "Sin token"), Part::File("files", "x.txt", "text/plain", b"x".to_vec())],
        )
        .await;
    assert_eq!(page.status, 403);
    let detail = tickets::get(&t.app, &fx.agent.actor(), n).await.unwrap();
    assert_eq!(detail.ticket.status, Status::New);
    assert_eq!(detail.ticket.coverage, Coverage::Pending);
    assert_eq!(detail.ticket.assignee_id, None);
    assert_eq!(detail.ticket.priority.as_str(), "normal");
    assert!(detail.comments.is_empty());
    assert_eq!(detail.attachments.len(), 1, "only the fixture's file");
}

async fn viewers_fragment_names_the_other_agent(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let fx = &t.fx;
    let agent = Browser::sign_in(&t, fx.agent.email()).await;
    let admin = Browser::sign_in(&t, fx.admin.email()).await;
    let n = fx.ticket_b;

    let first = agent.get(&format!("/agent/tickets/{n}")).await;
    assert!(first.ok().contains(&format!("hx-get=\"/agent/tickets/{n}/viewers\"")));
    assert!(first.body.contains("hx-trigger=\"load, every 10s\""));
    assert!(!first.body.contains("También está viendo"), "alone on the ticket");
    let alone = agent.get(&format!("/agent/tickets/{n}/viewers")).await;
    assert_eq!(alone.ok().trim(), "");

    let second = admin.get(&format!("/agent/tickets/{n}")).await;
    assert!(second.ok().contains("También está viendo este caso: Agente"), "shown at page load");
    let fragment = agent.get(&format!("/agent/tickets/{n}/viewers")).await;
    assert_eq!(fragment.ok().trim(), "<p class=\"viewers-hint\">También está viendo este caso: Admin</p>");
    assert!(!fragment.body.contains("<html"), "a fragment, not a page");
    let other = agent.get(&format!("/agent/tickets/{}/viewers", fx.ticket_a)).await;
    assert_eq!(other.ok().trim(), "", "another ticket");
    assert_eq!(agent.get("/agent/tickets/999999/viewers").await.status, 404);
    assert_eq!(agent.get("/agent/tickets/999999").await.status, 404);
    assert_eq!(agent.get("/agent/tickets/abc").await.status, 404);
}

async fn subjects_are_escaped(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let fx = &t.fx;
    let n = open(&t, &fx.requester_a, "<script>alert(1)</script>").await;
    let b = Browser::sign_in(&t, fx.agent.email()).await;
    for path in ["/agent".to_owned(), format!("/agent/tickets/{n}"), "/agent?q=%3Cscript%3E".to_owned()] {
        let page = b.get(&path).await;
        let html = page.ok();
        // Askama writes the escapes as numeric references.
        assert!(html.contains("&#60;script&#62;alert(1)&#60;/script&#62;"), "{path}: {html}");
        assert!(!html.contains("<script>alert(1)"), "{path}");
    }
    assert!(b.get("/agent?q=%3Cscript%3E").await.body.contains("value=\"&#60;script&#62;\""), "the search box too");
}
