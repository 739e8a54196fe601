//! Document numbers unique to a run: the IRP keeps every number it has seen (2150), and a
//! real sandbox is shared by every run a team ever makes, so numbers must never repeat.

use rand::Rng;

/// Hands out `C<run>/<seq>`: `C`, eight base-36 characters of the run (time and a random
/// part), `/`, four base-36 characters of sequence: 14 characters, inside NIC's 16 and its
/// pattern `^[A-Z1-9][A-Z0-9/-]{0,15}$`. A clone continues the same sequence, so two
/// runners given clones number their steps alike (`irp-conformance parity`).
#[derive(Debug, Clone)]
pub struct DocNumbers {
    run: String,
    next: u32,
}

const DIGITS: &[u8; 36] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

fn base36(mut n: u64, width: usize) -> String {
    let mut out = vec![b'0'; width];
    for slot in out.iter_mut().rev() {
        *slot = DIGITS.get((n % 36) as usize).copied().unwrap_or(b'0');
        n /= 36;
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl DocNumbers {
    /// Numbers for a run started at `unix_seconds`.
    pub fn new(unix_seconds: u64) -> Self {
        let noise: u64 = rand::thread_rng().gen_range(0..36 * 36);
        Self {
            run: format!("{}{}", base36(unix_seconds, 6), base36(noise, 2)),
            next: 0,
        }
    }

    /// The run id (eight characters).
    pub fn run(&self) -> &str {
        &self.run
    }

    /// Number `n` of another series of the same run, led by `lead` (an upper-case letter
    /// other than `C`): `lead`, the run id, `/`, six base-36 characters of `n`; 16
    /// characters, NIC's most. Series can be numbered from many threads at once.
    pub fn numbered(&self, lead: char, n: u64) -> String {
        format!("{lead}{}/{}", self.run, base36(n, 6))
    }

    /// The next number.
    pub fn next_number(&mut self) -> String {
        self.next = self.next.wrapping_add(1);
        format!("C{}/{}", self.run, base36(u64::from(self.next), 4))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_fit_nic_pattern_and_do_not_repeat() {
        let pattern = regex::Regex::new("^[A-Z1-9][A-Z0-9/-]{0,15}$").unwrap();
        let mut numbers = DocNumbers::new(1_790_000_000);
        let all: Vec<String> = (0..2000).map(|_| numbers.next_number()).collect();
        for n in &all {
            assert!(pattern.is_match(n), "{n}");
        }
        let mut unique = all.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), all.len());
        assert_eq!(base36(35, 2), "0Z");
        let load = numbers.numbered('L', 36_u64.pow(6) - 1);
        assert!(pattern.is_match(&load) && load.len() == 16, "{load}");
        assert!(load.ends_with("/ZZZZZZ"));
    }
}
