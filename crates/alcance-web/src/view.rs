//! Presentation helpers shared by the pages: dates in the organisation's time zone, money
//! and numbers in Colombian format, sanitized Markdown, labels of closed sets from Fluent.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::i18n::Lang;

pub const DEFAULT_TIME_ZONE: Tz = chrono_tz::America::Bogota;

#[allow(dead_code)]
pub fn zone(name: &str) -> Tz {
    name.parse().unwrap_or(DEFAULT_TIME_ZONE)
}

/// "27/11/2026 2:05 p. m." in Spanish, "11/27/2026 2:05 PM" in English, in `tz`.
pub fn datetime(lang: Lang, tz: Tz, at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&tz);
    match lang {
        Lang::Es => {
            let suffix = if local.format("%P").to_string() == "am" { "a. m." } else { "p. m." };
            format!("{} {}", local.format("%d/%m/%Y %-I:%M"), suffix)
        }
        Lang::En => local.format("%m/%d/%Y %-I:%M %p").to_string(),
    }
}

/// The same instant in ISO 8601, for `<time datetime>`.
pub fn iso(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// "hace 3 h" / "3 h ago": how long ago, coarsely.
pub fn ago(lang: Lang, now: DateTime<Utc>, at: DateTime<Utc>) -> String {
    let minutes = (now - at).num_minutes().max(0);
    if minutes == 0 {
        return match lang {
            Lang::Es => "hace un momento".into(),
            Lang::En => "just now".into(),
        };
    }
    let (n, unit) = match minutes {
        0..=59 => (minutes, "min"),
        60..=1439 => (minutes / 60, "h"),
        _ => (minutes / 1440, "d"),
    };
    match lang {
        Lang::Es => format!("hace {n} {unit}"),
        Lang::En => format!("{n} {unit} ago"),
    }
}

/// Groups digits by thousands with dots: 1234567 -> "1.234.567".
pub fn thousands(value: i64) -> String {
    let digits = value.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(ch);
    }
    if value < 0 { format!("-{out}") } else { out }
}

/// Colombian pesos: "$ 1.234.567" (amounts are whole pesos).
pub fn cop(pesos: i64) -> String {
    format!("$ {}", thousands(pesos))
}

/// Money in minor units of `currency`: COP is shown in whole pesos, others with two decimals
/// and a comma, as written in Colombia.
pub fn money(minor: i64, currency: &str) -> String {
    if currency == "COP" {
        cop(minor)
    } else {
        format!("{currency} {},{:02}", thousands(minor / 100), (minor % 100).abs())
    }
}

/// User Markdown as HTML that is safe to insert: rendered, then sanitized (no scripts, no
/// event handlers, no styles; links get rel="noopener noreferrer").
pub fn markdown(text: &str) -> String {
    let mut options = pulldown_cmark::Options::empty();
    options.insert(pulldown_cmark::Options::ENABLE_TABLES);
    options.insert(pulldown_cmark::Options::ENABLE_STRIKETHROUGH);
    // People write line by line (and e-mails arrive that way): a single newline is a line
    // break, as in most help desks, not a space.
    let parser = pulldown_cmark::Parser::new_ext(text, options).map(|event| match event {
        pulldown_cmark::Event::SoftBreak => pulldown_cmark::Event::HardBreak,
        other => other,
    });
    let mut html = String::with_capacity(text.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, parser);
    ammonia::clean(&html)
}

/// File sizes: "2,4 MB" / "2.4 MB".
pub fn bytes(lang: Lang, size: i64) -> String {
    let (value, unit) = match size {
        s if s >= 1024 * 1024 => (s as f64 / (1024.0 * 1024.0), "MB"),
        s if s >= 1024 => (s as f64 / 1024.0, "KB"),
        s => return format!("{s} B"),
    };
    let text = format!("{value:.1}");
    match lang {
        Lang::Es => format!("{} {unit}", text.replace('.', ",")),
        Lang::En => format!("{text} {unit}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn colombian_formats() {
        assert_eq!(cop(1_234_567), "$ 1.234.567");
        assert_eq!(cop(0), "$ 0");
        assert_eq!(money(123_456, "USD"), "USD 1.234,56");
        assert_eq!(thousands(-1000), "-1.000");
        let at = Utc.with_ymd_and_hms(2026, 11, 27, 19, 5, 0).unwrap();
        assert_eq!(datetime(Lang::Es, DEFAULT_TIME_ZONE, at), "27/11/2026 2:05 p. m.");
        assert_eq!(datetime(Lang::En, DEFAULT_TIME_ZONE, at), "11/27/2026 2:05 PM");
        assert_eq!(bytes(Lang::Es, 2_500_000), "2,4 MB");
    }

    #[test]
    fn markdown_is_sanitized() {
        let html = markdown("**hola** <script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>");
        assert!(html.contains("<strong>hola</strong>"));
        assert!(!html.contains("<script") && !html.contains("javascript:") && !html.contains("onerror"));
    }
}
