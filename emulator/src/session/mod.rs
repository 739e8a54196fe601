//! Auth tokens and session keys, with NIC's reuse and refresh rules.
//!
//! A token belongs to (client id, user name, GSTIN). Authenticating again inside its life
//! returns the same token and SEK; `ForceRefreshAccessToken` issues a new one only in the
//! last ten minutes and the old one stops working at once. Every method takes `now`, so the
//! rules are plain functions of their inputs and tests pin time.
//!
//! The sessions live in memory (every request checks one) and are written through to the
//! store (`rows`), so a restart does not log clients out. The SEK is sealed at rest.

mod book;
mod rows;
mod table;

pub use self::book::SessionBook;
pub(crate) use self::rows::{delete_all, delete_user};
pub use self::table::SessionTable;

use time::{Duration, OffsetDateTime};

use crate::{gstin::Gstin, irp::IrpName, secret::SessionKey};

/// How long before expiry a forced refresh is honoured.
pub const REFRESH_WINDOW: Duration = Duration::minutes(10);

/// Who a token was issued to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Identity {
    /// `client_id`.
    pub client_id: String,
    /// `user_name`.
    pub user_name: String,
    /// The GSTIN the user authenticated for.
    pub gstin: Gstin,
    /// The IRP that issued the token (a token is good only there).
    pub irp: IrpName,
}

/// A live session.
#[derive(Debug, Clone)]
pub struct Session {
    /// The `AuthToken`.
    pub token: String,
    /// Its owner.
    pub identity: Identity,
    /// The session key (SEK).
    pub sek: SessionKey,
    /// When the token stops working.
    pub expires_at: OffsetDateTime,
}

/// Why a token was refused (all answered as 1005, except a GSTIN mismatch, which is
/// configurable).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenError {
    /// Unknown, revoked or expired.
    Invalid,
    /// Issued to another client or user.
    WrongOwner,
    /// Issued for another GSTIN.
    WrongGstin,
}

/// The outcome of a login.
#[derive(Debug, Clone)]
pub struct Login {
    /// The session to answer with.
    pub session: Session,
    /// Whether it was issued now (and must be persisted before answering).
    pub issued: bool,
    /// The token it replaced, if any.
    pub replaced: Option<String>,
}
