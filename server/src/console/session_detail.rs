//! One session in the console: its detail, its payload revealed (audited first), and a new expiry.

use app::model::SessionId;
use time::macros::format_description;
use time::PrimitiveDateTime;

use async_trait::async_trait;

use app::backend::{ClientInfo, SessionDetailBackend};
use app::format::utc_minutes;
use app::model::{CurrentUser, SessionStatus};
use app::session_detail::{RevealedPayload, SessionDetail, TtlChange};
use app::ConsoleError;

use super::labels::session_user;
use super::{internal, Console};
use crate::engine::Engine;
use crate::storage::{AuditEvent, EndedBy, SessionRow, CONSOLE_APP};

async fn find(engine: &Engine, session_id: &SessionId) -> Result<SessionRow, ConsoleError> {
    engine
        .session_by_id(session_id)
        .await?
        .ok_or_else(|| ConsoleError::invalid("There is no session with that id."))
}

/// Who ended a session, as a person reads it.
async fn ended_by_label(engine: &Engine, row: &SessionRow) -> Result<Option<String>, ConsoleError> {
    let Some(ended_by) = row.ended_by else {
        return Ok(None);
    };
    Ok(Some(match ended_by {
        EndedBy::User => match row.ended_by_user_id {
            Some(id) => match engine.user_by_id(id).await? {
                Some(user) => format!("{} ({})", user.display_name, user.email),
                None => format!("a deleted user (#{id})"),
            },
            None => "a console user".into(),
        },
        EndedBy::Holder => "the session's holder".into(),
        EndedBy::System => "Roster (expiry)".into(),
        EndedBy::AdminToken => "an admin API token".into(),
    }))
}

/// The latest expiry the policy allows for `row` if it were set at `now_ms`.
async fn latest_expiry_ms(engine: &Engine, row: &SessionRow, now_ms: i64) -> Result<i64, ConsoleError> {
    let policy = engine.policy().await?;
    Ok(now_ms + policy.lifetime_secs(row.remember_me != 0) * 1000)
}

/// `YYYY-MM-DDTHH:MM` or `YYYY-MM-DDTHH:MM:SS`, in UTC, as Unix milliseconds.
fn parse_utc(text: &str) -> Option<i64> {
    let minutes = format_description!("[year]-[month]-[day]T[hour]:[minute]");
    let seconds = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    let text = text.trim();
    let parsed = PrimitiveDateTime::parse(text, &minutes)
        .or_else(|_| PrimitiveDateTime::parse(text, &seconds))
        .ok()?;
    i64::try_from(parsed.assume_utc().unix_timestamp_nanos() / 1_000_000).ok()
}

/// The new expiry a change asks for, checked against the clock and the policy.
fn new_expiry(
    change: &TtlChange,
    now_ms: i64,
    latest_ms: i64,
    is_console: bool,
) -> Result<Option<i64>, ConsoleError> {
    let at_ms = match change {
        // A console session opens the console itself: it always keeps a time limit.
        TtlChange::Unlimited if is_console => {
            return Err(ConsoleError::invalid(
                "A console session always has an expiry. Choose a date and time or a duration.",
            ))
        }
        TtlChange::Unlimited => return Ok(None),
        TtlChange::At { utc } => parse_utc(utc).ok_or_else(|| {
            ConsoleError::invalid("Give the new expiry as a date and time, YYYY-MM-DDTHH:MM (UTC).")
        })?,
        TtlChange::Seconds { seconds } if *seconds <= 0 => {
            return Err(ConsoleError::invalid("A duration must be longer than zero."))
        }
        TtlChange::Seconds { seconds } => now_ms.saturating_add(seconds.saturating_mul(1000)),
    };
    if at_ms <= now_ms {
        return Err(ConsoleError::invalid("That time has already passed. Choose a time in the future."));
    }
    if at_ms > latest_ms {
        return Err(ConsoleError::invalid(format!(
            "The session policy allows an expiry up to {}. Choose that or earlier, or Unlimited.",
            utc_minutes(Some(latest_ms))
        )));
    }
    Ok(Some(at_ms))
}

#[async_trait]
impl SessionDetailBackend for Console {
    async fn session_detail(
        &self,
        user: &CurrentUser,
        session_id: &SessionId,
    ) -> Result<SessionDetail, ConsoleError> {
        let engine = &self.engine;
        let row = find(engine, session_id).await?;
        let now_ms = engine.now_ms();
        let ended_by = ended_by_label(engine, &row).await?;
        Ok(SessionDetail {
            user: session_user(&row),
            revoked_by: ended_by.clone().filter(|_| row.status == SessionStatus::Revoked),
            ended_by,
            latest_expiry_ms: latest_expiry_ms(engine, &row, now_ms).await?,
            can_manage: user.role.ends_any_session(),
            now_ms,
            id: row.id.into_string(),
            app_id: row.app_slug,
            app_name: row.app_name,
            user_external_id: row.user_external_id,
            status: row.status,
            kind: row.kind,
            created_at_ms: row.created_at,
            updated_at_ms: row.updated_at,
            last_active_at_ms: row.last_active_at,
            expires_at_ms: row.expires_at,
            idle_timeout_secs: row.idle_timeout_secs,
            remember_me: row.remember_me != 0,
            ended_at_ms: row.ended_at,
            end_reason: row.end_reason,
            browser: row.browser,
            browser_version: row.browser_version,
            os: row.os,
            os_version: row.os_version,
            device_type: row.device,
            ip: row.ip,
            city: row.city,
            country: row.country,
            requests: row.validation_count,
            last_request_at_ms: row.last_request_at,
            attribute_count: row.payload_attribute_count,
            payload_bytes: row.payload_bytes,
            max_payload_bytes: row.app_max_payload_bytes,
            payload_key_id: row.payload_key_id,
        })
    }

    async fn reveal_payload(
        &self,
        user: &CurrentUser,
        session_id: &SessionId,
        client: &ClientInfo,
    ) -> Result<RevealedPayload, ConsoleError> {
        let engine = &self.engine;
        let row = find(engine, session_id).await?;
        let event = AuditEvent {
            at_ms: engine.now_ms(),
            actor: format!("user:{}", user.id),
            action: "session.payload_revealed",
            target: Some(format!("session:{session_id}")),
            reason: Some(format!("{} properties", row.payload_attribute_count)),
            ip: client.ip.clone(),
        };
        engine.record_audit(&event).await?;
        let payload = engine.open_payload(&row).await?;
        let json = serde_json::to_string_pretty(&payload).map_err(internal)?;
        Ok(RevealedPayload { attribute_count: payload.len() as i64, json })
    }

    async fn update_ttl(
        &self,
        user: &CurrentUser,
        session_id: &SessionId,
        change: &TtlChange,
        client: &ClientInfo,
    ) -> Result<Option<i64>, ConsoleError> {
        let engine = &self.engine;
        let row = find(engine, session_id).await?;
        if row.status != SessionStatus::Active {
            return Err(ConsoleError::invalid(format!(
                "Only an active session's expiry can change; this one has {}.",
                row.status.as_str()
            )));
        }
        let now_ms = engine.now_ms();
        let latest_ms = latest_expiry_ms(engine, &row, now_ms).await?;
        let expires_at_ms = new_expiry(change, now_ms, latest_ms, row.app_slug == CONSOLE_APP)?;
        let event = AuditEvent {
            at_ms: now_ms,
            actor: format!("user:{}", user.id),
            action: "session.ttl_updated",
            target: Some(format!("session:{session_id}")),
            reason: Some(match expires_at_ms {
                Some(at_ms) => format!("expires {}", utc_minutes(Some(at_ms))),
                None => "unlimited".into(),
            }),
            ip: client.ip.clone(),
        };
        let changed = engine.set_session_expiry(session_id, expires_at_ms, &event).await?;
        if !changed {
            return Err(ConsoleError::invalid(
                "The session ended meanwhile; its expiry can no longer change.",
            ));
        }
        Ok(expires_at_ms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_790_000_000_000; // 2026-09-21 14:13:20 UTC
    const DAY: i64 = 86_400_000;

    #[test]
    fn utc_times_parse_with_or_without_seconds_and_nonsense_does_not() {
        assert_eq!(parse_utc("2026-09-21T14:13"), Some(NOW - 20_000));
        assert_eq!(parse_utc("2026-09-21T14:13:20"), Some(NOW));
        for bad in ["", "tomorrow", "2026-13-01T00:00", "2026-09-21 14:13", "'; DROP TABLE sessions; --"] {
            assert_eq!(parse_utc(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn a_new_expiry_must_lie_between_now_and_the_policy_limit() {
        let latest = NOW + DAY;
        let seconds = |seconds| TtlChange::Seconds { seconds };
        assert_eq!(new_expiry(&seconds(3600), NOW, latest, false), Ok(Some(NOW + 3_600_000)));
        assert_eq!(new_expiry(&TtlChange::Unlimited, NOW, latest, false), Ok(None));
        assert_eq!(
            new_expiry(&TtlChange::At { utc: "2026-09-22T14:13".into() }, NOW, latest, false),
            Ok(Some(NOW + DAY - 20_000))
        );
        let past =
            new_expiry(&TtlChange::At { utc: "2026-09-21T14:00".into() }, NOW, latest, false).unwrap_err();
        assert_eq!(past.to_string(), "That time has already passed. Choose a time in the future.");
        let beyond = new_expiry(&seconds(2 * 86_400), NOW, latest, false).unwrap_err();
        assert!(beyond.to_string().contains("allows an expiry up to 2026-09-22 14:13 UTC"), "{beyond}");
        assert!(new_expiry(&seconds(0), NOW, latest, false).is_err());
        assert!(new_expiry(&seconds(i64::MAX), NOW, latest, false).is_err(), "no overflow");
    }

    #[test]
    fn a_console_session_cannot_be_made_unlimited() {
        let latest = NOW + DAY;
        let refused = new_expiry(&TtlChange::Unlimited, NOW, latest, true).unwrap_err();
        assert!(refused.to_string().contains("always has an expiry"), "{refused}");
        let sooner = new_expiry(&TtlChange::Seconds { seconds: 600 }, NOW, latest, true);
        assert_eq!(sooner, Ok(Some(NOW + 600_000)), "a shorter limit is fine");
    }
}
