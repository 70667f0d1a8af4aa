//! SQL tests of a user's email and name (the users table as `u`) against a lowercased console search term: by
//! substring through the users' search index, by prefix through their email and name indexes, or one user at a
//! time.

use super::sql_builder::{escape_like, Sql};
use super::DbKind;

/// Users' emails and names are searched by substring from this many characters, by prefix below it (a trigram
/// index cannot answer shorter ones).
pub(super) const SUBSTRING_MIN_CHARS: usize = 3;

/// Appends the condition that the user `u` matches `term` (lowercased), to test one user at a time (kept out
/// of the users' indexes, so that a walk of users in email order stays in that order).
pub(super) fn push_user_test(sql: &mut Sql, term: &str, kind: DbKind) {
    if term.chars().count() < SUBSTRING_MIN_CHARS {
        // PostgreSQL has no unary + on text, and plans this walk without the hint.
        push_user_prefix_test(sql, term, if kind == DbKind::Sqlite { "+" } else { "" });
    } else {
        let pattern = format!("%{}%", escape_like(term));
        sql.push("(u.email_normalized LIKE ")
            .text(&pattern)
            .push(" ESCAPE '\\' OR lower(u.display_name) LIKE ")
            .text(&pattern)
            .push(" ESCAPE '\\')");
    }
}

/// Appends the test that user `u`'s email or name holds `term` (lowercased, at least `SUBSTRING_MIN_CHARS`), in
/// the expression pg_trgm's index was built on. The index reads every trigram's list of users, so a long term
/// asks it for its longest word alone and tests the whole term on those users only: a whole email, 15 -> 3 ms
/// at 100,000 users in psql, as the domain's trigrams ("exa", "com") are in nearly every email.
pub(super) fn push_trigram_search(sql: &mut Sql, term: &str) {
    const SEARCH: &str = "(u.email_normalized || ' ' || lower(u.display_name))";
    let window = longest_word_of_long_term(term).unwrap_or(term);
    sql.push(&format!("{SEARCH} LIKE ")).text(&format!("%{}%", escape_like(window)));
    if window != term {
        // `strpos` is not a test the trigram index answers, so the planner keeps it out of the index's search.
        sql.push(&format!(" AND strpos({SEARCH}, ")).text(term).push(") > 0");
    }
}

/// Past `WORD_SEARCH_FROM_CHARS` characters, the longest run of letters and digits in `term` that the trigram
/// index can search for (a user's email: "edsger.dijkstra.04b421879@corp.example" -> "04b421879").
fn longest_word_of_long_term(term: &str) -> Option<&str> {
    const WORD_SEARCH_FROM_CHARS: usize = 12;
    if term.chars().count() <= WORD_SEARCH_FROM_CHARS {
        return None;
    }
    term.split(|c: char| !c.is_alphanumeric())
        .filter(|word| word.chars().count() >= SUBSTRING_MIN_CHARS)
        .max_by_key(|word| word.chars().count())
}

/// Appends, for PostgreSQL, `SELECT columns FROM (…) u` of the users whose email or name starts with `term`:
/// each range read from its own index alone (users_by_email and users_by_name carry the id and the kept counts,
/// migration 0024), each stopping at `limit`, and the two made distinct. One query of both ranges read the users'
/// rows, or all of them under a LIMIT ("ma", 2,001 users: 24-28 -> 4-6 ms in psql; every "ma" user, gathered for
/// a walk: 13 -> 2 ms). Any `limit` distinct users of the two are as good as the first ones.
pub(super) fn push_prefix_users_union(sql: &mut Sql, columns: &str, term: &str, limit: Option<i64>) {
    sql.push(&format!("SELECT {columns} FROM ("));
    for (branch, column) in [("", "u.email_normalized"), (" UNION ", "lower(u.display_name)")] {
        sql.push(&format!("{branch}(SELECT {columns} FROM users u WHERE ")).prefix_range(column, term);
        if let Some(limit) = limit {
            sql.push(" LIMIT ").int(limit);
        }
        sql.push(")");
    }
    sql.push(") u");
}

/// `(email or name starts with term)` for the users table as `u`: answered from its two indexes, or with
/// `plus` = "+" tested row by row.
pub(super) fn push_user_prefix_test(sql: &mut Sql, term: &str, plus: &str) {
    sql.push("(")
        .prefix_range(&format!("{plus}u.email_normalized"), term)
        .push(" OR ")
        .prefix_range(&format!("{plus}lower(u.display_name)"), term)
        .push(")");
}

#[cfg(test)]
mod tests {
    use super::longest_word_of_long_term;

    #[test]
    fn a_long_term_is_searched_for_by_its_longest_word() {
        assert_eq!(longest_word_of_long_term("edsger.dijkstra.04b421879@corp.example"), Some("04b421879"));
        assert_eq!(longest_word_of_long_term("ada.lovelace@mail.example"), Some("lovelace"));
    }

    #[test]
    fn a_short_term_or_one_without_a_searchable_word_is_searched_for_whole() {
        assert_eq!(longest_word_of_long_term("dijkstra.04b"), None);
        assert_eq!(longest_word_of_long_term("a.b.c.d.e.f.g.h"), None);
    }
}
