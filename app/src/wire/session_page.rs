//! The Sessions page's reply in the compact form of [`crate::wire`]: the page the console admins live on loads
//! before it is interactive, and its reply's derived deserializer was the largest piece of it.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{read_from, Garbled, Reader, Writer};
use crate::model::{Role, SessionPage, SessionStatus, SessionUser, SessionView};
use crate::session_query::SessionQuery;

impl Serialize for SessionPage {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut w = Writer::default();
        write_query(&mut w, &self.query);
        w.list(&self.rows, write_row);
        w.number(self.total);
        w.flag(self.total_is_exact);
        w.number(self.active_count);
        w.list(&self.apps, |w, app| w.text(app));
        w.number(self.now_ms);
        w.flag(self.can_revoke);
        w.finish(serializer)
    }
}

impl<'de> Deserialize<'de> for SessionPage {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<SessionPage, D::Error> {
        read_from(deserializer, "the sessions page arrived garbled", |r| {
            Ok(SessionPage {
                query: read_query(r)?,
                rows: r.list(read_row)?,
                total: r.number()?,
                total_is_exact: r.flag()?,
                active_count: r.number()?,
                apps: r.list(Reader::text)?,
                now_ms: r.number()?,
                can_revoke: r.flag()?,
            })
        })
    }
}

/// The query as the URL's names and values: the page reads it back as it reads its own URL.
fn write_query(w: &mut Writer, query: &SessionQuery) {
    let page = query.page.to_string();
    let size = query.size.to_string();
    let params = [
        ("q", query.q.as_str()),
        ("status", query.status.as_str()),
        ("app", query.app.as_str()),
        ("sort", query.sort.as_str()),
        ("dir", query.dir.as_str()),
        ("page", &page),
        ("size", &size),
    ];
    w.list(&params, |w, (name, value)| {
        w.text(name);
        w.text(value);
    });
}

fn read_query(r: &mut Reader<'_>) -> Result<SessionQuery, Garbled> {
    let params = r.list(|r| Ok((r.text()?, r.text()?)))?;
    Ok(SessionQuery::from_params(|name| {
        params.iter().find(|(key, _)| key == name).map(|(_, value)| value.clone())
    }))
}

fn write_row(w: &mut Writer, row: &SessionView) {
    w.text(&row.id);
    w.optional(row.user.as_ref(), |w, user| {
        w.text(&user.email);
        w.text(&user.name);
        w.text(user.role.as_str());
    });
    w.text(&row.app_id);
    for text in [&row.device, &row.ip, &row.location] {
        w.optional(text.as_deref(), Writer::text);
    }
    w.text(row.status.as_str());
    w.text(&row.kind);
    w.number(row.created_at_ms);
    w.number(row.last_active_at_ms);
    w.optional(row.expires_at_ms, Writer::number);
    w.number(row.attribute_count);
    w.flag(row.is_current);
}

fn read_row(r: &mut Reader<'_>) -> Result<SessionView, Garbled> {
    Ok(SessionView {
        id: r.text()?,
        user: r.optional(|r| {
            Ok(SessionUser {
                email: r.text()?,
                name: r.text()?,
                role: Role::parse(&r.text()?).ok_or(Garbled)?,
            })
        })?,
        app_id: r.text()?,
        device: r.optional(Reader::text)?,
        ip: r.optional(Reader::text)?,
        location: r.optional(Reader::text)?,
        status: SessionStatus::parse(&r.text()?).ok_or(Garbled)?,
        kind: r.text()?,
        created_at_ms: r.number()?,
        last_active_at_ms: r.number()?,
        expires_at_ms: r.optional(Reader::number)?,
        attribute_count: r.number()?,
        is_current: r.flag()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session_query::{Direction, SortKey, StatusFilter};

    fn row(id: &str, user: Option<SessionUser>) -> SessionView {
        SessionView {
            id: id.to_string(),
            user,
            app_id: "web-shop".to_string(),
            device: Some("Firefox 128 on Linux".to_string()),
            ip: None,
            location: Some("São Paulo, Brazil".to_string()),
            status: SessionStatus::Revoked,
            kind: "authenticated".to_string(),
            created_at_ms: 1_700_000_000_000,
            last_active_at_ms: -5,
            expires_at_ms: None,
            attribute_count: 3,
            is_current: true,
        }
    }

    fn page() -> SessionPage {
        let user = SessionUser {
            email: "zoë+test@example.com".to_string(),
            name: "Zoë \"Z\" O'Neil: 12;~".to_string(),
            role: Role::BillingManager,
        };
        SessionPage {
            query: SessionQuery {
                q: "a&b=c %20 ü".to_string(),
                status: StatusFilter::Expired,
                app: "web-shop".to_string(),
                sort: SortKey::LastActive,
                dir: Direction::Asc,
                page: 7,
                size: 100,
            },
            rows: vec![
                row("0123456789abcdef0123456789abcdef", Some(user)),
                row("f".repeat(32).as_str(), None),
            ],
            total: 123_456,
            total_is_exact: false,
            active_count: 99,
            apps: vec!["web-shop".to_string(), String::new(), "🦀".to_string()],
            now_ms: 1_700_000_123_456,
            can_revoke: false,
        }
    }

    #[test]
    fn a_page_reads_back_equal_through_json() {
        let page = page();
        let json = serde_json::to_string(&page).unwrap();
        assert!(json.starts_with('"'), "one JSON string: {json}");
        assert_eq!(serde_json::from_str::<SessionPage>(&json).unwrap(), page);
        let empty = SessionPage { rows: vec![], apps: vec![], query: SessionQuery::default(), ..page };
        let json = serde_json::to_string(&empty).unwrap();
        assert_eq!(serde_json::from_str::<SessionPage>(&json).unwrap(), empty);
    }

    #[test]
    fn a_garbled_page_is_a_readable_error() {
        let json = serde_json::to_string(&page()).unwrap();
        let cut = format!("{}\"", &json[..json.len() / 2]);
        let error = serde_json::from_str::<SessionPage>(&cut).unwrap_err();
        assert!(error.to_string().contains("the sessions page arrived garbled"), "{error}");
        let unknown_status = json.replace("7:revoked", "7:deleted");
        assert!(serde_json::from_str::<SessionPage>(&unknown_status).is_err());
        assert!(serde_json::from_str::<SessionPage>("{\"rows\":[]}").is_err());
    }
}
