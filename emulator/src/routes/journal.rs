//! `/__emulator__/journal`: the journal as JSON (filtered, paged), as JSON Lines (the whole
//! matching journal, streamed page by page), and `DELETE` to empty it.

use axum::{
    Json, Router,
    body::Body,
    extract::{Query, State, rejection::QueryRejection},
    http::header,
    response::{IntoResponse, Response},
    routing::get,
};
use serde::Deserialize;
use serde_json::{Value, json};
use time::format_description::well_known::Rfc3339;

use crate::{
    api::Api,
    api_error,
    clock::parse_ist,
    error::ApiError,
    journal::{Filter, MAX_LIMIT},
    state::AppState,
};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/journal", get(entries).delete(clear))
        .route("/journal.jsonl", get(export))
}

/// The query string: `since` (RFC 3339, or `yyyy-MM-dd HH:mm:ss` IST; wall time), `after_id`,
/// `api` (e.g. `generate_irn`), `gstin`, `status` (1/0), `request_id`, `error_code`, `limit`, `irp`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct JournalQuery {
    since: Option<String>,
    after_id: Option<i64>,
    api: Option<String>,
    gstin: Option<String>,
    status: Option<u8>,
    request_id: Option<String>,
    error_code: Option<String>,
    limit: Option<u32>,
    irp: Option<String>,
}

impl JournalQuery {
    fn filter(self) -> Result<Filter, ApiError> {
        let since = match &self.since {
            None => None,
            Some(text) => Some(
                time::OffsetDateTime::parse(text, &Rfc3339)
                    .ok()
                    .or_else(|| parse_ist(text))
                    .ok_or_else(|| {
                        api_error!(
                            BadControlRequest,
                            "since: expected RFC 3339 or yyyy-MM-dd HH:mm:ss"
                        )
                    })?,
            ),
        };
        let api = match &self.api {
            None => None,
            Some(name) => Some(
                Api::parse(name)
                    .ok_or_else(|| api_error!(BadControlRequest, "api: unknown {name}"))?,
            ),
        };
        Ok(Filter {
            since,
            after_id: self.after_id,
            api,
            gstin: self.gstin,
            status: self.status,
            request_id: self.request_id,
            error_code: self.error_code,
            limit: self.limit,
            irp: self.irp,
        })
    }
}

fn parse(query: Result<Query<JournalQuery>, QueryRejection>) -> Result<Filter, ApiError> {
    let Query(query) = query.map_err(|e| api_error!(BadControlRequest, "{e}"))?;
    query.filter()
}

async fn entries(
    State(state): State<AppState>,
    query: Result<Query<JournalQuery>, QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let filter = parse(query)?;
    state.journal.flush().await?;
    let entries = state.journal.query(&filter)?;
    Ok(Json(json!({ "count": entries.len(), "entries": entries })))
}

async fn export(
    State(state): State<AppState>,
    query: Result<Query<JournalQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let mut filter = parse(query)?;
    state.journal.flush().await?;
    let mut remaining = filter.limit.map_or(u64::MAX, u64::from);
    filter.after_id = Some(filter.after_id.unwrap_or(0));
    let pages = futures_util::stream::unfold(Some(filter), move |filter| {
        let state = state.clone();
        async move {
            let mut filter = filter?;
            filter.limit =
                Some(u32::try_from(remaining.min(u64::from(MAX_LIMIT))).unwrap_or(MAX_LIMIT));
            let page = match state.journal.query(&filter) {
                Ok(page) => page,
                Err(e) => return Some((Err(std::io::Error::other(e.to_string())), None)),
            };
            let last = page.last().map(|e| e.id)?;
            remaining = remaining.saturating_sub(page.len() as u64);
            let mut lines = Vec::new();
            for entry in &page {
                serde_json::to_writer(&mut lines, entry)
                    .map_err(std::io::Error::other)
                    .ok()?;
                lines.push(b'\n');
            }
            filter.after_id = Some(last);
            let more = remaining > 0 && page.len() == MAX_LIMIT as usize;
            Some((Ok::<_, std::io::Error>(lines), more.then_some(filter)))
        }
    });
    Ok((
        [(header::CONTENT_TYPE, "application/x-ndjson")],
        Body::from_stream(pages),
    )
        .into_response())
}

async fn clear(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    state.journal.clear().await?;
    Ok(Json(json!({ "status": "cleared" })))
}
