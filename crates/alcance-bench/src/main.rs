//! `alcance-bench`: builds and starts the real `alcance` server on a fresh database, sets
//! up an admin and a client contact through the CLI and the API, opens N tickets over the
//! API, times filtered lists and single reads, and prints ONE JSON object on stdout
//! (progress goes to stderr):
//!
//! ```text
//! cargo run --release -p alcance-bench -- --tickets 100000 [--concurrency 32] [--database-url postgres://…] [--server path/to/alcance]
//! ```
//!
//! Without `--database-url` the server uses SQLite in a new temporary folder, removed at the
//! end. With `--database-url` it uses that PostgreSQL database, which must be empty (create
//! one for the run, e.g. `CREATE DATABASE alcance_bench`, and drop it afterwards): the bench
//! refuses to run if it already holds tickets.
//!
//! Figures: `api_create_per_s` = tickets / wall time of the creation phase (every 201 is
//! durable: the server commits before answering), `seed_seconds` = that wall time;
//! `list_*` and `get_p99_ms` = client-side latency of sequential requests as an admin;
//! `server_cpu_ms_per_create` = the server's CPU time (all threads) over the creation phase,
//! per ticket: the cost of a creation, which on a busy machine says more than the rate;
//! `idle_rss_mb` = VmRSS after setup and 2 s idle; `peak_rss_mb` = VmHWM at the end.

mod load;
mod server;
mod text;

use std::time::Duration;

use anyhow::{Context, bail};
use clap::Parser;
use serde_json::json;

use load::Api;
use server::{Cli, Store};
use text::XorShift;

#[derive(Parser)]
#[command(name = "alcance-bench", about = "Benchmark the alcance server: prints one JSON object of figures on stdout.")]
struct Args {
    /// How many tickets to open through the API.
    #[arg(long, default_value_t = 100_000)]
    tickets: u64,
    /// Concurrent requests while opening tickets.
    #[arg(long, default_value_t = 32)]
    concurrency: usize,
    /// An EMPTY PostgreSQL database (postgres://user:password@host:port/db); SQLite in a
    /// temporary folder when absent.
    #[arg(long)]
    database_url: Option<String>,
    /// Sequential requests in each read phase.
    #[arg(long, default_value_t = 2000)]
    reads: usize,
    /// Run this `alcance` binary instead of building the workspace's (to compare two builds
    /// with the same bench, e.g. before and after a change).
    #[arg(long)]
    server: Option<std::path::PathBuf>,
}

const ADMIN: &str = "admin@bench.local";
const REQUESTER: &str = "requester@bench.local";
const PASSWORD: &str = "bench-password-2024";

fn main() -> std::process::ExitCode {
    let args = Args::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(args)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

async fn run(args: Args) -> anyhow::Result<()> {
    if args.tickets == 0 || args.concurrency == 0 || args.reads == 0 {
        bail!("--tickets, --concurrency and --reads must be at least 1");
    }
    let binary = match args.server.clone() {
        Some(path) if path.is_file() => path,
        Some(path) => bail!("--server {} is not a file", path.display()),
        None => server::build()?,
    };
    let store = Store::fresh(args.database_url.clone().filter(|u| !u.is_empty()))?;
    eprintln!("bench: {} store, data dir {}", store.backend(), store.data_dir.display());
    let cli = Cli { binary: &binary, store: &store };

    // The operator's path: an admin and its token from the CLI (this also migrates).
    cli.create_user(ADMIN, "Admin Bench", "admin", PASSWORD)?;
    let admin = cli.create_token(ADMIN)?;

    let mut server = cli.serve()?;
    let api = Api::new(&server.base)?;
    api.wait_healthy(|| server.check_alive()).await?;
    eprintln!("bench: server {} is up at {}", server.pid(), server.base);

    let existing = api.get("/api/v1/tickets?limit=1", &admin).await?;
    if existing["items"].as_array().is_some_and(|items| !items.is_empty()) {
        bail!(
            "the database already holds tickets: give --database-url an empty database (e.g. CREATE DATABASE alcance_bench_run)"
        );
    }
    api.post("/api/v1/organizations", &admin, json!({"slug": "bench-org", "name": "Bench Org"}))
        .await
        .context("cannot create the organisation bench-org (is the database empty?)")?;
    let user = json!({"email": REQUESTER, "name": "Ana Solicitante", "role": "requester", "organization": "bench-org", "password": PASSWORD});
    api.post("/api/v1/users", &admin, user).await?;
    let answer = api.post("/api/v1/tokens", &admin, json!({"label": "bench", "user": REQUESTER})).await?;
    let requester = answer["token"].as_str().context("no token in the answer of POST /api/v1/tokens")?.to_owned();

    tokio::time::sleep(Duration::from_secs(2)).await;
    let idle_rss_mb = server.memory_mb("VmRSS")?;
    eprintln!(
        "bench: idle RSS {idle_rss_mb:.1} MiB; opening {} tickets with {} concurrent requests…",
        args.tickets, args.concurrency
    );

    let cpu_before = server.cpu_seconds()?;
    let created = load::create_tickets(&api, &requester, args.tickets, args.concurrency).await?;
    let cpu_ms_per_create = (server.cpu_seconds()? - cpu_before) * 1000.0 / args.tickets as f64;
    let per_s = args.tickets as f64 / created.seconds;
    eprintln!(
        "bench: {} tickets in {:.2} s ({per_s:.1}/s, server CPU {cpu_ms_per_create:.2} ms each), numbers {}..={}",
        args.tickets, created.seconds, created.first_number, created.last_number
    );

    let mut rng = XorShift::new(0x5EED_A1CA_0CE5);
    let lists = load::list_latencies(&api, &admin, &created, args.reads, &mut rng).await?;
    eprintln!(
        "bench: lists p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        load::percentile(&lists, 50.0),
        load::percentile(&lists, 99.0),
        load::percentile(&lists, 100.0)
    );
    let gets = load::get_latencies(&api, &admin, &created, args.reads, &mut rng).await?;
    eprintln!(
        "bench: gets p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        load::percentile(&gets, 50.0),
        load::percentile(&gets, 99.0),
        load::percentile(&gets, 100.0)
    );
    let cookie = load::browser_session(&api, ADMIN, PASSWORD).await?;
    let queue = load::queue_latencies(&api, &cookie, args.reads).await?;
    eprintln!(
        "bench: agent queue page p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        load::percentile(&queue, 50.0),
        load::percentile(&queue, 99.0),
        load::percentile(&queue, 100.0)
    );
    server.check_alive()?;
    let peak_rss_mb = server.memory_mb("VmHWM")?;

    let result = json!({
        "backend": store.backend(),
        "tickets": args.tickets,
        "concurrency": args.concurrency,
        "api_create_per_s": round2(per_s),
        "server_cpu_ms_per_create": round2(cpu_ms_per_create),
        "list_p50_ms": round2(load::percentile(&lists, 50.0)),
        "list_p99_ms": round2(load::percentile(&lists, 99.0)),
        "get_p99_ms": round2(load::percentile(&gets, 99.0)),
        "queue_page_p50_ms": round2(load::percentile(&queue, 50.0)),
        "queue_page_p99_ms": round2(load::percentile(&queue, 99.0)),
        "idle_rss_mb": round2(idle_rss_mb),
        "peak_rss_mb": round2(peak_rss_mb),
        "seed_seconds": round2(created.seconds),
    });
    println!("{result}");
    server.stop()?;
    Ok(())
}
