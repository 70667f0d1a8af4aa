//! All integration tests in one binary (one link step). Storage cases run on SQLite and on PostgreSQL;
//! HTTP cases drive the real router with `oneshot`, no socket.

mod console_http;
mod storage_cases;
mod support;

/// Declares each storage case twice: `sqlite::case` and `postgres::case`. The test command skips the
/// `postgres::` half, saying so, when no PostgreSQL server answers.
macro_rules! on_both_databases {
    ($($case:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $case() {
                    let db = crate::support::TestDb::sqlite().await;
                    crate::storage_cases::$case(&db).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $case() {
                    let db = crate::support::TestDb::postgres().await;
                    crate::storage_cases::$case(&db).await;
                    db.drop_database().await;
                }
            )*
        }
    };
}

on_both_databases!(
    users_are_found_by_email_in_any_case_and_emails_are_unique,
    sql_metacharacters_are_stored_as_plain_text,
    failed_sign_ins_lock_after_the_limit_and_clear_on_success,
    a_console_session_is_found_by_its_token_hash_only,
    last_active_is_written_at_most_once_per_interval,
    ending_a_session_records_who_and_why_with_an_audit_event,
    a_users_own_sessions_exclude_ended_expired_and_other_users,
    the_audit_chain_verifies_and_reports_the_first_tampered_record,
    concurrent_audit_appends_keep_one_unbroken_chain,
);
