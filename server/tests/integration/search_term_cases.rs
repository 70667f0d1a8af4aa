//! Searches that PostgreSQL answers its own way, checked on both databases against the list they search:
//! - the start of an IP address, whose matches are sorted from the IP index (which carries every sort key) or
//!   walked on a sort index (which carries the IP);
//! - a long term, whose longest word alone is asked of the users' trigram index.

use std::collections::HashMap;

use roster::storage::{SessionRow, SortColumn};

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
