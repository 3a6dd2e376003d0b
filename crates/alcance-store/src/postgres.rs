//! PostgreSQL backend: a pool; each change runs in its own transaction. PostgreSQL already
//! shares WAL flushes between concurrent commits, so no queue is needed here.

use std::time::Duration;

use futures_util::future::BoxFuture;
use sqlx::postgres::{PgConnectOptions, PgConnection, PgPool, PgPoolOptions, PgRow};

use crate::StoreError;
use crate::conn::{Backend, Conn};
use crate::value::Cell;

pub(crate) struct PgBackend {
    pool: PgPool,
}

pub struct PgConn<C> {
    conn: C,
}

impl PgBackend {
    pub(crate) async fn open(url: &str) -> Result<Self, StoreError> {
        let opts: PgConnectOptions =
            url.parse().map_err(|e| StoreError::Unavailable(format!("invalid PostgreSQL URL: {e}")))?;
        let pool = PgPoolOptions::new()
            .max_connections(24)
            .min_connections(1)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(opts)
            .await
            .map_err(|e| StoreError::Unavailable(format!("cannot connect to PostgreSQL: {e}")))?;
        Ok(Self { pool })
    }

    pub(crate) async fn read<T: Send + 'static>(
        &self,
        f: impl for<'c> FnOnce(&'c mut dyn Conn) -> BoxFuture<'c, T>,
    ) -> Result<T, StoreError> {
        let conn = self.pool.acquire().await?;
        let mut conn = PgConn { conn };
        Ok(f(&mut conn).await)
    }

    /// Runs `f` in a transaction; commits when it reports success, rolls back otherwise.
    pub(crate) async fn write<T: Send + 'static>(
        &self,
        f: impl for<'c> FnOnce(&'c mut dyn Conn) -> BoxFuture<'c, (bool, T)>,
    ) -> Result<T, StoreError> {
        // sqlx's transaction rolls back on drop, so a connection never returns to the pool
        // inside a transaction, whatever happens in `f`.
        let mut tx = self.pool.begin().await?;
        let (ok, out) = f(&mut PgConn { conn: &mut *tx }).await;
        if !ok {
            tx.rollback().await?;
            return Ok(out);
        }
        // A statement that failed inside `f` aborts the whole PostgreSQL transaction even if
        // `f` handled the error; COMMIT would then quietly roll back. Probe first, so such a
        // change is reported as failed instead of acknowledged and lost.
        if let Err(err) = sqlx::raw_sql("SELECT 1").execute(&mut *tx).await {
            tx.rollback().await.ok();
            return Err(StoreError::from(err));
        }
        tx.commit().await?;
        Ok(out)
    }

    pub(crate) async fn close(&self) {
        self.pool.close().await;
    }
}

fn decode(row: &PgRow, i: usize, type_name: &str) -> Result<Cell, StoreError> {
    use sqlx::Row as _;
    Ok(match type_name {
        "INT8" => Cell::Int(row.try_get::<i64, _>(i)?),
        "INT4" => Cell::Int(i64::from(row.try_get::<i32, _>(i)?)),
        "INT2" => Cell::Int(i64::from(row.try_get::<i16, _>(i)?)),
        "TEXT" | "VARCHAR" | "NAME" | "BPCHAR" => Cell::Text(row.try_get::<String, _>(i)?),
        "BOOL" => Cell::Bool(row.try_get::<bool, _>(i)?),
        "BYTEA" => Cell::Bytes(row.try_get::<Vec<u8>, _>(i)?),
        other => return Err(StoreError::Decode(format!("unexpected PostgreSQL type {other}"))),
    })
}

crate::sqlx_conn::sqlx_conn!(PgConn, sqlx::Postgres, PgConnection, Backend::Postgres, decode);
