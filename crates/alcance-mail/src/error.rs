//! Why a message is rejected, and the structural checks that find it before MIME parsing.
//!
//! Tolerant parsers read past these defects silently (a header line without a colon ends
//! the header block, so To/Subject/Content-Type become body text), which would store a
//! garbled ticket. We reject instead and say where.

use std::fmt;

/// A message intake must refuse. `code()` is stable for logs and Fluent keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MailError {
    /// The input is empty or only whitespace.
    Empty,
    /// A raw NUL byte (forbidden by RFC 5322 and 5321), at this byte offset.
    NulByte { offset: usize },
    /// A header line that is neither `Name: value` nor a folded continuation.
    HeaderWithoutColon { line: usize, text: String },
    /// No usable address in From.
    MissingFrom,
    /// The MIME parser could not make a message of the bytes.
    Unparseable,
}

impl MailError {
    /// Stable snake_case code.
    pub fn code(&self) -> &'static str {
        match self {
            MailError::Empty => "empty_message",
            MailError::NulByte { .. } => "nul_byte",
            MailError::HeaderWithoutColon { .. } => "header_without_colon",
            MailError::MissingFrom => "missing_from",
            MailError::Unparseable => "unparseable",
        }
    }
}

impl fmt::Display for MailError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MailError::Empty => write!(f, "the message is empty"),
            MailError::NulByte { offset } => {
                write!(f, "the message contains a NUL byte at offset {offset}")
            }
            MailError::HeaderWithoutColon { line, text } => {
                write!(f, "header line {line} has no colon: {text:?}")
            }
            MailError::MissingFrom => write!(f, "the From header is missing or has no address"),
            MailError::Unparseable => write!(f, "the message could not be parsed"),
        }
    }
}

impl std::error::Error for MailError {}

/// Longest excerpt of an offending line kept in the error.
const EXCERPT_CHARS: usize = 80;

/// Checks the whole input for NUL bytes and the top-level header block for lines without a
/// colon. Returns the offset where the message proper starts (after an mbox `From ` line,
/// which local delivery agents may prepend).
pub(crate) fn check_structure(raw: &[u8]) -> Result<usize, MailError> {
    if raw.iter().all(u8::is_ascii_whitespace) {
        return Err(MailError::Empty);
    }
    if let Some(offset) = raw.iter().position(|&b| b == 0) {
        return Err(MailError::NulByte { offset });
    }
    let mut start = 0;
    // "From " begins an mbox envelope line, but "From : x" is an (obsolete-syntax) header.
    let mbox = raw.starts_with(b"From ") && raw[4..].trim_ascii_start().first() != Some(&b':');
    if mbox {
        start = raw.iter().position(|&b| b == b'\n').map_or(raw.len(), |p| p + 1);
    }
    let mut line_no = 0;
    for line in raw[start..].split(|&b| b == b'\n') {
        line_no += 1;
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            break; // end of the header block
        }
        if line[0] == b' ' || line[0] == b'\t' {
            if line_no == 1 {
                return Err(without_colon(line_no, line));
            }
            continue; // folded continuation
        }
        let Some(colon) = line.iter().position(|&b| b == b':') else {
            return Err(without_colon(line_no, line));
        };
        // RFC 5322 ftext, plus the obsolete form's spaces between name and colon.
        let name = line[..colon].trim_ascii_end();
        if name.is_empty() || !name.iter().all(|&b| (33..=126).contains(&b)) {
            return Err(without_colon(line_no, line));
        }
    }
    Ok(start)
}

fn without_colon(line: usize, bytes: &[u8]) -> MailError {
    let text: String = String::from_utf8_lossy(bytes).chars().take(EXCERPT_CHARS).collect();
    MailError::HeaderWithoutColon { line, text }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nul_bytes_and_bad_header_lines() {
        assert_eq!(check_structure(b"From: a@b\r\n\r\nx\0y"), Err(MailError::NulByte { offset: 14 }));
        let err = check_structure(b"From: a@b\r\nX-Mailer Outlook 16\r\nTo: c@d\r\n\r\nbody").err().map(|e| e.code());
        assert_eq!(err, Some("header_without_colon"));
        assert_eq!(check_structure(b"From : a@b\r\n folded\r\n\r\nbody: no colon needed"), Ok(0));
        assert_eq!(check_structure(b"From x@y Mon Jan 1\nFrom: a@b\n\nhi"), Ok(19));
        assert_eq!(check_structure(b" \r\n"), Err(MailError::Empty));
        assert!(check_structure(b" folded first\r\nFrom: a@b\r\n\r\n").is_err());
    }
}
