//! The harness's scenario parser: any text through the schema gate, the typed model and the
//! checks a schema cannot express (`irp_conformance::scenario::Parser`, what `load_dir`
//! applies to each file). The invariant is only that it never panics: a bad scenario is an
//! error naming the problem.

#![no_main]

use std::sync::LazyLock;

use irp_conformance::scenario::Parser;
use libfuzzer_sys::fuzz_target;

static PARSER: LazyLock<Parser> = LazyLock::new(Parser::new);

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(error) = PARSER.parse(text, "fuzz") {
        // The message names the problem; rendering it must not panic either.
        assert!(!error.to_string().is_empty());
    }
});
