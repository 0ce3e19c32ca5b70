//! A plan as CEL sees it: maps and lists, key for key as written, with each value given the
//! type the format declares for its key (dates as timestamps, allocations as doubles, ranks
//! as integers), whatever the file's format wrote (a JSON date is a string, a TOML one a date).
//! A value that does not read as its declared type stays as written: the schema rules report
//! it, and an expression using it as the declared type fails on that plan only.

use cel::Value as Cel;
use cel::objects::{Key, Map};
use plan_model::format::{PLAN_FILE, Shape, TableSpec};
use plan_model::value::{Kind, Value};
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

/// The whole document of a plan; `today` makes calendar lengths (`"1 month"`) exact.
/// Only the top-level tables in `keys` are converted, when given: what no expression reads is
/// never built.
pub fn plan_value(
    document: &Value<'_>,
    today: jiff::civil::Date,
    keys: Option<&BTreeSet<String>>,
) -> Cel {
    let Kind::Table(top) = &document.kind else {
        return Cel::Null;
    };
    let Some(keys) = keys else {
        return table(document, Some(&PLAN_FILE), today);
    };
    let wanted: Vec<_> = top
        .entries
        .iter()
        .filter(|entry| keys.contains(entry.key))
        .cloned()
        .collect();
    let only = Value {
        span: document.span,
        kind: Kind::Table(plan_model::value::Table {
            entries: &wanted,
            header: top.header,
        }),
    };
    table(&only, Some(&PLAN_FILE), today)
}

/// A length of time as the plan writes it (`"2 weeks"`, `"1 month"`, `"P2W"`) as a CEL
/// duration: its days counted from `today` (a month from 2 December is 31 days).
fn duration(text: &str, today: jiff::civil::Date) -> Option<Cel> {
    let span: jiff::Span = text.parse().ok()?;
    let days = span.total((jiff::Unit::Day, today)).ok()?;
    (days.fract() == 0.0 && days > 0.0).then(|| Cel::Duration(chrono::Duration::days(days as i64)))
}

/// A date as a CEL timestamp: midnight UTC of that day.
pub fn timestamp(date: jiff::civil::Date) -> Option<Cel> {
    let day = chrono::NaiveDate::from_ymd_opt(
        i32::from(date.year()),
        u32::try_from(date.month()).ok()?,
        u32::try_from(date.day()).ok()?,
    )?;
    let midnight = day.and_hms_opt(0, 0, 0)?.and_utc().fixed_offset();
    Some(Cel::Timestamp(midnight))
}

fn table(value: &Value<'_>, spec: Option<&'static TableSpec>, today: jiff::civil::Date) -> Cel {
    let Kind::Table(table) = &value.kind else {
        return as_written(value, today);
    };
    let mut map: HashMap<Key, Cel> = HashMap::with_capacity(table.entries.len());
    for entry in table.entries {
        let shape = spec.and_then(|spec| spec.fields.iter().find(|field| field.key == entry.key));
        let converted = match shape.map(|field| &field.shape) {
            Some(shape) => typed(&entry.value, shape, today),
            None => as_written(&entry.value, today),
        };
        // A repeated key is a schema finding; the first is the one the plan means.
        map.entry(Key::String(Arc::new(entry.key.to_owned())))
            .or_insert(converted);
    }
    Cel::Map(Map { map: Arc::new(map) })
}

fn typed(value: &Value<'_>, shape: &Shape, today: jiff::civil::Date) -> Cel {
    match (shape, &value.kind) {
        (Shape::Date, Kind::Date(date)) => {
            timestamp(*date).unwrap_or_else(|| as_written(value, today))
        }
        (Shape::Date, Kind::String(text)) => text
            .parse::<jiff::civil::Date>()
            .ok()
            .filter(|_| text.len() == 10)
            .and_then(timestamp)
            .unwrap_or_else(|| as_written(value, today)),
        (Shape::Allocation, Kind::String(text)) => text
            .trim()
            .strip_suffix('%')
            .and_then(|percent| percent.trim().parse::<f64>().ok())
            .map_or_else(
                || as_written(value, today),
                |percent| Cel::Float(percent / 100.0),
            ),
        (Shape::Allocation, Kind::Integer(n)) => Cel::Float(*n as f64),
        (Shape::Duration, Kind::String(text)) => {
            duration(text, today).unwrap_or_else(|| as_written(value, today))
        }
        (Shape::Table(spec), _) => table(value, Some(spec), today),
        (Shape::Entries(spec), Kind::Array(entries)) => Cel::List(Arc::new(
            entries
                .iter()
                .map(|entry| table(entry, Some(spec), today))
                .collect(),
        )),
        _ => as_written(value, today),
    }
}

/// A value as its own syntax says.
fn as_written(value: &Value<'_>, today: jiff::civil::Date) -> Cel {
    match &value.kind {
        Kind::String(text) => Cel::String(Arc::new((*text).to_owned())),
        Kind::Integer(n) => Cel::Int(*n),
        Kind::Float(text) => text
            .parse::<f64>()
            .map_or_else(|_| Cel::String(Arc::new((*text).to_owned())), Cel::Float),
        Kind::Boolean(b) => Cel::Bool(*b),
        Kind::Date(date) => timestamp(*date).unwrap_or(Cel::Null),
        Kind::Datetime(text) => Cel::String(Arc::new((*text).to_owned())),
        Kind::Null => Cel::Null,
        Kind::Array(items) => Cel::List(Arc::new(
            items.iter().map(|item| as_written(item, today)).collect(),
        )),
        Kind::Table(_) => table(value, None, today),
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
