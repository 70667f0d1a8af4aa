//! Searches that PostgreSQL answers its own way, checked on both databases against the list they search:
//! - the start of an IP address, whose matches are sorted from the IP index (which carries every sort key) or
//!   walked on a sort index (which carries the IP);
//! - a long term, whose longest word alone is asked of the users' trigram index;
//! - a term with more matches than a search shows, but few enough to gather and sort them all.

use std::collections::HashMap;

use roster::storage::{
    HistoryQuery, HistoryRow, SessionRow, SortColumn, Storage, StorageError, SEARCH_COUNT_CAP,
};

use crate::session_list_cases::{all_pages, query, seed, SORTS};
use crate::support::{bare_bulk_session, TestDb, START_MS};

fn ids(rows: &[SessionRow]) -> Vec<&str> {
    rows.iter().map(|row| row.id.as_str()).collect()
}

pub async fn an_ip_prefix_is_paged_in_every_order(db: &TestDb) {
    seed(db, 600).await;
    let (all, _) = all_pages(&db.storage, query(SORTS[0], false)).await;
    // The commonest first part of an IPv4 address ("203."): matches enough to fill several pages.
    let mut first_parts: HashMap<String, usize> = HashMap::new();
    for ip in all.iter().filter_map(|row| row.ip.as_deref()) {
        if let Some((first, _)) = ip.split_once('.') {
            *first_parts.entry(format!("{first}.")).or_default() += 1;
        }
    }
    let (prefix, _) = first_parts.into_iter().max_by_key(|(_, count)| *count).expect("IPv4 addresses");
    assert!(
        all.iter().all(|row| !row.user_email.as_deref().unwrap_or_default().contains(&prefix)),
        "{prefix:?} matches IP addresses alone"
    );
    for sort in SORTS {
        for descending in [false, true] {
            for status in [None, Some("active")] {
                let mut unsearched = query(sort, descending);
                unsearched.status = status;
                let (rows, _) = all_pages(&db.storage, unsearched.clone()).await;
                let expected: Vec<&SessionRow> = rows
                    .iter()
                    .filter(|row| row.ip.as_deref().is_some_and(|ip| ip.starts_with(&prefix)))
                    .collect();
                assert!(expected.len() > 14, "{prefix:?} {status:?}: matches on several pages");
                let mut searched = unsearched;
                searched.search = Some(&prefix);
                // Pages of seven: the second half of the matches is read from its far end.
                searched.limit = 7;
                let (found, total) = all_pages(&db.storage, searched).await;
                let expected: Vec<&str> = expected.iter().map(|row| row.id.as_str()).collect();
                assert_eq!(
                    total as usize,
                    expected.len(),
                    "{prefix:?} {sort:?} desc={descending} {status:?}"
                );
                assert_eq!(
                    ids(&found),
                    expected,
                    "{prefix:?} {sort:?} desc={descending} {status:?}: the pages"
                );
            }
        }
    }
}

pub async fn a_long_term_matches_only_the_users_holding_all_of_it(db: &TestDb) {
    seed(db, 200).await;
    let app = db.storage.app_by_slug("my_meals").await.unwrap().unwrap();
    // Every word of the first email is in the others' ("example", the longest, is in every demo email too).
    let emails =
        ["grace.hopper.one@navy.example", "grace.hopper.two@navy.example", "hopper.grace.one@navy.example"];
    let users: Vec<(String, String, &'static str)> =
        emails.iter().map(|email| (email.to_string(), "Grace Hopper".to_string(), "member")).collect();
    let mut load = db.storage.begin_bulk_load(3).await.unwrap();
    let ids = load.insert_users(&users, START_MS).await.unwrap();
    let sessions: Vec<_> = ids
        .iter()
        .map(|(email, id)| roster::storage::BulkSession {
            user_id: Some(*id),
            user_sort: email.to_lowercase(),
            ..bare_bulk_session(app.id, &app.slug)
        })
        .collect();
    load.insert_sessions(&sessions).await.unwrap();
    load.finish().await.unwrap();

    for term in ["grace.hopper.one@navy.example", "Grace.Hopper.One@Navy.Example"] {
        let mut searched = query(SortColumn::Created, true);
        searched.search = Some(term);
        let (found, total) = all_pages(&db.storage, searched).await;
        assert_eq!(total, 1, "{term:?}: one user's one session");
        assert_eq!(found[0].user_email.as_deref(), Some(emails[0]), "{term:?}");
    }
}

/// "example" is in every demo email: 3,000 sessions hold more matches than a search shows (its first
/// `SEARCH_COUNT_CAP`), yet few enough to gather through the search's indexes rather than walk a sort index.
/// Every order shows the same first matches as the unsearched list, and the page past them is refused.
pub async fn a_search_with_more_matches_than_it_shows_stops_at_its_cap(db: &TestDb) {
    seed(db, 3_000).await;
    let in_email =
        |row: &&SessionRow| row.user_email.as_deref().is_some_and(|email| email.contains("example"));
    for sort in SORTS {
        for descending in [false, true] {
            let (rows, _) = all_pages(&db.storage, query(sort, descending)).await;
            let expected: Vec<&str> = rows
                .iter()
                .filter(in_email)
                .take(SEARCH_COUNT_CAP as usize)
                .map(|row| row.id.as_str())
                .collect();
            assert_eq!(expected.len() as i64, SEARCH_COUNT_CAP, "more matches than a search shows");
            let mut searched = query(sort, descending);
            searched.search = Some("example");
            let (found, total) = all_pages(&db.storage, searched.clone()).await;
            assert_eq!(total, SEARCH_COUNT_CAP, "{sort:?} desc={descending}: the total is the cap");
            assert!(!db.storage.list_page(&searched).await.unwrap().total_is_exact, "a lower bound");
            assert_eq!(ids(&found), expected, "{sort:?} desc={descending}: the first matches, in order");
            searched.offset = SEARCH_COUNT_CAP;
            assert!(
                matches!(db.storage.list_page(&searched).await, Err(StorageError::SearchTooDeep(cap)) if cap == SEARCH_COUNT_CAP),
                "{sort:?} desc={descending}: the page past the cap is refused"
            );
        }
    }
}

/// Every history page of `query` (pages of 100), and the total the first reported.
async fn all_history(storage: &Storage, mut query: HistoryQuery<'_>) -> (Vec<HistoryRow>, i64) {
    query.limit = 100;
    let first = storage.list_history(&query).await.expect("first page");
    let total = first.total;
    let mut rows = first.rows;
    while (rows.len() as i64) < total {
        query.offset = rows.len() as i64;
        let page = storage.list_history(&query).await.expect("next page");
        assert!(!page.rows.is_empty(), "history page at offset {} is empty before the total", query.offset);
        rows.extend(page.rows);
    }
    (rows, total)
}

/// Session history searches the same way: more ended matches than it shows, gathered, stop at the cap.
pub async fn a_history_search_with_more_matches_than_it_shows_stops_at_its_cap(db: &TestDb) {
    seed(db, 4_000).await;
    for oldest_first in [false, true] {
        let unsearched = HistoryQuery { how: None, search: None, oldest_first, limit: 100, offset: 0 };
        let (ended, _) = all_history(&db.storage, unsearched.clone()).await;
        let expected: Vec<&str> = ended
            .iter()
            .map(|row| &row.session)
            .filter(|row| row.user_email.as_deref().is_some_and(|email| email.contains("example")))
            .take(SEARCH_COUNT_CAP as usize)
            .map(|row| row.id.as_str())
            .collect();
        assert_eq!(expected.len() as i64, SEARCH_COUNT_CAP, "more ended matches than a search shows");
        let searched = HistoryQuery { search: Some("example"), ..unsearched };
        let (found, total) = all_history(&db.storage, searched.clone()).await;
        assert_eq!(total, SEARCH_COUNT_CAP, "oldest first {oldest_first}: the total is the cap");
        let found: Vec<&str> = found.iter().map(|row| row.session.id.as_str()).collect();
        assert_eq!(found, expected, "oldest first {oldest_first}: the first ended matches, in order");
        let past = HistoryQuery { offset: SEARCH_COUNT_CAP, ..searched };
        assert!(
            matches!(db.storage.list_history(&past).await, Err(StorageError::SearchTooDeep(cap)) if cap == SEARCH_COUNT_CAP),
            "oldest first {oldest_first}: the page past the cap is refused"
        );
    }
}
