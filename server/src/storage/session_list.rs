//! The console's and the admin API's session list: any search, filter and sort, one page at a time, answered
//! from indexes at a million sessions.
//!
//! - Without a search, the total comes from `session_counts` and the page is read in the sort column's index
//!   (`sessions_by_*`); a page in the second half is read from the other end. Pages reach `MAX_PAGE_DEPTH` rows
//!   from either end: deeper ones would walk hundreds of thousands of index entries, so they are refused and
//!   the person is asked to search or filter (as search engines cap their result windows).
//! - With a search, matches are counted up to `SEARCH_COUNT_CAP`. Up to the cap they are gathered through the
//!   search indexes (users' trigram index, id and IP prefixes) and sorted; past it, the sort index is walked and
//!   each row tested, which finds a page quickly because matches are dense.

use sqlx::any::AnyArguments;
use sqlx::{Arguments, AssertSqlSafe};

use super::sessions::{SESSION_FIELDS, SESSION_JOINS};
use super::{DbKind, SessionRow, Storage, StorageError};

/// Searches count their matches exactly up to this many; beyond it the total reads "more than".
pub const SEARCH_COUNT_CAP: i64 = 10_000;
/// How deep pages reach from the first and from the last row.
pub const MAX_PAGE_DEPTH: i64 = 10_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortColumn {
    User,
    App,
    Created,
    Expires,
    Status,
    LastActive,
}

impl SortColumn {
    /// The index that orders by this column, and its columns as ORDER BY terms (the row id breaks ties).
    fn index(self) -> (&'static str, [&'static str; 4]) {
        match self {
            SortColumn::User => ("sessions_by_user", ["s.user_sort", "s.status", "s.app_id", "s.user_id"]),
            SortColumn::App => ("sessions_by_app", ["s.app_sort", "s.status", "s.app_id", "s.user_id"]),
            SortColumn::Created => {
                ("sessions_by_created", ["s.created_at", "s.status", "s.app_id", "s.user_id"])
            }
            SortColumn::Expires => (
                "sessions_by_expires",
                ["COALESCE(s.expires_at, 9223372036854775807)", "s.status", "s.app_id", "s.user_id"],
            ),
            SortColumn::Status => {
                ("sessions_by_status", ["s.status", "s.created_at", "s.app_id", "s.user_id"])
            }
            SortColumn::LastActive => {
                ("sessions_by_last_active", ["s.last_active_at", "s.status", "s.app_id", "s.user_id"])
            }
        }
    }
}

/// One page request. `status` and `app_slug` are checked by the caller; `search` is trimmed and non-empty.
#[derive(Clone, Debug)]
pub struct ListQuery<'a> {
    pub status: Option<&'a str>,
    pub app_slug: Option<&'a str>,
    pub search: Option<&'a str>,
    pub sort: SortColumn,
    pub descending: bool,
    pub limit: i64,
    pub offset: i64,
}

#[derive(Debug)]
pub struct ListPage {
    pub rows: Vec<SessionRow>,
    /// Exact, except for a search with more than `SEARCH_COUNT_CAP` matches, where it is the cap.
    pub total: i64,
    pub total_is_exact: bool,
}

enum Bind {
    Text(String),
    Int(i64),
}

/// SQL text with `$N` placeholders and their values, built in order.
#[derive(Default)]
struct Sql {
    text: String,
    binds: Vec<Bind>,
}

impl Sql {
    fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    fn bind(&mut self, value: Bind) -> &mut Self {
        self.binds.push(value);
        self.text.push_str(&format!("${}", self.binds.len()));
        self
    }

    fn text(&mut self, value: &str) -> &mut Self {
        self.bind(Bind::Text(value.to_string()))
    }

    fn int(&mut self, value: i64) -> &mut Self {
        self.bind(Bind::Int(value))
    }

    fn arguments(&self) -> AnyArguments {
        let mut arguments = AnyArguments::default();
        for bind in &self.binds {
            // Encoding plain values into an argument buffer cannot fail.
            let _ = match bind {
                Bind::Text(text) => arguments.add(text.clone()),
                Bind::Int(n) => arguments.add(*n),
            };
        }
        arguments
    }
}

/// Upper bound for the prefix range `[prefix, prefix + U+FFFF)`, which both databases answer from an index.
fn prefix_end(prefix: &str) -> String {
    format!("{prefix}\u{ffff}")
}

fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

/// Users' emails and names are searched by substring from this many characters, by prefix below it (a trigram
/// index cannot answer shorter ones).
const SUBSTRING_MIN_CHARS: usize = 3;
/// Session ids are matched by prefix from this many characters: a shorter one matches a sixteenth of them.
const ID_PREFIX_MIN_CHARS: usize = 4;

impl Storage {
    fn row_key(&self) -> &'static str {
        match self.kind {
            DbKind::Sqlite => "rowid",
            DbKind::Postgres => "id",
        }
    }

    /// Appends `(… OR …)`: the sessions a search term matches.
    fn push_search(&self, sql: &mut Sql, term: &str) {
        let term = term.to_lowercase();
        sql.push("(s.user_id IN (");
        if term.chars().count() >= SUBSTRING_MIN_CHARS {
            match self.kind {
                DbKind::Sqlite => {
                    // A quoted FTS5 phrase: the term's own quotes are doubled, so it is never query syntax.
                    let phrase = format!("\"{}\"", term.replace('"', "\"\""));
                    sql.push("SELECT rowid FROM users_search WHERE users_search MATCH ").text(&phrase);
                }
                DbKind::Postgres => {
                    sql.push(
                        "SELECT id FROM users WHERE (email_normalized || ' ' || lower(display_name)) LIKE ",
                    )
                    .text(&format!("%{}%", escape_like(&term)));
                }
            }
        } else {
            let end = prefix_end(&term);
            sql.push("SELECT id FROM users WHERE (email_normalized >= ")
                .text(&term)
                .push(" AND email_normalized < ")
                .text(&end)
                .push(") OR (lower(display_name) >= ")
                .text(&term)
                .push(" AND lower(display_name) < ")
                .text(&end)
                .push(")");
        }
        sql.push(")");
        let hex = term.chars().all(|c| c.is_ascii_hexdigit());
        if hex && term.len() >= ID_PREFIX_MIN_CHARS {
            sql.push(" OR (s.id >= ").text(&term).push(" AND s.id < ").text(&prefix_end(&term)).push(")");
        }
        let ip_like = term.chars().all(|c| c.is_ascii_hexdigit() || c == '.' || c == ':')
            && term.chars().any(|c| c.is_ascii_digit() || c == ':');
        if ip_like {
            sql.push(" OR (s.ip >= ").text(&term).push(" AND s.ip < ").text(&prefix_end(&term)).push(")");
        }
        let pattern = format!("%{}%", escape_like(&term));
        sql.push(" OR s.app_id IN (SELECT id FROM apps WHERE slug LIKE ")
            .text(&pattern)
            .push(" ESCAPE '\\' OR lower(name) LIKE ")
            .text(&pattern)
            .push(" ESCAPE '\\')");
        if term.chars().count() >= SUBSTRING_MIN_CHARS {
            for status in ["active", "expired", "revoked"] {
                if status.starts_with(&term) {
                    sql.push(" OR s.status = ").text(status);
                }
            }
            if "guest".starts_with(&term) {
                sql.push(" OR s.kind = 'guest'");
            }
        }
        sql.push(")");
    }

    /// Appends ` AND …` for the status and app filters. With `beside_search` on SQLite they are kept out of
    /// index choice (`+`): the planner would otherwise walk every active session testing the search, where the
    /// search's own indexes find a few rows.
    fn push_filters(&self, sql: &mut Sql, query: &ListQuery<'_>, beside_search: bool) {
        let plus = if beside_search && self.kind == DbKind::Sqlite { "+" } else { "" };
        if let Some(status) = query.status {
            sql.push(&format!(" AND {plus}s.status = ")).text(status);
        }
        if let Some(slug) = query.app_slug {
            // The slug is repeated as `app_sort`, the app index's leading column: sorted by app, a filtered page
            // is then a seek instead of a walk past every other app's sessions.
            sql.push(&format!(" AND {plus}s.app_id = (SELECT id FROM apps WHERE slug = "))
                .text(slug)
                .push(&format!(") AND {plus}s.app_sort = "))
                .text(slug);
        }
    }

    fn order_by(&self, sort: SortColumn, descending: bool) -> String {
        let direction = if descending { "DESC" } else { "ASC" };
        let (_, columns) = sort.index();
        let mut terms: Vec<String> = columns.iter().map(|column| format!("{column} {direction}")).collect();
        terms.push(format!("s.{} {direction}", self.row_key()));
        terms.join(", ")
    }

    /// The sessions counted in `session_counts` under the filters.
    async fn counted_total(&self, query: &ListQuery<'_>) -> Result<i64, StorageError> {
        let mut sql = Sql::default();
        sql.push(
            "SELECT CAST(COALESCE(SUM(c.n), 0) AS BIGINT) FROM session_counts c JOIN apps a ON a.id = c.app_id
             WHERE 1 = 1",
        );
        if let Some(status) = query.status {
            sql.push(" AND c.status = ").text(status);
        }
        if let Some(slug) = query.app_slug {
            sql.push(" AND a.slug = ").text(slug);
        }
        let (total,): (i64,) = sqlx::query_as_with(AssertSqlSafe(sql.text.clone()), sql.arguments())
            .fetch_one(&self.pool)
            .await?;
        Ok(total)
    }

    /// Sessions whose status is `active`, from the maintained counts.
    pub async fn count_active_sessions(&self) -> Result<i64, StorageError> {
        let (total,): (i64,) = sqlx::query_as(
            "SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM session_counts WHERE status = 'active'",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(total)
    }

    pub async fn list_page(&self, query: &ListQuery<'_>) -> Result<ListPage, StorageError> {
        let Some(term) = query.search else {
            let total = self.counted_total(query).await?;
            let rows = self.page_from_sort_index(query, total).await?;
            return Ok(ListPage { rows, total, total_is_exact: true });
        };
        let mut count = Sql::default();
        count.push("SELECT COUNT(*) FROM (SELECT 1 FROM sessions s WHERE ");
        self.push_search(&mut count, term);
        self.push_filters(&mut count, query, true);
        count.push(" LIMIT ").int(SEARCH_COUNT_CAP + 1).push(") matched");
        let (matched,): (i64,) = sqlx::query_as_with(AssertSqlSafe(count.text.clone()), count.arguments())
            .fetch_one(&self.pool)
            .await?;
        if matched > SEARCH_COUNT_CAP {
            let rows = self.page_from_sort_index(query, i64::MAX).await?;
            return Ok(ListPage { rows, total: SEARCH_COUNT_CAP, total_is_exact: false });
        }
        let rows = self.page_of_gathered_matches(query, term).await?;
        Ok(ListPage { rows, total: matched, total_is_exact: true })
    }

    /// Walks the sort column's index. With a known `total`, a page in the second half is read backwards from
    /// the end.
    async fn page_from_sort_index(
        &self,
        query: &ListQuery<'_>,
        total: i64,
    ) -> Result<Vec<SessionRow>, StorageError> {
        if query.offset >= total || query.limit <= 0 {
            return Ok(Vec::new());
        }
        if query.offset > MAX_PAGE_DEPTH && total - query.offset - query.limit > MAX_PAGE_DEPTH {
            return Err(StorageError::PageTooDeep(MAX_PAGE_DEPTH));
        }
        let from_end = total != i64::MAX && query.offset > total / 2;
        let (descending, limit, offset) = if from_end {
            let end = (query.offset + query.limit).min(total);
            (!query.descending, end - query.offset, total - end)
        } else {
            (query.descending, query.limit, query.offset)
        };
        let order = self.order_by(query.sort, descending);
        let key = self.row_key();
        let index = match (query.status, query.sort) {
            (Some(_), SortColumn::LastActive) => "sessions_by_status_last_active",
            (Some(_), SortColumn::Expires) => "sessions_by_status_expires",
            (Some(_), SortColumn::User) => "sessions_by_status_user",
            (Some(_), SortColumn::App) => "sessions_by_status_app",
            (Some(_), SortColumn::Created) => "sessions_by_status",
            _ => query.sort.index().0,
        };
        let mut sql = Sql::default();
        sql.push(&format!("SELECT {SESSION_FIELDS} FROM sessions s {SESSION_JOINS} WHERE s.{key} IN (SELECT s.{key} FROM sessions s "));
        if self.kind == DbKind::Sqlite {
            // The planner would rather gather a search's matches and sort them all; past the cap that is slower
            // than walking the index in order until a page is found.
            sql.push(&format!("INDEXED BY {index} "));
        }
        sql.push("WHERE 1 = 1");
        if let Some(term) = query.search {
            sql.push(" AND ");
            self.push_search(&mut sql, term);
        }
        self.push_filters(&mut sql, query, false);
        sql.push(&format!(" ORDER BY {order} LIMIT "))
            .int(limit)
            .push(" OFFSET ")
            .int(offset)
            .push(&format!(") ORDER BY {order}"));
        let mut rows: Vec<SessionRow> = sqlx::query_as_with(AssertSqlSafe(sql.text.clone()), sql.arguments())
            .fetch_all(&self.pool)
            .await?;
        if from_end {
            rows.reverse();
        }
        Ok(rows)
    }

    /// Gathers a search's matches (at most the cap) through the search indexes, then sorts them.
    async fn page_of_gathered_matches(
        &self,
        query: &ListQuery<'_>,
        term: &str,
    ) -> Result<Vec<SessionRow>, StorageError> {
        let key = self.row_key();
        let mut sql = Sql::default();
        sql.push(&format!("WITH matched AS MATERIALIZED (SELECT s.{key} AS r FROM sessions s WHERE "));
        self.push_search(&mut sql, term);
        self.push_filters(&mut sql, query, true);
        // SQLite keeps a CROSS JOIN's order, so the matches drive the join instead of the sort index.
        let join = if self.kind == DbKind::Sqlite { "CROSS JOIN" } else { "JOIN" };
        sql.push(&format!(
            ") SELECT {SESSION_FIELDS} FROM matched {join} sessions s ON s.{key} = matched.r {SESSION_JOINS}
             ORDER BY {} LIMIT ",
            self.order_by(query.sort, query.descending)
        ))
        .int(query.limit)
        .push(" OFFSET ")
        .int(query.offset);
        Ok(sqlx::query_as_with(AssertSqlSafe(sql.text.clone()), sql.arguments())
            .fetch_all(&self.pool)
            .await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_metacharacters_are_escaped() {
        assert_eq!(escape_like(r"50%_a\b"), r"50\%\_a\\b");
    }

    #[test]
    fn binds_are_numbered_in_order() {
        let mut sql = Sql::default();
        sql.push("a = ").text("x").push(" AND b = ").int(2);
        assert_eq!(sql.text, "a = $1 AND b = $2");
        assert_eq!(sql.binds.len(), 2);
    }
}
