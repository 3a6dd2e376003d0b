//! The SSRF guard: which addresses a monitor may reach. A monitor is configured by people who
//! are not the server's operator, so by default it must not be a way into the server's own
//! network (loopback, private ranges, cloud metadata endpoints).

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use ipnet::IpNet;

/// Why an address is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BlockReason {
    /// 127.0.0.0/8, ::1.
    Loopback,
    /// 10/8, 172.16/12, 192.168/16, and the deprecated IPv6 site-local fec0::/10.
    Private,
    /// 169.254/16, fe80::/10.
    LinkLocal,
    /// Cloud metadata endpoints (169.254.169.254, fd00:ec2::254 and their siblings), which hand
    /// out credentials to whoever asks from inside the machine.
    Metadata,
    /// 0.0.0.0/8 and ::, which reach the local machine on Linux.
    Unspecified,
    /// 224/4, ff00::/8.
    Multicast,
    /// 255.255.255.255.
    Broadcast,
    /// 192.0.2/24, 198.51.100/24, 203.0.113/24, 2001:db8::/32, 3fff::/20.
    Documentation,
    /// Other special-purpose ranges (240/4, 198.18/15, 192.0.0/24, 2001::/23, anything outside
    /// the IPv6 global unicast 2000::/3 …).
    Reserved,
    /// 100.64/10, carrier-grade NAT.
    SharedCgnat,
    /// fc00::/7.
    UniqueLocal,
}

impl BlockReason {
    /// A stable machine code, e.g. `"loopback"`, `"shared_cgnat"`.
    pub fn code(self) -> &'static str {
        match self {
            BlockReason::Loopback => "loopback",
            BlockReason::Private => "private",
            BlockReason::LinkLocal => "link_local",
            BlockReason::Metadata => "metadata",
            BlockReason::Unspecified => "unspecified",
            BlockReason::Multicast => "multicast",
            BlockReason::Broadcast => "broadcast",
            BlockReason::Documentation => "documentation",
            BlockReason::Reserved => "reserved",
            BlockReason::SharedCgnat => "shared_cgnat",
            BlockReason::UniqueLocal => "unique_local",
        }
    }

    fn description(self) -> &'static str {
        match self {
            BlockReason::Loopback => "a loopback address",
            BlockReason::Private => "a private address",
            BlockReason::LinkLocal => "a link-local address",
            BlockReason::Metadata => "a cloud metadata address",
            BlockReason::Unspecified => "an unspecified address",
            BlockReason::Multicast => "a multicast address",
            BlockReason::Broadcast => "the broadcast address",
            BlockReason::Documentation => "a documentation address",
            BlockReason::Reserved => "a reserved address",
            BlockReason::SharedCgnat => "a carrier-grade NAT address",
            BlockReason::UniqueLocal => "a unique local IPv6 address",
        }
    }
}

impl fmt::Display for BlockReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.description())
    }
}

/// A host the guard refused: the name as given, the address it resolved to, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockedAddress {
    pub host: String,
    pub ip: IpAddr,
    pub reason: BlockReason,
}

impl BlockedAddress {
    /// Always `"blocked"`; the reason has its own [`BlockReason::code`].
    pub fn code(&self) -> &'static str {
        "blocked"
    }
}

impl fmt::Display for BlockedAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let host = self.host.trim_start_matches('[').trim_end_matches(']');
        if host.parse::<IpAddr>().is_ok() {
            write!(f, "{} is {}", self.ip, self.reason)?;
        } else {
            write!(f, "{} resolves to {}, {}", self.host, self.ip, self.reason)?;
        }
        f.write_str(" and monitors may not reach it unless an administrator allows its network")
    }
}

impl std::error::Error for BlockedAddress {}

/// Addresses that hand out cloud credentials: AWS/GCP/Azure/Oracle IMDS, AWS ECS task metadata,
/// EKS pod identity, Alibaba Cloud metadata (inside 100.64/10) and Azure's wireserver (public).
const METADATA_V4: [Ipv4Addr; 5] = [
    Ipv4Addr::new(169, 254, 169, 254),
    Ipv4Addr::new(169, 254, 170, 2),
    Ipv4Addr::new(169, 254, 170, 23),
    Ipv4Addr::new(100, 100, 100, 200),
    Ipv4Addr::new(168, 63, 129, 16),
];
const METADATA_V6: [Ipv6Addr; 2] =
    [Ipv6Addr::new(0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x254), Ipv6Addr::new(0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x23)];

/// Whether a monitor may connect to `ip`. IPv4 inside IPv6 (mapped `::ffff:a.b.c.d`, NAT64
/// `64:ff9b::/96`, 6to4 `2002::/16`) is judged as the IPv4 address it carries. An address inside
/// one of `allowed` passes whatever its kind, except a cloud metadata address, which passes only
/// when `allowed` lists exactly that address (`/32` or `/128`): allowing `169.254.0.0/16` for a
/// link-local device must not hand out the machine's cloud credentials by accident.
pub fn check_address(ip: IpAddr, allowed: &[IpNet]) -> Result<(), BlockReason> {
    let judged = embedded_v4(ip).map_or(ip, IpAddr::V4);
    let Some(reason) = classify(judged) else {
        return Ok(());
    };
    let let_through = if reason == BlockReason::Metadata {
        allowed.iter().any(|net| net.prefix_len() == net.max_prefix_len() && net.addr() == judged)
    } else {
        allowed.iter().any(|net| net.contains(&judged) || net.contains(&ip))
    };
    if let_through { Ok(()) } else { Err(reason) }
}

fn embedded_v4(ip: IpAddr) -> Option<Ipv4Addr> {
    let IpAddr::V6(v6) = ip else { return None };
    if let Some(v4) = v6.to_ipv4_mapped() {
        return Some(v4);
    }
    let s = v6.segments();
    let v4 = |hi: u16, lo: u16| {
        let [a, b] = hi.to_be_bytes();
        let [c, d] = lo.to_be_bytes();
        Ipv4Addr::new(a, b, c, d)
    };
    match s {
        [0x64, 0xff9b, 0, 0, 0, 0, hi, lo] => Some(v4(hi, lo)),
        [0x2002, hi, lo, ..] => Some(v4(hi, lo)),
        _ => None,
    }
}

fn classify(ip: IpAddr) -> Option<BlockReason> {
    match ip {
        IpAddr::V4(v4) => classify_v4(v4),
        IpAddr::V6(v6) => classify_v6(v6),
    }
}

fn classify_v4(ip: Ipv4Addr) -> Option<BlockReason> {
    if METADATA_V4.contains(&ip) {
        return Some(BlockReason::Metadata);
    }
    let reason = match ip.octets() {
        [0, ..] => BlockReason::Unspecified,
        [10, ..] | [192, 168, ..] => BlockReason::Private,
        [172, b, ..] if (16..32).contains(&b) => BlockReason::Private,
        [100, b, ..] if (64..128).contains(&b) => BlockReason::SharedCgnat,
        [127, ..] => BlockReason::Loopback,
        [169, 254, ..] => BlockReason::LinkLocal,
        [192, 0, 2, _] | [198, 51, 100, _] | [203, 0, 113, _] => BlockReason::Documentation,
        [192, 0, 0, _] | [192, 88, 99, _] | [198, 18 | 19, ..] => BlockReason::Reserved,
        [255, 255, 255, 255] => BlockReason::Broadcast,
        [224..=239, ..] => BlockReason::Multicast,
        [240..=255, ..] => BlockReason::Reserved,
        _ => return None,
    };
    Some(reason)
}

fn classify_v6(ip: Ipv6Addr) -> Option<BlockReason> {
    if METADATA_V6.contains(&ip) {
        return Some(BlockReason::Metadata);
    }
    if ip.is_unspecified() {
        return Some(BlockReason::Unspecified);
    }
    if ip.is_loopback() {
        return Some(BlockReason::Loopback);
    }
    let s = ip.segments();
    let reason = match s[0] {
        0xff00..=0xffff => BlockReason::Multicast,
        0xfe80..=0xfebf => BlockReason::LinkLocal,
        0xfec0..=0xfeff => BlockReason::Private,
        0xfc00..=0xfdff => BlockReason::UniqueLocal,
        0x2001 if s[1] == 0x0db8 => BlockReason::Documentation,
        0x3fff if s[1] < 0x1000 => BlockReason::Documentation,
        0x2001 if s[1] < 0x0200 => BlockReason::Reserved,
        0x5f00 => BlockReason::Reserved,
        // Only 2000::/3 is allocated for global unicast; everything else is special or unassigned.
        0x2000..=0x3fff => return None,
        _ => BlockReason::Reserved,
    };
    Some(reason)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    fn verdict(ip: &str, allowed: &[&str]) -> Result<(), BlockReason> {
        let allowed: Vec<IpNet> = allowed.iter().map(|n| n.parse().unwrap()).collect();
        check_address(ip.parse().unwrap(), &allowed)
    }

    fn assert_blocked(reason: BlockReason, ips: &[&str]) {
        for ip in ips {
            assert_eq!(verdict(ip, &[]), Err(reason), "{ip}");
        }
    }

    #[test]
    fn public_addresses_pass() {
        for ip in [
            "1.1.1.1",
            "8.8.8.8",
            "93.184.216.34",
            "172.32.0.1",
            "100.128.0.1",
            "2606:4700:4700::1111",
            "2a00:1450:4001::200e",
            "::ffff:8.8.8.8",
            "64:ff9b::808:808",
        ] {
            assert_eq!(verdict(ip, &[]), Ok(()), "{ip}");
        }
    }

    #[test]
    fn each_reason_is_recognised() {
        use BlockReason::*;
        assert_blocked(Loopback, &["127.0.0.1", "127.255.0.9", "::1"]);
        assert_blocked(Private, &["10.0.0.1", "172.16.0.1", "172.31.255.255", "192.168.1.1", "fec0::1"]);
        assert_blocked(LinkLocal, &["169.254.1.1", "fe80::1"]);
        assert_blocked(
            Metadata,
            &["169.254.169.254", "169.254.170.2", "100.100.100.200", "168.63.129.16", "fd00:ec2::254"],
        );
        assert_blocked(Unspecified, &["0.0.0.0", "0.1.2.3", "::"]);
        assert_blocked(Multicast, &["224.0.0.1", "239.255.255.250", "ff02::1"]);
        assert_blocked(Broadcast, &["255.255.255.255"]);
        assert_blocked(Documentation, &["192.0.2.1", "198.51.100.7", "203.0.113.9", "2001:db8::1", "3fff::1"]);
        assert_blocked(Reserved, &["240.0.0.1", "198.18.0.1", "192.0.0.8", "2001::1", "100::1", "4000::1", "::2"]);
        assert_blocked(SharedCgnat, &["100.64.0.1", "100.127.255.254"]);
        assert_blocked(UniqueLocal, &["fc00::1", "fd12:3456::1"]);
    }

    #[test]
    fn ipv4_inside_ipv6_is_judged_as_ipv4() {
        assert_eq!(verdict("::ffff:127.0.0.1", &[]), Err(BlockReason::Loopback));
        assert_eq!(verdict("::ffff:10.1.2.3", &[]), Err(BlockReason::Private));
        assert_eq!(verdict("::ffff:169.254.169.254", &[]), Err(BlockReason::Metadata));
        assert_eq!(verdict("64:ff9b::7f00:1", &[]), Err(BlockReason::Loopback));
        assert_eq!(verdict("2002:a00:1::", &[]), Err(BlockReason::Private));
        assert_eq!(verdict("::ffff:127.0.0.1", &["127.0.0.0/8"]), Ok(()));
    }

    #[test]
    fn the_allow_list_lets_its_networks_through_and_nothing_else() {
        assert_eq!(verdict("127.0.0.1", &["127.0.0.0/8"]), Ok(()));
        assert_eq!(verdict("::1", &["::1/128"]), Ok(()));
        assert_eq!(verdict("::1", &["127.0.0.0/8"]), Err(BlockReason::Loopback));
        assert_eq!(verdict("10.20.30.40", &["10.0.0.0/8"]), Ok(()));
        assert_eq!(verdict("192.168.1.1", &["10.0.0.0/8"]), Err(BlockReason::Private));
        assert_eq!(verdict("10.20.30.40", &["10.20.0.0/24"]), Err(BlockReason::Private));
        assert_eq!(verdict("fd12::1", &["fd00::/8"]), Ok(()));
    }

    #[test]
    fn metadata_needs_its_exact_address_in_the_allow_list() {
        let wide = ["169.254.0.0/16", "0.0.0.0/0", "fd00::/8"];
        assert_eq!(verdict("169.254.1.1", &wide), Ok(()));
        assert_eq!(verdict("169.254.169.254", &wide), Err(BlockReason::Metadata));
        assert_eq!(verdict("fd00:ec2::254", &wide), Err(BlockReason::Metadata));
        assert_eq!(verdict("169.254.169.254", &["169.254.169.254/32"]), Ok(()));
    }

    #[test]
    fn blocked_address_explains_itself() {
        let blocked = BlockedAddress {
            host: "intranet.example".into(),
            ip: "10.0.0.5".parse().unwrap(),
            reason: BlockReason::Private,
        };
        assert_eq!(blocked.code(), "blocked");
        let text = blocked.to_string();
        assert!(text.starts_with("intranet.example resolves to 10.0.0.5, a private address"), "{text}");
        assert_eq!(BlockReason::SharedCgnat.code(), "shared_cgnat");
    }
}
