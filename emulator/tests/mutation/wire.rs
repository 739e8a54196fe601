//! HTTP/1.1 by hand on a TCP socket: requests written byte for byte (so a mutation reaches
//! the server exactly as made, with no client library to tidy it up), answers read with
//! `Content-Length` or chunked framing.

use std::{net::SocketAddr, time::Duration};

use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};

/// How long a complete request may wait for its answer before the run fails as a hang.
pub(crate) const ANSWER_TIMEOUT: Duration = Duration::from_secs(20);

/// A request as bytes are made of it.
#[derive(Debug, Clone)]
pub(crate) struct Raw {
    pub(crate) method: String,
    pub(crate) path: String,
    pub(crate) headers: Vec<(String, Vec<u8>)>,
    pub(crate) body: Vec<u8>,
}

impl Raw {
    /// From a request `irp-client` built.
    pub(crate) fn of(request: &axum::http::Request<Vec<u8>>) -> Self {
        Self {
            method: request.method().to_string(),
            path: request.uri().to_string(),
            headers: request
                .headers()
                .iter()
                .map(|(n, v)| (n.to_string(), v.as_bytes().to_vec()))
                .collect(),
            body: request.body().clone(),
        }
    }

    /// The bytes on the wire, with `Content-Length` of the body (unless a header of the
    /// request already sets one).
    pub(crate) fn to_bytes(&self) -> Vec<u8> {
        let mut out = format!(
            "{} {} HTTP/1.1\r\nHost: 127.0.0.1\r\n",
            self.method, self.path
        )
        .into_bytes();
        for (name, value) in &self.headers {
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(b": ");
            out.extend_from_slice(value);
            out.extend_from_slice(b"\r\n");
        }
        if !self
            .headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        {
            out.extend_from_slice(format!("Content-Length: {}\r\n", self.body.len()).as_bytes());
        }
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(&self.body);
        out
    }

    /// One line for a failure message.
    pub(crate) fn summary(&self) -> String {
        let headers: Vec<String> = self
            .headers
            .iter()
            .map(|(n, v)| format!("{n}: {}", String::from_utf8_lossy(v)))
            .collect();
        let body = String::from_utf8_lossy(self.body.get(..300).unwrap_or(&self.body));
        format!(
            "{} {} [{}] body({} bytes): {body}",
            self.method,
            self.path,
            headers.join(" | "),
            self.body.len()
        )
    }
}

/// An answer.
#[derive(Debug)]
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) body: Vec<u8>,
    /// The server closes the connection after it.
    pub(crate) close: bool,
}

/// A keep-alive connection, opened again when the server closed it.
pub(crate) struct Connection {
    addr: SocketAddr,
    stream: Option<TcpStream>,
    buffer: Vec<u8>,
}

impl Connection {
    pub(crate) fn new(addr: SocketAddr) -> Self {
        Self {
            addr,
            stream: None,
            buffer: Vec::new(),
        }
    }

    /// Sends `bytes` and reads one answer; `Err` when the connection ended without one.
    pub(crate) async fn exchange(&mut self, bytes: &[u8]) -> Result<Reply, String> {
        let result = tokio::time::timeout(ANSWER_TIMEOUT, self.exchange_inner(bytes))
            .await
            .unwrap_or_else(|_| Err("timeout".to_owned()));
        match &result {
            Ok(reply) if !reply.close => {}
            _ => {
                self.stream = None;
                self.buffer.clear();
            }
        }
        result
    }

    async fn exchange_inner(&mut self, bytes: &[u8]) -> Result<Reply, String> {
        if self.stream.is_none() {
            self.stream = Some(
                TcpStream::connect(self.addr)
                    .await
                    .map_err(|e| e.to_string())?,
            );
            self.buffer.clear();
        }
        let stream = self.stream.as_mut().ok_or("no stream")?;
        // A refusal may come before the whole body is written: read it even then.
        let written = stream.write_all(bytes).await;
        let reply = read_reply(stream, &mut self.buffer).await;
        match (written, reply) {
            (_, Ok(reply)) => Ok(reply),
            (Err(w), Err(r)) => Err(format!("write: {w}; read: {r}")),
            (Ok(()), Err(r)) => Err(r),
        }
    }
}

async fn fill(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Result<(), String> {
    let mut chunk = [0u8; 16 * 1024];
    let n = stream.read(&mut chunk).await.map_err(|e| e.to_string())?;
    if n == 0 {
        return Err("closed".to_owned());
    }
    buffer.extend_from_slice(&chunk[..n]);
    Ok(())
}

async fn read_reply(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Result<Reply, String> {
    let head_end = loop {
        if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break at;
        }
        fill(stream, buffer).await?;
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    buffer.drain(..head_end + 4);
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    if !status_line.starts_with("HTTP/1.1 ") {
        return Err(format!("not an HTTP/1.1 status line: {status_line}"));
    }
    let status: u16 = status_line
        .get(9..12)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("bad status line: {status_line}"))?;
    let mut length = None;
    let mut chunked = false;
    let mut close = false;
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        match name.to_ascii_lowercase().as_str() {
            "content-length" => length = value.parse::<usize>().ok(),
            "transfer-encoding" => chunked = value.eq_ignore_ascii_case("chunked"),
            "connection" => close = value.eq_ignore_ascii_case("close"),
            _ => {}
        }
    }
    let body = if chunked {
        read_chunked(stream, buffer).await?
    } else {
        let length = length.unwrap_or(0);
        while buffer.len() < length {
            fill(stream, buffer).await?;
        }
        buffer.drain(..length).collect()
    };
    Ok(Reply {
        status,
        body,
        close,
    })
}

async fn read_chunked(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Result<Vec<u8>, String> {
    let mut body = Vec::new();
    loop {
        let line_end = loop {
            if let Some(at) = buffer.windows(2).position(|w| w == b"\r\n") {
                break at;
            }
            fill(stream, buffer).await?;
        };
        let size_text = String::from_utf8_lossy(&buffer[..line_end]).into_owned();
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
            .map_err(|_| format!("bad chunk size {size_text:?}"))?;
        buffer.drain(..line_end + 2);
        while buffer.len() < size + 2 {
            fill(stream, buffer).await?;
        }
        body.extend(buffer.drain(..size));
        buffer.drain(..2);
        if size == 0 {
            return Ok(body);
        }
    }
}

/// Writes `bytes` on a fresh connection and closes it without reading (a client that
/// gives up mid-request, or right after sending it).
pub(crate) async fn send_and_drop(addr: SocketAddr, bytes: &[u8]) {
    if let Ok(mut stream) = TcpStream::connect(addr).await {
        let _ = stream.write_all(bytes).await;
        let _ = stream.shutdown().await;
    }
}

/// Writes `bytes` on a fresh connection, ends the sending side, and reads what comes back
/// (possibly nothing).
pub(crate) async fn send_half_and_read(addr: SocketAddr, bytes: &[u8]) -> Option<Reply> {
    let mut stream = TcpStream::connect(addr).await.ok()?;
    let _ = stream.write_all(bytes).await;
    let _ = stream.shutdown().await;
    let mut buffer = Vec::new();
    tokio::time::timeout(ANSWER_TIMEOUT, read_reply(&mut stream, &mut buffer))
        .await
        .ok()?
        .ok()
}
