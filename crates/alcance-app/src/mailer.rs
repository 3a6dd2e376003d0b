//! Outgoing e-mail: the outbox delivered over SMTP when configured. (Being written.)

use crate::{App, AppError};

/// Delivers what waits in the outbox; gives how many messages went out.
pub async fn deliver_pending(_app: &App) -> Result<usize, AppError> {
    Ok(0)
}
