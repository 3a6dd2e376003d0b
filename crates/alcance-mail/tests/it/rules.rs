//! Intake rules and decoding cases beyond the corpus, on messages built here.

use alcance_mail::{AutoReason, Desk, Intake, MailError, Parsed, TicketInfo, decide, message_id_for, parse};

const SECRET: &[u8] = b"alcance-test-key";
const DESK: Desk<'static> =
    Desk { secret: SECRET, id_domain: "alcance.agencia.test", own_addresses: &["soporte@agencia.test"] };

fn known(address: &str) -> Option<&'static str> {
    match address {
        "ana.gomez@camaraarmenia.test" | "jorge.rios@camaraarmenia.test" => Some("camara"),
        "l.perez@uniquindio.test" => Some("uniquindio"),
        _ => None,
    }
}

fn tickets(n: i64) -> Option<TicketInfo<&'static str>> {
    match n {
        1042 => Some(TicketInfo { org: "camara", extra_senders: vec!["Auditor@Externo.test".into()] }),
        1043 => Some(TicketInfo { org: "uniquindio", extra_senders: Vec::new() }),
        _ => None,
    }
}

/// A message with the given extra headers (each a full line) and body.
fn mail(from: &str, subject: &str, headers: &[&str], body: &[u8]) -> Vec<u8> {
    let mut raw = format!("From: {from}\r\nTo: soporte@agencia.test\r\nSubject: {subject}\r\n");
    for h in headers {
        raw.push_str(h);
        raw.push_str("\r\n");
    }
    let mut raw = raw.into_bytes();
    raw.extend_from_slice(b"\r\n");
    raw.extend_from_slice(body);
    raw
}

fn parsed(raw: &[u8]) -> Parsed {
    parse(raw).unwrap()
}

fn intake(raw: &[u8]) -> Intake {
    decide(&parsed(raw), &DESK, known, tickets)
}

#[test]
fn new_ticket_and_unknown_sender() {
    assert_eq!(intake(&mail("l.perez@uniquindio.test", "Hola", &[], b"x")), Intake::NewTicket);
    // Sender addresses are matched without regard to case.
    assert_eq!(intake(&mail("L.Perez@UNIQUINDIO.test", "Hola", &[], b"x")), Intake::NewTicket);
    assert_eq!(intake(&mail("otro@correo.test", "Hola", &[], b"x")), Intake::HoldUnknownSender);
}

#[test]
fn subject_tag_threads_only_within_the_organisation() {
    assert_eq!(intake(&mail("l.perez@uniquindio.test", "Re: [#1043] x", &[], b"x")), Intake::Reply(1043));
    assert_eq!(intake(&mail("l.perez@uniquindio.test", "Re: [#1042] x", &[], b"x")), Intake::HoldSuspicious(1042));
    // Explicitly allowed outsiders may reply.
    assert_eq!(intake(&mail("auditor@externo.test", "[#1042]", &[], b"x")), Intake::HoldUnknownSender);
    let allowed = |a: &str| known(a).or((a == "auditor@externo.test").then_some("externo"));
    let p = parsed(&mail("auditor@externo.test", "[#1042]", &[], b"x"));
    assert_eq!(decide(&p, &DESK, allowed, tickets), Intake::Reply(1042));
    // A tag for a ticket that does not exist opens a new one.
    assert_eq!(intake(&mail("l.perez@uniquindio.test", "[#9999] x", &[], b"x")), Intake::NewTicket);
}

#[test]
fn message_id_tags_thread_and_forgeries_are_held() {
    let ours = message_id_for(1043, SECRET, "alcance.agencia.test", "out-17");
    let irt = format!("In-Reply-To: {ours}");
    assert_eq!(intake(&mail("l.perez@uniquindio.test", "Re: x", &[&irt], b"x")), Intake::Reply(1043));
    // The authenticated reference outranks a subject tag.
    assert_eq!(intake(&mail("l.perez@uniquindio.test", "Re: [#1042]", &[&irt], b"x")), Intake::Reply(1043));
    let forged = "References: <a@b> <t1043.0123456789@alcance.agencia.test>";
    assert_eq!(intake(&mail("l.perez@uniquindio.test", "Re: [#1043]", &[forged], b"x")), Intake::HoldSuspicious(1043));
    // Forgeries are held even from strangers, so agents see the attempt.
    assert_eq!(intake(&mail("x@correo.test", "Re: x", &[forged], b"x")), Intake::HoldSuspicious(1043));
    // A stranger quoting a genuine id is still just an unknown sender.
    assert_eq!(intake(&mail("x@correo.test", "Re: x", &[&irt], b"x")), Intake::HoldUnknownSender);
}

#[test]
fn automatic_mail_and_loops_are_ignored() {
    let cases: &[(&[&str], &str, &str)] = &[
        (&["Auto-Submitted: auto-generated"], "l.perez@uniquindio.test", "[#1043]"),
        (&["X-Autoreply: yes"], "l.perez@uniquindio.test", "x"),
        (&["Precedence: junk"], "l.perez@uniquindio.test", "x"),
        (&["List-Unsubscribe: <mailto:x@y>"], "l.perez@uniquindio.test", "x"),
        (&["Return-Path: <>"], "l.perez@uniquindio.test", "x"),
        (&[], "postmaster@uniquindio.test", "x"),
        (&[], "l.perez@uniquindio.test", "Automatic reply: Out of office"),
        (&[], "Soporte@Agencia.test", "Hola"),
        (&["Message-ID: <t1.0000000000@Alcance.Agencia.test>"], "l.perez@uniquindio.test", "x"),
    ];
    for (headers, from, subject) in cases {
        assert_eq!(intake(&mail(from, subject, headers, b"x")), Intake::IgnoreAuto, "{headers:?} {from} {subject}");
    }
    let p = parsed(&mail("l.perez@uniquindio.test", "x", &["Auto-Submitted: no"], b"x"));
    assert_eq!(p.automatic, None);
    let p = parsed(&mail(
        "a@b.test",
        "x",
        &["Content-Type: multipart/report; report-type=disposition-notification; boundary=b"],
        b"--b--\r\n",
    ));
    assert_eq!(p.automatic, Some(AutoReason::Bounce));
}

#[test]
fn wrong_or_missing_charset_is_repaired() {
    let latin1_8bit = mail(
        "a@b.test",
        "x",
        &["Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 8bit"],
        b"La se\xf1ora pag\xf3 \x80 50.\r\n",
    );
    assert_eq!(parsed(&latin1_8bit).text, "La señora pagó € 50.");
    let latin1_qp = mail(
        "a@b.test",
        "x",
        &["Content-Type: text/plain; charset=\"UTF-8\"", "Content-Transfer-Encoding: quoted-printable"],
        b"Direcci=F3n de la se=\r\n=F1ora =3D ok\r\n",
    );
    assert_eq!(parsed(&latin1_qp).text, "Dirección de la señora = ok");
    let raw_utf8_header = mail("\"Núñez\" <n@b.test>", "Índice ñ", &[], "cuerpo".as_bytes());
    let p = parsed(&raw_utf8_header);
    assert_eq!((p.subject.as_str(), p.from_name.as_deref()), ("Índice ñ", Some("Núñez")));
}

#[test]
fn html_replies_lose_their_quoted_history() {
    let gmail = mail(
        "a@b.test",
        "Re: x",
        &["Content-Type: text/html; charset=utf-8"],
        "<div dir=\"ltr\">Ya funciona.</div><div class=\"gmail_quote\"><div class=\"gmail_attr\">El lun, 3 mar 2025, Soporte &lt;s@a.test&gt; escribió:<br></div>\
         <blockquote class=\"gmail_quote\">Texto viejo<br>más viejo</blockquote></div>"
            .as_bytes(),
    );
    assert_eq!(parsed(&gmail).text, "Ya funciona.");
    let outlook = mail(
        "a@b.test",
        "RE: x",
        &["Content-Type: text/html; charset=utf-8"],
        b"<p>Listo, gracias.</p><hr><p><b>De:</b> Soporte<br><b>Enviado:</b> lunes<br><b>Asunto:</b> x</p><p>Viejo</p>",
    );
    assert_eq!(parsed(&outlook).text, "Listo, gracias.");
}

#[test]
fn structural_errors() {
    assert_eq!(parse(b"To: a@b\r\nSubject: x\r\n\r\nbody"), Err(MailError::MissingFrom));
    assert_eq!(parse(b""), Err(MailError::Empty));
    assert!(matches!(parse(b"From: a@b\r\nNo colon here\r\n\r\n"), Err(MailError::HeaderWithoutColon { line: 2, .. })));
}
