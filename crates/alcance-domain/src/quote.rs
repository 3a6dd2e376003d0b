//! Quotes (cotizaciones) for work the support policy does not cover: their lifecycle, their
//! lines and totals, their human numbers and their validity.
//!
//! Amounts are `i64` minor units of the contract's currency (see [`crate::money`]); every
//! rounding is to the nearest minor unit with halves away from zero.

use chrono::NaiveDate;

use crate::field::{FieldError, FieldErrorCode};
use crate::money::{self, MAX_MINUTES};
use crate::validate;

crate::string_enum!(
    QuoteStatus {
        /// Being written by an agent; the only status in which lines may change.
        Draft => "draft",
        /// Offered to the client; a manager may accept or reject it until it expires.
        Sent => "sent",
        Accepted => "accepted",
        Rejected => "rejected",
        /// Its validity ended without an answer.
        Expired => "expired",
        /// Called off by the agency (before an answer), or, once accepted, because the work
        /// itself was called off.
        Withdrawn => "withdrawn",
    }
);

/// Why a quote status change was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum QuoteTransitionError {
    #[error("the quote lifecycle has no such step")]
    NotAllowed,
    /// Withdrawing an accepted quote cancels agreed work: the person must say why.
    #[error("a reason is required")]
    ReasonRequired,
    /// A quote past its `valid_until` day can no longer be accepted.
    #[error("the quote has expired")]
    Expired,
}

impl QuoteStatus {
    /// The lifecycle: draft -> sent | withdrawn; sent -> accepted | rejected | expired |
    /// withdrawn; accepted -> withdrawn. Rejected, expired and withdrawn are final.
    ///
    /// accepted -> withdrawn exists only for when the accepted work itself is called off (the
    /// client and the agency agree to drop it, or its ticket is closed without the work done);
    /// the application takes that step together with closing the work and releasing any hours
    /// reserved for it, and [`QuoteStatus::check_transition`] demands a reason for it. It is
    /// never a way to edit an accepted quote: an accepted quote is immutable.
    pub fn can_transition(self, to: QuoteStatus) -> bool {
        use QuoteStatus::*;
        match self {
            Draft => matches!(to, Sent | Withdrawn),
            Sent => matches!(to, Accepted | Rejected | Expired | Withdrawn),
            Accepted => to == Withdrawn,
            Rejected | Expired | Withdrawn => false,
        }
    }

    /// Whether the step needs a written reason (withdrawing an accepted quote).
    pub fn requires_reason(self, to: QuoteStatus) -> bool {
        self == QuoteStatus::Accepted && to == QuoteStatus::Withdrawn
    }

    /// Checks a step with everything it depends on: the lifecycle, the reason, and that a
    /// quote is accepted only while valid (see [`is_expired`]).
    pub fn check_transition(
        self,
        to: QuoteStatus,
        valid_until: NaiveDate,
        today: NaiveDate,
        has_reason: bool,
    ) -> Result<(), QuoteTransitionError> {
        if !self.can_transition(to) {
            return Err(QuoteTransitionError::NotAllowed);
        }
        if self.requires_reason(to) && !has_reason {
            return Err(QuoteTransitionError::ReasonRequired);
        }
        if to == QuoteStatus::Accepted && is_expired(valid_until, today) {
            return Err(QuoteTransitionError::Expired);
        }
        Ok(())
    }

    /// Lines, rates and tax may change only while the quote is a draft.
    pub fn lines_editable(self) -> bool {
        self == QuoteStatus::Draft
    }

    /// No step leads out of this status.
    pub fn is_final(self) -> bool {
        matches!(self, QuoteStatus::Rejected | QuoteStatus::Expired | QuoteStatus::Withdrawn)
    }

    /// The status a periodic job should give the quote on `today`: a sent quote past its
    /// validity becomes expired; every other status stays.
    pub fn expire_if_due(self, valid_until: NaiveDate, today: NaiveDate) -> Option<QuoteStatus> {
        (self == QuoteStatus::Sent && is_expired(valid_until, today)).then_some(QuoteStatus::Expired)
    }
}

/// A quote is valid through the whole of its `valid_until` day (in the contract's time zone:
/// the caller passes today's date there) and expired from the next day on.
pub fn is_expired(valid_until: NaiveDate, today: NaiveDate) -> bool {
    today > valid_until
}

crate::string_enum!(
    /// How a line is priced, as stored.
    QuoteLineKind {
        Hours => "hours",
        Fixed => "fixed",
    }
);

/// What a line charges: hours at a rate, or a fixed amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinePricing {
    /// `minutes` of work at `rate_minor` minor units per hour.
    Hours { minutes: i64, rate_minor: i64 },
    /// A fixed amount in minor units.
    Fixed { amount_minor: i64 },
}

impl LinePricing {
    pub fn kind(&self) -> QuoteLineKind {
        match self {
            LinePricing::Hours { .. } => QuoteLineKind::Hours,
            LinePricing::Fixed { .. } => QuoteLineKind::Fixed,
        }
    }

    /// The line's amount in minor units, or `None` if it does not fit an `i64`.
    /// Hours: `minutes × rate / 60`, computed in `i128`, rounded half away from zero to the
    /// currency's unit (90 min at 1 001 -> 1 501.5 -> 1 502).
    pub fn amount_minor(&self) -> Option<i64> {
        match *self {
            LinePricing::Hours { minutes, rate_minor } => {
                let exact = i128::from(minutes) * i128::from(rate_minor);
                i64::try_from(money::round_half_away(exact, 60)).ok()
            }
            LinePricing::Fixed { amount_minor } => Some(amount_minor),
        }
    }
}

/// A line as submitted, before [`validate_lines`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteLineInput {
    pub description: String,
    pub pricing: LinePricing,
}

/// A validated line: trimmed description, positive pricing, and its amount (always equal to
/// `pricing.amount_minor()`; kept so the store can save and sum it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteLine {
    pub description: String,
    pub pricing: LinePricing,
    pub amount_minor: i64,
}

pub const DESCRIPTION_MAX: usize = 500;
pub const MAX_LINES: usize = 200;
/// 100 %: a tax rate is 0..=10 000 basis points.
pub const MAX_TAX_BASIS_POINTS: i64 = 10_000;

/// Checks submitted lines and computes each line's amount. Errors name the field as
/// `lines[i].description`, `lines[i].hours`, `lines[i].rate` or `lines[i].amount` (i from 0):
/// - no lines -> `lines` `required`; more than [`MAX_LINES`] -> `lines` `too_long`;
/// - description trimmed, 1..=[`DESCRIPTION_MAX`] characters, one line of text;
/// - hours: more than 0 and at most 10 000 h (`too_short` "1 min" / `too_long` "10000 h");
/// - rate and fixed amount: at least 1 minor unit (`too_short` "1");
/// - a line amount or the subtotal beyond `i64` -> `too_long` on the line's rate or on `lines`.
pub fn validate_lines(inputs: &[QuoteLineInput]) -> Result<Vec<QuoteLine>, FieldError> {
    if inputs.is_empty() {
        return Err(FieldError::new("lines", FieldErrorCode::Required));
    }
    if inputs.len() > MAX_LINES {
        return Err(FieldError::new("lines", FieldErrorCode::TooLong).with_detail(MAX_LINES.to_string()));
    }
    let mut lines = Vec::with_capacity(inputs.len());
    let mut subtotal: i64 = 0;
    for (i, input) in inputs.iter().enumerate() {
        let field = |name: &str| format!("lines[{i}].{name}");
        let description = validate::bounded_text(&field("description"), &input.description, 1, DESCRIPTION_MAX, false)?;
        match input.pricing {
            LinePricing::Hours { minutes, rate_minor } => {
                if minutes <= 0 {
                    return Err(FieldError::new(field("hours"), FieldErrorCode::TooShort).with_detail("1 min"));
                }
                if minutes > MAX_MINUTES {
                    return Err(FieldError::new(field("hours"), FieldErrorCode::TooLong)
                        .with_detail(format!("{} h", MAX_MINUTES / 60)));
                }
                if rate_minor <= 0 {
                    return Err(FieldError::new(field("rate"), FieldErrorCode::TooShort).with_detail("1"));
                }
            }
            LinePricing::Fixed { amount_minor } if amount_minor <= 0 => {
                return Err(FieldError::new(field("amount"), FieldErrorCode::TooShort).with_detail("1"));
            }
            LinePricing::Fixed { .. } => {}
        }
        let amount_minor = input
            .pricing
            .amount_minor()
            .ok_or_else(|| FieldError::new(field("rate"), FieldErrorCode::TooLong).with_detail(i64::MAX.to_string()))?;
        subtotal = subtotal
            .checked_add(amount_minor)
            .ok_or_else(|| FieldError::new("lines", FieldErrorCode::TooLong).with_detail(i64::MAX.to_string()))?;
        lines.push(QuoteLine { description, pricing: input.pricing, amount_minor });
    }
    Ok(lines)
}

/// Checks a tax rate in basis points (1900 = 19 % IVA): 0..=10 000.
pub fn check_tax_rate(field: &str, basis_points: i64) -> Result<i64, FieldError> {
    if basis_points < 0 {
        return Err(FieldError::new(field, FieldErrorCode::TooShort).with_detail("0"));
    }
    if basis_points > MAX_TAX_BASIS_POINTS {
        return Err(FieldError::new(field, FieldErrorCode::TooLong).with_detail(MAX_TAX_BASIS_POINTS.to_string()));
    }
    Ok(basis_points)
}

/// What a quote charges, in minor units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct QuoteTotals {
    /// The sum of the line amounts.
    pub subtotal: i64,
    /// IVA: `subtotal × basis_points / 10 000`, rounded half away from zero ONCE, on the
    /// subtotal. Lines carry no tax of their own: rounding each line's tax and adding would
    /// drift by up to half a unit per line (three lines of $ 50 at 19 %: 9,5 each rounds to
    /// 10 -> $ 30, while the tax on $ 150 is 28,5 -> $ 29), and the invoice must show the tax
    /// of the total the client pays.
    pub tax: i64,
    /// `subtotal + tax`.
    pub total: i64,
}

impl QuoteTotals {
    /// Totals of validated lines at `tax_rate_basis_points` (checked by [`check_tax_rate`],
    /// field `tax_rate_basis_points`). A total beyond `i64` is `lines` `too_long`.
    pub fn compute(lines: &[QuoteLine], tax_rate_basis_points: i64) -> Result<QuoteTotals, FieldError> {
        let rate = check_tax_rate("tax_rate_basis_points", tax_rate_basis_points)?;
        let subtotal: i128 = lines.iter().map(|l| i128::from(l.amount_minor)).sum();
        let tax = money::round_half_away(subtotal * i128::from(rate), i128::from(MAX_TAX_BASIS_POINTS));
        let overflow = || FieldError::new("lines", FieldErrorCode::TooLong).with_detail(i64::MAX.to_string());
        let fit = |v: i128| i64::try_from(v).map_err(|_| overflow());
        Ok(QuoteTotals { subtotal: fit(subtotal)?, tax: fit(tax)?, total: fit(subtotal + tax)? })
    }
}

/// The number people quote: `Q-2026-0007`. The sequence is zero-padded to four digits and
/// simply grows past 9999 (`Q-2026-12345`); it restarts each year (the store keeps it).
pub fn quote_number(year: i32, seq: i64) -> String {
    format!("Q-{year:04}-{seq:04}")
}

/// Reads a quote number back (any case, surrounding spaces ignored) into `(year, seq)`. Only
/// the canonical form is accepted: a four-digit year and a sequence of at least 1 padded as
/// [`quote_number`] writes it (`Q-2026-7` and `Q-2026-00007` are refused).
pub fn parse_quote_number(text: &str) -> Option<(i32, i64)> {
    let text = text.trim().to_ascii_uppercase();
    let rest = text.strip_prefix("Q-")?;
    let (year, seq) = rest.split_once('-')?;
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if year.len() != 4 || !all_digits(year) || !all_digits(seq) {
        return None;
    }
    let year: i32 = year.parse().ok()?;
    let seq: i64 = seq.parse().ok()?;
    (seq >= 1 && quote_number(year, seq) == text).then_some((year, seq))
}

#[cfg(test)]
mod tests;
