//! The IMAP poller against a real Dovecot (Debian's dovecot-imapd), one instance per test on
//! its own loopback port, TLS only, with a certificate from a CA the test makes. Messages
//! from the intake corpus are dropped into the Maildir as a delivery agent would; `alcance
//! mail poll` and `alcance serve` read them through IMAP.
//!
//! Dovecot refuses to give mail to root, so as root (CI) the mailbox belongs to `nobody`.
//! Run as another user, these tests say why and skip: Dovecot needs root to start here.

use std::fs::File;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use alcance_app::tickets::{self, TicketQuery};
use alcance_app::{Actor, App, Settings};
use alcance_domain::model::User;
use alcance_testkit::{TestBackend, TestDb, on_both_backends};
use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair, KeyUsagePurpose};
use serde_json::Value;

use crate::support::{BIN, Server, alcance, free_port, org_with_contacts, text};

const DOVECOT: &str = "/usr/sbin/dovecot";
const PASSWORD: &str = "clave-del-buzón-7";
const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../alcance-mail/tests/corpus");

/// A Dovecot serving one Maildir over implicit TLS (`port`) and STARTTLS (`starttls_port`,
/// where LOGIN is refused before TLS); stopped when dropped.
struct Dovecot {
    child: Child,
    dir: PathBuf,
    port: u16,
    starttls_port: u16,
    delivered: usize,
}

impl Dovecot {
    /// Starts Dovecot in `dir`, or `None` (with the reason printed) when not run as root.
    fn start(dir: &Path) -> Option<Dovecot> {
        if std::fs::metadata("/proc/self").map(|m| m.uid()).unwrap_or(0) != 0 {
            eprintln!("SKIPPED: the IMAP tests start Dovecot, which needs root here (CI runs as root)");
            return None;
        }
        assert!(Path::new(DOVECOT).exists(), "{DOVECOT} is missing: apt-get install dovecot-imapd (scripts/test does)");
        let (uid, gid) = nobody();
        std::fs::create_dir_all(dir).unwrap();
        let ca = test_ca();
        std::fs::write(dir.join("ca.pem"), ca.pem()).unwrap();
        let mut params = CertificateParams::new(vec!["localhost".to_owned()]).unwrap();
        params.distinguished_name.push(DnType::CommonName, "localhost");
        let key = KeyPair::generate().unwrap();
        std::fs::write(dir.join("cert.pem"), params.signed_by(&key, &ca).unwrap().pem()).unwrap();
        std::fs::write(dir.join("key.pem"), key.serialize_pem()).unwrap();
        std::fs::write(dir.join("passwd"), format!("soporte:{{PLAIN}}{PASSWORD}::::::\n")).unwrap();
        std::fs::write(dir.join("password"), format!("{PASSWORD}\n")).unwrap();
        let mail = dir.join("mail");
        for sub in ["", "new", "cur", "tmp"] {
            std::fs::create_dir_all(mail.join(sub)).unwrap();
            std::os::unix::fs::chown(mail.join(sub), Some(uid), Some(gid)).unwrap();
        }
        let (port, starttls_port) = (free_port(), free_port());
        let d = dir.display();
        let config = format!(
            "base_dir = {d}/run\nstate_dir = {d}/state\ninstance_name = alcance-test-{port}\n\
             log_path = {d}/dovecot.log\nprotocols = imap\nlisten = 127.0.0.1\n\
             ssl = required\nssl_cert = <{d}/cert.pem\nssl_key = <{d}/key.pem\n\
             auth_mechanisms = plain login\n\
             service imap-login {{\n  inet_listener imap {{\n    port = {starttls_port}\n  }}\n  \
             inet_listener imaps {{\n    port = {port}\n    ssl = yes\n  }}\n}}\n\
             passdb {{\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u {d}/passwd\n}}\n\
             userdb {{\n  driver = static\n  args = uid={uid} gid={gid} home={d}/mail\n}}\n\
             mail_location = maildir:{d}/mail\n"
        );
        std::fs::write(dir.join("dovecot.conf"), config).unwrap();
        let child = Command::new(DOVECOT)
            .arg("-F")
            .arg("-c")
            .arg(dir.join("dovecot.conf"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(File::create(dir.join("stderr")).unwrap())
            .spawn()
            .expect("start dovecot");
        let mut dovecot = Dovecot { child, dir: dir.to_owned(), port, starttls_port, delivered: 0 };
        dovecot.wait_until_listening();
        Some(dovecot)
    }

    fn wait_until_listening(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!("dovecot exited ({status}): {}", self.logs());
            }
            assert!(Instant::now() < deadline, "dovecot did not listen on {}: {}", self.port, self.logs());
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn logs(&self) -> String {
        let read = |name: &str| std::fs::read_to_string(self.dir.join(name)).unwrap_or_default();
        format!("stderr: {}\nlog: {}", read("stderr"), read("dovecot.log"))
    }

    fn url(&self) -> String {
        format!("imaps://soporte@localhost:{}/INBOX", self.port)
    }

    fn file(&self, name: &str) -> String {
        self.dir.join(name).display().to_string()
    }

    /// Drops a corpus message into new/ the way a delivery agent does (tmp/, then rename);
    /// `edit` may change its text first. Returns the file's base name.
    fn deliver(&mut self, corpus_file: &str, edit: impl Fn(String) -> String) -> String {
        let raw = std::fs::read(Path::new(CORPUS).join(corpus_file)).unwrap();
        let raw = match String::from_utf8(raw) {
            Ok(text) => edit(text).into_bytes(),
            Err(e) => e.into_bytes(),
        };
        self.delivered += 1;
        let name =
            format!("{}.M{}P{}.alcance-test", 1_700_000_000 + self.delivered, self.delivered, std::process::id());
        let tmp = self.dir.join("mail/tmp").join(&name);
        std::fs::write(&tmp, raw).unwrap();
        std::fs::rename(tmp, self.dir.join("mail/new").join(&name)).unwrap();
        name
    }

    /// Each delivered message: (base name, whether it carries the \Seen flag).
    fn seen(&self) -> Vec<(String, bool)> {
        let mut out = Vec::new();
        for sub in ["new", "cur"] {
            for entry in std::fs::read_dir(self.dir.join("mail").join(sub)).unwrap() {
                let name = entry.unwrap().file_name().to_string_lossy().into_owned();
                let (base, info) = name.split_once(":2,").unwrap_or((&name, ""));
                out.push((base.to_owned(), sub == "cur" && info.contains('S')));
            }
        }
        out.sort();
        out
    }

    /// Clears \Seen on a message, as a person marking it unread would.
    fn mark_unseen(&self, base: &str) {
        let cur = self.dir.join("mail/cur");
        let name = std::fs::read_dir(&cur)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .find(|n| n.starts_with(base))
            .unwrap();
        std::fs::rename(cur.join(&name), cur.join(format!("{base}:2,"))).unwrap();
    }
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        // SIGTERM lets the master stop its login and auth processes; SIGKILL if it lingers.
        let _ = Command::new("kill").arg("-TERM").arg(self.child.id().to_string()).status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while matches!(self.child.try_wait(), Ok(None)) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The uid and gid of `nobody`, the owner of the test mailbox.
fn nobody() -> (u32, u32) {
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap_or_default();
    let line = passwd.lines().find(|l| l.starts_with("nobody:"));
    let field = |i: usize| line.and_then(|l| l.split(':').nth(i)).and_then(|v| v.parse().ok()).unwrap_or(65534);
    (field(2), field(3))
}

fn test_ca() -> CertifiedIssuer<'static, KeyPair> {
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.distinguished_name.push(DnType::CommonName, "Alcance IMAP Test CA");
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    CertifiedIssuer::self_signed(params, KeyPair::generate().unwrap()).unwrap()
}

/// The organisation and contacts the corpus writes from, and an admin, returned.
async fn setup(db: &TestDb) -> User {
    let contacts = ["ana.gomez@camaraarmenia.test", "jorge.rios@camaraarmenia.test"];
    org_with_contacts(db, "admin@agencia.test", "camara-armenia", &contacts).await
}

/// (number, subject, comment bodies) of every ticket, read from the database.
async fn tickets_in_db(db: &TestDb, admin: &User) -> Vec<(i64, String, Vec<String>)> {
    let app = App::start(&db.config, Settings::default(), alcance_app::policies::DEFAULT_POLICY).await.unwrap();
    let admin = Actor { user: admin.clone() };
    let mut out = Vec::new();
    for t in tickets::list(&app, &admin, TicketQuery::default()).await.unwrap().items {
        let detail = tickets::get(&app, &admin, t.number).await.unwrap();
        out.push((t.number, t.subject, detail.comments.into_iter().map(|c| c.body).collect()));
    }
    app.store.close().await;
    out.sort();
    out
}

/// `alcance mail poll` with the password in the environment, as cron would run it.
fn poll_with_env(db: &TestDb, url: &str, password: &str, extra: &[&str]) -> Output {
    Command::new(BIN)
        .args(["mail", "poll", "--imap-url", url, "--mail-from", "soporte@agencia.test"])
        .args(extra)
        .args(db.cli_args())
        .env("ALCANCE_IMAP_PASSWORD", password)
        .env("ALCANCE_LOG", "warn")
        .env_remove("ALCANCE_IMAP_PASSWORD_FILE")
        .env_remove("ALCANCE_IMAP_CA_FILE")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

#[track_caller]
fn polled(out: &Output, summary: &str) -> String {
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(0), "stdout: {stdout}\nstderr: {stderr}");
    assert!(stdout.contains(summary), "the poll should report `{summary}`:\n{stdout}\nstderr: {stderr}");
    stdout
}

on_both_backends!(
    mail_poll_takes_each_unseen_message_once_and_fails_clearly,
    serve_polls_the_mailbox_and_two_servers_take_each_message_once
);

async fn mail_poll_takes_each_unseen_message_once_and_fails_clearly(backend: TestBackend) {
    let db = TestDb::new(backend).await;
    let Some(mut dovecot) = Dovecot::start(&db.dir().join("dovecot")) else { return };
    let admin = setup(&db).await;
    let new = dovecot.deliver("01-utf8-plain-new.eml", |t| t);
    dovecot.deliver("24-respuesta-automatica.eml", |t| t);
    dovecot.deliver("28-unknown-sender.eml", |t| t);
    dovecot.deliver("38-header-without-colon.eml", |t| t);
    let (url, ca, password) = (dovecot.url(), dovecot.file("ca.pem"), dovecot.file("password"));
    let poll = |extra: &[&str]| {
        let mut args = vec!["mail", "poll", "--imap-url", &url, "--imap-ca-file", &ca, "--imap-password-file"];
        args.push(&password);
        args.extend_from_slice(&["--mail-from", "soporte@agencia.test"]);
        args.extend_from_slice(extra);
        alcance(&db, &args, None)
    };

    let out = poll(&[]);
    let stdout = polled(&out, "INBOX: fetched 4: 3 taken, 0 duplicate(s), 1 rejected, 0 left for later; 0 waiting");
    for outcome in ["accepted: opened ticket #", "ignored: auto_reply_subject", "held for an agent: unknown_sender"] {
        assert!(stdout.contains(outcome), "{outcome}: {stdout}");
    }
    assert!(stdout.contains("rejected: malformed message") && stdout.contains("header_without_colon"), "{stdout}");
    let seen = dovecot.seen();
    assert_eq!(seen.len(), 4);
    assert!(seen.iter().all(|(_, s)| *s), "every handled message is \\Seen, the malformed one too: {seen:?}");
    let tickets = tickets_in_db(&db, &admin).await;
    assert_eq!(tickets.len(), 1, "{tickets:?}");
    assert_eq!(tickets[0].1, "Cambio de banner en la página principal");

    polled(&poll(&[]), "INBOX: fetched 0: 0 taken");

    // Marked unread again (a person, or a poller that died before STORE): recognised, not
    // applied twice, and seen again.
    dovecot.mark_unseen(&new);
    polled(&poll(&[]), "INBOX: fetched 1: 0 taken, 1 duplicate(s)");
    assert!(dovecot.seen().iter().all(|(_, s)| *s));
    assert_eq!(tickets_in_db(&db, &admin).await.len(), 1, "no second ticket");

    let out = poll_with_env(&db, &url, "not-the-password", &["--imap-ca-file", &ca]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(75), "EX_TEMPFAIL on a refused login: {stderr}");
    assert!(stderr.contains("refused the login of `soporte`") && !stderr.contains(PASSWORD), "{stderr}");

    // No --imap-ca-file: the test CA is not among the webpki roots, so the handshake fails.
    let out = poll_with_env(&db, &url, PASSWORD, &[]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(75), "{stderr}");
    assert!(stderr.contains("TLS with the IMAP server") && stderr.contains("certificate"), "{stderr}");

    let nobody_there = format!("imaps://soporte@127.0.0.1:{}/INBOX", free_port());
    let out = poll_with_env(&db, &nobody_there, PASSWORD, &["--imap-ca-file", &ca]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(75), "{stderr}");
    assert!(stderr.contains("cannot reach the IMAP server"), "{stderr}");

    // STARTTLS on the plain port, with the password from the environment this time.
    dovecot.mark_unseen(&new);
    let starttls = format!("imap+starttls://soporte@localhost:{}/INBOX", dovecot.starttls_port);
    polled(
        &poll_with_env(&db, &starttls, PASSWORD, &["--imap-ca-file", &ca]),
        "INBOX: fetched 1: 0 taken, 1 duplicate(s)",
    );
    let out = poll_with_env(&db, &starttls, PASSWORD, &[]);
    assert!(text(&out.stderr).contains("certificate"), "STARTTLS verifies the certificate too");
}

async fn serve_polls_the_mailbox_and_two_servers_take_each_message_once(backend: TestBackend) {
    let db = TestDb::new(backend).await;
    let Some(mut dovecot) = Dovecot::start(&db.dir().join("dovecot")) else { return };
    let admin = setup(&db).await;
    let token = alcance(&db, &["token", "create", "--user", &admin.email], None);
    let token = text(&token.stdout).trim().to_owned();
    for file in
        ["01-utf8-plain-new.eml", "02-latin1-qp-new.eml", "04-base64-utf8-body.eml", "05-subject-mixed-charsets.eml"]
    {
        dovecot.deliver(file, |t| t);
    }
    let (url, ca, password) = (dovecot.url(), dovecot.file("ca.pem"), dovecot.file("password"));
    let args = [
        "--imap-url",
        &url,
        "--imap-ca-file",
        &ca,
        "--imap-password-file",
        &password,
        "--imap-poll-seconds",
        "1",
        "--mail-from",
        "soporte@agencia.test",
        "--no-monitor-checks",
    ];
    // Two servers on one database poll the same mailbox at the same time.
    let first = Server::start_with(&db, free_port(), &args).await;
    let _second = Server::start_with(&db, free_port(), &args).await;
    let client = reqwest::Client::new();
    let get = |path: String| {
        let request = client.get(format!("{}{path}", first.base)).bearer_auth(&token);
        async move { request.send().await.unwrap().json::<Value>().await.unwrap() }
    };
    let wait = |what: &str| (Instant::now() + Duration::from_secs(60), what.to_owned());

    let (deadline, what) = wait("four tickets from the mailbox");
    let tickets = loop {
        let items = get("/api/v1/tickets?organization=camara-armenia".into()).await["items"].clone();
        let items = items.as_array().cloned().unwrap_or_default();
        if items.len() >= 4 && dovecot.seen().iter().all(|(_, s)| *s) {
            break items;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}: {items:?} {:?}", dovecot.seen());
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert_eq!(tickets.len(), 4, "each message opened one ticket, however many servers polled: {tickets:?}");
    assert!(tickets.iter().all(|t| t["channel"] == "email"), "{tickets:?}");
    let banner = tickets.iter().find(|t| t["subject"] == "Cambio de banner en la página principal").unwrap();
    let number = banner["number"].as_i64().unwrap();

    // A reply threads by the [#N] in its subject.
    dovecot.deliver("17-reply-subject-tag.eml", |t| t.replace("[#1042]", &format!("[#{number}]")));
    let (deadline, what) = wait("the reply on the ticket");
    loop {
        let detail = get(format!("/api/v1/tickets/{number}")).await;
        let comments = detail["comments"].as_array().cloned().unwrap_or_default();
        if !comments.is_empty() {
            assert_eq!(comments.len(), 1, "{comments:?}");
            assert!(comments[0]["body"].as_str().unwrap().contains("volvió a fallar el formulario"), "{comments:?}");
            break;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}: {detail}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert!(dovecot.seen().iter().all(|(_, s)| *s), "{:?}", dovecot.seen());
    drop(first);
    drop(_second);
    let tickets = tickets_in_db(&db, &admin).await;
    assert_eq!(tickets.len(), 4, "{tickets:?}");
    assert_eq!(tickets.iter().map(|t| t.2.len()).sum::<usize>(), 1, "one reply in all: {tickets:?}");
}
