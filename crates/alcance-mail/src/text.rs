//! Plain-text passes: format=flowed, charset repair, and cutting a reply down to its new text.

/// Words (lowercase) that end a reply attribution line: "El lun, … escribió:", "On …, X
/// wrote:". The attribution is only removed when quoted lines follow it.
const ATTRIBUTION: &[&str] = &[
    "escribió:",
    "escribio:",
    "wrote:",
    "a écrit :",
    "a écrit:",
    "schrieb:",
    "escreveu:",
    "scrisse:",
    "schreef:",
    "skrev:",
];

/// How attributions begin: "El lun, …", "On Mon, …", "Le …", "Am …", "Em …", "Il …", "Op …".
const STARTERS: &[&str] = &["el ", "on ", "le ", "am ", "em ", "il ", "op ", "den "];

/// First lines of an Outlook-style quoted header block ("De: … / Enviado: …").
const HEADER_FROM: &[&str] = &["de:", "from:", "von:", "da:"];
const HEADER_DATE: &[&str] = &["enviado:", "sent:", "fecha:", "date:", "enviado el:", "gesendet:", "data:", "envoyé :"];
/// Separators some clients put above quoted history.
const SEPARATORS: &[&str] = &[
    "-----original message-----",
    "-----mensaje original-----",
    "----- mensaje original -----",
    "-----mensagem original-----",
    "-----ursprüngliche nachricht-----",
];

/// Undoes RFC 3676 format=flowed: a line ending in a space continues on the next line
/// (space-stuffing removed; with `delsp=yes` the trailing space itself is dropped). Quoted
/// lines only join lines of the same quote depth. The signature separator "-- " stays fixed.
pub fn unflow(text: &str, delsp: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut open: Option<usize> = None; // quote depth of a paragraph still flowing
    let body = text.strip_suffix('\n').unwrap_or(text);
    for raw in body.split('\n') {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        let depth = raw.bytes().take_while(|&b| b == b'>').count();
        let body = &raw[depth..];
        let body = body.strip_prefix(' ').unwrap_or(body);
        if open.is_some_and(|d| d != depth) {
            out.push('\n');
            open = None;
        }
        if open.is_none() {
            for _ in 0..depth {
                out.push('>');
            }
            if depth > 0 {
                out.push(' ');
            }
        }
        let flowed = body.ends_with(' ') && body != "-- ";
        if flowed {
            out.push_str(if delsp { &body[..body.len() - 1] } else { body });
            open = Some(depth);
        } else {
            out.push_str(body);
            out.push('\n');
            open = None;
        }
    }
    if out.ends_with('\n') && !text.ends_with('\n') {
        out.pop();
    }
    out
}

/// Decodes a text body whose declared charset was absent or wrong: UTF-8 when the bytes are
/// valid UTF-8, otherwise windows-1252 (a superset of ISO-8859-1 for printable text, and
/// what mislabelled Western European mail almost always is).
pub fn decode_fallback(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => match mail_parser::decoders::charsets::map::charset_decoder(b"windows-1252") {
            Some(decode) => decode(bytes),
            None => String::from_utf8_lossy(bytes).into_owned(),
        },
    }
}

/// Cuts a reply down to what the sender wrote: drops everything from a signature separator
/// ("-- ") or an Outlook-style quoted header block on, every `>`-quoted line, and the
/// attribution paragraph right before the first quoted block. Forwards (`keep_forwarded`)
/// keep the Outlook-style block, since the forwarded text is the point of the message.
pub fn strip_reply(text: &str, keep_forwarded: bool) -> String {
    let lines: Vec<&str> = text.lines().map(|l| l.trim_end_matches('\r')).collect();
    let mut end = lines.len();
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim();
        if *line == "-- " || *line == "--" {
            end = i;
            break;
        }
        if keep_forwarded {
            continue;
        }
        let lower = trimmed.to_lowercase();
        if SEPARATORS.contains(&lower.as_str()) || starts_header_block(&lines[i..]) {
            end = i;
            // An underscore or dash rule right above the block belongs to it.
            if let Some(prev) = (0..i).rev().find(|&j| !lines[j].trim().is_empty())
                && is_rule(lines[prev])
            {
                end = prev;
            }
            break;
        }
    }
    let lines = &lines[..end];
    let first_quote = lines.iter().position(|l| l.starts_with('>'));
    let mut keep = vec![true; lines.len()];
    if let Some(q) = first_quote {
        let attribution = attribution_span(&lines[..q]);
        for k in keep.iter_mut().take(q).skip(attribution) {
            *k = false;
        }
    }
    let mut out = String::new();
    for (line, kept) in lines.iter().zip(keep) {
        if kept && !line.starts_with('>') {
            out.push_str(line.trim_end());
            out.push('\n');
        }
    }
    tidy(&out)
}

/// The index where the attribution before a quote starts (or `lines.len()`): the last one
/// to three non-blank lines right above the quote whose text ends with "escribió:" etc. and
/// that begin like an attribution ("El …", "On …") or a paragraph. Gmail wraps long
/// attributions, so "escribió:" can sit alone on its line.
fn attribution_span(lines: &[&str]) -> usize {
    let mut end = lines.len();
    while end > 0 && lines[end - 1].trim().is_empty() {
        end -= 1;
    }
    let mut paragraph_start = None;
    for k in 1..=3.min(end) {
        let start = end - k;
        if lines[start].trim().is_empty() {
            break;
        }
        let joined = lines[start..end].join(" ").to_lowercase();
        if !ATTRIBUTION.iter().any(|w| joined.trim_end().ends_with(w)) {
            continue;
        }
        let first = lines[start].trim_start().to_lowercase();
        if STARTERS.iter().any(|s| first.starts_with(s)) {
            return start;
        }
        if start == 0 || lines[start - 1].trim().is_empty() {
            paragraph_start = paragraph_start.or(Some(start));
        }
    }
    paragraph_start.unwrap_or(lines.len())
}

fn starts_header_block(lines: &[&str]) -> bool {
    let first = lines.first().map(|l| l.trim().to_lowercase()).unwrap_or_default();
    let first = first.trim_start_matches('*'); // Outlook bolds field names in HTML
    if !HEADER_FROM.iter().any(|h| first.starts_with(h)) {
        return false;
    }
    lines.iter().skip(1).take(4).any(|l| {
        let l = l.trim().to_lowercase();
        let l = l.trim_start_matches('*');
        HEADER_DATE.iter().any(|h| l.starts_with(h))
    })
}

fn is_rule(line: &str) -> bool {
    let t = line.trim();
    t.len() >= 10 && t.chars().all(|c| c == '_' || c == '-')
}

/// Trims trailing whitespace, collapses runs of blank lines and trims the ends.
pub fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = false;
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank = !out.is_empty();
            continue;
        }
        if blank {
            out.push('\n');
            blank = false;
        }
        out.push_str(line);
        out.push('\n');
    }
    out.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unflows_paragraphs_and_delsp() {
        assert_eq!(
            unflow("Hola y \r\nsigo.\r\n>> cita \r\n>> sigue\r\nfin", false),
            "Hola y sigo.\n>> cita sigue\nfin"
        );
        assert_eq!(unflow("Reuni \r\nón\r\n", true), "Reunión\n");
        assert_eq!(unflow("-- \r\nfirma", false), "-- \nfirma");
        assert_eq!(unflow(" >no cita", false), ">no cita");
    }

    #[test]
    fn falls_back_to_windows_1252() {
        assert_eq!(decode_fallback(b"Pe\xf1a \x80 \x93x\x94"), "Peña € “x”");
        assert_eq!(decode_fallback("ñ".as_bytes()), "ñ");
    }

    #[test]
    fn strips_gmail_attribution_and_quotes() {
        let t = "Nuevo texto.\n\nEl lun, 3 mar 2025 a las 10:12, Soporte (<s@a.test>)\nescribió:\n\n> Viejo\n>\n> más viejo\n";
        assert_eq!(strip_reply(t, false), "Nuevo texto.");
    }

    #[test]
    fn keeps_interleaved_answers_but_not_the_quote() {
        let t = "On Mon, X wrote:\n> pregunta 1\nrespuesta 1\n> pregunta 2\nrespuesta 2";
        assert_eq!(strip_reply(t, false), "respuesta 1\nrespuesta 2");
    }

    #[test]
    fn cuts_signature_and_outlook_blocks() {
        assert_eq!(strip_reply("Hola\n-- \nAviso legal: confidencial", false), "Hola");
        let outlook = "Listo.\n\n________________________________\nDe: Soporte <s@a.test>\nEnviado: lunes\nPara: Ana\nAsunto: x\n\nViejo";
        assert_eq!(strip_reply(outlook, false), "Listo.");
        assert!(strip_reply(outlook, true).contains("Viejo"));
        // "De:" in ordinary prose is not a header block.
        assert_eq!(strip_reply("De: mi parte, gracias.\nAna", false), "De: mi parte, gracias.\nAna");
    }
}
