//! Hand-written cue phrases per category and per priority.
//!
//! Why a lexicon at all: the labelled corpus is small (hundreds of requests, mostly Colombian),
//! and the requests the product will see come from other countries and styles ("se me cayó la
//! web", "no anda", "la página no levanta", "it's down"). A learned model only knows the words it
//! has seen; these lists carry what a support lead knows in general about each clause of the
//! policy, in several varieties of Spanish, English and Spanglish. They are used twice:
//! 1. as features: a request that contains any cue of a category gets the feature `cue:<id>`
//!    (and its phrase as a feature), whose weight the model learns from the corpus, so a cue
//!    never overrides evidence, and an unseen phrasing that shares a cue still counts;
//! 2. as short training documents for their category, so the words of a cue carry weight even
//!    when the corpus never used them.
//!
//! Phrases are written folded (lowercase, no accents) and match at the start of a word; a
//! phrase may end in the middle of a word to act as a prefix ("caid" matches caído/caída).
//! Keep them general support language, not phrases copied from one dev request.

/// The cue lists, as data: `cues.txt` next to this file.
const CUES: &str = include_str!("cues.txt");

/// Cue groups: (group, phrases), in file order.
pub type Cues = Vec<(String, Vec<String>)>;

fn parse(section: &str) -> Cues {
    let mut groups: Cues = Vec::new();
    let mut current = "";
    for line in CUES.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            current = name;
            continue;
        }
        if current != section {
            continue;
        }
        let Some((group, phrases)) = line.split_once(':') else { continue };
        let phrases = phrases
            .split('|')
            .map(|p| crate::normalize::fold(p).split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|p| !p.is_empty());
        match groups.iter_mut().find(|(g, _)| g == group.trim()) {
            Some((_, list)) => list.extend(phrases),
            None => groups.push((group.trim().to_owned(), phrases.collect())),
        }
    }
    groups
}

/// Cue phrases per category id of the default policy. Categories of another policy without an
/// entry simply get no cues.
pub fn category_cues() -> &'static Cues {
    static CATEGORY: std::sync::OnceLock<Cues> = std::sync::OnceLock::new();
    CATEGORY.get_or_init(|| parse("categories"))
}

/// Cue phrases per priority. Urgency words alone do not make a request critical (people write
/// "URGENTE" on questions); the priority model weighs these together with the category.
pub fn priority_cues() -> &'static Cues {
    static PRIORITY: std::sync::OnceLock<Cues> = std::sync::OnceLock::new();
    PRIORITY.get_or_init(|| parse("priorities"))
}

/// Hand-written paraphrases of the policy's clauses (`knowledge.txt`): (category id, text).
pub fn paraphrases() -> &'static [(String, String)] {
    static PARAPHRASES: std::sync::OnceLock<Vec<(String, String)>> = std::sync::OnceLock::new();
    PARAPHRASES.get_or_init(|| {
        include_str!("knowledge.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .filter_map(|l| l.split_once(':'))
            .map(|(id, text)| (id.trim().to_owned(), text.trim().to_owned()))
            .collect()
    })
}

/// Every cue of `cues` found in `padded` (folded words joined by single spaces, with a leading
/// and trailing space), as (group, phrase), in the order of `cues`.
pub fn matches<'a>(padded: &str, cues: &'a Cues) -> Vec<(&'a str, &'a str)> {
    let index = if std::ptr::eq(cues, category_cues()) {
        static INDEX: std::sync::OnceLock<PhraseIndex> = std::sync::OnceLock::new();
        INDEX.get_or_init(|| PhraseIndex::new(cues))
    } else if std::ptr::eq(cues, priority_cues()) {
        static INDEX: std::sync::OnceLock<PhraseIndex> = std::sync::OnceLock::new();
        INDEX.get_or_init(|| PhraseIndex::new(cues))
    } else {
        return matches_by_scan(padded, cues);
    };
    let bytes = padded.as_bytes();
    let mut hits: Vec<(usize, usize)> = Vec::new();
    for at in 0..bytes.len() {
        if !(at == 0 || bytes[at - 1] == b' ') || bytes[at] == b' ' {
            continue;
        }
        let key = [bytes[at], bytes.get(at + 1).copied().unwrap_or(b' ')];
        for &(g, p) in index.by_start.get(&key).into_iter().flatten().chain(&index.short) {
            if padded[at..].starts_with(cues[g].1[p].trim()) {
                hits.push((g, p));
            }
        }
    }
    hits.sort_unstable();
    hits.dedup();
    hits.into_iter().map(|(g, p)| (cues[g].0.as_str(), cues[g].1[p].as_str())).collect()
}

/// The (group, phrase) positions of a cue list by the phrase's first two bytes, so that each
/// word start of a request is compared with a handful of phrases instead of the text being
/// searched once per phrase (prediction time no longer grows with the lexicon).
struct PhraseIndex {
    by_start: std::collections::HashMap<[u8; 2], Vec<(usize, usize)>>,
    /// One-byte phrases, tried at every word start.
    short: Vec<(usize, usize)>,
}

impl PhraseIndex {
    fn new(cues: &Cues) -> Self {
        let mut index = PhraseIndex { by_start: Default::default(), short: Vec::new() };
        for (g, (_, phrases)) in cues.iter().enumerate() {
            for (p, phrase) in phrases.iter().enumerate() {
                match phrase.trim().as_bytes() {
                    [] => {}
                    [_] => index.short.push((g, p)),
                    [a, b, ..] => index.by_start.entry([*a, *b]).or_default().push((g, p)),
                }
            }
        }
        index
    }
}

/// The plain search, for cue lists other than the two of this crate.
fn matches_by_scan<'a>(padded: &str, cues: &'a Cues) -> Vec<(&'a str, &'a str)> {
    let mut found = Vec::new();
    for (group, phrases) in cues {
        for phrase in phrases {
            let needle = phrase.trim();
            if !needle.is_empty() && contains_at_word_start(padded, needle) {
                found.push((group.as_str(), phrase.as_str()));
            }
        }
    }
    found
}

fn contains_at_word_start(padded: &str, needle: &str) -> bool {
    let mut from = 0;
    while let Some(pos) = padded[from..].find(needle) {
        let at = from + pos;
        if at == 0 || padded.as_bytes()[at - 1] == b' ' {
            return true;
        }
        from = at + 1;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cues_match_at_word_starts_only() {
        let text = " el sitio se cayo y esta caido desde la manana ";
        let found = matches(text, category_cues());
        assert_eq!(category_cues().iter().filter(|(g, _)| !g.starts_with("x_")).count(), 12);
        assert_eq!(priority_cues().len(), 4);
        assert!(found.contains(&("server_availability", "se cayo")));
        assert!(found.contains(&("server_availability", "caid")));
        assert!(!contains_at_word_start(" recaida ", "caid"));
        // The indexed search finds exactly what the plain one does.
        for text in [text, " no carga la web desde el deploy urgente nadie puede pagar 502 ", " recaida "] {
            assert_eq!(matches(text, category_cues()), matches_by_scan(text, category_cues()));
            assert_eq!(matches(text, priority_cues()), matches_by_scan(text, priority_cues()));
        }
    }
}
