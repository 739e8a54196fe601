//! `irp-conformance`: see [`irp_conformance::cli`].

fn main() -> std::process::ExitCode {
    irp_conformance::cli::main()
}
