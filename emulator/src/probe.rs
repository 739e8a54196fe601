//! `irp-emulator wait`: poll an emulator's `/__emulator__/health` until it answers 200.
//!
//! Scripts, CI service waits and the container image's `HEALTHCHECK` use it, so the image
//! needs no curl. It speaks just enough HTTP/1.1 over a plain [`tokio::net::TcpStream`]: one
//! `GET` with `Connection: close`, and the status line of the answer. reqwest (the client
//! crate's HTTP stack, a dev-dependency here) would put a pooled client, its hyper client
//! half and its TLS wiring into the server binary for this one request, while the emulator
//! already has tokio and, through axum, `http::Uri` to read the URL. The price is plain
//! `http://` only: an `https://` URL is refused with a message rather than half-supported.

use std::time::Duration;

use axum::http::Uri;
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
    time::Instant,
};

/// The health path, under the base URL.
pub const HEALTH_PATH: &str = "/__emulator__/health";

/// Pause between attempts.
const INTERVAL: Duration = Duration::from_millis(200);

/// Longest one attempt may take (less when the deadline is nearer): a listener that accepts
/// and never answers must not hold the whole wait.
const ATTEMPT: Duration = Duration::from_secs(5);

/// Why waiting failed.
#[derive(Debug, thiserror::Error)]
pub enum ProbeError {
    /// Not an `http://host[:port][/base]` URL.
    #[error("{url:?} is not an http://host[:port] URL: {reason}")]
    Url {
        /// What was given.
        url: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// No 200 before the deadline.
    #[error("no healthy answer from {url} within {} s (last attempt: {last})", timeout.as_secs_f64())]
    Timeout {
        /// The health URL polled.
        url: String,
        /// The time allowed.
        timeout: Duration,
        /// What the last attempt met (connection refused, an HTTP status, no answer).
        last: String,
    },
}

/// Where the health check of an emulator at a base URL is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HealthUrl {
    host: String,
    port: u16,
    authority: String,
    path: String,
}

impl HealthUrl {
    /// Reads a base URL such as `http://127.0.0.1:8080` (a path prefix is kept:
    /// `http://proxy/irp` polls `http://proxy/irp/__emulator__/health`).
    pub fn parse(base: &str) -> Result<Self, ProbeError> {
        let refuse = |reason| ProbeError::Url {
            url: base.to_owned(),
            reason,
        };
        let uri: Uri = base.trim().parse().map_err(|_| refuse("not a URL"))?;
        match uri.scheme_str() {
            Some("http") => {}
            Some("https") => {
                return Err(refuse(
                    "wait speaks plain HTTP only, so it cannot poll an emulator started with --tls",
                ));
            }
            _ => return Err(refuse("the scheme must be http://")),
        }
        let authority = uri.authority().ok_or_else(|| refuse("no host"))?;
        if authority.as_str().contains('@') {
            return Err(refuse("user information is not supported"));
        }
        if uri.query().is_some() {
            return Err(refuse("a query string is not supported"));
        }
        let host = authority
            .host()
            .trim_start_matches('[')
            .trim_end_matches(']');
        Ok(Self {
            host: host.to_owned(),
            port: authority.port_u16().unwrap_or(80),
            authority: authority.as_str().to_owned(),
            path: format!("{}{HEALTH_PATH}", uri.path().trim_end_matches('/')),
        })
    }

    /// One attempt: the HTTP status of the health answer.
    async fn status(&self) -> std::io::Result<u16> {
        let mut stream = TcpStream::connect((self.host.as_str(), self.port)).await?;
        let request = format!(
            "GET {} HTTP/1.1\r\nHost: {}\r\nUser-Agent: irp-emulator-wait/{}\r\nAccept: application/json\r\nConnection: close\r\n\r\n",
            self.path,
            self.authority,
            env!("CARGO_PKG_VERSION"),
        );
        stream.write_all(request.as_bytes()).await?;
        // Only the status line matters: read until its end (or 1 KiB, or the close).
        let mut head = Vec::with_capacity(128);
        let mut chunk = [0u8; 256];
        while !head.contains(&b'\n') && head.len() < 1024 {
            let read = stream.read(&mut chunk).await?;
            if read == 0 {
                break;
            }
            head.extend_from_slice(chunk.get(..read).unwrap_or_default());
        }
        status_code(&head).ok_or_else(|| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "the answer is not HTTP/1.x",
            )
        })
    }
}

impl std::fmt::Display for HealthUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "http://{}{}", self.authority, self.path)
    }
}

/// The status code of an `HTTP/1.x NNN …` status line.
fn status_code(head: &[u8]) -> Option<u16> {
    let line = head.split(|&b| b == b'\n').next()?;
    let line = std::str::from_utf8(line).ok()?;
    let mut parts = line.split_ascii_whitespace();
    parts.next()?.starts_with("HTTP/1.").then_some(())?;
    parts.next()?.parse().ok()
}

/// Polls `url` until it answers HTTP 200 or `timeout` has passed; how long it took.
pub async fn wait_until_healthy(
    url: &HealthUrl,
    timeout: Duration,
) -> Result<Duration, ProbeError> {
    let started = Instant::now();
    let deadline = started + timeout;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let last = match tokio::time::timeout(left.min(ATTEMPT), url.status()).await {
            Ok(Ok(200)) => return Ok(started.elapsed()),
            Ok(Ok(status)) => format!("HTTP {status}"),
            Ok(Err(e)) => e.to_string(),
            Err(_) => "no answer in time".to_owned(),
        };
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(ProbeError::Timeout {
                url: url.to_string(),
                timeout,
                last,
            });
        }
        tokio::time::sleep(left.min(INTERVAL)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls() {
        let url = HealthUrl::parse("http://127.0.0.1:8080").unwrap();
        assert_eq!((url.host.as_str(), url.port), ("127.0.0.1", 8080));
        assert_eq!(url.to_string(), "http://127.0.0.1:8080/__emulator__/health");
        let url = HealthUrl::parse("http://[::1]:9/irp/").unwrap();
        assert_eq!((url.host.as_str(), url.port), ("::1", 9));
        assert_eq!(url.to_string(), "http://[::1]:9/irp/__emulator__/health");
        assert_eq!(HealthUrl::parse("http://emulator").unwrap().port, 80);
        for bad in [
            "https://127.0.0.1:8080",
            "127.0.0.1:8080",
            "ftp://x",
            "http://u:p@x",
            "http://x/?a=b",
            "",
        ] {
            assert!(HealthUrl::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn status_lines() {
        assert_eq!(status_code(b"HTTP/1.1 200 OK\r\n"), Some(200));
        assert_eq!(status_code(b"HTTP/1.0 403 Forbidden\r\nx"), Some(403));
        assert_eq!(status_code(b"SSH-2.0-OpenSSH\r\n"), None);
        assert_eq!(status_code(b""), None);
    }
}
