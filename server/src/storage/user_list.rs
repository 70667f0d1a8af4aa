//! The Users page's and the admin API's list of users: a search over emails and names, any sort, one page at a
//! time. Every count on it is kept on the user row by triggers (migration 0009), so a page reads one sort index
//! and its own rows; nothing here counts sessions.

use app::model::Role;
use sqlx::FromRow;

use super::page_window::PageWindow;
use super::sql_builder::Sql;
use super::user_term_sql::push_user_test;
use super::{Storage, StorageError};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UserSortColumn {
    Email,
    Name,
    Role,
    Status,
    ActiveSessions,
    LastActive,
    TotalSessions,
}

impl UserSortColumn {
    pub const ALL: [UserSortColumn; 7] = [
        UserSortColumn::Email,
        UserSortColumn::Name,
        UserSortColumn::Role,
        UserSortColumn::Status,
        UserSortColumn::ActiveSessions,
        UserSortColumn::LastActive,
        UserSortColumn::TotalSessions,
    ];

    /// The column as ORDER BY reads it; each has an index ending in the email, which breaks ties.
    fn column(self) -> &'static str {
        match self {
            UserSortColumn::Email => "u.email_normalized",
            UserSortColumn::Name => "lower(u.display_name)",
            UserSortColumn::Role => "u.role",
            UserSortColumn::Status => "u.disabled",
            UserSortColumn::ActiveSessions => "u.active_sessions",
            UserSortColumn::LastActive => "u.last_active_at",
            UserSortColumn::TotalSessions => "u.total_sessions",
        }
    }
}

#[derive(Clone, Debug)]
pub struct UserListQuery<'a> {
    /// Trimmed and lowercased by the caller; None lists everyone.
    pub search: Option<&'a str>,
    pub sort: UserSortColumn,
    pub descending: bool,
    pub limit: i64,
    pub offset: i64,
}

/// A user with the counts the Users page shows.
#[derive(Debug, Clone, FromRow)]
pub struct UserSummaryRow {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    #[sqlx(try_from = "String")]
    pub role: Role,
    pub disabled: i64,
    pub active_sessions: i64,
    pub total_sessions: i64,
    /// 0 when the user has never had a session.
    pub last_active_at: i64,
}

#[derive(Debug)]
pub struct UserListPage {
    pub rows: Vec<UserSummaryRow>,
    /// Users matching the search (all users without one); for a search past `USER_SEARCH_COUNT_CAP`, the cap.
    pub total: i64,
    pub total_is_exact: bool,
}

const SUMMARY_COLUMNS: &str =
    "u.id, u.email, u.display_name, u.role, u.disabled, u.active_sessions, u.total_sessions, u.last_active_at";

/// A search is counted exactly up to this many matching users. Past it, matches are dense: the page is read by
/// walking the sort's index and testing each user, and the total reads "more than" this.
pub const USER_SEARCH_COUNT_CAP: i64 = 10_000;

impl Storage {
    pub async fn list_users(&self, query: &UserListQuery<'_>) -> Result<UserListPage, StorageError> {
        let Some(term) = query.search else {
            let (total,): (i64,) =
                sqlx::query_as("SELECT CAST(COUNT(*) AS BIGINT) FROM users").fetch_one(&self.pool).await?;
            let rows = self.unsearched_users_page(query, total).await?;
            return Ok(UserListPage { rows, total, total_is_exact: true });
        };
        let mut count = Sql::default();
        count.push("SELECT CAST(COUNT(*) AS BIGINT) FROM (");
        self.push_matching_users(&mut count, term);
        count.push(" LIMIT ").int(USER_SEARCH_COUNT_CAP + 1).push(") m");
        let (matched,): (i64,) = count.query_as().fetch_one(&self.pool).await?;
        let mut sql = summary_select();
        if matched <= USER_SEARCH_COUNT_CAP {
            // Few enough to gather through the search indexes and sort.
            sql.push(" WHERE u.id IN (");
            self.push_matching_users(&mut sql, term);
            sql.push(")");
        } else {
            sql.push(" WHERE ");
            push_user_test(&mut sql, term, self.kind);
        }
        let rows = finish(&mut sql, query).query_as().fetch_all(&self.pool).await?;
        let total_is_exact = matched <= USER_SEARCH_COUNT_CAP;
        Ok(UserListPage { rows, total: matched.min(USER_SEARCH_COUNT_CAP), total_is_exact })
    }

    /// The page's ids from the sort index alone (each sort index holds the id), then only the page's rows; a
    /// page past the middle is read backwards from the end, so none steps over more than half the users.
    async fn unsearched_users_page(
        &self,
        query: &UserListQuery<'_>,
        total: i64,
    ) -> Result<Vec<UserSummaryRow>, StorageError> {
        let Some(window) = PageWindow::nearer_end(query.offset, query.limit, Some(total)) else {
            return Ok(Vec::new());
        };
        let walk = UserListQuery {
            descending: window.descending(query.descending),
            limit: window.limit,
            offset: window.offset,
            ..*query
        };
        let mut sql = summary_select();
        sql.push(" WHERE u.id IN (SELECT u.id FROM users u");
        finish(&mut sql, &walk);
        sql.push(")");
        sql.push(&order_by(&walk));
        let rows: Vec<UserSummaryRow> = sql.query_as().fetch_all(&self.pool).await?;
        Ok(window.in_page_order(rows))
    }

    pub async fn user_summary(&self, id: i64) -> Result<Option<UserSummaryRow>, StorageError> {
        let mut sql = Sql::default();
        sql.push(&format!("SELECT {SUMMARY_COLUMNS} FROM users u WHERE u.id = ")).int(id);
        Ok(sql.query_as().fetch_optional(&self.pool).await?)
    }
}

/// ` ORDER BY` the sort column (its index), the email breaking ties.
fn order_by(query: &UserListQuery<'_>) -> String {
    let direction = if query.descending { "DESC" } else { "ASC" };
    let mut order = format!(" ORDER BY {} {direction}", query.sort.column());
    if query.sort != UserSortColumn::Email {
        order.push_str(&format!(", u.email_normalized {direction}"));
    }
    order
}

/// Appends the order and the page.
fn finish<'a>(sql: &'a mut Sql, query: &UserListQuery<'_>) -> &'a mut Sql {
    sql.push(&order_by(query)).push(" LIMIT ").int(query.limit).push(" OFFSET ").int(query.offset)
}

fn summary_select() -> Sql {
    let mut sql = Sql::default();
    sql.push(&format!("SELECT {SUMMARY_COLUMNS} FROM users u"));
    sql
}
