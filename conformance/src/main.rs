//! `irp-conformance`: being rewritten.

fn main() {}
