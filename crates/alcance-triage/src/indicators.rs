//! Hand-designed indicators: what a request says about time, intent and contrast, which the
//! words alone confuse. The policy's traps are requests whose words point one way and whose facts
//! point the other: "solicitamos como nueva funcionalidad" about something that stopped working,
//! "eso es un bug" next to "pensamos que venía incluido", "cómo agrego un campo" (a question, not
//! a change), "preparar el servidor para 10.000 visitas" (it works today; the load is future).
//!
//! The indicator groups themselves are data: the `x_` groups of `cues.txt` (regression,
//! wish, question, acceptance, future/planning, delegation, negated failure...). With the
//! indicator family on, each group found becomes a binary feature `i:<group>` (its phrase stays a
//! cue feature, so explanations still show it). This module adds what a phrase list cannot say:
//! - `i:qmark`: the request asks something ("?" or "¿"); a usage question almost always does,
//!   a change request often does not, a bug report rarely;
//! - `i:qmark_subject`: the subject itself is a question;
//! - crosses of each indicator with each category cue group found (`i:<group>&<category>`), so
//!   the model can learn that regression words next to integration words still mean a bug, or
//!   that a question next to change words is still a question. Their weights are learned like
//!   any other; nothing here decides a category.

use std::fmt::Write as _;

use crate::features::{FeatureConfig, Raw};

/// Adds the indicator features of a request whose category cue matches are `found`.
pub fn add(raw: &mut Raw, key: &mut String, config: &FeatureConfig, subject: &str, body: &str, found: &[(&str, &str)]) {
    let asks = |t: &str| t.contains('?') || t.contains('¿');
    if asks(subject) || asks(body) {
        raw.add("i:qmark", "?");
    }
    if asks(subject) {
        raw.add("i:qmark_subject", "?");
    }
    if !config.indicator_cross {
        return;
    }
    let mut indicators: Vec<&str> = found.iter().filter(|(g, _)| g.starts_with("x_")).map(|(g, _)| *g).collect();
    if asks(subject) || asks(body) {
        indicators.push("qmark");
    }
    indicators.dedup();
    let mut categories: Vec<&str> = found.iter().filter(|(g, _)| !g.starts_with("x_")).map(|(g, _)| *g).collect();
    categories.dedup();
    for i in &indicators {
        for c in &categories {
            key.clear();
            let _ = write!(key, "i:{i}&{c}");
            raw.add(key, i);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::features::{FeatureConfig, extract};
    use crate::normalize::Stemmers;

    fn keys(config: &FeatureConfig, subject: &str, body: &str) -> Vec<String> {
        let mut k: Vec<String> = extract(&Stemmers::default(), config, subject, body)
            .counts
            .into_keys()
            .filter(|k| k.starts_with("i:"))
            .collect();
        k.sort();
        k
    }

    #[test]
    fn indicators_mark_tense_intent_and_questions() {
        let on = FeatureConfig { indicator: 0.3, ..FeatureConfig::default() };
        let regression = keys(&on, "", "El buscador dejó de traer resultados desde ayer");
        assert!(regression.contains(&"i:x_stopped_working".to_owned()), "{regression:?}");
        assert!(!regression.iter().any(|k| k.starts_with("i:qmark")), "{regression:?}");
        let wish = keys(&on, "¿Se puede?", "Nos gustaría que el catálogo tuviera filtros por marca");
        assert!(wish.contains(&"i:x_wish".to_owned()) && wish.contains(&"i:qmark_subject".to_owned()), "{wish:?}");
        let future = keys(&on, "", "La próxima semana tendremos una campaña y el sitio funciona bien");
        for k in ["i:x_future", "i:x_works_now"] {
            assert!(future.contains(&k.to_owned()), "{future:?}");
        }
        // Crosses only when asked for, and never without a category cue to cross with.
        let crossed = FeatureConfig { indicator_cross: true, ..on.clone() };
        assert!(keys(&crossed, "", "Ya no funciona el formulario").iter().any(|k| k.contains('&')));
        assert!(!keys(&on, "", "Ya no funciona el formulario").iter().any(|k| k.contains('&')));
        // Off: the groups stay ordinary cues.
        let off = FeatureConfig { indicator: 0.0, ..FeatureConfig::default() };
        assert!(keys(&off, "", "dejó de funcionar ayer, ¿por qué?").is_empty());
    }
}
