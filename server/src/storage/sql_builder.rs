//! SQL text assembled at run time with its values bound in order (`$1`, `$2`, …), for the queries whose shape
//! depends on the request: the session list's filters and searches.

use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::QueryAs;
use sqlx::{Any, Arguments, AssertSqlSafe, FromRow};

enum Bind {
    Text(String),
    Int(i64),
}

/// SQL text with `$N` placeholders and their values, built in order.
#[derive(Default)]
pub(super) struct Sql {
    pub(super) text: String,
    binds: Vec<Bind>,
}

impl Sql {
    pub(super) fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    fn bind(&mut self, value: Bind) -> &mut Self {
        self.binds.push(value);
        self.text.push_str(&format!("${}", self.binds.len()));
        self
    }

    pub(super) fn text(&mut self, value: &str) -> &mut Self {
        self.bind(Bind::Text(value.to_string()))
    }

    pub(super) fn int(&mut self, value: i64) -> &mut Self {
        self.bind(Bind::Int(value))
    }

    /// Writes `(column >= prefix AND column < prefix + U+FFFF)`: the values starting with `prefix`, as a range
    /// both databases answer from an index on `column`.
    pub(super) fn prefix_range(&mut self, column: &str, prefix: &str) -> &mut Self {
        self.push(&format!("({column} >= "))
            .text(prefix)
            .push(&format!(" AND {column} < "))
            .text(&format!("{prefix}\u{ffff}"))
            .push(")")
    }

    /// Writes `(1, 2, 3)`: row ids read from the database a moment before, written as literals so that one query
    /// can test a few thousand of them without a bind each.
    pub(super) fn id_list(&mut self, ids: &[i64]) -> &mut Self {
        let listed: Vec<String> = ids.iter().map(i64::to_string).collect();
        self.text.push('(');
        self.text.push_str(&listed.join(", "));
        self.text.push(')');
        self
    }

    /// The query with its values bound, its rows read as `O`.
    pub(super) fn query_as<'q, O>(&self) -> QueryAs<'q, Any, O, AnyArguments>
    where
        O: for<'r> FromRow<'r, AnyRow>,
    {
        sqlx::query_as_with(AssertSqlSafe(self.text.clone()), self.arguments())
    }

    /// The statement with its values bound, for writes.
    pub(super) fn query(&self) -> sqlx::query::Query<'_, Any, AnyArguments> {
        sqlx::query_with(AssertSqlSafe(self.text.clone()), self.arguments())
    }

    fn arguments(&self) -> AnyArguments {
        let mut arguments = AnyArguments::default();
        for bind in &self.binds {
            // Encoding plain values into an argument buffer cannot fail.
            let _ = match bind {
                Bind::Text(text) => arguments.add(text.clone()),
                Bind::Int(n) => arguments.add(*n),
            };
        }
        arguments
    }
}

pub(super) fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_metacharacters_are_escaped() {
        assert_eq!(escape_like(r"50%_a\b"), r"50\%\_a\\b");
    }

    #[test]
    fn binds_are_numbered_in_order() {
        let mut sql = Sql::default();
        sql.push("a = ").text("x").push(" AND b = ").int(2).push(" AND c IN ").id_list(&[7, 8]);
        sql.push(" AND ").prefix_range("d", "ab");
        assert_eq!(sql.text, "a = $1 AND b = $2 AND c IN (7, 8) AND (d >= $3 AND d < $4)");
        assert_eq!(sql.binds.len(), 4);
    }
}
