//! Which stretch of a sorted index a page is read from. A page past the middle is read from the other end, in
//! the opposite order, and turned round: the deepest page of a list steps over half its rows, never all of them.
//! The Sessions list, History and the Users page walk their indexes this way.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct PageWindow {
    /// Walk in the opposite order; `in_page_order` turns the rows round.
    pub from_end: bool,
    pub offset: i64,
    pub limit: i64,
}

impl PageWindow {
    /// `None` when the page holds no row. Without a `total` (a search past its count cap) there is no end to
    /// read from, and the walk starts at the top.
    pub fn nearer_end(offset: i64, limit: i64, total: Option<i64>) -> Option<Self> {
        if limit <= 0 || total.is_some_and(|total| offset >= total) {
            return None;
        }
        Some(match total {
            Some(total) if offset > total / 2 => {
                let end = offset.saturating_add(limit).min(total);
                PageWindow { from_end: true, offset: total - end, limit: end - offset }
            }
            _ => PageWindow { from_end: false, offset, limit },
        })
    }

    /// The walk's order: the page's own, or its opposite when read from the end.
    pub fn descending(self, page_descending: bool) -> bool {
        page_descending != self.from_end
    }

    pub fn in_page_order<T>(self, mut rows: Vec<T>) -> Vec<T> {
        if self.from_end {
            rows.reverse();
        }
        rows
    }
}

#[cfg(test)]
mod tests {
    use super::PageWindow;

    #[test]
    fn a_page_in_the_first_half_is_read_from_the_top() {
        let window = PageWindow::nearer_end(20, 10, Some(100)).unwrap();
        assert_eq!(window, PageWindow { from_end: false, offset: 20, limit: 10 });
        assert!(window.descending(true));
    }

    #[test]
    fn a_page_past_the_middle_is_the_same_rows_counted_from_the_end() {
        // Rows 70..80 of 100 are rows 20..30 counted from the other end.
        let window = PageWindow::nearer_end(70, 10, Some(100)).unwrap();
        assert_eq!(window, PageWindow { from_end: true, offset: 20, limit: 10 });
        assert!(!window.descending(true));
        assert_eq!(window.in_page_order(vec![79, 78, 77]), vec![77, 78, 79]);
    }

    #[test]
    fn the_last_short_page_reads_only_the_rows_that_remain() {
        let window = PageWindow::nearer_end(95, 10, Some(100)).unwrap();
        assert_eq!(window, PageWindow { from_end: true, offset: 0, limit: 5 });
    }

    #[test]
    fn pages_past_the_end_or_of_no_rows_are_empty() {
        assert_eq!(PageWindow::nearer_end(100, 10, Some(100)), None);
        assert_eq!(PageWindow::nearer_end(0, 0, Some(100)), None);
        assert_eq!(PageWindow::nearer_end(0, 10, Some(0)), None);
    }

    #[test]
    fn without_a_total_every_page_is_read_from_the_top() {
        let window = PageWindow::nearer_end(9_000, 50, None).unwrap();
        assert_eq!(window, PageWindow { from_end: false, offset: 9_000, limit: 50 });
    }
}
