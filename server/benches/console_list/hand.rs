//! The same pages written by hand, twice:
//! - `naive`: a plain ORDER BY … LIMIT/OFFSET and a COUNT(*), as a developer would first write them;
//! - `tuned`: as an expert would write them for the database's own CLI knowing Roster's schema: the page's keys
//!   from the sort column's index, the total from the maintained `session_counts`, a search through the users'
//!   trigram index. Roster's list against this one is the overhead of the server function itself (sqlx, rows into
//!   views, the active count and the app list it adds).

use app::session_query::{Direction, SessionQuery, SortKey, StatusFilter};

use crate::list::{query, PAGE};

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

const HAND_COLUMNS: &str =
    "s.id, a.slug, u.email, u.display_name, u.role, s.kind, s.status, s.ip, s.browser, s.os,
    s.city, s.country, s.created_at, s.last_active_at, s.expires_at, s.payload_attribute_count";
const HAND_FROM: &str =
    "FROM sessions s JOIN apps a ON a.id = s.app_id LEFT JOIN users u ON u.id = s.user_id";

pub struct HandCase {
    pub name: &'static str,
    pub query: SessionQuery,
    pub naive: String,
    pub tuned: String,
}

pub fn hand_cases(dialect: Dialect, email_fragment: &str, middle_page: u32) -> Vec<HandCase> {
    let naive = |filter: &str, order: &str, offset: u32| {
        format!(
            "SELECT {HAND_COLUMNS} {HAND_FROM} {filter} ORDER BY {order} LIMIT {PAGE} OFFSET {offset};
             SELECT COUNT(*) {HAND_FROM} {filter};"
        )
    };
    // The page's keys from the index, then only those rows joined: a deep OFFSET skips index entries, not rows.
    let key = match dialect {
        Dialect::Sqlite => "rowid",
        Dialect::Postgres => "id",
    };
    let tuned = |from: &str, filter: &str, order: &str, offset: u32, count: &str| {
        format!(
            "SELECT {HAND_COLUMNS} {HAND_FROM} WHERE s.{key} IN
               (SELECT s.{key} FROM {from} {filter} ORDER BY {order} LIMIT {PAGE} OFFSET {offset})
             ORDER BY {order};
             {count};"
        )
    };
    let counted = |filter: &str| {
        format!("SELECT SUM(c.n) FROM session_counts c JOIN apps a ON a.id = c.app_id WHERE 1 = 1 {filter}")
    };
    let search = format!(
        "WHERE (u.email_normalized LIKE '%{email_fragment}%' OR lower(u.display_name) LIKE '%{email_fragment}%')"
    );
    let matching_users = match dialect {
        Dialect::Sqlite => format!(
            "SELECT rowid FROM users_search WHERE users_search MATCH '\"{}\"'",
            email_fragment.replace('\'', "''").replace('"', "\"\"")
        ),
        Dialect::Postgres => format!(
            "SELECT id FROM users WHERE (email_normalized || ' ' || lower(display_name)) LIKE '%{}%'",
            email_fragment.replace('\'', "''")
        ),
    };
    // SQLite's planner needs telling to walk the user sort index and test the app on each entry.
    let by_user = match dialect {
        Dialect::Sqlite => "sessions s INDEXED BY sessions_by_user",
        Dialect::Postgres => "sessions s",
    };
    // PostgreSQL's NULL order is the COALESCE's, and its plain-column index is walked without the table.
    let expiry = match dialect {
        Dialect::Sqlite => "COALESCE(s.expires_at, 9223372036854775807) ASC",
        Dialect::Postgres => "s.expires_at ASC",
    };
    let app_test = match dialect {
        Dialect::Sqlite => "+s.app_id",
        Dialect::Postgres => "s.app_id",
    };
    vec![
        HandCase {
            name: "newest first, first page",
            query: query(SortKey::Created, Direction::Desc, StatusFilter::All, "", "", 1),
            naive: naive("", "s.created_at DESC", 0),
            tuned: tuned("sessions s", "", "s.created_at DESC", 0, &counted("")),
        },
        HandCase {
            name: "active, recently active, second page",
            query: query(SortKey::LastActive, Direction::Desc, StatusFilter::Active, "", "", 2),
            naive: naive("WHERE s.status = 'active'", "s.last_active_at DESC", PAGE),
            tuned: tuned(
                "sessions s",
                "WHERE s.status = 'active'",
                "s.last_active_at DESC",
                PAGE,
                &counted("AND c.status = 'active'"),
            ),
        },
        HandCase {
            name: "one app, by user A to Z",
            query: query(SortKey::User, Direction::Asc, StatusFilter::All, "my_meals", "", 1),
            naive: naive("WHERE a.slug = 'my_meals'", "u.email_normalized ASC", 0),
            tuned: tuned(
                by_user,
                &format!("WHERE {app_test} = (SELECT id FROM apps WHERE slug = 'my_meals')"),
                "s.user_sort ASC",
                0,
                &counted("AND a.slug = 'my_meals'"),
            ),
        },
        HandCase {
            name: "revoked, expiring soonest, 40th page",
            query: query(SortKey::Expires, Direction::Asc, StatusFilter::Revoked, "", "", 40),
            naive: naive("WHERE s.status = 'revoked'", "s.expires_at ASC", 39 * PAGE),
            tuned: tuned(
                "sessions s",
                "WHERE s.status = 'revoked'",
                expiry,
                39 * PAGE,
                &counted("AND c.status = 'revoked'"),
            ),
        },
        HandCase {
            name: "middle page of all, newest first",
            query: query(SortKey::Created, Direction::Desc, StatusFilter::All, "", "", middle_page),
            naive: naive("", "s.created_at DESC", (middle_page - 1) * PAGE),
            tuned: tuned("sessions s", "", "s.created_at DESC", (middle_page - 1) * PAGE, &counted("")),
        },
        HandCase {
            name: "search an email fragment, newest first",
            query: query(SortKey::Created, Direction::Desc, StatusFilter::All, "", email_fragment, 1),
            naive: naive(&search, "s.created_at DESC", 0),
            tuned: tuned(
                "sessions s",
                &format!("WHERE s.user_id IN ({matching_users})"),
                "s.created_at DESC",
                0,
                &format!("SELECT COUNT(*) FROM sessions s WHERE s.user_id IN ({matching_users})"),
            ),
        },
    ]
}
