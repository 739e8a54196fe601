//! The IRPs a process serves, from `[[irp]]` tables of the config file and the `--irps` flag.
//!
//! Without either, the process is one IRP named `nic1` on `--addr`, exactly as before IRPs
//! had names. `--irps nic1,nic2` names them; each takes its `[[irp]]` table when the file has
//! one, and otherwise listens on `--addr`'s host at consecutive ports (the first IRP on
//! `--addr` itself; port 0 gives every IRP an ephemeral port of its own). Key sets: a
//! table's `keys` directory, else the first IRP uses `--keys` (or the built-in TEST set) and
//! the second the built-in second TEST set (`keys/nic2/`); a third IRP must name a directory.

use std::{net::SocketAddr, path::PathBuf};

use serde::Deserialize;

use super::{AnswerTime, Irp, IrpName};
use crate::config::Profile;

/// One `[[irp]]` table.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IrpTable {
    /// The IRP's name (`nic1`, `nic2`, `cygnet`, …).
    pub name: IrpName,
    /// Its listen address; derived from `--addr` when absent.
    pub listen: Option<String>,
    /// Its profile, when not the common one.
    pub profile: Option<Profile>,
    /// A key directory laid out like `keys/`.
    pub keys: Option<PathBuf>,
    /// The first digit of its AckNos (1 to 9); by default 1 for `nic1`, 2 for `nic2`, 3 and
    /// up for the others.
    pub ack_digit: Option<u8>,
    /// Its answer time (`{ fixed_ms }` or `{ min_ms, max_ms }`).
    #[serde(default)]
    pub answer_time: AnswerTime,
}

/// Where an IRP's key set comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeySource {
    /// A directory laid out like `keys/`.
    Dir(PathBuf),
    /// The built-in TEST set `n` (0: `keys/`, 1: `keys/nic2/`).
    Embedded(usize),
}

/// One IRP to serve, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IrpListen {
    /// Name and AckNo digit.
    pub irp: Irp,
    /// Listen address.
    pub listen: String,
    /// Key set.
    pub keys: KeySource,
    /// Profile, when not the common one.
    pub profile: Option<Profile>,
    /// Answer time.
    pub answer_time: AnswerTime,
}

/// Why the IRPs could not be resolved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IrpConfigError {
    /// A name is not an IRP name.
    #[error(transparent)]
    Name(#[from] super::IrpNameError),
    /// The same name twice.
    #[error("IRP {0} is named twice")]
    Repeated(String),
    /// A derived address needs a `host:port` base.
    #[error(
        "--addr {0}: cannot derive the IRPs' listen addresses (give host:port, or listen in each [[irp]])"
    )]
    Base(String),
    /// A third IRP without keys.
    #[error("IRP {0}: only two built-in key sets exist; give `keys` in its [[irp]] table")]
    NoKeys(String),
    /// A bad AckNo digit.
    #[error("IRP {0}: ack_digit must be 1 to 9")]
    AckDigit(String),
    /// A bad answer-time model.
    #[error("IRP {0}: {1}")]
    AnswerTime(String, super::AnswerTimeError),
}

/// The IRPs to serve: from `flag` (comma-separated names) if given, else the file's tables,
/// else one `nic1` on `addr` with `keys`.
pub fn resolve(
    flag: Option<&str>,
    tables: &[IrpTable],
    addr: &str,
    keys: Option<PathBuf>,
) -> Result<Vec<IrpListen>, IrpConfigError> {
    let chosen: Vec<IrpTable> = match flag {
        Some(list) => list
            .split(',')
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(|n| {
                let name = IrpName::parse(n)?;
                Ok(tables
                    .iter()
                    .find(|t| t.name == name)
                    .cloned()
                    .unwrap_or(IrpTable {
                        name,
                        ..IrpTable::default()
                    }))
            })
            .collect::<Result<_, IrpConfigError>>()?,
        None if !tables.is_empty() => tables.to_vec(),
        None => vec![IrpTable::default()],
    };
    let names: Vec<IrpName> = chosen.iter().map(|t| t.name.clone()).collect();
    for (i, name) in names.iter().enumerate() {
        if names[..i].contains(name) {
            return Err(IrpConfigError::Repeated(name.to_string()));
        }
    }
    let numbered = Irp::numbered(&names);
    chosen
        .into_iter()
        .zip(numbered)
        .enumerate()
        .map(|(index, (table, mut irp))| {
            let name = table.name.to_string();
            if let Some(digit) = table.ack_digit {
                if !(1..=9).contains(&digit) {
                    return Err(IrpConfigError::AckDigit(name));
                }
                irp.ack_digit = digit;
            }
            table
                .answer_time
                .check()
                .map_err(|e| IrpConfigError::AnswerTime(name.clone(), e))?;
            let listen = match table.listen {
                Some(listen) => listen,
                None => derived(addr, index)?,
            };
            let keys = match (table.keys, index) {
                (Some(dir), _) => KeySource::Dir(dir),
                (None, 0) => keys.clone().map_or(KeySource::Embedded(0), KeySource::Dir),
                (None, 1) => KeySource::Embedded(1),
                (None, _) => return Err(IrpConfigError::NoKeys(name)),
            };
            Ok(IrpListen {
                irp,
                listen,
                keys,
                profile: table.profile,
                answer_time: table.answer_time,
            })
        })
        .collect()
}

/// `addr` with its port moved up by `index` (port 0 stays 0: every IRP gets its own
/// ephemeral port).
fn derived(addr: &str, index: usize) -> Result<String, IrpConfigError> {
    if index == 0 {
        return Ok(addr.to_owned());
    }
    let base: SocketAddr = addr
        .parse()
        .map_err(|_| IrpConfigError::Base(addr.to_owned()))?;
    let port = match base.port() {
        0 => 0,
        port => u16::try_from(usize::from(port) + index)
            .map_err(|_| IrpConfigError::Base(addr.to_owned()))?,
    };
    Ok(SocketAddr::new(base.ip(), port).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(irps: &[IrpListen]) -> Vec<(&str, &str, u8)> {
        irps.iter()
            .map(|i| (i.irp.name.as_str(), i.listen.as_str(), i.irp.ack_digit))
            .collect()
    }

    #[test]
    fn nothing_given_is_one_nic1_on_addr() {
        let irps = resolve(None, &[], "127.0.0.1:8080", None).unwrap();
        assert_eq!(names(&irps), [("nic1", "127.0.0.1:8080", 1)]);
        assert_eq!(irps[0].keys, KeySource::Embedded(0));
    }

    #[test]
    fn the_flag_derives_consecutive_ports_and_the_second_key_set() {
        let irps = resolve(Some("nic1, NIC2"), &[], "127.0.0.1:8080", Some("k".into())).unwrap();
        assert_eq!(
            names(&irps),
            [("nic1", "127.0.0.1:8080", 1), ("nic2", "127.0.0.1:8081", 2)]
        );
        assert_eq!(irps[0].keys, KeySource::Dir("k".into()));
        assert_eq!(irps[1].keys, KeySource::Embedded(1));
        let ephemeral = resolve(Some("nic2,nic1"), &[], "127.0.0.1:0", None).unwrap();
        assert_eq!(
            names(&ephemeral),
            [("nic2", "127.0.0.1:0", 2), ("nic1", "127.0.0.1:0", 1)]
        );
    }

    #[test]
    fn tables_give_their_own_settings_and_the_flag_picks_among_them() {
        let tables: Vec<IrpTable> = toml::from_str::<toml::Table>(
            r#"
            [[irp]]
            name = "nic1"
            listen = "127.0.0.1:9001"
            [[irp]]
            name = "cygnet"
            keys = "keys-cygnet"
            answer_time = { min_ms = 10, max_ms = 20 }
            "#,
        )
        .unwrap()["irp"]
            .clone()
            .try_into()
            .unwrap();
        let irps = resolve(None, &tables, "127.0.0.1:8080", None).unwrap();
        assert_eq!(
            names(&irps),
            [
                ("nic1", "127.0.0.1:9001", 1),
                ("cygnet", "127.0.0.1:8081", 3)
            ]
        );
        assert_eq!(irps[1].keys, KeySource::Dir("keys-cygnet".into()));
        assert_eq!(irps[1].answer_time.max_ms, Some(20));
        let picked = resolve(Some("cygnet"), &tables, "127.0.0.1:8080", None).unwrap();
        assert_eq!(names(&picked), [("cygnet", "127.0.0.1:8080", 3)]);
    }

    #[test]
    fn bad_lists_are_refused() {
        for (flag, addr) in [
            ("nic1,nic1", "127.0.0.1:0"),
            ("nic1,bad name", "127.0.0.1:0"),
            ("nic1,nic2,iris", "127.0.0.1:0"),
            ("nic1,nic2", "localhost:8080"),
            ("nic1,nic2", "127.0.0.1:65535"),
        ] {
            assert!(
                resolve(Some(flag), &[], addr, None).is_err(),
                "{flag} {addr}"
            );
        }
    }
}
