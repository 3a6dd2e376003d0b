//! WinAnsi encoding and the advance widths of Helvetica and Helvetica-Bold.
//!
//! The two fonts are among the PDF standard 14, so every reader has them and nothing is
//! embedded; in exchange we must measure text ourselves (for right alignment and wrapping)
//! with the same widths the reader will use. The tables hold the `WX` values of Adobe's
//! `Helvetica.afm` / `Helvetica-Bold.afm` (Core 14 AFM, 1997–1999) for WinAnsi codes
//! 32..=255, in thousandths of the font size. Codes WinAnsi leaves undefined
//! (127, 129, 141, 143, 144, 157) have width 0: [`encode`] never produces them.

/// The two faces the layout uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Font {
    Regular,
    Bold,
}

impl Font {
    /// The PostScript name of the standard 14 font.
    pub fn base_name(self) -> &'static str {
        match self {
            Font::Regular => "Helvetica",
            Font::Bold => "Helvetica-Bold",
        }
    }

    /// Widths of codes 32..=255, for the font's `/Widths` array.
    pub(crate) fn widths(self) -> &'static [u16; 224] {
        match self {
            Font::Regular => &HELVETICA,
            Font::Bold => &HELVETICA_BOLD,
        }
    }
}

/// Advance width of one WinAnsi byte in thousandths of the font size. Control bytes
/// (below 32) have no glyph and measure 0.
pub fn byte_width(font: Font, byte: u8) -> u16 {
    match byte.checked_sub(32) {
        Some(i) => font.widths()[usize::from(i)],
        None => 0,
    }
}

/// Width of WinAnsi-encoded text in points at `size` (no kerning: the content stream
/// does not apply any either, so what we measure is what is drawn).
pub fn text_width(font: Font, text: &[u8], size: f32) -> f32 {
    let units: u32 = text.iter().map(|&b| u32::from(byte_width(font, b))).sum();
    units as f32 * size / 1000.0
}

/// Encodes text in WinAnsiEncoding (Windows-1252).
///
/// - Latin-1 characters map to themselves; the 27 extra characters of 0x80..=0x9F
///   (€, curly quotes, dashes, …) map to their Windows-1252 codes.
/// - A letter followed by a combining accent (decomposed "e\u{301}") is composed first,
///   so text copied from macOS still shows "é".
/// - `\n` is kept (the wrapper treats it as a line break), `\t` becomes a space, `\r` and
///   the soft hyphen are dropped.
/// - Anything else outside WinAnsi (emoji, CJK, control characters) becomes `?`: one `?`
///   per character, never a broken byte sequence.
pub fn encode(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let c = match chars.peek().and_then(|&m| compose(c, m)) {
            Some(composed) => {
                chars.next();
                composed
            }
            None => c,
        };
        match c {
            '\n' => out.push(b'\n'),
            '\t' => out.push(b' '),
            '\r' | '\u{AD}' => {}
            _ => out.push(winansi(c).unwrap_or(b'?')),
        }
    }
    out
}

/// The WinAnsi code of a printable character, if it has one.
fn winansi(c: char) -> Option<u8> {
    let code = u32::from(c);
    if (0x20..=0x7E).contains(&code) || (0xA0..=0xFF).contains(&code) {
        return u8::try_from(code).ok();
    }
    let byte = match c {
        '€' => 0x80,
        '‚' => 0x82,
        'ƒ' => 0x83,
        '„' => 0x84,
        '…' => 0x85,
        '†' => 0x86,
        '‡' => 0x87,
        'ˆ' => 0x88,
        '‰' => 0x89,
        'Š' => 0x8A,
        '‹' => 0x8B,
        'Œ' => 0x8C,
        'Ž' => 0x8E,
        '\u{2018}' => 0x91,
        '\u{2019}' => 0x92,
        '\u{201C}' => 0x93,
        '\u{201D}' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        '˜' => 0x98,
        '™' => 0x99,
        'š' => 0x9A,
        '›' => 0x9B,
        'œ' => 0x9C,
        'ž' => 0x9E,
        'Ÿ' => 0x9F,
        // Narrow no-break space (French/Spanish number grouping) draws as a no-break space.
        '\u{202F}' => 0xA0,
        _ => return None,
    };
    Some(byte)
}

/// Composes a base letter with a following combining mark, for the pairs WinAnsi has.
fn compose(base: char, mark: char) -> Option<char> {
    // Each table lists base, composed, base, composed, …
    let pairs = match mark {
        '\u{300}' => "AÀEÈIÌOÒUÙaàeèiìoòuù",
        '\u{301}' => "AÁEÉIÍOÓUÚYÝaáeéiíoóuúyý",
        '\u{302}' => "AÂEÊIÎOÔUÛaâeêiîoôuû",
        '\u{303}' => "AÃNÑOÕaãnñoõ",
        '\u{308}' => "AÄEËIÏOÖUÜYŸaäeëiïoöuüyÿ",
        '\u{30A}' => "AÅaå",
        '\u{30C}' => "SŠZŽsšzž",
        '\u{327}' => "CÇcç",
        _ => return None,
    };
    let mut it = pairs.chars();
    while let (Some(b), Some(composed)) = (it.next(), it.next()) {
        if b == base {
            return Some(composed);
        }
    }
    None
}

const HELVETICA: [u16; 224] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // 32..=47
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, // 48..=63
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, // 64..=79
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, // 80..=95
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, // 96..=111
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, 0, // 112..=127
    556, 0, 222, 556, 333, 1000, 556, 556, 333, 1000, 667, 333, 1000, 0, 611, 0, // 128..=143
    0, 222, 222, 333, 333, 350, 556, 1000, 333, 1000, 500, 333, 944, 0, 500, 667, // 144..=159
    278, 333, 556, 556, 556, 556, 260, 556, 333, 737, 370, 556, 584, 333, 737, 333, // 160..=175
    400, 584, 333, 333, 333, 556, 537, 278, 333, 333, 365, 556, 834, 834, 834, 611, // 176..=191
    667, 667, 667, 667, 667, 667, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278, // 192..=207
    722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611, // 208..=223
    556, 556, 556, 556, 556, 556, 889, 500, 556, 556, 556, 556, 278, 278, 278, 278, // 224..=239
    556, 556, 556, 556, 556, 556, 556, 584, 611, 556, 556, 556, 556, 500, 556, 500, // 240..=255
];
const HELVETICA_BOLD: [u16; 224] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, // 32..=47
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, // 48..=63
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778, // 64..=79
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556, // 80..=95
    333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611, // 96..=111
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584, 0, // 112..=127
    556, 0, 278, 556, 500, 1000, 556, 556, 333, 1000, 667, 333, 1000, 0, 611, 0, // 128..=143
    0, 278, 278, 500, 500, 350, 556, 1000, 333, 1000, 556, 333, 944, 0, 500, 667, // 144..=159
    278, 333, 556, 556, 556, 556, 280, 556, 333, 737, 370, 556, 584, 333, 737, 333, // 160..=175
    400, 584, 333, 333, 333, 611, 556, 278, 333, 333, 365, 556, 834, 834, 834, 611, // 176..=191
    722, 722, 722, 722, 722, 722, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278, // 192..=207
    722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611, // 208..=223
    556, 556, 556, 556, 556, 556, 889, 556, 556, 556, 556, 556, 278, 278, 278, 278, // 224..=239
    611, 611, 611, 611, 611, 611, 611, 584, 611, 611, 611, 611, 611, 556, 611, 556, // 240..=255
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn total_in_bold_10pt_matches_the_afm() {
        // Helvetica-Bold.afm: T 611, o 611, t 333, a 556, l 278 = 2389 units.
        let w = text_width(Font::Bold, &encode("Total"), 10.0);
        assert!((w - 23.89).abs() < 1e-4, "{w}");
        // Helvetica.afm: T 611, o 556, t 278, a 556, l 222 = 2223 units.
        let w = text_width(Font::Regular, &encode("Total"), 10.0);
        assert!((w - 22.23).abs() < 1e-4, "{w}");
    }

    #[test]
    fn accented_letters_and_euro_have_their_afm_widths() {
        // aacute 556, ntilde 556, Ntilde 722, questiondown 611, exclamdown 333, Euro 556, mu 556.
        let units: Vec<u16> = encode("áñÑ¿¡€µ").iter().map(|&b| byte_width(Font::Regular, b)).collect();
        assert_eq!(units, [556, 556, 722, 611, 333, 556, 556]);
        // Bold: oacute 611, udieresis 611, eacute 556.
        let units: Vec<u16> = encode("óüé").iter().map(|&b| byte_width(Font::Bold, b)).collect();
        assert_eq!(units, [611, 611, 556]);
    }

    #[test]
    fn encodes_spanish_and_windows_1252_extras() {
        assert_eq!(encode("Cotización ¿Sí? ¡Año!"), b"Cotizaci\xF3n \xBFS\xED? \xA1A\xF1o!");
        assert_eq!(encode("€ “x” – — …"), b"\x80 \x93x\x94 \x96 \x97 \x85");
    }

    #[test]
    fn outside_winansi_becomes_one_question_mark_per_character() {
        assert_eq!(encode("a😀b中文c\u{7}"), b"a?b??c?");
    }

    #[test]
    fn composes_decomposed_accents() {
        assert_eq!(encode("Jose\u{301} N\u{303}u\u{308}"), encode("José Ñü"));
        // A mark with no WinAnsi composition stays a separate, unknown character.
        assert_eq!(encode("q\u{301}"), b"q?");
    }

    #[test]
    fn control_whitespace_is_normalised() {
        assert_eq!(encode("a\tb\r\nc\u{AD}d"), b"a b\ncd");
    }
}
