use std::net::TcpListener;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use alcance_testkit::TestDb;

pub const BIN: &str = env!("CARGO_BIN_EXE_alcance");

/// Runs `alcance ARGS` against `db`, feeding `stdin`.
pub fn alcance(db: &TestDb, args: &[&str], stdin: Option<&str>) -> Output {
    let mut cmd = Command::new(BIN);
    cmd.args(args).args(db.cli_args()).env_remove("ALCANCE_DATABASE_URL").env_remove("ALCANCE_DATA_DIR");
    cmd.stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("start alcance");
    if let Some(text) = stdin {
        use std::io::Write;
        child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
    }
    child.wait_with_output().unwrap()
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A running `alcance serve`.
pub struct Server {
    pub child: Child,
    pub base: String,
}

impl Server {
    pub async fn start(db: &TestDb, port: u16) -> Server {
        Self::start_with(db, port, &[]).await
    }

    /// Starts `alcance serve` with more options.
    pub async fn start_with(db: &TestDb, port: u16, extra: &[&str]) -> Server {
        let addr = format!("127.0.0.1:{port}");
        let child = Command::new(BIN)
            .args(["serve", "--addr", &addr])
            .args(extra)
            .args(db.cli_args())
            .env("ALCANCE_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start server");
        let base = format!("http://{addr}");
        let client = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(r) = client.get(format!("{base}/healthz")).send().await
                && r.status().is_success()
            {
                break;
            }
            assert!(Instant::now() < deadline, "server did not start on {addr}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Server { child, base }
    }

    /// SIGKILL: no shutdown code runs.
    pub fn kill9(&mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Creates an admin with the CLI and returns an API token for them.
pub fn admin_token(db: &TestDb) -> String {
    let out =
        alcance(db, &["user", "create", "--email", "admin@agencia.co", "--name", "Admin", "--role", "admin"], None);
    assert!(out.status.success(), "user create: {}", text(&out.stderr));
    let out = alcance(db, &["token", "create", "--user", "admin@agencia.co"], None);
    assert!(out.status.success(), "token create: {}", text(&out.stderr));
    text(&out.stdout).trim().to_owned()
}

/// An admin (returned) and the organisation `slug` with requester contacts, made through the
/// use cases, as the mail tests write from them.
pub async fn org_with_contacts(
    db: &TestDb,
    admin_email: &str,
    slug: &str,
    contacts: &[&str],
) -> alcance_domain::model::User {
    use alcance_app::directory::{self, NewOrganization, NewUser};
    use alcance_app::{Actor, App, Settings};
    use alcance_domain::Role;
    let app = App::start(&db.config, Settings::default(), alcance_app::policies::DEFAULT_POLICY).await.unwrap();
    let user = |email: &str, role, org: Option<&str>| NewUser {
        email: email.into(),
        name: "Persona".into(),
        role,
        organization: org.map(Into::into),
        password: None,
        language: None,
    };
    let admin = directory::create_user_unchecked(&app, user(admin_email, Role::Admin, None)).await.unwrap();
    let org = NewOrganization { slug: slug.into(), name: "Cámara".into(), time_zone: None };
    directory::create_org(&app, &Actor { user: admin.clone() }, org).await.unwrap();
    for contact in contacts {
        directory::create_user_unchecked(&app, user(contact, Role::Requester, Some(slug))).await.unwrap();
    }
    app.store.close().await;
    admin
}
