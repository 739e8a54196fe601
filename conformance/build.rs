//! Embeds the scenario suites of `../scenarios/` so an installed `irp-conformance` (one
//! built with `cargo install --path conformance`) runs them from any directory
//! (`--scenarios builtin:onboarding`, and the default outside the repository).

use std::{
    env, fs,
    path::{Path, PathBuf},
};

fn collect(dir: &Path, into: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, into);
        } else if path.extension().is_some_and(|e| e == "json") {
            into.push(path);
        }
    }
}

fn main() {
    let manifest = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let root = manifest.join("..").join("scenarios");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    collect(&root, &mut files);
    files.sort();
    let mut code =
        String::from("/// Every scenario file of `scenarios/`: (path under it, text).\n");
    code.push_str("pub(super) static BUILTIN: &[(&str, &str)] = &[\n");
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
        let relative = file
            .strip_prefix(&root)
            .unwrap_or(file)
            .to_string_lossy()
            .replace('\\', "/");
        code.push_str(&format!(
            "    ({relative:?}, include_str!({:?})),\n",
            file.display().to_string()
        ));
    }
    code.push_str("];\n");
    let out = PathBuf::from(env::var_os("OUT_DIR").unwrap_or_default());
    if let Err(error) = fs::write(out.join("builtin_scenarios.rs"), code) {
        println!("cargo:warning=could not write the built-in scenarios: {error}");
    }
}
