//! `irp-emulator`: parse the command line, set up logging, bind, serve.

use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;
use irp_emulator::{
    cli::{Cli, Command, KeysCommand, ServeConfig, StateCommand, WaitArgs, causes_once},
    clock::Clock,
    config::ConfigError,
    faults::FaultFile,
    irp::KeySource,
    keys::{KeyPems, KeySet},
    probe::{self, HealthUrl},
    state::{AppState, IrpSpec},
    store::{self, Location, Store},
};

fn main() -> ExitCode {
    let cli = Cli::parse();
    // `serve` reads its configuration before the runtime exists: it sets the worker count.
    let work = match cli.command {
        Some(Command::Serve(args)) => Work::Serve(args.resolve()),
        None => Work::Serve(cli.serve.resolve()),
        Some(command) => Work::Other(command),
    };
    let threads = match &work {
        Work::Serve(Ok(config)) => config.settings.server.threads(),
        _ => 1,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads)
        .thread_name("irp-worker")
        .enable_all()
        .build();
    let done = match runtime {
        Ok(runtime) => runtime.block_on(execute(work)),
        Err(e) => Err(anyhow::Error::new(e).context("starting the async runtime")),
    };
    match done {
        Ok(code) => code,
        Err(error) => {
            eprintln!("irp-emulator: error: {}", causes_once(&error));
            ExitCode::FAILURE
        }
    }
}

/// What the command line asks for.
enum Work {
    Serve(Result<ServeConfig, ConfigError>),
    Other(Command),
}

async fn execute(work: Work) -> anyhow::Result<ExitCode> {
    let done = match work {
        Work::Serve(config) => run(config.context("reading configuration")?).await,
        Work::Other(Command::Keys {
            action: KeysCommand::Generate { out },
        }) => {
            irp_emulator::keys::generate(&out).context("generating keys")?;
            println!("wrote a TEST key set to {}", out.display());
            Ok(())
        }
        Work::Other(Command::State { action }) => state_command(action),
        Work::Other(Command::Wait(args)) => return Ok(wait(args).await),
        Work::Other(Command::Serve(_)) => {
            Err(anyhow::anyhow!("serve is resolved before the runtime"))
        }
    };
    done.map(|()| ExitCode::SUCCESS)
}

async fn run(config: ServeConfig) -> anyhow::Result<()> {
    irp_emulator::logging::init(&config.log, config.log_format).context("--log-level")?;
    let mut specs = Vec::with_capacity(config.irps.len());
    for irp in &config.irps {
        let pems = match &irp.keys {
            KeySource::Dir(dir) if Some(dir) == config.keys.as_ref() => {
                KeyPems::read_dir(dir).context("reading --keys")?
            }
            KeySource::Dir(dir) => KeyPems::read_dir(dir)
                .with_context(|| format!("reading the keys of IRP {}", irp.irp.name))?,
            KeySource::Embedded(n) => KeyPems::embedded_set(*n),
        };
        specs.push(IrpSpec {
            irp: irp.irp.clone(),
            keys: KeySet::from_pems(pems).context("loading keys")?,
            profile: irp.profile,
            answer_time: irp.answer_time,
        });
    }
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
    let states =
        AppState::open_irps(config.settings, specs, clock, store).context("loading the state")?;
    let mut listeners = Vec::with_capacity(states.len());
    for (irp, state) in config.irps.iter().zip(states) {
        // Each IRP keeps the fault file's rules its `irp` matcher admits (all without one).
        state.load_faults(faults.clone());
        let listener = std::net::TcpListener::bind(&irp.listen)
            .with_context(|| format!("binding {}", irp.listen))?;
        listeners.push((irp.irp.name.to_string(), listener, state));
    }
    // The handlers are in place before anyone can know the address: a SIGTERM sent right
    // after the "listening on" line is a graceful shutdown, not a kill.
    let shutdown = shutdown_signal().context("installing the signal handlers")?;
    let (stop, stopped) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        shutdown.await;
        let _ = stop.send(true);
    });
    let scheme = if config.tls { "https" } else { "http" };
    // One write, errors ignored: a script that reads the first line and closes the pipe
    // must not make a later print fail. One line per IRP, in configuration order; the name
    // follows only when there are several, so a single IRP prints what it always printed.
    let several = listeners.len() > 1;
    let mut banner = String::new();
    for (name, listener, _) in &listeners {
        banner.push_str(&format!(
            "listening on {scheme}://{}",
            listener.local_addr()?
        ));
        if several {
            banner.push_str(&format!(" ({name})"));
        }
        banner.push('\n');
    }
    banner.push_str(&format!("fault seed {seed} (replay with --seed {seed})\n"));
    let _ = std::io::Write::write_all(&mut std::io::stdout().lock(), banner.as_bytes());
    let mut servers = Vec::with_capacity(listeners.len());
    for (_, listener, state) in listeners {
        let mut stopped = stopped.clone();
        let shutdown = async move {
            let _ = stopped.wait_for(|stop| *stop).await;
        };
        servers.push(serve_one(listener, state, config.tls, shutdown));
    }
    futures_util::future::try_join_all(servers).await?;
    Ok(())
}

/// Serves one IRP's listener until `shutdown`.
async fn serve_one(
    listener: std::net::TcpListener,
    state: AppState,
    tls: bool,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    if tls {
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
