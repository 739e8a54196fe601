//! `TaxpayerMaster`: the in-memory master with its user index.

use std::collections::HashMap;

use super::{ApiUser, Taxpayer, TaxpayerInput, TaxpayerInputError};
use crate::gstin::Gstin;

const DEFAULT_DATA_SET: &str = include_str!("../../data/taxpayers.json");

/// Why a change to the master was refused.
#[derive(Debug, thiserror::Error)]
pub enum MasterError {
    /// The record itself is invalid.
    #[error(transparent)]
    Input(#[from] TaxpayerInputError),
    /// A user name is already taken by another GSTIN.
    #[error("user name {user_name} already belongs to {owner}")]
    UserTaken {
        /// The user name.
        user_name: String,
        /// The GSTIN that has it.
        owner: String,
    },
    /// The data set is not valid JSON of the expected shape.
    #[error("taxpayer data set: {0}")]
    DataSet(String),
}

/// All taxpayers, by GSTIN, with an index of user names.
#[derive(Debug, Clone, Default)]
pub struct TaxpayerMaster {
    taxpayers: HashMap<Gstin, Taxpayer>,
    users: HashMap<String, Gstin>,
}

impl TaxpayerMaster {
    /// The documented default data set ("magic GSTINs").
    pub fn default_data_set() -> Result<Self, MasterError> {
        Self::from_json(DEFAULT_DATA_SET)
    }

    /// A master from a JSON array of [`TaxpayerInput`] records.
    pub fn from_json(json: &str) -> Result<Self, MasterError> {
        let records: Vec<TaxpayerInput> =
            serde_json::from_str(json).map_err(|e| MasterError::DataSet(e.to_string()))?;
        let mut master = Self::default();
        for record in records {
            master.upsert(record.into_taxpayer()?)?;
        }
        Ok(master)
    }

    /// Whether [`TaxpayerMaster::upsert`] would accept `taxpayer` (no user name of another
    /// GSTIN).
    pub fn admits(&self, taxpayer: &Taxpayer) -> Result<(), MasterError> {
        for user in &taxpayer.users {
            match self.users.get(&user.user_name) {
                Some(owner) if *owner != taxpayer.gstin => {
                    return Err(MasterError::UserTaken {
                        user_name: user.user_name.clone(),
                        owner: owner.to_string(),
                    });
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Adds a taxpayer or replaces the one with the same GSTIN (and its users).
    pub fn upsert(&mut self, taxpayer: Taxpayer) -> Result<(), MasterError> {
        self.admits(&taxpayer)?;
        if let Some(old) = self.taxpayers.remove(&taxpayer.gstin) {
            for user in old.users {
                self.users.remove(&user.user_name);
            }
        }
        for user in &taxpayer.users {
            self.users
                .insert(user.user_name.clone(), taxpayer.gstin.clone());
        }
        self.taxpayers.insert(taxpayer.gstin.clone(), taxpayer);
        Ok(())
    }

    /// The taxpayer with this GSTIN.
    pub fn get(&self, gstin: &Gstin) -> Option<&Taxpayer> {
        self.taxpayers.get(gstin)
    }

    /// The user with this name and the taxpayer it belongs to.
    pub fn find_user(&self, user_name: &str) -> Option<(&Taxpayer, &ApiUser)> {
        let taxpayer = self.taxpayers.get(self.users.get(user_name)?)?;
        Some((taxpayer, taxpayer.user(user_name)?))
    }

    /// Every taxpayer, sorted by GSTIN.
    pub fn all(&self) -> Vec<&Taxpayer> {
        let mut all: Vec<_> = self.taxpayers.values().collect();
        all.sort_by(|a, b| a.gstin.cmp(&b.gstin));
        all
    }

    /// Number of taxpayers.
    pub fn len(&self) -> usize {
        self.taxpayers.len()
    }

    /// Whether the master is empty.
    pub fn is_empty(&self) -> bool {
        self.taxpayers.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::taxpayer::{BlockStatus, TaxpayerStatus, TaxpayerType};

    fn gstin(text: &str) -> Gstin {
        Gstin::parse(text).unwrap()
    }

    #[test]
    fn default_data_set_has_every_documented_role() {
        let master = TaxpayerMaster::default_data_set().unwrap();
        let get = |g: &str| master.get(&gstin(g)).unwrap();
        let large = get("29AAACL1111A1ZD");
        assert!(large.aato_crore >= 10.0 && large.is_active());
        assert!(get("29AAACS2222B1ZY").aato_crore < 10.0);
        assert_eq!(get("29AAACB3333C1Z7").state_code, 29);
        assert_eq!(get("27AAACB4444D1Z3").state_code, 27);
        assert_eq!(get("29AAACZ5555E1Z3").taxpayer_type, TaxpayerType::SezUnit);
        assert_eq!(get("29AAACX7777G1ZP").status, TaxpayerStatus::Cancelled);
        assert_eq!(get("29AAACI8888H1ZW").status, TaxpayerStatus::Inactive);
        assert_eq!(
            get("29AAACK9999J1ZJ").block_status,
            Some(BlockStatus::Blocked)
        );
        assert!(!get("29AAACN1212K1ZO").einvoice_enabled);
        assert!(!get("34AACCC1596Q002").gstin.has_valid_check_digit());
        for t in master.all() {
            assert_eq!(t.gstin.state_code(), t.state_code, "{}", t.gstin);
        }
    }

    #[test]
    fn upsert_replaces_users_and_refuses_stolen_names() {
        let mut master = TaxpayerMaster::default_data_set().unwrap();
        let (owner, _) = master.find_user("large_supplier").unwrap();
        let mut other = master.get(&gstin("29AAACS2222B1ZY")).unwrap().clone();
        other.users = owner.users.clone();
        assert!(matches!(
            master.upsert(other),
            Err(MasterError::UserTaken { .. })
        ));

        let mut replaced = master.get(&gstin("29AAACL1111A1ZD")).unwrap().clone();
        replaced.users.clear();
        master.upsert(replaced).unwrap();
        assert!(master.find_user("large_supplier").is_none());
    }
}
