//! Phrases shared by rule messages, so that every rule names things the same way.

use plan_model::{Field, Place};

/// How a message names an entry: by its id (`R-3`) when it has one, else by its logical
/// path (`raid[2]`).
pub fn entry(id: &Field<&str>, place: &Place) -> String {
    match id.get() {
        Some(id) => (*id).to_owned(),
        None => format!("`{}`", place.path),
    }
}

/// How a message names a RACI row or mechanism: by its activity or name in quotes, else by
/// its logical path.
pub fn titled(title: &Field<&str>, place: &Place) -> String {
    match title.get() {
        Some(title) => format!("\"{title}\""),
        None => format!("`{}`", place.path),
    }
}

/// Where a finding about a whole table that may be absent points: the table, else the start
/// of the file.
pub fn table_or_file<T>(field: &Field<T>) -> plan_model::Span {
    field.span().unwrap_or_default()
}
