//! Outgoing e-mail through a real SMTP server on loopback, started by each test: what
//! arrives (envelope, subject, text and HTML, Message-ID with a valid tag, In-Reply-To,
//! Auto-Submitted, attachments), a refusing server, an unreachable one, AUTH PLAIN, and no
//! SMTP at all (mail stays in the outbox).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use alcance_app::mail_templates::TicketMail;
use alcance_app::mailer::{self, MailSettings, SmtpSecurity, SmtpSettings};
use alcance_app::{App, account};
use alcance_domain::ticket::Status;
use alcance_mail::{TicketRef, message_id_for, ticket_from_references};
use alcance_store::repo::{tickets as ticket_repo, web};
use alcance_testkit::{TestBackend, on_both_backends};
use mail_parser::{MessageParser, MimeHeaders};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

use crate::browser::Browser;
use crate::support::{TestApp, spawn_app};

on_both_backends!(
    ticket_mail_arrives_threaded_with_text_html_and_tag,
    files_and_reset_mail_go_out_too,
    a_refusing_server_leaves_the_row_pending,
    an_unreachable_server_costs_no_attempt,
    auth_plain_is_used_when_configured,
    without_smtp_mail_stays_in_the_outbox,
    the_not_covered_notice_threads_under_its_ticket,
);

pub const SECRET: &[u8] = b"alcance-test-key";
pub const ID_DOMAIN: &str = "alcance.agencia.test";
pub const DESK: &str = "soporte@agencia.test";

/// One message as the SMTP server received it.
#[derive(Debug, Clone, Default)]
pub struct Received {
    pub mail_from: String,
    pub rcpt_to: Vec<String>,
    pub data: Vec<u8>,
    /// The AUTH PLAIN credentials, decoded ("\0user\0password").
    pub auth: Option<Vec<u8>>,
}

/// A minimal SMTP server on 127.0.0.1:0: EHLO, optional AUTH PLAIN, MAIL FROM, RCPT TO,
/// DATA, RSET, NOOP, QUIT. With `refuse`, MAIL FROM gets a permanent 550.
pub async fn smtp_server(refuse: bool) -> (u16, Arc<Mutex<Vec<Received>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let inbox = Arc::new(Mutex::new(Vec::new()));
    let kept = inbox.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let inbox = kept.clone();
            tokio::spawn(async move {
                let _ = session(socket, refuse, inbox).await;
            });
        }
    });
    (port, inbox)
}

async fn session(socket: tokio::net::TcpStream, refuse: bool, inbox: Arc<Mutex<Vec<Received>>>) -> std::io::Result<()> {
    let (read, mut write) = socket.into_split();
    let mut lines = BufReader::new(read);
    let mut current = Received::default();
    let mut auth = None;
    write.write_all(b"220 prueba.local ESMTP\r\n").await?;
    loop {
        let mut line = String::new();
        if lines.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let command = line.trim_end().to_owned();
        let upper = command.to_ascii_uppercase();
        let answer: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
            b"250-prueba.local\r\n250-AUTH PLAIN\r\n250 8BITMIME\r\n"
        } else if let Some(rest) = upper.strip_prefix("AUTH PLAIN") {
            let encoded = if rest.trim().is_empty() {
                write.write_all(b"334 \r\n").await?;
                let mut more = String::new();
                lines.read_line(&mut more).await?;
                more.trim().to_owned()
            } else {
                command["AUTH PLAIN".len()..].trim().to_owned()
            };
            auth = Some(base64_decode(&encoded));
            b"235 2.7.0 Authentication successful\r\n"
        } else if upper.starts_with("MAIL FROM:") {
            if refuse {
                b"550 5.7.1 Relaying denied\r\n"
            } else {
                current = Received { mail_from: address(&command), auth: auth.clone(), ..Received::default() };
                b"250 2.1.0 Ok\r\n"
            }
        } else if upper.starts_with("RCPT TO:") {
            current.rcpt_to.push(address(&command));
            b"250 2.1.5 Ok\r\n"
        } else if upper == "DATA" {
            write.write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n").await?;
            let mut data = Vec::new();
            loop {
                let mut raw = Vec::new();
                if lines.read_until(b'\n', &mut raw).await? == 0 {
                    return Ok(());
                }
                if raw == b".\r\n" {
                    break;
                }
                let unstuffed = if raw.starts_with(b"..") { &raw[1..] } else { &raw[..] };
                data.extend_from_slice(unstuffed);
            }
            current.data = data;
            inbox.lock().unwrap().push(std::mem::take(&mut current));
            b"250 2.0.0 Ok: queued\r\n"
        } else if upper == "QUIT" {
            write.write_all(b"221 2.0.0 Bye\r\n").await?;
            return Ok(());
        } else if upper == "RSET" || upper == "NOOP" {
            b"250 2.0.0 Ok\r\n"
        } else {
            b"502 5.5.2 Command not recognized\r\n"
        };
        write.write_all(answer).await?;
    }
}

fn address(command: &str) -> String {
    let start = command.find('<').map_or(0, |i| i + 1);
    let end = command.find('>').unwrap_or(command.len());
    command[start..end].to_owned()
}

fn base64_decode(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let (mut buffer, mut bits) = (0u32, 0);
    for c in text.bytes().filter(|c| *c != b'=') {
        let value = ALPHABET.iter().position(|a| *a == c).unwrap() as u32;
        buffer = (buffer << 6) | value;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
    }
    out
}

/// The test app with the desk's mail identity, and SMTP on `port` when given.
pub fn mail_app(t: &TestApp, port: Option<u16>) -> App {
    let mut settings = (*t.app.settings).clone();
    settings.mail = MailSettings {
        smtp: port.map(|port| SmtpSettings {
            host: "127.0.0.1".into(),
            port,
            security: SmtpSecurity::Plain,
            user: None,
            password: None,
            timeout: Duration::from_secs(5),
        }),
        from_address: DESK.into(),
        reply_to: Some(DESK.into()),
        secret: SECRET.to_vec(),
        id_domain: ID_DOMAIN.into(),
    };
    App { settings: Arc::new(settings), ..t.app.clone() }
}

/// Queues a notification about ticket `number` as the ticket use cases do.
pub async fn notify(app: &App, number: i64, kind: TicketMail, actor: Option<i64>) {
    let (settings, now) = (app.settings.clone(), app.now());
    app.store
        .write(move |c| {
            Box::pin(async move {
                let ticket = ticket_repo::by_number(c, number).await?.unwrap();
                mailer::notify_ticket_event(c, &settings, &ticket, kind, actor, now).await
            })
        })
        .await
        .unwrap();
}

/// Sends whatever the fixtures queued (once tickets notify, opening them queues mail) to a
/// throwaway server, so a test sees only its own mail; gives the last outbox id so far.
pub async fn drain(t: &TestApp) -> i64 {
    let (port, _sink) = smtp_server(false).await;
    mailer::deliver_pending(&mail_app(t, Some(port))).await.unwrap();
    account::outbox(&t.app, &t.fx.admin.actor()).await.unwrap().first().map_or(0, |m| m.id)
}

/// The outbox rows after `baseline`, newest first.
async fn outbox(t: &TestApp, baseline: i64) -> Vec<web::OutboxEmail> {
    let rows = account::outbox(&t.app, &t.fx.admin.actor()).await.unwrap();
    rows.into_iter().filter(|m| m.id > baseline).collect()
}

fn ids(value: &mail_parser::HeaderValue<'_>) -> Vec<String> {
    value.as_text_list().map(|l| l.iter().map(|s| s.to_string()).collect()).unwrap_or_default()
}

async fn ticket_mail_arrives_threaded_with_text_html_and_tag(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let baseline = drain(&t).await;
    let fx = &t.fx;
    let (port, inbox) = smtp_server(false).await;
    let app = mail_app(&t, Some(port));
    notify(&app, fx.ticket_a, TicketMail::Acknowledged, None).await;
    let reply = TicketMail::AgentReply { agent: "Agente".into(), body: "Ya quedó <listo> & probado".into() };
    notify(&app, fx.ticket_a, reply, Some(fx.agent.id())).await;
    // Nobody hears about their own action.
    notify(&app, fx.ticket_a, TicketMail::StatusChanged { to: Status::Resolved }, Some(fx.requester_a.id())).await;

    assert_eq!(mailer::deliver_pending(&app).await.unwrap(), 2);
    let got = inbox.lock().unwrap().clone();
    assert_eq!(got.len(), 2);
    let root = message_id_for(fx.ticket_a, SECRET, ID_DOMAIN, "");
    for (mail, expected_subject) in got.iter().zip(["Recibimos su solicitud", "Nueva respuesta"]) {
        assert_eq!(mail.mail_from, DESK);
        assert_eq!(mail.rcpt_to, vec![fx.requester_a.email().to_owned()]);
        let m = MessageParser::default().parse(&mail.data).unwrap();
        let subject = m.subject().unwrap();
        assert!(subject.starts_with(&format!("[#{}] {expected_subject}", fx.ticket_a)), "{subject}");
        let id = m.message_id().unwrap().to_owned();
        assert!(id.ends_with(&format!("@{ID_DOMAIN}")) && id.starts_with(&format!("t{}.", fx.ticket_a)), "{id}");
        assert_eq!(ticket_from_references(std::slice::from_ref(&id), SECRET), TicketRef::Valid(fx.ticket_a));
        assert_eq!(ticket_from_references(&[id], b"another-secret"), TicketRef::Forged(fx.ticket_a));
        let root_bare = root.trim_matches(['<', '>']).to_owned();
        assert_eq!(ids(m.in_reply_to()), vec![root_bare.clone()]);
        assert_eq!(ids(m.references()), vec![root_bare]);
        assert_eq!(m.header_raw("Auto-Submitted").map(str::trim), Some("auto-generated"));
        assert!(m.header_raw("Reply-To").unwrap().contains(DESK));
        assert!(m.header_raw("Date").is_some());
        let text = m.body_text(0).unwrap();
        assert!(text.contains("Hola, Ana:"), "{text}");
        assert!(text.contains(&format!("/portal/tickets/{}", fx.ticket_a)), "{text}");
        let html = m.body_html(0).unwrap();
        assert!(html.contains("<p>Hola, Ana:</p>"), "{html}");
        assert_eq!(m.content_type().unwrap().subtype(), Some("alternative"));
    }
    let second = MessageParser::default().parse(&got[1].data).unwrap();
    assert!(second.body_text(0).unwrap().contains("> Ya quedó <listo> & probado"));
    assert!(second.body_html(0).unwrap().contains("Ya quedó &lt;listo&gt; &amp; probado"));
    let first_id = MessageParser::default().parse(&got[0].data).unwrap().message_id().unwrap().to_owned();
    assert_ne!(first_id, second.message_id().unwrap(), "each mail has its own Message-ID");

    // Marked sent: the next run sends nothing again.
    assert!(
        outbox(&t, baseline).await.iter().all(|m| m.sent_at.is_some() && m.attempts == 1 && m.last_error.is_none())
    );
    assert_eq!(mailer::deliver_pending(&app).await.unwrap(), 0);
    assert_eq!(inbox.lock().unwrap().len(), 2);
}

async fn files_and_reset_mail_go_out_too(backend: TestBackend) {
    let t = spawn_app(backend).await;
    drain(&t).await;
    let fx = &t.fx;
    let (port, inbox) = smtp_server(false).await;
    let app = mail_app(&t, Some(port));
    // A quote-style mail with a PDF, queued through the plain outbox API.
    let now = app.now();
    let to = fx.manager_a.email().to_owned();
    app.store
        .write(move |c| {
            Box::pin(async move {
                let id =
                    web::enqueue_email(c, &to, "Cotización Q-1", "Adjuntamos la cotización.\nGracias.", now).await?;
                web::attach_to_email(c, id, "Q-1.pdf", "application/pdf", b"%PDF-1.4 prueba".to_vec()).await
            })
        })
        .await
        .unwrap();
    account::request_password_reset(&app, fx.requester_b.email(), "https://soporte.test", |user, link| {
        account::ResetMail { subject: format!("Restablecer {}", user.name), body: format!("Enlace: {link}") }
    })
    .await
    .unwrap();

    assert_eq!(mailer::deliver_pending(&app).await.unwrap(), 2);
    let got = inbox.lock().unwrap().clone();
    let quote = got.iter().find(|m| m.rcpt_to == [fx.manager_a.email()]).expect("the quote mail");
    let m = MessageParser::default().parse(&quote.data).unwrap();
    assert_eq!(m.subject(), Some("Cotización Q-1"));
    assert_eq!(m.content_type().unwrap().subtype(), Some("mixed"));
    assert!(m.body_text(0).unwrap().contains("Adjuntamos la cotización."));
    assert!(m.body_html(0).unwrap().contains("<p>Adjuntamos la cotización.<br>"), "HTML made from the text");
    let files: Vec<_> =
        m.attachments().map(|a| (a.attachment_name().unwrap().to_owned(), a.contents().to_vec())).collect();
    assert_eq!(files, vec![("Q-1.pdf".to_owned(), b"%PDF-1.4 prueba".to_vec())]);
    // Not about a ticket: a random id in our domain, and no thread headers.
    let id = m.message_id().unwrap();
    assert!(id.starts_with('o') && id.ends_with(ID_DOMAIN), "{id}");
    assert!(m.header_raw("In-Reply-To").is_none());

    let reset = got.iter().find(|m| m.rcpt_to == [fx.requester_b.email()]).expect("the reset mail");
    let m = MessageParser::default().parse(&reset.data).unwrap();
    assert!(m.body_text(0).unwrap().contains("https://soporte.test/reset/r_"));
}

async fn a_refusing_server_leaves_the_row_pending(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let baseline = drain(&t).await;
    let (port, inbox) = smtp_server(true).await;
    let app = mail_app(&t, Some(port));
    notify(&app, t.fx.ticket_b, TicketMail::Acknowledged, None).await;
    assert_eq!(mailer::deliver_pending(&app).await.unwrap(), 0);
    assert!(inbox.lock().unwrap().is_empty());
    let row = outbox(&t, baseline).await.into_iter().next().unwrap();
    assert!(row.sent_at.is_none());
    assert_eq!(row.attempts, 1);
    let error = row.last_error.unwrap();
    assert!(error.contains("550") || error.contains("Relaying denied"), "{error}");

    // A working server later: the same row goes out, its attempt counted.
    let (port, inbox) = smtp_server(false).await;
    let app = mail_app(&t, Some(port));
    assert_eq!(mailer::deliver_pending(&app).await.unwrap(), 1);
    assert_eq!(inbox.lock().unwrap()[0].rcpt_to, vec![t.fx.requester_b.email().to_owned()]);
    let row = outbox(&t, baseline).await.into_iter().next().unwrap();
    assert!(row.sent_at.is_some() && row.last_error.is_none());
    assert_eq!(row.attempts, 2);
}

async fn an_unreachable_server_costs_no_attempt(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let baseline = drain(&t).await;
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let app = mail_app(&t, Some(closed));
    notify(&app, t.fx.ticket_a, TicketMail::Acknowledged, None).await;
    for _ in 0..6 {
        assert_eq!(mailer::deliver_pending(&app).await.unwrap(), 0);
    }
    let row = outbox(&t, baseline).await.into_iter().next().unwrap();
    assert!(row.sent_at.is_none());
    assert_eq!(row.attempts, 0, "an outage is not the message's fault");
    assert!(row.last_error.unwrap().contains("unavailable"));
}

async fn auth_plain_is_used_when_configured(backend: TestBackend) {
    let t = spawn_app(backend).await;
    drain(&t).await;
    let (port, inbox) = smtp_server(false).await;
    let mut app = mail_app(&t, Some(port));
    let mut settings = (*app.settings).clone();
    if let Some(smtp) = settings.mail.smtp.as_mut() {
        smtp.user = Some("soporte".into());
        smtp.password = Some("clave-secreta".into());
    }
    app.settings = Arc::new(settings);
    notify(&app, t.fx.ticket_a, TicketMail::Acknowledged, None).await;
    assert_eq!(mailer::deliver_pending(&app).await.unwrap(), 1);
    let got = inbox.lock().unwrap().clone();
    assert_eq!(got[0].auth.as_deref(), Some(&b"\0soporte\0clave-secreta"[..]));
}

async fn without_smtp_mail_stays_in_the_outbox(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let baseline = drain(&t).await;
    let app = mail_app(&t, None);
    notify(&app, t.fx.ticket_a, TicketMail::Acknowledged, None).await;
    assert_eq!(mailer::deliver_pending(&app).await.unwrap(), 0);
    let rows = outbox(&t, baseline).await;
    assert_eq!(rows.len(), 1);
    assert!(rows[0].sent_at.is_none() && rows[0].attempts == 0 && rows[0].last_error.is_none());
    assert!(rows[0].subject.starts_with(&format!("[#{}]", t.fx.ticket_a)));
    // Admins read it on /admin/outbox.
    let admin = Browser::sign_in(&t, t.fx.admin.email()).await;
    let page = admin.get("/admin/outbox").await;
    assert!(page.ok().contains(&format!("[#{}] Recibimos su solicitud", t.fx.ticket_a)));
}

async fn the_not_covered_notice_threads_under_its_ticket(backend: TestBackend) {
    let t = spawn_app(backend).await;
    drain(&t).await;
    let fx = &t.fx;
    let (port, inbox) = smtp_server(false).await;
    let app = mail_app(&t, Some(port));
    let change = alcance_app::tickets::TicketChange { category: Some("new_feature".into()), ..Default::default() };
    alcance_app::tickets::change(&app, &fx.agent.actor(), fx.ticket_a, change).await.unwrap();
    mailer::deliver_pending(&app).await.unwrap();
    let got = inbox.lock().unwrap().clone();
    let notice = got
        .iter()
        .map(|mail| MessageParser::default().parse(&mail.data).unwrap())
        .find(|m| m.subject().is_some_and(|s| s.contains("fuera del alcance")))
        .expect("the not-covered notice went out");
    let root = message_id_for(fx.ticket_a, SECRET, ID_DOMAIN, "").trim_matches(['<', '>']).to_owned();
    assert_eq!(ids(notice.in_reply_to()), vec![root]);
    let id = notice.message_id().unwrap().to_owned();
    assert_eq!(ticket_from_references(&[id], SECRET), TicketRef::Valid(fx.ticket_a));
}
