//! Cue rules on top of the priority model, for what a support lead would never get wrong:
//! an outage that stops everyone is critical, whatever the words around it.

use crate::features::Raw;

/// Priority indices as in [`crate::model::PRIORITIES`].
const CRITICAL: usize = 0;
const HIGH: usize = 1;

fn cue_count(raw: &Raw, group: &str) -> f32 {
    raw.counts.get(&format!("r:{group}")).map(|(n, ..)| *n).unwrap_or(0.0)
}

/// Raises the model's priority when the request describes a real outage or attack.
pub fn adjust(category: &str, priority: usize, raw: &Raw) -> usize {
    let critical = cue_count(raw, "critical");
    let expiry = cue_count(raw, "expiry");
    match category {
        "server_security_config" if expiry >= 1.0 && critical >= 2.0 => CRITICAL,
        "server_security_config" if expiry >= 1.0 && priority > HIGH => HIGH,
        "server_availability" | "server_alert" | "backup_restore" if critical >= 2.0 => CRITICAL,
        "server_availability" if priority > HIGH => HIGH,
        _ => priority,
    }
}
