//! `alcance mail ingest`: a message on standard input, as an MTA pipe delivers it; what it
//! prints and the exit status the MTA acts on (0 taken, 65 malformed); and the redelivery of
//! a message an intake that died left half-done, applied exactly once.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use alcance_store::repo::inbound::{self, InboundEmail, NewInbound, PROCESSING};
use alcance_store::{ConnExt, Sql, Store};
use alcance_testkit::{TestBackend, TestDb, on_both_backends};
use chrono::{Duration, Utc};

use crate::support::{BIN, org_with_contacts, text};

on_both_backends!(
    ingest_prints_what_it_did_and_exits_for_the_mta,
    a_message_a_dead_intake_left_processing_is_applied_once
);

fn ingest(db: &TestDb, raw: &[u8]) -> Output {
    let secret = db.config.data_dir.join("mail-secret");
    let mut child = Command::new(BIN)
        .args(["mail", "ingest", "--mail-from", "soporte@agencia.test", "--mail-secret-file"])
        .arg(&secret)
        .args(db.cli_args())
        .env_remove("ALCANCE_MAIL_SECRET")
        .env("ALCANCE_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(raw).unwrap();
    child.wait_with_output().unwrap()
}

fn message(from: &str, subject: &str, id: &str, body: &str) -> Vec<u8> {
    format!("From: {from}\r\nTo: soporte@agencia.test\r\nSubject: {subject}\r\nMessage-ID: <{id}>\r\n\r\n{body}\r\n")
        .into_bytes()
}

#[track_caller]
fn taken(out: &Output, expected: &str) {
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(0), "stdout: {stdout} stderr: {stderr}");
    assert!(stdout.contains(expected), "stdout should say `{expected}`: {stdout}");
}

/// An admin, the organisation "camara" and its contact ana@camara.co.
async fn set_up(db: &TestDb) {
    org_with_contacts(db, "admin@agencia.co", "camara", &["ana@camara.co"]).await;
}

async fn ingest_prints_what_it_did_and_exits_for_the_mta(backend: TestBackend) {
    let db = TestDb::new(backend).await;
    set_up(&db).await;

    let new = message("Ana <ana@camara.co>", "No carga el portal", "m1@camara.co", "Desde esta mañana no carga.");
    let out = ingest(&db, &new);
    taken(&out, "accepted: opened ticket #");
    let stdout = text(&out.stdout);
    let number: String = stdout.split('#').nth(1).unwrap().chars().take_while(char::is_ascii_digit).collect();
    taken(&ingest(&db, &new), "duplicate");

    let reply =
        message("ana@camara.co", &format!("Re: [#{number}] No carga el portal"), "m2@camara.co", "Sigue igual.");
    taken(&ingest(&db, &reply), &format!("reply added to ticket #{number}"));

    let stranger = message("x@otro.co", "Hola", "m3@otro.co", "Quiero una web.");
    taken(&ingest(&db, &stranger), "held for an agent: unknown_sender");

    let broken = b"From: ana@camara.co\r\nX-Mailer Outlook 16\r\nSubject: roto\r\n\r\ncuerpo\r\n";
    let out = ingest(&db, broken);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(65), "EX_DATAERR: {stderr}");
    assert!(stderr.contains("rejected: malformed message") && stderr.contains("header_without_colon"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");

    // The Message-ID secret was made once, readable by its owner only.
    let secret = db.config.data_dir.join("mail-secret");
    assert_eq!(std::fs::read_to_string(&secret).unwrap().len(), 64);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&secret).unwrap().permissions().mode() & 0o777, 0o600);
    }
}

/// The number after the first `#` of what intake printed.
fn number_in(out: &Output) -> i64 {
    let stdout = text(&out.stdout);
    let digits: String = stdout.split('#').nth(1).unwrap().chars().take_while(char::is_ascii_digit).collect();
    digits.parse().unwrap()
}

async fn record_of(store: &Store, key: &str) -> InboundEmail {
    let key = key.to_owned();
    store.read(move |c| Box::pin(async move { inbound::by_message_id(c, &key).await })).await.unwrap().unwrap()
}

/// What an intake that died mid-way leaves: the message recorded as "processing" at `at`,
/// replacing its record if there was one.
async fn leave_processing(store: &Store, key: &str, subject: &str, at: chrono::DateTime<Utc>) {
    let key = key.to_owned();
    let subject = subject.to_owned();
    store
        .write(move |c| {
            Box::pin(async move {
                if let Some(done) = inbound::by_message_id(c, &key).await? {
                    inbound::forget(c, done.id).await?;
                }
                let new = NewInbound {
                    from_address: "ana@camara.co",
                    subject: &subject,
                    message_id: &key,
                    outcome: PROCESSING,
                    reason: None,
                    text_body: "",
                    raw: b"",
                };
                inbound::insert(c, &new, at).await.map(|_| ())
            })
        })
        .await
        .unwrap();
}

async fn count(store: &Store, sql: &'static str, value: &str) -> i64 {
    let value = value.to_owned();
    store
        .read(move |c| Box::pin(async move { c.fetch_one(Sql::Borrowed(sql), vec![value.into()]).await?.int("n") }))
        .await
        .unwrap()
}

async fn tickets_titled(store: &Store, subject: &str) -> i64 {
    count(store, "SELECT COUNT(*) AS n FROM tickets WHERE subject = $1", subject).await
}

async fn a_message_a_dead_intake_left_processing_is_applied_once(backend: TestBackend) {
    let db = TestDb::new(backend).await;
    set_up(&db).await;
    let store = Store::open(&db.config).await.unwrap();
    let long_ago = Utc::now() - Duration::minutes(30);

    // The key intake records a message under (its Message-ID as parsed).
    let first = message("ana@camara.co", "Caída del portal", "m-first@camara.co", "No abre desde las 8.");
    taken(&ingest(&db, &first), "accepted: opened ticket #");
    let stored = record_of(&store, "m-first@camara.co").await.message_id.unwrap();
    let key = |local: &str| stored.replace("m-first", local);

    // Stuck before anything was applied: the MTA's retry opens the ticket, once.
    let stuck = message("ana@camara.co", "Se cayó la intranet", "m-lost@camara.co", "Nadie puede entrar.");
    leave_processing(&store, &key("m-lost"), "Se cayó la intranet", long_ago).await;
    let out = ingest(&db, &stuck);
    taken(&out, "accepted: opened ticket #");
    let opened = number_in(&out);
    assert_eq!(tickets_titled(&store, "Se cayó la intranet").await, 1);
    assert_eq!(record_of(&store, &key("m-lost")).await.outcome, "new_ticket");
    taken(&ingest(&db, &stuck), "duplicate");
    assert_eq!(tickets_titled(&store, "Se cayó la intranet").await, 1, "a completed message is never applied again");

    // Another intake is at it right now (within its lease): this delivery does nothing.
    let busy = message("ana@camara.co", "Lento", "m-busy@camara.co", "Va muy lento.");
    leave_processing(&store, &key("m-busy"), "Lento", Utc::now()).await;
    let out = ingest(&db, &busy);
    let said = format!("{}{}", text(&out.stdout), text(&out.stderr));
    assert!(said.contains("being processed by another delivery"), "{said}");
    // The MTA keeps the message and tries again: if the other intake dies, nothing is lost.
    assert_eq!(out.status.code(), Some(75), "{said}");
    assert_eq!(tickets_titled(&store, "Lento").await, 0);

    // Stuck after the ticket was opened (the process died before recording the outcome): the
    // retry finds that ticket instead of opening a second one.
    leave_processing(&store, &key("m-lost"), "Se cayó la intranet", long_ago).await;
    taken(&ingest(&db, &stuck), &format!("accepted: opened ticket #{opened}"));
    assert_eq!(tickets_titled(&store, "Se cayó la intranet").await, 1, "not opened twice");
    assert_eq!(record_of(&store, &key("m-lost")).await.outcome, "new_ticket");

    // The same for a reply: added once, however the intake died.
    let subject = format!("Re: [#{opened}] Se cayó la intranet");
    let reply = message("ana@camara.co", &subject, "m-reply@camara.co", "Ya volvió.");
    let reply_key = key("m-reply");
    leave_processing(&store, &reply_key, &subject, long_ago).await;
    taken(&ingest(&db, &reply), &format!("reply added to ticket #{opened}"));
    let replies = "SELECT COUNT(*) AS n FROM comments WHERE body = $1";
    assert_eq!(count(&store, replies, "Ya volvió.").await, 1);
    leave_processing(&store, &reply_key, &subject, long_ago).await;
    taken(&ingest(&db, &reply), &format!("reply added to ticket #{opened}"));
    assert_eq!(count(&store, replies, "Ya volvió.").await, 1, "not added twice");
    taken(&ingest(&db, &reply), "duplicate");
    store.close().await;
}
