//! Text normalisation: what a request looks like once case, accents, signatures, numbers and
//! inflection no longer matter.
//!
//! Requests are typed in a hurry: "NO CARGA LA PAGINA", "no sirbe el buscador", "se cayó". The
//! classifier sees the same tokens for all of them: lowercase, accents folded (ñ -> n too, since
//! people without a Spanish keyboard type "contrasena"), words split on anything that is not a
//! letter or digit, and each word reduced to its Snowball Spanish stem. Typos are handled later
//! by character n-grams (see `features`), which share most of their grams with the right spelling.

use rust_stemmers::{Algorithm, Stemmer};

/// One word of a request: the folded surface form (for explanations and character n-grams) and
/// its stem (for word features).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub surface: String,
    pub stem: String,
}

/// Lowercases and folds accents and other diacritics to plain ASCII letters where there is an
/// obvious equivalent; keeps digits; turns everything else into a space.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        for l in c.to_lowercase() {
            let folded = match l {
                'á' | 'à' | 'ä' | 'â' | 'ã' | 'å' => 'a',
                'é' | 'è' | 'ë' | 'ê' => 'e',
                'í' | 'ì' | 'ï' | 'î' => 'i',
                'ó' | 'ò' | 'ö' | 'ô' | 'õ' => 'o',
                'ú' | 'ù' | 'ü' | 'û' => 'u',
                'ñ' => 'n',
                'ç' => 'c',
                c if c.is_ascii_alphanumeric() => c,
                c if c.is_alphanumeric() => c,
                _ => ' ',
            };
            out.push(folded);
        }
    }
    out
}

/// Lines that start a signature or a forwarded trailer: what follows names people, phones and
/// organisations, which say nothing about the category and only add noise.
const SIGN_OFFS: &[&str] = &[
    "cordialmente",
    "atentamente",
    "saludos",
    "un saludo",
    "quedo atento",
    "quedo atenta",
    "quedamos atentos",
    "mil gracias",
    "muchas gracias",
    "gracias",
    "best regards",
    "regards",
    "kind regards",
    "thanks",
    "thank you",
    "cheers",
    "enviado desde",
    "sent from",
];

/// Drops the signature: everything from the first short line, after the first third of the text,
/// that is only a sign-off ("Cordialmente,", "Saludos", "Thanks!").
pub fn strip_signature(body: &str) -> &str {
    let min_offset = body.len() / 3;
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        if start < min_offset {
            continue;
        }
        let folded = fold(line);
        let words = folded.split_whitespace().collect::<Vec<_>>().join(" ");
        if !words.is_empty() && words.len() <= 24 && SIGN_OFFS.iter().any(|s| words.starts_with(s)) {
            return &body[..start];
        }
    }
    body
}

/// Short words that carry no meaning for the category (after folding). Negations ("no", "nada",
/// "nadie") and quantities ("todo", "todos") are kept on purpose: "no carga", "nadie puede".
const STOPWORDS: &[&str] = &[
    "a",
    "al",
    "ante",
    "con",
    "de",
    "del",
    "el",
    "en",
    "es",
    "esa",
    "ese",
    "eso",
    "esta",
    "este",
    "esto",
    "la",
    "las",
    "le",
    "les",
    "lo",
    "los",
    "me",
    "mi",
    "mis",
    "nos",
    "o",
    "os",
    "para",
    "por",
    "que",
    "se",
    "si",
    "su",
    "sus",
    "te",
    "tu",
    "un",
    "una",
    "uno",
    "unos",
    "unas",
    "y",
    "ya",
    "e",
    "u",
    "the",
    "of",
    "to",
    "and",
    "in",
    "on",
    "for",
    "is",
    "it",
    "we",
    "our",
    "you",
    "your",
    "an",
    "at",
    "be",
    "this",
    "that",
    "are",
    "with",
    "as",
    "from",
    "buenos",
    "buenas",
    "dias",
    "dia",
    "tardes",
    "hola",
    "cordial",
    "saludo",
    "senores",
    "hi",
    "hello",
    "dear",
    "estimados",
    "respetados",
    "favor",
    "please",
    "porfa",
    "equipo",
    "team",
];

pub fn is_stopword(word: &str) -> bool {
    STOPWORDS.contains(&word)
}

/// The stemmers, built once per model (they are cheap but not free).
pub struct Stemmers {
    es: Stemmer,
}

impl Default for Stemmers {
    fn default() -> Self {
        Self { es: Stemmer::create(Algorithm::Spanish) }
    }
}

impl Stemmers {
    /// Snowball Spanish stem of a folded word. Numbers are collapsed to a shape ("error 500"
    /// keeps its code; other numbers become "#") so dates and phone numbers do not become
    /// features of their own.
    pub fn stem(&self, word: &str) -> String {
        if word.chars().all(|c| c.is_ascii_digit()) {
            return match word {
                "500" | "502" | "503" | "504" | "404" | "403" | "401" | "100" => word.to_owned(),
                _ => "#".to_owned(),
            };
        }
        self.es.stem(word).into_owned()
    }

    /// Tokens of a text (already signature-stripped), stopwords removed.
    pub fn tokens(&self, text: &str) -> Vec<Token> {
        fold(text)
            .split_whitespace()
            .filter(|w| !is_stopword(w))
            .map(|w| Token { surface: w.to_owned(), stem: self.stem(w) })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_accents_case_and_punctuation() {
        assert_eq!(fold("¡Se CAYÓ la página! Contraseña"), " se cayo la pagina  contrasena");
    }

    #[test]
    fn stems_inflections_to_the_same_word() {
        let s = Stemmers::default();
        assert_eq!(s.stem("caido"), s.stem("caida"));
        assert_eq!(s.stem("lentitud"), s.stem("lentitud"));
        assert_eq!(s.stem("certificados"), s.stem("certificado"));
        assert_eq!(s.stem("2024"), "#");
        assert_eq!(s.stem("502"), "502");
    }

    #[test]
    fn strips_the_signature() {
        let body = "El sitio no carga desde esta mañana y nadie puede entrar.\n\nCordialmente,\nAna Pérez\nTel 123";
        assert_eq!(strip_signature(body), "El sitio no carga desde esta mañana y nadie puede entrar.\n\n");
    }
}
