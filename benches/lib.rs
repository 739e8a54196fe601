//! Criterion benchmarks of the IRP emulator; see the `[[bench]]` targets.
