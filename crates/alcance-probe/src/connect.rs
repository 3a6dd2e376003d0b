//! Resolving a host and connecting to it through the guard. The addresses are resolved once,
//! every one is checked, and the socket is opened to one of exactly those addresses: a second
//! lookup (by a library, at connect time) could answer differently (DNS rebinding).

use std::net::{IpAddr, SocketAddr};

use ipnet::IpNet;
use tokio::net::TcpStream;

use crate::guard::{BlockedAddress, check_address};

/// What a probe connects to: an address written literally, or a name to resolve.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Target<'a> {
    Ip(IpAddr),
    Name(&'a str),
}

impl<'a> Target<'a> {
    /// Reads a host as a person writes it: a name, an IPv4 address, or an IPv6 address with or
    /// without brackets.
    pub(crate) fn parse(host: &'a str) -> Target<'a> {
        let bare = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')).unwrap_or(host);
        match bare.parse::<IpAddr>() {
            Ok(ip) => Target::Ip(ip),
            Err(_) => Target::Name(host),
        }
    }
}

/// Why no connection was made.
#[derive(Debug)]
pub(crate) enum Unreachable {
    Blocked(BlockedAddress),
    Dns(String),
    Connect(String),
}

/// Resolves `target`, refuses it if ANY address is blocked, then connects to the checked
/// addresses in order until one answers.
pub(crate) async fn connect_checked(
    host: &str,
    target: Target<'_>,
    port: u16,
    allowed: &[IpNet],
) -> Result<TcpStream, Unreachable> {
    let addresses = resolve(target, port).await?;
    for address in &addresses {
        if let Err(reason) = check_address(address.ip(), allowed) {
            return Err(Unreachable::Blocked(BlockedAddress { host: host.to_owned(), ip: address.ip(), reason }));
        }
    }
    let mut last_error = None;
    for address in addresses {
        // An IPv4-mapped address was judged as IPv4; connect to it as IPv4 too.
        let address = SocketAddr::new(address.ip().to_canonical(), address.port());
        match TcpStream::connect(address).await {
            Ok(stream) => {
                // Requests are one small write; waiting for Nagle would only add latency.
                let _ = stream.set_nodelay(true);
                return Ok(stream);
            }
            Err(error) => last_error = Some(format!("{address}: {error}")),
        }
    }
    Err(Unreachable::Connect(last_error.unwrap_or_else(|| "no address to connect to".to_owned())))
}

async fn resolve(target: Target<'_>, port: u16) -> Result<Vec<SocketAddr>, Unreachable> {
    let name = match target {
        Target::Ip(ip) => return Ok(vec![SocketAddr::new(ip, port)]),
        Target::Name(name) => name,
    };
    let found =
        tokio::net::lookup_host((name, port)).await.map_err(|error| Unreachable::Dns(format!("{name}: {error}")))?;
    let mut addresses: Vec<SocketAddr> = Vec::new();
    for address in found {
        if !addresses.contains(&address) {
            addresses.push(address);
        }
    }
    if addresses.is_empty() {
        return Err(Unreachable::Dns(format!("{name}: no addresses")));
    }
    Ok(addresses)
}
