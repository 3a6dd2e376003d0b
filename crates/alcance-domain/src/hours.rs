//! Prepaid hour packages (paquetes de horas) as a ledger of minutes.
//!
//! A package's balance is the sum of its ledger entries; nothing else stores a balance. Each
//! entry is a signed number of minutes: purchases and releases add, consumptions, expiries and
//! reservations subtract, adjustments go either way, and a reversal is the exact opposite of
//! the entry it reverses. Entries are never changed or deleted: a mistake is reversed.
//!
//! Spending takes from the package that expires first ([`allocate`]), never from an expired
//! one, and never overdraws unless the contract allows it. Which work may spend hours is the
//! policy's decision ([`can_spend_hours`]).

use chrono::{Days, NaiveDate};

use crate::field::{FieldError, FieldErrorCode};
use crate::model::Id;
use crate::policy::Policy;
use crate::ticket::Coverage;

crate::string_enum!(
    LedgerEntryKind {
        /// Hours bought: adds.
        Purchase => "purchase",
        /// Time worked on eligible work: subtracts.
        Consumption => "consumption",
        /// What was left when the package expired: subtracts.
        Expiry => "expiry",
        /// A correction by an admin, with a reason: adds or subtracts.
        Adjustment => "adjustment",
        /// Undoes one earlier entry: the exact opposite of its minutes.
        Reversal => "reversal",
        /// Hours held for an accepted quote paid with hours: subtracts.
        Reservation => "reservation",
        /// Reserved hours given back (the work took less, or was called off): adds.
        Release => "release",
    }
);

impl LedgerEntryKind {
    /// The sign every entry of this kind has: `Some(1)` adds, `Some(-1)` subtracts, `None` for
    /// adjustments (either way) and reversals (opposite of the entry reversed).
    pub fn fixed_sign(self) -> Option<i64> {
        match self {
            LedgerEntryKind::Purchase | LedgerEntryKind::Release => Some(1),
            LedgerEntryKind::Consumption | LedgerEntryKind::Expiry | LedgerEntryKind::Reservation => Some(-1),
            LedgerEntryKind::Adjustment | LedgerEntryKind::Reversal => None,
        }
    }
}

/// One movement of a package's minutes (signed: + adds to the balance, - takes from it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LedgerEntry {
    pub package_id: Id,
    pub kind: LedgerEntryKind,
    pub minutes: i64,
}

impl LedgerEntry {
    /// An entry of a kind with a fixed sign, from a magnitude: `new(7, Consumption, 90)` holds
    /// -90. `None` for a non-positive magnitude or a kind without a fixed sign.
    pub fn new(package_id: Id, kind: LedgerEntryKind, magnitude: i64) -> Option<LedgerEntry> {
        let sign = kind.fixed_sign()?;
        (magnitude > 0).then_some(LedgerEntry { package_id, kind, minutes: sign * magnitude })
    }

    /// The reversal of this entry: same package, opposite minutes. A reversal is not reversed
    /// again (that would re-apply the original; write a new entry instead).
    pub fn reversal(&self) -> Result<LedgerEntry, FieldError> {
        if self.kind == LedgerEntryKind::Reversal {
            return Err(FieldError::new("reverses", FieldErrorCode::NotAllowed));
        }
        Ok(LedgerEntry { package_id: self.package_id, kind: LedgerEntryKind::Reversal, minutes: -self.minutes })
    }
}

/// Checks an entry before it is written: non-zero minutes with its kind's sign (field
/// `minutes`, `invalid`); a reversal names, in `reverses`, an entry of the same package that is
/// not itself a reversal and carries the exact opposite minutes (field `reverses`); other kinds
/// reverse nothing.
pub fn check_entry(entry: &LedgerEntry, reverses: Option<&LedgerEntry>) -> Result<(), FieldError> {
    let bad_minutes = || FieldError::new("minutes", FieldErrorCode::Invalid);
    if entry.minutes == 0 {
        return Err(bad_minutes());
    }
    if let Some(sign) = entry.kind.fixed_sign()
        && entry.minutes.signum() != sign
    {
        return Err(bad_minutes());
    }
    match (entry.kind, reverses) {
        (LedgerEntryKind::Reversal, None) => Err(FieldError::new("reverses", FieldErrorCode::Required)),
        (LedgerEntryKind::Reversal, Some(original)) => {
            let expected = original.reversal()?;
            if expected.package_id != entry.package_id || Some(expected.minutes) != Some(entry.minutes) {
                return Err(bad_minutes());
            }
            Ok(())
        }
        (_, Some(_)) => Err(FieldError::new("reverses", FieldErrorCode::NotAllowed)),
        (_, None) => Ok(()),
    }
}

/// The sum of `entries`' minutes (pass one package's entries for its balance). Saturates at
/// the `i64` bounds rather than wrapping; real ledgers are nowhere near them.
pub fn balance(entries: &[LedgerEntry]) -> i64 {
    entries.iter().fold(0_i64, |sum, e| sum.saturating_add(e.minutes))
}

/// A package and its current balance, as [`allocate`] and the notices need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PackageBalance {
    pub id: Id,
    pub purchased_minutes: i64,
    pub purchased_on: NaiveDate,
    /// The last day the package may be used: it is live through this whole day.
    pub expires_on: NaiveDate,
    /// The sum of its ledger entries ([`balance`]); negative when overdrawn.
    pub balance_minutes: i64,
}

impl PackageBalance {
    /// Live through its `expires_on` day; expired when `today > expires_on`.
    pub fn is_live(&self, today: NaiveDate) -> bool {
        today <= self.expires_on
    }

    /// Spending order: expires first, then bought first, then lower id.
    fn spending_key(&self) -> (NaiveDate, NaiveDate, Id) {
        (self.expires_on, self.purchased_on, self.id)
    }
}

/// Minutes that can be spent today: the positive balances of live packages.
pub fn available_minutes(packages: &[PackageBalance], today: NaiveDate) -> i64 {
    packages.iter().filter(|p| p.is_live(today)).map(|p| p.balance_minutes.max(0)).fold(0, i64::saturating_add)
}

/// Minutes bought in the packages still live today: the base of the 20 % notice.
pub fn live_purchased_minutes(packages: &[PackageBalance], today: NaiveDate) -> i64 {
    packages.iter().filter(|p| p.is_live(today)).map(|p| p.purchased_minutes.max(0)).fold(0, i64::saturating_add)
}

/// Minutes to take from one package.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Allocation {
    pub package_id: Id,
    pub minutes: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AllocationError {
    /// Only a positive number of minutes can be spent.
    #[error("requested {requested_minutes} minutes; it must be more than zero")]
    NotPositive { requested_minutes: i64 },
    /// Not enough live balance (or, with overdraft, no live package to carry the debt).
    #[error("requested {requested_minutes} minutes but only {available_minutes} are available")]
    InsufficientHours { available_minutes: i64, requested_minutes: i64 },
}

/// Decides which packages pay for `minutes` of work on `today`.
///
/// Live packages (see [`PackageBalance::is_live`]) with a positive balance are drained in
/// spending order: the one that expires first, then the older purchase, then the lower id,
/// splitting the request across as many as needed. Expired packages are never touched.
///
/// When the live balances fall short: without overdraft the answer is
/// [`AllocationError::InsufficientHours`] and nothing is taken; with `allow_overdraft` the
/// remainder goes onto the live package that expires LAST (ties: newer purchase, then higher
/// id), since it is the one whose balance the next purchase or the longest life is likeliest
/// to cover, and a debt on a package about to expire would be wiped out by its expiry. With no
/// live package at all there is nothing to overdraw: `InsufficientHours` even with overdraft.
///
/// The result names each package at most once, in spending order, and its minutes add up to
/// the request.
pub fn allocate(
    packages: &[PackageBalance],
    today: NaiveDate,
    minutes: i64,
    allow_overdraft: bool,
) -> Result<Vec<Allocation>, AllocationError> {
    if minutes <= 0 {
        return Err(AllocationError::NotPositive { requested_minutes: minutes });
    }
    let mut live: Vec<&PackageBalance> = packages.iter().filter(|p| p.is_live(today)).collect();
    live.sort_by_key(|p| p.spending_key());
    let mut remaining = minutes;
    let mut taken = Vec::new();
    for package in &live {
        if remaining == 0 {
            break;
        }
        let take = package.balance_minutes.max(0).min(remaining);
        if take > 0 {
            taken.push(Allocation { package_id: package.id, minutes: take });
            remaining -= take;
        }
    }
    if remaining == 0 {
        return Ok(taken);
    }
    let insufficient =
        AllocationError::InsufficientHours { available_minutes: minutes - remaining, requested_minutes: minutes };
    match live.last() {
        Some(last) if allow_overdraft => {
            match taken.iter_mut().find(|a| a.package_id == last.id) {
                Some(existing) => existing.minutes += remaining,
                None => taken.push(Allocation { package_id: last.id, minutes: remaining }),
            }
            Ok(taken)
        }
        _ => Err(insufficient),
    }
}

/// The entries that carry out `allocations` as `kind` (consumption, reservation, or release of
/// what a reservation held): one per allocation, with the kind's sign. `None` for a kind
/// without a fixed sign or an allocation of no minutes.
pub fn entries_for(kind: LedgerEntryKind, allocations: &[Allocation]) -> Option<Vec<LedgerEntry>> {
    allocations.iter().map(|a| LedgerEntry::new(a.package_id, kind, a.minutes)).collect()
}

/// The expiry entries to write on `today`: one per expired package (`today > expires_on`)
/// whose balance is still positive, taking it to zero. Once written, the package's balance is
/// zero and it yields nothing more, so a daily job writes each expiry exactly once. An
/// overdrawn or empty expired package yields nothing (a debt does not expire).
pub fn expiry_entries(packages: &[PackageBalance], today: NaiveDate) -> Vec<LedgerEntry> {
    packages
        .iter()
        .filter(|p| !p.is_live(today) && p.balance_minutes > 0)
        .map(|p| LedgerEntry { package_id: p.id, kind: LedgerEntryKind::Expiry, minutes: -p.balance_minutes })
        .collect()
}

crate::string_enum!(
    /// Balance levels that trigger a notice to the client when the balance falls to them.
    BalanceThreshold {
        /// The balance fell to 20 % or less of the hours bought in live packages.
        TwentyPercent => "twenty_percent",
        /// The balance fell to zero or below.
        Empty => "empty",
    }
);

/// The thresholds crossed downward when the balance goes from `before_minutes` to
/// `after_minutes`, for the notices "your balance fell to 20 %" and "your balance is used up".
///
/// 20 % is crossed when `before > 20 % of total_live_purchased_minutes >= after` (compared
/// exactly, in integers); empty when `before > 0 >= after`. Falling from 30 % to 0 in one step
/// crosses both, in that order. A rise crosses nothing, nor does moving within one side. With
/// no live purchased minutes only `Empty` can be crossed.
pub fn crossed_thresholds(
    before_minutes: i64,
    after_minutes: i64,
    total_live_purchased_minutes: i64,
) -> Vec<BalanceThreshold> {
    let mut crossed = Vec::new();
    let (before, after, total) =
        (i128::from(before_minutes), i128::from(after_minutes), i128::from(total_live_purchased_minutes));
    if total > 0 && before * 5 > total && after * 5 <= total {
        crossed.push(BalanceThreshold::TwentyPercent);
    }
    if before > 0 && after <= 0 {
        crossed.push(BalanceThreshold::Empty);
    }
    crossed
}

/// Live packages with a positive balance that expire within `within_days` days of `today`
/// (`today <= expires_on <= today + within_days`), soonest first, for the 30-day notice. The
/// job that sends it keeps one notice per package (a unique key), so a package appears here
/// on each of its last days and is announced once.
pub fn expiring_soon(packages: &[PackageBalance], today: NaiveDate, within_days: u64) -> Vec<&PackageBalance> {
    let horizon = today.checked_add_days(Days::new(within_days)).unwrap_or(NaiveDate::MAX);
    let mut soon: Vec<&PackageBalance> =
        packages.iter().filter(|p| p.is_live(today) && p.expires_on <= horizon && p.balance_minutes > 0).collect();
    soon.sort_by_key(|p| p.spending_key());
    soon
}

/// Whether work of `category_id` may be paid with prepaid hours: the policy marks the
/// category with `hour_packages` (policy section 5: new features, customisation, server
/// improvements), and only not-covered work consumes hours. Unknown categories may not.
pub fn can_spend_hours(policy: &Policy, category_id: &str) -> bool {
    policy.category(category_id).is_some_and(|c| c.hour_packages && c.coverage == Coverage::NotCovered)
}

#[cfg(test)]
mod tests;
