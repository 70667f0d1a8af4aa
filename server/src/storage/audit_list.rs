//! The audit log page and the SIEM feed: records newest first, searched (actor, target, reason, and the emails
//! of the users they name) and filtered by action, at millions of records; and records in chain order after a
//! sequence number.
//!
//! The total without a filter is the last sequence number (the chain has no gaps). A search goes through a
//! trigram index (`audit_search` on SQLite, `audit_words_trgm` on PostgreSQL) and an action through
//! `audit_by_action`; either is counted up to `AUDIT_COUNT_CAP`. Past the cap the records are walked newest
//! first and each tested, and the pages reach as deep as the cap.

use super::audit::AuditRecord;
use super::sql_builder::{escape_like, Sql};
use super::{DbKind, Storage, StorageError};

/// Searches and filters count exactly up to this many records.
pub const AUDIT_COUNT_CAP: i64 = 10_000;
/// A trigram index answers substrings of at least this many characters; shorter searches are not run.
pub const AUDIT_SEARCH_MIN_CHARS: usize = 3;

#[derive(Clone, Debug)]
pub struct AuditQuery<'a> {
    /// Lowercased, at least `AUDIT_SEARCH_MIN_CHARS` characters; None for every record.
    pub search: Option<&'a str>,
    pub action: Option<&'a str>,
    pub limit: i64,
    pub offset: i64,
}

#[derive(Debug)]
pub struct AuditPage {
    pub rows: Vec<AuditRecord>,
    pub total: i64,
    pub total_is_exact: bool,
}

const RECORD_FIELDS: &str = "a.seq, a.at, a.actor, a.action, a.target, a.reason, a.ip, a.prev_hash, a.hash";

impl Storage {
    pub async fn list_audit(&self, query: &AuditQuery<'_>) -> Result<AuditPage, StorageError> {
        if query.search.is_none() && query.action.is_none() {
            let (last,): (i64,) =
                sqlx::query_as("SELECT CAST(COALESCE(MAX(seq), 0) AS BIGINT) FROM audit_events")
                    .fetch_one(&self.pool)
                    .await?;
            // Sequence numbers have no gaps: the page is a range of them, however deep.
            let rows: Vec<AuditRecord> = sqlx::query_as(
                "SELECT seq, at, actor, action, target, reason, ip, prev_hash, hash FROM audit_events
                 WHERE seq <= $1 ORDER BY seq DESC LIMIT $2",
            )
            .bind(last - query.offset)
            .bind(query.limit)
            .fetch_all(&self.pool)
            .await?;
            return Ok(AuditPage { rows, total: last, total_is_exact: true });
        }
        let mut count = Sql::default();
        count.push("SELECT COUNT(*) FROM (SELECT 1 FROM audit_events a WHERE 1 = 1");
        self.push_audit_filters(&mut count, query, false);
        count.push(" LIMIT ").int(AUDIT_COUNT_CAP + 1).push(") matched");
        let (matched,): (i64,) = count.query_as().persistent(false).fetch_one(&self.pool).await?;
        if matched > AUDIT_COUNT_CAP {
            if query.offset >= AUDIT_COUNT_CAP {
                return Err(StorageError::AuditSearchTooDeep(AUDIT_COUNT_CAP));
            }
            let rows = self.audit_rows(query, true).await?;
            return Ok(AuditPage { rows, total: AUDIT_COUNT_CAP, total_is_exact: false });
        }
        let rows = self.audit_rows(query, false).await?;
        Ok(AuditPage { rows, total: matched, total_is_exact: true })
    }

    /// Appends the search and action tests. `walk`: the records are walked newest first and each tested (dense
    /// matches), rather than found through the search index (few).
    fn push_audit_filters(&self, sql: &mut Sql, query: &AuditQuery<'_>, walk: bool) {
        if let Some(term) = query.search {
            let pattern = format!("%{}%", escape_like(term));
            if walk {
                let plus = if self.kind == DbKind::Sqlite { "+" } else { "" };
                sql.push(&format!(" AND {plus}a.words LIKE ")).text(&pattern).push(" ESCAPE '\\'");
            } else {
                match self.kind {
                    DbKind::Sqlite => {
                        // A quoted FTS5 phrase: the term's own quotes are doubled, so it is never query syntax.
                        let phrase = format!("\"{}\"", term.replace('"', "\"\""));
                        sql.push(" AND a.seq IN (SELECT rowid FROM audit_search WHERE audit_search MATCH ")
                            .text(&phrase)
                            .push(")");
                    }
                    DbKind::Postgres => {
                        sql.push(" AND a.words LIKE ").text(&pattern).push(" ESCAPE '\\'");
                    }
                }
            }
        }
        if let Some(action) = query.action {
            let plus = if walk && self.kind == DbKind::Sqlite { "+" } else { "" };
            sql.push(&format!(" AND {plus}a.action = ")).text(action);
        }
    }

    async fn audit_rows(&self, query: &AuditQuery<'_>, walk: bool) -> Result<Vec<AuditRecord>, StorageError> {
        let mut sql = Sql::default();
        sql.push(&format!("SELECT {RECORD_FIELDS} FROM audit_events a WHERE 1 = 1"));
        self.push_audit_filters(&mut sql, query, walk);
        sql.push(" ORDER BY a.seq DESC LIMIT ").int(query.limit).push(" OFFSET ").int(query.offset);
        Ok(sql.query_as().persistent(false).fetch_all(&self.pool).await?)
    }

    /// Up to `limit` records after sequence number `after`, in chain order: how a SIEM follows the log.
    pub async fn audit_after(&self, after: i64, limit: i64) -> Result<Vec<AuditRecord>, StorageError> {
        Ok(sqlx::query_as(
            "SELECT seq, at, actor, action, target, reason, ip, prev_hash, hash FROM audit_events
             WHERE seq > $1 ORDER BY seq LIMIT $2",
        )
        .bind(after)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    /// The emails of the users with these ids, to name them where the log says `user:12`.
    pub async fn user_emails(&self, ids: &[i64]) -> Result<Vec<(i64, String)>, StorageError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut sql = Sql::default();
        sql.push("SELECT id, email FROM users WHERE id IN ").id_list(ids);
        Ok(sql.query_as().persistent(false).fetch_all(&self.pool).await?)
    }
}
