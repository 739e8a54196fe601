//! `irp-conformance`: lists the scenarios of a directory (the runner comes later).

use std::{path::PathBuf, process::ExitCode};

use clap::Parser;

/// Conformance harness for NIC IRP e-invoice integrations (skeleton: lists scenarios).
#[derive(Debug, Parser)]
#[command(name = "irp-conformance", version)]
struct Args {
    /// Scenario directory.
    #[arg(long, default_value = "scenarios")]
    scenarios: PathBuf,
    /// List the scenarios and exit.
    #[arg(long)]
    list: bool,
}

fn main() -> ExitCode {
    let args = Args::parse();
    match irp_conformance::scenario::load_dir(&args.scenarios) {
        Ok(scenarios) => {
            for scenario in &scenarios {
                println!("{}\t{}", scenario.name, scenario.tags.join(","));
            }
            if !args.list {
                eprintln!("running scenarios is not implemented yet; use --list");
                return ExitCode::from(2);
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e:#}");
            ExitCode::from(2)
        }
    }
}
