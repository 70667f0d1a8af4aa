//! Where a walk of a sort index starts: the condition that seeks into it, written into the walk's SQL.

use super::super::sql_builder::Sql;

/// Where the walk starts, and the rows to step over from there.
#[derive(Debug)]
pub(in crate::storage) struct RankedStart {
    pub(super) bound: Bound,
    pub(in crate::storage) skip: i64,
}

/// A condition on the index's leading columns that seeks into it.
#[derive(Debug)]
pub(super) enum Bound {
    /// The page's first row is in the walk's first stretch.
    Top,
    /// `(columns) >= (values)` ascending, `<` or `<=` descending: row values, so that a page runs on past
    /// its stretch into the next.
    Compare(Vec<(&'static str, Value)>, &'static str),
    IsNull(&'static str),
}

#[derive(Debug)]
pub(super) enum Value {
    Int(i64),
    Text(String),
}

impl RankedStart {
    /// Appends the start's condition (` AND …`) to a walk's WHERE clause.
    pub(in crate::storage) fn push(&self, sql: &mut Sql) {
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
