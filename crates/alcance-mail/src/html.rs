//! HTML to plain text, hand-written so that no HTML engine enters the build.
//!
//! It only has to read mail bodies, not render them: script/style/head and other non-content
//! elements are dropped with everything inside, attributes are never looked at (so `onerror=`
//! and `style=` cannot leak), block elements and `<br>` become line breaks, table cells are
//! separated by a tab, entities are decoded, and text inside `<blockquote>` comes out with a
//! `> ` prefix so that the plain-text reply stripper removes quoted history the same way for
//! both kinds of body.

/// Elements whose whole content is dropped.
const SKIP: &[&str] = &["script", "style", "head", "title", "noscript", "template", "object", "xml", "svg", "iframe"];

/// Elements that end a line when they open or close.
const LINE: &[&str] = &[
    "div",
    "tr",
    "li",
    "dt",
    "dd",
    "section",
    "article",
    "header",
    "footer",
    "address",
    "center",
    "form",
    "fieldset",
    "figure",
    "figcaption",
    "main",
    "nav",
    "aside",
    "caption",
    "option",
    "body",
    "html",
];

/// Elements set off by a blank line.
const PARAGRAPH: &[&str] =
    &["p", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "dl", "pre", "hr", "blockquote"];

/// Converts an HTML body to text with `\n` line ends.
pub fn html_to_text(html: &str) -> String {
    let mut out = Writer::default();
    let mut rest = html;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            out.text(rest);
            break;
        };
        out.text(&rest[..lt]);
        rest = &rest[lt..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |end| &after[end + 3..]);
            continue;
        }
        let Some(tag) = parse_tag(rest) else {
            // A lone '<' (as in "a < b") is text.
            out.text("<");
            rest = &rest[1..];
            continue;
        };
        rest = &rest[tag.len..];
        let name = tag.name.as_str();
        if !tag.closing && SKIP.contains(&name) && !tag.self_closing {
            rest = skip_element(rest, name);
            continue;
        }
        if name == "br" {
            out.hard_break();
        } else if name == "td" || name == "th" {
            if !tag.closing {
                out.cell();
            }
        } else if name == "blockquote" {
            out.paragraph();
            out.depth = if tag.closing { out.depth.saturating_sub(1) } else { out.depth + 1 };
        } else if name == "pre" {
            out.paragraph();
            out.pre = !tag.closing;
        } else if PARAGRAPH.contains(&name) {
            out.paragraph();
        } else if LINE.contains(&name) {
            out.line();
        }
    }
    out.finish()
}

struct Tag {
    name: String,
    closing: bool,
    self_closing: bool,
    /// Bytes of input the tag takes, `<` to `>` inclusive.
    len: usize,
}

/// Reads a tag at the start of `s` (which begins with '<'). Declarations and processing
/// instructions come back with an empty name and are ignored.
fn parse_tag(s: &str) -> Option<Tag> {
    let bytes = s.as_bytes();
    let mut i = 1;
    let closing = bytes.get(i) == Some(&b'/');
    if closing {
        i += 1;
    }
    let first = *bytes.get(i)?;
    if !(first.is_ascii_alphabetic() || first == b'!' || first == b'?') {
        return None;
    }
    let name_start = i;
    while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || matches!(bytes[i], b':' | b'-')) {
        i += 1;
    }
    let name = if first.is_ascii_alphabetic() { s[name_start..i].to_ascii_lowercase() } else { String::new() };
    // Find the closing '>' outside quoted attribute values.
    let mut quote = None;
    while i < bytes.len() {
        match (quote, bytes[i]) {
            (None, b'"' | b'\'') => quote = Some(bytes[i]),
            (Some(q), b) if b == q => quote = None,
            (None, b'>') => {
                let self_closing = i > 0 && bytes[i - 1] == b'/';
                return Some(Tag { name, closing, self_closing, len: i + 1 });
            }
            _ => {}
        }
        i += 1;
    }
    // Unterminated tag: swallow the rest rather than print markup.
    Some(Tag { name, closing, self_closing: false, len: s.len() })
}

/// Skips to just after `</name>` (case-insensitive), or to the end. Linear: no lowercase
/// copy of the rest of the document per skipped element.
fn skip_element<'a>(s: &'a str, name: &str) -> &'a str {
    let mut from = 0;
    while let Some(pos) = s[from..].find("</") {
        let at = from + pos;
        let candidate = s.as_bytes().get(at + 2..at + 2 + name.len());
        if candidate.is_some_and(|c| c.eq_ignore_ascii_case(name.as_bytes())) {
            let after = &s[at..];
            return after.find('>').map_or("", |end| &after[end + 1..]);
        }
        from = at + 2;
    }
    ""
}

#[derive(Default)]
struct Writer {
    lines: Vec<(usize, String)>,
    cur: String,
    cur_depth: usize,
    depth: usize,
    pre: bool,
    /// The current line already had a cell, so the next one needs a separator.
    in_row: bool,
}

impl Writer {
    fn text(&mut self, raw: &str) {
        let decoded = decode_entities(raw);
        for c in decoded.chars() {
            if self.pre && c == '\n' {
                self.hard_break();
            } else if c.is_whitespace() && !self.pre {
                // NBSP is spacing too: it comes out as a plain space.
                if !self.cur.is_empty() && !self.cur.ends_with([' ', '\t']) {
                    self.cur.push(' ');
                }
            } else if c != '\r' {
                if self.cur.is_empty() {
                    self.cur_depth = self.depth;
                }
                self.cur.push(c);
            }
        }
    }

    fn cell(&mut self) {
        if self.in_row {
            let trimmed = self.cur.trim_end().len();
            self.cur.truncate(trimmed);
            self.cur.push('\t');
        }
        self.in_row = true;
    }

    fn hard_break(&mut self) {
        let line = std::mem::take(&mut self.cur);
        self.lines.push((self.cur_depth.max(self.depth), line.trim_end().to_string()));
        self.cur_depth = self.depth;
        self.in_row = false;
    }

    fn line(&mut self) {
        if !self.cur.trim().is_empty() {
            self.hard_break();
        }
        self.cur.clear();
        self.in_row = false;
    }

    fn paragraph(&mut self) {
        self.line();
        if self.lines.last().is_some_and(|(_, l)| !l.is_empty()) {
            self.lines.push((self.depth, String::new()));
        }
    }

    fn finish(mut self) -> String {
        self.line();
        let mut out = String::new();
        let mut blank_run = 0;
        for (depth, line) in &self.lines {
            if line.is_empty() {
                blank_run += 1;
                if blank_run > 1 || out.is_empty() {
                    continue;
                }
            } else {
                blank_run = 0;
            }
            if !line.is_empty() {
                for _ in 0..*depth {
                    out.push_str("> ");
                }
            }
            out.push_str(line);
            out.push('\n');
        }
        out.trim_end().to_string()
    }
}

/// Latin-1 entity names for U+00A0..=U+00FF, in order.
const LATIN1: [&str; 96] = [
    "nbsp", "iexcl", "cent", "pound", "curren", "yen", "brvbar", "sect", "uml", "copy", "ordf", "laquo", "not", "shy",
    "reg", "macr", "deg", "plusmn", "sup2", "sup3", "acute", "micro", "para", "middot", "cedil", "sup1", "ordm",
    "raquo", "frac14", "frac12", "frac34", "iquest", "Agrave", "Aacute", "Acirc", "Atilde", "Auml", "Aring", "AElig",
    "Ccedil", "Egrave", "Eacute", "Ecirc", "Euml", "Igrave", "Iacute", "Icirc", "Iuml", "ETH", "Ntilde", "Ograve",
    "Oacute", "Ocirc", "Otilde", "Ouml", "times", "Oslash", "Ugrave", "Uacute", "Ucirc", "Uuml", "Yacute", "THORN",
    "szlig", "agrave", "aacute", "acirc", "atilde", "auml", "aring", "aelig", "ccedil", "egrave", "eacute", "ecirc",
    "euml", "igrave", "iacute", "icirc", "iuml", "eth", "ntilde", "ograve", "oacute", "ocirc", "otilde", "ouml",
    "divide", "oslash", "ugrave", "uacute", "ucirc", "uuml", "yacute", "thorn", "yuml",
];

const OTHER: &[(&str, char)] = &[
    ("amp", '&'),
    ("lt", '<'),
    ("gt", '>'),
    ("quot", '"'),
    ("apos", '\''),
    ("euro", '€'),
    ("ndash", '–'),
    ("mdash", '—'),
    ("hellip", '…'),
    ("lsquo", '‘'),
    ("rsquo", '’'),
    ("ldquo", '“'),
    ("rdquo", '”'),
    ("sbquo", '‚'),
    ("bdquo", '„'),
    ("bull", '•'),
    ("trade", '™'),
    ("OElig", 'Œ'),
    ("oelig", 'œ'),
    ("Scaron", 'Š'),
    ("scaron", 'š'),
    ("Yuml", 'Ÿ'),
    ("dagger", '†'),
    ("Dagger", '‡'),
    ("permil", '‰'),
    ("lsaquo", '‹'),
    ("rsaquo", '›'),
    ("ensp", ' '),
    ("emsp", ' '),
    ("thinsp", ' '),
    ("zwnj", '\u{200c}'),
    ("zwj", '\u{200d}'),
    ("larr", '←'),
    ("rarr", '→'),
    ("uarr", '↑'),
    ("darr", '↓'),
];

fn entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        // Browsers map the C1 range as windows-1252 and NUL/invalid to U+FFFD.
        return Some(char::from_u32(code).filter(|c| *c != '\0').unwrap_or('\u{fffd}'));
    }
    if let Some(i) = LATIN1.iter().position(|n| *n == name) {
        return char::from_u32(0xA0 + i as u32);
    }
    OTHER.iter().find(|(n, _)| *n == name).map(|(_, c)| *c)
}

/// Decodes `&name;`, `&#123;` and `&#x7b;`; unknown or unterminated references stay as text.
pub fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let end = after.bytes().take(32).position(|b| b == b';');
        match end.and_then(|e| entity(&after[..e]).map(|c| (e, c))) {
            Some((e, c)) => {
                out.push(c);
                rest = &after[e + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_script_style_and_attributes() {
        let t = html_to_text(
            "<html><head><style>p{color:red}</style><title>T</title></head><body>\
             <script>alert('x')</script><p onclick=\"evil()\">Hola&nbsp;<b>mundo</b></p>\
             <img src=x onerror=\"alert(1)\"><SCRIPT type=a>document.cookie</SCRIPT >fin</body></html>",
        );
        assert_eq!(t, "Hola mundo\n\nfin");
    }

    #[test]
    fn blocks_breaks_cells_entities() {
        let t = html_to_text(
            "a<br>b<div>c</div><table><tr><td>1</td><td>2 &lt;3&gt;</td></tr></table>&aacute;&#241;&#xE9;&bogus; &amp",
        );
        assert_eq!(t, "a\nb\nc\n\n1\t2 <3>\n\náñé&bogus; &amp");
    }

    #[test]
    fn blockquote_is_marked_as_quote() {
        let t = html_to_text("<div>Nuevo</div><div>El lun escribió:<br></div><blockquote>Viejo<br>texto</blockquote>");
        assert_eq!(t, "Nuevo\nEl lun escribió:\n\n> Viejo\n> texto");
    }

    #[test]
    fn tolerates_broken_markup() {
        assert_eq!(html_to_text("a < b <p"), "a < b");
        assert_eq!(html_to_text("x<script>never closed"), "x");
        assert_eq!(html_to_text("<!-- c --><pre>  a\n  b</pre>"), "  a\n  b");
    }
}
