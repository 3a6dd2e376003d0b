//! `alcance serve`'s monitoring options: which private networks monitors may reach, extra
//! trusted CAs, the shortest interval, and the probe runner they configure.

use std::path::PathBuf;

use alcance_probe::{IpNet, ProbeOptions, Prober};
use anyhow::{Context, anyhow};
use clap::Args;

#[derive(Args, Debug, Clone)]
pub struct MonitorOptions {
    /// Private, loopback or link-local networks monitors may reach (CIDR, repeat or
    /// comma-separate, e.g. 10.0.0.0/8). By default monitors reach public addresses only.
    #[arg(long = "monitor-allow-network", env = "ALCANCE_MONITOR_ALLOW_NETWORKS", value_delimiter = ',')]
    pub allow_networks: Vec<String>,
    /// A PEM file of extra root certificates to trust (an internal CA).
    #[arg(long = "monitor-ca-file", env = "ALCANCE_MONITOR_CA_FILE")]
    pub ca_file: Option<PathBuf>,
    /// The shortest check interval admins may set, in seconds.
    #[arg(long = "monitor-min-interval-seconds", env = "ALCANCE_MONITOR_MIN_INTERVAL_SECONDS", default_value_t = 30)]
    pub min_interval_seconds: i64,
    /// Do not run monitor checks in this process (another server runs them).
    #[arg(long = "no-monitor-checks", env = "ALCANCE_NO_MONITOR_CHECKS")]
    pub no_checks: bool,
}

impl MonitorOptions {
    pub fn settings(&self) -> alcance_app::monitoring::MonitoringSettings {
        alcance_app::monitoring::MonitoringSettings { min_interval_seconds: self.min_interval_seconds.max(1) }
    }

    pub fn prober(&self) -> anyhow::Result<Prober> {
        let mut options = ProbeOptions::default();
        for text in self.allow_networks.iter().map(|t| t.trim()).filter(|t| !t.is_empty()) {
            let net: IpNet = text.parse().map_err(|_| {
                anyhow!("--monitor-allow-network: `{text}` is not a network in CIDR form (e.g. 10.0.0.0/8)")
            })?;
            options.allowed_networks.push(net);
        }
        if let Some(path) = &self.ca_file {
            let pem = std::fs::read_to_string(path)
                .with_context(|| format!("--monitor-ca-file: cannot read {}", path.display()))?;
            options.extra_roots_pem.push(pem);
        }
        Prober::new(options).map_err(|e| anyhow!("monitoring: {e}"))
    }
}
