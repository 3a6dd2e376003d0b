//! The server under test: building it, preparing its database with the real CLI, running
//! it, reading its memory, stopping it.

use std::io::Write;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use anyhow::{Context, anyhow, bail};

/// Environment variables the `alcance` CLI reads that would override what the bench passes.
const ALCANCE_ENV: &[&str] = &["ALCANCE_DATA_DIR", "ALCANCE_DATABASE_URL", "ALCANCE_POLICY_FILE", "ALCANCE_ADDR"];

/// Builds the server with `cargo build --release` into the target directory the bench
/// itself runs from (so `CARGO_TARGET_DIR` and `--target-dir` are honoured) and returns
/// the path of the `alcance` binary.
pub fn build() -> anyhow::Result<PathBuf> {
    let exe = std::env::current_exe().context("cannot locate the bench executable")?;
    // <target>/release/alcance-bench (or <target>/debug/…): the target dir is two levels up.
    let target_dir = exe
        .parent()
        .and_then(Path::parent)
        .ok_or_else(|| anyhow!("cannot find the target directory from {}", exe.display()))?;
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    eprintln!("bench: building the server (cargo build --release -p alcance)…");
    let status = Command::new(cargo)
        .current_dir(&workspace)
        .args(["build", "--release", "-p", "alcance", "--bin", "alcance", "--target-dir"])
        .arg(target_dir)
        .stdout(to_stderr()?)
        .status()
        .context("cannot run cargo")?;
    if !status.success() {
        bail!("cargo build of the server failed ({status})");
    }
    let binary = target_dir.join("release").join("alcance");
    if !binary.is_file() {
        bail!("the server binary is not at {}", binary.display());
    }
    Ok(binary)
}

/// A child's stdout sent to our stderr: the bench's stdout carries only the JSON result.
fn to_stderr() -> anyhow::Result<Stdio> {
    use std::os::fd::AsFd;
    let fd = std::io::stderr().as_fd().try_clone_to_owned().context("cannot duplicate stderr")?;
    Ok(Stdio::from(fd))
}

/// Where the server keeps its data: always a fresh folder, plus a PostgreSQL URL if given.
pub struct Store {
    pub data_dir: PathBuf,
    pub database_url: Option<String>,
}

impl Store {
    pub fn fresh(database_url: Option<String>) -> anyhow::Result<Self> {
        let nanos =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
        let data_dir = std::env::temp_dir().join(format!("alcance-bench-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&data_dir).with_context(|| format!("cannot create {}", data_dir.display()))?;
        Ok(Self { data_dir, database_url })
    }

    pub fn backend(&self) -> &'static str {
        if self.database_url.is_some() { "postgres" } else { "sqlite" }
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        if let Err(e) = std::fs::remove_dir_all(&self.data_dir) {
            eprintln!("bench: cannot remove {}: {e}", self.data_dir.display());
        }
    }
}

/// The `alcance` binary pointed at one store.
pub struct Cli<'a> {
    pub binary: &'a Path,
    pub store: &'a Store,
}

impl Cli<'_> {
    fn command(&self) -> Command {
        let mut cmd = Command::new(self.binary);
        for var in ALCANCE_ENV {
            cmd.env_remove(var);
        }
        cmd.arg("--data-dir").arg(&self.store.data_dir);
        if let Some(url) = &self.store.database_url {
            cmd.arg("--database-url").arg(url);
        }
        cmd
    }

    /// Runs a CLI command, feeding `stdin`, and returns its standard output.
    fn run(&self, args: &[&str], stdin: Option<&str>) -> anyhow::Result<String> {
        let mut child = self
            .command()
            .args(args)
            .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
            .stdout(Stdio::piped())
            .spawn()
            .with_context(|| format!("cannot run alcance {}", args.join(" ")))?;
        if let (Some(text), Some(mut pipe)) = (stdin, child.stdin.take()) {
            pipe.write_all(text.as_bytes()).context("cannot write to alcance's stdin")?;
        }
        let output = child.wait_with_output().context("alcance did not finish")?;
        if !output.status.success() {
            bail!("alcance {} failed ({})", args.join(" "), output.status);
        }
        String::from_utf8(output.stdout).context("alcance printed non-UTF-8 output")
    }

    pub fn create_user(&self, email: &str, name: &str, role: &str, password: &str) -> anyhow::Result<()> {
        let out = self.run(
            &["user", "create", "--email", email, "--name", name, "--role", role, "--password-stdin"],
            Some(&format!("{password}\n")),
        )?;
        eprint!("bench: {out}");
        Ok(())
    }

    pub fn create_token(&self, email: &str) -> anyhow::Result<String> {
        let out = self.run(&["token", "create", "--user", email, "--label", "bench"], None)?;
        let token = out.trim().to_owned();
        if token.is_empty() || token.contains(char::is_whitespace) {
            bail!("unexpected output from alcance token create: {out:?}");
        }
        Ok(token)
    }

    /// Starts `alcance serve` on a free local port.
    pub fn serve(&self) -> anyhow::Result<Server> {
        let port = free_port()?;
        let addr = format!("127.0.0.1:{port}");
        let child = self
            .command()
            .args(["serve", "--addr", &addr])
            .stdin(Stdio::null())
            .stdout(to_stderr()?)
            .spawn()
            .context("cannot start alcance serve")?;
        Ok(Server { child, base: format!("http://{addr}") })
    }
}

fn free_port() -> anyhow::Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").context("cannot find a free port")?;
    Ok(listener.local_addr()?.port())
}

/// A running server; killed if dropped without [`Server::stop`].
pub struct Server {
    child: Child,
    pub base: String,
}

impl Server {
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Errors if the process has exited (it failed to start, or crashed).
    pub fn check_alive(&mut self) -> anyhow::Result<()> {
        match self.child.try_wait()? {
            Some(status) => bail!("the server exited ({status})"),
            None => Ok(()),
        }
    }

    /// A field of /proc/<pid>/status, in MiB (VmRSS: resident now; VmHWM: the peak).
    pub fn memory_mb(&self, field: &str) -> anyhow::Result<f64> {
        let path = format!("/proc/{}/status", self.pid());
        let status = std::fs::read_to_string(&path).with_context(|| format!("cannot read {path}"))?;
        let line = status
            .lines()
            .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
            .ok_or_else(|| anyhow!("no {field} in {path}"))?;
        let kb: f64 = line
            .trim()
            .trim_end_matches("kB")
            .trim()
            .parse()
            .with_context(|| format!("cannot parse {field}: {line:?}"))?;
        Ok(kb / 1024.0)
    }

    /// CPU time the server has used so far (user + system, all its threads), in seconds:
    /// fields 14 and 15 of /proc/<pid>/stat, in clock ticks of 1/100 s (USER_HZ, 100 on
    /// every Linux the bench runs on). Unlike throughput, it hardly depends on what else the
    /// machine is running.
    pub fn cpu_seconds(&self) -> anyhow::Result<f64> {
        let path = format!("/proc/{}/stat", self.pid());
        let stat = std::fs::read_to_string(&path).with_context(|| format!("cannot read {path}"))?;
        // The command name (field 2) may hold spaces; the fields after it are plain numbers.
        let rest = stat.rsplit_once(')').map(|(_, rest)| rest).ok_or_else(|| anyhow!("odd {path}"))?;
        let fields: Vec<&str> = rest.split_whitespace().collect();
        let ticks = |i: usize| -> anyhow::Result<f64> {
            let field = fields.get(i).ok_or_else(|| anyhow!("short {path}"))?;
            field.parse::<f64>().with_context(|| format!("cannot parse field {} of {path}", i + 3))
        };
        // After ")": state is field 3, so utime (14) and stime (15) are at 11 and 12.
        Ok((ticks(11)? + ticks(12)?) / 100.0)
    }

    /// SIGTERM, so the server shuts down gracefully; killed if it takes over 10 s.
    pub fn stop(mut self) -> anyhow::Result<()> {
        let pid = self.pid().to_string();
        let sent = Command::new("kill").args(["-TERM", &pid]).status().map(|s| s.success()).unwrap_or(false);
        if sent {
            for _ in 0..200 {
                if let Some(status) = self.child.try_wait()? {
                    if !status.success() {
                        eprintln!("bench: the server exited with {status}");
                    }
                    return Ok(());
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            eprintln!("bench: the server did not stop within 10 s of SIGTERM; killing it");
        }
        self.child.kill().context("cannot kill the server")?;
        self.child.wait()?;
        Ok(())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
