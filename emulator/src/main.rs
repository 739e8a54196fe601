//! `irp-emulator`: parse the command line, set up logging, bind, serve.

use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;
use irp_emulator::{
    cli::{Cli, Command, KeysCommand, ServeArgs, StateCommand, WaitArgs, causes_once},
    clock::Clock,
    faults::FaultFile,
    keys::{KeyPems, KeySet},
    probe::{self, HealthUrl},
    state::AppState,
    store::{self, Location, Store},
};

#[tokio::main]
async fn main() -> ExitCode {
    match execute(Cli::parse()).await {
        Ok(code) => code,
        Err(error) => {
            eprintln!("irp-emulator: error: {}", causes_once(&error));
            ExitCode::FAILURE
        }
    }
}

async fn execute(cli: Cli) -> anyhow::Result<ExitCode> {
    let done = match cli.command {
        Some(Command::Keys {
            action: KeysCommand::Generate { out },
        }) => {
            irp_emulator::keys::generate(&out).context("generating keys")?;
            println!("wrote a TEST key set to {}", out.display());
            Ok(())
        }
        Some(Command::State { action }) => state_command(action),
        Some(Command::Wait(args)) => return Ok(wait(args).await),
        Some(Command::Serve(args)) => run(args).await,
        None => run(cli.serve).await,
    };
    done.map(|()| ExitCode::SUCCESS)
}

async fn run(args: ServeArgs) -> anyhow::Result<()> {
    let config = args.resolve().context("reading configuration")?;
    irp_emulator::logging::init(&config.log, config.log_format).context("--log-level")?;
    let pems = match &config.keys {
        Some(dir) => KeyPems::read_dir(dir).context("reading --keys")?,
        None => KeyPems::embedded(),
    };
    let keys = KeySet::from_pems(pems).context("loading keys")?;
    let store = Store::open(&config.state, config.store).context("opening the state")?;
    match store.location() {
        Location::Dir(dir) => tracing::info!("state in {}", dir.display()),
        Location::Memory => tracing::info!("state in memory only (not kept)"),
    }
    let clock = Clock::system();
    clock
        .set_speed(config.clock_speed)
        .context("--clock-speed")?;
    let faults = match &config.faults {
        Some(path) => FaultFile::read(path).context("reading --faults")?,
        None => FaultFile::default(),
    };
    let seed = config.settings.faults.seed;
    let state = AppState::open(config.settings, keys, clock, store).context("loading the state")?;
    state.load_faults(faults);
    let listener = std::net::TcpListener::bind(&config.addr)
        .with_context(|| format!("binding {}", config.addr))?;
    // The handlers are in place before anyone can know the address: a SIGTERM sent right
    // after the "listening on" line is a graceful shutdown, not a kill.
    let shutdown = shutdown_signal().context("installing the signal handlers")?;
    let scheme = if config.tls { "https" } else { "http" };
    // One write, errors ignored: a script that reads the first line and closes the pipe
    // must not make a later print fail.
    let banner = format!(
        "listening on {scheme}://{}\nfault seed {seed} (replay with --seed {seed})\n",
        listener.local_addr()?
    );
    let _ = std::io::Write::write_all(&mut std::io::stdout().lock(), banner.as_bytes());
    if config.tls {
        irp_emulator::serve_tls(listener, state, shutdown).await?;
    } else {
        listener.set_nonblocking(true)?;
        let listener = tokio::net::TcpListener::from_std(listener)?;
        irp_emulator::serve(listener, state, shutdown).await?;
    }
    Ok(())
}

/// Exit 0 once the emulator at `--url` is healthy, 1 when `--timeout` passes first, 2 for a
/// URL it cannot poll; one line either way, no backtrace (this runs in health checks).
async fn wait(args: WaitArgs) -> ExitCode {
    let url = match HealthUrl::parse(&args.url) {
        Ok(url) => url,
        Err(e) => {
            eprintln!("irp-emulator wait: {e}");
            return ExitCode::from(2);
        }
    };
    match probe::wait_until_healthy(&url, args.timeout).await {
        Ok(took) => {
            println!("healthy: {url} ({:.1} s)", took.as_secs_f64());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("irp-emulator wait: {e}");
            ExitCode::FAILURE
        }
    }
}

fn state_command(action: StateCommand) -> anyhow::Result<()> {
    match action {
        StateCommand::Export { data_dir, file } => {
            store::export(&data_dir, &file).context("exporting the state")?;
            println!("exported {} to {}", data_dir.display(), file.display());
        }
        StateCommand::Import { data_dir, file } => {
            let version = store::import(&data_dir, &file).context("importing the state")?;
            println!(
                "imported {} into {} (schema version {version})",
                file.display(),
                data_dir.display()
            );
        }
    }
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM; both handlers are installed when this returns.
fn shutdown_signal() -> std::io::Result<impl Future<Output = ()>> {
    #[cfg(unix)]
    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    let ctrl_c = tokio::signal::ctrl_c();
    Ok(async move {
        #[cfg(unix)]
        tokio::select! {
            _ = ctrl_c => {},
            _ = terminate.recv() => {},
        }
        #[cfg(not(unix))]
        let _ = ctrl_c.await;
    })
}
