//! The "No Cubierta" flow (policy sections 2, 3 and 5): when a request is classified not
//! covered, its requester is told by e-mail (through the outbox, in their language) which
//! clause applies, in plain words, and how to go on; the client then answers in the portal:
//! ask for a quote, use prepaid hours (when the category allows it), or not go on. Every
//! answer is a `client_decision` event in the ticket's history.
//!
//! Quotes and hour balances arrive with the next issue; until then a decision is recorded
//! and moves the request as far as is honest today: a quote request goes to
//! `quote_requested`, hours stay in `awaiting_decision` for the team to confirm the balance,
//! and declining closes the request.

use alcance_domain::model::{EventKind, Ticket};
use alcance_domain::policy::{Category, Policy};
use alcance_domain::ticket::{Coverage, Status};
use alcance_domain::{FieldError, FieldErrorCode, validate};
use alcance_store::Conn;
use alcance_store::repo::{comments, tickets, users, web};
use chrono::{DateTime, Utc};
use serde_json::json;

use crate::history::Event;
use crate::{Actor, App, AppError, Settings};

/// The reason recorded when a client declines a not-covered request (shown in the history).
pub const DECLINED_REASON: &str = "El cliente no desea continuar";

/// What a client chose for a not-covered request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    /// A quote for the work as an independent project (policy section 3).
    Quote,
    /// Prepaid hours (policy section 5), where the category allows them.
    Hours,
    /// The client does not want to go on: the request is closed.
    Decline,
}

impl Choice {
    pub const ALL: [Choice; 3] = [Choice::Quote, Choice::Hours, Choice::Decline];

    pub fn as_str(self) -> &'static str {
        match self {
            Choice::Quote => "quote",
            Choice::Hours => "hours",
            Choice::Decline => "decline",
        }
    }

    /// Parses "quote", "hours" or "decline"; anything else is an unknown value of `field`.
    pub fn parse(field: &str, value: &str) -> Result<Choice, FieldError> {
        Choice::ALL
            .into_iter()
            .find(|c| c.as_str() == value)
            .ok_or_else(|| FieldError::new(field, FieldErrorCode::UnknownValue).with_detail("quote, hours, decline"))
    }

    /// The status the request takes after this choice, if it moves.
    fn next_status(self) -> Option<Status> {
        match self {
            Choice::Quote => Some(Status::QuoteRequested),
            // The work starts; agents' time on it is consumed from the packages.
            Choice::Hours => Some(Status::InProgress),
            Choice::Decline => Some(Status::Closed),
        }
    }
}

/// Records a client contact's decision on a request waiting for one, in one transaction: the
/// `client_decision` event, the optional comment as a public reply, and the status change.
/// Only contacts who can see the request may decide (others get `NotFound`), only while it
/// is `awaiting_decision`, and hours only when the category's policy allows hour packages.
pub async fn record_client_decision(
    app: &App,
    actor: &Actor,
    number: i64,
    choice: Choice,
    comment: Option<&str>,
) -> Result<Ticket, AppError> {
    let comment = comment.map(str::trim).filter(|c| !c.is_empty()).map(|c| validate::body("comment", c)).transpose()?;
    let current = {
        let actor = actor.clone();
        app.store
            .read(move |c| {
                Box::pin(async move {
                    tickets::by_number(c, number).await?.filter(|t| actor.can_see_ticket(t)).ok_or(AppError::NotFound)
                })
            })
            .await?
    };
    if actor.is_staff() {
        return Err(AppError::Forbidden);
    }
    if choice == Choice::Hours {
        let category = match current.policy_id {
            Some(id) => app
                .policies
                .get(&app.store, id)
                .await?
                .category(current.category.as_deref().unwrap_or(""))
                .is_some_and(|c| c.hour_packages),
            None => false,
        };
        if !category {
            return Err(AppError::field("choice", FieldErrorCode::NotAllowed));
        }
    }
    let actor = actor.clone();
    let now = app.now();
    app.store
        .write(move |c| {
            Box::pin(async move {
                let mut t = tickets::by_number(c, number)
                    .await?
                    .filter(|t| actor.can_see_ticket(t))
                    .ok_or(AppError::NotFound)?;
                if t.status == Status::Closed {
                    return Err(AppError::TicketClosed);
                }
                if t.status != Status::AwaitingDecision || t.coverage != Coverage::NotCovered {
                    let to = choice.next_status().unwrap_or(Status::AwaitingDecision);
                    return Err(AppError::Transition {
                        from: t.status,
                        to,
                        why: alcance_domain::ticket::TransitionError::NotAllowed,
                    });
                }
                let who = Some(actor.id());
                let mut after = json!({"choice": choice.as_str(), "category": t.category});
                if let Some(body) = &comment {
                    let saved = comments::insert(c, t.id, actor.id(), body, false, now).await?;
                    Event::new(EventKind::Replied)
                        .after(json!({"comment_id": saved.id}))
                        .record(c, t.id, who, now)
                        .await?;
                    after["comment_id"] = json!(saved.id);
                    after["comment"] = json!(body);
                }
                if choice == Choice::Hours {
                    require_balance(c, &t, now).await?;
                    alcance_store::repo::hours::set_funding(c, t.id, "hours", None, now).await?;
                }
                Event::new(EventKind::ClientDecision).after(after).record(c, t.id, who, now).await?;
                if let Some(next) = choice.next_status() {
                    let reason = (choice == Choice::Decline).then(|| DECLINED_REASON.to_owned());
                    t.status
                        .check_transition(next, actor.role(), reason.is_some())
                        .map_err(|why| AppError::Transition { from: t.status, to: next, why })?;
                    Event::change(EventKind::StatusChanged, t.status, next)
                        .reason(reason)
                        .record(c, t.id, who, now)
                        .await?;
                    t.status = next;
                    if next == Status::Closed {
                        t.closed_at = Some(now);
                    }
                }
                t.updated_at = now;
                tickets::update(c, &t).await?;
                Ok(t)
            })
        })
        .await
}

/// Paying with hours needs hours: a positive balance in a live package, or a contract that
/// allows an overdraft.
async fn require_balance(c: &mut dyn Conn, t: &Ticket, now: DateTime<Utc>) -> Result<(), AppError> {
    use alcance_store::repo::{hours, organizations};
    hours::lock_organization(c, t.organization_id).await?;
    let terms = crate::hours::terms(c, t.organization_id).await?;
    let org = organizations::by_id(c, t.organization_id).await?.ok_or(AppError::NotFound)?;
    let today = crate::hours::today_in(&org.time_zone, now);
    let packages = hours::packages(c, t.organization_id).await?;
    let balances: Vec<_> = packages.iter().map(|p| p.as_balance()).collect();
    let available = alcance_domain::hours::available_minutes(&balances, today);
    let live = balances.iter().any(|p| p.is_live(today));
    if available > 0 || (terms.allow_overdraft && live) {
        Ok(())
    } else {
        Err(crate::hours::insufficient("choice", available))
    }
}

/// Called by classification, in its transaction, after the ticket took its new category,
/// coverage and status: when the request now waits for the client's decision on a
/// not-covered category it did not have before, the requester is told by e-mail.
pub(crate) async fn after_classification(
    c: &mut dyn Conn,
    before: &Ticket,
    after: &Ticket,
    policy: &Policy,
    settings: &Settings,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let newly = before.coverage != Coverage::NotCovered || before.category != after.category;
    if !newly || after.coverage != Coverage::NotCovered || after.status != Status::AwaitingDecision {
        return Ok(());
    }
    let Some(category) = after.category.as_deref().and_then(|id| policy.category(id)) else { return Ok(()) };
    let Some(requester) = users::by_id(c, after.requester_id).await?.filter(|u| u.active) else { return Ok(()) };
    let mail = compose(&Notice {
        lang: &requester.language,
        name: &requester.name,
        ticket: after,
        category,
        link: &format!("{}/portal/tickets/{}", settings.public_url.trim_end_matches('/'), after.number),
        brand: &settings.brand.name,
    });
    web::enqueue_ticket_email(c, &requester.email, &mail.subject, &mail.body, after.id, now).await?;
    Ok(())
}

/// What the not-covered e-mail says.
struct Notice<'a> {
    lang: &'a str,
    name: &'a str,
    ticket: &'a Ticket,
    category: &'a Category,
    link: &'a str,
    brand: &'a str,
}

pub(crate) struct Mail {
    pub subject: String,
    pub body: String,
}

/// The fixed sentences of the e-mail, per language.
///
/// Interface texts live in the web crate's Fluent files, which this crate cannot reach (it
/// sits below the web layer and must not depend on it). The password-reset mail gets its
/// text from the web layer through a closure, but classification runs inside `tickets::change`,
/// called by the API, the pages and the demo alike, so there is no caller to hand one in.
/// These few sentences stay here, next to the flow that sends them, until the mailer of
/// issue 6 brings e-mail templates; what the policy says (label, clause, description) comes
/// from the policy itself, in the requester's language.
struct Texts {
    subject: &'static str,
    hello: &'static str,
    classified: &'static str,
    clause: &'static str,
    plain: &'static str,
    options: &'static str,
    quote: &'static str,
    hours: &'static str,
    no_hours: &'static str,
    decline: &'static str,
    choose: &'static str,
    disagree: &'static str,
    thanks: &'static str,
}

const ES: Texts = Texts {
    subject: "Su solicitud #{number} está fuera del alcance del soporte",
    hello: "Hola, {name}:",
    classified: "Revisamos su solicitud #{number} «{subject}» y la clasificamos como «{category}».",
    clause: "Según la sección {clause} de la política de soporte, este tipo de trabajo no está incluido en su contrato de soporte.",
    plain: "En palabras sencillas:",
    options: "¿Cómo desea continuar? Puede elegir:",
    quote: "Solicitar una cotización: preparamos una propuesta para hacer el trabajo como un proyecto independiente, con su valor y tiempo.",
    hours: "Usar horas de su paquete: si su organización tiene horas prepagadas, el trabajo se descuenta de ese saldo.",
    no_hours: "Este tipo de trabajo no se puede pagar con un paquete de horas.",
    decline: "No continuar: cerramos la solicitud.",
    choose: "Elija una opción en la página de la solicitud:",
    disagree: "Si no está de acuerdo con esta clasificación, respóndanos en la misma solicitud y la revisaremos.",
    thanks: "Cordialmente,",
};

const EN: Texts = Texts {
    subject: "Your request #{number} is outside the support scope",
    hello: "Hello {name},",
    classified: "We reviewed your request #{number} \"{subject}\" and classified it as \"{category}\".",
    clause: "Under section {clause} of the support policy, this kind of work is not included in your support contract.",
    plain: "In plain words:",
    options: "How would you like to go on? You can choose:",
    quote: "Ask for a quote: we prepare a proposal to do the work as an independent project, with its price and timeline.",
    hours: "Use hours from your package: if your organisation has prepaid hours, the work is deducted from that balance.",
    no_hours: "This kind of work cannot be paid for with an hour package.",
    decline: "Not go on: we close the request.",
    choose: "Choose an option on the request's page:",
    disagree: "If you disagree with this classification, reply on the same request and we will review it.",
    thanks: "Kind regards,",
};

fn compose(n: &Notice<'_>) -> Mail {
    let (x, lang) = if n.lang == "en" { (&EN, "en") } else { (&ES, "es") };
    let fill = |text: &str| {
        text.replace("{number}", &n.ticket.number.to_string())
            .replace("{name}", n.name)
            .replace("{subject}", &n.ticket.subject)
            .replace("{category}", n.category.label.get(lang))
            .replace("{clause}", &n.category.clause)
    };
    let mut body = vec![
        fill(x.hello),
        String::new(),
        fill(x.classified),
        fill(x.clause),
        String::new(),
        format!("{} {}", x.plain, n.category.description.get(lang)),
        String::new(),
        x.options.to_owned(),
        format!("- {}", x.quote),
    ];
    if n.category.hour_packages {
        body.push(format!("- {}", x.hours));
    }
    body.push(format!("- {}", x.decline));
    if !n.category.hour_packages {
        body.push(x.no_hours.to_owned());
    }
    body.extend([
        String::new(),
        x.choose.to_owned(),
        n.link.to_owned(),
        String::new(),
        x.disagree.to_owned(),
        String::new(),
        x.thanks.to_owned(),
        n.brand.to_owned(),
    ]);
    Mail { subject: fill(x.subject), body: body.join("\n") }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alcance_domain::model::Ticket;
    use alcance_domain::policy::Localized;
    use alcance_domain::ticket::{Channel, Priority};

    fn ticket() -> Ticket {
        let at = DateTime::<Utc>::from_timestamp(1_750_000_000, 0).unwrap_or_default();
        Ticket {
            id: 1,
            number: 1042,
            organization_id: 1,
            requester_id: 2,
            assignee_id: None,
            asset_id: None,
            subject: "Módulo de pagos".into(),
            body: "Queremos pagos en línea".into(),
            channel: Channel::Portal,
            priority: Priority::Normal,
            category: Some("new_feature".into()),
            coverage: Coverage::NotCovered,
            status: Status::AwaitingDecision,
            policy_id: Some(1),
            created_at: at,
            updated_at: at,
            resolved_at: None,
            closed_at: None,
        }
    }

    fn category(hours: bool) -> Category {
        Category {
            id: "new_feature".into(),
            coverage: Coverage::NotCovered,
            clause: "2".into(),
            hour_packages: hours,
            label: Localized { es: "Nuevas funcionalidades".into(), en: "New features".into() },
            description: Localized { es: "Desarrollo nuevo.".into(), en: "New development.".into() },
            examples: vec![],
        }
    }

    #[test]
    fn the_mail_speaks_the_requesters_language_and_names_the_clause() {
        let t = ticket();
        let cat = category(true);
        let notice = |lang| Notice {
            lang,
            name: "Ana",
            ticket: &t,
            category: &cat,
            link: "https://x/portal/tickets/1042",
            brand: "Igniweb",
        };
        let es = compose(&notice("es"));
        assert_eq!(es.subject, "Su solicitud #1042 está fuera del alcance del soporte");
        for part in [
            "Hola, Ana:",
            "«Módulo de pagos»",
            "«Nuevas funcionalidades»",
            "sección 2",
            "Desarrollo nuevo.",
            "Solicitar una cotización",
            "Usar horas",
            "https://x/portal/tickets/1042",
        ] {
            assert!(es.body.contains(part), "{part} in {}", es.body);
        }
        let en = compose(&notice("en"));
        for part in ["Hello Ana,", "\"New features\"", "section 2", "New development.", "Ask for a quote", "Use hours"]
        {
            assert!(en.body.contains(part), "{part} in {}", en.body);
        }
        assert!(!en.body.contains("Según"));
    }

    #[test]
    fn hours_are_offered_only_where_the_policy_allows_them() {
        let t = ticket();
        let cat = category(false);
        let mail = compose(&Notice { lang: "es", name: "Ana", ticket: &t, category: &cat, link: "l", brand: "b" });
        assert!(!mail.body.contains("Usar horas"));
        assert!(mail.body.contains("no se puede pagar con un paquete de horas"));
    }

    #[test]
    fn choices_parse_and_move_as_agreed() {
        for c in Choice::ALL {
            assert_eq!(Choice::parse("choice", c.as_str()), Ok(c));
        }
        assert!(Choice::parse("choice", "gratis").is_err());
        assert_eq!(Choice::Quote.next_status(), Some(Status::QuoteRequested));
        assert_eq!(Choice::Hours.next_status(), Some(Status::InProgress));
        assert_eq!(Choice::Decline.next_status(), Some(Status::Closed));
    }
}
