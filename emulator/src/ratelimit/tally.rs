//! The windows of every key a rule has seen, under one cap on the number of keys.
//!
//! Keys are header values a client chooses, so a client cycling GSTINs could otherwise
//! grow this table without limit. When a new key would pass the cap, keys whose windows
//! are all empty are dropped first (forgetting them changes no answer); if that frees too
//! little, the keys admitted least recently are dropped until a tenth of the cap is free,
//! so the sweep runs at most once per that many new keys. A dropped key that was not idle
//! starts afresh: under a flood of distinct keys, memory is bounded before counts are exact.

use std::{collections::HashMap, time::Duration};

use tokio::time::Instant;

use super::{rule::Span, window::Window};

/// How many keys (over all rules) are remembered at most.
pub const MAX_KEYS: usize = 100_000;

/// One key's windows, shortest first.
type Windows = Vec<Window>;

/// Per rule id, per key value, its windows.
#[derive(Debug)]
pub(super) struct Tally {
    rules: HashMap<u64, HashMap<String, Windows>>,
    keys: usize,
    cap: usize,
}

impl Tally {
    pub(super) fn new(cap: usize) -> Self {
        Self {
            rules: HashMap::new(),
            keys: 0,
            cap: cap.max(1),
        }
    }

    /// How many keys are remembered.
    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.keys
    }

    /// The longest wait among the full windows of `key` under rule `id`, and that
    /// window's span; `None` if every window admits (or the key is new).
    pub(super) fn wait(&mut self, id: u64, key: &str, now: Instant) -> Option<(Duration, Span)> {
        let windows = self.rules.get_mut(&id)?.get_mut(key)?;
        windows
            .iter_mut()
            .filter_map(|w| w.wait(now).map(|d| (d, w.span())))
            .max_by_key(|(wait, _)| *wait)
    }

    /// Counts a request admitted at `now` for `key` under rule `id`, whose windows are
    /// `limits` (used when the key is new).
    pub(super) fn admit(
        &mut self,
        id: u64,
        key: &str,
        limits: impl Iterator<Item = (Span, u32)>,
        now: Instant,
    ) {
        // The common case, a key seen before, allocates nothing.
        if let Some(windows) = self.rules.get_mut(&id).and_then(|keys| keys.get_mut(key)) {
            windows.iter_mut().for_each(|w| w.admit(now));
            return;
        }
        self.make_room(now);
        let mut windows: Windows = limits.map(|(span, n)| Window::new(span, n)).collect();
        windows.iter_mut().for_each(|w| w.admit(now));
        self.rules
            .entry(id)
            .or_default()
            .insert(key.to_owned(), windows);
        self.keys += 1;
    }

    /// Forgets every key of rule `id`.
    pub(super) fn forget(&mut self, id: u64) {
        if let Some(keys) = self.rules.remove(&id) {
            self.keys -= keys.len();
        }
    }

    /// Forgets every key.
    pub(super) fn clear(&mut self) {
        self.rules.clear();
        self.keys = 0;
    }

    /// Makes room for one more key (see the module docs).
    fn make_room(&mut self, now: Instant) {
        if self.keys < self.cap {
            return;
        }
        for keys in self.rules.values_mut() {
            keys.retain(|_, windows| !windows.iter_mut().all(|w| w.is_idle(now)));
        }
        self.rules.retain(|_, keys| !keys.is_empty());
        self.recount();
        let target = self.cap - self.cap.div_ceil(10);
        if self.keys <= target {
            return;
        }
        let mut by_last: Vec<(Instant, u64, String)> = self
            .rules
            .iter()
            .flat_map(|(&id, keys)| {
                keys.iter().map(move |(key, windows)| {
                    let last = windows.iter().filter_map(Window::last).max();
                    (last.unwrap_or(now), id, key.clone())
                })
            })
            .collect();
        let excess = self.keys - target;
        by_last.select_nth_unstable_by_key(excess - 1, |(last, _, _)| *last);
        for (_, id, key) in by_last.iter().take(excess) {
            if let Some(keys) = self.rules.get_mut(id) {
                keys.remove(key);
            }
        }
        self.rules.retain(|_, keys| !keys.is_empty());
        self.recount();
    }

    fn recount(&mut self) {
        self.keys = self.rules.values().map(HashMap::len).sum();
    }
}
