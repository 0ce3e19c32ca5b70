//! TOML front-end: `toml`'s span-preserving parser, read into [`Value`]s.

use crate::value::{Entry, Kind, Table, Value};
use crate::{Span, SyntaxError};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

pub(crate) fn parse(text: &str) -> Result<Value<'_>, SyntaxError> {
    let root = DeTable::parse(text).map_err(|e| {
        let span = e.span().map(Span::from).unwrap_or_default();
        let mut message = e.message().trim().replace('\n', "; ");
        if message == "duplicate key" {
            // Name the key, as the JSON front-end does, so a plan's twins read the same.
            message = format!(
                "duplicate key `{}`",
                text[span.range()].trim_matches(['"', '\''])
            );
        }
        SyntaxError { message, span }
    })?;
    let span = Span::new(0, text.len());
    Ok(Value {
        span,
        kind: Kind::Table(table(root.get_ref(), text, false)),
    })
}

fn table<'a>(table: &DeTable<'a>, text: &str, header: bool) -> Table<'a> {
    let mut entries: Vec<Entry<'a>> = table
        .iter()
        .map(|(key, value)| Entry {
            key: key.get_ref().clone(),
            key_span: key.span().into(),
            value: convert(value, text),
        })
        .collect();
    // `DeTable` is a sorted map; users read their keys in the order they wrote them.
    entries.sort_by_key(|entry| entry.key_span.start);
    Table { entries, header }
}

fn convert<'a>(value: &Spanned<DeValue<'a>>, text: &str) -> Value<'a> {
    let span: Span = value.span().into();
    let kind = match value.get_ref() {
        DeValue::String(s) => Kind::String(s.clone()),
        DeValue::Integer(i) => {
            let digits = i.as_str().replace('_', "");
            match i64::from_str_radix(&digits, i.radix()) {
                Ok(n) => Kind::Integer(n),
                // Out of i64 range: only a size, so a float keeps it comparable.
                Err(_) => Kind::Float(digits.parse().unwrap_or(f64::INFINITY)),
            }
        }
        DeValue::Float(f) => Kind::Float(f.as_str().replace('_', "").parse().unwrap_or(f64::NAN)),
        DeValue::Boolean(b) => Kind::Boolean(*b),
        DeValue::Datetime(dt) => match (dt.date, dt.time, dt.offset) {
            (Some(d), None, None) => {
                jiff::civil::Date::new(d.year as i16, d.month as i8, d.day as i8)
                    .map(Kind::Date)
                    .unwrap_or_else(|_| Kind::Datetime(dt.to_string()))
            }
            _ => Kind::Datetime(dt.to_string()),
        },
        DeValue::Array(array) => Kind::Array(array.iter().map(|v| convert(v, text)).collect()),
        // A `[header]` or `[[header]]` table's span is its header line.
        DeValue::Table(t) => Kind::Table(table(t, text, text[span.range()].starts_with('['))),
    };
    Value { span, kind }
}
