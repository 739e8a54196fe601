//! Several IRPs from one process: one listener per IRP, served side by side, stopped
//! together; and the stdout lines that announce them.

use std::{future::Future, io, net::SocketAddr};

use crate::state::AppState;

/// The start-up lines: `listening on SCHEME://ADDR` per IRP in order (followed by ` (NAME)`
/// only when there are several, so a single IRP prints exactly what it always printed),
/// then the seed line.
pub fn banner(scheme: &str, irps: &[(String, SocketAddr)], seed: u64) -> String {
    let several = irps.len() > 1;
    let mut text = String::new();
    for (name, addr) in irps {
        text.push_str(&format!("listening on {scheme}://{addr}"));
        if several {
            text.push_str(&format!(" ({name})"));
        }
        text.push('\n');
    }
    text.push_str(&format!("fault seed {seed} (replay with --seed {seed})\n"));
    text
}

/// Serves every `(listener, state)` pair (HTTPS with each state's TLS pair when `tls`) until
/// `shutdown` resolves; the first server that fails ends them all.
pub async fn serve_several(
    servers: Vec<(std::net::TcpListener, AppState)>,
    tls: bool,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let (stop, stopped) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        shutdown.await;
        let _ = stop.send(true);
    });
    let mut running = Vec::with_capacity(servers.len());
    for (listener, state) in servers {
        let mut stopped = stopped.clone();
        let shutdown = async move {
            let _ = stopped.wait_for(|stop| *stop).await;
        };
        running.push(async move {
            if tls {
                super::serve_tls(listener, state, shutdown).await
            } else {
                listener.set_nonblocking(true)?;
                let listener = tokio::net::TcpListener::from_std(listener)?;
                super::serve(listener, state, shutdown).await
            }
        });
    }
    futures_util::future::try_join_all(running).await.map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_irp_prints_what_it_always_printed_and_several_are_named() {
        let addr = |port| SocketAddr::from(([127, 0, 0, 1], port));
        assert_eq!(
            banner("http", &[("nic1".into(), addr(8080))], 7),
            "listening on http://127.0.0.1:8080\nfault seed 7 (replay with --seed 7)\n"
        );
        assert_eq!(
            banner(
                "https",
                &[("nic2".into(), addr(9000)), ("nic1".into(), addr(9001))],
                7
            ),
            "listening on https://127.0.0.1:9000 (nic2)\n\
             listening on https://127.0.0.1:9001 (nic1)\n\
             fault seed 7 (replay with --seed 7)\n"
        );
    }
}
