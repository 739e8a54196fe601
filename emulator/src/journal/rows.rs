//! The journal's SQL: insert, filtered reads, retention, clear.

use rusqlite::{Connection, Row, ToSql, params};
use time::{Duration, OffsetDateTime};

use super::{Api, Entry, Retention};
use crate::store::{from_nanos, to_nanos};

/// Which entries to read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Only entries at or after this wall time.
    pub since: Option<OffsetDateTime>,
    /// Only entries after this id (paging).
    pub after_id: Option<i64>,
    /// Only this API.
    pub api: Option<Api>,
    /// Only calls made for this GSTIN.
    pub gstin: Option<String>,
    /// Only this IRP `Status` (1 or 0).
    pub status: Option<u8>,
    /// Only this request id.
    pub request_id: Option<String>,
    /// Only entries whose answer carried this error code.
    pub error_code: Option<String>,
    /// Only calls to this IRP (its name, any case).
    pub irp: Option<String>,
    /// At most this many entries; without `since`/`after_id`, the newest ones.
    pub limit: Option<u32>,
}

/// An entry's request and response as stored: JSON text, already bounded.
#[derive(Debug, Default)]
pub(super) struct Payloads {
    pub(super) request: Option<String>,
    pub(super) response: Option<String>,
}

impl Payloads {
    /// What the pair counts against the byte budget.
    pub(super) fn bytes(&self) -> u64 {
        [&self.request, &self.response]
            .into_iter()
            .map(|text| text.as_ref().map_or(0, |t| t.len() as u64))
            .sum()
    }
}

/// Inserts `e` with its payloads `p` (the entry's own request and response are not read).
pub(super) fn insert(conn: &Connection, e: &Entry, p: &Payloads) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO journal (request_id, wall_time, virtual_time, api, method, path, client_id,
            gstin, user_name, http_status, status, error_codes, info_codes, latency_us, fault,
            request, response, retry_after, seed, bytes, irp)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
            ?18, ?19, ?20, ?21)",
    )?
    .execute(params![
        e.request_id,
        to_nanos(e.wall_time),
        to_nanos(e.virtual_time),
        e.api.name(),
        e.method,
        e.path,
        e.client_id,
        e.gstin,
        e.user_name,
        e.http_status,
        e.status,
        e.error_codes.join(","),
        e.info_codes.join(","),
        i64::try_from(e.latency_us).unwrap_or(i64::MAX),
        e.fault,
        p.request,
        p.response,
        e.retry_after.and_then(|s| i64::try_from(s).ok()),
        e.seed.and_then(|s| i64::try_from(s).ok()),
        i64::try_from(p.bytes()).unwrap_or(i64::MAX),
        e.irp,
    ])
    .map(drop)
}

fn list(text: String) -> Vec<String> {
    if text.is_empty() {
        Vec::new()
    } else {
        text.split(',').map(str::to_owned).collect()
    }
}

fn entry_of(row: &Row<'_>) -> rusqlite::Result<Entry> {
    let time = |i: usize| -> rusqlite::Result<OffsetDateTime> {
        from_nanos(row.get(i)?).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(
                i,
                rusqlite::types::Type::Integer,
                Box::new(e),
            )
        })
    };
    let json = |i: usize| -> rusqlite::Result<serde_json::Value> {
        Ok(row
            .get::<_, Option<String>>(i)?
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default())
    };
    let api: String = row.get(4)?;
    Ok(Entry {
        id: row.get(0)?,
        request_id: row.get(1)?,
        wall_time: time(2)?,
        virtual_time: time(3)?.to_offset(crate::clock::IST),
        api: Api::parse(&api).unwrap_or(Api::Unknown),
        method: row.get(5)?,
        path: row.get(6)?,
        client_id: row.get(7)?,
        gstin: row.get(8)?,
        user_name: row.get(9)?,
        http_status: row.get(10)?,
        status: row.get(11)?,
        error_codes: list(row.get(12)?),
        info_codes: list(row.get(13)?),
        latency_us: u64::try_from(row.get::<_, i64>(14)?).unwrap_or_default(),
        fault: row.get(15)?,
        request: json(16)?,
        response: json(17)?,
        retry_after: row
            .get::<_, Option<i64>>(18)?
            .and_then(|s| u64::try_from(s).ok()),
        seed: row
            .get::<_, Option<i64>>(19)?
            .and_then(|s| u64::try_from(s).ok()),
        irp: row.get(20)?,
    })
}

/// The most entries one read returns.
pub const MAX_LIMIT: u32 = 10_000;

pub(super) fn query(conn: &Connection, f: &Filter) -> rusqlite::Result<Vec<Entry>> {
    let mut clauses = Vec::new();
    let mut args: Vec<Box<dyn ToSql>> = Vec::new();
    let mut add = |clause: &str, arg: Box<dyn ToSql>| {
        args.push(arg);
        clauses.push(clause.replace('?', &format!("?{}", args.len())));
    };
    if let Some(since) = f.since {
        add("wall_time >= ?", Box::new(to_nanos(since)));
    }
    if let Some(id) = f.after_id {
        add("id > ?", Box::new(id));
    }
    if let Some(api) = f.api {
        add("api = ?", Box::new(api.name()));
    }
    if let Some(gstin) = &f.gstin {
        add("gstin = ?", Box::new(gstin.to_ascii_uppercase()));
    }
    if let Some(status) = f.status {
        add("status = ?", Box::new(status));
    }
    if let Some(id) = &f.request_id {
        add("request_id = ?", Box::new(id.clone()));
    }
    if let Some(code) = &f.error_code {
        // `error_codes` is comma-separated: match whole codes only (2150, not 21500).
        add(
            "instr(',' || error_codes || ',', ',' || ? || ',') > 0",
            Box::new(code.trim().to_owned()),
        );
    }
    if let Some(irp) = &f.irp {
        add("irp = ?", Box::new(irp.to_ascii_lowercase()));
    }
    let filter = if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    };
    let limit = f.limit.unwrap_or(100).min(MAX_LIMIT);
    // Paging reads forward from a point; otherwise the newest `limit`, shown oldest first.
    let forward = f.since.is_some() || f.after_id.is_some();
    let order = if forward { "ASC" } else { "DESC" };
    let sql = format!(
        "SELECT id, request_id, wall_time, virtual_time, api, method, path, client_id, gstin,
                user_name, http_status, status, error_codes, info_codes, latency_us, fault,
                request, response, retry_after, seed, irp
           FROM journal {filter} ORDER BY id {order} LIMIT {limit}"
    );
    let mut statement = conn.prepare(&sql)?;
    let params: Vec<&dyn ToSql> = args.iter().map(AsRef::as_ref).collect();
    let mut entries = statement
        .query_map(params.as_slice(), entry_of)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    if !forward {
        entries.reverse();
    }
    Ok(entries)
}

/// Runs a `DELETE … RETURNING bytes` and adds up the payload bytes it freed.
fn freed(conn: &Connection, sql: &str, param: i64) -> rusqlite::Result<u64> {
    let mut statement = conn.prepare_cached(sql)?;
    let mut rows = statement.query([param])?;
    let mut total = 0u64;
    while let Some(row) = rows.next()? {
        total += u64::try_from(row.get::<_, i64>(0)?).unwrap_or(0);
    }
    Ok(total)
}

/// Applies `retention` as of `now` (wall time) to a journal holding about `stored` payload
/// bytes; returns the bytes it freed.
pub(super) fn prune(
    conn: &Connection,
    retention: Retention,
    now: OffsetDateTime,
    stored: u64,
) -> rusqlite::Result<u64> {
    let oldest = now - Duration::days(i64::from(retention.max_age_days));
    let mut gone = freed(
        conn,
        "DELETE FROM journal WHERE wall_time < ?1 RETURNING bytes",
        to_nanos(oldest),
    )?;
    // Ids only grow and entries leave from the oldest end, so the newest `keep` are the ids
    // above the highest minus `keep`: one index probe, not a walk over `keep` rows.
    let keep = i64::try_from(retention.max_entries).unwrap_or(i64::MAX);
    gone += freed(
        conn,
        "DELETE FROM journal WHERE id <= (SELECT max(id) FROM journal) - ?1 RETURNING bytes",
        keep,
    )?;
    if stored.saturating_sub(gone) <= retention.max_bytes {
        return Ok(gone);
    }
    // Over budget: the newest entries whose payloads fit stay; the first that overflows it,
    // and everything older, go. Sizes come from `journal_bytes` (id and size only).
    let budget = i64::try_from(retention.max_bytes).unwrap_or(i64::MAX);
    gone += freed(
        conn,
        "DELETE FROM journal WHERE id <= (
            SELECT id FROM (
                SELECT id, SUM(bytes) OVER (ORDER BY id DESC) AS running
                  FROM journal INDEXED BY journal_bytes)
             WHERE running > ?1 ORDER BY id DESC LIMIT 1)
         RETURNING bytes",
        budget,
    )?;
    Ok(gone)
}

/// The payload bytes the journal holds.
pub(super) fn stored_bytes(conn: &Connection) -> rusqlite::Result<u64> {
    let total: i64 = conn.query_row(
        "SELECT coalesce(sum(bytes), 0) FROM journal INDEXED BY journal_bytes",
        [],
        |r| r.get(0),
    )?;
    Ok(u64::try_from(total).unwrap_or(0))
}

pub(super) fn clear(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM journal", []).map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;
    use serde_json::Value;
    use time::macros::datetime;

    fn payloads(e: &Entry) -> Payloads {
        let text = |v: &Value| (!v.is_null()).then(|| v.to_string());
        Payloads {
            request: text(&e.request),
            response: text(&e.response),
        }
    }

    fn entry(wall_time: OffsetDateTime) -> Entry {
        Entry {
            id: 0,
            request_id: "r".into(),
            wall_time,
            virtual_time: wall_time,
            api: Api::Auth,
            method: "POST".into(),
            path: "/eivital/v1.04/auth".into(),
            client_id: None,
            gstin: Some("29AAACL1111A1ZD".into()),
            user_name: None,
            http_status: 200,
            status: Some(1),
            error_codes: vec![],
            info_codes: vec![],
            latency_us: 1,
            fault: None,
            request: Value::Null,
            response: Value::Null,
            retry_after: None,
            seed: None,
            irp: "nic1".into(),
        }
    }

    #[tokio::test]
    async fn age_and_count_retention() {
        let store = Store::in_memory().unwrap();
        let now = datetime!(2026-11-21 12:00 UTC);
        let ages = [40, 31, 29, 1, 0];
        store
            .write(move |conn| {
                ages.iter().try_for_each(|days| {
                    let e = entry(now - Duration::days(*days));
                    insert(conn, &e, &payloads(&e))
                })
            })
            .await
            .unwrap();
        let left = async |retention: Retention| {
            store
                .write(move |conn| {
                    prune(conn, retention, now, u64::MAX)?;
                    query(conn, &Filter::default())
                })
                .await
                .unwrap()
                .iter()
                .map(|e| (now - e.wall_time).whole_days())
                .collect::<Vec<_>>()
        };
        let by_age = Retention {
            max_entries: 100,
            max_age_days: 30,
            ..Retention::default()
        };
        assert_eq!(left(by_age).await, [29, 1, 0]);
        let by_count = Retention {
            max_entries: 2,
            max_age_days: 30,
            ..Retention::default()
        };
        assert_eq!(left(by_count).await, [1, 0]);
    }

    #[tokio::test]
    async fn byte_retention_keeps_the_newest_entries_that_fit() {
        let store = Store::in_memory().unwrap();
        let now = datetime!(2026-11-21 12:00 UTC);
        store
            .write(move |conn| {
                (0..10).try_for_each(|i| {
                    let mut e = entry(now);
                    e.request_id = i.to_string();
                    // 1,000 bytes of request text each.
                    e.request = Value::String("x".repeat(998));
                    insert(conn, &e, &payloads(&e))
                })
            })
            .await
            .unwrap();
        let budget = Retention {
            max_bytes: 3_500,
            ..Retention::default()
        };
        let kept = store
            .write(move |conn| {
                prune(conn, budget, now, u64::MAX)?;
                query(conn, &Filter::default())
            })
            .await
            .unwrap();
        let ids: Vec<&str> = kept.iter().map(|e| e.request_id.as_str()).collect();
        assert_eq!(ids, ["7", "8", "9"]);
    }
}
