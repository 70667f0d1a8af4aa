//! The alarm detectors, run just after the write that can raise them (a session created, a sign-in refused at
//! the limit, an account locked), from the user's own rows; and listing and acknowledging alarms. A detector's
//! failure is logged and never fails the request that triggered it.

use app::alarms::{impossible_trip, AlarmKind, SignInPlace};
use app::model::SessionId;
use app::own_session::{MANY_ADDRESSES, WARNING_WINDOW_MS};

use super::events::{Audience, Event};
use super::{Engine, EngineError};
use crate::storage::{AlarmRow, AuditEvent, EarlierSignIn, NewAlarm, SignInFacts};

impl Engine {
    /// Judges a new session of a known user: IP spread, new country, impossible travel.
    pub(super) async fn detect_after_sign_in(&self, session_id: &SessionId) {
        if let Err(error) = self.judge_sign_in(session_id).await {
            tracing::error!("the sign-in alarm detectors failed for session {session_id}: {error}");
        }
    }

    async fn judge_sign_in(&self, session_id: &SessionId) -> Result<(), EngineError> {
        let Some(facts) = self.storage.sign_in_facts(session_id.as_str(), WARNING_WINDOW_MS).await? else {
            return Ok(());
        };
        let addresses = self.storage.active_addresses(facts.user_id, 10).await?;
        if addresses.len() as i64 >= MANY_ADDRESSES {
            let detail =
                format!("active sessions from {} addresses: {}", addresses.len(), addresses.join(", "));
            self.raise(AlarmKind::IpSpread, Some(facts.user_id), &facts.email, &detail).await?;
        }
        if facts.new_country != 0 {
            let place = place_name(facts.city.as_deref(), facts.country.as_deref());
            let detail =
                format!("a sign-in from {place}, a country with no session of theirs in the 30 days before");
            self.raise(AlarmKind::NewCountry, Some(facts.user_id), &facts.email, &detail).await?;
        }
        if let Some(here) = here(&facts) {
            let earlier =
                self.storage.earlier_sign_in(facts.user_id, session_id.as_str(), facts.created_at).await?;
            if let Some(there) = earlier.map(there) {
                if let Some(trip) = impossible_trip(&there, &here) {
                    let detail = trip.describe(&there, &here);
                    self.raise(AlarmKind::ImpossibleTravel, Some(facts.user_id), &facts.email, &detail)
                        .await?;
                }
            }
        }
        Ok(())
    }

    /// A sign-in of `user_id` refused at the limit of `max` sessions, or (`evicted` > 0) one that signed out the
    /// oldest to make room.
    pub(super) async fn detect_session_limit(&self, user_id: i64, max: i64, evicted: i64) {
        let detail = if evicted > 0 {
            format!("a new sign-in at the limit of {max} sessions signed out the least recently active")
        } else {
            format!("a new sign-in was refused: already {max} active sessions")
        };
        let outcome = async {
            let email = self.storage.user_by_id(user_id).await?.map(|user| user.email);
            let subject = email.unwrap_or_else(|| format!("user #{user_id}"));
            self.raise(AlarmKind::SessionLimit, Some(user_id), &subject, &detail).await
        };
        if let Err(error) = outcome.await {
            tracing::error!("the session-limit alarm failed for user {user_id}: {error}");
        }
    }

    /// An account locked after `failures` wrong passwords in a row, under the email as typed.
    pub(super) async fn detect_lock_out(&self, email: &str, failures: i64, minutes: i64) {
        let outcome = async {
            let user_id = self.storage.user_by_email(email).await?.map(|user| user.id);
            let detail = format!("{failures} wrong passwords in a row; sign-in locked for {minutes} minutes");
            self.raise(AlarmKind::FailedSignIns, user_id, &email.trim().to_lowercase(), &detail).await
        };
        if let Err(error) = outcome.await {
            tracing::error!("the failed sign-ins alarm failed: {error}");
        }
    }

    async fn raise(
        &self,
        kind: AlarmKind,
        user_id: Option<i64>,
        subject: &str,
        detail: &str,
    ) -> Result<(), EngineError> {
        let alarm = NewAlarm { kind, user_id, subject, detail, now_ms: self.now_ms() };
        let raised = self.storage.raise_alarm(&alarm).await?;
        self.events.publish(Event::alarms());
        self.announce_alarm(raised, &alarm);
        Ok(())
    }

    /// Open alarms first, then acknowledged ones.
    pub async fn list_alarms(
        &self,
        open_only: bool,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<AlarmRow>, EngineError> {
        Ok(self.storage.list_alarms(open_only, limit, offset).await?)
    }

    /// (open, all).
    pub async fn count_alarms(&self) -> Result<(i64, i64), EngineError> {
        Ok(self.storage.count_alarms().await?)
    }

    /// Acknowledges an open alarm as `user_id`, audited. An unknown or already acknowledged alarm is refused.
    pub async fn acknowledge_alarm(
        &self,
        id: i64,
        user_id: i64,
        ip: Option<String>,
    ) -> Result<(), EngineError> {
        let alarm = self
            .storage
            .alarm_by_id(id)
            .await?
            .ok_or_else(|| EngineError::invalid("There is no such alarm."))?;
        let audit = AuditEvent {
            at_ms: self.now_ms(),
            actor: format!("user:{user_id}"),
            action: "alarm.acknowledged",
            target: Some(match alarm.user_id {
                Some(owner) => format!("user:{owner}"),
                None => format!("email:{}", alarm.subject),
            }),
            reason: Some(format!(
                "{}: {}",
                AlarmKind::parse(&alarm.kind).map_or("alarm", AlarmKind::label),
                alarm.detail
            )),
            ip,
        };
        if !self.storage.acknowledge_alarm(id, user_id, &audit).await? {
            return Err(EngineError::Refused("This alarm was already acknowledged.".into()));
        }
        self.events.publish(Event::alarms());
        Ok(())
    }
}

/// "Madrid, Spain", or what is known of it.
fn place_name(city: Option<&str>, country: Option<&str>) -> String {
    app::format::place(city, country).unwrap_or_else(|| "an unknown place".into())
}

fn here(facts: &SignInFacts) -> Option<SignInPlace> {
    Some(SignInPlace {
        at_ms: facts.created_at,
        latitude: facts.latitude?,
        longitude: facts.longitude?,
        name: place_name(facts.city.as_deref(), facts.country.as_deref()),
    })
}

fn there(earlier: EarlierSignIn) -> SignInPlace {
    SignInPlace {
        at_ms: earlier.created_at,
        latitude: earlier.latitude,
        longitude: earlier.longitude,
        name: place_name(earlier.city.as_deref(), earlier.country.as_deref()),
    }
}

impl Event {
    /// Alarms were raised or acknowledged: heard by those who see every session (the stream forwards it only
    /// to those who may open Alarms).
    pub fn alarms() -> Event {
        Event { topic: app::live::Topic::Alarms, audience: Audience::Users(Vec::new()) }
    }
}
