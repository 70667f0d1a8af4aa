//! What a console search term matches, resolved against the small tables (users, apps) before the sessions
//! table is asked, so that each list query tests plain ids:
//! - the users whose email or name holds the term (by substring from 3 characters, through the trigram index;
//!   by prefix below that), listed when there are at most `USER_LIST_CAP` of them;
//! - the apps whose slug or name holds it;
//! - the session-id prefix (4+ hex characters), the IP prefix, the status words and "guest".
//!
//! A term that matches only a status word ("revok") is that status filter, read from its own index.

use super::sql_builder::{escape_like, Sql};
use super::user_term_sql::{
    push_prefix_users_union, push_trigram_search, push_user_prefix_test, push_user_test, SUBSTRING_MIN_CHARS,
};
use super::{DbKind, Storage, StorageError};

/// Session ids are matched by prefix from this many characters: a shorter one matches a sixteenth of them.
const ID_PREFIX_MIN_CHARS: usize = 4;
/// Up to this many matching users are listed by id in the session queries. Past it the term is common ("example",
/// "ma"), so its sessions are dense and each walked row is tested against its user instead.
const USER_LIST_CAP: usize = 2_000;

const STATUS_WORDS: [&str; 3] = ["active", "expired", "revoked"];

enum UserMatches {
    /// Every matching user.
    Listed(Vec<i64>),
    /// More than `USER_LIST_CAP`: the first `USER_LIST_CAP + 1` of them.
    Many(Vec<i64>),
}

/// How a query tests the users of a term that matches `UserMatches::Many`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ManyUsersTest {
    /// The first listed users only: enough to learn that the sessions are past the count's cap.
    FirstListed,
    /// Every match, gathered once through the users' search index.
    Gathered,
    /// Each session's own user, looked up as the row is walked.
    PerRow,
}

pub(super) struct ResolvedSearch {
    term: String,
    users: UserMatches,
    /// The listed users' sessions, from the counts kept on each user (see `kept_user_sessions`).
    listed_users_sessions: KeptSessions,
    apps: Vec<i64>,
    id_prefix: bool,
    ip_prefix: bool,
    statuses: Vec<&'static str>,
    guests: bool,
}

/// Sessions counted on users by the writing transaction (migration 0009): all of them, and the active ones.
#[derive(Clone, Copy, Debug, Default)]
struct KeptSessions {
    total: i64,
    active: i64,
}

/// The share of all users a term matches: `matched` of a sample of `sampled` users.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct UserShare {
    matched: i64,
    sampled: i64,
}

impl UserShare {
    /// At most one in `n` users match.
    pub(super) fn at_most_one_in(self, n: i64) -> bool {
        self.matched * n <= self.sampled
    }
}

impl ResolvedSearch {
    /// How many sessions the listed users hold under the status filter, from the counts kept on each user,
    /// without reading a session: `None` where those counts cannot say (an app filter, or an ended status,
    /// which they do not tell apart).
    pub(super) fn kept_user_sessions(&self, status: Option<&str>, app_slug: Option<&str>) -> Option<i64> {
        match (status, app_slug) {
            (_, Some(_)) => None,
            (None, None) => Some(self.listed_users_sessions.total),
            (Some("active"), None) => Some(self.listed_users_sessions.active),
            (Some(_), None) => None,
        }
    }

    /// More users match than are listed: a common term, whose sessions are dense.
    pub(super) fn has_many_users(&self) -> bool {
        matches!(self.users, UserMatches::Many(_))
    }

    fn no_users(&self) -> bool {
        matches!(&self.users, UserMatches::Listed(ids) if ids.is_empty())
    }

    /// Whether the term matches by id or IP prefix, app, or as "guest".
    fn matches_beside_users_and_statuses(&self) -> bool {
        self.id_prefix || self.ip_prefix || !self.apps.is_empty() || self.guests
    }

    /// The term matches users and nothing else: their sessions in the users' order are the whole answer.
    pub(super) fn only_users(&self) -> bool {
        !self.matches_beside_users_and_statuses() && self.statuses.is_empty()
    }

    /// The term matches sessions by the start of their IP and nothing else.
    pub(super) fn only_ip_prefix(&self) -> bool {
        self.ip_prefix
            && self.no_users()
            && !self.id_prefix
            && self.apps.is_empty()
            && !self.guests
            && self.statuses.is_empty()
    }

    pub(super) fn matches_nothing(&self) -> bool {
        self.no_users() && self.only_users()
    }

    /// The status the term names, when that is all it matches.
    pub(super) fn only_status(&self) -> Option<&'static str> {
        match self.statuses.as_slice() {
            [status] if self.no_users() && !self.matches_beside_users_and_statuses() => Some(status),
            _ => None,
        }
    }

    pub(super) fn term(&self) -> &str {
        &self.term
    }

    /// Users match by the start of their email or name (a short term), not anywhere in them.
    pub(super) fn matches_by_prefix(&self) -> bool {
        self.term.chars().count() < SUBSTRING_MIN_CHARS
    }
}

impl Storage {
    pub(super) async fn resolve_search(&self, term: &str) -> Result<ResolvedSearch, StorageError> {
        let term = term.to_lowercase();
        let (user_ids, listed_users_sessions) = self.matching_users(&term, USER_LIST_CAP).await?;
        let pattern = format!("%{}%", escape_like(&term));
        let apps: Vec<(i64,)> = sqlx::query_as(
            "SELECT id FROM apps WHERE slug LIKE $1 ESCAPE '\\' OR lower(name) LIKE $2 ESCAPE '\\'",
        )
        .bind(&pattern)
        .bind(&pattern)
        .fetch_all(&self.pool)
        .await?;
        let substring = term.chars().count() >= SUBSTRING_MIN_CHARS;
        let hex = term.chars().all(|c| c.is_ascii_hexdigit());
        Ok(ResolvedSearch {
            users: if user_ids.len() > USER_LIST_CAP {
                UserMatches::Many(user_ids)
            } else {
                UserMatches::Listed(user_ids)
            },
            listed_users_sessions,
            apps: apps.into_iter().map(|(id,)| id).collect(),
            id_prefix: hex && term.len() >= ID_PREFIX_MIN_CHARS,
            ip_prefix: term.chars().all(|c| c.is_ascii_hexdigit() || c == '.' || c == ':')
                && term.chars().any(|c| c.is_ascii_digit() || c == ':'),
            statuses: if substring {
                STATUS_WORDS.into_iter().filter(|status| status.starts_with(&term)).collect()
            } else {
                Vec::new()
            },
            guests: substring && "guest".starts_with(&term),
            term,
        })
    }

    /// Appends a query of the ids of the users whose email or name holds `term` (lowercased), answered from the
    /// users' search indexes.
    pub(super) fn push_matching_users(&self, sql: &mut Sql, term: &str) {
        if term.chars().count() < SUBSTRING_MIN_CHARS {
            self.push_matching_users_with(sql, "u.id", term);
            return;
        }
        match self.kind {
            DbKind::Sqlite => {
                // A quoted FTS5 phrase: the term's own quotes are doubled, so it is never query syntax.
                let phrase = format!("\"{}\"", term.replace('"', "\"\""));
                sql.push("SELECT rowid FROM users_search WHERE users_search MATCH ").text(&phrase);
            }
            DbKind::Postgres => {
                sql.push("SELECT u.id FROM users u WHERE ");
                push_trigram_search(sql, term);
            }
        }
    }

    /// Up to `cap` + 1 users matching `term` (lowercased), and the sessions kept on them.
    async fn matching_users(&self, term: &str, cap: usize) -> Result<(Vec<i64>, KeptSessions), StorageError> {
        let limit = cap as i64 + 1;
        let mut users = Sql::default();
        self.push_matching_users_up_to(
            &mut users,
            "u.id, u.total_sessions, u.active_sessions",
            term,
            Some(limit),
        );
        users.push(" LIMIT ").int(limit);
        // Planned for its own term each time: PostgreSQL's generic plan for a prepared `LIKE $1` reads every
        // user instead of the trigram index (20-30 ms at 100,000 users, against 3-5).
        let listed: Vec<(i64, i64, i64)> = users.query_as().persistent(false).fetch_all(&self.pool).await?;
        let mut kept = KeptSessions::default();
        let mut ids = Vec::with_capacity(listed.len());
        for (id, total, active) in listed {
            ids.push(id);
            kept.total += total;
            kept.active += active;
        }
        Ok((ids, kept))
    }

    /// Appends a query of the ids of the users `search` matches, as `u.id`: the listed ones, or every one
    /// through the users' search indexes.
    pub(super) fn push_matching_user_ids(&self, sql: &mut Sql, search: &ResolvedSearch) {
        match &search.users {
            UserMatches::Listed(ids) if ids.is_empty() => {
                sql.push("SELECT u.id FROM users u WHERE 1 = 0");
            }
            // The listed ids themselves, without a lookup of each in the users' primary key (10 ms for 3,334).
            UserMatches::Listed(ids) if self.kind == DbKind::Postgres => {
                let listed: Vec<String> = ids.iter().map(i64::to_string).collect();
                sql.push(&format!(
                    "SELECT u.id FROM unnest(ARRAY[{}]::bigint[]) AS u(id)",
                    listed.join(", ")
                ));
            }
            UserMatches::Listed(ids) => {
                sql.push("SELECT u.id FROM users u WHERE u.id IN ").id_list(ids);
            }
            UserMatches::Many(_) => self.push_matching_users_with(sql, "u.id", &search.term),
        }
    }

    /// Appends a query of `columns` of the matching users, as `u`.
    pub(super) fn push_matching_users_with(&self, sql: &mut Sql, columns: &str, term: &str) {
        self.push_matching_users_up_to(sql, columns, term, None);
    }

    /// `push_matching_users_with`, where the caller reads no more than `limit` of them: a short term's two
    /// prefix ranges on PostgreSQL each stop there.
    fn push_matching_users_up_to(&self, sql: &mut Sql, columns: &str, term: &str, limit: Option<i64>) {
        if term.chars().count() < SUBSTRING_MIN_CHARS {
            match self.kind {
                DbKind::Postgres => push_prefix_users_union(sql, columns, term, limit),
                DbKind::Sqlite => {
                    sql.push(&format!("SELECT {columns} FROM users u WHERE "));
                    push_user_prefix_test(sql, term, "");
                }
            }
            return;
        }
        match (self.kind, limit) {
            // The full-text index stops at the limit: an `IN (…)` of it read every match first ("example", in
            // every email: 30 ms at 100,000 users, against 1).
            (DbKind::Sqlite, Some(limit)) => {
                sql.push(&format!("SELECT {columns} FROM ("));
                self.push_matching_users(sql, term);
                sql.push(" LIMIT ").int(limit).push(") m CROSS JOIN users u ON u.id = m.rowid");
            }
            (DbKind::Sqlite, None) => {
                sql.push(&format!("SELECT {columns} FROM users u WHERE u.id IN ("));
                self.push_matching_users(sql, term);
                sql.push(")");
            }
            // The trigram index's own expression, on `u`: an `IN (…)` of the usual query was three to seven
            // times slower in psql ("ma", "ada").
            (DbKind::Postgres, _) => {
                sql.push(&format!("SELECT {columns} FROM users u WHERE "));
                push_trigram_search(sql, term);
            }
        }
    }

    /// How many users `search` matches, as a share of a sample (the first 1,000 users by id; about 1 ms at
    /// 100,000 users): how dense its sessions are, which decides how a page of a dense search (whose
    /// users are too many to list) is found.
    pub(super) async fn users_matching_share(
        &self,
        search: &ResolvedSearch,
    ) -> Result<UserShare, StorageError> {
        const SAMPLE: i64 = 1_000;
        let mut sql = Sql::default();
        sql.push("SELECT CAST(COALESCE(SUM(CASE WHEN ");
        push_user_test(&mut sql, &search.term, self.kind);
        sql.push(" THEN 1 ELSE 0 END), 0) AS BIGINT), COUNT(*) FROM (SELECT email_normalized, display_name FROM users ORDER BY id LIMIT ")
            .int(SAMPLE)
            .push(") u");
        let (matched, sampled): (i64, i64) = sql.query_as().persistent(false).fetch_one(&self.pool).await?;
        Ok(UserShare { matched, sampled })
    }

    /// Appends `EXISTS (…)`: the walked session's own user (`s.user_id`) matches `term`.
    fn push_session_user_matches(&self, sql: &mut Sql, term: &str) {
        sql.push("EXISTS (SELECT 1 FROM users u WHERE u.id = s.user_id AND ");
        push_user_test(sql, term, self.kind);
        sql.push(")");
    }

    /// Appends `(… OR …)`: the sessions the resolved search matches. `many` says how to test a common term's
    /// users.
    pub(super) fn push_search(&self, sql: &mut Sql, search: &ResolvedSearch, many: ManyUsersTest) {
        let mut branches = Branches::default();
        match (&search.users, many) {
            (UserMatches::Listed(ids), _) | (UserMatches::Many(ids), ManyUsersTest::FirstListed) => {
                if !ids.is_empty() {
                    branches.next(sql).push("s.user_id IN ").id_list(ids);
                }
            }
            (UserMatches::Many(_), ManyUsersTest::Gathered) => {
                branches.next(sql).push("s.user_id IN (");
                self.push_matching_users(sql, &search.term);
                sql.push(")");
            }
            (UserMatches::Many(_), ManyUsersTest::PerRow) => {
                self.push_session_user_matches(branches.next(sql), &search.term);
            }
        }
        if search.id_prefix {
            branches.next(sql).prefix_range("s.id", &search.term);
        }
        if search.ip_prefix {
            branches.next(sql).prefix_range("s.ip", &search.term);
        }
        if !search.apps.is_empty() {
            branches.next(sql).push("s.app_id IN ").id_list(&search.apps);
        }
        for status in &search.statuses {
            branches.next(sql).push("s.status = ").text(status);
        }
        if search.guests {
            branches.next(sql).push("s.kind = 'guest'");
        }
        branches.close(sql);
    }
}

/// Writes `(a OR b OR …)`, or a condition no row meets when there are no branches.
#[derive(Default)]
struct Branches {
    started: bool,
}

impl Branches {
    fn next<'a>(&mut self, sql: &'a mut Sql) -> &'a mut Sql {
        sql.push(if self.started { " OR " } else { "(" });
        self.started = true;
        sql
    }

    fn close(self, sql: &mut Sql) {
        sql.push(if self.started { ")" } else { "(1 = 0)" });
    }
}
