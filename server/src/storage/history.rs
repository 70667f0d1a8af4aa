//! Session history: ended sessions, newest end first, searched and filtered by how they ended, at a million
//! sessions. How each ended is written with the end (`ended_how`, migration 0012), so the page reads one index on
//! the end time (`sessions_history`) and the totals come from `history_counts`, kept by triggers.
//!
//! A search is resolved against users and apps first (`session_search`), as on the Sessions page. Its ended
//! matches are counted up to `SEARCH_GATHER_CAP`: up to it they are gathered through the search's indexes and
//! sorted; past it they are dense, so the end-time index is walked and each row tested. Either way a search shows
//! its first `SEARCH_COUNT_CAP` matches at most.

use app::history::EndedHow;
use sqlx::FromRow;

use super::page_window::PageWindow;
use super::session_list::{shown_total, SEARCH_GATHER_CAP};
use super::session_search::{ManyUsersTest, ResolvedSearch};
use super::sessions::{SESSION_FIELDS, SESSION_JOINS};
use super::sql_builder::Sql;
use super::{DbKind, SessionRow, Storage, StorageError, SEARCH_COUNT_CAP};

/// A walk for a search with more matches than are gathered tests each row's own user up to this offset, and a
/// gathered set of the matching users deeper (as `session_list` does).
const PER_ROW_TEST_DEPTH: i64 = 500;

/// How an end is classified, as an SQL expression over the end's status, who ended it, the console user who
/// did (if one did) and the session's own user: every end (`session_end`) and the demo's seeded history write it
/// with this one rule.
pub(super) fn ended_how_sql(status: &str, ended_by: &str, by_user: &str, owner: &str) -> String {
    format!(
        "CASE WHEN {status} = 'expired' THEN 'expired' \
         WHEN {ended_by} = 'holder' OR ({ended_by} = 'user' AND {by_user} = {owner}) THEN 'signed_out' \
         ELSE 'terminated' END"
    )
}

#[derive(Clone, Debug)]
pub struct HistoryQuery<'a> {
    pub how: Option<EndedHow>,
    /// Trimmed and non-empty; None lists every ended session.
    pub search: Option<&'a str>,
    pub oldest_first: bool,
    pub limit: i64,
    pub offset: i64,
}

/// An ended session with the names History shows for whoever ended it.
#[derive(Debug, Clone, FromRow)]
pub struct HistoryRow {
    #[sqlx(flatten)]
    pub session: SessionRow,
    #[sqlx(try_from = "String")]
    pub ended_how: EndedHowColumn,
    /// The console user who ended it.
    pub ended_by_email: Option<String>,
    /// The admin token that ended it.
    pub ended_by_token_name: Option<String>,
}

/// `ended_how` as stored; a value the code does not know is refused when read, never guessed.
#[derive(Debug, Clone, Copy)]
pub struct EndedHowColumn(pub EndedHow);

impl TryFrom<String> for EndedHowColumn {
    type Error = String;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        EndedHow::parse(&text).map(EndedHowColumn).ok_or_else(|| format!("unknown ended_how {text:?}"))
    }
}

#[derive(Debug)]
pub struct HistoryListPage {
    pub rows: Vec<HistoryRow>,
    /// Exact, except for a search with more than `SEARCH_COUNT_CAP` ended matches, where it is the cap.
    pub total: i64,
    pub total_is_exact: bool,
}

const HISTORY_JOINS: &str = "LEFT JOIN users eu ON eu.id = s.ended_by_user_id
     LEFT JOIN admin_tokens t ON t.id = s.ended_by_token_id";

impl Storage {
    pub async fn list_history(&self, query: &HistoryQuery<'_>) -> Result<HistoryListPage, StorageError> {
        let Some(term) = query.search else {
            let total = self.counted_history(query.how).await?;
            let Some(window) = PageWindow::nearer_end(query.offset, query.limit, Some(total)) else {
                return Ok(HistoryListPage { rows: Vec::new(), total, total_is_exact: true });
            };
            let walk = HistoryQuery {
                oldest_first: query.oldest_first != window.from_end,
                limit: window.limit,
                offset: window.offset,
                ..query.clone()
            };
            let rows = window.in_page_order(self.history_walk(&walk, None).await?);
            return Ok(HistoryListPage { rows, total, total_is_exact: true });
        };
        let search = self.resolve_search(term).await?;
        if search.matches_nothing() {
            return Ok(HistoryListPage { rows: Vec::new(), total: 0, total_is_exact: true });
        }
        let dense = search.has_many_users()
            && self.count_ended_matches(query, &search, ManyUsersTest::FirstListed).await?
                > SEARCH_GATHER_CAP;
        let matched = if dense {
            i64::MAX
        } else {
            self.count_ended_matches(query, &search, ManyUsersTest::Gathered).await?
        };
        if matched > SEARCH_COUNT_CAP && query.offset >= SEARCH_COUNT_CAP {
            return Err(StorageError::SearchTooDeep(SEARCH_COUNT_CAP));
        }
        let (total, total_is_exact) = shown_total(matched);
        let rows = if matched > SEARCH_GATHER_CAP {
            let many = if query.offset < PER_ROW_TEST_DEPTH {
                ManyUsersTest::PerRow
            } else {
                ManyUsersTest::Gathered
            };
            self.history_walk(query, Some((&search, many))).await?
        } else {
            self.history_of_gathered_matches(query, &search).await?
        };
        Ok(HistoryListPage { rows, total, total_is_exact })
    }

    /// Ended sessions, of one kind or all, from the maintained counts.
    async fn counted_history(&self, how: Option<EndedHow>) -> Result<i64, StorageError> {
        let mut sql = Sql::default();
        sql.push("SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM history_counts WHERE 1 = 1");
        if let Some(how) = how {
            sql.push(" AND ended_how = ").text(how.as_str());
        }
        let (total,): (i64,) = sql.query_as().fetch_one(&self.pool).await?;
        Ok(total)
    }

    /// ` AND s.ended_how = …`, on SQLite kept out of index choice (`+`): beside a search, so the search's own
    /// indexes find the few rows; on a walk of the end-time index, because as a seek term it makes the planner
    /// sort each run of equal end times in a temporary B-tree (126 ms instead of 32 at a depth of 100,000).
    fn push_how(&self, sql: &mut Sql, how: Option<EndedHow>) {
        if let Some(how) = how {
            let plus = if self.kind == DbKind::Sqlite { "+" } else { "" };
            sql.push(&format!(" AND {plus}s.ended_how = ")).text(how.as_str());
        }
    }

    /// The end-time index's own columns, then the row: a walk reads the index in order and sorts nothing.
    fn history_order(&self, oldest_first: bool) -> String {
        let d = if oldest_first { "ASC" } else { "DESC" };
        format!("s.ended_at {d}, s.ended_how {d}, s.app_id {d}, s.user_id {d}, s.{} {d}", self.row_key())
    }

    /// The search's ended matches, counted up to one past the cap.
    async fn count_ended_matches(
        &self,
        query: &HistoryQuery<'_>,
        search: &ResolvedSearch,
        many: ManyUsersTest,
    ) -> Result<i64, StorageError> {
        let mut count = Sql::default();
        // `status <> 'active'` is the same rows as `ended_at IS NOT NULL` but no index answers it: the search's do.
        count.push("SELECT COUNT(*) FROM (SELECT 1 FROM sessions s WHERE s.status <> 'active' AND ");
        self.push_search(&mut count, search, many);
        self.push_how(&mut count, query.how);
        count.push(" LIMIT ").int(SEARCH_GATHER_CAP + 1).push(") matched");
        let (matched,): (i64,) = count.query_as().persistent(false).fetch_one(&self.pool).await?;
        Ok(matched)
    }

    /// Walks the end-time index, testing each row against the search if there is one.
    async fn history_walk(
        &self,
        query: &HistoryQuery<'_>,
        search: Option<(&ResolvedSearch, ManyUsersTest)>,
    ) -> Result<Vec<HistoryRow>, StorageError> {
        let key = self.row_key();
        let order = self.history_order(query.oldest_first);
        let mut sql = Sql::default();
        sql.push(&format!(
            "SELECT {SESSION_FIELDS}, s.ended_how, eu.email AS ended_by_email, t.name AS ended_by_token_name
             FROM sessions s {SESSION_JOINS} {HISTORY_JOINS}
             WHERE s.{key} IN (SELECT s.{key} FROM sessions s "
        ));
        if self.kind == DbKind::Sqlite {
            sql.push("INDEXED BY sessions_history ");
        }
        sql.push("WHERE s.ended_at IS NOT NULL");
        if let Some((search, many)) = search {
            sql.push(" AND ");
            self.push_search(&mut sql, search, many);
        }
        self.push_how(&mut sql, query.how);
        sql.push(&format!(" ORDER BY {order} LIMIT "))
            .int(query.limit)
            .push(" OFFSET ")
            .int(query.offset)
            .push(&format!(") ORDER BY {order}"));
        Ok(sql.query_as().persistent(search.is_none()).fetch_all(&self.pool).await?)
    }

    /// Gathers a search's ended matches (at most the cap) through the search's indexes and sorts their keys by
    /// end time; only the page's rows are read whole.
    async fn history_of_gathered_matches(
        &self,
        query: &HistoryQuery<'_>,
        search: &ResolvedSearch,
    ) -> Result<Vec<HistoryRow>, StorageError> {
        let key = self.row_key();
        let order = self.history_order(query.oldest_first);
        let join = if self.kind == DbKind::Sqlite { "CROSS JOIN" } else { "JOIN" };
        let mut sql = Sql::default();
        sql.push(&format!(
            "WITH matched AS MATERIALIZED (SELECT s.{key} AS r FROM sessions s WHERE s.status <> 'active' AND "
        ));
        self.push_search(&mut sql, search, ManyUsersTest::Gathered);
        self.push_how(&mut sql, query.how);
        sql.push(&format!(
            "), page AS MATERIALIZED (SELECT s.{key} AS r FROM matched {join} sessions s ON s.{key} = matched.r
             ORDER BY {order} LIMIT "
        ))
        .int(query.limit)
        .push(" OFFSET ")
        .int(query.offset)
        .push(&format!(
            ") SELECT {SESSION_FIELDS}, s.ended_how, eu.email AS ended_by_email, t.name AS ended_by_token_name
             FROM page {join} sessions s ON s.{key} = page.r {SESSION_JOINS} {HISTORY_JOINS} ORDER BY {order}"
        ));
        Ok(sql.query_as().persistent(false).fetch_all(&self.pool).await?)
    }
}
