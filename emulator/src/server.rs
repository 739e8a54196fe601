//! Serving: the router behind a listener the caller binds (port 0 in tests), over plain
//! HTTP/1.1 or TLS, with graceful shutdown.

use std::{future::Future, io, net::SocketAddr, sync::Arc, time::Duration};

use axum::{Router, extract::Request};
use axum_server::tls_rustls::RustlsConfig;
use tower::ServiceExt as _;

use rustls_pki_types::{CertificateDer, PrivateKeyDer, pem::PemObject};

use tower_http::catch_panic::CatchPanicLayer;

use crate::{
    keys::KeyPems,
    routes::{canonical_path, panic_answer},
    state::AppState,
};

/// The TLS server configuration, on AWS-LC explicitly so it does not depend on which
/// rustls providers other crates happen to enable. HTTP/1.1 only, as the IRP.
fn tls_config(pems: &KeyPems) -> io::Result<rustls::ServerConfig> {
    let invalid =
        |e: &dyn std::fmt::Display| io::Error::new(io::ErrorKind::InvalidData, e.to_string());
    let certs = CertificateDer::pem_slice_iter(pems.tls_cert.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| invalid(&e))?;
    let key =
        PrivateKeyDer::from_pem_slice(pems.tls_private.as_bytes()).map_err(|e| invalid(&e))?;
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| invalid(&e))?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| invalid(&e))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

/// The whole application: the router behind case-insensitive path canonicalisation, and a
/// panic catcher outside every layer, so a bug in a layer (the journal, the trace) is still
/// answered with the IRP envelope. The router keeps its own catcher inside the journal
/// layer, so a handler's panic is journaled too.
pub fn app(state: AppState) -> Router {
    let routed = crate::routes::router(state).map_request(canonical_path as fn(Request) -> Request);
    Router::new()
        .fallback_service(routed)
        .layer(CatchPanicLayer::custom(|_| panic_answer()))
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
    let config = RustlsConfig::from_config(Arc::new(tls_config(&state.keys.pems)?));
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
