//! Interface texts come from Fluent files (locales/{es,en}), embedded at build time.
//! Spanish is the default; English is chosen when the caller asks for it.

use std::borrow::Cow;
use std::collections::HashMap;

use axum::http::HeaderMap;
use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader};

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "es",
        // Plain text for JSON: no Unicode isolation marks around arguments.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Es,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Es => "es",
            Lang::En => "en",
        }
    }

    fn id(self) -> LanguageIdentifier {
        match self {
            Lang::Es => fluent_templates::langid!("es"),
            Lang::En => fluent_templates::langid!("en"),
        }
    }

    /// Picks Spanish or English from Accept-Language, by quality; Spanish when neither
    /// is asked for.
    pub fn negotiate(headers: &HeaderMap) -> Lang {
        let Some(header) = headers.get(axum::http::header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()) else {
            return Lang::Es;
        };
        let mut best: Option<(f32, Lang)> = None;
        for part in header.split(',') {
            let mut pieces = part.trim().split(';');
            let tag = pieces.next().unwrap_or_default().trim().to_ascii_lowercase();
            let quality =
                pieces.find_map(|p| p.trim().strip_prefix("q=").and_then(|q| q.parse::<f32>().ok())).unwrap_or(1.0);
            let lang = match tag.split('-').next() {
                Some("es") => Lang::Es,
                Some("en") => Lang::En,
                _ => continue,
            };
            if best.is_none_or(|(q, _)| quality > q) {
                best = Some((quality, lang));
            }
        }
        best.map_or(Lang::Es, |(_, lang)| lang)
    }

    pub fn text(self, key: &str, args: &[(&'static str, String)]) -> String {
        let args: HashMap<Cow<'static, str>, FluentValue> =
            args.iter().map(|(k, v)| (Cow::Borrowed(*k), FluentValue::from(v.clone()))).collect();
        LOCALES.lookup_complete(&self.id(), key, Some(&args))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn with(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            axum::http::header::ACCEPT_LANGUAGE,
            HeaderValue::from_str(value).unwrap_or(HeaderValue::from_static("")),
        );
        h
    }

    #[test]
    fn negotiation_prefers_quality_and_defaults_to_spanish() {
        assert_eq!(Lang::negotiate(&HeaderMap::new()), Lang::Es);
        assert_eq!(Lang::negotiate(&with("en-US,en;q=0.9")), Lang::En);
        assert_eq!(Lang::negotiate(&with("fr, en;q=0.5, es-CO;q=0.8")), Lang::Es);
        assert_eq!(Lang::negotiate(&with("de")), Lang::Es);
    }

    #[test]
    fn every_key_exists_in_both_languages() {
        let read_all = |lang: &str| -> String {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("locales").join(lang);
            let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
            files.sort();
            files.iter().map(|f| std::fs::read_to_string(f).unwrap()).collect::<Vec<_>>().join("\n")
        };
        let (es, en) = (read_all("es"), read_all("en"));
        let (es, en) = (es.as_str(), en.as_str());
        let keys = |text: &str| -> Vec<String> {
            let mut keys: Vec<String> = text
                .lines()
                .filter(|l| !l.starts_with('#') && !l.starts_with(' ') && l.contains(" ="))
                .filter_map(|l| l.split(" =").next().map(str::to_owned))
                .collect();
            keys.sort();
            keys
        };
        assert_eq!(keys(es), keys(en));
        assert_eq!(Lang::Es.text("problem-not_found", &[]), "No encontrado");
        assert_eq!(
            Lang::En.text("field-required", &[("field", "subject".into())]),
            "The field \"subject\" is required."
        );
    }
}
