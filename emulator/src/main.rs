//! `irp-emulator`: parse the command line, set up logging, bind, serve.

use anyhow::Context;
use clap::Parser;
use irp_emulator::{
    cli::{Cli, Command, KeysCommand, ServeArgs},
    clock::Clock,
    keys::{KeyPems, KeySet},
    state::AppState,
};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Keys {
            action: KeysCommand::Generate { out },
        }) => {
            irp_emulator::keys::generate(&out).context("generating keys")?;
            println!("wrote a TEST key set to {}", out.display());
            Ok(())
        }
        Some(Command::Serve(args)) => run(args).await,
        None => run(cli.serve).await,
    }
}

async fn run(args: ServeArgs) -> anyhow::Result<()> {
    let config = args.resolve().context("reading configuration")?;
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_new(&config.log).context("--log-level")?,
        )
        .with_writer(std::io::stderr)
        .init();
    let pems = match &config.keys {
        Some(dir) => KeyPems::read_dir(dir).context("reading --keys")?,
        None => KeyPems::embedded(),
    };
    let keys = KeySet::from_pems(pems).context("loading keys")?;
    let state =
        AppState::new(config.settings, keys, Clock::system()).context("loading taxpayers")?;
    let listener = std::net::TcpListener::bind(&config.addr)
        .with_context(|| format!("binding {}", config.addr))?;
    let scheme = if config.tls { "https" } else { "http" };
    println!("listening on {scheme}://{}", listener.local_addr()?);
    if config.tls {
        irp_emulator::serve_tls(listener, state, shutdown_signal()).await?;
    } else {
        listener.set_nonblocking(true)?;
        let listener = tokio::net::TcpListener::from_std(listener)?;
        irp_emulator::serve(listener, state, shutdown_signal()).await?;
    }
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { () = ctrl_c => {}, () = terminate => {} }
}
