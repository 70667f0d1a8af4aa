//! The audit log page: records newest first with actors and targets by the names people know, and the check of
//! the whole chain, run in the background while the page shows its progress.

use std::sync::{Arc, Mutex};

use async_trait::async_trait;

use app::audit_log::{AuditEntry, AuditLogPage, AuditLogQuery, ChainCheck};
use app::backend::AuditLogBackend;
use app::ConsoleError;

use super::Console;
use crate::engine::Engine;
use crate::storage::{AuditQuery, AuditRecord};

/// The latest check of the chain, shared by every request (one check runs at a time).
pub type ChainCheckState = Arc<Mutex<ChainCheck>>;

#[async_trait]
impl AuditLogBackend for Console {
    async fn audit_page(&self, query: &AuditLogQuery) -> Result<AuditLogPage, ConsoleError> {
        let search = query.search();
        let page = self
            .engine
            .list_audit(&AuditQuery {
                search: search.as_deref(),
                action: query.action.as_deref(),
                limit: i64::from(query.size),
                offset: query.offset(),
            })
            .await?;
        let emails = self.engine.user_emails(&named_users(&page.rows)).await?;
        let email_of =
            |id: i64| emails.iter().find(|(known, _)| *known == id).map(|(_, email)| email.as_str());
        Ok(AuditLogPage {
            query: query.clone(),
            rows: page.rows.into_iter().map(|record| entry(record, &email_of)).collect(),
            total: page.total,
            total_is_exact: page.total_is_exact,
            now_ms: self.engine.now_ms(),
        })
    }

    async fn start_chain_check(&self) -> Result<ChainCheck, ConsoleError> {
        {
            let mut state = self.chain_check.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            if state.is_running() {
                return Ok(state.clone());
            }
            *state = ChainCheck::Running { checked: 0, total: 0 };
        }
        let total = self.engine.last_audit_seq().await?;
        set(&self.chain_check, ChainCheck::Running { checked: 0, total });
        tokio::spawn(check_chain(self.engine.clone(), self.chain_check.clone(), total));
        Ok(ChainCheck::Running { checked: 0, total })
    }

    async fn chain_check(&self) -> Result<ChainCheck, ConsoleError> {
        Ok(self.chain_check.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).clone())
    }
}

fn set(state: &ChainCheckState, check: ChainCheck) {
    *state.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = check;
}

async fn check_chain(engine: Engine, state: ChainCheckState, total: i64) {
    let progress_state = state.clone();
    let mut progress = move |checked: i64| {
        set(&progress_state, ChainCheck::Running { checked, total: total.max(checked) });
    };
    let outcome = match engine.verify_audit(&mut progress).await {
        Ok(verdict) => verdict.into(),
        Err(error) => {
            tracing::error!("the audit chain check could not finish: {error}");
            ChainCheck::Broken { seq: 0, problem: "the check could not finish; see the server log".into() }
        }
    };
    set(&state, outcome);
}

/// The users `user:N` actors and targets name on this page.
fn named_users(rows: &[AuditRecord]) -> Vec<i64> {
    let mut ids: Vec<i64> = rows
        .iter()
        .flat_map(|row| [Some(row.actor.as_str()), row.target.as_deref()])
        .flatten()
        .filter_map(user_id)
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

fn user_id(text: &str) -> Option<i64> {
    text.strip_prefix("user:")?.parse().ok()
}

/// `user:12` as its email, `admin_token:3:ci` as `admin token ci`, `app:shop` as `app shop`, a failed sign-in's
/// `email:…` as the email typed.
fn display_name<'a>(text: &str, email_of: &impl Fn(i64) -> Option<&'a str>) -> String {
    if let Some(id) = user_id(text) {
        return email_of(id).map_or_else(|| format!("deleted user #{id}"), str::to_string);
    }
    if let Some(token) = text.strip_prefix("admin_token:") {
        let name = token.split_once(':').map_or(token, |(_, name)| name);
        return format!("admin token {name}");
    }
    if let Some(email) = text.strip_prefix("email:") {
        return email.to_string();
    }
    if let Some(app) = text.strip_prefix("app:") {
        return format!("app {app}");
    }
    if let Some(session) = text.strip_prefix("session:") {
        return format!("session {session}");
    }
    text.to_string()
}

fn entry<'a>(record: AuditRecord, email_of: &impl Fn(i64) -> Option<&'a str>) -> AuditEntry {
    AuditEntry {
        seq: record.seq,
        at_ms: record.at,
        actor: display_name(&record.actor, email_of),
        action: record.action,
        target: record.target.as_deref().map(|target| display_name(target, email_of)),
        reason: record.reason,
        ip: record.ip,
    }
}

#[cfg(test)]
mod tests {
    use super::display_name;

    #[test]
    fn actors_and_targets_read_as_names() {
        let email_of = |id: i64| (id == 12).then_some("ada@example.com");
        assert_eq!(display_name("user:12", &email_of), "ada@example.com");
        assert_eq!(display_name("user:13", &email_of), "deleted user #13");
        assert_eq!(display_name("admin_token:3:ci", &email_of), "admin token ci");
        assert_eq!(display_name("email:who@example.com", &email_of), "who@example.com");
        assert_eq!(display_name("system", &email_of), "system");
    }
}
