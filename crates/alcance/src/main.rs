//! The `alcance` command: serve the help desk, migrate, manage users and tokens, load a demo.

use std::io::Read;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use alcance_app::directory::NewUser;
use alcance_app::{App, AppError, Settings, StoreConfig};
use alcance_domain::Role;
use anyhow::{Context, anyhow};
use clap::{Args, Parser, Subcommand, ValueEnum};

mod mail;
mod monitors;
mod triage;

#[derive(Parser)]
#[command(
    name = "alcance",
    version,
    about = "Alcance: a help desk for agencies that support what they delivered under a written support policy."
)]
struct Cli {
    #[command(flatten)]
    db: DbOptions,
    #[command(subcommand)]
    command: Command,
}

/// Where the data lives; the same for every command, so they can run beside the server.
#[derive(Args, Clone)]
struct DbOptions {
    /// Folder for the embedded SQLite database (created on first run).
    #[arg(long, global = true, env = "ALCANCE_DATA_DIR", default_value = "./data")]
    data_dir: PathBuf,
    /// Use PostgreSQL instead: postgres://user:password@host:port/db.
    #[arg(long, global = true, env = "ALCANCE_DATABASE_URL", hide_env_values = true)]
    database_url: Option<String>,
    /// A scope policy file (TOML) to load instead of the built-in default policy.
    #[arg(long, global = true, env = "ALCANCE_POLICY_FILE")]
    policy: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web service (migrates the database first).
    Serve(ServeOptions),
    /// Apply pending database migrations and exit.
    Migrate,
    /// Manage users.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage API tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Load the Spanish demo data (an agency, three clients, about 60 tickets).
    Demo,
    /// The scope classifier: evaluate it or retrain it.
    #[command(subcommand)]
    Triage(TriageCommand),
    /// E-mail: take in one message from standard input (an MTA pipe), poll the IMAP mailbox
    /// once, or deliver the outbox.
    #[command(subcommand)]
    Mail(mail::MailCommand),
}

#[derive(Subcommand)]
enum TriageCommand {
    /// Evaluate the shipped model (trained on the bundled corpus and the policy) on a labelled
    /// JSON Lines file, or cross-validate on a file with --cross-validate K.
    Eval {
        /// Labelled requests, one JSON object per line (id, subject, body, coverage, category,
        /// priority). With --cross-validate and no file, the bundled corpus.
        file: Option<PathBuf>,
        /// Print one JSON object instead of the readable report.
        #[arg(long)]
        json: bool,
        /// K-fold cross-validation on FILE (models trained on the other folds plus the policy).
        #[arg(long, value_name = "K")]
        cross_validate: Option<usize>,
    },
    /// Retrains from the bundled corpus plus every classification agents confirmed or
    /// corrected, compares the new model with the active one on the held-back slice of agents'
    /// decisions, and stores it (active when it is not worse). Also prints 5-fold
    /// cross-validated figures of the bundled corpus.
    Train {
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
struct ServeOptions {
    /// Address to listen on.
    #[arg(long, env = "ALCANCE_ADDR", default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Load the demo data first if the database has none.
    #[arg(long)]
    demo: bool,
    /// Largest attachment accepted, in MiB.
    #[arg(long, env = "ALCANCE_MAX_ATTACHMENT_MB", default_value_t = 20)]
    max_attachment_mb: usize,
    /// Log format.
    #[arg(long, env = "ALCANCE_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    log_format: LogFormat,
    /// The agency's name, shown in the header of every page.
    #[arg(long, env = "ALCANCE_BRAND_NAME", default_value = "Igniweb · Soporte")]
    brand_name: String,
    /// The agency's main colour (#rgb or #rrggbb).
    #[arg(long, env = "ALCANCE_BRAND_COLOR", default_value = "#0b5cad")]
    brand_color: String,
    /// The agency's logo (SVG or PNG file).
    #[arg(long, env = "ALCANCE_BRAND_LOGO")]
    brand_logo: Option<PathBuf>,
    /// The address people use to reach Alcance, for links in e-mails
    /// (default: http:// plus --addr).
    #[arg(long, env = "ALCANCE_PUBLIC_URL")]
    public_url: Option<String>,
    /// Classify new requests automatically when the classifier is at least this confident
    /// (0-1, e.g. 0.9). Off by default: agents classify every request.
    #[arg(long, env = "ALCANCE_AUTO_CLASSIFY_ABOVE", value_name = "CONFIDENCE", value_parser = confidence)]
    auto_classify_above: Option<f64>,
    /// Minutes after an agent's classification before the classifier is retrained from
    /// agents' decisions (one retraining covers a busy spell).
    #[arg(long, env = "ALCANCE_TRIAGE_RETRAIN_AFTER_MINUTES", default_value_t = 10)]
    triage_retrain_after_minutes: i64,
    #[command(flatten)]
    mail: mail::MailOptions,
    #[command(flatten)]
    monitors: monitors::MonitorOptions,
    #[command(flatten)]
    imap: mail::ImapOptions,
}

/// The brand from the options, refusing a colour or logo that cannot be used.
fn brand(options: &ServeOptions) -> anyhow::Result<alcance_app::Brand> {
    if !alcance_app::Brand::valid_color(&options.brand_color) {
        return Err(anyhow!("--brand-color must be #rgb or #rrggbb, not `{}`", options.brand_color));
    }
    let logo = match &options.brand_logo {
        Some(path) => {
            let bytes = std::fs::read(path).with_context(|| format!("cannot read logo {}", path.display()))?;
            let content_type = match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
                Some("svg") => "image/svg+xml",
                Some("png") => "image/png",
                _ => return Err(anyhow!("--brand-logo must be an .svg or .png file")),
            };
            Some((bytes, content_type.to_owned()))
        }
        None => None,
    };
    Ok(alcance_app::Brand { name: options.brand_name.clone(), color: options.brand_color.clone(), logo })
}

#[derive(Clone, Copy, ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create a user (or, if the e-mail exists, set its password).
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        #[arg(long, value_parser = ["admin", "agent", "manager", "requester"])]
        role: String,
        /// Organisation slug (required for manager and requester).
        #[arg(long)]
        org: Option<String>,
        /// Read the password from standard input (first line).
        #[arg(long)]
        password_stdin: bool,
        /// Interface language: es or en.
        #[arg(long, default_value = "es")]
        language: String,
    },
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Create an API token for a user and print it once.
    Create {
        /// The user's e-mail.
        #[arg(long)]
        user: String,
        #[arg(long, default_value = "cli")]
        label: String,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let log_format = match &cli.command {
        Command::Serve(o) => o.log_format,
        _ => LogFormat::Text,
    };
    init_logging(log_format);
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        // The command already said why; only the status is left to give.
        Err(e) if e.downcast_ref::<mail::Exit>().is_some() => {
            ExitCode::from(e.downcast_ref::<mail::Exit>().map_or(1, |x| x.0))
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn init_logging(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("ALCANCE_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().init(),
    }
}

fn store_config(db: &DbOptions) -> StoreConfig {
    StoreConfig { data_dir: db.data_dir.clone(), database_url: db.database_url.clone().filter(|u| !u.is_empty()) }
}

async fn start(db: &DbOptions, settings: Settings) -> anyhow::Result<App> {
    let policy = match &db.policy {
        Some(path) => {
            std::fs::read_to_string(path).with_context(|| format!("cannot read policy file {}", path.display()))?
        }
        None => alcance_app::policies::DEFAULT_POLICY.to_owned(),
    };
    App::start(&store_config(db), settings, &policy).await.map_err(|e| anyhow!(describe(e)))
}

/// Starts the app for a mail command: a database that cannot be reached is EX_TEMPFAIL (75),
/// so that the MTA or cron tries again later.
async fn start_or_retry(db: &DbOptions, settings: Settings, what: &str) -> anyhow::Result<App> {
    start(db, settings).await.map_err(|e| {
        eprintln!("error: {what}, try again later: {e:#}");
        mail::Exit(75).into()
    })
}

/// Field errors read as sentences on the command line.
fn describe(e: AppError) -> String {
    match e {
        AppError::Invalid(f) => format!(
            "{}: {}{}",
            f.field,
            f.code.as_str().replace('_', " "),
            f.detail.map(|d| format!(" ({d})")).unwrap_or_default()
        ),
        other => other.to_string(),
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Triage(TriageCommand::Train { json }) => {
            let app = start(&cli.db, Settings::default()).await?;
            triage::train(&cli.db, &app, json).await
        }
        Command::Triage(command) => triage::run(&cli.db, command),
        Command::Serve(options) => serve(&cli.db, options).await,
        Command::Migrate => {
            let store = alcance_app::Store::open(&store_config(&cli.db)).await?;
            let applied = store.migrate().await?;
            match applied.as_slice() {
                [] => {
                    println!("database is up to date (schema version {})", alcance_app::Store::latest_schema_version())
                }
                versions => println!("applied migrations: {versions:?}"),
            }
            store.close().await;
            Ok(())
        }
        Command::User(UserCommand::Create { email, name, role, org, password_stdin, language }) => {
            let app = start(&cli.db, Settings::default()).await?;
            let password = if password_stdin { Some(read_password()?) } else { None };
            let role = Role::parse("role", &role).map_err(|e| anyhow!(e.to_string()))?;
            let new = NewUser {
                email: email.clone(),
                name,
                role,
                organization: org,
                password: password.clone(),
                language: Some(language),
            };
            match alcance_app::directory::create_user_unchecked(&app, new).await {
                Ok(user) => println!("created {} user {} (id {})", user.role, user.email, user.id),
                Err(AppError::Invalid(f))
                    if f.code == alcance_domain::FieldErrorCode::AlreadyExists && password.is_some() =>
                {
                    alcance_app::directory::set_password(&app, &email, password.as_deref().unwrap_or_default())
                        .await
                        .map_err(|e| anyhow!(describe(e)))?;
                    println!("user {email} exists: password updated");
                }
                Err(e) => return Err(anyhow!(describe(e))),
            }
            app.store.close().await;
            Ok(())
        }
        Command::Token(TokenCommand::Create { user, label }) => {
            let app = start(&cli.db, Settings::default()).await?;
            let token = alcance_app::auth::issue_token(&app, &user, &label).await.map_err(|e| anyhow!(describe(e)))?;
            println!("{token}");
            app.store.close().await;
            Ok(())
        }
        Command::Mail(mail::MailCommand::Ingest(options)) => {
            let raw = mail::read_message()?;
            let settings = options.settings(&cli.db.data_dir)?;
            let app = start_or_retry(&cli.db, settings, "the message could not be stored").await?;
            let done = mail::ingest(&app, &raw).await;
            app.store.close().await;
            done
        }
        Command::Mail(mail::MailCommand::Poll(options)) => {
            let Some(imap) = options.imap.settings()? else {
                return Err(anyhow!("mail poll needs the mailbox: --imap-url imaps://user@host/INBOX"));
            };
            let settings = options.ingest.settings(&cli.db.data_dir)?;
            let app = start_or_retry(&cli.db, settings, "the database cannot be reached").await?;
            let done = mail::poll(&app, &imap).await;
            app.store.close().await;
            done
        }
        Command::Mail(mail::MailCommand::Deliver(options)) => {
            let settings = Settings { mail: options.mail.settings(&cli.db.data_dir)?, ..Settings::default() };
            let app = start(&cli.db, settings).await?;
            let done = mail::deliver(&app).await;
            app.store.close().await;
            done
        }
        Command::Demo => {
            let app = start(&cli.db, Settings::default()).await?;
            let summary = alcance_app::demo::load(&app).await.map_err(|e| anyhow!(describe(e)))?;
            print_demo(&summary);
            app.store.close().await;
            Ok(())
        }
    }
}

fn read_password() -> anyhow::Result<String> {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input).context("cannot read the password from standard input")?;
    let password = input.lines().next().unwrap_or_default().to_owned();
    if password.is_empty() {
        return Err(anyhow!("no password on standard input"));
    }
    Ok(password)
}

/// A confidence between 0 and 1.
fn confidence(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(v) if (0.0..=1.0).contains(&v) => Ok(v),
        _ => Err(format!("`{text}` is not a confidence between 0 and 1 (e.g. 0.9)")),
    }
}

fn print_demo(summary: &alcance_app::demo::DemoSummary) {
    println!("Demo data loaded: {} tickets.", summary.tickets);
    println!("Sign in with password `{}` as:", summary.password);
    println!("  admin      {}", summary.admin_email);
    println!("  agent      {}", summary.agent_email);
    println!("  manager    {}  (client: Cámara de Comercio de Armenia y el Quindío)", summary.manager_email);
    println!("  requester  {}", summary.requester_email);
}

async fn serve(db: &DbOptions, options: ServeOptions) -> anyhow::Result<()> {
    let settings = Settings {
        max_attachment_bytes: options.max_attachment_mb.saturating_mul(1024 * 1024),
        brand: brand(&options)?,
        public_url: options.public_url.clone().unwrap_or_else(|| format!("http://{}", options.addr)),
        auto_classify_min_confidence: options.auto_classify_above,
        triage_retrain_delay: chrono::Duration::minutes(options.triage_retrain_after_minutes.max(0)),
        mail: options.mail.settings(&db.data_dir)?,
        monitoring: options.monitors.settings(),
        ..Settings::default()
    };
    let prober = options.monitors.prober()?;
    let imap = options.imap.settings()?;
    // Train the triage classifier in the background, so the first request does not wait.
    tokio::spawn(alcance_app::triage::warm_up());
    let listener = tokio::net::TcpListener::bind(options.addr).await.map_err(|e| match e.kind() {
        std::io::ErrorKind::AddrInUse => anyhow!(
            "cannot listen on {}: the address is already in use (is another alcance running? pick another with --addr)",
            options.addr
        ),
        _ => anyhow!("cannot listen on {}: {e}", options.addr),
    })?;
    let app = start(db, settings).await?;
    if let Err(e) = app.store.analyze().await {
        tracing::warn!(error = %e, "could not refresh planner statistics");
    }
    if options.demo {
        match alcance_app::demo::load(&app).await {
            Ok(summary) => print_demo(&summary),
            Err(AppError::Invalid(f)) if f.code == alcance_domain::FieldErrorCode::AlreadyExists => {
                println!("Demo data already loaded (the README lists the demo sign-ins).");
            }
            Err(e) => return Err(anyhow!(describe(e))),
        }
    }
    let local = listener.local_addr().unwrap_or(options.addr);
    let backend = match app.store.backend() {
        alcance_app::StoreBackend::Sqlite => format!("SQLite in {}", db.data_dir.display()),
        alcance_app::StoreBackend::Postgres => "PostgreSQL".to_owned(),
    };
    println!("Alcance is listening on http://{local} ({backend}). API: http://{local}/api/v1/openapi.json");
    tracing::info!(%local, "listening");
    let store = app.store.clone();
    let (stop_worker, worker_stop) = tokio::sync::watch::channel(false);
    let worker =
        tokio::spawn(alcance_app::jobs::run_worker(app.clone(), std::time::Duration::from_secs(1), worker_stop));
    let monitor_runner = (!options.monitors.no_checks).then(|| {
        let stop = stop_worker.subscribe();
        let tick = std::time::Duration::from_secs(1);
        tokio::spawn(alcance_app::monitoring::runner::run_forever(app.clone(), prober, tick, stop))
    });
    let imap_poller = imap.map(|settings| {
        tracing::info!(server = %settings.server(), mailbox = %settings.mailbox, "polling the IMAP mailbox");
        tokio::spawn(alcance_app::mail_imap::run_forever(app.clone(), settings, stop_worker.subscribe()))
    });
    alcance_web::serve(listener, app, shutdown_signal()).await.context("server error")?;
    let _ = stop_worker.send(true);
    let _ = worker.await;
    if let Some(runner) = monitor_runner {
        let _ = runner.await;
    }
    if let Some(poller) = imap_poller {
        let _ = poller.await;
    }
    store.close().await;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(s) => s,
            Err(_) => {
                let _ = ctrl_c.await;
                return;
            }
        };
        tokio::select! {
            _ = ctrl_c => {},
            _ = term.recv() => {},
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}
