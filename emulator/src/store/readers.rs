//! A fixed pool of reader connections: a reader takes the first free one, or waits on one
//! in turn when all are busy.

use std::sync::{
    Mutex, PoisonError,
    atomic::{AtomicUsize, Ordering},
};

use rusqlite::Connection;

#[derive(Debug)]
pub(super) struct Readers {
    conns: Vec<Mutex<Connection>>,
    next: AtomicUsize,
}

impl Readers {
    pub(super) fn new(conns: Vec<Connection>) -> Self {
        Self {
            conns: conns.into_iter().map(Mutex::new).collect(),
            next: AtomicUsize::new(0),
        }
    }

    pub(super) fn with<R>(&self, f: impl FnOnce(&Connection) -> R) -> R {
        let start = self.next.fetch_add(1, Ordering::Relaxed);
        let n = self.conns.len();
        let free = (0..n)
            .filter_map(|i| self.conns.get((start + i) % n))
            .find_map(|m| m.try_lock().ok());
        let guard = match free {
            Some(guard) => guard,
            None => self
                .conns
                .get(start % n.max(1))
                .map(|m| m.lock().unwrap_or_else(PoisonError::into_inner))
                .unwrap_or_else(|| unreachable!("the pool has at least one connection")),
        };
        f(&guard)
    }
}
