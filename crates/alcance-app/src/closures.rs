//! Calendar closures an admin adds ("Vacaciones colectivas 24 dic – 2 ene"): days the office
//! is closed for one contract or, with no contract, for every contract. The business SLA
//! clock skips them like public holidays (see [`crate::sla::calendar_for`]); a change asks the
//! periodic SLA check to recompute the affected running tickets (`repo::sla::recheck`), which
//! it does within a minute.

use alcance_domain::model::Id;
use alcance_domain::{FieldError, FieldErrorCode, validate};
use alcance_store::Conn;
use alcance_store::repo::closures::{self as repo, ClosureRow, NewClosureRow};
use alcance_store::repo::{contracts, sla};
use chrono::{Days, NaiveDate};

use crate::{Actor, App, AppError, admin_views};

/// The longest closure, in days (both ends included): a year, leap day included.
pub const MAX_DAYS: u64 = 366;
pub const NAME_MAX: usize = 100;

/// A closure as an admin writes it. Dates are local calendar dates, `YYYY-MM-DD`.
#[derive(Debug, Clone, Default)]
pub struct NewClosure {
    /// `None`: every contract.
    pub contract_id: Option<Id>,
    pub first_day: String,
    pub last_day: String,
    pub name: String,
}

/// A stored closure with the contract it belongs to, as "Organisation · Contract".
#[derive(Debug, Clone)]
pub struct ClosureItem {
    pub closure: ClosureRow,
    /// `None` for a closure of every contract.
    pub contract: Option<String>,
}

/// Strictly `YYYY-MM-DD` (chrono alone would also take "2026-1-5").
fn date(field: &str, value: &str) -> Result<NaiveDate, FieldError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(FieldError::new(field, FieldErrorCode::Required));
    }
    let shape = value.len() == 10
        && value.char_indices().all(|(i, c)| if i == 4 || i == 7 { c == '-' } else { c.is_ascii_digit() });
    let parsed = shape.then(|| NaiveDate::parse_from_str(value, "%Y-%m-%d").ok()).flatten();
    parsed.ok_or_else(|| FieldError::new(field, FieldErrorCode::Invalid))
}

/// Checks a closure's fields in form order; the first problem names its field. A last day
/// before the first, or more than [`MAX_DAYS`] after it, is out of range and the detail
/// gives the range the last day may take.
pub fn validate(input: &NewClosure) -> Result<(NaiveDate, NaiveDate, String), FieldError> {
    let first = date("first_day", &input.first_day)?;
    let last = date("last_day", &input.last_day)?;
    let latest = first.checked_add_days(Days::new(MAX_DAYS - 1)).unwrap_or(NaiveDate::MAX);
    if last < first || last > latest {
        return Err(FieldError::new("last_day", FieldErrorCode::OutOfRange).with_detail(format!("{first} – {latest}")));
    }
    let name = validate::bounded_text("name", &input.name, 1, NAME_MAX, false)?;
    Ok((first, last, name))
}

/// Adds a closure (admins only). Nothing is written when a field is refused.
pub async fn add(app: &App, actor: &Actor, input: NewClosure) -> Result<ClosureRow, AppError> {
    actor.require_admin()?;
    let (first_day, last_day, name) = validate(&input)?;
    let new = NewClosureRow { contract_id: input.contract_id, first_day, last_day, name, created_by: actor.id() };
    let now = app.now();
    let added = app
        .store
        .write(move |c| {
            Box::pin(async move {
                if let Some(id) = new.contract_id
                    && contracts::by_id(c, id).await?.is_none()
                {
                    return Err(AppError::field("contract", FieldErrorCode::NotFound));
                }
                let row = repo::insert(c, &new, now).await?;
                recheck(c, row.contract_id).await?;
                Ok(row)
            })
        })
        .await;
    if added.is_ok() {
        app.sla.invalidate();
    }
    added
}

/// Asks the SLA check to recompute the running tickets the closure's calendar applies to:
/// its contract's organisation's, or everyone's.
async fn recheck(c: &mut dyn Conn, contract_id: Option<Id>) -> Result<(), AppError> {
    let org = match contract_id {
        Some(id) => match contracts::by_id(c, id).await? {
            Some(contract) => Some(contract.organization_id),
            None => return Ok(()),
        },
        None => None,
    };
    sla::recheck(c, org).await?;
    Ok(())
}

/// Every closure, by first day, with its contract's name (admins only).
pub async fn list(app: &App, actor: &Actor) -> Result<Vec<ClosureItem>, AppError> {
    actor.require_admin()?;
    let rows = app.store.read(|c| Box::pin(async move { repo::list(c).await })).await?;
    let contracts = admin_views::contracts(app, actor).await?;
    Ok(rows
        .into_iter()
        .map(|closure| {
            let contract = closure.contract_id.map(|id| {
                contracts
                    .iter()
                    .find(|row| row.contract.id == id)
                    .map_or_else(|| format!("#{id}"), |row| format!("{} · {}", row.organization, row.contract.name))
            });
            ClosureItem { closure, contract }
        })
        .collect())
}

/// Deletes a closure (admins only); not found when there is none with that id.
pub async fn delete(app: &App, actor: &Actor, id: Id) -> Result<(), AppError> {
    actor.require_admin()?;
    app.store
        .write(move |c| {
            Box::pin(async move {
                let closure = repo::by_id(c, id).await?.ok_or(AppError::NotFound)?;
                repo::delete(c, id).await?;
                recheck(c, closure.contract_id).await
            })
        })
        .await?;
    app.sla.invalidate();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(first: &str, last: &str, name: &str) -> NewClosure {
        NewClosure { contract_id: None, first_day: first.into(), last_day: last.into(), name: name.into() }
    }

    fn refused(i: NewClosure) -> (String, FieldErrorCode, Option<String>) {
        let e = validate(&i).unwrap_err();
        (e.field, e.code, e.detail)
    }

    #[test]
    fn dates_order_length_and_name() {
        let (first, last, name) = validate(&input("2026-12-24", "2027-01-02", " Vacaciones ")).unwrap();
        assert_eq!(
            (first.to_string(), last.to_string(), name.as_str()),
            ("2026-12-24".into(), "2027-01-02".into(), "Vacaciones")
        );
        assert!(validate(&input("2026-12-24", "2026-12-24", "Un día")).is_ok(), "one day");
        // 366 days from 1 Jan 2028 (a leap year) end on 31 Dec 2028; one more is too long.
        assert!(validate(&input("2028-01-01", "2028-12-31", "Año")).is_ok());
        let long = refused(input("2028-01-01", "2029-01-01", "Año"));
        assert_eq!(long, ("last_day".into(), FieldErrorCode::OutOfRange, Some("2028-01-01 – 2028-12-31".into())));
        let backwards = refused(input("2026-12-24", "2026-12-23", "Al revés"));
        assert_eq!((backwards.0.as_str(), backwards.1), ("last_day", FieldErrorCode::OutOfRange));
        assert_eq!(refused(input("2026-1-5", "2026-01-06", "x")).0, "first_day");
        assert_eq!(refused(input("2026-02-30", "2026-03-01", "x")).1, FieldErrorCode::Invalid);
        assert_eq!(refused(input("2026-01-05", "", "x")), ("last_day".into(), FieldErrorCode::Required, None));
        assert_eq!(refused(input("2026-01-05", "2026-01-06", "  ")).1, FieldErrorCode::Required);
        assert_eq!(refused(input("2026-01-05", "2026-01-06", &"a".repeat(101))).1, FieldErrorCode::TooLong);
        assert!(validate(&input("2026-01-05", "2026-01-06", &"á".repeat(100))).is_ok(), "characters, not bytes");
    }
}
