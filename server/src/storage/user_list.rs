//! The Users page's and the admin API's list of users: a search over emails and names, any sort, one page at a
//! time. Every count on it is kept on the user row by triggers (migration 0009), so a page reads one sort index
//! and its own rows; nothing here counts sessions.

use app::model::Role;
use sqlx::FromRow;

use super::sql_builder::Sql;
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
    /// Users matching the search (all users without one).
    pub total: i64,
}

const SUMMARY_COLUMNS: &str =
    "u.id, u.email, u.display_name, u.role, u.disabled, u.active_sessions, u.total_sessions, u.last_active_at";

impl Storage {
    pub async fn list_users(&self, query: &UserListQuery<'_>) -> Result<UserListPage, StorageError> {
        let direction = if query.descending { "DESC" } else { "ASC" };
        let mut sql = Sql::default();
        sql.push(&format!("SELECT {SUMMARY_COLUMNS} FROM users u"));
        self.push_user_search(&mut sql, query.search);
        sql.push(&format!(" ORDER BY {} {direction}", query.sort.column()));
        if query.sort != UserSortColumn::Email {
            sql.push(&format!(", u.email_normalized {direction}"));
        }
        sql.push(" LIMIT ").int(query.limit).push(" OFFSET ").int(query.offset);
        let rows: Vec<UserSummaryRow> = sql.query_as().fetch_all(&self.pool).await?;

        let mut count = Sql::default();
        count.push("SELECT CAST(COUNT(*) AS BIGINT) FROM users u");
        self.push_user_search(&mut count, query.search);
        let (total,): (i64,) = count.query_as().fetch_one(&self.pool).await?;
        Ok(UserListPage { rows, total })
    }

    pub async fn user_summary(&self, id: i64) -> Result<Option<UserSummaryRow>, StorageError> {
        let mut sql = Sql::default();
        sql.push(&format!("SELECT {SUMMARY_COLUMNS} FROM users u WHERE u.id = ")).int(id);
        Ok(sql.query_as().fetch_optional(&self.pool).await?)
    }

    /// Appends ` WHERE u.id IN (…)`: the users whose email or name holds the search, found by the same
    /// search indexes the Sessions page's user search uses.
    fn push_user_search(&self, sql: &mut Sql, search: Option<&str>) {
        if let Some(term) = search {
            sql.push(" WHERE u.id IN (");
            self.push_matching_users(sql, term);
            sql.push(")");
        }
    }
}
