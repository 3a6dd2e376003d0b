//! The one connection API the repositories are written against. Each backend implements it
//! once; repositories never know which database they talk to, except through `backend()`
//! where the dialects really differ.

use std::borrow::Cow;

use futures_util::future::BoxFuture;

use crate::StoreError;
use crate::value::{Row, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// SQL text: a literal, or text assembled only from literal fragments (filters, sorting)
/// with every value bound as a parameter.
pub type Sql = Cow<'static, str>;

pub trait Conn: Send {
    fn backend(&self) -> Backend;

    /// Runs a statement and returns the number of rows it changed.
    fn execute<'a>(&'a mut self, sql: Sql, args: Vec<Value>) -> BoxFuture<'a, Result<u64, StoreError>>;

    fn fetch_all<'a>(&'a mut self, sql: Sql, args: Vec<Value>) -> BoxFuture<'a, Result<Vec<Row>, StoreError>>;

    /// Runs a script of several statements without parameters (migrations).
    fn execute_script<'a>(&'a mut self, script: &'static str) -> BoxFuture<'a, Result<(), StoreError>>;
}

/// Conveniences over [`Conn`], available on every connection.
pub trait ConnExt: Conn {
    fn fetch_optional<'a>(&'a mut self, sql: Sql, args: Vec<Value>) -> BoxFuture<'a, Result<Option<Row>, StoreError>> {
        Box::pin(async move { Ok(self.fetch_all(sql, args).await?.into_iter().next()) })
    }

    fn fetch_one<'a>(&'a mut self, sql: Sql, args: Vec<Value>) -> BoxFuture<'a, Result<Row, StoreError>> {
        Box::pin(async move { self.fetch_all(sql, args).await?.into_iter().next().ok_or(StoreError::NotFound) })
    }
}

impl<T: Conn + ?Sized> ConnExt for T {}

/// Builds SQL from literal fragments, numbering `$n` parameters as values are pushed.
#[derive(Debug, Default)]
pub struct SqlBuilder {
    sql: String,
    args: Vec<Value>,
}

impl SqlBuilder {
    pub fn new(start: &'static str) -> Self {
        Self { sql: start.to_owned(), args: Vec::new() }
    }

    pub fn push(&mut self, fragment: &'static str) -> &mut Self {
        self.sql.push_str(fragment);
        self
    }

    /// Appends `$n` for `value`.
    pub fn bind(&mut self, value: impl Into<Value>) -> &mut Self {
        self.args.push(value.into());
        self.sql.push('$');
        self.sql.push_str(&self.args.len().to_string());
        self
    }

    /// Appends `$n, $n+1, …` for each value (the inside of an `IN (…)`).
    pub fn bind_list<V: Into<Value> + Copy>(&mut self, values: &[V]) -> &mut Self {
        for (i, v) in values.iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.bind(*v);
        }
        self
    }

    pub fn finish(self) -> (Sql, Vec<Value>) {
        (Cow::Owned(self.sql), self.args)
    }
}
