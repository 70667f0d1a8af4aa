//! The rows of a bulk load (`bulk_load`): many rows per statement.

use app::model::SessionId;
use sqlx::any::AnyArguments;
use sqlx::{Any, Arguments, AssertSqlSafe};

use super::bulk_load::BulkLoad;
use super::history::ended_how_sql;
use super::{DbKind, EndedBy, StorageError};

/// One demo session with every stored column the console shows.
pub struct BulkSession {
    pub id: SessionId,
    pub token_hash: Vec<u8>,
    pub app_id: i64,
    pub user_id: Option<i64>,
    pub status: &'static str,
    pub ip: Option<String>,
    pub user_agent: Option<&'static str>,
    pub browser: Option<String>,
    pub browser_version: Option<String>,
    pub os: Option<String>,
    pub os_version: Option<String>,
    pub device: Option<String>,
    pub city: Option<&'static str>,
    pub country: Option<&'static str>,
    pub country_code: Option<&'static str>,
    pub created_at: i64,
    pub last_active_at: i64,
    pub expires_at: Option<i64>,
    pub idle_timeout_secs: Option<i64>,
    pub deadline_at: Option<i64>,
    pub remember_me: bool,
    pub ended_at: Option<i64>,
    pub ended_by: Option<EndedBy>,
    pub end_reason: Option<&'static str>,
    /// An `EndCause` code, as every end writes it.
    pub end_cause: Option<&'static str>,
    pub payload: Option<(Vec<u8>, i64)>,
    pub payload_bytes: i64,
    pub payload_attribute_count: i64,
    pub validation_count: i64,
    pub last_request_at: Option<i64>,
    /// The user's normalized email ('' for a guest) and the app's slug: the console's sort keys.
    pub user_sort: String,
    pub app_sort: String,
}

const SESSION_COLUMNS: [&str; 34] = [
    "id",
    "token_hash",
    "app_id",
    "user_id",
    "kind",
    "status",
    "ip",
    "user_agent",
    "browser",
    "browser_version",
    "os",
    "os_version",
    "device",
    "city",
    "country",
    "country_code",
    "created_at",
    "updated_at",
    "last_active_at",
    "expires_at",
    "idle_timeout_secs",
    "deadline_at",
    "remember_me",
    "ended_at",
    "ended_by",
    "end_reason",
    "end_cause",
    "payload_ciphertext",
    "payload_key_id",
    "payload_bytes",
    "payload_attribute_count",
    "validation_count",
    "user_sort",
    "app_sort",
];

/// Rows per statement: 35 columns × 400 rows stays under both databases' parameter limits.
const ROWS_PER_STATEMENT: usize = 400;

/// `(…), (…)` for a multi-row VALUES. SQLite gets anonymous `?`: sqlx resolves every `$N` by asking SQLite
/// for its name, which scans the statement's parameter list, so `$N` binding is quadratic in a statement with
/// thousands of parameters (80% of the demo's time before this). PostgreSQL needs `$N`.
fn placeholders(kind: DbKind, rows: usize, columns: usize) -> String {
    (0..rows)
        .map(|row| {
            let cells: Vec<String> = (1..=columns)
                .map(|column| match kind {
                    DbKind::Sqlite => "?".to_string(),
                    DbKind::Postgres => format!("${}", row * columns + column),
                })
                .collect();
            format!("({})", cells.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn add<'q, T>(arguments: &mut AnyArguments, value: T)
where
    T: sqlx::Encode<'q, Any> + sqlx::Type<Any>,
{
    // Encoding plain values into an argument buffer cannot fail.
    let _ = arguments.add(value);
}

/// The insert of `rows` sessions. How each loaded end is classified in History, by the rule every end follows,
/// is worked out in the insert (an UPDATE of the ended rows afterwards wrote 400,000 of a million rows twice). A
/// loaded end names no console user.
fn session_insert_sql(kind: DbKind, rows: usize) -> String {
    let ended_how = ended_how_sql("status", "ended_by", "NULL", "user_id");
    format!(
        "WITH loaded ({columns_list}, last_request_at) AS (VALUES {values})
         INSERT INTO sessions ({columns_list}, last_request_at, ended_how)
         SELECT *, CASE WHEN ended_at IS NULL THEN NULL ELSE {ended_how} END FROM loaded",
        columns_list = SESSION_COLUMNS.join(", "),
        values = placeholders(kind, rows, SESSION_COLUMNS.len() + 1)
    )
}

impl BulkLoad {
    /// Users by (email, display name, role); returns (email, id) pairs.
    pub async fn insert_users(
        &mut self,
        users: &[(String, String, &'static str)],
        now_ms: i64,
    ) -> Result<Vec<(String, i64)>, StorageError> {
        let mut ids = Vec::with_capacity(users.len());
        for chunk in users.chunks(ROWS_PER_STATEMENT) {
            let sql = format!(
                "INSERT INTO users (email, email_normalized, display_name, role, created_at, updated_at) VALUES {}
                 RETURNING email, id",
                placeholders(self.kind(), chunk.len(), 6)
            );
            let mut arguments = AnyArguments::default();
            for (email, name, role) in chunk {
                add(&mut arguments, email.clone());
                add(&mut arguments, email.to_lowercase());
                add(&mut arguments, name.clone());
                add(&mut arguments, *role);
                add(&mut arguments, now_ms);
                add(&mut arguments, now_ms);
            }
            let rows: Vec<(String, i64)> =
                sqlx::query_as_with(AssertSqlSafe(sql), arguments).fetch_all(self.connection()).await?;
            ids.extend(rows);
        }
        Ok(ids)
    }

    pub async fn insert_sessions(&mut self, sessions: &[BulkSession]) -> Result<(), StorageError> {
        let full_statement = session_insert_sql(self.kind(), ROWS_PER_STATEMENT);
        for chunk in sessions.chunks(ROWS_PER_STATEMENT) {
            let sql = if chunk.len() == ROWS_PER_STATEMENT {
                full_statement.clone()
            } else {
                session_insert_sql(self.kind(), chunk.len())
            };
            let mut arguments = AnyArguments::default();
            for s in chunk {
                add(&mut arguments, s.id.to_string());
                add(&mut arguments, s.token_hash.clone());
                add(&mut arguments, s.app_id);
                add(&mut arguments, s.user_id);
                add(&mut arguments, if s.user_id.is_some() { "authenticated" } else { "guest" });
                add(&mut arguments, s.status);
                add(&mut arguments, s.ip.clone());
                add(&mut arguments, s.user_agent);
                add(&mut arguments, s.browser.clone());
                add(&mut arguments, s.browser_version.clone());
                add(&mut arguments, s.os.clone());
                add(&mut arguments, s.os_version.clone());
                add(&mut arguments, s.device.clone());
                add(&mut arguments, s.city);
                add(&mut arguments, s.country);
                add(&mut arguments, s.country_code);
                add(&mut arguments, s.created_at);
                add(&mut arguments, s.ended_at.unwrap_or(s.last_active_at));
                add(&mut arguments, s.last_active_at);
                add(&mut arguments, s.expires_at);
                add(&mut arguments, s.idle_timeout_secs);
                add(&mut arguments, s.deadline_at);
                add(&mut arguments, i64::from(s.remember_me));
                add(&mut arguments, s.ended_at);
                add(&mut arguments, s.ended_by);
                add(&mut arguments, s.end_reason);
                add(&mut arguments, s.end_cause);
                add(&mut arguments, s.payload.as_ref().map(|(bytes, _)| bytes.clone()));
                add(&mut arguments, s.payload.as_ref().map(|(_, key)| *key));
                add(&mut arguments, s.payload_bytes);
                add(&mut arguments, s.payload_attribute_count);
                add(&mut arguments, s.validation_count);
                add(&mut arguments, s.user_sort.clone());
                add(&mut arguments, s.app_sort.clone());
                add(&mut arguments, s.last_request_at);
            }
            sqlx::query_with(AssertSqlSafe(sql), arguments).execute(self.connection()).await?;
        }
        Ok(())
    }
}
