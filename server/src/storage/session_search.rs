//! What a console search term matches, resolved against the small tables (users, apps) before the sessions
//! table is asked, so that each list query tests plain ids:
//! - the users whose email or name holds the term (by substring from 3 characters, through the trigram index;
//!   by prefix below that), listed when there are at most `USER_LIST_CAP` of them;
//! - the apps whose slug or name holds it;
//! - the session-id prefix (4+ hex characters), the IP prefix, the status words and "guest".
//!
//! A term that matches only a status word ("revok") is that status filter, read from its own index.

use super::sql_builder::{escape_like, Sql};
use super::{DbKind, Storage, StorageError};

/// Users' emails and names are searched by substring from this many characters, by prefix below it (a trigram
/// index cannot answer shorter ones).
const SUBSTRING_MIN_CHARS: usize = 3;
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
    apps: Vec<i64>,
    id_prefix: bool,
    ip_prefix: bool,
    statuses: Vec<&'static str>,
    guests: bool,
}

impl ResolvedSearch {
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
        let mut users = Sql::default();
        self.push_matching_users(&mut users, &term);
        users.push(" LIMIT ").int(USER_LIST_CAP as i64 + 1);
        let user_ids: Vec<(i64,)> = users.query_as().fetch_all(&self.pool).await?;
        let user_ids: Vec<i64> = user_ids.into_iter().map(|(id,)| id).collect();
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
            sql.push("SELECT id FROM users u WHERE ");
            push_user_prefix_test(sql, term, "");
            return;
        }
        match self.kind {
            DbKind::Sqlite => {
                // A quoted FTS5 phrase: the term's own quotes are doubled, so it is never query syntax.
                let phrase = format!("\"{}\"", term.replace('"', "\"\""));
                sql.push("SELECT rowid FROM users_search WHERE users_search MATCH ").text(&phrase);
            }
            DbKind::Postgres => {
                // pg_trgm's index answers the expression it was built on.
                sql.push("SELECT id FROM users WHERE (email_normalized || ' ' || lower(display_name)) LIKE ")
                    .text(&format!("%{}%", escape_like(term)));
            }
        }
    }

    /// Appends a query of the matching users' ids and emails, as `u`'s columns, to be sorted by email.
    pub(super) fn push_matching_user_emails(&self, sql: &mut Sql, term: &str) {
        sql.push("SELECT u.id, u.email_normalized FROM users u WHERE ");
        if term.chars().count() < SUBSTRING_MIN_CHARS {
            push_user_prefix_test(sql, term, "");
            return;
        }
        match self.kind {
            DbKind::Sqlite => {
                sql.push("u.id IN (");
                self.push_matching_users(sql, term);
                sql.push(")");
            }
            // The trigram index's own expression, on `u`: an `IN (…)` of the usual query was three to seven
            // times slower in psql ("ma", "ada").
            DbKind::Postgres => {
                sql.push("(u.email_normalized || ' ' || lower(u.display_name)) LIKE ")
                    .text(&format!("%{}%", escape_like(term)));
            }
        }
    }

    /// Whether at most a tenth of a sample of users (the first 2,000 by id) match `term`: then its users are few
    /// enough to gather and sort, where a walk of every user in email order would pass many before each match.
    pub(super) async fn users_matching_are_sparse(&self, term: &str) -> Result<bool, StorageError> {
        const SAMPLE: i64 = 2_000;
        let mut sql = Sql::default();
        sql.push("SELECT CAST(COALESCE(SUM(CASE WHEN ");
        push_user_test(&mut sql, term, self.kind);
        sql.push(" THEN 1 ELSE 0 END), 0) AS BIGINT), COUNT(*) FROM (SELECT email_normalized, display_name FROM users ORDER BY id LIMIT ")
            .int(SAMPLE)
            .push(") u");
        let (matched, sampled): (i64, i64) = sql.query_as().persistent(false).fetch_one(&self.pool).await?;
        Ok(matched * 10 <= sampled)
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

/// Appends the condition that the user `u` matches `term` (lowercased), to test one user at a time (kept out
/// of the users' indexes, so that a walk of users in email order stays in that order).
pub(super) fn push_user_test(sql: &mut Sql, term: &str, kind: DbKind) {
    if term.chars().count() < SUBSTRING_MIN_CHARS {
        // PostgreSQL has no unary + on text, and plans this walk without the hint.
        push_user_prefix_test(sql, term, if kind == DbKind::Sqlite { "+" } else { "" });
    } else {
        let pattern = format!("%{}%", escape_like(term));
        sql.push("(u.email_normalized LIKE ")
            .text(&pattern)
            .push(" ESCAPE '\\' OR lower(u.display_name) LIKE ")
            .text(&pattern)
            .push(" ESCAPE '\\')");
    }
}

/// `(email or name starts with term)` for the users table as `u`: answered from its two indexes, or with
/// `plus` = "+" tested row by row.
fn push_user_prefix_test(sql: &mut Sql, term: &str, plus: &str) {
    sql.push("(")
        .prefix_range(&format!("{plus}u.email_normalized"), term)
        .push(" OR ")
        .prefix_range(&format!("{plus}lower(u.display_name)"), term)
        .push(")");
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
