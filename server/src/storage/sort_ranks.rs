//! Where a deep page of the Sessions list starts. An index walk to row 500,000 steps over every entry before it
//! (about 70 ms on PostgreSQL); instead, the counts kept per stretch of a sort column (`session_rank_counts`, see
//! the sort_ranks migration) are added up, coarse level to fine, to find the 16-second stretch (or three-letter
//! user prefix) that holds the page's first row and how many of its rows come before it. The walk then seeks to
//! that stretch and steps over those few rows only. Sorted by status or app, whole statuses and apps are stepped
//! over first, from `session_counts`.
//!
//! The counts are read a moment before the page: a session created in between moves the page by a row, as it
//! would on the next refresh of any live list.

use super::session_list::{ListQuery, SortColumn};
use super::sql_builder::Sql;
use super::{DbKind, Storage, StorageError};

/// A sort whose stretches are counted: its number in `session_rank_levels`, and the levels' shifts, coarse to
/// fine, as the migration wrote them.
#[derive(Clone, Copy, PartialEq, Eq)]
enum RankedSort {
    Created,
    Expires,
    LastActive,
    User,
}

impl RankedSort {
    fn number(self) -> i64 {
        match self {
            RankedSort::Created => 1,
            RankedSort::Expires => 2,
            RankedSort::LastActive => 3,
            RankedSort::User => 4,
        }
    }

    fn shifts(self) -> [u32; 3] {
        match self {
            RankedSort::User => [42, 21, 0],
            _ => [30, 22, 14],
        }
    }
}

/// Where the walk starts, and the rows to step over from there.
#[derive(Debug)]
pub(super) struct RankedStart {
    bound: Bound,
    pub skip: i64,
}

/// A condition on the index's leading columns that seeks into it.
#[derive(Debug)]
enum Bound {
    /// The page's first row is in the walk's first stretch.
    Top,
    /// `(columns) >= (values)` ascending, `<` or `<=` descending: row values, so that a page runs on past
    /// its stretch into the next.
    Compare(Vec<(&'static str, Value)>, &'static str),
    IsNull(&'static str),
}

#[derive(Debug)]
enum Value {
    Int(i64),
    Text(String),
}

impl RankedStart {
    /// Appends the start's condition (` AND …`) to a walk's WHERE clause.
    pub fn push(&self, sql: &mut Sql) {
        let (columns, comparison) = match &self.bound {
            Bound::Top => return,
            Bound::IsNull(column) => {
                sql.push(&format!(" AND {column} IS NULL"));
                return;
            }
            Bound::Compare(columns, comparison) => (columns, comparison),
        };
        let names: Vec<&str> = columns.iter().map(|(column, _)| *column).collect();
        sql.push(&format!(" AND ({}) {comparison} (", names.join(", ")));
        for (index, (_, value)) in columns.iter().enumerate() {
            if index > 0 {
                sql.push(", ");
            }
            match value {
                Value::Int(n) => sql.int(*n),
                Value::Text(text) => sql.text(text),
            };
        }
        sql.push(")");
    }
}

/// The group of `groups` (in walk order, with their sizes) that holds row `offset`.
fn group_holding<K>(groups: Vec<(K, i64)>, offset: i64) -> Option<Holding<K>> {
    let mut before = 0;
    let mut found: Option<Holding<K>> = None;
    for (group, n) in groups {
        match &mut found {
            None if offset < before + n => {
                found = Some(Holding { group, skip: offset - before, size: n, after: 0 })
            }
            None => before += n,
            Some(holding) => holding.after += n,
        }
    }
    found
}

struct Holding<K> {
    group: K,
    /// Rows of the group before the one sought.
    skip: i64,
    size: i64,
    /// Rows of the groups after it.
    after: i64,
}

/// A user prefix's code (three code points, 21 bits each, a missing one 0) as the text it starts at.
fn user_prefix(code: i64) -> Option<String> {
    [42, 21, 0]
        .into_iter()
        .map(|shift| (code >> shift) & 0x1F_FFFF)
        .take_while(|point| *point != 0)
        .map(|point| u32::try_from(point).ok().and_then(char::from_u32))
        .collect()
}

/// The code of the first prefix past every text starting with `code`'s, if there is one. A prefix shorter than
/// three characters is a whole text: the next starts with it and U+0001. Otherwise the last character steps on,
/// carrying into the one before past the last code point, and skipping the surrogates no text holds.
fn next_user_prefix(code: i64) -> Option<i64> {
    const POINT: i64 = 0x1F_FFFF;
    let mut points = [(code >> 42) & POINT, (code >> 21) & POINT, code & POINT];
    let join = |points: [i64; 3]| (points[0] << 42) | (points[1] << 21) | points[2];
    if let Some(end) = points.iter().position(|point| *point == 0) {
        points[end] = 1;
        return Some(join(points));
    }
    for position in (0..3).rev() {
        let next = match points[position] + 1 {
            0xD800 => 0xE000,
            next => next,
        };
        if next <= 0x10_FFFF {
            points[position] = next;
            points.iter_mut().skip(position + 1).for_each(|later| *later = 0);
            return Some(join(points));
        }
    }
    None
}

/// The value stretch `bucket` of the finest level starts at, as the sort column holds it.
fn stretch_start(sort: RankedSort, bucket: i64) -> Option<Value> {
    match sort {
        RankedSort::User => user_prefix(bucket).map(Value::Text),
        _ => bucket.checked_mul(1 << sort.shifts()[2]).map(Value::Int),
    }
}

/// Where the walk of one counted sort column stands at a row: the finest stretch that holds it.
struct RankWalk {
    bucket: i64,
    skip: i64,
    /// Rows from the stretch's start to the end of the walk.
    from_bucket_on: i64,
    /// Rows without a value (expiry: never), counted in the coarsest level's last stretch.
    never: i64,
}

impl Storage {
    /// Whether the database compares text as the user prefix counts do, by code point: SQLite always;
    /// PostgreSQL under the C collations, not under a language's (which sets punctuation and case aside).
    pub(super) async fn orders_text_by_code_point(&self) -> Result<bool, StorageError> {
        if self.kind == DbKind::Sqlite {
            return Ok(true);
        }
        let (by_code_point,): (bool,) =
            sqlx::query_as("SELECT 'a.c' < 'ab' AND 'B' < 'a' AND 'z' < 'é' AND 'é' < 'ſ'")
                .fetch_one(&self.pool)
                .await?;
        Ok(by_code_point)
    }

    /// Drops the counts of stretches no session is in any more. Activity moves every active session into a new
    /// 16-second stretch as it is used, leaving thousands of emptied counts a day that each deep page would read.
    pub async fn drop_empty_rank_counts(&self) -> Result<(), StorageError> {
        sqlx::query("DELETE FROM session_rank_counts WHERE n = 0").execute(&self.pool).await?;
        Ok(())
    }

    /// Where a walk of `query`'s sort index, in the given direction, finds row `offset`; `None` where the counts
    /// cannot say (the page is then walked to from the top, as before).
    pub(super) async fn ranked_start(
        &self,
        query: &ListQuery<'_>,
        descending: bool,
        offset: i64,
        limit: i64,
    ) -> Result<Option<RankedStart>, StorageError> {
        let ranked = match query.sort {
            SortColumn::Created => RankedSort::Created,
            SortColumn::Expires => RankedSort::Expires,
            SortColumn::LastActive => RankedSort::LastActive,
            SortColumn::User if self.user_ranks => RankedSort::User,
            SortColumn::User => return Ok(None),
            SortColumn::Status => {
                let statuses = self.group_counts(query, false, descending).await?;
                let Some(Holding { group: (status, _), skip, .. }) = group_holding(statuses, offset) else {
                    return Ok(None);
                };
                let within = ListQuery { status: Some(&status), ..query.clone() };
                let Some(start) =
                    self.column_start(&within, RankedSort::Created, descending, skip, limit).await?
                else {
                    return Ok(None);
                };
                if query.status.is_some() {
                    return Ok(Some(start));
                }
                // The status leads the index: the seek is on the status and the time together.
                let lead = ("s.status", Value::Text(status));
                let bound = match start.bound {
                    Bound::Compare(mut columns, comparison) => {
                        columns.insert(0, lead);
                        Bound::Compare(columns, comparison)
                    }
                    _ if descending => Bound::Compare(vec![lead], "<="),
                    _ => Bound::Compare(vec![lead], ">="),
                };
                return Ok(Some(RankedStart { bound, skip: start.skip }));
            }
            SortColumn::App => {
                let groups = self.group_counts(query, true, descending).await?;
                let Some(Holding { group: (status, slug), skip, .. }) = group_holding(groups, offset) else {
                    return Ok(None);
                };
                // The index leads with the app's slug, then the status; a filter already fixes either.
                let mut columns = Vec::new();
                if query.app_slug.is_none() {
                    columns.push(("s.app_sort", Value::Text(slug)));
                }
                if query.status.is_none() {
                    columns.push(("s.status", Value::Text(status)));
                }
                let bound = match columns.is_empty() {
                    true => Bound::Top,
                    false => Bound::Compare(columns, if descending { "<=" } else { ">=" }),
                };
                return Ok(Some(RankedStart { bound, skip }));
            }
        };
        self.column_start(query, ranked, descending, offset, limit).await
    }

    async fn column_start(
        &self,
        query: &ListQuery<'_>,
        sort: RankedSort,
        descending: bool,
        offset: i64,
        limit: i64,
    ) -> Result<Option<RankedStart>, StorageError> {
        let Some(walk) = self.rank_walk(query, sort, descending, offset).await? else { return Ok(None) };
        let column = match (sort, self.kind) {
            (RankedSort::Created, _) => "s.created_at",
            (RankedSort::LastActive, _) => "s.last_active_at",
            (RankedSort::User, _) => "s.user_sort",
            (RankedSort::Expires, DbKind::Sqlite) => "COALESCE(s.expires_at, 9223372036854775807)",
            (RankedSort::Expires, DbKind::Postgres) => "s.expires_at",
        };
        let never_bucket = i64::MAX >> sort.shifts()[2];
        let bound = if descending {
            // Up to the start of the next stretch; from the top when there is none.
            let next = match sort {
                RankedSort::User => next_user_prefix(walk.bucket),
                _ if walk.bucket == never_bucket => None,
                _ => Some(walk.bucket + 1),
            };
            match next.and_then(|next| stretch_start(sort, next)) {
                Some(value) => Bound::Compare(vec![(column, value)], "<"),
                None => Bound::Top,
            }
        } else if sort == RankedSort::Expires && self.kind == DbKind::Postgres && walk.bucket == never_bucket
        {
            // PostgreSQL's index holds "never" as NULL, last ascending, beyond any `>=`.
            Bound::IsNull(column)
        } else if sort == RankedSort::Expires
            && self.kind == DbKind::Postgres
            && walk.skip + limit > walk.from_bucket_on - walk.never
        {
            // A page that runs on from a date into the NULLs is walked to from the top.
            return Ok(None);
        } else {
            match stretch_start(sort, walk.bucket) {
                Some(value) => Bound::Compare(vec![(column, value)], ">="),
                None => return Ok(None),
            }
        };
        Ok(Some(RankedStart { bound, skip: walk.skip }))
    }

    /// Adds up the counted stretches level by level, each within the stretch the level above chose.
    async fn rank_walk(
        &self,
        query: &ListQuery<'_>,
        sort: RankedSort,
        descending: bool,
        offset: i64,
    ) -> Result<Option<RankWalk>, StorageError> {
        let shifts = sort.shifts();
        let (mut low, mut high) = (0, i64::MAX);
        let mut skip = offset;
        let mut after = 0;
        let mut never = 0;
        let mut chosen = None;
        for (level, shift) in shifts.iter().enumerate() {
            if let Some(Holding { group: parent, .. }) = chosen {
                let width = shifts[level - 1] - shift;
                low = parent << width;
                high = low | ((1 << width) - 1);
            }
            let mut sql = Sql::default();
            sql.push("SELECT c.bucket, CAST(SUM(c.n) AS BIGINT) FROM session_rank_counts c WHERE c.sort = ")
                .int(sort.number())
                .push(" AND c.level = ")
                .int(level as i64)
                .push(" AND c.bucket BETWEEN ")
                .int(low)
                .push(" AND ")
                .int(high);
            self.push_count_filters(&mut sql, query);
            let direction = if descending { "DESC" } else { "ASC" };
            sql.push(&format!(" GROUP BY c.bucket HAVING SUM(c.n) > 0 ORDER BY c.bucket {direction}"));
            let buckets: Vec<(i64, i64)> = sql.query_as().fetch_all(&self.pool).await?;
            if level == 0 {
                never =
                    buckets.iter().find(|(bucket, _)| *bucket == i64::MAX >> shift).map_or(0, |(_, n)| *n);
            }
            let Some(holding) = group_holding(buckets, skip) else { return Ok(None) };
            skip = holding.skip;
            after += holding.after;
            chosen = Some(holding);
        }
        Ok(chosen.map(|finest| RankWalk {
            bucket: finest.group,
            skip,
            from_bucket_on: finest.size + after,
            never,
        }))
    }

    /// ` AND …` for the status and app filters, on a count table aliased `c` with an `app_id`.
    fn push_count_filters(&self, sql: &mut Sql, query: &ListQuery<'_>) {
        if let Some(status) = query.status {
            sql.push(" AND c.status = ").text(status);
        }
        if let Some(slug) = query.app_slug {
            sql.push(" AND c.app_id = (SELECT id FROM apps WHERE slug = ").text(slug).push(")");
        }
    }

    /// Sessions per status (and per app, by slug, when `by_app`) under the filters, in walk order: the groups a
    /// walk sorted by status or app passes through. Keys are (status, slug).
    async fn group_counts(
        &self,
        query: &ListQuery<'_>,
        by_app: bool,
        descending: bool,
    ) -> Result<Vec<((String, String), i64)>, StorageError> {
        let direction = if descending { "DESC" } else { "ASC" };
        let (slug, group, order) = if by_app {
            ("a.slug", "c.status, a.slug", format!("a.slug {direction}, c.status {direction}"))
        } else {
            ("''", "c.status", format!("c.status {direction}"))
        };
        let mut sql = Sql::default();
        sql.push(&format!(
            "SELECT c.status, {slug}, CAST(SUM(c.n) AS BIGINT) FROM session_counts c JOIN apps a ON a.id = c.app_id
             WHERE 1 = 1"
        ));
        self.push_count_filters(&mut sql, query);
        sql.push(&format!(" GROUP BY {group} HAVING SUM(c.n) > 0 ORDER BY {order}"));
        let groups: Vec<(String, String, i64)> = sql.query_as().fetch_all(&self.pool).await?;
        Ok(groups.into_iter().map(|(status, slug, n)| ((status, slug), n)).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::{group_holding, next_user_prefix, user_prefix};

    fn code(text: &str) -> i64 {
        let mut points = text.chars().map(|c| c as i64).chain(std::iter::repeat(0));
        (points.next().unwrap() << 42) | (points.next().unwrap() << 21) | points.next().unwrap()
    }

    #[test]
    fn a_prefix_code_reads_back_as_its_text() {
        assert_eq!(user_prefix(code("ada")).as_deref(), Some("ada"));
        assert_eq!(user_prefix(code("é")).as_deref(), Some("é"));
        assert_eq!(user_prefix(code("")).as_deref(), Some(""));
    }

    #[test]
    fn the_next_prefix_is_the_first_text_past_every_text_with_this_one() {
        assert_eq!(user_prefix(next_user_prefix(code("ada")).unwrap()).as_deref(), Some("adb"));
        // A two-letter text is its own stretch: the next starts with its first three-letter follower.
        assert_eq!(user_prefix(next_user_prefix(code("ad")).unwrap()).as_deref(), Some("ad\u{1}"));
        // No text holds a surrogate, and nothing follows the last code point but the next character.
        assert_eq!(user_prefix(next_user_prefix(code("ab\u{d7ff}")).unwrap()).as_deref(), Some("ab\u{e000}"));
        assert_eq!(user_prefix(next_user_prefix(code("a")).unwrap()).as_deref(), Some("a\u{1}"));
        assert_eq!(user_prefix(next_user_prefix(code("ab\u{10ffff}")).unwrap()).as_deref(), Some("ac"));
        assert_eq!(next_user_prefix(code("\u{10ffff}\u{10ffff}\u{10ffff}")), None);
    }

    #[test]
    fn the_group_holding_a_row_says_what_to_step_over_and_what_follows() {
        let groups = vec![("a", 3), ("b", 5), ("c", 2)];
        let holding = group_holding(groups.clone(), 4).unwrap();
        assert_eq!((holding.group, holding.skip, holding.size, holding.after), ("b", 1, 5, 2));
        let first = group_holding(groups.clone(), 0).unwrap();
        assert_eq!((first.group, first.skip), ("a", 0));
        assert!(group_holding(groups, 10).is_none(), "past every group");
    }
}
