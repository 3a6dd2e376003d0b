//! The texts of the e-mails Alcance sends, in Spanish (first) and English, as plain text and
//! HTML.
//!
//! Why here and not in Fluent files: the interface's `.ftl` files are embedded in
//! `alcance-web`, and the app layer (which queues mail inside the transaction of the change
//! that causes it, also from jobs and the CLI) must not depend on the web crate. The texts are
//! few and short, so they live as data in this module, one table per language; a test checks
//! that both languages render every kind.
//!
//! Every subject of a ticket mail carries `[#N]`, so that a reply threads by subject even when
//! the client's mail program drops In-Reply-To/References.

use alcance_domain::ticket::Status;

/// A message ready for the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// The recipient's language: Spanish unless they chose English.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailLang {
    Es,
    En,
}

impl MailLang {
    pub fn from_code(code: &str) -> MailLang {
        if code.eq_ignore_ascii_case("en") { MailLang::En } else { MailLang::Es }
    }
}

/// What a ticket mail is about, with what its text needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TicketMail {
    /// The request was received (it carries the number to quote).
    Acknowledged,
    /// An agent's public reply.
    AgentReply { agent: String, body: String },
    /// The status changed.
    StatusChanged { to: Status },
    /// The request is outside the support contract: the client decides how to go on.
    NotCovered { clause: String },
    /// An SLA target is close to its due time (to staff).
    SlaWarning { target: String, due: String },
}

/// The facts every ticket mail shows.
#[derive(Debug, Clone)]
pub struct TicketFacts<'a> {
    pub number: i64,
    pub subject: &'a str,
    /// The recipient's name.
    pub name: &'a str,
    /// The ticket's page for the recipient.
    pub link: &'a str,
    /// The agency's name, to sign with.
    pub brand: &'a str,
}

/// A ticket mail in `lang`.
pub fn ticket_mail(lang: MailLang, kind: &TicketMail, f: &TicketFacts<'_>) -> Rendered {
    let es = lang == MailLang::Es;
    let n = f.number;
    let (subject, lines, quote): (String, Vec<String>, Option<&str>) = match kind {
        TicketMail::Acknowledged => (
            if es {
                format!("[#{n}] Recibimos su solicitud: {}", f.subject)
            } else {
                format!("[#{n}] We received your request: {}", f.subject)
            },
            if es {
                vec![
                    format!("Recibimos su solicitud «{}» y le asignamos el número #{n}.", f.subject),
                    "Para añadir información, responda a este correo conservando [#".to_owned()
                        + &n.to_string()
                        + "] en el asunto.",
                ]
            } else {
                vec![
                    format!("We received your request “{}” and gave it number #{n}.", f.subject),
                    format!("To add information, reply to this e-mail keeping [#{n}] in the subject."),
                ]
            },
            None,
        ),
        TicketMail::AgentReply { agent, body } => (
            if es {
                format!("[#{n}] Nueva respuesta: {}", f.subject)
            } else {
                format!("[#{n}] New reply: {}", f.subject)
            },
            if es {
                vec![format!("{agent} respondió a su solicitud #{n}:")]
            } else {
                vec![format!("{agent} replied to your request #{n}:")]
            },
            Some(body.as_str()),
        ),
        TicketMail::StatusChanged { to } => (
            if es {
                format!("[#{n}] Estado: {} — {}", status_label(lang, *to), f.subject)
            } else {
                format!("[#{n}] Status: {} — {}", status_label(lang, *to), f.subject)
            },
            if es {
                vec![format!("Su solicitud #{n} «{}» pasó a «{}».", f.subject, status_label(lang, *to))]
            } else {
                vec![format!("Your request #{n} “{}” is now “{}”.", f.subject, status_label(lang, *to))]
            },
            None,
        ),
        TicketMail::NotCovered { clause } => (
            if es {
                format!("[#{n}] Su solicitud no está cubierta: {}", f.subject)
            } else {
                format!("[#{n}] Your request is not covered: {}", f.subject)
            },
            if es {
                vec![
                    format!("Revisamos su solicitud #{n} «{}» y no está cubierta por su contrato de soporte.", f.subject),
                    format!("Motivo: {clause}"),
                    "Puede pedir una cotización, usar horas prepagadas si su política lo permite, o desistir. Elija en el enlace.".to_owned(),
                ]
            } else {
                vec![
                    format!("We reviewed your request #{n} “{}” and it is not covered by your support contract.", f.subject),
                    format!("Reason: {clause}"),
                    "You can ask for a quote, use prepaid hours where your policy allows it, or decline. Choose at the link.".to_owned(),
                ]
            },
            None,
        ),
        TicketMail::SlaWarning { target, due } => (
            if es {
                format!("[#{n}] Aviso de ANS: {target} vence {due}")
            } else {
                format!("[#{n}] SLA warning: {target} due {due}")
            },
            if es {
                vec![format!("La solicitud #{n} «{}» está cerca de incumplir su ANS: {target} vence {due}.", f.subject)]
            } else {
                vec![format!("Request #{n} “{}” is close to breaching its SLA: {target} is due {due}.", f.subject)]
            },
            None,
        ),
    };
    let greeting = if es { format!("Hola, {}:", f.name) } else { format!("Hello {},", f.name) };
    let see = if es { "Ver la solicitud" } else { "See the request" };
    compose(subject, &greeting, &lines, quote, (see, f.link), f.brand)
}

/// The password reset mail: a single-use link valid for `hours` hours.
pub fn password_reset(lang: MailLang, name: &str, link: &str, hours: i64, brand: &str) -> Rendered {
    let (subject, greeting, lines, action) = match lang {
        MailLang::Es => (
            format!("{brand}: restablecer su contraseña"),
            format!("Hola, {name}:"),
            vec![
                format!(
                    "Alguien (ojalá usted) pidió restablecer su contraseña. El enlace sirve una sola vez durante {hours} horas."
                ),
                "Si no lo pidió, ignore este correo: su contraseña no cambia.".to_owned(),
            ],
            "Restablecer la contraseña",
        ),
        MailLang::En => (
            format!("{brand}: reset your password"),
            format!("Hello {name},"),
            vec![
                format!(
                    "Someone (hopefully you) asked to reset your password. The link works once, for {hours} hours."
                ),
                "If you did not ask for it, ignore this e-mail: your password stays the same.".to_owned(),
            ],
            "Reset the password",
        ),
    };
    compose(subject, &greeting, &lines, None, (action, link), brand)
}

/// The status name as the recipient reads it (same words as the interface's Fluent files).
pub fn status_label(lang: MailLang, status: Status) -> &'static str {
    let es = lang == MailLang::Es;
    match status {
        Status::New => {
            if es {
                "Nueva"
            } else {
                "New"
            }
        }
        Status::Open => {
            if es {
                "Abierta"
            } else {
                "Open"
            }
        }
        Status::InProgress => {
            if es {
                "En curso"
            } else {
                "In progress"
            }
        }
        Status::WaitingOnClient => {
            if es {
                "Esperando al cliente"
            } else {
                "Waiting on client"
            }
        }
        Status::AwaitingDecision => {
            if es {
                "No cubierta: esperando decisión"
            } else {
                "Not covered: awaiting decision"
            }
        }
        Status::QuoteRequested => {
            if es {
                "Cotización solicitada"
            } else {
                "Quote requested"
            }
        }
        Status::Quoted => {
            if es {
                "Cotización enviada"
            } else {
                "Quote sent"
            }
        }
        Status::Resolved => {
            if es {
                "Resuelta"
            } else {
                "Resolved"
            }
        }
        Status::Closed => {
            if es {
                "Cerrada"
            } else {
                "Closed"
            }
        }
    }
}

/// Text and HTML from the same pieces; everything that came from people is escaped.
fn compose(
    subject: String,
    greeting: &str,
    lines: &[String],
    quote: Option<&str>,
    (action, link): (&str, &str),
    brand: &str,
) -> Rendered {
    let mut text = format!("{greeting}\n\n");
    let mut html = format!("<!DOCTYPE html>\n<html><body>\n<p>{}</p>\n", escape(greeting));
    for line in lines {
        text.push_str(line);
        text.push_str("\n\n");
        html.push_str(&format!("<p>{}</p>\n", escape(line)));
    }
    if let Some(quote) = quote {
        for line in quote.lines() {
            text.push_str("> ");
            text.push_str(line);
            text.push('\n');
        }
        text.push('\n');
        html.push_str(&format!("<blockquote>{}</blockquote>\n", text_to_html(quote)));
    }
    text.push_str(&format!("{action}: {link}\n\n-- \n{brand}\n"));
    html.push_str(&format!(
        "<p><a href=\"{}\">{}</a></p>\n<p>-- <br>{}</p>\n</body></html>\n",
        escape(link),
        escape(action),
        escape(brand)
    ));
    Rendered { subject: subject.replace(['\r', '\n'], " "), text, html }
}

/// HTML-escapes text for element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Plain text as HTML: escaped, blank lines become paragraphs, line breaks stay.
pub fn text_to_html(text: &str) -> String {
    text.replace("\r\n", "\n")
        .split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .map(|p| format!("<p>{}</p>", escape(p.trim_matches('\n')).replace('\n', "<br>\n")))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A whole HTML document for a plain-text mail (outbox rows queued without HTML).
pub fn html_document(text: &str) -> String {
    format!("<!DOCTYPE html>\n<html><body>\n{}\n</body></html>\n", text_to_html(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> TicketFacts<'static> {
        TicketFacts { number: 42, subject: "No <carga>", name: "Ana", link: "https://x/t/42?a=1&b=2", brand: "Agencia" }
    }

    #[test]
    fn every_kind_renders_in_both_languages_with_the_number_and_escaped_html() {
        let kinds = [
            TicketMail::Acknowledged,
            TicketMail::AgentReply { agent: "Luis".into(), body: "Hecho <b>ya</b>\n\nSegundo".into() },
            TicketMail::StatusChanged { to: Status::Resolved },
            TicketMail::NotCovered { clause: "Desarrollo nuevo".into() },
            TicketMail::SlaWarning { target: "Primera respuesta".into(), due: "10:00".into() },
        ];
        for lang in [MailLang::Es, MailLang::En] {
            for kind in &kinds {
                let r = ticket_mail(lang, kind, &facts());
                assert!(r.subject.starts_with("[#42] "), "{lang:?} {kind:?}: {}", r.subject);
                assert!(r.text.contains("https://x/t/42?a=1&b=2"), "{}", r.text);
                assert!(r.html.contains("https://x/t/42?a=1&amp;b=2"), "{}", r.html);
                assert!(!r.html.contains("<carga>") && !r.html.contains("<b>ya"), "escaped: {}", r.html);
            }
        }
        let es = ticket_mail(MailLang::Es, &TicketMail::Acknowledged, &facts());
        let en = ticket_mail(MailLang::En, &TicketMail::Acknowledged, &facts());
        assert!(es.text.contains("Recibimos") && en.text.contains("We received"));
        let reply = ticket_mail(MailLang::Es, &kinds[1], &facts());
        assert!(reply.text.contains("> Hecho <b>ya</b>"), "{}", reply.text);
        assert!(reply.html.contains("<blockquote><p>Hecho &lt;b&gt;ya&lt;/b&gt;</p>\n<p>Segundo</p></blockquote>"));
    }

    #[test]
    fn reset_mail_and_plain_text_documents() {
        let r = password_reset(MailLang::En, "Ana", "https://x/reset/r_1", 2, "Agencia");
        assert!(r.text.contains("https://x/reset/r_1") && r.text.contains("2 hours"));
        assert!(password_reset(MailLang::Es, "Ana", "l", 2, "A").subject.contains("restablecer"));
        assert_eq!(text_to_html("a & b\nc\n\n\nd"), "<p>a &amp; b<br>\nc</p>\n<p>d</p>");
    }
}
