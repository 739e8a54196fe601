//! A deadline on a request body: the whole body must arrive within the body timeout of
//! [`ServerLimits`](super::ServerLimits), counted from when the router sees the request. A
//! client that sends its body a byte at a time keeps a connection's idle deadline alive but
//! not this one; the body reader then answers HTTP 408 in the IRP envelope.

use std::{
    fmt,
    future::Future,
    pin::Pin,
    task::{Context, Poll},
    time::Duration,
};

use axum::body::{Body, Bytes};
use http_body::{Body as HttpBody, Frame, SizeHint};
use tokio::time::{Sleep, sleep};

/// The error a body yields once its deadline passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BodyDeadlineExceeded;

impl fmt::Display for BodyDeadlineExceeded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the request body did not arrive in time")
    }
}

impl std::error::Error for BodyDeadlineExceeded {}

/// `inner` that fails with [`BodyDeadlineExceeded`] after `timeout`.
pub(crate) struct DeadlineBody {
    inner: Body,
    deadline: Pin<Box<Sleep>>,
}

impl DeadlineBody {
    pub(crate) fn wrap(inner: Body, timeout: Duration) -> Body {
        Body::new(Self {
            inner,
            deadline: Box::pin(sleep(timeout)),
        })
    }
}

impl HttpBody for DeadlineBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        let this = self.get_mut();
        match Pin::new(&mut this.inner).poll_frame(cx) {
            Poll::Pending => match this.deadline.as_mut().poll(cx) {
                Poll::Ready(()) => Poll::Ready(Some(Err(axum::Error::new(BodyDeadlineExceeded)))),
                Poll::Pending => Poll::Pending,
            },
            ready @ Poll::Ready(_) => ready,
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_body_that_never_ends_fails_at_its_deadline() {
        let (_sender, stalled) = tokio::sync::mpsc::channel::<Result<Frame<Bytes>, axum::Error>>(1);
        let stream = http_body_util::StreamBody::new(tokio_stream_from(stalled));
        let body = DeadlineBody::wrap(Body::new(stream), Duration::from_secs(5));
        let error = axum::body::to_bytes(body, 1024).await.unwrap_err();
        let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&error);
        let mut found = false;
        while let Some(e) = source {
            found |= e.is::<BodyDeadlineExceeded>();
            source = e.source();
        }
        assert!(found, "{error}");

        let whole = DeadlineBody::wrap(Body::from("complete"), Duration::from_secs(5));
        assert_eq!(axum::body::to_bytes(whole, 1024).await.unwrap(), "complete");
    }

    fn tokio_stream_from<T: Send + 'static>(
        mut receiver: tokio::sync::mpsc::Receiver<T>,
    ) -> impl futures_util::Stream<Item = T> {
        futures_util::stream::poll_fn(move |cx| receiver.poll_recv(cx))
    }
}
