//! The arithmetic of counted stretches: which sorts are counted and at what widths, which group holds a row,
//! and where a stretch starts as the sort column's value (a time, or a user prefix's text).

use super::start::Value;

/// A sort whose stretches are counted: its number in `session_rank_levels`, and the levels' shifts, coarse to
/// fine, as the migration wrote them.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum RankedSort {
    Created,
    Expires,
    LastActive,
    User,
}

impl RankedSort {
    pub(super) fn number(self) -> i64 {
        match self {
            RankedSort::Created => 1,
            RankedSort::Expires => 2,
            RankedSort::LastActive => 3,
            RankedSort::User => 4,
        }
    }

    pub(super) fn shifts(self) -> [u32; 3] {
        match self {
            RankedSort::User => [42, 21, 0],
            _ => [30, 22, 14],
        }
    }
}

/// The group of `groups` (in walk order, with their sizes) that holds row `offset`.
pub(super) fn group_holding<K>(groups: Vec<(K, i64)>, offset: i64) -> Option<Holding<K>> {
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

pub(super) struct Holding<K> {
    pub(super) group: K,
    /// Rows of the group before the one sought.
    pub(super) skip: i64,
    pub(super) size: i64,
    /// Rows of the groups after it.
    pub(super) after: i64,
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
pub(super) fn next_user_prefix(code: i64) -> Option<i64> {
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
pub(super) fn stretch_start(sort: RankedSort, bucket: i64) -> Option<Value> {
    match sort {
        RankedSort::User => user_prefix(bucket).map(Value::Text),
        _ => bucket.checked_mul(1 << sort.shifts()[2]).map(Value::Int),
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
