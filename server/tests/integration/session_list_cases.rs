//! The console's list: every sort, filter and search pages through exactly the matching sessions, in order,
//! with the right total; counts follow creates and ends. Run on both databases.

use app::model::SessionStatus;
use std::collections::{HashMap, HashSet};

use roster::storage::{
    AuditEvent, BulkSession, EndedBy, ListPage, ListQuery, SessionEnd, SessionRow, SortColumn, Storage,
    StorageError, SEARCH_COUNT_CAP,
};

use crate::support::{TestDb, START_MS};

pub const SORTS: [SortColumn; 6] = [
    SortColumn::User,
    SortColumn::App,
    SortColumn::Created,
    SortColumn::Expires,
    SortColumn::Status,
    SortColumn::LastActive,
];

/// Demo data: `sessions` sessions of synthetic users and apps, with history.
pub async fn seed(db: &TestDb, sessions: usize) {
    use base64::Engine as _;
    let key = base64::engine::general_purpose::STANDARD.encode([5u8; 32]);
    let keys = roster::payload_keys::PayloadKeys::from_configured(&key).unwrap();
    roster::demo::seed(&db.storage, &keys, sessions, START_MS).await.expect("demo data");
}

pub fn query<'a>(sort: SortColumn, descending: bool) -> ListQuery<'a> {
    ListQuery { status: None, app_slug: None, search: None, sort, descending, limit: 100, offset: 0 }
}

/// Every page of a query, in order, and the total the first page reported.
pub async fn all_pages(storage: &Storage, mut query: ListQuery<'_>) -> (Vec<SessionRow>, i64) {
    let mut rows = Vec::new();
    let first = storage.list_page(&query).await.expect("first page");
    let total = first.total;
    rows.extend(first.rows);
    while (rows.len() as i64) < total {
        query.offset = rows.len() as i64;
        let page = storage.list_page(&query).await.expect("next page");
        assert_eq!(page.total, total, "the total is the same on every page");
        assert!(!page.rows.is_empty(), "page at offset {} is empty before the total", query.offset);
        rows.extend(page.rows);
    }
    (rows, total)
}

/// The value a sort column orders by, as comparable text.
fn sort_key(row: &SessionRow, sort: SortColumn) -> String {
    match sort {
        SortColumn::User => row.user_email.clone().unwrap_or_default().to_lowercase(),
        SortColumn::App => row.app_slug.clone(),
        SortColumn::Created => format!("{:020}", row.created_at),
        SortColumn::Expires => format!("{:020}", row.expires_at.unwrap_or(i64::MAX)),
        SortColumn::Status => row.status.as_str().to_string(),
        SortColumn::LastActive => format!("{:020}", row.last_active_at),
    }
}

async fn everything(storage: &Storage) -> Vec<SessionRow> {
    let (rows, _) = all_pages(storage, query(SortColumn::Created, true)).await;
    rows
}

pub async fn every_sort_and_filter_pages_through_all_matches_in_order(db: &TestDb) {
    seed(db, 600).await;
    let all = everything(&db.storage).await;
    assert_eq!(all.len(), 600, "the unfiltered list holds every session");
    for sort in SORTS {
        for descending in [false, true] {
            for status in [None, Some("active"), Some("revoked")] {
                for app in [None, Some("my_meals")] {
                    let mut q = query(sort, descending);
                    q.status = status;
                    q.app_slug = app;
                    let (rows, total) = all_pages(&db.storage, q).await;
                    let expected = all
                        .iter()
                        .filter(|row| status.is_none_or(|s| row.status.as_str() == s))
                        .filter(|row| app.is_none_or(|a| row.app_slug == a))
                        .count();
                    let case = format!("{sort:?} desc={descending} status={status:?} app={app:?}");
                    assert_eq!(total as usize, expected, "{case}: total");
                    let ids: HashSet<&str> = rows.iter().map(|row| row.id.as_str()).collect();
                    assert_eq!(ids.len(), expected, "{case}: every match exactly once across the pages");
                    let keys: Vec<String> = rows.iter().map(|row| sort_key(row, sort)).collect();
                    let ordered =
                        keys.windows(2).all(|w| if descending { w[0] >= w[1] } else { w[0] <= w[1] });
                    assert!(ordered, "{case}: rows follow the sort across pages");
                }
            }
        }
    }
}

/// What a search term matches, said again in Rust to check the SQL.
fn matches(row: &SessionRow, term: &str, app_names: &HashMap<String, String>) -> bool {
    let term = term.to_lowercase();
    let long = term.chars().count() >= 3;
    let text_match = |text: &Option<String>| {
        text.as_ref().is_some_and(|text| {
            let text = text.to_lowercase();
            if long {
                text.contains(&term)
            } else {
                text.starts_with(&term)
            }
        })
    };
    let hex = term.chars().all(|c| c.is_ascii_hexdigit());
    let ip_like = term.chars().all(|c| c.is_ascii_hexdigit() || c == '.' || c == ':')
        && term.chars().any(|c| c.is_ascii_digit() || c == ':');
    text_match(&row.user_email)
        || text_match(&row.user_name)
        || (hex && term.len() >= 4 && row.id.as_str().starts_with(&term))
        || (ip_like && row.ip.as_ref().is_some_and(|ip| ip.starts_with(&term)))
        || row.app_slug.contains(&term)
        || app_names.get(&row.app_slug).is_some_and(|name| name.to_lowercase().contains(&term))
        || (long && row.status.as_str().starts_with(&term))
        || (long && row.kind == "guest" && "guest".starts_with(&term))
}

pub async fn search_matches_emails_names_ids_ips_apps_and_status(db: &TestDb) {
    seed(db, 600).await;
    let all = everything(&db.storage).await;
    let mut app_names = HashMap::new();
    for slug in ["console", "my_meals", "ledger", "fitlog", "travel_desk", "chat_hub"] {
        if let Some(app) = db.storage.app_by_slug(slug).await.unwrap() {
            app_names.insert(app.slug, app.name);
        }
    }
    let some_user = all.iter().find_map(|row| row.user_email.clone()).expect("an authenticated session");
    let middle: String = some_user.chars().skip(2).take(5).collect();
    let with_ip = all.iter().find_map(|row| row.ip.clone().filter(|ip| ip.contains('.'))).unwrap();
    let ip_prefix: String = with_ip.chars().take(with_ip.find('.').unwrap() + 1).collect();
    let id_prefix: String = all[17].id.as_str().chars().take(8).collect();
    let terms = [
        middle.as_str(),
        // A whole email: past 12 characters PostgreSQL asks its trigram index for the longest word alone.
        some_user.as_str(),
        &some_user[..2],
        ip_prefix.as_str(),
        id_prefix.as_str(),
        "revok",
        "Meals",
        "\"quoted\" OR x",
        "%' OR 1=1 --",
        "_",
        "zzzzzz",
    ];
    for term in terms {
        let expected: Vec<&SessionRow> = all.iter().filter(|row| matches(row, term, &app_names)).collect();
        let mut q = query(SortColumn::LastActive, true);
        q.search = Some(term);
        let (rows, total) = all_pages(&db.storage, q).await;
        assert_eq!(total as usize, expected.len(), "total for {term:?}");
        let found: HashSet<&str> = rows.iter().map(|row| row.id.as_str()).collect();
        let wanted: HashSet<&str> = expected.iter().map(|row| row.id.as_str()).collect();
        assert_eq!(found, wanted, "matches for {term:?}");
    }
    let mut exact = query(SortColumn::Created, true);
    exact.search = Some(&id_prefix);
    let page = db.storage.list_page(&exact).await.unwrap();
    assert_eq!(page.rows[0].id, all[17].id, "a session id prefix finds that session");
}

pub async fn a_broad_search_is_capped_and_still_sorted(db: &TestDb) {
    seed(db, SEARCH_COUNT_CAP as usize + 2_000).await;
    let mut q = query(SortColumn::User, false);
    q.search = Some("example");
    q.limit = 50;
    let page = db.storage.list_page(&q).await.unwrap();
    assert!(!page.total_is_exact, "more matches than the cap");
    assert_eq!(page.total, SEARCH_COUNT_CAP);
    assert_eq!(page.rows.len(), 50);
    let keys: Vec<String> = page.rows.iter().map(|row| sort_key(row, SortColumn::User)).collect();
    assert!(keys.windows(2).all(|w| w[0] <= w[1]), "sorted by user");
    for row in &page.rows {
        assert!(row.user_email.as_deref().unwrap_or_default().contains("example"), "{row:?}");
    }
}

/// The first rows of `sort` (descending) that `keep` accepts, read from the unsearched list.
async fn first_kept(
    storage: &Storage,
    sort: SortColumn,
    descending: bool,
    status: Option<&str>,
    count: usize,
    keep: impl Fn(&SessionRow) -> bool,
) -> Vec<String> {
    let mut q = query(sort, descending);
    q.status = status;
    let mut kept = Vec::new();
    while kept.len() < count {
        let page = storage.list_page(&q).await.unwrap();
        assert!(!page.rows.is_empty(), "ran out of sessions");
        q.offset += page.rows.len() as i64;
        kept.extend(page.rows.iter().filter(|row| keep(row)).map(|row| row.id.to_string()));
    }
    kept.truncate(count);
    kept
}

/// More users match than a query lists by id ("example" is in every email, a two-letter prefix in thousands):
/// the pages hold the same sessions, in the same order, as the list read without a search and filtered here.
pub async fn a_term_common_to_thousands_of_users_finds_the_same_sessions(db: &TestDb) {
    seed(db, 44_000).await;
    let prefix = "ma";
    let has_prefix = |row: &SessionRow| {
        row.user_email.as_deref().is_some_and(|email| email.starts_with(prefix))
            || row.user_name.as_deref().is_some_and(|name| name.to_lowercase().starts_with(prefix))
    };
    let in_email =
        |row: &SessionRow| row.user_email.as_deref().is_some_and(|email| email.contains("example"));
    type Case<'a> = (&'a str, SortColumn, bool, Option<&'a str>, &'a dyn Fn(&SessionRow) -> bool);
    // Sorted by user, "example"'s users are walked in email order, and the prefix's few (a tenth or fewer of
    // them) are gathered and sorted by email first.
    let cases: [Case; 6] = [
        ("example", SortColumn::Created, true, None, &in_email),
        ("example", SortColumn::User, false, None, &in_email),
        ("example", SortColumn::LastActive, true, Some("revoked"), &in_email),
        (prefix, SortColumn::User, false, Some("revoked"), &has_prefix),
        (prefix, SortColumn::User, true, None, &has_prefix),
        (prefix, SortColumn::Expires, false, Some("active"), &has_prefix),
    ];
    for (term, sort, descending, status, keep) in cases {
        let mut q = query(sort, descending);
        q.search = Some(term);
        q.status = status;
        q.limit = 40;
        q.offset = 40;
        let page = db.storage.list_page(&q).await.unwrap();
        let found: Vec<String> = page.rows.iter().map(|row| row.id.to_string()).collect();
        let expected = first_kept(&db.storage, sort, descending, status, 80, keep).await;
        assert_eq!(
            found,
            expected[40..],
            "{term:?} {sort:?} desc={descending} status={status:?}: the second page"
        );
    }
    // Under a narrow filter the matches are few enough to gather (about 1,200): the first of them are shown, as
    // many as a search shows.
    let mut q = query(SortColumn::Created, true);
    q.search = Some("example");
    q.status = Some("revoked");
    q.app_slug = Some("my_meals");
    let (rows, total) = all_pages(&db.storage, q).await;
    let mut unsearched = query(SortColumn::Created, true);
    unsearched.status = Some("revoked");
    unsearched.app_slug = Some("my_meals");
    let (all, _) = all_pages(&db.storage, unsearched).await;
    let expected: Vec<&str> = all.iter().filter(|row| in_email(row)).map(|row| row.id.as_str()).collect();
    let shown = expected.len().min(SEARCH_COUNT_CAP as usize);
    assert!(!expected.is_empty());
    assert_eq!(total as usize, shown);
    assert_eq!(rows.iter().map(|row| row.id.as_str()).collect::<Vec<_>>(), expected[..shown]);
}

pub async fn counts_follow_creates_and_kill_all_keeps_one(db: &TestDb) {
    seed(db, 300).await;
    let all = everything(&db.storage).await;
    let active = all.iter().filter(|row| row.status == SessionStatus::Active).count() as i64;
    assert_eq!(db.storage.count_active_sessions().await.unwrap(), active);
    let keep = all.iter().find(|row| row.status == SessionStatus::Active).unwrap();
    let end = SessionEnd {
        status: SessionStatus::Revoked,
        ended_by_token_id: None,
        ended_by: EndedBy::User,
        ended_by_user_id: None,
        reason: "Kill All from the console",
        cause: app::end_cause::EndCause::EndedByAdmin,
        share_reason: false,
        now_ms: START_MS + 1,
    };
    let audit = AuditEvent {
        at_ms: START_MS + 1,
        actor: "user:1".into(),
        action: "sessions.kill_all",
        target: None,
        reason: None,
        ip: None,
    };
    let ended =
        db.storage.end_all_active_sessions(Some(&keep.token_hash), START_MS + 1, &end, &audit).await.unwrap();
    assert_eq!(ended as i64, active - 1, "every active session but the kept one");
    assert_eq!(db.storage.count_active_sessions().await.unwrap(), 1);
    let mut revoked = query(SortColumn::Created, true);
    revoked.status = Some("revoked");
    let expected_revoked =
        all.iter().filter(|row| row.status == SessionStatus::Revoked).count() as i64 + active - 1;
    assert_eq!(db.storage.list_page(&revoked).await.unwrap().total, expected_revoked);
    let kept = db.storage.session_by_id(&keep.id).await.unwrap().unwrap();
    assert_eq!(kept.status, SessionStatus::Active);
    assert!(db.storage.verify_audit_chain().await.unwrap().is_ok());
}

pub async fn every_page_is_reachable_and_a_search_past_its_cap_stops_at_its_window(db: &TestDb) {
    seed(db, 20_300).await;
    let total = db.storage.list_page(&query(SortColumn::Created, true)).await.unwrap().total;
    assert!(total >= 20_300);
    // Deep in the second half, read backwards from the end; the same rows read forwards from the start.
    let mut from_end = query(SortColumn::Created, true);
    from_end.offset = total / 2 + 1;
    let mut from_start = query(SortColumn::Created, false);
    from_start.offset = total - from_end.offset - from_end.limit;
    let ids = |page: ListPage| page.rows.into_iter().map(|row| row.id.into_string()).collect::<Vec<_>>();
    let mut deep = ids(db.storage.list_page(&from_end).await.unwrap());
    let forwards = ids(db.storage.list_page(&from_start).await.unwrap());
    assert_eq!(deep.len(), 100, "a page in the middle of the list");
    deep.reverse();
    assert_eq!(deep, forwards, "the middle page is the same rows from either end");

    for sort in [SortColumn::User, SortColumn::Created] {
        let mut q = query(sort, false);
        q.search = Some("example");
        q.limit = 50;
        q.offset = SEARCH_COUNT_CAP - 50;
        let last = db.storage.list_page(&q).await.unwrap();
        assert!(!last.total_is_exact);
        let matching =
            |row: &SessionRow| row.user_email.as_deref().is_some_and(|email| email.contains("example"));
        let expected = first_kept(&db.storage, sort, false, None, SEARCH_COUNT_CAP as usize, matching).await;
        assert_eq!(
            last.rows.iter().map(|row| row.id.as_str()).collect::<Vec<_>>(),
            expected[expected.len() - 50..],
            "{sort:?}: the last page a capped search shows holds the last 50 matches it shows"
        );
        q.offset = SEARCH_COUNT_CAP;
        assert!(
            matches!(db.storage.list_page(&q).await, Err(StorageError::SearchTooDeep(cap)) if cap == SEARCH_COUNT_CAP),
            "{sort:?}: past the matches a capped search shows"
        );
    }
}

/// Pages past `RANKED_FROM_OFFSET` (1,000) start where the kept per-stretch counts place them; each must be the
/// same rows as the same stretch of the whole list read in one page from the top.
async fn deep_pages_match_the_whole_list(storage: &Storage, when: &str) {
    for sort in SORTS {
        for descending in [false, true] {
            for (status, app) in [(None, None), (Some("active"), None), (None, Some("my_meals"))] {
                let mut whole = query(sort, descending);
                whole.status = status;
                whole.app_slug = app;
                whole.limit = 100_000;
                let everything = storage.list_page(&whole).await.unwrap();
                let ids: Vec<&str> = everything.rows.iter().map(|row| row.id.as_str()).collect();
                let total = ids.len() as i64;
                assert_eq!(total, everything.total);
                let case = format!("{when}: {sort:?} desc={descending} status={status:?} app={app:?}");
                // Deep from the top, deep from the end (past the middle), and the very last rows.
                for offset in [1_000, 1_237, total / 2 - 3, total / 2 + 11, total - 1_040, total - 20] {
                    if offset < 0 || offset >= total {
                        continue;
                    }
                    let mut page = whole.clone();
                    page.offset = offset;
                    page.limit = 37;
                    let rows = storage.list_page(&page).await.unwrap().rows;
                    let end = (offset + 37).min(total) as usize;
                    assert_eq!(
                        rows.iter().map(|row| row.id.as_str()).collect::<Vec<_>>(),
                        ids[offset as usize..end],
                        "{case}: the page at offset {offset}"
                    );
                }
            }
        }
    }
}

pub async fn deep_pages_start_where_the_kept_counts_place_them(db: &TestDb) {
    seed(db, 4_000).await;
    deep_pages_match_the_whole_list(&db.storage, "after the demo's load").await;

    // The counts follow what moves rows between stretches and statuses: activity and revocation.
    let all = everything(&db.storage).await;
    let active: Vec<&SessionRow> = all.iter().filter(|row| row.status == SessionStatus::Active).collect();
    assert!(active.len() > 1_500, "enough active sessions to page deep among them: {}", active.len());
    for row in active.iter().step_by(3) {
        db.storage.touch_session(&row.token_hash, START_MS + 90_000, 0).await.unwrap();
    }
    let end = SessionEnd {
        status: SessionStatus::Revoked,
        ended_by_token_id: None,
        ended_by: EndedBy::User,
        ended_by_user_id: None,
        reason: "test",
        cause: app::end_cause::EndCause::EndedByAdmin,
        share_reason: false,
        now_ms: START_MS + 100_000,
    };
    let audit = AuditEvent {
        at_ms: START_MS + 100_000,
        actor: "user:1".into(),
        action: "session.revoked",
        target: None,
        reason: None,
        ip: None,
    };
    for row in active.iter().skip(1).step_by(4) {
        db.storage.end_session(&row.id, &end, &audit).await.unwrap();
    }
    db.storage.drop_empty_rank_counts().await.unwrap();
    deep_pages_match_the_whole_list(&db.storage, "after activity and revocations").await;
}

/// An active session of `user_id` (email `email`) in `app` (id, slug), created at `created_at`.
fn bulk_session(app: &(i64, String), user_id: i64, email: &str, created_at: i64) -> BulkSession {
    BulkSession {
        user_id: Some(user_id),
        created_at,
        last_active_at: created_at,
        user_sort: email.to_string(),
        ..crate::support::bare_bulk_session(app.0, &app.1)
    }
}

/// A term whose users are more than can be listed but a tenth of all users or fewer, holding more sessions than a
/// search gathers. Sorted by user, its users are gathered and sorted by email (a prefix on both databases; a
/// substring on PostgreSQL from 500 rows in); sorted otherwise, the sort index is walked, testing each row's user
/// near the top and a gathered set of the users deeper. Every page, to the last a capped search shows, holds what
/// a walk of the whole list would.
pub async fn a_few_thousand_users_among_many_are_paged_in_every_order(db: &TestDb) {
    seed(db, 20).await;
    let app = db.storage.app_by_slug("my_meals").await.unwrap().unwrap();
    let app = (app.id, app.slug);
    // 22,000 users, every tenth named Zed: 2,200 matching users with five sessions each, more than are gathered.
    let users: Vec<(String, String, &'static str)> = (0..22_000)
        .map(|n| {
            let name = if n % 10 == 0 { format!("Zed {n}") } else { format!("Amy {n}") };
            (format!("user{:05}@example.com", (n * 7_919) % 22_000), name, "member")
        })
        .collect();
    let mut load = db.storage.begin_bulk_load(12_000).await.unwrap();
    let ids = load.insert_users(&users, START_MS).await.unwrap();
    let mut sessions = Vec::new();
    for (n, (email, id)) in ids.iter().enumerate() {
        let count = if n % 10 == 0 { 5 } else { usize::from(n % 20 == 1) };
        for k in 0..count {
            sessions.push(bulk_session(&app, *id, &email.to_lowercase(), START_MS - (n * 5 + k) as i64));
        }
    }
    load.insert_sessions(&sessions).await.unwrap();
    load.finish().await.unwrap();

    let is_zed = |row: &SessionRow| row.user_name.as_deref().is_some_and(|name| name.starts_with("Zed"));
    let sorts = [
        SortColumn::User,
        SortColumn::Created,
        SortColumn::LastActive,
        SortColumn::Expires,
        SortColumn::Status,
    ];
    for (term, sort, descending) in ["ze", "zed"]
        .into_iter()
        .flat_map(|term| sorts.into_iter().map(move |sort| (term, sort)))
        .flat_map(|(term, sort)| [false, true].map(|descending| (term, sort, descending)))
    {
        let expected =
            first_kept(&db.storage, sort, descending, None, SEARCH_COUNT_CAP as usize, is_zed).await;
        for offset in [0, 40, 600, SEARCH_COUNT_CAP - 50] {
            let mut q = query(sort, descending);
            q.search = Some(term);
            q.limit = 50;
            q.offset = offset;
            let page = db.storage.list_page(&q).await.unwrap();
            assert!(!page.total_is_exact, "{term:?}: more matches than the cap");
            assert_eq!(
                page.rows.iter().map(|row| row.id.as_str()).collect::<Vec<_>>(),
                expected[offset as usize..offset as usize + 50],
                "{term:?} {sort:?} desc={descending}: the page at offset {offset}"
            );
        }
    }
}
