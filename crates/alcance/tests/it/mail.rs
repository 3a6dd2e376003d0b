//! `alcance mail ingest`: a message on standard input, as an MTA pipe delivers it; what it
//! prints and the exit status the MTA acts on (0 taken, 65 malformed).

use std::io::Write;
use std::process::{Command, Output, Stdio};

use alcance_app::directory::{self, NewOrganization, NewUser};
use alcance_app::{Actor, App, Settings};
use alcance_domain::Role;
use alcance_testkit::{TestBackend, TestDb, on_both_backends};

use crate::support::{BIN, text};

on_both_backends!(ingest_prints_what_it_did_and_exits_for_the_mta);

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

async fn ingest_prints_what_it_did_and_exits_for_the_mta(backend: TestBackend) {
    let db = TestDb::new(backend).await;
    {
        let app = App::start(&db.config, Settings::default(), alcance_app::policies::DEFAULT_POLICY).await.unwrap();
        let user = |email: &str, role, org: Option<&str>| NewUser {
            email: email.into(),
            name: "Persona".into(),
            role,
            organization: org.map(Into::into),
            password: None,
            language: None,
        };
        let admin = directory::create_user_unchecked(&app, user("admin@agencia.co", Role::Admin, None)).await.unwrap();
        let org = NewOrganization { slug: "camara".into(), name: "Cámara".into(), time_zone: None };
        directory::create_org(&app, &Actor { user: admin }, org).await.unwrap();
        directory::create_user_unchecked(&app, user("ana@camara.co", Role::Requester, Some("camara"))).await.unwrap();
        app.store.close().await;
    }

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
