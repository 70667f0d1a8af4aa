//! Pages of a search with more matches than are gathered (`SEARCH_GATHER_CAP`): its first `SEARCH_COUNT_CAP`
//! matches, in sort order, found the way that passes the fewest rows for how many users its term matches (see
//! `page_of_dense_search`).

use super::session_list::{FilterUse, ListQuery, SortColumn};
use super::session_search::{ManyUsersTest, ResolvedSearch, UserShare};
use super::sessions::{SESSION_FIELDS, SESSION_JOINS};
use super::sql_builder::Sql;
use super::user_term_sql::push_user_test;
use super::{DbKind, SessionRow, Storage, StorageError};

/// A walk for a term that matches a tenth of the users or more tests each row's own user up to this offset,
/// and a gathered set of the matching users deeper (see `page_of_dense_search`).
const PER_ROW_TEST_DEPTH: i64 = 500;
/// A term that at most one in this many users match is "rare": past the first page its users are gathered
/// once, and sorted by user they are sorted by email first.
const RARE_ONE_IN: i64 = 10;

impl Storage {
    /// A page of a search with more matches than are gathered. Where its term matches most users ("example"),
    /// nearly every walked row matches and looking each row's user up is cheapest; where it matches a few
    /// ("hopp", 3% of users), a walk passes about thirty rows per match, each tested against a gathered set of
    /// the users.
    pub(super) async fn page_of_dense_search(
        &self,
        query: &ListQuery<'_>,
        search: &ResolvedSearch,
    ) -> Result<Vec<SessionRow>, StorageError> {
        // The share of users a term matches is sampled (about 1 ms) only where it decides how a page is found.
        let by_user = search.only_users() && query.sort == SortColumn::User;
        let share = if query.offset > 0 || (by_user && search.matches_by_prefix()) {
            Some(self.users_matching_share(search).await?)
        } else {
            None
        };
        let at_most_one_in = |n| share.is_some_and(|share: UserShare| share.at_most_one_in(n));
        if by_user {
            // SQLite tests each user's text quickly enough that gathering is worth it for a prefix only.
            let worth_gathering = search.matches_by_prefix()
                || (self.kind == DbKind::Postgres && query.offset >= PER_ROW_TEST_DEPTH);
            let gather = worth_gathering && at_most_one_in(RARE_ONE_IN);
            return self.page_by_matching_users(query, search, gather).await;
        }
        // On the first page a walk meets its first matches soon, and testing each row's user costs less than
        // gathering every matching user. Deeper, it tests thousands of rows, where one gathered set of users is
        // several times cheaper to test against: from the second page for a rare term ("ada", a thirtieth of the
        // users, in psql: page 2 8-10 -> 7 ms, page 5 35 -> 8-10 ms), and from `PER_ROW_TEST_DEPTH` unless most
        // users match ("example", the 10,000th match: 30 ms tested row by row, 84 ms gathering 100,000 users
        // first). A rarer term's users' own sessions are no help at these depths: all of them are read and
        // sorted (33,000 for "hopp", 30 ms whatever the page), where the walk to its 1,000th match passes about
        // 30,000 index entries.
        let gathered =
            at_most_one_in(RARE_ONE_IN) || (query.offset >= PER_ROW_TEST_DEPTH && at_most_one_in(2));
        let many = if gathered { ManyUsersTest::Gathered } else { ManyUsersTest::PerRow };
        self.page_from_sort_index(query, None, Some((search, many))).await
    }

    /// Gathers every session of the matching users with its sort keys from the users' session index alone
    /// (`sessions_user_status` carries them: migration 0023 on PostgreSQL, 0020 on SQLite), sorts them and
    /// keeps the page's rows. Used for every match of a term within the count's cap (222 users' 1,933
    /// sessions, first page: 12.7 -> 2.9 ms in psql, against gathering ids and reading each row for its keys).
    pub(super) async fn page_of_matching_users_sessions(
        &self,
        query: &ListQuery<'_>,
        search: &ResolvedSearch,
    ) -> Result<Vec<SessionRow>, StorageError> {
        let key = self.row_key();
        let order = self.order_by(query.sort, query.descending);
        let mut sql = Sql::default();
        sql.push(&format!(
            "SELECT {SESSION_FIELDS} FROM sessions s {SESSION_JOINS} WHERE s.{key} IN (SELECT s.{key} FROM ("
        ));
        self.push_matching_user_ids(&mut sql, search);
        // The users drive the join, each one a lookup of its sessions: left to themselves, both planners walk a
        // sort index and look each row's user up ("ma" on PostgreSQL: 266 ms).
        match self.kind {
            DbKind::Sqlite => {
                sql.push(") u CROSS JOIN sessions s INDEXED BY sessions_user_status ON s.user_id = u.id WHERE 1 = 1");
                self.push_filters(&mut sql, query, FilterUse::BesideSearch);
            }
            DbKind::Postgres => {
                sql.push(
                    " OFFSET 0) u CROSS JOIN LATERAL (SELECT s.created_at, s.last_active_at, s.expires_at, s.status,
                     s.app_id, s.user_id, s.id FROM sessions s WHERE s.user_id = u.id",
                );
                self.push_filters(&mut sql, query, FilterUse::BesideSearch);
                sql.push(" OFFSET 0) s");
            }
        }
        sql.push(&format!(" ORDER BY {order} LIMIT "))
            .int(query.limit)
            .push(" OFFSET ")
            .int(query.offset)
            .push(&format!(") ORDER BY {order}"));
        Ok(sql.query_as().persistent(false).fetch_all(&self.pool).await?)
    }

    /// Sorted by user, a term that matches only users: walks the users in email order (`user_sort` is the
    /// email) and reads each matching user's sessions from the user sort index, already in order. Walking the
    /// sessions instead passes every session of every user before the first match.
    ///
    /// Where a tenth of the users or fewer match, the walk passes many users for each match: a short prefix's
    /// users sit together in email order ("ma": 66,000 users before the first on PostgreSQL), and a deep page of
    /// a rarer substring passes most of them. With `gather`, those users are gathered (the listed ones, or
    /// through the search indexes) and sorted by email first ("ma", page 1: 65 -> 15 ms; the 10,000th "ada"
    /// match: 120 -> 17 ms, in psql).
    pub(super) async fn page_by_matching_users(
        &self,
        query: &ListQuery<'_>,
        search: &ResolvedSearch,
        gather: bool,
    ) -> Result<Vec<SessionRow>, StorageError> {
        let key = self.row_key();
        let direction = if query.descending { "DESC" } else { "ASC" };
        let walk_order = format!(
            "u.email_normalized {direction}, s.status {direction}, s.app_id {direction}, s.user_id {direction}, s.{key} {direction}"
        );
        let each_users_sessions = match self.kind {
            // SQLite keeps a CROSS JOIN's order: users drive, sessions follow.
            DbKind::Sqlite => {
                "CROSS JOIN sessions s INDEXED BY sessions_by_user ON s.user_sort = u.email_normalized AND s.user_id = u.id"
            }
            // PostgreSQL reads the two join terms as independent and expects one session in all, so it would
            // join every matching user and sort (950 ms for "example" at a million sessions). Behind the
            // `OFFSET 0` fence each user's sessions are one index lookup: it walks the users in email order and
            // sorts each user's few sessions as it goes, stopping at the page (0.5 ms; the 10,000th match 33 ms).
            DbKind::Postgres => {
                "CROSS JOIN LATERAL (SELECT s.id, s.status, s.app_id, s.user_id FROM sessions s
                 WHERE s.user_sort = u.email_normalized AND s.user_id = u.id OFFSET 0) s"
            }
        };
        let mut sql = Sql::default();
        sql.push(&format!(
            "SELECT {SESSION_FIELDS} FROM sessions s {SESSION_JOINS} WHERE s.{key} IN (SELECT s.{key} FROM "
        ));
        if gather {
            // On PostgreSQL the fence keeps the sorted users in their order as they drive the join.
            let fence = if self.kind == DbKind::Postgres { " OFFSET 0" } else { "" };
            sql.push("(");
            if search.has_many_users() {
                self.push_matching_users_with(&mut sql, "u.id, u.email_normalized", search.term());
            } else {
                sql.push("SELECT u.id, u.email_normalized FROM users u WHERE u.id IN (");
                self.push_matching_user_ids(&mut sql, search);
                sql.push(")");
            }
            sql.push(&format!(
                " ORDER BY u.email_normalized {direction}{fence}) u {each_users_sessions} WHERE 1 = 1"
            ));
        } else {
            sql.push(&format!("users u {each_users_sessions} WHERE "));
            push_user_test(&mut sql, search.term(), self.kind);
        }
        self.push_filters(&mut sql, query, FilterUse::WalkSortIndex);
        sql.push(&format!(" ORDER BY {walk_order} LIMIT "))
            .int(query.limit)
            .push(" OFFSET ")
            .int(query.offset)
            .push(&format!(") ORDER BY {}", self.order_by(query.sort, query.descending)));
        Ok(sql.query_as().persistent(false).fetch_all(&self.pool).await?)
    }
}
