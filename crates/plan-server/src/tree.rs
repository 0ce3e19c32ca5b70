//! Where a position is in a plan: the keys and indexes from the top of the document to the
//! value (or key) under it, from the value tree's spans.

use plan_model::Span;
use plan_model::value::{Kind, Value};

/// One step down the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// What is at an offset.
#[derive(Debug, Clone)]
pub struct Hit<'a> {
    /// From the document down; the last step names the value (or key) hit.
    pub steps: Vec<Step<'a>>,
    /// The innermost value containing the offset (a string, a list…), if any.
    pub value: Option<&'a Value<'a>>,
    /// Whether the offset is on a key rather than its value.
    pub on_key: bool,
}

impl Hit<'_> {
    /// The keys of the path without the indexes: `["milestones", "depends_on"]`.
    pub fn keys(&self) -> Vec<&str> {
        self.steps
            .iter()
            .filter_map(|step| match step {
                Step::Key(key) => Some(*key),
                Step::Index(_) => None,
            })
            .collect()
    }
}

fn contains(span: Span, offset: usize) -> bool {
    span.start <= offset && offset <= span.end
}

/// The path to what is at `offset`. TOML header tables are found by their keys' spans, which
/// lie after the header.
pub fn locate<'a>(document: &'a Value<'a>, offset: usize) -> Hit<'a> {
    let mut hit = Hit {
        steps: Vec::new(),
        value: None,
        on_key: false,
    };
    descend(document, offset, &mut hit);
    hit
}

fn descend<'a>(value: &'a Value<'a>, offset: usize, hit: &mut Hit<'a>) -> bool {
    match &value.kind {
        Kind::Table(table) => {
            for entry in table.entries {
                if contains(entry.key_span, offset) {
                    hit.steps.push(Step::Key(entry.key));
                    hit.on_key = true;
                    return true;
                }
                hit.steps.push(Step::Key(entry.key));
                if descend(&entry.value, offset, hit) {
                    return true;
                }
                hit.steps.pop();
            }
            if contains(value.span, offset) && !table.header {
                hit.value = Some(value);
                return true;
            }
            false
        }
        Kind::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                hit.steps.push(Step::Index(index));
                if descend(item, offset, hit) {
                    return true;
                }
                hit.steps.pop();
            }
            // Arrays of header tables have no span of their own worth trusting.
            let headers = items
                .iter()
                .any(|item| matches!(&item.kind, Kind::Table(t) if t.header));
            if contains(value.span, offset) && !headers {
                hit.value = Some(value);
                return true;
            }
            false
        }
        _ if contains(value.span, offset) => {
            hit.value = Some(value);
            true
        }
        _ => false,
    }
}

/// The value at a path of keys and indexes.
pub fn get<'a>(document: &'a Value<'a>, steps: &[Step<'_>]) -> Option<&'a Value<'a>> {
    let mut value = document;
    for step in steps {
        value = match (step, &value.kind) {
            (Step::Key(key), Kind::Table(table)) => {
                &table.entries.iter().find(|e| e.key == *key)?.value
            }
            (Step::Index(index), Kind::Array(items)) => items.get(*index)?,
            _ => return None,
        };
    }
    Some(value)
}

/// The entries of a collection (`milestones`, `raid`…) with their `id` string and its span.
pub fn ids<'a>(document: &'a Value<'a>, collection: &str) -> Vec<(&'a str, Span, &'a Value<'a>)> {
    let Some(Value {
        kind: Kind::Array(items),
        ..
    }) = get(document, &[Step::Key(collection)])
    else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| {
            let id = get(item, &[Step::Key("id")])?;
            match id.kind {
                Kind::String(text) => Some((text, id.span, item)),
                _ => None,
            }
        })
        .collect()
}

/// The entry of a collection with this id: its id's span, and the entry.
pub fn entry<'a>(
    document: &'a Value<'a>,
    collection: &str,
    id: &str,
) -> Option<(Span, &'a Value<'a>)> {
    ids(document, collection)
        .into_iter()
        .find(|(entry_id, _, _)| *entry_id == id)
        .map(|(_, span, entry)| (span, entry))
}

/// A string field of a table.
pub fn string<'a>(table: &'a Value<'a>, key: &str) -> Option<&'a str> {
    match get(table, &[Step::Key(key)])?.kind {
        Kind::String(text) => Some(text),
        _ => None,
    }
}

/// A date field of a table, as written.
pub fn date(table: &Value<'_>, key: &str) -> Option<String> {
    match &get(table, &[Step::Key(key)])?.kind {
        Kind::Date(date) => Some(date.to_string()),
        Kind::String(text) => Some((*text).to_owned()),
        _ => None,
    }
}
