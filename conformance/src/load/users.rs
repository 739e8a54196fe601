//! The API users a load run spreads its requests over, each logged in once before the run.
//!
//! Users are the profile's parties that have a user name and password (the built-in
//! profile's large and small suppliers). `--users N` beyond those, against a target with the
//! emulator's control namespace, registers more suppliers (`LOAD SUPPLIER n`, a GSTIN and a
//! user each, as the built-in large supplier) through `POST /__emulator__/taxpayers`, so
//! load can be spread across many sessions and GSTINs. A session the IRP stops accepting
//! (1005) is renewed once for all the connections that meet it.

use std::sync::{Arc, PoisonError, RwLock};

use anyhow::Context;
use irp_client::{Client, Login, Session};

use super::stock::Stock;
use crate::{parity::taxpayers, profile::Party, profile::Profile};

/// One API user and what its requests act on.
#[derive(Debug)]
pub struct User {
    /// Its login (kept for renewal).
    pub login: Login,
    /// Its taxpayer: the seller of its invoices.
    pub seller: Party,
    session: RwLock<Arc<Session>>,
    renewing: tokio::sync::Mutex<()>,
    /// Its invoices and registered IRNs.
    pub stock: Stock,
}

impl User {
    /// Logs `seller`'s user in.
    pub async fn login(client: &Client, seller: Party) -> anyhow::Result<Self> {
        let name = seller.username.clone().unwrap_or_default();
        let login = Login::new(
            seller.gstin.clone(),
            name.clone(),
            seller.password.clone().unwrap_or_default(),
        );
        let session = open(client, &login)
            .await
            .with_context(|| format!("logging in {name} ({})", seller.gstin))?;
        Ok(Self {
            login,
            seller,
            session: RwLock::new(Arc::new(session)),
            renewing: tokio::sync::Mutex::new(()),
            stock: Stock::default(),
        })
    }

    /// The current session.
    pub fn session(&self) -> Arc<Session> {
        self.session
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// A session to replace `stale`, which the IRP refused: a fresh login, or the one another
    /// connection already made.
    pub async fn renew(&self, client: &Client, stale: &Session) -> anyhow::Result<Arc<Session>> {
        let _one_at_a_time = self.renewing.lock().await;
        let current = self.session();
        if current.token != stale.token {
            return Ok(current);
        }
        let fresh = Arc::new(open(client, &self.login).await?);
        self.adopt(fresh.clone());
        Ok(fresh)
    }

    /// Takes `session` as current when the client's policy renewed it during a call.
    pub fn adopt(&self, session: Arc<Session>) {
        let mut current = self.session.write().unwrap_or_else(PoisonError::into_inner);
        if current.token != session.token {
            *current = session;
        }
    }
}

async fn open(client: &Client, login: &Login) -> anyhow::Result<Session> {
    let (answer, session) = client.login(login, &[]).await?;
    session.with_context(|| {
        format!(
            "HTTP {} Status {:?} {}",
            answer.http_status,
            answer.status(),
            answer.error_codes().join(", ")
        )
    })
}

/// The sellers of `wanted` users (default: every profile user), registering the ones the
/// profile lacks when `control` says the target takes `POST /__emulator__/taxpayers`.
pub async fn sellers(
    profile: &Profile,
    wanted: Option<usize>,
    client: &Client,
    control: bool,
) -> anyhow::Result<Vec<Party>> {
    let mut sellers: Vec<Party> = profile
        .parties
        .values()
        .filter(|p| p.username.is_some() && p.password.is_some())
        .cloned()
        .collect();
    anyhow::ensure!(
        !sellers.is_empty(),
        "the profile has no party with a username and password"
    );
    let wanted = wanted.unwrap_or(sellers.len());
    if wanted <= sellers.len() {
        sellers.truncate(wanted);
        return Ok(sellers);
    }
    anyhow::ensure!(
        control,
        "--users {wanted}: the profile has {} user(s), and the target has no emulator control \
         namespace to register more",
        sellers.len()
    );
    let template = profile
        .party("supplier")
        .or(sellers.first())
        .cloned()
        .unwrap_or_default();
    for n in 1..=wanted - sellers.len() {
        let party = synthetic(&template, n)?;
        let mut one = Profile::emulator();
        one.parties.clear();
        one.parties.insert("supplier".to_owned(), party.clone());
        let records = taxpayers::records(&one)?;
        taxpayers::register(client, &records).await?;
        sellers.push(party);
    }
    Ok(sellers)
}

/// Load supplier `n`: the template's address and state, a GSTIN and user of its own.
fn synthetic(template: &Party, n: usize) -> anyhow::Result<Party> {
    anyhow::ensure!(
        n <= 9_999,
        "--users: at most 9999 users beyond the profile's"
    );
    let state = template.gstin.get(..2).unwrap_or("29");
    let body = format!("{state}LDSCL{n:04}L1Z");
    let gstin = format!("{body}{}", irp_emulator::gstin::check_character(&body));
    Ok(Party {
        gstin,
        username: Some(format!("load_user_{n:04}")),
        password: Some("Emulator@123".to_owned()),
        legal_name: format!("LOAD SUPPLIER {n:04} PRIVATE LIMITED"),
        ..template.clone()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synthetic_suppliers_have_valid_distinct_gstins() {
        let template = Profile::emulator().party("supplier").cloned().unwrap();
        let a = synthetic(&template, 1).unwrap();
        let b = synthetic(&template, 2).unwrap();
        for party in [&a, &b] {
            let gstin = irp_emulator::gstin::Gstin::parse_strict(&party.gstin).unwrap();
            assert_eq!(gstin.state_code(), 29);
        }
        assert_ne!(a.gstin, b.gstin);
        assert_eq!(a.username.as_deref(), Some("load_user_0001"));
        assert!(synthetic(&template, 10_000).is_err());
    }
}
