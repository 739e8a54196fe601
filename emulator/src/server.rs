//! Serving: the router behind a listener the caller binds (port 0 in tests), over plain
//! HTTP/1.1 or TLS, with graceful shutdown.

use std::{future::Future, io, net::SocketAddr, time::Duration};

use axum::{Router, extract::Request};
use axum_server::tls_rustls::RustlsConfig;
use tower::ServiceExt as _;

use crate::{routes::canonical_path, state::AppState};

/// The whole application: the router behind case-insensitive path canonicalisation.
pub fn app(state: AppState) -> Router {
    let routed = crate::router(state).map_request(canonical_path as fn(Request) -> Request);
    Router::new().fallback_service(routed)
}

/// Serves plain HTTP/1.1 on `listener` until `shutdown` resolves.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let service = app(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, service)
        .with_graceful_shutdown(shutdown)
        .await
}

/// Serves HTTPS on `listener` with the key set's TLS pair until `shutdown` resolves.
pub async fn serve_tls(
    listener: std::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let pems = &state.keys.pems;
    let config = RustlsConfig::from_pem(
        pems.tls_cert.clone().into_bytes(),
        pems.tls_private.clone().into_bytes(),
    )
    .await?;
    listener.set_nonblocking(true)?;
    let handle = axum_server::Handle::new();
    let stopper = handle.clone();
    tokio::spawn(async move {
        shutdown.await;
        stopper.graceful_shutdown(Some(Duration::from_secs(10)));
    });
    let service = app(state).into_make_service_with_connect_info::<SocketAddr>();
    axum_server::from_tcp_rustls(listener, config)?
        .handle(handle)
        .serve(service)
        .await
}
