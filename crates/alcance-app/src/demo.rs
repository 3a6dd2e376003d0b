//! A realistic Spanish (es-CO) demo: the agency Igniweb, three client organisations with
//! their contracts, assets and contacts, and about sixty requests in every category and
//! status, with replies, internal notes and quotes. It is loaded only through the public
//! use cases, each run under a clock set to the moment the step happened, so the history
//! reads like the last weeks of a real help desk.

#[path = "demo/tickets.rs"]
mod requests;

use std::collections::HashMap;
use std::sync::Arc;

use alcance_domain::model::{Id, User};
use alcance_domain::policy::Policy;
use alcance_domain::ticket::{Coverage, Priority, Status};
use alcance_domain::{FieldError, FieldErrorCode, Role};
use chrono::{DateTime, Datelike, Duration, NaiveTime, TimeZone, Timelike, Utc, Weekday};

use crate::clock::Clock;
use crate::directory::{self, NewAsset, NewContract, NewOrganization, NewUser};
use crate::tickets::{OpenTicket, TicketChange};
use crate::{Actor, App, AppError};

use requests::{APPROVE, ASK_QUOTE, CONTACTS, Contact, DemoTicket, ORGS, STARTED, THANKS, TICKETS};

/// The password every demo user shares.
pub const DEMO_PASSWORD: &str = "alcance-demo-2026";
/// The organisation whose existence means the demo is already loaded.
pub const DEMO_ORG: &str = "camara-armenia";
const HOURLY_RATE: i64 = 180_000;
const TAX_BASIS_POINTS: i64 = 1_900;
/// Bogotá is UTC-5 all year.
const UTC_OFFSET_HOURS: i64 = -5;

/// Who can sign in to the loaded demo.
#[derive(Debug, Clone)]
pub struct DemoSummary {
    pub admin_email: String,
    pub agent_email: String,
    pub manager_email: String,
    pub requester_email: String,
    pub password: String,
    pub tickets: usize,
}

/// How far a request has gone; decides which steps it gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flow {
    /// Opened, not classified yet.
    New,
    /// Covered: classified, assigned and answered.
    Open,
    InProgress,
    WaitingOnClient,
    /// Waiting on the client, who answered (back in progress).
    ClientAnswered,
    Resolved,
    Closed,
    /// Resolved, then reopened by the client.
    Reopened,
    /// Not covered: the client was told why and has not chosen yet.
    Decision,
    QuoteRequested,
    Quoted,
    /// Quoted, approved by the client's manager, work started.
    Accepted,
    /// Not covered and declined by the client: closed with a reason.
    Declined,
}

const ADMIN: (&str, &str) = ("admin@igniweb.co", "Administración Igniweb");
/// Agents: the first handles the Cámara's software, the second servers, the third the
/// other clients' software.
const AGENTS: [(&str, &str); 3] = [
    ("laura.gomez@igniweb.co", "Laura Gómez"),
    ("andres.rios@igniweb.co", "Andrés Ríos"),
    ("camila.pardo@igniweb.co", "Camila Pardo"),
];
const SERVER_CATEGORIES: [&str; 5] =
    ["server_availability", "server_security_config", "backup_restore", "server_alert", "server_structural_change"];

/// A clock stopped at one moment: each demo step runs at its own.
struct FixedClock(DateTime<Utc>);

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0
    }
}

fn at(app: &App, when: DateTime<Utc>) -> App {
    App { clock: Arc::new(FixedClock(when)), ..app.clone() }
}

fn local_hour(when: DateTime<Utc>) -> u32 {
    (when + Duration::hours(UTC_OFFSET_HOURS)).hour()
}

fn greeting(when: DateTime<Utc>) -> &'static str {
    match local_hour(when) {
        0..=11 => "Buenos días",
        12..=18 => "Buenas tardes",
        _ => "Buenas noches",
    }
}

/// Pesos with dots between thousands: $4.320.000.
fn pesos(value: i64) -> String {
    let digits = value.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    format!("${out}")
}

fn internal(what: &str) -> AppError {
    AppError::Internal(format!("demo: {what}"))
}

/// Who takes a step.
#[derive(Clone, Copy)]
enum By {
    Requester,
    Manager,
    Agent,
}

enum Act {
    Open,
    Classify,
    Comment { text: String, internal: bool },
    Status { to: Status, reason: Option<String> },
}

struct Step {
    when: DateTime<Utc>,
    ticket: usize,
    seq: usize,
    by: By,
    act: Act,
}

/// Loads the demo into an empty database; refuses when it is already there.
pub async fn load(app: &App) -> Result<DemoSummary, AppError> {
    let now = app.now();
    ensure_absent(app, now).await?;
    let setup = at(app, now - Duration::days(60));
    let year = (now - Duration::days(60)).year();
    let people = create_directory(&setup, year).await?;
    let policy = app.policies.get(&app.store, app.policies.default_id()).await?;

    let mut steps = Vec::new();
    for (index, ticket) in TICKETS.iter().enumerate() {
        plan(&mut steps, index, ticket, now);
    }
    steps.sort_by_key(|s| (s.when, s.ticket, s.seq));
    let mut numbers: Vec<Option<i64>> = vec![None; TICKETS.len()];
    let mut quotes = 0;
    for step in steps {
        let ticket = &TICKETS[step.ticket];
        let (requester, contact) = people.contacts.get(ticket.from).ok_or_else(|| internal(ticket.from))?;
        let agent = &people.agents[agent_for(ticket.category, contact.org)];
        let actor = match step.by {
            By::Requester => requester,
            By::Manager => people.managers.get(contact.org).unwrap_or(requester),
            By::Agent => agent,
        };
        let app = at(app, step.when);
        let (act, number) = match (step.act, numbers[step.ticket]) {
            (Act::Open, _) => {
                let asset_id = match ticket.asset {
                    Some(name) => Some(*people.assets.get(&(contact.org, name)).ok_or_else(|| internal(name))?),
                    None => None,
                };
                let input = OpenTicket {
                    subject: ticket.subject.into(),
                    body: ticket.body.into(),
                    organization: None,
                    requester: None,
                    asset_id,
                    priority: Some(ticket.priority),
                };
                numbers[step.ticket] = Some(crate::tickets::open(&app, actor, input, ticket.channel).await?.number);
                continue;
            }
            (_, None) => return Err(internal("a step before its ticket was opened")),
            (act, Some(number)) => (act, number),
        };
        let sign = |text: &str| signed(step.when, contact.first_name, text, &agent.user.name);
        match act {
            Act::Classify => {
                let change = TicketChange {
                    assignee: Some(Some(agent.id())),
                    category: Some(ticket.category.into()),
                    ..TicketChange::default()
                };
                crate::tickets::change(&app, actor, number, change).await?;
                crate::tickets::comment(&app, actor, number, &sign(&first_reply(ticket, &policy)?), false).await?;
            }
            Act::Comment { text, internal } => {
                let text = if text == QUOTE_MARK {
                    quotes += 1;
                    quote(ticket, year, quotes)
                } else {
                    text
                };
                let body = if matches!(step.by, By::Agent) && !internal { sign(&text) } else { text };
                crate::tickets::comment(&app, actor, number, &body, internal).await?;
            }
            Act::Status { to, reason } => {
                let change = TicketChange { status: Some(to), reason, ..TicketChange::default() };
                crate::tickets::change(&app, actor, number, change).await?;
            }
            Act::Open => {}
        }
    }

    demo_monitors(app).await?;
    let first = |role: Role| CONTACTS.iter().find(|c| c.org == DEMO_ORG && c.role == role).map_or("", |c| c.email);
    Ok(DemoSummary {
        admin_email: ADMIN.0.into(),
        agent_email: AGENTS[0].0.into(),
        manager_email: first(Role::Manager).into(),
        requester_email: first(Role::Requester).into(),
        password: DEMO_PASSWORD.into(),
        tickets: numbers.iter().flatten().count(),
    })
}

/// A backup heartbeat per organisation, set up now (not back in time with the rest, or it
/// would be overdue at once), so the monitor pages and the status pages have something to
/// show. Its URL can be regenerated on /admin/monitors.
async fn demo_monitors(app: &App) -> Result<(), AppError> {
    let admin = app
        .store
        .read(|c| Box::pin(async move { alcance_store::repo::users::by_email(c, ADMIN.0).await }))
        .await?
        .ok_or_else(|| internal(ADMIN.0))?;
    let admin = Actor { user: admin };
    for org in &ORGS {
        let heartbeat = alcance_domain::monitor::MonitorInput {
            name: "Respaldo nocturno del servidor".into(),
            kind: "heartbeat".into(),
            interval_seconds: "86400".into(),
            grace_seconds: "3600".into(),
            ..Default::default()
        };
        crate::monitoring::create(app, &admin, org.slug, None, heartbeat).await?;
    }
    Ok(())
}

/// Refuses before writing anything: the demo is already there (its first organisation
/// exists), or another organisation or user holds one of its slugs or e-mail addresses.
async fn ensure_absent(app: &App, now: DateTime<Utc>) -> Result<(), AppError> {
    // A staff actor that exists only to read the directory: it is never stored.
    let reader = Actor {
        user: User {
            id: 0,
            email: "demo@localhost".into(),
            name: "demo".into(),
            role: Role::Agent,
            organization_id: None,
            language: "es".into(),
            active: true,
            created_at: now,
        },
    };
    let orgs = directory::list_orgs(app, &reader).await?;
    if orgs.iter().any(|o| o.slug == DEMO_ORG) {
        return Err(AppError::field("demo", FieldErrorCode::AlreadyExists));
    }
    if let Some(org) = orgs.iter().find(|o| ORGS.iter().any(|d| d.slug == o.slug)) {
        return Err(FieldError::new("slug", FieldErrorCode::AlreadyExists).with_detail(org.slug.clone()).into());
    }
    let emails: Vec<&str> =
        [ADMIN.0].into_iter().chain(AGENTS.map(|a| a.0)).chain(CONTACTS.iter().map(|c| c.email)).collect();
    let users = directory::list_users(app, &reader, None).await?;
    if let Some(user) = users.iter().find(|u| emails.contains(&u.email.as_str())) {
        return Err(FieldError::new("email", FieldErrorCode::AlreadyExists).with_detail(user.email.clone()).into());
    }
    Ok(())
}

/// The demo's people and assets, as the steps need them.
struct People {
    agents: Vec<Actor>,
    /// By e-mail.
    contacts: HashMap<&'static str, (Actor, &'static Contact)>,
    /// The first manager of each organisation, by slug.
    managers: HashMap<&'static str, Actor>,
    /// By organisation slug and asset name.
    assets: HashMap<(&'static str, &'static str), Id>,
}

async fn create_directory(setup: &App, year: i32) -> Result<People, AppError> {
    let staff = |email: &str, name: &str, role: Role| NewUser {
        email: email.into(),
        name: name.into(),
        role,
        organization: None,
        password: Some(DEMO_PASSWORD.into()),
        language: Some("es".into()),
    };
    let admin = Actor { user: directory::create_user_unchecked(setup, staff(ADMIN.0, ADMIN.1, Role::Admin)).await? };
    let mut people =
        People { agents: Vec::new(), contacts: HashMap::new(), managers: HashMap::new(), assets: HashMap::new() };
    for (email, name) in AGENTS {
        people
            .agents
            .push(Actor { user: directory::create_user_unchecked(setup, staff(email, name, Role::Agent)).await? });
    }
    for org in &ORGS {
        let new = NewOrganization { slug: org.slug.into(), name: org.name.into(), time_zone: None };
        let created = directory::create_org(setup, &admin, new).await?;
        let contract = NewContract {
            organization: org.slug.into(),
            name: format!("Soporte técnico {year}"),
            starts_on: format!("{year}-01-01"),
            ends_on: Some(format!("{year}-12-31")),
            hourly_rate_minor: HOURLY_RATE,
            currency: None,
            tax_rate_basis_points: None,
            allow_overdraft: false,
            time_zone: None,
            policy_id: None,
        };
        directory::create_contract(setup, &admin, contract).await?;
        // A prepaid package of 40 hours, so not-covered work can be paid with hours.
        let package = crate::hours::PurchaseInput {
            hours: "40".into(),
            price: (40 * HOURLY_RATE).to_string(),
            purchased_on: String::new(),
            expires_on: format!("{}-12-31", year + 1),
            invoice_ref: format!("FE-{year}-{}", created.id),
        };
        crate::hours::record_purchase(setup, &admin, created.id, package).await?;
        for (kind, name, url, description) in org.assets {
            let new = NewAsset {
                organization: org.slug.into(),
                kind: *kind,
                name: (*name).into(),
                url: Some((*url).into()),
                description: Some((*description).into()),
            };
            people.assets.insert((org.slug, *name), directory::create_asset(setup, &admin, new).await?.id);
        }
    }
    for contact in &CONTACTS {
        let new = NewUser {
            email: contact.email.into(),
            name: contact.name.into(),
            role: contact.role,
            organization: Some(contact.org.into()),
            password: Some(DEMO_PASSWORD.into()),
            language: Some("es".into()),
        };
        let actor = Actor { user: directory::create_user_unchecked(setup, new).await? };
        if contact.role == Role::Manager && !people.managers.contains_key(contact.org) {
            people.managers.insert(contact.org, actor.clone());
        }
        people.contacts.insert(contact.email, (actor, contact));
    }
    Ok(people)
}

/// Stands for the quote text, written when the step runs (quotes are numbered in order).
const QUOTE_MARK: &str = "\u{0}quote";

fn agent_for(category: &str, org: &str) -> usize {
    if SERVER_CATEGORIES.contains(&category) {
        1
    } else if org == DEMO_ORG {
        0
    } else {
        2
    }
}

/// When a request was opened: `days` ago at a Bogotá time, moved off weekends unless
/// urgent, and never later than a few hours ago.
fn opened_at(ticket: &DemoTicket, index: usize, now: DateTime<Utc>) -> DateTime<Utc> {
    let (mut days, hour, minute) = ticket.opened;
    let offset = Duration::hours(UTC_OFFSET_HOURS);
    let today = (now + offset).date_naive();
    let urgent = matches!(ticket.priority, Priority::Critical | Priority::High);
    while !urgent && matches!((today - Duration::days(days)).weekday(), Weekday::Sat | Weekday::Sun) {
        days += 1;
    }
    let local = (today - Duration::days(days)).and_time(NaiveTime::MIN)
        + Duration::hours(i64::from(hour))
        + Duration::minutes(i64::from(minute));
    let mut when = Utc.from_utc_datetime(&(local - offset));
    while when > now - Duration::hours(2) {
        when -= Duration::days(1);
    }
    when - Duration::minutes(index as i64 % 7)
}

/// The steps of one request, from its opening to where its flow stops.
fn plan(steps: &mut Vec<Step>, index: usize, t: &DemoTicket, now: DateTime<Utc>) {
    let opened = opened_at(t, index, now);
    let latest = now - Duration::minutes(1);
    let mut seq = 0;
    let mut clock = opened;
    let mut push = |after: Duration, by: By, act: Act| {
        clock += after;
        steps.push(Step { when: clock.min(latest), ticket: index, seq, by, act });
        seq += 1;
    };
    let minutes = Duration::minutes;
    let hours = Duration::hours;
    let comment = |text: &str, internal: bool| Act::Comment { text: text.to_owned(), internal };
    let status = |to: Status| Act::Status { to, reason: None };
    let urgent = matches!(t.priority, Priority::Critical);

    push(Duration::zero(), By::Requester, Act::Open);
    if t.flow == Flow::New {
        return;
    }
    let first = if urgent { 8 } else { 15 + (index as i64 * 7) % 50 };
    push(minutes(first), By::Agent, Act::Classify);
    match t.flow {
        Flow::InProgress
        | Flow::WaitingOnClient
        | Flow::ClientAnswered
        | Flow::Resolved
        | Flow::Closed
        | Flow::Reopened => {
            push(minutes(40), By::Agent, status(Status::InProgress));
            push(minutes(25), By::Agent, comment(t.note, true));
        }
        Flow::QuoteRequested | Flow::Quoted | Flow::Accepted => {
            push(hours(20), By::Requester, comment(ASK_QUOTE[index % ASK_QUOTE.len()], false));
            push(hours(1), By::Agent, status(Status::QuoteRequested));
            push(minutes(5), By::Agent, comment(t.note, true));
        }
        Flow::Declined => {
            push(hours(22), By::Requester, comment(t.answer, false));
            push(hours(2), By::Agent, Act::Status { to: Status::Closed, reason: Some(t.outcome.to_owned()) });
        }
        Flow::New | Flow::Open | Flow::Decision => {}
    }
    match t.flow {
        Flow::WaitingOnClient | Flow::ClientAnswered => {
            push(hours(2), By::Agent, comment(t.ask, false));
            push(minutes(1), By::Agent, status(Status::WaitingOnClient));
            if t.flow == Flow::ClientAnswered {
                push(hours(18), By::Requester, comment(t.answer, false));
            }
        }
        Flow::Resolved | Flow::Closed | Flow::Reopened => {
            push(if urgent { hours(1) } else { hours(3) }, By::Agent, comment(t.outcome, false));
            push(minutes(1), By::Agent, status(Status::Resolved));
            match t.flow {
                Flow::Closed if index.is_multiple_of(2) => {
                    push(hours(16), By::Requester, comment(THANKS[index % THANKS.len()], false));
                    push(minutes(3), By::Requester, status(Status::Closed));
                }
                Flow::Closed => {
                    push(hours(16), By::Requester, comment(THANKS[index % THANKS.len()], false));
                    push(hours(2), By::Agent, status(Status::Closed));
                }
                Flow::Reopened => {
                    push(hours(20), By::Requester, comment(t.answer, false));
                    push(minutes(1), By::Requester, status(Status::Open));
                }
                _ => {}
            }
        }
        Flow::Quoted | Flow::Accepted => {
            push(hours(26), By::Agent, comment(QUOTE_MARK, false));
            push(minutes(1), By::Agent, status(Status::Quoted));
            if t.flow == Flow::Accepted {
                push(hours(48), By::Manager, comment(APPROVE[index % APPROVE.len()], false));
                push(hours(3), By::Agent, status(Status::InProgress));
                push(minutes(2), By::Agent, comment(STARTED, false));
            }
        }
        _ => {}
    }
}

/// The agent's first answer, with the policy decision the classification made.
fn first_reply(t: &DemoTicket, policy: &Policy) -> Result<String, AppError> {
    let category = policy.category(t.category).ok_or_else(|| internal(t.category))?;
    let label = category.label.get("es");
    let clause = &category.clause;
    let decision = if category.coverage == Coverage::Covered {
        format!(
            "La solicitud quedó clasificada como Cubierta por el contrato de soporte: {label} (numeral {clause} de la política de soporte)."
        )
    } else {
        let options = if category.hour_packages {
            "Podemos cotizarla como un proyecto independiente o, si lo prefieren, pagarla con un paquete de horas de soporte."
        } else {
            "Si lo desean, la cotizamos como un proyecto independiente."
        };
        format!(
            "Por eso, según el numeral {clause} de la política de soporte («{label}»), la solicitud queda clasificada como No Cubierta. {options} ¿Cómo desean continuar?"
        )
    };
    Ok(format!("{}\n\n{decision}", t.reply))
}

fn quote(t: &DemoTicket, year: i32, number: usize) -> String {
    let subtotal = t.quote_hours * HOURLY_RATE;
    let tax = subtotal * TAX_BASIS_POINTS / 10_000;
    format!(
        "Les compartimos la cotización COT-{year}-{number:03}, que incluye {}.\n\nEstimamos {} horas de trabajo a {} por hora: subtotal {}, más IVA del 19 % ({}), para un total de {}. La propuesta tiene una vigencia de 30 días; si la aprueban, la programamos de inmediato.",
        t.outcome,
        t.quote_hours,
        pesos(HOURLY_RATE),
        pesos(subtotal),
        pesos(tax),
        pesos(subtotal + tax),
    )
}

/// A public agent reply: greeting by the hour, the text, the agent's signature.
fn signed(when: DateTime<Utc>, first_name: &str, text: &str, agent: &str) -> String {
    format!("{}, {first_name}.\n\n{text}\n\nCordialmente,\n{agent}\nSoporte técnico Igniweb", greeting(when))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::tickets::TicketQuery;

    #[test]
    fn pesos_have_dots_between_thousands() {
        assert_eq!(pesos(180_000), "$180.000");
        assert_eq!(pesos(5_140_800), "$5.140.800");
        assert_eq!(pesos(900), "$900");
    }

    #[tokio::test]
    async fn demo_loads_into_an_empty_sqlite_database() {
        let nanos =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
        let dir = std::env::temp_dir().join(format!("alcance-demo-{}-{nanos}", std::process::id()));
        let config = crate::StoreConfig { data_dir: dir.clone(), database_url: None };
        let app = App::start(&config, crate::Settings::default(), crate::policies::DEFAULT_POLICY).await.unwrap();

        let summary = load(&app).await.unwrap();
        assert!(summary.tickets >= 55, "{}", summary.tickets);
        assert_eq!(summary.manager_email, "jorge.vargas@camaraarmenia.example.co");
        assert_eq!(summary.password, DEMO_PASSWORD);

        match load(&app).await {
            Err(AppError::Invalid(e)) => {
                assert_eq!(e.field, "demo");
                assert_eq!(e.code, FieldErrorCode::AlreadyExists);
            }
            other => panic!("a second load must be refused, got {:?}", other.map(|s| s.tickets)),
        }

        let session = crate::auth::sign_in(&app, &summary.admin_email, &summary.password).await.unwrap();
        let admin = Actor { user: session.user };
        let mut all = Vec::new();
        let mut cursor = None;
        loop {
            let page =
                crate::tickets::list(&app, &admin, TicketQuery { cursor, limit: Some(100), ..TicketQuery::default() })
                    .await
                    .unwrap();
            all.extend(page.items);
            match page.next_cursor {
                Some(next) => cursor = Some(next),
                None => break,
            }
        }
        assert_eq!(all.len(), summary.tickets);
        let statuses: HashSet<Status> = all.iter().map(|t| t.status).collect();
        for status in Status::ALL {
            assert!(statuses.contains(status), "no ticket is {status}");
        }
        let categories: HashSet<&str> = all.iter().filter_map(|t| t.category.as_deref()).collect();
        let policy = app.policies.get(&app.store, app.policies.default_id()).await.unwrap();
        for category in &policy.categories {
            assert!(categories.contains(category.id.as_str()), "no ticket is {}", category.id);
        }
        assert!(all.iter().filter(|t| t.category.is_none()).count() >= 5);
        assert!(all.iter().all(|t| t.created_at < app.now()));

        let requester = crate::auth::sign_in(&app, &summary.requester_email, &summary.password).await.unwrap();
        let own = crate::tickets::list(
            &app,
            &Actor { user: requester.user },
            TicketQuery { limit: Some(100), ..TicketQuery::default() },
        )
        .await
        .unwrap();
        assert!(!own.items.is_empty());

        let _ = std::fs::remove_dir_all(dir);
    }
}
