//! The console's and the admin API's session list: any search, filter and sort, one page at a time, answered
//! from indexes at a million sessions.
//!
//! - Without a search, the total comes from `session_counts` and the page is read in the sort column's index
//!   (`sessions_by_*`); a page in the second half is read from the other end. Every page is reachable: the
//!   deepest, in the middle of a million sessions, steps over half a million index entries without reading a
//!   row (about 10–20 ms on SQLite; see `benches/console_list/`).
//! - With a search, the term is first resolved against users and apps (`session_search`). A term that names
//!   only a status is that status filter. Otherwise matches are counted up to `SEARCH_GATHER_CAP`: up to it
//!   they are gathered through the search indexes and sorted; past it, matches are dense, so the sort index is
//!   walked and each row tested (sorted by user, the matching users are walked in email order instead). A
//!   search shows its first `SEARCH_COUNT_CAP` matches at most, as its total says ("more than 1,000"): a walk's
//!   cost grows with its depth, so a deeper page is refused and the person asked to narrow the search.

use super::page_window::PageWindow;
use super::session_search::{ManyUsersTest, ResolvedSearch};
use super::sessions::{SESSION_FIELDS, SESSION_JOINS};
use super::sql_builder::Sql;
use super::{DbKind, SessionRow, Storage, StorageError};

/// A search shows this many of its matches at most (20 pages of 50, as far as Auth0's user search reaches): past
/// it, its total reads "more than" and a deeper page is refused, asking for a narrower search. At 10,000 the
/// last page of a term held by a few percent of sessions walked 150,000 index entries (35-75 ms on PostgreSQL at a
/// million sessions, against 6-15 ms to the 1,000th match), for a page nobody reads 200 pages deep to find.
pub const SEARCH_COUNT_CAP: i64 = 1_000;
/// Up to this many matches are counted exactly and gathered through the search's indexes; past it they are dense
/// enough to find by walking the sort index (a sparser term's 1,000th match would be hundreds of thousands of
/// entries in).
pub(super) const SEARCH_GATHER_CAP: i64 = 10_000;
/// From this many rows in, a list without a search starts its walk where the kept counts place the page (see
/// `sort_ranks`): a few small reads cost less than stepping over the rows.
const RANKED_FROM_OFFSET: i64 = 1_000;

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
    fn index(self, kind: DbKind) -> (&'static str, [&'static str; 4]) {
        match self {
            SortColumn::User => ("sessions_by_user", ["s.user_sort", "s.status", "s.app_id", "s.user_id"]),
            SortColumn::App => ("sessions_by_app", ["s.app_sort", "s.status", "s.app_id", "s.user_id"]),
            SortColumn::Created => {
                ("sessions_by_created", ["s.created_at", "s.status", "s.app_id", "s.user_id"])
            }
            // SQLite sorts NULL first ascending; the COALESCE puts sessions without an expiry last, which
            // PostgreSQL does by itself. PostgreSQL walks an index on the plain column without visiting the
            // table (migration 0019); it cannot do that with an index on the expression.
            SortColumn::Expires => match kind {
                DbKind::Sqlite => (
                    "sessions_by_expires",
                    ["COALESCE(s.expires_at, 9223372036854775807)", "s.status", "s.app_id", "s.user_id"],
                ),
                DbKind::Postgres => {
                    ("sessions_by_expires", ["s.expires_at", "s.status", "s.app_id", "s.user_id"])
                }
            },
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

/// How a query uses the status and app filters (see `push_filters`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum FilterUse {
    BesideSearch,
    WalkSortIndex,
    SeekApp,
}

/// A search's total as shown, from its counted matches: the cap, as a lower bound, past it.
pub(super) fn shown_total(matched: i64) -> (i64, bool) {
    if matched > SEARCH_COUNT_CAP {
        (SEARCH_COUNT_CAP, false)
    } else {
        (matched, true)
    }
}

impl Storage {
    pub(super) fn row_key(&self) -> &'static str {
        match self.kind {
            DbKind::Sqlite => "rowid",
            DbKind::Postgres => "id",
        }
    }

    /// Appends ` AND …` for the status and app filters. On SQLite a `+` keeps a term out of index choice:
    /// - beside a search, both filters, or the planner would walk every active session testing the search where
    ///   the search's own indexes find a few rows;
    /// - always the app id: every sort index carries `app_id`, so it is tested without reading the table, while
    ///   an indexable `app_id = …` makes the planner sort the index's ties in a temporary B-tree. Sorted by app,
    ///   the app's slug (`app_sort`, that index's first column) is the seek.
    pub(super) fn push_filters(&self, sql: &mut Sql, query: &ListQuery<'_>, usage: FilterUse) {
        let sqlite = self.kind == DbKind::Sqlite;
        let status_plus = if sqlite && usage == FilterUse::BesideSearch { "+" } else { "" };
        let app_plus = if sqlite { "+" } else { "" };
        if let Some(status) = query.status {
            sql.push(&format!(" AND {status_plus}s.status = ")).text(status);
        }
        if let Some(slug) = query.app_slug {
            sql.push(&format!(" AND {app_plus}s.app_id = (SELECT id FROM apps WHERE slug = "))
                .text(slug)
                .push(")");
            if usage == FilterUse::SeekApp {
                sql.push(" AND s.app_sort = ").text(slug);
            }
        }
    }

    pub(super) fn order_by(&self, sort: SortColumn, descending: bool) -> String {
        let direction = if descending { "DESC" } else { "ASC" };
        let (_, columns) = sort.index(self.kind);
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
        let (total,): (i64,) = sql.query_as().fetch_one(&self.pool).await?;
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
            return self.unsearched_page(query).await;
        };
        let search = self.resolve_search(term).await?;
        if search.matches_nothing() {
            return Ok(ListPage { rows: Vec::new(), total: 0, total_is_exact: true });
        }
        if let Some(status) = search.only_status() {
            if query.status.is_some_and(|filter| filter != status) {
                return Ok(ListPage { rows: Vec::new(), total: 0, total_is_exact: true });
            }
            return self
                .unsearched_page(&ListQuery { status: Some(status), search: None, ..query.clone() })
                .await;
        }
        // Listed users are tested by id in every query; a common term's users (more than can be listed) are
        // gathered through the search index to count and gather matches, and tested row by row on a walk, where
        // they are dense.
        // The counts kept on the listed users usually settle the count without reading a session: a common
        // term's first users alone hold more sessions than are gathered, and a term that matches only listed
        // users holds exactly theirs. Otherwise the first listed users' sessions are counted, then every match.
        let kept = search.kept_user_sessions(query.status, query.app_slug);
        let dense = search.has_many_users()
            && match kept {
                Some(kept) => kept > SEARCH_GATHER_CAP,
                None => {
                    self.count_matches(query, &search, ManyUsersTest::FirstListed).await? > SEARCH_GATHER_CAP
                }
            };
        let matched = match kept {
            _ if dense => i64::MAX,
            Some(kept) if search.only_users() && !search.has_many_users() => kept,
            _ => self.count_matches(query, &search, ManyUsersTest::Gathered).await?,
        };
        if matched > SEARCH_COUNT_CAP && query.offset >= SEARCH_COUNT_CAP {
            return Err(StorageError::SearchTooDeep(SEARCH_COUNT_CAP));
        }
        let (total, total_is_exact) = shown_total(matched);
        if matched > SEARCH_GATHER_CAP {
            // Too many to gather: found by walking a sort order, to no deeper than the search shows.
            let rows = self.page_of_dense_search(query, &search).await?;
            return Ok(ListPage { rows, total, total_is_exact });
        }
        // The users' session index carries every sort key but the user's and the app's.
        let keys_by_user = !matches!(query.sort, SortColumn::User | SortColumn::App);
        let rows = if search.only_users() && keys_by_user {
            self.page_of_matching_users_sessions(query, &search).await?
        } else if search.only_users() && query.sort == SortColumn::User {
            // Sorted by email, the users drive: each one's sessions are in order in the user sort index, where
            // gathering their matches read each one's row for its sort key ("a.liskov.", 7,019 sessions of 777
            // users, first page at a million sessions on PostgreSQL: 78 ms).
            self.page_by_matching_users(query, &search, true).await?
        } else if self.kind == DbKind::Postgres && search.only_ip_prefix() {
            // sessions_ip carries every sort key (migration 0025): the planner sorts a few thousand matches from
            // it alone, or walks a sort index (which carries the IP) where they are many.
            self.page_from_sort_index(query, Some(matched), Some((&search, ManyUsersTest::PerRow))).await?
        } else {
            self.page_of_gathered_matches(query, &search).await?
        };
        Ok(ListPage { rows, total, total_is_exact })
    }

    async fn unsearched_page(&self, query: &ListQuery<'_>) -> Result<ListPage, StorageError> {
        let total = self.counted_total(query).await?;
        let rows = self.page_from_sort_index(query, Some(total), None).await?;
        Ok(ListPage { rows, total, total_is_exact: true })
    }

    /// The search's matches under the filters, counted up to one past those gathered.
    async fn count_matches(
        &self,
        query: &ListQuery<'_>,
        search: &ResolvedSearch,
        many: ManyUsersTest,
    ) -> Result<i64, StorageError> {
        let mut count = Sql::default();
        count.push("SELECT COUNT(*) FROM (SELECT 1 FROM sessions s WHERE ");
        self.push_search(&mut count, search, many);
        self.push_filters(&mut count, query, FilterUse::BesideSearch);
        count.push(" LIMIT ").int(SEARCH_GATHER_CAP + 1).push(") matched");
        let (matched,): (i64,) = count.query_as().persistent(false).fetch_one(&self.pool).await?;
        Ok(matched)
    }

    /// Walks the sort column's index. With a known `total`, a page in the second half is read backwards from
    /// the end.
    pub(super) async fn page_from_sort_index(
        &self,
        query: &ListQuery<'_>,
        total: Option<i64>,
        search: Option<(&ResolvedSearch, ManyUsersTest)>,
    ) -> Result<Vec<SessionRow>, StorageError> {
        let Some(window) = PageWindow::nearer_end(query.offset, query.limit, total) else {
            return Ok(Vec::new());
        };
        let (descending, limit, mut offset) =
            (window.descending(query.descending), window.limit, window.offset);
        let start = if search.is_none() && offset >= RANKED_FROM_OFFSET {
            self.ranked_start(query, descending, offset, limit).await?
        } else {
            None
        };
        if let Some(start) = &start {
            offset = start.skip;
        }
        let order = self.order_by(query.sort, descending);
        let key = self.row_key();
        let index = match (query.status, query.sort) {
            (Some(_), SortColumn::LastActive) => "sessions_by_status_last_active",
            (Some(_), SortColumn::Expires) => "sessions_by_status_expires",
            (Some(_), SortColumn::User) => "sessions_by_status_user",
            (Some(_), SortColumn::App) => "sessions_by_status_app",
            (Some(_), SortColumn::Created) => "sessions_by_status",
            _ => query.sort.index(self.kind).0,
        };
        let mut sql = Sql::default();
        sql.push(&format!("SELECT {SESSION_FIELDS} FROM sessions s {SESSION_JOINS} WHERE s.{key} IN (SELECT s.{key} FROM sessions s "));
        if self.kind == DbKind::Sqlite {
            // The planner would rather gather a search's matches and sort them all; for a dense search that is
            // slower than walking the index in order until a page is found.
            sql.push(&format!("INDEXED BY {index} "));
        }
        sql.push("WHERE 1 = 1");
        if let Some((search, many)) = search {
            sql.push(" AND ");
            if self.kind == DbKind::Postgres && many == ManyUsersTest::Gathered {
                // Under an OR, PostgreSQL cannot turn the gathered users' `IN (SELECT …)` into a join: it reads
                // them once into a hash that each walked row is tested against, instead of looking each row's
                // user up and testing the term again (the 10,000th "hopp" match, newest first: 762 -> 204 ms).
                sql.push("(");
                self.push_search(&mut sql, search, many);
                sql.push(" OR 1 = 0)");
            } else {
                self.push_search(&mut sql, search, many);
            }
        }
        let filters =
            if query.sort == SortColumn::App { FilterUse::SeekApp } else { FilterUse::WalkSortIndex };
        self.push_filters(&mut sql, query, filters);
        if let Some(start) = &start {
            start.push(&mut sql);
        }
        sql.push(&format!(" ORDER BY {order} LIMIT "))
            .int(limit)
            .push(" OFFSET ")
            .int(offset)
            .push(&format!(") ORDER BY {order}"));
        // A search's text holds its matching ids: not worth a place in the prepared-statement cache.
        let rows: Vec<SessionRow> = sql.query_as().persistent(search.is_none()).fetch_all(&self.pool).await?;
        Ok(window.in_page_order(rows))
    }

    /// Gathers a search's matches (at most `SEARCH_GATHER_CAP`) through the search indexes, sorts their keys, and
    /// reads the page's rows alone: a deep page skips keys, not rows joined with their users and apps.
    async fn page_of_gathered_matches(
        &self,
        query: &ListQuery<'_>,
        search: &ResolvedSearch,
    ) -> Result<Vec<SessionRow>, StorageError> {
        let key = self.row_key();
        let order = self.order_by(query.sort, query.descending);
        let mut sql = Sql::default();
        sql.push(&format!("WITH matched AS MATERIALIZED (SELECT s.{key} AS r FROM sessions s WHERE "));
        self.push_search(&mut sql, search, ManyUsersTest::Gathered);
        self.push_filters(&mut sql, query, FilterUse::BesideSearch);
        // SQLite keeps a CROSS JOIN's order, so the matches drive the join instead of the sort index.
        let join = if self.kind == DbKind::Sqlite { "CROSS JOIN" } else { "JOIN" };
        sql.push(&format!(
            "), page AS MATERIALIZED (SELECT s.{key} AS r FROM matched {join} sessions s ON s.{key} = matched.r
             ORDER BY {order} LIMIT "
        ))
        .int(query.limit)
        .push(" OFFSET ")
        .int(query.offset)
        .push(&format!(
            ") SELECT {SESSION_FIELDS} FROM page {join} sessions s ON s.{key} = page.r {SESSION_JOINS} ORDER BY {order}"
        ));
        Ok(sql.query_as().persistent(false).fetch_all(&self.pool).await?)
    }
}
