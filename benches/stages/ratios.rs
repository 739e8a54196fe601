//! The table after criterion's report: each `stage/*` id measured in this run (its
//! `new/estimates.json` written since the run started), in the order it ran, with
//! criterion's typical time (the slope, or the mean when sampling was flat) and its ratio
//! to `stage/rsa2048_sign` of the same run.

use std::{
    fs,
    path::{Path, PathBuf},
    time::SystemTime,
};

use serde_json::Value;

const REFERENCE: &str = "stage/rsa2048_sign";

/// Where criterion writes, by criterion's own rule: `$CRITERION_HOME`, else `criterion` in
/// `$CARGO_TARGET_DIR` or in the target directory this binary was built in
/// (`<target>/<profile>/deps/<bench>`).
fn criterion_home() -> Option<PathBuf> {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        return Some(home.into());
    }
    let target = match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => std::env::current_exe()
            .ok()?
            .ancestors()
            .nth(3)?
            .to_path_buf(),
    };
    Some(target.join("criterion"))
}

/// `(when written, full id, nanoseconds)` of every result under `dir` written since `since`.
fn collect(dir: &Path, since: SystemTime, out: &mut Vec<(SystemTime, String, f64)>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if !path.is_dir() {
            continue;
        }
        if path.file_name().is_some_and(|n| n == "new") {
            if let Some(result) = read(&path, since) {
                out.push(result);
            }
        } else {
            collect(&path, since, out);
        }
    }
}

fn read(new: &Path, since: SystemTime) -> Option<(SystemTime, String, f64)> {
    let estimates = new.join("estimates.json");
    let written = fs::metadata(&estimates).ok()?.modified().ok()?;
    if written < since {
        return None;
    }
    let json =
        |name: &Path| -> Option<Value> { serde_json::from_slice(&fs::read(name).ok()?).ok() };
    let id = json(&new.join("benchmark.json"))?["full_id"]
        .as_str()?
        .to_owned();
    let estimates = json(&estimates)?;
    let typical = match &estimates["slope"] {
        Value::Null => &estimates["mean"],
        slope => slope,
    };
    Some((written, id, typical["point_estimate"].as_f64()?))
}

fn time(nanos: f64) -> String {
    match nanos {
        n if n < 1e3 => format!("{n:.1} ns"),
        n if n < 1e6 => format!("{:.2} µs", n / 1e3),
        n if n < 1e9 => format!("{:.3} ms", n / 1e6),
        n => format!("{:.3} s", n / 1e9),
    }
}

/// Three significant digits, never fewer than two decimals.
fn ratio(r: f64) -> String {
    let digits = (2 - r.log10().floor() as i32).max(2) as usize;
    format!("{r:.digits$}")
}

/// Prints the table of the stages measured since `started` (nothing in `--list` or
/// `--test` runs, which measure nothing).
pub(crate) fn print(started: SystemTime) {
    let Some(home) = criterion_home() else {
        return;
    };
    let mut results = Vec::new();
    collect(&home.join("stage"), started, &mut results);
    if results.is_empty() {
        return;
    }
    results.sort_by_key(|r| r.0);
    let reference = results
        .iter()
        .find(|(_, id, _)| id == REFERENCE)
        .map(|r| r.2);
    println!("\nStages measured in this run (criterion's typical time):");
    match reference {
        Some(_) => println!("{:<34} {:>12} {:>12}", "id", "time", "÷ rsa2048"),
        None => println!("({REFERENCE} did not run: select it too for ratios)"),
    }
    for (_, id, nanos) in &results {
        let share = reference.map_or_else(String::new, |r| ratio(nanos / r));
        println!("{id:<34} {:>12} {share:>12}", time(*nanos));
    }
}
