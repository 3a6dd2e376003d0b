//! SLA clocks of tickets (policy section 4), computed with `alcance_domain::sla` on the
//! contract's business calendar. (Being written.)

use crate::{App, AppError};

/// The periodic SLA check: warnings at 80 %, breaches, notifications. Gives how many
/// tickets changed state.
pub async fn check_all(_app: &App) -> Result<usize, AppError> {
    Ok(0)
}
