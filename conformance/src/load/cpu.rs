//! CPU time from `/proc`, to charge the server's work per request.
//!
//! With the emulator in this process, the server's CPU is the process's (`/proc/self/stat`,
//! which keeps the time of threads that have exited) less that of the load generator's own
//! threads, named `irp-load-N` (`/proc/self/task/TID/comm` and `.../stat`). With
//! `--server-pid`, it is that process's `/proc/PID/stat`. Times are `utime + stime` in clock
//! ticks of `USER_HZ`, which Linux fixes at 100 per second for user space on every
//! architecture it ships (the kernel's own HZ may differ; `/proc` converts). Elsewhere
//! nothing is measured and the report leaves the figures out.

use std::{collections::BTreeMap, path::Path};

/// Ticks per second of `/proc` times.
const USER_HZ: f64 = 100.0;

/// The thread-name prefix of the load generator's runtime.
pub const LOAD_THREAD_PREFIX: &str = "irp-load-";

/// Whose CPU is the server's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Server {
    /// This process, less the load generator's threads.
    InProcess,
    /// Another local process.
    Pid(u32),
}

/// CPU times read at one moment.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    /// The server's process, in ticks.
    process: u64,
    /// The load generator's threads by id, in ticks.
    load_threads: BTreeMap<u32, u64>,
}

impl Server {
    /// Reads the times now; `None` where `/proc` cannot tell.
    pub fn snapshot(self) -> Option<Snapshot> {
        match self {
            Self::InProcess => Some(Snapshot {
                process: ticks(&std::fs::read_to_string("/proc/self/stat").ok()?)?,
                load_threads: load_threads(),
            }),
            Self::Pid(pid) => Some(Snapshot {
                process: ticks(&std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?)?,
                load_threads: BTreeMap::new(),
            }),
        }
    }
}

/// CPU spent between two snapshots.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spent {
    /// The server's CPU seconds.
    pub server: f64,
    /// The load generator's CPU seconds (0 for another process).
    pub generator: f64,
}

impl Snapshot {
    /// What was spent from `self` to `later`.
    pub fn until(&self, later: &Self) -> Spent {
        let process = later.process.saturating_sub(self.process);
        let generator: u64 = later
            .load_threads
            .iter()
            .map(|(tid, end)| end.saturating_sub(self.load_threads.get(tid).copied().unwrap_or(0)))
            .sum();
        Spent {
            server: process.saturating_sub(generator) as f64 / USER_HZ,
            generator: generator as f64 / USER_HZ,
        }
    }
}

/// `utime + stime` of a `stat` line. The command name (field 2) is in parentheses and may
/// hold spaces or parentheses itself, so fields are counted from the last `)`.
pub fn ticks(stat: &str) -> Option<u64> {
    let rest = stat.get(stat.rfind(')')? + 1..)?;
    // After the name: state is field 3, utime field 14 and stime field 15.
    let mut fields = rest.split_whitespace().skip(11);
    let utime: u64 = fields.next()?.parse().ok()?;
    let stime: u64 = fields.next()?.parse().ok()?;
    Some(utime + stime)
}

/// The ticks of this process's threads whose name starts with [`LOAD_THREAD_PREFIX`].
fn load_threads() -> BTreeMap<u32, u64> {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return BTreeMap::new();
    };
    tasks
        .flatten()
        .filter_map(|task| {
            let tid: u32 = task.file_name().to_str()?.parse().ok()?;
            let dir = task.path();
            is_load_thread(&dir).then_some(())?;
            Some((
                tid,
                ticks(&std::fs::read_to_string(dir.join("stat")).ok()?)?,
            ))
        })
        .collect()
}

fn is_load_thread(task: &Path) -> bool {
    std::fs::read_to_string(task.join("comm"))
        .is_ok_and(|name| name.trim_end().starts_with(LOAD_THREAD_PREFIX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_read_after_the_command_name_even_when_it_holds_parentheses() {
        let stat = "4822 (we ird) (x) R 4778 4778 24544 0 -1 4194304 103 0 0 0 17 25 0 0 20 0 1";
        assert_eq!(ticks(stat), Some(42));
        assert_eq!(ticks("12 (short) R 1 2"), None);
        assert_eq!(ticks("no parenthesis"), None);
    }

    #[test]
    fn the_generator_threads_are_taken_out_of_the_process() {
        let before = Snapshot {
            process: 1_000,
            load_threads: BTreeMap::from([(7, 100), (8, 50)]),
        };
        // Thread 9 started during the window; thread 8 ended (its time stays in the
        // process's and is then the server's: the runtime's threads live the whole run).
        let after = Snapshot {
            process: 1_500,
            load_threads: BTreeMap::from([(7, 250), (9, 30)]),
        };
        let spent = before.until(&after);
        assert!((spent.generator - 1.8).abs() < 1e-9);
        assert!((spent.server - 3.2).abs() < 1e-9);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn this_process_can_be_measured() {
        let snapshot = Server::InProcess.snapshot().unwrap();
        assert!(Server::Pid(std::process::id()).snapshot().is_some());
        assert!(snapshot.until(&snapshot).server.abs() < 1e-9);
    }
}
