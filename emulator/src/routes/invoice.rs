//! The e-invoice API group under `/eicore/v1.03/Invoice`: generate, get by IRN, get by
//! document, cancel, rejected IRNs. Handlers only unwrap and wrap; the work is in the domain modules.

use axum::extract::{Query, State, rejection::QueryRejection};
use serde_json::Value;

use super::IrpPath;
use crate::{
    cancellation::{self, CancelRequest},
    envelope::{Authenticated, Encrypted, Sealed},
    error::{ApiError, ErrorCode},
    irn::Irn,
    registration, rejected, retrieval,
    state::AppState,
};

pub(super) async fn generate(
    State(state): State<AppState>,
    Encrypted { auth, payload }: Encrypted<Value>,
) -> Result<Sealed, ApiError> {
    let registered = registration::generate(&state, &auth.identity.gstin, payload).await?;
    Ok(auth.seal(&registered.answer)?.with_info(registered.info))
}

pub(super) async fn by_irn(
    auth: Authenticated,
    State(state): State<AppState>,
    IrpPath(irn): IrpPath<String>,
) -> Result<Sealed, ApiError> {
    let irn = Irn::parse(&irn).ok_or(ErrorCode::IrnNotAvailable)?;
    auth.seal(&retrieval::by_irn(&state, &auth.caller, &irn)?)
}

/// A query string read by name in any case, as NIC's .NET stack reads it; one that does not
/// parse is 2142.
struct QueryPairs(Vec<(String, String)>);

impl QueryPairs {
    fn read(query: Result<Query<Vec<(String, String)>>, QueryRejection>) -> Result<Self, ApiError> {
        let Query(pairs) =
            query.map_err(|e| ApiError::new(ErrorCode::IncompleteParameters).caused_by(e))?;
        Ok(Self(pairs))
    }

    /// The first value of `name` ("" without one).
    fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map_or("", |(_, v)| v.as_str())
    }
}

pub(super) async fn by_document(
    auth: Authenticated,
    State(state): State<AppState>,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Sealed, ApiError> {
    let query = QueryPairs::read(query)?;
    let answer = retrieval::by_document(
        &state,
        &auth.caller,
        query.get("doctype"),
        query.get("docnum"),
        query.get("docdate"),
    )?;
    auth.seal(&answer)
}

pub(super) async fn rejected(
    auth: Authenticated,
    State(state): State<AppState>,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Sealed, ApiError> {
    let query = QueryPairs::read(query)?;
    auth.seal(&rejected::on(&state, &auth.caller, query.get("date"))?)
}

pub(super) async fn cancel(
    State(state): State<AppState>,
    Encrypted { auth, payload }: Encrypted<CancelRequest>,
) -> Result<Sealed, ApiError> {
    auth.seal(&cancellation::cancel(&state, &auth.caller, &payload).await?)
}
