//! The limits a listening emulator enforces on its connections: a client may be slow,
//! silent or hostile, and one of them must never lock the others out.

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// Connection limits (`[server]` in the configuration file). Every timeout is in seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServerLimits {
    /// A request head (request line and headers) must arrive within this; the connection is
    /// closed otherwise (also while a kept-alive connection waits for its next request).
    pub header_timeout_seconds: u64,
    /// A request body must arrive within this once its head is read; HTTP 408 otherwise.
    pub body_timeout_seconds: u64,
    /// A connection on which nothing is read or written for this long is closed.
    pub idle_timeout_seconds: u64,
    /// At most this many connections at once; more wait in the listen backlog.
    pub max_connections: usize,
    /// On SIGTERM or Ctrl-C, requests in flight get this long to finish before the
    /// emulator exits anyway.
    pub shutdown_grace_seconds: u64,
    /// Async worker threads, and as many RSA signer threads; 0: one of each per core.
    pub threads: usize,
}

impl Default for ServerLimits {
    fn default() -> Self {
        Self {
            header_timeout_seconds: 30,
            body_timeout_seconds: 60,
            idle_timeout_seconds: 120,
            max_connections: 1024,
            shutdown_grace_seconds: 10,
            threads: 0,
        }
    }
}

impl ServerLimits {
    /// The head timeout.
    pub fn header_timeout(&self) -> Duration {
        Duration::from_secs(self.header_timeout_seconds.max(1))
    }

    /// The body timeout.
    pub fn body_timeout(&self) -> Duration {
        Duration::from_secs(self.body_timeout_seconds.max(1))
    }

    /// The idle timeout.
    pub fn idle_timeout(&self) -> Duration {
        Duration::from_secs(self.idle_timeout_seconds.max(1))
    }

    /// The shutdown grace.
    pub fn shutdown_grace(&self) -> Duration {
        Duration::from_secs(self.shutdown_grace_seconds)
    }

    /// Async workers, and signer threads: `threads`, or the cores when it is 0.
    pub fn threads(&self) -> usize {
        match self.threads {
            0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
            n => n,
        }
    }

    /// The connection cap (at least one).
    pub fn max_connections(&self) -> usize {
        self.max_connections.max(1)
    }
}
