//! The report from a team's own traffic: the emulator's journal, classified (being written).
