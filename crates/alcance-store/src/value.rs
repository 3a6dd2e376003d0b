//! The few value types Alcance stores, the same on both backends: integers (ids, counts,
//! timestamps in milliseconds), text (enums as stable strings, JSON), booleans and bytes.
//! Keeping to these is what lets one SQL text and one row mapping serve SQLite and PostgreSQL.

use chrono::{DateTime, TimeZone, Utc};

use crate::StoreError;

/// A bound parameter. Nulls carry their type because PostgreSQL types every parameter.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Int(Option<i64>),
    Text(Option<String>),
    Bool(Option<bool>),
    Bytes(Option<Vec<u8>>),
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(Some(v))
    }
}
impl From<Option<i64>> for Value {
    fn from(v: Option<i64>) -> Self {
        Value::Int(v)
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(Some(v.to_owned()))
    }
}
impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(Some(v))
    }
}
impl From<Option<String>> for Value {
    fn from(v: Option<String>) -> Self {
        Value::Text(v)
    }
}
impl From<Option<&str>> for Value {
    fn from(v: Option<&str>) -> Self {
        Value::Text(v.map(str::to_owned))
    }
}
impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Value::Bool(Some(v))
    }
}
impl From<Vec<u8>> for Value {
    fn from(v: Vec<u8>) -> Self {
        Value::Bytes(Some(v))
    }
}
impl From<DateTime<Utc>> for Value {
    fn from(v: DateTime<Utc>) -> Self {
        Value::Int(Some(v.timestamp_millis()))
    }
}
impl From<Option<DateTime<Utc>>> for Value {
    fn from(v: Option<DateTime<Utc>>) -> Self {
        Value::Int(v.map(|t| t.timestamp_millis()))
    }
}

/// Calendar dates are kept as ISO text (YYYY-MM-DD), which sorts and compares as dates.
impl From<chrono::NaiveDate> for Value {
    fn from(v: chrono::NaiveDate) -> Self {
        Value::Text(Some(v.format("%Y-%m-%d").to_string()))
    }
}

/// A value read back from a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Null,
    Int(i64),
    Text(String),
    Bool(bool),
    Bytes(Vec<u8>),
}

/// One result row: column names and cells, read by name.
#[derive(Debug, Clone)]
pub struct Row {
    pub(crate) cells: Vec<(String, Cell)>,
}

impl Row {
    fn cell(&self, column: &str) -> Result<&Cell, StoreError> {
        self.cells
            .iter()
            .find(|(name, _)| name == column)
            .map(|(_, cell)| cell)
            .ok_or_else(|| StoreError::Decode(format!("no column `{column}`")))
    }

    fn mismatch(column: &str, cell: &Cell, wanted: &str) -> StoreError {
        StoreError::Decode(format!("column `{column}` is {cell:?}, wanted {wanted}"))
    }

    pub fn opt_int(&self, column: &str) -> Result<Option<i64>, StoreError> {
        match self.cell(column)? {
            Cell::Null => Ok(None),
            Cell::Int(v) => Ok(Some(*v)),
            Cell::Bool(b) => Ok(Some(i64::from(*b))),
            other => Err(Self::mismatch(column, other, "integer")),
        }
    }

    pub fn int(&self, column: &str) -> Result<i64, StoreError> {
        self.opt_int(column)?.ok_or_else(|| StoreError::Decode(format!("column `{column}` is null")))
    }

    pub fn opt_text(&self, column: &str) -> Result<Option<String>, StoreError> {
        match self.cell(column)? {
            Cell::Null => Ok(None),
            Cell::Text(v) => Ok(Some(v.clone())),
            other => Err(Self::mismatch(column, other, "text")),
        }
    }

    pub fn text(&self, column: &str) -> Result<String, StoreError> {
        self.opt_text(column)?.ok_or_else(|| StoreError::Decode(format!("column `{column}` is null")))
    }

    /// SQLite keeps booleans as integers; PostgreSQL as booleans.
    pub fn bool(&self, column: &str) -> Result<bool, StoreError> {
        match self.cell(column)? {
            Cell::Bool(b) => Ok(*b),
            Cell::Int(v) => Ok(*v != 0),
            other => Err(Self::mismatch(column, other, "boolean")),
        }
    }

    pub fn bytes(&self, column: &str) -> Result<Vec<u8>, StoreError> {
        match self.cell(column)? {
            Cell::Bytes(b) => Ok(b.clone()),
            Cell::Text(t) => Ok(t.clone().into_bytes()),
            other => Err(Self::mismatch(column, other, "bytes")),
        }
    }

    pub fn opt_time(&self, column: &str) -> Result<Option<DateTime<Utc>>, StoreError> {
        self.opt_int(column)?
            .map(|ms| {
                Utc.timestamp_millis_opt(ms)
                    .single()
                    .ok_or_else(|| StoreError::Decode(format!("column `{column}`: bad time {ms}")))
            })
            .transpose()
    }

    pub fn time(&self, column: &str) -> Result<DateTime<Utc>, StoreError> {
        self.opt_time(column)?.ok_or_else(|| StoreError::Decode(format!("column `{column}` is null")))
    }

    pub fn date(&self, column: &str) -> Result<chrono::NaiveDate, StoreError> {
        let text = self.text(column)?;
        chrono::NaiveDate::parse_from_str(&text, "%Y-%m-%d")
            .map_err(|e| StoreError::Decode(format!("column `{column}`: bad date {text:?}: {e}")))
    }
}
