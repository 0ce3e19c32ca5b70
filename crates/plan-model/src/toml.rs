//! TOML front-end: `toml`'s span-preserving parser, read into [`Value`]s.

use crate::value::{Arena, Entry, Kind, Table, Value};
use crate::{Span, SyntaxError};
use bumpalo::Bump;
use std::borrow::Cow;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

pub(crate) fn parse<'a>(text: &'a str, arena: &'a Arena) -> Result<Value<'a>, SyntaxError> {
    let arena = &arena.0;
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
        kind: Kind::Table(table(root.get_ref(), text, false, arena)),
    })
}

/// A string of the file: borrowed from the text, or copied into the arena (escapes).
fn string<'a>(s: &Cow<'a, str>, arena: &'a Bump) -> &'a str {
    match s {
        Cow::Borrowed(s) => s,
        Cow::Owned(s) => arena.alloc_str(s),
    }
}

fn table<'a>(table: &DeTable<'a>, text: &str, header: bool, arena: &'a Bump) -> Table<'a> {
    let mut entries: Vec<Entry<'a>> = table
        .iter()
        .map(|(key, value)| Entry {
            key: string(key.get_ref(), arena),
            key_span: key.span().into(),
            value: convert(value, text, arena),
        })
        .collect();
    // `DeTable` is a sorted map; users read their keys in the order they wrote them.
    entries.sort_by_key(|entry| entry.key_span.start);
    Table {
        entries: arena.alloc_slice_fill_iter(entries),
        header,
    }
}

fn convert<'a>(value: &Spanned<DeValue<'a>>, text: &str, arena: &'a Bump) -> Value<'a> {
    let span: Span = value.span().into();
    let datetime = |dt: &toml::value::Datetime| Kind::Datetime(arena.alloc_str(&dt.to_string()));
    let kind = match value.get_ref() {
        DeValue::String(s) => Kind::String(string(s, arena)),
        DeValue::Integer(i) => {
            let digits = i.as_str().replace('_', "");
            match i64::from_str_radix(&digits, i.radix()) {
                Ok(n) => Kind::Integer(n),
                // Out of i64 range: only a size, so a float keeps it comparable.
                Err(_) => Kind::Float(arena.alloc_str(&digits)),
            }
        }
        DeValue::Float(f) => Kind::Float(arena.alloc_str(&f.as_str().replace('_', ""))),
        DeValue::Boolean(b) => Kind::Boolean(*b),
        DeValue::Datetime(dt) => match (dt.date, dt.time, dt.offset) {
            (Some(d), None, None) => {
                jiff::civil::Date::new(d.year as i16, d.month as i8, d.day as i8)
                    .map(Kind::Date)
                    .unwrap_or_else(|_| datetime(dt))
            }
            _ => datetime(dt),
        },
        DeValue::Array(array) => {
            Kind::Array(arena.alloc_slice_fill_iter(array.iter().map(|v| convert(v, text, arena))))
        }
        // A `[header]` or `[[header]]` table's span is its header line.
        DeValue::Table(t) => {
            let header = text[span.range()].starts_with('[');
            Kind::Table(table(t, text, header, arena))
        }
    };
    Value { span, kind }
}
