//! Validated values: handlers turn raw input into these before a service sees it, so a
//! service never handles unchecked text. Each failure names its field.

use crate::field::{FieldError, FieldErrorCode};

/// Trims `value` and checks it has between `min` and `max` characters and no control
/// characters other than newlines and tabs (when `multiline`).
pub fn bounded_text(field: &str, value: &str, min: usize, max: usize, multiline: bool) -> Result<String, FieldError> {
    let trimmed = value.trim();
    let chars = trimmed.chars().count();
    if chars == 0 && min > 0 {
        return Err(FieldError::new(field, FieldErrorCode::Required));
    }
    if chars < min {
        return Err(FieldError::new(field, FieldErrorCode::TooShort).with_detail(min.to_string()));
    }
    if chars > max {
        return Err(FieldError::new(field, FieldErrorCode::TooLong).with_detail(max.to_string()));
    }
    let bad_control = trimmed.chars().any(|c| c.is_control() && !(multiline && matches!(c, '\n' | '\r' | '\t')));
    if bad_control {
        return Err(FieldError::new(field, FieldErrorCode::Invalid));
    }
    Ok(trimmed.to_owned())
}

pub const SUBJECT_MAX: usize = 200;
pub const BODY_MAX: usize = 100_000;
pub const NAME_MAX: usize = 120;
pub const PASSWORD_MIN: usize = 10;

pub fn subject(field: &str, value: &str) -> Result<String, FieldError> {
    bounded_text(field, value, 1, SUBJECT_MAX, false)
}

/// Markdown text of a request or a reply.
pub fn body(field: &str, value: &str) -> Result<String, FieldError> {
    bounded_text(field, value, 1, BODY_MAX, true)
}

pub fn name(field: &str, value: &str) -> Result<String, FieldError> {
    bounded_text(field, value, 1, NAME_MAX, false)
}

/// A reason written by a person for an override or a closing.
pub fn reason(field: &str, value: &str) -> Result<String, FieldError> {
    bounded_text(field, value, 3, 2_000, true)
}

/// Lower-cased e-mail address with one `@`, a dot in the domain and no spaces.
pub fn email(field: &str, value: &str) -> Result<String, FieldError> {
    let value = bounded_text(field, value, 1, 254, false)?.to_lowercase();
    let Some((local, domain)) = value.split_once('@') else {
        return Err(FieldError::new(field, FieldErrorCode::Invalid));
    };
    let domain_ok = domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && domain.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '.');
    if local.is_empty() || domain.contains('@') || value.contains(char::is_whitespace) || !domain_ok {
        return Err(FieldError::new(field, FieldErrorCode::Invalid));
    }
    Ok(value)
}

/// URL-safe identifier of an organisation: lowercase letters, digits and dashes.
pub fn slug(field: &str, value: &str) -> Result<String, FieldError> {
    let value = bounded_text(field, value, 2, 63, false)?;
    let ok = value.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !value.starts_with('-')
        && !value.ends_with('-');
    if !ok {
        return Err(FieldError::new(field, FieldErrorCode::Invalid));
    }
    Ok(value)
}

/// Passwords are not trimmed: every character counts.
pub fn password(field: &str, value: &str) -> Result<String, FieldError> {
    let chars = value.chars().count();
    if chars < PASSWORD_MIN {
        return Err(FieldError::new(field, FieldErrorCode::TooShort).with_detail(PASSWORD_MIN.to_string()));
    }
    if chars > 1024 {
        return Err(FieldError::new(field, FieldErrorCode::TooLong).with_detail("1024"));
    }
    Ok(value.to_owned())
}

/// An attachment's file name, stripped of any path so it cannot point outside a folder.
pub fn file_name(field: &str, value: &str) -> Result<String, FieldError> {
    let base = value.rsplit(['/', '\\']).next().unwrap_or_default();
    let base = bounded_text(field, base, 1, 255, false)?;
    if base == "." || base == ".." {
        return Err(FieldError::new(field, FieldErrorCode::Invalid));
    }
    Ok(base)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subject_is_trimmed_and_bounded() {
        assert_eq!(subject("subject", "  Hola  ").unwrap(), "Hola");
        assert_eq!(subject("subject", "   ").unwrap_err().code, FieldErrorCode::Required);
        let long = "ñ".repeat(SUBJECT_MAX + 1);
        let err = subject("subject", &long).unwrap_err();
        assert_eq!((err.code, err.detail.as_deref()), (FieldErrorCode::TooLong, Some("200")));
        assert_eq!(subject("subject", "a\u{0}b").unwrap_err().code, FieldErrorCode::Invalid);
        assert_eq!(subject("subject", "a\nb").unwrap_err().code, FieldErrorCode::Invalid);
        assert!(body("body", "línea 1\nlínea 2").is_ok());
    }

    #[test]
    fn emails() {
        assert_eq!(email("email", " Ana@Camara.ORG.co ").unwrap(), "ana@camara.org.co");
        for bad in ["ana", "ana@", "@x.co", "a b@x.co", "a@b", "a@@b.co", "a@.co"] {
            assert!(email("email", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn slugs_and_files() {
        assert!(slug("slug", "camara-armenia").is_ok());
        for bad in ["Camara", "a", "-x", "x-", "a_b", "ñandú"] {
            assert!(slug("slug", bad).is_err(), "{bad}");
        }
        assert_eq!(file_name("filename", "../../etc/passwd").unwrap(), "passwd");
        assert_eq!(file_name("filename", "C:\\fotos\\pantallazo.png").unwrap(), "pantallazo.png");
        assert!(file_name("filename", "..").is_err());
        assert!(password("password", "corta").is_err());
    }
}
