//! Incoming e-mail: messages of the corpus (crates/alcance-mail/tests/corpus) adapted to the
//! fixtures' contacts and tickets, and a full round trip (a notification goes out over SMTP,
//! the client replies to it, the reply lands on the ticket).

use alcance_app::mail_intake::{self, Ingested};
use alcance_app::mail_templates::TicketMail;
use alcance_app::{App, mailer};
use alcance_testkit::{TestBackend, on_both_backends};
use mail_parser::MessageParser;

use crate::browser::Browser;
use crate::mail_out::{DESK, drain, mail_app, notify, smtp_server};
use crate::support::spawn_app;

on_both_backends!(
    a_known_contact_opens_a_ticket_with_its_files,
    a_reply_with_the_subject_tag_lands_on_the_ticket,
    a_reply_to_our_mail_lands_on_the_ticket_by_its_signed_message_id,
    a_forged_tag_is_held_and_an_agent_rejects_it,
    an_unknown_sender_is_held_until_an_agent_accepts_it,
    auto_replies_are_ignored_and_malformed_mail_rejected,
    the_same_message_twice_is_handled_once,
    another_organisation_cannot_reply_into_a_ticket,
);

fn corpus(name: &str) -> Vec<u8> {
    let path = format!("{}/../alcance-mail/tests/corpus/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Replaces every `from` with `to` in raw bytes.
fn swap(raw: &[u8], pairs: &[(&str, &str)]) -> Vec<u8> {
    let mut out = raw.to_vec();
    for (from, to) in pairs {
        let (from, to) = (from.as_bytes(), to.as_bytes());
        let mut next = Vec::with_capacity(out.len());
        let mut i = 0;
        while i < out.len() {
            if out[i..].starts_with(from) {
                next.extend_from_slice(to);
                i += from.len();
            } else {
                next.push(out[i]);
                i += 1;
            }
        }
        out = next;
    }
    out
}

/// A plain message built for a test.
fn message(from: &str, subject: &str, id: &str, extra_headers: &str, body: &str) -> Vec<u8> {
    format!(
        "From: {from}\r\nTo: {DESK}\r\nSubject: {subject}\r\nMessage-ID: <{id}>\r\nDate: Thu, 6 Mar 2025 08:41:22 -0500\r\n\
         {extra_headers}MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    )
    .into_bytes()
}

async fn ingest(app: &App, raw: &[u8]) -> Ingested {
    mail_intake::ingest(app, raw).await.unwrap()
}

fn comments(detail: &serde_json::Value) -> Vec<String> {
    detail["comments"].as_array().unwrap().iter().map(|c| c["body"].as_str().unwrap().to_owned()).collect()
}

async fn a_known_contact_opens_a_ticket_with_its_files(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let app = mail_app(&t, None);
    let raw = swap(&corpus("10-mixed-pdf-png-docx-xlsx.eml"), &[("l.perez@uniquindio.test", "ana@a.co")]);
    let done = ingest(&app, &raw).await;
    let Ingested::NewTicket { number, files, .. } = &done else { panic!("{done:?}") };
    assert!(done.describe().starts_with(&format!("accepted: opened ticket #{number}")), "{}", done.describe());
    assert_eq!(files.kept.len(), 4, "{files:?}");

    let detail = t.ticket(*number, &t.fx.requester_a.token).await;
    assert_eq!(detail["ticket"]["channel"], "email");
    assert_eq!(detail["ticket"]["subject"], "Documentos para la migración del sitio");
    assert_eq!(detail["ticket"]["organization_id"], t.fx.org_a.id);
    assert!(detail["ticket"]["body"].as_str().unwrap().contains("Inventario de páginas actuales"), "{detail}");
    let mut names: Vec<String> =
        detail["attachments"].as_array().unwrap().iter().map(|a| a["file_name"].as_str().unwrap().to_owned()).collect();
    names.sort();
    assert_eq!(
        names,
        [
            "Requerimientos portal.docx",
            "acta_arranque_2025-02-27.pdf",
            "inventario_paginas.xlsx",
            "logo-uniquindio.png"
        ]
    );
    let pdf = detail["attachments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["file_name"] == "acta_arranque_2025-02-27.pdf")
        .unwrap();
    assert_eq!(pdf["size_bytes"], 778);
    // Someone of another organisation does not see it.
    assert_eq!(t.get(&format!("/api/v1/tickets/{number}"), &t.fx.requester_b.token).await.status, 404);
}

async fn a_reply_with_the_subject_tag_lands_on_the_ticket(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let app = mail_app(&t, None);
    let n = t.fx.ticket_a.to_string();
    let raw = swap(
        &corpus("17-reply-subject-tag.eml"),
        &[("ana.gomez@camaraarmenia.test", "ana@a.co"), ("[#1042]", &format!("[#{n}]"))],
    );
    let done = ingest(&app, &raw).await;
    assert!(matches!(done, Ingested::Reply { number, .. } if number == t.fx.ticket_a), "{done:?}");
    let detail = t.ticket(t.fx.ticket_a, &t.fx.requester_a.token).await;
    let last = comments(&detail).pop().unwrap();
    assert!(last.contains("Hoy volvió a fallar el formulario"), "{last}");
    let comment = detail["comments"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(comment["internal"], false, "a public reply");
    assert_eq!(comment["author_id"], t.fx.requester_a.id());
}

async fn a_reply_to_our_mail_lands_on_the_ticket_by_its_signed_message_id(backend: TestBackend) {
    let t = spawn_app(backend).await;
    drain(&t).await;
    let (port, inbox) = smtp_server(false).await;
    let app = mail_app(&t, Some(port));
    notify(&app, t.fx.ticket_a, TicketMail::Acknowledged, None).await;
    assert_eq!(mailer::deliver_pending(&app).await.unwrap(), 1);
    let sent = inbox.lock().unwrap()[0].data.clone();
    let ours = MessageParser::default().parse(&sent).unwrap().message_id().unwrap().to_owned();

    // The client's program drops the [#N] from the subject; only the signed id threads it.
    let reply = message(
        "Ana <ANA@A.CO>",
        "Re: gracias",
        "respuesta-1@a.co",
        &format!("In-Reply-To: <{ours}>\r\nReferences: <{ours}>\r\n"),
        "Adjunto la captura que pidieron.\r\n\r\nEl jue, 6 mar 2025, Soporte escribió:\r\n> Hola, Ana:",
    );
    let done = ingest(&app, &reply).await;
    assert!(matches!(done, Ingested::Reply { number, .. } if number == t.fx.ticket_a), "{done:?}");
    let last = comments(&t.ticket(t.fx.ticket_a, &t.fx.agent.token).await).pop().unwrap();
    assert_eq!(last, "Adjunto la captura que pidieron.");
}

async fn a_forged_tag_is_held_and_an_agent_rejects_it(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let app = mail_app(&t, None);
    let n = t.fx.ticket_a.to_string();
    let raw = swap(
        &corpus("19-forged-tag.eml"),
        &[("ana.gomez@camaraarmenia.test", "ana@a.co"), ("t1042.", &format!("t{n}."))],
    );
    let before = comments(&t.ticket(t.fx.ticket_a, &t.fx.agent.token).await).len();
    let done = ingest(&app, &raw).await;
    let Ingested::Held { inbound_id, reason, ticket } = &done else { panic!("{done:?}") };
    assert_eq!((reason.as_str(), *ticket), ("forged_tag", Some(t.fx.ticket_a)));
    assert_eq!(comments(&t.ticket(t.fx.ticket_a, &t.fx.agent.token).await).len(), before, "nothing posted");

    let agent = Browser::sign_in(&t, t.fx.agent.email()).await;
    let html = agent.get("/agent/mail").await.ok().to_owned();
    assert!(html.contains("ana@a.co") && html.contains("firma falsa"), "{html}");
    assert!(html.contains(&format!("href=\"/agent/tickets/{n}\"")), "the suspected ticket is linked");
    let path = format!("/agent/mail/{inbound_id}/reject");
    assert_eq!(agent.post(&path, &[("csrf_token", "wrong")]).await.status, 403, "CSRF checked");
    assert_eq!(agent.submit(&path, &[]).await.see_other(), "/agent/mail?msg=rejected");
    assert!(!agent.get("/agent/mail").await.ok().contains("ana@a.co"));
    // Deciding twice is refused.
    assert!(agent.submit(&path, &[]).await.ok().contains("ya no está retenido"));
}

async fn an_unknown_sender_is_held_until_an_agent_accepts_it(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let app = mail_app(&t, None);
    let done = ingest(&app, &corpus("28-unknown-sender.eml")).await;
    let Ingested::Held { inbound_id, reason, ticket: None } = &done else { panic!("{done:?}") };
    assert_eq!(reason, "unknown_sender");
    assert!(done.describe().starts_with("held for an agent: unknown_sender"));

    // Clients do not see the page.
    let client = Browser::sign_in(&t, t.fx.requester_a.email()).await;
    assert_eq!(client.get("/agent/mail").await.status, 404);

    let agent = Browser::sign_in(&t, t.fx.agent.email()).await;
    let html = agent.get("/agent/mail").await.ok().to_owned();
    assert!(html.contains("carlos.mendez@correo.test"), "sender");
    assert!(html.contains("Cotización para página web de mi tienda"), "subject");
    assert!(html.contains("tienda de café en Salento"), "text");
    assert!(html.contains("no es un contacto conocido"), "reason");
    assert!(html.contains(&format!("value=\"{}\"", t.fx.requester_b.email())), "contacts to pick from");

    let path = format!("/agent/mail/{inbound_id}/accept");
    assert!(agent.submit(&path, &[]).await.ok().contains("Elija un contacto"), "a choice is needed");
    let landed = agent.submit(&path, &[("requester", t.fx.requester_b.email())]).await.see_other().to_owned();
    let number: i64 = landed.rsplit('=').next().unwrap().parse().unwrap();
    assert_eq!(landed, format!("/agent/mail?msg=accepted&ticket={number}"));
    let detail = t.ticket(number, &t.fx.requester_b.token).await;
    assert_eq!(detail["ticket"]["channel"], "email");
    assert_eq!(detail["ticket"]["requester_id"], t.fx.requester_b.id());
    assert!(detail["ticket"]["body"].as_str().unwrap().contains("tienda de café en Salento"));
    assert!(!agent.get("/agent/mail").await.ok().contains("carlos.mendez@correo.test"), "no longer held");
}

async fn auto_replies_are_ignored_and_malformed_mail_rejected(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let app = mail_app(&t, None);
    let n = t.fx.ticket_a.to_string();
    let before = comments(&t.ticket(t.fx.ticket_a, &t.fx.agent.token).await).len();
    let auto = swap(&corpus("21-auto-submitted.eml"), &[("ana.gomez@camaraarmenia.test", "ana@a.co"), ("1042", &n)]);
    let done = ingest(&app, &auto).await;
    assert!(matches!(&done, Ingested::Ignored { reason, .. } if reason == "auto_submitted"), "{done:?}");
    // Our own mail coming back is a loop.
    let looped = message(DESK, "[#1] Recibimos su solicitud", "x@agencia.test", "", "Hola");
    assert!(matches!(ingest(&app, &looped).await, Ingested::Ignored { reason, .. } if reason == "loop"));
    assert_eq!(comments(&t.ticket(t.fx.ticket_a, &t.fx.agent.token).await).len(), before);

    for (file, code) in [("37-nul-bytes.eml", "nul_byte"), ("38-header-without-colon.eml", "header_without_colon")] {
        let done = ingest(&app, &corpus(file)).await;
        let Ingested::Rejected { error, .. } = &done else { panic!("{file}: {done:?}") };
        assert_eq!(error.code(), code);
        assert!(done.describe().starts_with("rejected: malformed message"), "{}", done.describe());
    }
    let done = ingest(&app, b"").await;
    assert!(done.is_rejected());
}

async fn the_same_message_twice_is_handled_once(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let app = mail_app(&t, None);
    let raw =
        message("ana@a.co", &format!("Re: [#{}] otra cosa", t.fx.ticket_a), "dos-veces@a.co", "", "Segundo aviso");
    let first = ingest(&app, &raw).await;
    assert!(matches!(first, Ingested::Reply { .. }), "{first:?}");
    let count = comments(&t.ticket(t.fx.ticket_a, &t.fx.agent.token).await).len();
    let second = ingest(&app, &raw).await;
    assert!(matches!(&second, Ingested::Duplicate { outcome, .. } if outcome == "reply"), "{second:?}");
    assert_eq!(comments(&t.ticket(t.fx.ticket_a, &t.fx.agent.token).await).len(), count);

    // Without a Message-ID the bytes themselves identify it.
    let bare = b"From: ana@a.co\r\nSubject: sin id\r\n\r\nNueva solicitud sin identificador\r\n".to_vec();
    assert!(matches!(ingest(&app, &bare).await, Ingested::NewTicket { .. }));
    assert!(matches!(ingest(&app, &bare).await, Ingested::Duplicate { .. }));
}

async fn another_organisation_cannot_reply_into_a_ticket(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let app = mail_app(&t, None);
    let before = comments(&t.ticket(t.fx.ticket_a, &t.fx.agent.token).await).len();
    let raw = message("beto@b.co", &format!("Re: [#{}] hola", t.fx.ticket_a), "intruso@b.co", "", "Me meto aquí");
    let done = ingest(&app, &raw).await;
    assert!(
        matches!(&done, Ingested::Held { reason, ticket, .. } if reason == "outside_organisation" && *ticket == Some(t.fx.ticket_a)),
        "{done:?}"
    );
    // A colleague who may not read the ticket is held too (an agent decides).
    let raw = message("andres@a.co", &format!("Re: [#{}] hola", t.fx.ticket_a), "colega@a.co", "", "Yo también");
    let done = ingest(&app, &raw).await;
    assert!(matches!(&done, Ingested::Held { reason, .. } if reason == "sender_cannot_see_ticket"), "{done:?}");
    // The manager of the organisation sees every ticket of it: their reply goes in.
    let raw = message("gerente@a.co", &format!("Re: [#{}] hola", t.fx.ticket_a), "gerente-1@a.co", "", "Autorizo");
    assert!(matches!(ingest(&app, &raw).await, Ingested::Reply { .. }));
    assert_eq!(comments(&t.ticket(t.fx.ticket_a, &t.fx.agent.token).await).len(), before + 1);
}
