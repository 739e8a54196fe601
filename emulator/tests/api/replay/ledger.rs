//! The checks of a replay: counted, differences matched against the expected table.

use std::fmt::Debug;

use super::{EXPECTED, NOT_REPLAYED};

/// Every check made, every unexpected difference, and the expected ones met.
#[derive(Default)]
pub(crate) struct Ledger {
    samples: Vec<&'static str>,
    checks: usize,
    failures: Vec<String>,
    met: Vec<(&'static str, String)>,
}

impl Ledger {
    /// A sample starts being replayed.
    pub(crate) fn sample(&mut self, name: &'static str) {
        assert!(!self.samples.contains(&name), "{name} replayed twice");
        self.samples.push(name);
    }

    /// Compares what the emulator answered with what NIC answered.
    pub(crate) fn check<T: PartialEq + Debug + ?Sized>(
        &mut self,
        sample: &'static str,
        what: &str,
        ours: &T,
        nic: &T,
    ) {
        self.checks += 1;
        let expected = EXPECTED
            .iter()
            .any(|e| e.sample == sample && e.what == what);
        match (ours == nic, expected) {
            (true, false) => {}
            (false, true) => self.met.push((sample, what.to_owned())),
            (true, true) => self.failures.push(format!(
                "{sample} / {what}: listed as an expected difference but now matches NIC: \
                 remove it from EXPECTED"
            )),
            (false, false) => self.failures.push(format!(
                "{sample} / {what}:\n  emulator: {ours:?}\n  NIC:      {nic:?}"
            )),
        }
    }

    /// Prints the summary and fails on any unexpected difference.
    pub(crate) fn finish(self) {
        for e in EXPECTED.iter().filter(|e| self.samples.contains(&e.sample)) {
            let met = self.met.iter().any(|(s, w)| *s == e.sample && w == e.what);
            assert!(
                met,
                "EXPECTED entry never compared: {} / {}",
                e.sample, e.what
            );
            println!(
                "replay: expected difference {} / {}: {}",
                e.sample, e.what, e.why
            );
        }
        println!(
            "replay: {} samples, {} checks, {} expected differences, {} recorded entries not \
             replayed",
            self.samples.len(),
            self.checks,
            self.met.len(),
            NOT_REPLAYED.len()
        );
        assert!(
            self.failures.is_empty(),
            "{} of {} checks differ from NIC:\n{}",
            self.failures.len(),
            self.checks,
            self.failures.join("\n")
        );
    }
}
