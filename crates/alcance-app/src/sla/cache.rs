//! This process's copy of the SLA book, and where its periodic check has got to.
//!
//! Every ticket change recomputes its clock with the book (policies' targets, contracts'
//! working hours, closures); reading it from the database for each change cost a read per
//! write. The book is kept here instead: dropped at once when this process changes a contract
//! or a closure, re-read at most a minute later otherwise (another server process sharing the
//! database may have changed one). A row computed from a book a minute old is corrected by
//! the periodic check, which always reads the book afresh (see `repo::sla::upsert`).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use super::SlaBook;
use crate::{App, AppError};

/// How long a book read from the database is used before it is read again.
pub const BOOK_TTL: Duration = Duration::from_secs(60);

struct Cached {
    book: Arc<SlaBook>,
    loaded: Instant,
    generation: u64,
}

/// The SLA book of this process and the periodic check's progress. One per `App` (clones
/// share it).
#[derive(Default)]
pub struct SlaCache {
    book: RwLock<Option<Cached>>,
    /// Bumped by [`SlaCache::invalidate`]: a book read while a change was committing is not
    /// kept.
    generation: AtomicU64,
    /// The `now` of this process's last complete scan for stale rows.
    scanned: Mutex<Option<DateTime<Utc>>>,
}

impl SlaCache {
    /// The book, read from the database when this process has none younger than
    /// [`BOOK_TTL`] or one of its changes made it obsolete.
    pub async fn book(&self, app: &App) -> Result<Arc<SlaBook>, AppError> {
        let generation = self.generation.load(Ordering::Acquire);
        let kept = self.book.read().ok().and_then(|slot| {
            slot.as_ref()
                .filter(|c| c.generation == generation && c.loaded.elapsed() < BOOK_TTL)
                .map(|c| c.book.clone())
        });
        match kept {
            Some(book) => Ok(book),
            None => self.fresh(app).await,
        }
    }

    /// The book read from the database now (kept for the next callers).
    pub async fn fresh(&self, app: &App) -> Result<Arc<SlaBook>, AppError> {
        let generation = self.generation.load(Ordering::Acquire);
        let book = Arc::new(SlaBook::load(app).await?);
        if let Ok(mut slot) = self.book.write()
            && self.generation.load(Ordering::Acquire) == generation
        {
            *slot = Some(Cached { book: book.clone(), loaded: Instant::now(), generation });
        }
        Ok(book)
    }

    /// Forgets the book: call after committing a change to a contract or a closure.
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
    }

    /// Since when the next scan for stale rows must look: the last complete scan's instant
    /// minus a margin for changes still committing then; `None` (every ticket) on this
    /// process's first scan, or when the clock went back.
    pub(super) fn stale_since(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let last = self.scanned.lock().ok().and_then(|s| *s)?;
        (last <= now).then(|| last - chrono::Duration::minutes(5))
    }

    pub(super) fn scanned(&self, now: DateTime<Utc>) {
        if let Ok(mut scanned) = self.scanned.lock() {
            *scanned = Some(now);
        }
    }
}
