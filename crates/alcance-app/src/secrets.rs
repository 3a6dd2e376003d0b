//! Secrets: random tokens (shown once, stored as SHA-256 digests) and passwords (Argon2id).

use std::sync::LazyLock;

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use sha2::{Digest, Sha256};

use crate::AppError;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A fresh random token: `prefix` then 64 hex characters (256 bits).
pub fn new_token(prefix: &str) -> Result<String, AppError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| AppError::Internal(format!("no randomness: {e}")))?;
    Ok(format!("{prefix}{}", hex(&bytes)))
}

/// Tokens are long and random, so a fast digest is enough to store them safely.
pub fn digest(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

pub fn hash_password(password: &str) -> Result<String, AppError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(format!("password hashing failed: {e}")))
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    Argon2::default().verify_password(password.as_bytes(), hash).is_ok()
}

/// Verifies against a throwaway hash, so that an unknown e-mail takes as long to refuse as
/// a wrong password and sign-in does not reveal which addresses exist.
pub fn dummy_verify(password: &str) {
    static DUMMY: LazyLock<String> = LazyLock::new(|| hash_password("alcance-dummy-password").unwrap_or_default());
    let _ = verify_password(password, &DUMMY);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_unique_and_digests_stable() {
        let a = new_token("alc_").unwrap();
        let b = new_token("alc_").unwrap();
        assert_ne!(a, b);
        assert_eq!(a.len(), 4 + 64);
        assert_eq!(digest(&a), digest(&a));
        assert_ne!(digest(&a), a);
    }

    #[test]
    fn passwords_verify_only_themselves() {
        let hash = hash_password("una clave larga").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("una clave larga", &hash));
        assert!(!verify_password("otra clave larga", &hash));
        assert!(!verify_password("x", "not a hash"));
    }
}
