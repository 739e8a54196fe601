//! The profile's parties, made known to the in-process emulator.
//!
//! A profile for NIC's sandbox names the team's own GSTINs and API users, which the
//! emulator's built-in master does not hold: without them every login would fail there
//! and the comparison would show nothing but that. Each party the master lacks (or whose
//! user it lacks) is registered through the control API, `POST /__emulator__/taxpayers`,
//! as the same kind of taxpayer the built-in profile's party of that role is (a supplier
//! with a large turnover, an SEZ unit, a cancelled buyer), so rules that depend on the kind
//! apply alike. A role the built-in profile gives a GSTIN nobody holds (`unregistered`) is
//! left out of the master on purpose. The built-in profile itself needs nothing.

use std::collections::BTreeMap;

use irp_client::Client;
use irp_emulator::{
    gstin::Gstin,
    taxpayer::{GstinDetails, Taxpayer, TaxpayerMaster},
};
use serde_json::{Map, Value, json};

use crate::profile::{Party, Profile};

/// Why the parties could not be registered.
#[derive(Debug, thiserror::Error)]
pub enum TaxpayerError {
    /// The emulator's built-in master did not load.
    #[error("the emulator's built-in taxpayer master: {0}")]
    Master(String),
    /// A party lacks what a record needs.
    #[error("profile role `{role}`: {reason}")]
    Party {
        /// The role.
        role: String,
        /// What is missing.
        reason: String,
    },
    /// The emulator refused a record, or did not answer.
    #[error("registering {gstin} in the in-process emulator: {reason}")]
    Refused {
        /// The GSTIN.
        gstin: String,
        /// The emulator's answer.
        reason: String,
    },
}

/// The control-API records that give an emulator with the built-in master the parties of
/// `profile`, one per GSTIN; none for the built-in profile.
pub fn records(profile: &Profile) -> Result<Vec<Value>, TaxpayerError> {
    let master =
        TaxpayerMaster::default_data_set().map_err(|e| TaxpayerError::Master(e.to_string()))?;
    let builtin = Profile::emulator();
    let mut records: BTreeMap<String, Map<String, Value>> = BTreeMap::new();
    for (role, party) in &profile.parties {
        // `URP` and other non-GSTINs name no taxpayer.
        let Ok(gstin) = Gstin::parse(party.gstin.trim()) else {
            continue;
        };
        let kind = builtin.party(role).map(|p| {
            Gstin::parse(&p.gstin)
                .ok()
                .and_then(|g| master.get(&g).cloned())
        });
        let kind = match kind {
            // The role stands for a GSTIN no taxpayer holds.
            Some(None) => continue,
            Some(Some(taxpayer)) => Some(taxpayer),
            None => None,
        };
        let known = master.get(&gstin);
        if known.is_some_and(|t| holds_user(t, party)) {
            continue;
        }
        let key = gstin.to_string();
        let record = match records.remove(&key) {
            Some(record) => record,
            None => match known {
                Some(taxpayer) => record_of(taxpayer),
                None => new_record(role, party, &gstin, kind.as_ref())?,
            },
        };
        records.insert(key, with_user(record, party));
    }
    Ok(records.into_values().map(Value::Object).collect())
}

/// Registers `records` through `client`'s control namespace.
pub async fn register(client: &Client, records: &[Value]) -> Result<(), TaxpayerError> {
    for record in records {
        let gstin = record["Gstin"].as_str().unwrap_or_default().to_owned();
        let answer = client
            .control(reqwest::Method::POST, "/taxpayers", Some(record))
            .await
            .map_err(|e| TaxpayerError::Refused {
                gstin: gstin.clone(),
                reason: e.to_string(),
            })?;
        if !(200..300).contains(&answer.http_status) {
            return Err(TaxpayerError::Refused {
                gstin,
                reason: format!("HTTP {}: {}", answer.http_status, answer.data()),
            });
        }
    }
    Ok(())
}

/// The master's taxpayer already lets the party's user in (or the party has no user).
fn holds_user(taxpayer: &Taxpayer, party: &Party) -> bool {
    match &party.username {
        None => true,
        Some(name) => taxpayer
            .user(name)
            .is_some_and(|user| Some(user.password.expose()) == party.password.as_deref()),
    }
}

/// The record of a taxpayer of the master, with its users.
fn record_of(taxpayer: &Taxpayer) -> Map<String, Value> {
    let mut record = match serde_json::to_value(GstinDetails::from(taxpayer)) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    };
    record.insert("AatoCrore".into(), json!(taxpayer.aato_crore));
    record.insert("EinvoiceEnabled".into(), json!(taxpayer.einvoice_enabled));
    let users: Vec<Value> = taxpayer
        .users
        .iter()
        .map(|u| {
            json!({ "UserName": u.user_name, "Password": u.password.expose(), "Clients": u.clients })
        })
        .collect();
    record.insert("Users".into(), Value::Array(users));
    record
}

/// A record for a party the master lacks: its own identity, the kind of the built-in
/// taxpayer of its role (when the built-in profile has that role), no users yet.
fn new_record(
    role: &str,
    party: &Party,
    gstin: &Gstin,
    kind: Option<&Taxpayer>,
) -> Result<Map<String, Value>, TaxpayerError> {
    let missing = |reason: &str| TaxpayerError::Party {
        role: role.to_owned(),
        reason: reason.to_owned(),
    };
    let text = gstin.to_string();
    let state_code: u8 = party
        .state_code
        .trim()
        .parse()
        .ok()
        .or_else(|| text.get(..2)?.parse().ok())
        .ok_or_else(|| missing("no state_code"))?;
    let pin = Some(party.pin)
        .filter(|pin| (100_000..=999_999).contains(pin))
        .or(kind.map(|k| k.pincode))
        .ok_or_else(|| missing("no six-digit pin"))?;
    let legal_name = if party.legal_name.trim().is_empty() {
        role.to_ascii_uppercase()
    } else {
        party.legal_name.clone()
    };
    let mut record = match kind {
        Some(kind) => record_of(kind),
        None => Map::new(),
    };
    for (key, value) in [
        ("Gstin", json!(text)),
        ("LegalName", json!(legal_name)),
        ("TradeName", Value::Null),
        ("AddrBnm", json!(party.address)),
        ("AddrBno", Value::Null),
        ("AddrFlno", Value::Null),
        ("AddrSt", Value::Null),
        ("AddrLoc", json!(party.location)),
        ("StateCode", json!(state_code)),
        ("AddrPncd", json!(pin)),
        ("Users", json!([])),
    ] {
        record.insert(key.to_owned(), value);
    }
    Ok(record)
}

/// `record` with the party's user added (replacing one of the same name).
fn with_user(mut record: Map<String, Value>, party: &Party) -> Map<String, Value> {
    let Some(name) = &party.username else {
        return record;
    };
    let user = json!({
        "UserName": name,
        "Password": party.password.clone().unwrap_or_default(),
    });
    let users = record
        .entry("Users")
        .or_insert_with(|| Value::Array(Vec::new()));
    if let Value::Array(list) = users {
        list.retain(|u| u["UserName"].as_str() != Some(name.as_str()));
        list.push(user);
    }
    record
}

#[cfg(test)]
mod tests {
    use super::*;

    fn party(gstin: &str, user: Option<&str>) -> Party {
        Party {
            gstin: gstin.into(),
            username: user.map(str::to_owned),
            password: user.map(|_| "Secret@1".to_owned()),
            legal_name: "OWN TRADERS".into(),
            address: "1 MAIN ROAD".into(),
            location: "PUNE".into(),
            pin: 411_001,
            state_code: "27".into(),
        }
    }

    #[test]
    fn the_built_in_profile_needs_nothing() {
        assert!(records(&Profile::emulator()).unwrap().is_empty());
    }

    #[test]
    fn a_sandbox_profile_registers_its_parties_as_the_built_in_kinds() {
        let mut profile = Profile::emulator();
        profile.parties = [
            ("supplier", party("27AAAPL1234C1Z5", Some("sandbox_user"))),
            ("sez_unit", party("27AAAPS1234C1ZY", None)),
            ("unregistered", party("27AAAPU1234C1Z1", None)),
            ("export_buyer", party("URP", None)),
            // Known to the master, with a user it lacks: kept, and the user added.
            (
                "buyer_same_state",
                party("29AAACB3333C1Z7", Some("buyer_api")),
            ),
            // Known with its user: nothing to do.
            (
                "supplier_other",
                Party {
                    password: Some("Emulator@123".into()),
                    ..party("29AAACS2222B1ZY", Some("small_supplier"))
                },
            ),
        ]
        .into_iter()
        .map(|(role, party)| (role.to_owned(), party))
        .collect();
        let records = records(&profile).unwrap();
        let by_gstin = |g: &str| {
            records
                .iter()
                .find(|r| r["Gstin"] == g)
                .unwrap_or_else(|| panic!("no record for {g}: {records:?}"))
        };
        assert_eq!(records.len(), 3, "{records:?}");
        let supplier = by_gstin("27AAAPL1234C1Z5");
        assert_eq!(
            supplier["AatoCrore"], 250.0,
            "a large supplier, as built in"
        );
        assert_eq!(supplier["StateCode"], 27);
        assert_eq!(supplier["AddrPncd"], 411_001);
        assert_eq!(supplier["Users"][0]["UserName"], "sandbox_user");
        assert_eq!(supplier["Users"].as_array().unwrap().len(), 1);
        assert_eq!(by_gstin("27AAAPS1234C1ZY")["TxpType"], "SEZ");
        let buyer = by_gstin("29AAACB3333C1Z7");
        let users: Vec<&str> = buyer["Users"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["UserName"].as_str().unwrap())
            .collect();
        assert_eq!(users, ["buyer_ka", "buyer_api"]);
    }
}
