//! The `irp-emulator` command line: `serve` (the default), `keys generate`, and
//! `state export|import`.

use std::{path::PathBuf, time::Duration};

use clap::{Args, Parser, Subcommand, builder::BoolishValueParser};

use crate::{
    config::{ConfigError, ConfigFile, Profile, Settings},
    irp::IrpListen,
    logging::LogFormat,
    store::{Location, StoreOptions, Synchronous},
};

/// The data directory used when none is given.
pub const DEFAULT_DATA_DIR: &str = ".irp-emulator";

/// Local emulator of the GST e-invoice IRP (NIC API v1.03/v1.04). Uses TEST keys by default.
#[derive(Debug, Parser)]
#[command(name = "irp-emulator", version, args_conflicts_with_subcommands = true)]
pub struct Cli {
    /// What to do (default: serve).
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Options of `serve` when no subcommand is given.
    #[command(flatten)]
    pub serve: ServeArgs,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the IRP API (the default).
    Serve(ServeArgs),
    /// Manage key material.
    Keys {
        /// The keys action.
        #[command(subcommand)]
        action: KeysCommand,
    },
    /// Wait until an emulator answers its health check: exit 0 when it does, 1 when the
    /// timeout passes first (for scripts, CI service waits and container health checks).
    Wait(WaitArgs),
    /// Export or import the state of a data directory.
    State {
        /// The state action.
        #[command(subcommand)]
        action: StateCommand,
    },
}

/// `state` actions. The file is the SQLite database itself (versioned by its schema).
#[derive(Debug, Subcommand)]
pub enum StateCommand {
    /// Copy the state to FILE (safe while a server runs on the directory).
    Export {
        /// The data directory.
        #[arg(long, env = "IRP_EMULATOR_DATA_DIR", default_value = DEFAULT_DATA_DIR)]
        data_dir: PathBuf,
        /// Where to write.
        file: PathBuf,
    },
    /// Replace the state with FILE (an export; older versions are migrated). The server
    /// must be stopped.
    Import {
        /// The data directory.
        #[arg(long, env = "IRP_EMULATOR_DATA_DIR", default_value = DEFAULT_DATA_DIR)]
        data_dir: PathBuf,
        /// The export to read.
        file: PathBuf,
    },
}

/// Options of `wait`.
#[derive(Debug, Clone, Args)]
pub struct WaitArgs {
    /// Base URL of the emulator (plain http://); polls URL/__emulator__/health.
    #[arg(long, value_name = "URL", default_value = "http://127.0.0.1:8080")]
    pub url: String,
    /// Give up after this many seconds (fractions allowed).
    #[arg(long, value_name = "SECONDS", default_value = "30", value_parser = seconds)]
    pub timeout: Duration,
}

fn seconds(text: &str) -> Result<Duration, String> {
    let value: f64 = text
        .parse()
        .map_err(|_| format!("{text:?} is not a number of seconds"))?;
    Duration::try_from_secs_f64(value).map_err(|e| format!("{text:?}: {e}"))
}

/// `keys` actions.
#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Mint a fresh key set (auth pair, signing key and certificate, TLS pair) into DIR.
    Generate {
        /// Output directory (created if missing).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
}

/// Options of `serve`; each falls back to an `IRP_EMULATOR_*` variable, then the config file.
#[derive(Debug, Clone, Default, Args)]
pub struct ServeArgs {
    /// Address to listen on; port 0 picks a free port [default: 127.0.0.1:8080].
    #[arg(long, env = "IRP_EMULATOR_ADDR")]
    pub addr: Option<String>,
    /// Key directory laid out like keys/ [default: the built-in TEST keys].
    #[arg(long, env = "IRP_EMULATOR_KEYS", value_name = "DIR")]
    pub keys: Option<PathBuf>,
    /// TOML configuration file.
    #[arg(long, env = "IRP_EMULATOR_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Serve HTTPS with the key set's TLS certificate.
    #[arg(long, env = "IRP_EMULATOR_TLS", value_parser = BoolishValueParser::new())]
    pub tls: bool,
    /// Which IRP to imitate [default: sandbox].
    #[arg(long, env = "IRP_EMULATOR_PROFILE", value_enum)]
    pub profile: Option<Profile>,
    /// Log filter, e.g. info or irp_emulator=debug [default: info].
    #[arg(long, env = "IRP_EMULATOR_LOG")]
    pub log_level: Option<String>,
    /// Log lines as text (coloured only on a terminal) or one JSON object a line [default: text].
    #[arg(
        long,
        env = "IRP_EMULATOR_LOG_FORMAT",
        value_enum,
        value_name = "FORMAT"
    )]
    pub log_format: Option<LogFormat>,
    /// Require this bearer token on /__emulator__/ (and open it beyond loopback; health
    /// answers everyone either way).
    // `hide_env_values`: `--help` would otherwise print the token set in the environment.
    #[arg(long, env = "IRP_EMULATOR_ADMIN_TOKEN", hide_env_values = true)]
    pub admin_token: Option<String>,
    /// Where state is kept [default: ./.irp-emulator].
    #[arg(long, env = "IRP_EMULATOR_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Keep state in memory only (lost when the emulator stops); wins over a data directory
    /// given anywhere, so an image can set IRP_EMULATOR_DATA_DIR and a run still choose this.
    #[arg(long, env = "IRP_EMULATOR_IN_MEMORY", value_parser = BoolishValueParser::new())]
    pub in_memory: bool,
    /// Run the emulator's clock at this many seconds per wall-clock second [default: 1].
    #[arg(long, env = "IRP_EMULATOR_CLOCK_SPEED", value_name = "F")]
    pub clock_speed: Option<f64>,
    /// Load fault rules and rate limits from this TOML file (`[[fault]]`, `[[rate_limit]]`).
    #[arg(long, env = "IRP_EMULATOR_FAULTS", value_name = "FILE")]
    pub faults: Option<PathBuf>,
    /// Honour the `X-Emulator-Fault` request header (one fault on one call).
    #[arg(long, env = "IRP_EMULATOR_ALLOW_FAULT_HEADER", value_parser = BoolishValueParser::new())]
    pub allow_fault_header: bool,
    /// Seed of the fault generator (`probability`, `jitter_ms`) [default: random, printed].
    #[arg(long, env = "IRP_EMULATOR_SEED", value_name = "N")]
    pub seed: Option<u64>,
    /// Async worker threads, and as many RSA signer threads [default: one of each per core].
    #[arg(long, env = "IRP_EMULATOR_THREADS", value_name = "N")]
    pub threads: Option<usize>,
    /// Serve several IRPs, e.g. nic1,nic2: each on its own port (consecutive from --addr's,
    /// or its [[irp]] table's `listen`), with its own keys, sessions and AckNo series
    /// [default: one IRP, nic1].
    #[arg(long, env = "IRP_EMULATOR_IRPS", value_name = "NAMES")]
    pub irps: Option<String>,
}

/// `serve` options after merging flags, environment, file and defaults.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    /// Listen address.
    pub addr: String,
    /// Key directory, or the built-in keys.
    pub keys: Option<PathBuf>,
    /// HTTPS.
    pub tls: bool,
    /// Log filter.
    pub log: String,
    /// Text or JSON lines.
    pub log_format: LogFormat,
    /// Behaviour settings.
    pub settings: Settings,
    /// Where state is kept.
    pub state: Location,
    /// Store tuning.
    pub store: StoreOptions,
    /// Virtual seconds per wall-clock second.
    pub clock_speed: f64,
    /// The fault file to load at start.
    pub faults: Option<PathBuf>,
    /// The IRPs to serve, in order (the first is `addr` with `keys` unless its table says
    /// otherwise).
    pub irps: Vec<IrpListen>,
}

impl ServeArgs {
    /// Merges flags and environment (already in `self`) with the config file and defaults.
    pub fn resolve(self) -> Result<ServeConfig, ConfigError> {
        let file = match &self.config {
            Some(path) => ConfigFile::read(path)?,
            None => ConfigFile::default(),
        };
        let profile = self.profile.or(file.profile).unwrap_or_default();
        let mut settings = Settings::for_profile(profile);
        settings.apply(&file);
        settings.admin_token = self.admin_token.or_else(|| file.admin_token.clone());
        settings.faults.allow_header |= self.allow_fault_header;
        settings.faults.seed = self.seed.or(file.seed).unwrap_or_else(random_seed);
        if let Some(threads) = self.threads {
            settings.server.threads = threads;
        }
        let addr = self
            .addr
            .or_else(|| file.addr.clone())
            .unwrap_or_else(|| "127.0.0.1:8080".into());
        let keys = self.keys.or_else(|| file.keys.clone());
        let irps = crate::irp::resolve(
            self.irps.as_deref(),
            file.irp.as_deref().unwrap_or_default(),
            &addr,
            keys.clone(),
        )?;
        Ok(ServeConfig {
            addr,
            keys,
            irps,
            tls: self.tls || file.tls.unwrap_or(false),
            log: self
                .log_level
                .or_else(|| file.log.clone())
                .unwrap_or_else(|| "info".into()),
            log_format: self.log_format.or(file.log_format).unwrap_or_default(),
            settings,
            state: if self.in_memory || file.in_memory.unwrap_or(false) {
                Location::Memory
            } else {
                Location::Dir(
                    self.data_dir
                        .or_else(|| file.data_dir.clone())
                        .unwrap_or_else(|| DEFAULT_DATA_DIR.into()),
                )
            },
            store: StoreOptions {
                synchronous: file.synchronous.unwrap_or(Synchronous::Full),
                ..StoreOptions::default()
            },
            clock_speed: self.clock_speed.or(file.clock_speed).unwrap_or(1.0),
            faults: self.faults.or_else(|| file.faults.clone()),
        })
    }
}

/// A fresh seed when none is given (printed at start, so a run can be replayed).
fn random_seed() -> u64 {
    let mut bytes = [0u8; 8];
    crate::crypto::fill_random(&mut bytes);
    // Small enough to type back in.
    u64::from_le_bytes(bytes) % 1_000_000_000
}

/// An error and its causes, each said once: a cause whose text the message before already
/// holds (errors that print their source) is skipped. Both binaries print errors with it.
pub fn causes_once(error: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in error.chain() {
        let part = cause.to_string();
        if text.contains(&part) {
            continue;
        }
        if !text.is_empty() {
            text.push_str(": ");
        }
        text.push_str(&part);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_win_over_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        std::fs::write(
            &path,
            "addr = \"0.0.0.0:9\"\nprofile = \"production\"\nlog = \"debug\"",
        )
        .unwrap();
        let cli = Cli::try_parse_from([
            "irp-emulator",
            "--config",
            path.to_str().unwrap(),
            "--addr",
            "127.0.0.1:0",
        ])
        .unwrap();
        let config = cli.serve.resolve().unwrap();
        assert_eq!(config.addr, "127.0.0.1:0");
        assert_eq!(config.settings.profile, Profile::Production);
        assert_eq!(config.log, "debug");
        assert_eq!(config.state, Location::Dir(DEFAULT_DATA_DIR.into()));
        let memory = Cli::try_parse_from(["irp-emulator", "--in-memory"]).unwrap();
        assert_eq!(memory.serve.resolve().unwrap().state, Location::Memory);
    }

    #[test]
    fn log_format_from_the_flag_else_the_file_else_text() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        std::fs::write(&path, "log_format = \"json\"").unwrap();
        let config = path.to_str().unwrap();
        let resolve = |args: &[&str]| {
            Cli::try_parse_from([&["irp-emulator"], args].concat())
                .unwrap()
                .serve
                .resolve()
                .unwrap()
                .log_format
        };
        assert_eq!(resolve(&[]), LogFormat::Text);
        assert_eq!(resolve(&["--config", config]), LogFormat::Json);
        assert_eq!(
            resolve(&["--config", config, "--log-format", "text"]),
            LogFormat::Text
        );
        assert!(Cli::try_parse_from(["irp-emulator", "--log-format", "xml"]).is_err());
    }

    /// An image sets a data directory; a run that asks for memory must still start.
    #[test]
    fn in_memory_wins_over_a_data_dir() {
        let cli =
            Cli::try_parse_from(["irp-emulator", "--data-dir", "/data", "--in-memory"]).unwrap();
        assert_eq!(cli.serve.resolve().unwrap().state, Location::Memory);
    }

    #[test]
    fn wait_parses_fractional_seconds() {
        let cli = Cli::try_parse_from(["irp-emulator", "wait", "--timeout", "2.5"]).unwrap();
        let Some(Command::Wait(args)) = cli.command else {
            panic!("not wait: {cli:?}");
        };
        assert_eq!(args.timeout, Duration::from_millis(2500));
        assert_eq!(args.url, "http://127.0.0.1:8080");
        for bad in ["-1", "abc", "inf"] {
            assert!(Cli::try_parse_from(["irp-emulator", "wait", "--timeout", bad]).is_err());
        }
    }

    /// A container is configured through its environment: every `serve` option must have an
    /// `IRP_EMULATOR_*` variable.
    #[test]
    fn every_serve_option_has_an_environment_variable() {
        use clap::CommandFactory;
        let command = Cli::command();
        let serve = command.find_subcommand("serve").unwrap();
        let options: Vec<_> = serve
            .get_arguments()
            .filter(|a| a.get_long().is_some_and(|l| l != "help"))
            .collect();
        assert!(options.len() >= 14, "{}", options.len());
        for option in options {
            let env = option
                .get_env()
                .and_then(|e| e.to_str())
                .unwrap_or_default();
            assert!(
                env.starts_with("IRP_EMULATOR_"),
                "--{} has no IRP_EMULATOR_* variable",
                option.get_long().unwrap_or_default()
            );
        }
    }

    #[test]
    fn subcommands_parse() {
        let cli = Cli::try_parse_from(["irp-emulator", "keys", "generate", "--out", "x"]).unwrap();
        assert!(matches!(
            cli.command,
            Some(Command::Keys {
                action: KeysCommand::Generate { .. }
            })
        ));
        let cli = Cli::try_parse_from(["irp-emulator", "state", "export", "out.sqlite"]).unwrap();
        assert!(matches!(
            cli.command,
            Some(Command::State {
                action: StateCommand::Export { .. }
            })
        ));
        let cli =
            Cli::try_parse_from(["irp-emulator", "serve", "--profile", "production"]).unwrap();
        assert!(matches!(
            cli.command,
            Some(Command::Serve(ServeArgs {
                profile: Some(Profile::Production),
                ..
            }))
        ));
    }

    #[test]
    fn an_error_says_each_cause_once() {
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "No such file");
        let wrapped = anyhow::Error::new(ConfigError::Read {
            path: "x.toml".into(),
            source: io,
        })
        .context("reading configuration");
        assert_eq!(
            causes_once(&wrapped),
            "reading configuration: reading x.toml: No such file"
        );
    }
}
