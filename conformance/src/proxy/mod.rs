//! `irp-conformance proxy`: a recording proxy between an integrator's own ERP and an
//! upstream IRP (NIC's sandbox), so the Test Summary Report can be built from the ERP's
//! real traffic.
//!
//! NIC grants production access once the integrator has run its cases on the sandbox
//! through its own ERP. The emulator's journal shows what an ERP did against the emulator;
//! the proxy gives the same journal for the ERP's calls to the real sandbox: the ERP
//! changes only its base URL and the public key it encrypts credentials with (the proxy's,
//! by default the emulator's built-in test key, so an ERP already set up for the emulator
//! needs no new key), the proxy relays every call, and `irp-conformance report --journal
//! http://PROXY` builds the report from it, marked evidence because every entry names the
//! real IRP it went to.
//!
//! The proxy must read what it relays (the journal holds decrypted requests and answers),
//! and it can only because it stands in the login: it decrypts the ERP's credentials,
//! logs in upstream under its own AppKey and hands the ERP the same SEK under the ERP's
//! AppKey. Everything else passes through byte for byte.
//!
//! # Layout
//!
//! - `mod.rs`: the server ([`router`], [`serve`], [`run`]) and the one handler that routes
//!   a call to the login or the relay and journals it.
//! - `call.rs`: one call, its API (the emulator's path table), its answer and its journal
//!   entry.
//! - `login.rs`: the SEK re-wrap; `credentials.rs`: the ERP's credentials block opened and
//!   sealed again for the upstream; `member.rs`: one JSON value replaced in raw text.
//! - `relay.rs`: every other call, passed through, a copy decrypted for the journal.
//! - `state.rs`: [`Options`] and the shared [`Proxy`]; `sessions.rs`: token → SEK,
//!   bounded, in memory.
//! - `upstream.rs`: the upstream's key and HTTP client, and the answers to its failures
//!   (HTTP 502/504 in the IRP envelope).
//! - `journal.rs`: the bounded in-memory journal and `--journal-out`; `control.rs`: its
//!   endpoints under `/__emulator__/`.

mod call;
mod control;
mod credentials;
mod journal;
mod login;
mod member;
mod relay;
mod sessions;
mod state;
mod upstream;

use std::{future::Future, net::SocketAddr};

use anyhow::Context;
use axum::{
    Json, Router,
    body::Bytes,
    extract::{DefaultBodyLimit, State, rejection::BytesRejection},
    http::{HeaderMap, Method, StatusCode, Uri},
    response::{IntoResponse, Response},
};
use irp_emulator::api::Api;
use tower_http::catch_panic::CatchPanicLayer;

use self::call::{Call, Relayed, refusal};
pub use self::journal::{Filter, Journal, Limits};
pub use self::state::{Options, Proxy, ProxyError};
pub use self::upstream::UpstreamError;

/// The largest request body the proxy reads (it must hold a body whole to decrypt a copy);
/// larger ones are answered HTTP 413, code 5002, as the emulator answers them. Well above
/// the emulator's 5 MiB, so the proxy is never the stricter of the two.
pub const BODY_LIMIT: usize = 16 * 1024 * 1024;

/// Says something about the proxy's work on stderr (its operator's log).
fn warn(message: &str) {
    eprintln!("irp-conformance proxy: {message}");
}

/// Every call outside `/__emulator__/`: the login or the relay, then the journal.
async fn handle(
    State(proxy): State<Proxy>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    if control::is_control(uri.path()) {
        return control::unknown().await;
    }
    let call = Call::arrive(method, &uri, headers);
    let relayed = match body {
        Err(rejection) => Relayed::unread(&rejection),
        Ok(body) if call.api == Api::Auth => login::login(&proxy, &call, body.to_vec()).await,
        Ok(body) => relay::relay(&proxy, &call, body.to_vec()).await,
    };
    let entry = call.entry(&relayed, proxy.upstream());
    proxy.journal().append(entry, call.wall());
    relayed.into_response()
}

/// A panic (a bug) is answered in the IRP envelope, HTTP 500, code 5001, and the proxy
/// keeps serving; the call may or may not have reached the upstream.
fn panic_answer(_: Box<dyn std::any::Any + Send>) -> Response {
    let message =
        "Application error in the proxy: the call may or may not have reached the upstream";
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        Json(refusal("5001", message)),
    )
        .into_response()
}

/// The proxy's routes: its journal under `/__emulator__/`, everything else relayed.
pub fn router(proxy: Proxy) -> Router {
    Router::new()
        .merge(control::router())
        .fallback(handle)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(CatchPanicLayer::custom(panic_answer))
        .with_state(proxy)
}

/// Serves `proxy` on `listener` until `shutdown` resolves.
///
/// `axum::serve`, not the emulator's accept loop: the proxy is a test tool in front of the
/// integrator's own ERP, not a public endpoint, so it has no head timeout or connection
/// cap; calls to the upstream time out after the profile's `timeout_seconds`.
pub async fn serve(
    listener: tokio::net::TcpListener,
    proxy: Proxy,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        router(proxy).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}

/// `irp-conformance proxy`: checks the upstream, binds `listen`, prints `listening on URL`
/// as the first line on stdout, and serves until Ctrl-C or SIGTERM. An upstream that does
/// not answer yet is only a warning (logins get a 502 until it does); a key the profile
/// names but that cannot be read is an error.
pub async fn run(listen: &str, options: Options) -> anyhow::Result<bool> {
    let url = reqwest::Url::parse(options.upstream.trim())
        .with_context(|| format!("--upstream {}", options.upstream))?;
    anyhow::ensure!(
        matches!(url.scheme(), "http" | "https"),
        "--upstream {}: not an http(s) URL",
        options.upstream
    );
    let journal_out = options.journal_out.clone();
    let proxy = Proxy::new(options)?;
    match proxy.check_upstream().await {
        Ok(()) => {}
        Err(error @ UpstreamError::Key(_)) => return Err(error.into()),
        Err(error) => warn(&format!(
            "{error}; logins are answered HTTP 502 until it answers"
        )),
    }
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("binding {listen}"))?;
    let shutdown = shutdown_signal().context("installing the signal handlers")?;
    let addr = listener.local_addr().context("reading the bound address")?;
    // One write, errors ignored: a script that reads the first line and closes the pipe
    // must not make a later print fail.
    let banner = format!("listening on http://{addr}\n");
    let _ = std::io::Write::write_all(&mut std::io::stdout().lock(), banner.as_bytes());
    warn(&format!(
        "relaying to {}; journal at http://{addr}/__emulator__/journal ({}){}",
        proxy.upstream(),
        proxy.inner.journal_limit(),
        journal_out
            .map(|path| format!(", every call appended to {}", path.display()))
            .unwrap_or_default()
    ));
    serve(listener, proxy, shutdown).await?;
    Ok(true)
}

/// Resolves on Ctrl-C or SIGTERM; the handlers are installed before it returns.
fn shutdown_signal() -> std::io::Result<impl Future<Output = ()> + Send + 'static> {
    #[cfg(unix)]
    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    Ok(async move {
        #[cfg(unix)]
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = terminate.recv() => {}
        }
        #[cfg(not(unix))]
        let _ = tokio::signal::ctrl_c().await;
    })
}
