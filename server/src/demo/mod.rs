//! `roster demo --sessions N`: realistic synthetic users, apps, devices, addresses, locations, payloads and
//! history, written with bulk inserts so a million sessions take well under two minutes.

use secrecy::ExposeSecret;
use std::collections::HashMap;

use rand::seq::IndexedRandom;
use rand::{Rng, RngCore};

use crate::device::parse_user_agent;
use crate::operator::{register_app, OperatorError};
use crate::payload_keys::PayloadKeys;
use crate::secrets::{new_session_id, sha256};
use crate::storage::{deadline, AuditEvent, BulkSession, EndedBy, Storage, CONSOLE_APP};

mod data;

use app::end_cause::EndCause;
use data::{APPS, DOMAINS, FIRST_NAMES, LAST_NAMES, PAYLOAD_KEYS, PLACES, REVOKE_REASONS, USER_AGENTS};

const DAY_MS: i64 = 24 * 60 * 60 * 1000;
const MINUTE_MS: i64 = 60 * 1000;

pub struct DemoReport {
    pub users: usize,
    pub sessions: usize,
    pub api_keys: Vec<(String, String)>,
}

fn public_ipv4(rng: &mut impl Rng) -> String {
    loop {
        let octets: [u8; 4] = rng.random();
        let ip = std::net::Ipv4Addr::from(octets);
        if !(ip.is_private()
            || ip.is_loopback()
            || ip.is_link_local()
            || ip.is_multicast()
            || octets[0] == 0
            || octets[0] >= 224)
        {
            return ip.to_string();
        }
    }
}

fn payload(rng: &mut impl Rng) -> serde_json::Map<String, serde_json::Value> {
    let count = rng.random_range(0..=20);
    let mut map = serde_json::Map::new();
    for key in PAYLOAD_KEYS.choose_multiple(rng, count) {
        let value = match rng.random_range(0..3) {
            0 => serde_json::Value::from(rng.random_range(0..1000)),
            1 => serde_json::Value::from(
                *["dark", "light", "en-GB", "de-DE", "pro", "free", "EUR", "USD"].choose(rng).unwrap_or(&"x"),
            ),
            _ => serde_json::Value::from(rng.random_bool(0.5)),
        };
        map.insert((*key).to_string(), value);
    }
    map
}

/// Registers the demo apps that are missing; returns their ids and any new API keys (shown once).
async fn demo_apps(
    storage: &Storage,
    keys: &PayloadKeys,
) -> Result<(Vec<(i64, String)>, Vec<(String, String)>), OperatorError> {
    let engine = crate::engine::Engine::new(
        storage.clone(),
        keys.clone(),
        None,
        std::sync::Arc::new(crate::clock::SystemClock),
    );
    let mut ids = Vec::new();
    let mut keys = Vec::new();
    for (slug, name, limit) in APPS {
        if storage.app_by_slug(slug).await?.is_none() {
            let key = register_app(&engine, slug, name, *limit).await?;
            keys.push((slug.to_string(), key.expose_secret().to_string()));
        }
        if let Some(app) = storage.app_by_slug(slug).await? {
            ids.push((app.id, app.slug));
        }
    }
    if let Some(console) = storage.app_by_slug(CONSOLE_APP).await? {
        ids.push((console.id, console.slug));
    }
    Ok((ids, keys))
}

pub async fn seed(
    storage: &Storage,
    keys: &PayloadKeys,
    sessions: usize,
    now_ms: i64,
) -> Result<DemoReport, OperatorError> {
    let mut rng = rand::rng();
    let (app_ids, api_keys) = demo_apps(storage, keys).await?;

    // A run tag keeps emails unique when the demo is seeded more than once.
    let run = format!("{:04x}", rng.next_u32() & 0xffff);
    // About ten sessions per user over time: a million sessions belong to 100,000 users.
    let user_count = (sessions / 10).clamp(20, 100_000);
    let users: Vec<(String, String, &'static str)> = (0..user_count)
        .map(|n| {
            let first = FIRST_NAMES[n % FIRST_NAMES.len()];
            let last = LAST_NAMES[(n / FIRST_NAMES.len()) % LAST_NAMES.len()];
            let domain = DOMAINS[n % DOMAINS.len()];
            let role = match n % 200 {
                0 => "admin",
                1 => "billing_manager",
                _ => "member",
            };
            let email = format!(
                "{}.{}.{run}{n}@{domain}",
                first.to_lowercase(),
                last.to_lowercase().replace('-', "")
            );
            (email, format!("{first} {last}"), role)
        })
        .collect();
    let mut load = storage.begin_bulk_load(sessions).await?;
    let user_ids: Vec<(i64, String)> = load
        .insert_users(&users, now_ms)
        .await?
        .into_iter()
        .map(|(email, id)| (id, email.to_lowercase()))
        .collect();

    let parsed: HashMap<&str, crate::device::Device> =
        USER_AGENTS.iter().map(|agent| (*agent, parse_user_agent(Some(agent)))).collect();
    let idle_secs = 60 * 60;
    let mut batch = Vec::with_capacity(10_000);
    for _ in 0..sessions {
        let id = new_session_id();
        let mut token = [0u8; 32];
        rng.fill_bytes(&mut token);
        let guest = rng.random_bool(0.1);
        let user = (!guest).then(|| user_ids.choose(&mut rng).unwrap_or(&user_ids[0]));
        let user_id = user.map(|(id, _)| *id);
        let (app_id, app_slug) = app_ids.choose(&mut rng).unwrap_or(&app_ids[0]);
        let agent =
            (!rng.random_bool(0.08)).then(|| *USER_AGENTS.choose(&mut rng).unwrap_or(&USER_AGENTS[0]));
        let device = agent.and_then(|agent| parsed.get(agent)).cloned().unwrap_or_default();
        let (ip, place) = match rng.random_range(0..100) {
            0..=54 => (
                Some(public_ipv4(&mut rng)),
                PLACES.choose(&mut rng).map(|(c, n, k)| (Some(*c), Some(*n), Some(*k))),
            ),
            55..=79 => {
                let segments: [u16; 6] = rng.random();
                let ip = format!(
                    "2a0{}:{:x}:{:x}:{:x}::{:x}:{:x}",
                    rng.random_range(1..9),
                    segments[0],
                    segments[1],
                    segments[2],
                    segments[3],
                    segments[4]
                );
                (Some(ip), PLACES.choose(&mut rng).map(|(c, n, k)| (Some(*c), Some(*n), Some(*k))))
            }
            80..=89 => (
                Some(format!(
                    "10.{}.{}.{}",
                    rng.random::<u8>(),
                    rng.random::<u8>(),
                    rng.random_range(1..255)
                )),
                Some((None, Some("Private network"), None)),
            ),
            _ => (None, None),
        };
        let (city, country, country_code) = place.unwrap_or((None, None, None));
        let remember_me = rng.random_bool(0.4);
        let durable = rng.random_bool(0.05);
        let roll = rng.random_range(0..100);
        let status = match roll {
            0..=59 => "active",
            60..=84 => "expired",
            _ => "revoked",
        };
        let lifetime = if remember_me { 30 * DAY_MS } else { DAY_MS };
        let mut session = BulkSession {
            id,
            token_hash: sha256(&token),
            app_id: *app_id,
            user_id,
            status,
            ip,
            user_agent: agent,
            browser: device.browser,
            browser_version: device.browser_version,
            os: device.os,
            os_version: device.os_version,
            device: device.device,
            city,
            country,
            country_code,
            created_at: 0,
            last_active_at: 0,
            expires_at: None,
            idle_timeout_secs: (!durable).then_some(idle_secs),
            deadline_at: None,
            remember_me,
            ended_at: None,
            ended_by: None,
            end_reason: None,
            end_cause: None,
            payload: None,
            payload_bytes: 0,
            payload_attribute_count: 0,
            validation_count: rng.random_range(0..5_000),
            last_request_at: None,
            user_sort: user.map(|(_, email)| email.clone()).unwrap_or_default(),
            app_sort: app_slug.clone(),
        };
        if status == "active" {
            // Active: used within the last 50 minutes and still inside its lifetime.
            let age = rng.random_range(MINUTE_MS..(if durable { 30 * DAY_MS } else { lifetime - MINUTE_MS }));
            session.created_at = now_ms - age;
            session.last_active_at = now_ms - rng.random_range(0..50 * MINUTE_MS).min(age);
            if !durable {
                let expires = session.created_at + lifetime;
                session.expires_at = Some(expires);
                session.deadline_at = deadline(Some(expires), Some(idle_secs), session.last_active_at);
            }
            let map = payload(&mut rng);
            if !map.is_empty() {
                let plaintext = serde_json::to_vec(&map).unwrap_or_default();
                let sealed = keys.seal(session.id.as_str(), &plaintext);
                session.payload_bytes = plaintext.len() as i64;
                session.payload_attribute_count = map.len() as i64;
                session.payload = Some((sealed.bytes, sealed.key_id));
            }
        } else {
            session.created_at = now_ms - rng.random_range(2 * DAY_MS..30 * DAY_MS);
            session.expires_at = (!durable).then_some(session.created_at + lifetime);
            session.last_active_at = session.created_at + rng.random_range(0..6 * 60 * MINUTE_MS);
            if status == "expired" {
                let idle_end = session.last_active_at + idle_secs * 1000;
                let ended = session.expires_at.map_or(idle_end, |expires| expires.min(idle_end));
                session.ended_at = Some(ended);
                session.ended_by = Some(EndedBy::System);
                let cause = if Some(ended) == session.expires_at {
                    EndCause::Lifetime
                } else {
                    EndCause::IdleTimeout
                };
                session.end_reason = Some(crate::storage::expiry_reason(cause));
                session.end_cause = Some(cause.as_str());
            } else {
                let (by, reason) = *REVOKE_REASONS.choose(&mut rng).unwrap_or(&REVOKE_REASONS[0]);
                session.ended_at = Some(session.last_active_at + rng.random_range(0..30 * MINUTE_MS));
                session.ended_by = Some(by);
                session.end_reason = Some(reason);
                let cause = if by == EndedBy::Holder { EndCause::SignedOut } else { EndCause::EndedByAdmin };
                session.end_cause = Some(cause.as_str());
            }
            session.deadline_at = session.ended_at;
        }
        session.last_request_at = Some(session.last_active_at);
        batch.push(session);
        if batch.len() == batch.capacity() {
            load.insert_sessions(&batch).await?;
            batch.clear();
        }
    }
    load.insert_sessions(&batch).await?;
    load.finish().await?;
    let audit = AuditEvent {
        at_ms: now_ms,
        actor: "operator".into(),
        action: "demo.seeded",
        target: None,
        reason: Some(format!("{user_count} users, {sessions} sessions")),
        ip: None,
    };
    storage.record_audit(&audit).await?;
    Ok(DemoReport { users: user_count, sessions, api_keys })
}
