//! Ending a connection without an answer, for the fault actions `close` (FIN) and `reset`
//! (RST). A handler cannot do this through HTTP: hyper always writes the response it is
//! given. So every connection's socket is wrapped in an [`AbortableStream`] that shares an
//! [`Abort`] switch with the requests it carries; a fault flips the switch and answers
//! anything, and the first write of that answer fails instead: the connection ends with
//! nothing sent, and with `SO_LINGER` 0 first for a reset.

use std::{
    io,
    pin::Pin,
    sync::{
        Arc,
        atomic::{AtomicU8, Ordering},
    },
    task::{Context, Poll},
};

use tokio::{
    io::{AsyncRead, AsyncWrite, ReadBuf},
    net::TcpStream,
};

const OPEN: u8 = 0;
const CLOSE: u8 = 1;
const RESET: u8 = 2;

/// The switch of one connection, in the extensions of each request it carries.
#[derive(Debug, Clone, Default)]
pub struct Abort(Arc<AtomicU8>);

impl Abort {
    /// The connection ends (FIN) before the answer is written.
    pub fn close(&self) {
        self.0.store(CLOSE, Ordering::Release);
    }

    /// The connection is reset (RST) before the answer is written.
    pub fn reset(&self) {
        self.0.store(RESET, Ordering::Release);
    }

    fn state(&self) -> u8 {
        self.0.load(Ordering::Acquire)
    }
}

/// A TCP stream whose writes fail once its [`Abort`] switch is flipped.
#[derive(Debug)]
pub(crate) struct AbortableStream {
    inner: TcpStream,
    abort: Abort,
}

impl AbortableStream {
    /// Wraps `inner`; the switch goes into each request's extensions.
    pub(crate) fn new(inner: TcpStream, abort: Abort) -> Self {
        Self { inner, abort }
    }

    /// `Some(error)` when the switch was flipped (after arming the reset).
    fn aborted(&self) -> Option<io::Error> {
        match self.abort.state() {
            OPEN => None,
            state => {
                if state == RESET
                    && let Err(error) = self.inner.set_zero_linger()
                {
                    tracing::debug!(%error, "could not arm the reset");
                }
                Some(io::Error::new(
                    io::ErrorKind::ConnectionAborted,
                    "connection ended by a fault rule",
                ))
            }
        }
    }
}

impl AsyncRead for AbortableStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for AbortableStream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        if let Some(error) = self.aborted() {
            return Poll::Ready(Err(error));
        }
        Pin::new(&mut self.get_mut().inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        if let Some(error) = self.aborted() {
            return Poll::Ready(Err(error));
        }
        Pin::new(&mut self.get_mut().inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if let Some(error) = self.aborted() {
            return Poll::Ready(Err(error));
        }
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}
