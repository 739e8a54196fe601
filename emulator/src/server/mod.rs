//! Serving: the router behind a listener the caller binds (port 0 in tests), over HTTP/1.1
//! or TLS, with graceful shutdown and the limits of [`ServerLimits`].
//!
//! The accept loop is ours (hyper's HTTP/1.1 connection, not a framework's `serve`) because
//! a public endpoint needs what `axum::serve` does not give: a head timeout, an idle
//! deadline, a cap on connections and a bounded shutdown, the same on both ports. One
//! process may serve several IRPs, one listener each ([`serve_several`]).

mod abort;
mod deadline;
mod idle;
mod limits;
mod listener;
mod several;

use std::{future::Future, io, sync::Arc};

use axum::{Router, extract::Request};
use rustls_pki_types::{CertificateDer, PrivateKeyDer, pem::PemObject};
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt as _;
use tower_http::catch_panic::CatchPanicLayer;

pub use self::abort::Abort;
pub use self::deadline::BodyDeadlineExceeded;
use self::deadline::DeadlineBody;
pub use self::limits::ServerLimits;
pub use self::several::{banner, serve_several};
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
///
/// Every request body gets the body deadline of the settings' [`ServerLimits`].
pub fn app(state: AppState) -> Router {
    let body_timeout = state.settings.server.body_timeout();
    let routed = crate::routes::router(state)
        .map_request(canonical_path as fn(Request) -> Request)
        .map_request(move |request: Request| {
            request.map(|body| DeadlineBody::wrap(body, body_timeout))
        });
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
    let limits = state.settings.server;
    listener::run(listener, app(state), limits, None, shutdown).await
}

/// Serves HTTPS on `listener` with the key set's TLS pair until `shutdown` resolves.
pub async fn serve_tls(
    listener: std::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let acceptor = TlsAcceptor::from(Arc::new(tls_config(&state.keys.pems)?));
    listener.set_nonblocking(true)?;
    let listener = tokio::net::TcpListener::from_std(listener)?;
    let limits = state.settings.server;
    listener::run(listener, app(state), limits, Some(acceptor), shutdown).await
}
