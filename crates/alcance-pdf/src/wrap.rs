//! Greedy word wrapping of WinAnsi-encoded text.

use crate::metrics::{Font, byte_width};

/// Breaks `text` (already encoded) into lines no wider than `max_width` points.
///
/// `\n` starts a new line (an empty paragraph gives an empty line, so blank lines survive).
/// Lines break at spaces; runs of spaces collapse to one. A word wider than the whole line
/// is cut between characters rather than overflowing the column. The no-break space
/// (0xA0) does not break, so "$ 1.250.000" stays on one line. Every non-space byte of the
/// input appears in the output, in order.
pub fn wrap(text: &[u8], font: Font, size: f32, max_width: f32) -> Vec<Vec<u8>> {
    // Work in font units so sums are exact integers.
    let max_units = (max_width.max(0.0) * 1000.0 / size) as u32;
    let space = u32::from(byte_width(font, b' '));
    let width = |bytes: &[u8]| -> u32 { bytes.iter().map(|&b| u32::from(byte_width(font, b))).sum() };
    let mut lines = Vec::new();
    for paragraph in text.split(|&b| b == b'\n') {
        let mut line: Vec<u8> = Vec::new();
        let mut line_units = 0u32;
        for word in paragraph.split(|&b| b == b' ').filter(|w| !w.is_empty()) {
            let word_units = width(word);
            let gap = if line.is_empty() { 0 } else { space };
            if line_units + gap + word_units <= max_units {
                if gap > 0 {
                    line.push(b' ');
                }
                line.extend_from_slice(word);
                line_units += gap + word_units;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                line_units = 0;
            }
            if word_units <= max_units {
                line.extend_from_slice(word);
                line_units = word_units;
                continue;
            }
            // Too long for any line: cut it, keeping at least one character per line.
            for &b in word {
                let w = u32::from(byte_width(font, b));
                if !line.is_empty() && line_units + w > max_units {
                    lines.push(std::mem::take(&mut line));
                    line_units = 0;
                }
                line.push(b);
                line_units += w;
            }
        }
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::{encode, text_width};

    fn words(lines: &[Vec<u8>]) -> Vec<Vec<u8>> {
        lines.iter().flat_map(|l| l.split(|&b| b == b' ').map(<[u8]>::to_vec)).filter(|w| !w.is_empty()).collect()
    }

    #[test]
    fn keeps_every_word_in_order_and_respects_the_width() {
        let text = encode(
            "Configuración del servidor de correo, migración de buzones y capacitación \
             al equipo de facturación en el nuevo flujo de aprobación de órdenes de compra.",
        );
        let lines = wrap(&text, Font::Regular, 10.0, 120.0);
        assert!(lines.len() > 3, "{lines:?}");
        for line in &lines {
            assert!(text_width(Font::Regular, line, 10.0) <= 120.0, "{line:?}");
        }
        let original: Vec<Vec<u8>> = text.split(|&b| b == b' ').map(<[u8]>::to_vec).collect();
        assert_eq!(words(&lines), original);
    }

    #[test]
    fn fills_lines_greedily() {
        // "aa aa" is 556*2 + 278 + 556*2 = 2502 units: fits in 25.02 pt at 10 pt, not in 25.0.
        let text = encode("aa aa aa");
        assert_eq!(wrap(&text, Font::Regular, 10.0, 25.02), vec![b"aa aa".to_vec(), b"aa".to_vec()]);
        assert_eq!(wrap(&text, Font::Regular, 10.0, 25.0).len(), 3);
    }

    #[test]
    fn cuts_a_word_longer_than_the_line() {
        let text = encode("x https://ejemplo.com/una/ruta/muy/larga/sin/espacios y");
        let lines = wrap(&text, Font::Regular, 9.0, 60.0);
        for line in &lines {
            assert!(text_width(Font::Regular, line, 9.0) <= 60.0, "{line:?}");
        }
        let joined: Vec<u8> = lines.concat().into_iter().filter(|&b| b != b' ').collect();
        let expected: Vec<u8> = text.into_iter().filter(|&b| b != b' ').collect();
        assert_eq!(joined, expected);
    }

    #[test]
    fn newlines_and_blank_lines_survive_and_nbsp_does_not_break() {
        let text = encode("uno\n\ndos");
        assert_eq!(wrap(&text, Font::Regular, 10.0, 500.0), vec![b"uno".to_vec(), vec![], b"dos".to_vec()]);
        // Too narrow for the whole amount: a normal space breaks there, the nbsp does not.
        let spaced = wrap(&encode("$ 1.250.000"), Font::Regular, 10.0, 50.0);
        assert_eq!(spaced, vec![b"$".to_vec(), b"1.250.000".to_vec()]);
        let kept = wrap(&encode("$\u{A0}1.250.000"), Font::Regular, 10.0, 50.0);
        assert!(kept[0].starts_with(b"$\xA01.250.00"), "{kept:?}");
        assert_eq!(wrap(&encode(""), Font::Regular, 10.0, 50.0), vec![Vec::<u8>::new()]);
    }
}
