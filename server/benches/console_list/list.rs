//! The Sessions list's combinations: every sort both ways under five filters on six kinds of page, and searches
//! of every kind; timed through the list server function.

use std::time::Instant;

use app::model::CurrentUser;
use app::session_query::{Direction, SessionQuery, SortKey, StatusFilter};
use roster::engine::Engine;

pub const PAGE: u32 = 50;

/// How many pages of `PAGE` rows `total` fills (at least one).
pub fn pages_in(total: i64) -> u32 {
    u32::try_from((total + i64::from(PAGE) - 1) / i64::from(PAGE)).unwrap().max(1)
}

pub fn query(
    sort: SortKey,
    dir: Direction,
    status: StatusFilter,
    app: &str,
    q: &str,
    page: u32,
) -> SessionQuery {
    SessionQuery { q: q.into(), status, app: app.into(), sort, dir, page, size: PAGE }
}

/// Every combination the benchmark sends: all sorts both ways under five filters on five kinds of page, then
/// searches of every kind under two filters.
pub async fn cases(engine: &Engine, owner: &CurrentUser) -> Vec<(String, SessionQuery)> {
    let filters = [
        (StatusFilter::All, ""),
        (StatusFilter::Active, ""),
        (StatusFilter::Revoked, ""),
        (StatusFilter::All, "my_meals"),
        (StatusFilter::Expired, "ledger"),
    ];
    let mut cases = Vec::new();
    for sort in SortKey::ALL {
        for dir in [Direction::Asc, Direction::Desc] {
            for (status, app) in filters {
                let first = query(sort, dir, status, app, "", 1);
                let total = roster::console::sessions_page(engine, owner, &first, None).await.unwrap().total;
                let last = pages_in(total);
                // The middle page is the deepest from either end: the most index entries stepped over.
                let pages = [
                    ("first", 1),
                    ("second", 2),
                    ("40th", 40.min(last)),
                    ("quarter-way", (last / 4).max(1)),
                    ("middle", (last / 2).max(1)),
                    ("last", last),
                ];
                for (kind, page) in pages {
                    let name = format!("{sort:?} {dir:?} status={status:?} app={app:?} {kind} page");
                    cases.push((name, query(sort, dir, status, app, "", page.max(1))));
                }
            }
        }
    }
    let sample = roster::console::sessions_page(
        engine,
        owner,
        &query(SortKey::Created, Direction::Desc, StatusFilter::All, "", "", 7),
        None,
    )
    .await
    .unwrap();
    let row =
        sample.rows.iter().find(|row| row.user.is_some() && row.ip.is_some()).expect("a user's session");
    let email = row.user.as_ref().unwrap().email.clone();
    let ip = row.ip.clone().unwrap();
    let terms = [
        ("3-letter substring", "ada".to_string()),
        ("surname substring", "hopp".to_string()),
        ("one user's email", email.clone()),
        ("email fragment", email.chars().skip(3).take(9).collect::<String>()),
        ("1-letter prefix", "a".to_string()),
        ("1-digit IP prefix", "1".to_string()),
        ("2-letter prefix", "ma".to_string()),
        ("session id prefix", row.id.chars().take(8).collect()),
        ("IP prefix", ip.chars().take(6).collect()),
        ("app word", "meal".to_string()),
        ("status word", "revok".to_string()),
        ("matches nearly all", "example".to_string()),
    ];
    for (kind, term) in terms {
        for (sort, dir) in [
            (SortKey::Created, Direction::Desc),
            (SortKey::User, Direction::Asc),
            (SortKey::LastActive, Direction::Desc),
        ] {
            for (status, app) in [(StatusFilter::All, ""), (StatusFilter::Active, "")] {
                let first = query(sort, dir, status, app, &term, 1);
                let total = roster::console::sessions_page(engine, owner, &first, None).await.unwrap().total;
                // A search past its count cap shows that many matches: its last page is the deepest it reaches.
                let last = pages_in(total);
                for (kind_of_page, page) in [("page 1", 1), ("page 2", 2), ("last page", last)] {
                    let name =
                        format!("search {kind} {term:?} {sort:?} {dir:?} status={status:?} {kind_of_page}");
                    cases.push((name, query(sort, dir, status, app, &term, page)));
                }
            }
        }
    }
    cases
}

pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1]
}

/// Times every combination through the list server function (one warm-up pass, then three) and prints the
/// percentiles and the slowest combinations.
pub async fn list_timings(engine: &Engine, owner: &CurrentUser, database: &str, sessions: usize) {
    let cases = cases(engine, owner).await;
    for (name, query) in &cases {
        let started = Instant::now();
        roster::console::sessions_page(engine, owner, query, None).await.unwrap();
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        if ms > 100.0 {
            eprintln!("warm-up: {ms:.0} ms  {name}");
        }
    }
    let mut all_ms = Vec::new();
    let mut per_case = vec![Vec::new(); cases.len()];
    for _ in 0..3 {
        for ((_, query), timings) in cases.iter().zip(&mut per_case) {
            let started = Instant::now();
            let page = roster::console::sessions_page(engine, owner, query, None).await.unwrap();
            let ms = started.elapsed().as_secs_f64() * 1000.0;
            assert!(page.rows.len() as u32 <= PAGE);
            all_ms.push(ms);
            timings.push(ms);
        }
    }
    all_ms.sort_by(f64::total_cmp);
    println!(
        "list server function at {sessions} sessions ({database}, {} combinations × 3 runs):",
        cases.len()
    );
    println!(
        "  p50 {:.2} ms   p95 {:.2} ms   max {:.2} ms   (target: p95 ≤ 20 ms)",
        percentile(&all_ms, 0.50),
        percentile(&all_ms, 0.95),
        all_ms[all_ms.len() - 1]
    );
    crate::support::table_row(
        &format!("Sessions list at {sessions}, {database}"),
        &format!("p95 {:.2} ms, p50 {:.2} ms", percentile(&all_ms, 0.95), percentile(&all_ms, 0.50)),
        "target p95 ≤ 20 ms (every sort, filter, search and depth)",
    );
    // A search past its count cap reaches its 10,000th match on its last page by walking the sort index: the
    // slowest pages there are, apart so that the rest read on their own.
    let deepest_search = |name: &str| name.starts_with("search") && name.ends_with("last page");
    for (label, keep_deepest) in [("without searches' last pages", false), ("searches' last pages", true)] {
        let mut part: Vec<f64> = per_case
            .iter()
            .zip(&cases)
            .filter(|(_, (name, _))| deepest_search(name) == keep_deepest)
            .flat_map(|(timings, _)| timings.iter().copied())
            .collect();
        part.sort_by(f64::total_cmp);
        println!(
            "  {label}: {} timings, p50 {:.2} ms   p95 {:.2} ms   max {:.2} ms",
            part.len(),
            percentile(&part, 0.50),
            percentile(&part, 0.95),
            part[part.len() - 1]
        );
    }
    let over = all_ms.iter().filter(|ms| **ms > 20.0).count();
    println!("  {over} of {} timings over 20 ms; the slowest combinations (median of 3):", all_ms.len());
    let mut medians: Vec<(f64, &str)> = per_case
        .iter_mut()
        .zip(&cases)
        .map(|(timings, (name, _))| {
            timings.sort_by(f64::total_cmp);
            (timings[timings.len() / 2], name.as_str())
        })
        .collect();
    medians.sort_by(|a, b| b.0.total_cmp(&a.0));
    for (ms, name) in
        medians.iter().take(std::env::var("BENCH_SHOW").ok().and_then(|n| n.parse().ok()).unwrap_or(25))
    {
        println!("    {ms:7.2} ms  {name}");
    }
}
