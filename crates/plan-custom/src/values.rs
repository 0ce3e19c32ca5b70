//! A plan as an expression sees it: maps and lists, key for key as written, with each value
//! given the type the format declares for its key (dates as timestamps, allocations as
//! doubles, ranks as integers), whatever the file's format wrote (a JSON date is a string, a
//! TOML one a date). A value that does not read as its declared type stays as written: the
//! schema rules report it, and an expression using it as the declared type fails on that plan
//! only.
//!
//! [`Datum`] is that view, borrowed from the parsed document and typed key by key as it is
//! read: nothing is built for what no expression reads. CEL's own values ([`plan_value`]) are
//! made from it, so the two evaluators see the same plan.

use cel::Value as Cel;
use cel::objects::{Key, Map};
use plan_model::format::{PLAN_FILE, Shape, TableSpec};
use plan_model::value::{Kind, Value, same_key};
use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;
use std::sync::Arc;

pub(crate) type Timestamp = chrono::DateTime<chrono::FixedOffset>;

/// A value of the plan, or one an expression made.
#[derive(Debug, Clone)]
pub(crate) enum Datum<'a> {
    Null,
    Bool(bool),
    Int(i64),
    UInt(u64),
    Double(f64),
    Text(Cow<'a, str>),
    Timestamp(Timestamp),
    Duration(chrono::Duration),
    /// A table of the document, with the format's description of its keys when it has one.
    Table(&'a Value<'a>, Option<&'static TableSpec>),
    /// An array of the document; its items are tables of `spec`, when given.
    Array(&'a [Value<'a>], Option<&'static TableSpec>),
    /// A list an expression made.
    List(Rc<Vec<Datum<'a>>>),
}

impl<'a> Datum<'a> {
    /// The whole document: the plan's top-level table.
    pub(crate) fn plan(document: &'a Value<'a>) -> Datum<'a> {
        match document.kind {
            Kind::Table(_) => Datum::Table(document, Some(&PLAN_FILE)),
            _ => Datum::Null,
        }
    }

    /// The value at `key` of a table (the first, if the key repeats: a repeated key is a schema
    /// finding, and the first is the one the plan means); `None` for a missing key or a value
    /// that is not a table.
    pub(crate) fn field(&self, key: &str, today: jiff::civil::Date) -> Option<Datum<'a>> {
        let Datum::Table(value, spec) = self else {
            return None;
        };
        let Kind::Table(table) = &value.kind else {
            return None;
        };
        let entry = table
            .entries
            .iter()
            .find(|entry| same_key(entry.key, key))?;
        let shape = spec.and_then(|spec| spec.fields.iter().find(|field| same_key(field.key, key)));
        Some(match shape {
            Some(field) => typed(&entry.value, &field.shape, today),
            None => as_written(&entry.value),
        })
    }

    /// Each item of a list, in order; `None` for a value that is not a list.
    pub(crate) fn iter(&self) -> Option<Items<'_, 'a>> {
        match self {
            Datum::Array(items, spec) => Some(Items::Array(items.iter(), *spec)),
            Datum::List(items) => Some(Items::List(items.iter())),
            _ => None,
        }
    }

    /// An item of an array: a table of `spec`, or as written.
    pub(crate) fn entry(item: &'a Value<'a>, spec: Option<&'static TableSpec>) -> Datum<'a> {
        match item.kind {
            Kind::Table(_) => Datum::Table(item, spec),
            _ => as_written(item),
        }
    }

    /// The distinct keys of a table, in source order of their first use.
    pub(crate) fn keys(&self) -> Option<Vec<&'a str>> {
        let Datum::Table(value, _) = self else {
            return None;
        };
        let Kind::Table(table) = &value.kind else {
            return None;
        };
        let mut seen = BTreeSet::new();
        Some(
            table
                .entries
                .iter()
                .map(|entry| entry.key)
                .filter(|key| seen.insert(*key))
                .collect(),
        )
    }
}

/// The items of a list, typed as they are reached.
pub(crate) enum Items<'d, 'a> {
    Array(std::slice::Iter<'a, Value<'a>>, Option<&'static TableSpec>),
    List(std::slice::Iter<'d, Datum<'a>>),
}

impl<'a> Iterator for Items<'_, 'a> {
    type Item = Datum<'a>;

    fn next(&mut self) -> Option<Datum<'a>> {
        match self {
            Items::Array(items, spec) => items.next().map(|item| Datum::entry(item, *spec)),
            Items::List(items) => items.next().cloned(),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match self {
            Items::Array(items, _) => items.size_hint(),
            Items::List(items) => items.size_hint(),
        }
    }
}

impl ExactSizeIterator for Items<'_, '_> {}

fn typed<'a>(value: &'a Value<'a>, shape: &Shape, today: jiff::civil::Date) -> Datum<'a> {
    let timestamp = |date| timestamp(date).map(Datum::Timestamp);
    match (shape, &value.kind) {
        (Shape::Date, Kind::Date(date)) => timestamp(*date),
        (Shape::Date, Kind::String(text)) => text
            .parse::<jiff::civil::Date>()
            .ok()
            .filter(|_| text.len() == 10)
            .and_then(timestamp),
        (Shape::Allocation, Kind::String(text)) => text
            .trim()
            .strip_suffix('%')
            .and_then(|percent| percent.trim().parse::<f64>().ok())
            .map(|percent| Datum::Double(percent / 100.0)),
        (Shape::Allocation, Kind::Integer(n)) => Some(Datum::Double(*n as f64)),
        (Shape::Duration, Kind::String(text)) => duration(text, today).map(Datum::Duration),
        (Shape::Table(spec), _) => Some(Datum::entry(value, Some(spec))),
        (Shape::Entries(spec), Kind::Array(items)) => Some(Datum::Array(items, Some(spec))),
        _ => None,
    }
    .unwrap_or_else(|| as_written(value))
}

/// A value as its own syntax says.
fn as_written<'a>(value: &'a Value<'a>) -> Datum<'a> {
    match &value.kind {
        Kind::String(text) => Datum::Text(Cow::Borrowed(text)),
        Kind::Integer(n) => Datum::Int(*n),
        Kind::Float(text) => text
            .parse::<f64>()
            .map_or(Datum::Text(Cow::Borrowed(text)), Datum::Double),
        Kind::Boolean(b) => Datum::Bool(*b),
        Kind::Date(date) => timestamp(*date).map_or(Datum::Null, Datum::Timestamp),
        Kind::Datetime(text) => Datum::Text(Cow::Borrowed(text)),
        Kind::Null => Datum::Null,
        Kind::Array(items) => Datum::Array(items, None),
        Kind::Table(_) => Datum::Table(value, None),
    }
}

/// A length of time as the plan writes it (`"2 weeks"`, `"1 month"`, `"P2W"`): its days
/// counted from `today` (a month from 2 December is 31 days).
fn duration(text: &str, today: jiff::civil::Date) -> Option<chrono::Duration> {
    let span: jiff::Span = text.parse().ok()?;
    let days = span.total((jiff::Unit::Day, today)).ok()?;
    (days.fract() == 0.0 && days > 0.0).then(|| chrono::Duration::days(days as i64))
}

/// A date as a CEL timestamp: midnight UTC of that day.
pub(crate) fn timestamp(date: jiff::civil::Date) -> Option<Timestamp> {
    let day = chrono::NaiveDate::from_ymd_opt(
        i32::from(date.year()),
        u32::try_from(date.month()).ok()?,
        u32::try_from(date.day()).ok()?,
    )?;
    Some(day.and_hms_opt(0, 0, 0)?.and_utc().fixed_offset())
}

/// The whole document as CEL's values, for cel's interpreter. Only the top-level tables in
/// `keys` are converted, when given: what no expression reads is never built.
pub fn plan_value(
    document: &Value<'_>,
    today: jiff::civil::Date,
    keys: Option<&BTreeSet<String>>,
) -> Cel {
    let plan = Datum::plan(document);
    let Some(top) = plan.keys() else {
        return Cel::Null;
    };
    let wanted = top
        .into_iter()
        .filter(|key| keys.is_none_or(|keys| keys.contains(*key)));
    table_value(&plan, wanted, today)
}

fn table_value<'k>(
    table: &Datum<'_>,
    keys: impl Iterator<Item = &'k str>,
    today: jiff::civil::Date,
) -> Cel {
    let map: HashMap<Key, Cel> = keys
        .filter_map(|key| {
            let value = table.field(key, today)?;
            Some((
                Key::String(Arc::new(key.to_owned())),
                cel_value(&value, today),
            ))
        })
        .collect();
    Cel::Map(Map { map: Arc::new(map) })
}

/// A datum as CEL's value.
pub(crate) fn cel_value(datum: &Datum<'_>, today: jiff::civil::Date) -> Cel {
    match datum {
        Datum::Null => Cel::Null,
        Datum::Bool(b) => Cel::Bool(*b),
        Datum::Int(n) => Cel::Int(*n),
        Datum::UInt(n) => Cel::UInt(*n),
        Datum::Double(x) => Cel::Float(*x),
        Datum::Text(text) => Cel::String(Arc::new(text.to_string())),
        Datum::Timestamp(at) => Cel::Timestamp(*at),
        Datum::Duration(length) => Cel::Duration(*length),
        Datum::Table(..) => {
            let keys = datum.keys().unwrap_or_default();
            table_value(datum, keys.into_iter(), today)
        }
        Datum::Array(..) | Datum::List(_) => Cel::List(Arc::new(
            datum
                .iter()
                .into_iter()
                .flatten()
                .map(|item| cel_value(&item, today))
                .collect(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval(document: &Value<'_>, expression: &str) -> Cel {
        let program = cel::Program::compile(expression).unwrap();
        let mut context = cel::Context::default();
        context.add_variable_from_value(
            "plan",
            plan_value(document, jiff::civil::date(2026, 12, 2), None),
        );
        program.execute(&context).unwrap()
    }

    const TOML: &str = r#"
[plan]
id = "p"
[timeline]
start = 2026-01-05
[[resources]]
person = "ana"
allocation = "50%"
[[resources]]
person = "bo"
allocation = 0.25
[[raid]]
id = "R-1"
due = 2026-03-01
extra = { note = "kept as written" }
"#;

    #[test]
    fn toml_and_json_give_the_same_typed_values() {
        let arena = plan_model::value::Arena::new();
        let toml = plan_model::parse_toml(TOML, &arena).unwrap();
        let json_text = r#"{"plan": {"id": "p"}, "timeline": {"start": "2026-01-05"},
            "resources": [{"person": "ana", "allocation": "50%"}, {"person": "bo", "allocation": 0.25}],
            "raid": [{"id": "R-1", "due": "2026-03-01", "extra": {"note": "kept as written"}}]}"#;
        let parsed = plan_model::parse("p.plan.json", plan_model::Format::Json, json_text, &arena);
        let json = parsed.plan.as_ref().and_then(|plan| plan.document).unwrap();
        for document in [&toml, json] {
            assert_eq!(
                eval(
                    document,
                    "plan.timeline.start == timestamp('2026-01-05T00:00:00Z')"
                ),
                Cel::Bool(true)
            );
            assert_eq!(
                eval(
                    document,
                    "plan.raid[0].due - plan.timeline.start == duration('1320h')"
                ),
                Cel::Bool(true)
            );
            assert_eq!(
                eval(document, "plan.resources.map(r, r.allocation)"),
                Cel::List(Arc::new(vec![Cel::Float(0.5), Cel::Float(0.25)]))
            );
            assert_eq!(
                eval(document, "plan.raid[0].extra.note"),
                Cel::String(Arc::new("kept as written".into()))
            );
            assert_eq!(
                eval(document, "has(plan.raid[0].mitigation)"),
                Cel::Bool(false)
            );
        }
    }

    #[test]
    fn a_value_that_is_not_its_declared_type_stays_as_written() {
        let arena = plan_model::value::Arena::new();
        let document = plan_model::parse_toml("[timeline]\nstart = \"soon\"\n", &arena).unwrap();
        assert_eq!(
            eval(&document, "plan.timeline.start"),
            Cel::String(Arc::new("soon".into()))
        );
    }

    #[test]
    fn calendar_lengths_count_their_days_from_today() {
        let arena = plan_model::value::Arena::new();
        let document = plan_model::parse_toml("[review]\ncadence = \"1 month\"\n", &arena).unwrap();
        // 2 December 2026 to 2 January 2027: 31 days.
        assert_eq!(
            eval(&document, "plan.review.cadence == duration('744h')"),
            Cel::Bool(true)
        );
        let document = plan_model::parse_toml("[review]\ncadence = \"soon\"\n", &arena).unwrap();
        assert_eq!(
            eval(&document, "plan.review.cadence"),
            Cel::String(Arc::new("soon".into()))
        );
    }
}
