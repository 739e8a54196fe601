//! Who took part in the journaled traffic and when: the report header's GSTINs, API user
//! ids and testing dates, read from the journal instead of typed in.

use std::collections::BTreeSet;

use serde::Serialize;
use time::{
    OffsetDateTime, UtcOffset, format_description::well_known::Rfc3339, macros::format_description,
};

use super::JournalEntry;

/// India Standard Time, in which NIC's dates are read.
const IST: UtcOffset = match UtcOffset::from_hms(5, 30, 0) {
    Ok(offset) => offset,
    Err(_) => UtcOffset::UTC,
};

/// The header facts a journal shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Participants {
    /// `Gstin` headers of IRP calls, sorted, without repeats.
    pub gstins: Vec<String>,
    /// API user names (the `user_name` header, or the auth request's `UserName`), sorted.
    pub user_ids: Vec<String>,
    /// First day of a call (real time, IST, `yyyy-mm-dd`).
    pub first_day: Option<String>,
    /// Last day of a call (real time, IST, `yyyy-mm-dd`).
    pub last_day: Option<String>,
}

/// The GSTINs, users and days of the IRP calls in `entries` (paths that are no IRP API are
/// left out).
pub fn participants(entries: &[JournalEntry]) -> Participants {
    let mut gstins = BTreeSet::new();
    let mut users = BTreeSet::new();
    let mut days = BTreeSet::new();
    let format = format_description!("[year]-[month]-[day]");
    for entry in entries.iter().filter(|e| e.api().is_some()) {
        if let Some(gstin) = entry
            .gstin
            .as_deref()
            .map(str::trim)
            .filter(|g| !g.is_empty())
        {
            gstins.insert(gstin.to_ascii_uppercase());
        }
        let user = entry
            .user_name
            .clone()
            .or_else(|| super::entry::text(entry.request.get("UserName")));
        if let Some(user) = user.filter(|u| !u.is_empty()) {
            users.insert(user);
        }
        if let Ok(at) = OffsetDateTime::parse(&entry.wall_time, &Rfc3339)
            && let Ok(day) = at.to_offset(IST).format(format)
        {
            days.insert(day);
        }
    }
    Participants {
        gstins: gstins.into_iter().collect(),
        user_ids: users.into_iter().collect(),
        first_day: days.first().cloned(),
        last_day: days.last().cloned(),
    }
}
