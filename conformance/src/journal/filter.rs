//! Which journal entries a report is about: a journal is often shared by several ERPs,
//! clients or taxpayers, and each sends NIC its own report.

use super::{JournalEntry, entry::text};

/// The filters of `report --journal`; an entry is kept when it matches every one given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Only calls with this `client_id` header.
    pub client_id: Option<String>,
    /// Only calls with this `Gstin` header (case ignored).
    pub gstin: Option<String>,
    /// Only calls of this API user: the `user_name` header, or the `UserName` an
    /// authentication request carries.
    pub user: Option<String>,
}

impl Filter {
    /// Whether any filter is given.
    pub fn is_active(&self) -> bool {
        self.client_id.is_some() || self.gstin.is_some() || self.user.is_some()
    }

    /// Whether `entry` matches every filter given.
    pub fn keeps(&self, entry: &JournalEntry) -> bool {
        let same = |given: &Option<String>, found: Option<String>, fold: bool| {
            given.as_deref().map(str::trim).is_none_or(|given| {
                found.as_deref().map(str::trim).is_some_and(|found| {
                    if fold {
                        found.eq_ignore_ascii_case(given)
                    } else {
                        found == given
                    }
                })
            })
        };
        let user = entry
            .user_name
            .clone()
            .or_else(|| text(entry.request.get("UserName")));
        same(&self.client_id, entry.client_id.clone(), false)
            && same(&self.gstin, entry.gstin.clone(), true)
            && same(&self.user, user, false)
    }

    /// The entries of `entries` this filter keeps, in order.
    pub fn apply(&self, entries: Vec<JournalEntry>) -> Vec<JournalEntry> {
        entries.into_iter().filter(|e| self.keeps(e)).collect()
    }

    /// The filters given, as the command line spells them (`--gstin 29AAACL1111A1ZD`).
    pub fn describe(&self) -> Vec<String> {
        [
            ("--client-id", &self.client_id),
            ("--gstin", &self.gstin),
            ("--user", &self.user),
        ]
        .into_iter()
        .filter_map(|(flag, value)| Some(format!("{flag} {}", value.as_deref()?.trim())))
        .collect()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn entry(
        client: &str,
        gstin: &str,
        user: Option<&str>,
        login_as: Option<&str>,
    ) -> JournalEntry {
        JournalEntry {
            api: "auth".to_owned(),
            client_id: Some(client.to_owned()),
            gstin: Some(gstin.to_owned()),
            user_name: user.map(str::to_owned),
            request: login_as.map_or(serde_json::Value::Null, |u| json!({"UserName": u})),
            ..JournalEntry::default()
        }
    }

    #[test]
    fn every_filter_given_must_match() {
        let entries = vec![
            entry("erp-1", "29AAACL1111A1ZD", Some("alice"), None),
            entry("erp-1", "29aaacl1111a1zd", None, Some("bob")),
            entry("erp-2", "27AAACB4444D1Z3", Some("alice"), None),
        ];
        let keep = |filter: Filter| filter.apply(entries.clone()).len();
        assert_eq!(keep(Filter::default()), 3);
        let by_client = Filter {
            client_id: Some("erp-1".to_owned()),
            ..Filter::default()
        };
        assert_eq!(keep(by_client.clone()), 2);
        let by_gstin = Filter {
            gstin: Some(" 29AAACL1111A1ZD".to_owned()),
            ..Filter::default()
        };
        assert_eq!(keep(by_gstin), 2, "case and spaces ignored");
        let by_login = Filter {
            user: Some("bob".to_owned()),
            ..Filter::default()
        };
        assert_eq!(keep(by_login), 1, "the UserName of a login counts");
        let both = Filter {
            user: Some("alice".to_owned()),
            ..by_client
        };
        assert_eq!(keep(both.clone()), 1);
        assert_eq!(both.describe(), ["--client-id erp-1", "--user alice"]);
        assert!(both.is_active() && !Filter::default().is_active());
    }
}
