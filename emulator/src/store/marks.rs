//! The high-water marks of the AckNo and EwbNo sequences, kept beside the database.
//!
//! The database alone cannot promise that a number is never issued twice: SQLite's contract
//! with a lost, truncated or stale WAL is that the transactions in it are gone, and with them
//! the sequence rows that counted past them. So numbers are reserved in blocks in a small
//! side file, written (temporary file, fsync, rename, directory fsync) *before* any number of
//! a block is handed out. Every number ever issued is then at most the mark on disk, and the
//! registry starts above `max(sequence row, highest stored number, mark)`, whatever happened
//! to the WAL. A crash costs at most one unused block; a clean stop writes the mark back down
//! to the last issued number, so restarts after a clean stop leave no gap.
//!
//! In memory there is no file and the marks only count.

use std::{
    fs::File,
    io::Write,
    path::{Path, PathBuf},
};

use super::{Location, StoreError};

/// The side file inside a data directory.
pub const MARKS_FILE: &str = "irp-emulator.sequences";
/// How many numbers one write of the file reserves.
const BLOCK: u64 = 1000;

/// The two sequences' marks: no number above them has been handed out.
#[derive(Debug)]
pub struct SequenceMarks {
    file: Option<PathBuf>,
    ack: u64,
    ewb: u64,
}

/// Which sequence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sequence {
    /// The AckNo's.
    Ack,
    /// The EwbNo's.
    Ewb,
}

impl SequenceMarks {
    /// The marks of the state at `location` (zero when the file does not exist yet).
    pub fn open(location: &Location) -> Result<Self, StoreError> {
        let Location::Dir(dir) = location else {
            return Ok(Self {
                file: None,
                ack: 0,
                ewb: 0,
            });
        };
        let file = dir.join(MARKS_FILE);
        let (ack, ewb) = match std::fs::read_to_string(&file) {
            Ok(text) => parse(&text).ok_or_else(|| StoreError::Marks(file.clone()))?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => (0, 0),
            Err(e) => return Err(StoreError::io(&file, e)),
        };
        Ok(Self {
            file: Some(file),
            ack,
            ewb,
        })
    }

    /// The mark of `sequence`.
    pub fn get(&self, sequence: Sequence) -> u64 {
        match sequence {
            Sequence::Ack => self.ack,
            Sequence::Ewb => self.ewb,
        }
    }

    /// Makes `number` of `sequence` safe to hand out: when it is above the mark, reserves a
    /// new block and returns only once the mark is on disk.
    pub fn cover(&mut self, sequence: Sequence, number: u64) -> Result<(), StoreError> {
        if number <= self.get(sequence) {
            return Ok(());
        }
        let (mut ack, mut ewb) = (self.ack, self.ewb);
        match sequence {
            Sequence::Ack => ack = number.saturating_add(BLOCK),
            Sequence::Ewb => ewb = number.saturating_add(BLOCK),
        }
        self.write(ack, ewb)
    }

    /// Lowers the marks to the last numbers issued (a clean stop: nothing above them was
    /// handed out, so the next start continues without a gap).
    pub fn settle(&mut self, ack: u64, ewb: u64) -> Result<(), StoreError> {
        if (ack, ewb) == (self.ack, self.ewb) || ack > self.ack || ewb > self.ewb {
            return Ok(());
        }
        self.write(ack, ewb)
    }

    fn write(&mut self, ack: u64, ewb: u64) -> Result<(), StoreError> {
        if let Some(file) = &self.file {
            write_durably(file, &format!("ack {ack}\newb {ewb}\n"))?;
        }
        (self.ack, self.ewb) = (ack, ewb);
        Ok(())
    }
}

/// `ack N` and `ewb N` lines, nothing else.
fn parse(text: &str) -> Option<(u64, u64)> {
    let mut ack = None;
    let mut ewb = None;
    for line in text.lines() {
        let (name, value) = line.split_once(' ')?;
        let value = value.parse().ok()?;
        let slot = match name {
            "ack" => &mut ack,
            "ewb" => &mut ewb,
            _ => return None,
        };
        if slot.replace(value).is_some() {
            return None;
        }
    }
    Some((ack?, ewb?))
}

/// Replaces `path` with `text` so that a crash leaves either the old or the new content,
/// and the new content is on disk when this returns.
fn write_durably(path: &Path, text: &str) -> Result<(), StoreError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let temporary = path.with_extension("sequences.writing");
    let mut file = File::create(&temporary).map_err(|e| StoreError::io(&temporary, e))?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| StoreError::io(&temporary, e))?;
    std::fs::rename(&temporary, path).map_err(|e| StoreError::io(path, e))?;
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| StoreError::io(dir, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_block_is_on_disk_before_its_first_number_and_a_clean_stop_settles_it() {
        let dir = tempfile::tempdir().unwrap();
        let location = Location::Dir(dir.path().to_path_buf());
        let mut marks = SequenceMarks::open(&location).unwrap();
        assert_eq!((marks.get(Sequence::Ack), marks.get(Sequence::Ewb)), (0, 0));
        marks.cover(Sequence::Ack, 1).unwrap();
        marks.cover(Sequence::Ewb, 7).unwrap();
        let on_disk = SequenceMarks::open(&location).unwrap();
        assert_eq!((on_disk.ack, on_disk.ewb), (1 + BLOCK, 7 + BLOCK));
        // Inside the block: nothing written.
        marks.cover(Sequence::Ack, BLOCK).unwrap();
        assert_eq!(SequenceMarks::open(&location).unwrap().ack, 1 + BLOCK);
        marks.settle(5, 7).unwrap();
        let settled = SequenceMarks::open(&location).unwrap();
        assert_eq!((settled.ack, settled.ewb), (5, 7));
        // Never raised by a settle.
        marks.settle(6, 7).unwrap();
        assert_eq!(SequenceMarks::open(&location).unwrap().ack, 5);
    }

    #[test]
    fn a_damaged_file_is_refused() {
        for text in [
            "",
            "ack 1\n",
            "ack 1\newb x\n",
            "ack 1\nack 2\newb 3\n",
            "junk",
        ] {
            assert_eq!(parse(text), None, "{text:?}");
        }
        assert_eq!(parse("ewb 2\nack 1\n"), Some((1, 2)));
    }
}
