//! One sliding window: the instants of the requests it admitted during the last span.
//!
//! A log, not a counter: a fixed-bucket counter admits twice the limit across a bucket
//! edge, and the log answers `Retry-After` exactly (when its oldest entry leaves). It never
//! holds more than its limit, because a full window refuses before anything is pushed.

use std::{collections::VecDeque, time::Duration};

use tokio::time::Instant;

use super::rule::Span;

/// A sliding window of one span and limit.
#[derive(Debug, Clone)]
pub(super) struct Window {
    span: Span,
    limit: u32,
    admitted: VecDeque<Instant>,
}

impl Window {
    pub(super) fn new(span: Span, limit: u32) -> Self {
        Self {
            span,
            limit,
            admitted: VecDeque::new(),
        }
    }

    pub(super) fn span(&self) -> Span {
        self.span
    }

    /// Forgets the entries that left the window by `now`: an entry made at `t` counts while
    /// `now - t` is under the span.
    fn expire(&mut self, now: Instant) {
        let span = self.span.duration();
        while self
            .admitted
            .front()
            .is_some_and(|&t| now.saturating_duration_since(t) >= span)
        {
            self.admitted.pop_front();
        }
    }

    /// How long until the window admits again, if it is full at `now`.
    pub(super) fn wait(&mut self, now: Instant) -> Option<Duration> {
        self.expire(now);
        if self.admitted.len() < self.limit as usize {
            return None;
        }
        let oldest = *self.admitted.front()?;
        Some((oldest + self.span.duration()).saturating_duration_since(now))
    }

    /// Counts a request admitted at `now` (the caller checked [`Window::wait`] first).
    pub(super) fn admit(&mut self, now: Instant) {
        self.admitted.push_back(now);
    }

    /// Whether nothing admitted is still inside the window at `now`.
    pub(super) fn is_idle(&mut self, now: Instant) -> bool {
        self.expire(now);
        self.admitted.is_empty()
    }

    /// The last admission, for choosing which keys to forget first.
    pub(super) fn last(&self) -> Option<Instant> {
        self.admitted.back().copied()
    }
}
