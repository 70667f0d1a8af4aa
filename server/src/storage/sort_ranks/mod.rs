//! Where a deep page of the Sessions list starts. An index walk to row 500,000 steps over every entry before it
//! (about 70 ms on PostgreSQL); instead, the counts kept per stretch of a sort column (`session_rank_counts`, see
//! the sort_ranks migration) are added up, coarse level to fine, to find the 16-second stretch (or three-letter
//! user prefix) that holds the page's first row and how many of its rows come before it. The walk then seeks to
//! that stretch and steps over those few rows only. Sorted by status or app, whole statuses and apps are stepped
//! over first, from `session_counts`.
//!
//! The counts are read a moment before the page: a session created in between moves the page by a row, as it
//! would on the next refresh of any live list.

mod start;
mod stretches;

use self::start::{Bound, RankedStart, Value};
use self::stretches::{group_holding, next_user_prefix, stretch_start, Holding, RankedSort};
use super::session_list::{ListQuery, SortColumn};
use super::sql_builder::Sql;
use super::{DbKind, Storage, StorageError};

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
        let direction = if descending { "DESC" } else { "ASC" };
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
