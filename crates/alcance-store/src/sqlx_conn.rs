//! The one implementation of [`Conn`](crate::Conn) over a sqlx connection, stamped out for
//! each backend: sqlx's types differ per database, the code does not.

/// Implements `Conn` for `$wrapper<C>` where `C` derefs to `$connection`. `$decode` turns
/// one non-null column, given its type name, into a [`Cell`](crate::Cell).
macro_rules! sqlx_conn {
    ($wrapper:ident, $db:ty, $connection:ty, $backend:expr, $decode:path) => {
        fn bind<'q>(
            mut query: sqlx::query::Query<'q, $db, <$db as sqlx::Database>::Arguments>,
            args: Vec<$crate::Value>,
        ) -> sqlx::query::Query<'q, $db, <$db as sqlx::Database>::Arguments> {
            for arg in args {
                query = match arg {
                    $crate::Value::Int(v) => query.bind(v),
                    $crate::Value::Text(v) => query.bind(v),
                    $crate::Value::Bool(v) => query.bind(v),
                    $crate::Value::Bytes(v) => query.bind(v),
                };
            }
            query
        }

        fn to_row(row: &<$db as sqlx::Database>::Row) -> Result<$crate::Row, $crate::StoreError> {
            use sqlx::{Column, Row as _, TypeInfo, ValueRef};
            let mut cells = Vec::with_capacity(row.columns().len());
            for (i, column) in row.columns().iter().enumerate() {
                let raw = row.try_get_raw(i)?;
                let cell = if raw.is_null() {
                    $crate::Cell::Null
                } else {
                    let type_name = raw.type_info().name().to_owned();
                    $decode(row, i, &type_name).map_err(|e| match e {
                        $crate::StoreError::Decode(m) => {
                            $crate::StoreError::Decode(format!("column `{}`: {m}", column.name()))
                        }
                        other => other,
                    })?
                };
                cells.push((column.name().to_owned(), cell));
            }
            Ok($crate::Row { cells })
        }

        impl<C> $crate::Conn for $wrapper<C>
        where
            C: std::ops::DerefMut<Target = $connection> + Send,
        {
            fn backend(&self) -> $crate::Backend {
                $backend
            }

            fn execute<'a>(
                &'a mut self,
                sql: $crate::Sql,
                args: Vec<$crate::Value>,
            ) -> futures_util::future::BoxFuture<'a, Result<u64, $crate::StoreError>> {
                Box::pin(async move {
                    // Sql is only ever assembled from literal fragments; values are parameters.
                    let done = bind(sqlx::query(sqlx::AssertSqlSafe(sql)), args).execute(&mut *self.conn).await?;
                    Ok(done.rows_affected())
                })
            }

            fn fetch_all<'a>(
                &'a mut self,
                sql: $crate::Sql,
                args: Vec<$crate::Value>,
            ) -> futures_util::future::BoxFuture<'a, Result<Vec<$crate::Row>, $crate::StoreError>> {
                Box::pin(async move {
                    let rows = bind(sqlx::query(sqlx::AssertSqlSafe(sql)), args).fetch_all(&mut *self.conn).await?;
                    rows.iter().map(to_row).collect()
                })
            }

            fn execute_script<'a>(
                &'a mut self,
                script: &'static str,
            ) -> futures_util::future::BoxFuture<'a, Result<(), $crate::StoreError>> {
                Box::pin(async move {
                    sqlx::raw_sql(script).execute(&mut *self.conn).await?;
                    Ok(())
                })
            }
        }
    };
}

pub(crate) use sqlx_conn;
