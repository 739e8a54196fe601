//! The accept loop: one task per connection, HTTP/1.1 only (as the IRP), under the
//! [`ServerLimits`]: a cap on connections, a head timeout, an idle deadline, a TLS
//! handshake bounded by the head timeout, and a graceful shutdown bounded by its grace.

use std::{future::Future, io, net::SocketAddr, sync::Arc, time::Duration};

use axum::{Router, extract::ConnectInfo};
use hyper::{body::Incoming, server::conn::http1};
use hyper_util::{
    rt::{TokioIo, TokioTimer},
    server::graceful::{GracefulShutdown, Watcher},
    service::TowerToHyperService,
};
use tokio::{
    io::{AsyncRead, AsyncWrite},
    net::{TcpListener, TcpStream},
    sync::Semaphore,
};
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt as _;

use super::{
    abort::{Abort, AbortableStream},
    idle::IdleTimeout,
    limits::ServerLimits,
};

/// Serves `app` on `listener` until `shutdown` resolves, then lets the requests in flight
/// finish for at most the shutdown grace.
pub(super) async fn run(
    listener: TcpListener,
    app: Router,
    limits: ServerLimits,
    tls: Option<TlsAcceptor>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let permits = Arc::new(Semaphore::new(limits.max_connections()));
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            () = &mut shutdown => break,
            permit = permits.clone().acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break, // the semaphore is never closed
            },
        };
        let (stream, peer) = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of descriptors or a connection reset before accept: back off
                    // briefly instead of spinning.
                    tracing::warn!(%error, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let app = app.clone();
        let tls = tls.clone();
        let watcher = graceful.watcher();
        tokio::spawn(async move {
            serve_connection(stream, peer, app, tls, limits, watcher).await;
            drop(permit);
        });
    }
    drop(listener);
    let grace = limits.shutdown_grace();
    if tokio::time::timeout(grace, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!(
            "requests still in flight after the {}s shutdown grace; stopping anyway",
            grace.as_secs()
        );
    }
    Ok(())
}

async fn serve_connection(
    stream: TcpStream,
    peer: SocketAddr,
    app: Router,
    tls: Option<TlsAcceptor>,
    limits: ServerLimits,
    watcher: Watcher,
) {
    let _ = stream.set_nodelay(true);
    let abort = Abort::default();
    let stream = IdleTimeout::new(
        AbortableStream::new(stream, abort.clone()),
        limits.idle_timeout(),
    );
    match tls {
        None => http(stream, peer, abort, app, limits, watcher).await,
        Some(acceptor) => {
            let handshake = tokio::time::timeout(limits.header_timeout(), acceptor.accept(stream));
            match handshake.await {
                Ok(Ok(stream)) => http(stream, peer, abort, app, limits, watcher).await,
                Ok(Err(error)) => tracing::debug!(%peer, %error, "TLS handshake failed"),
                Err(_) => tracing::debug!(%peer, "TLS handshake timed out"),
            }
        }
    }
}

async fn http<I>(
    io: I,
    peer: SocketAddr,
    abort: Abort,
    app: Router,
    limits: ServerLimits,
    watcher: Watcher,
) where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let service = app.map_request(move |mut request: hyper::Request<Incoming>| {
        request.extensions_mut().insert(ConnectInfo(peer));
        request.extensions_mut().insert(abort.clone());
        request
    });
    let connection = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout())
        .serve_connection(TokioIo::new(io), TowerToHyperService::new(service));
    if let Err(error) = watcher.watch(connection).await {
        tracing::debug!(%peer, %error, "connection ended");
    }
}
