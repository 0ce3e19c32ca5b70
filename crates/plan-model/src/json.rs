//! JSON front-end: strict JSON (no comments, no trailing commas) read with `jsonc-parser`,
//! which keeps the byte range of every value and key and bounds nesting depth.

use crate::value::{Entry, Kind, Table, Value};
use crate::{Span, SyntaxError};
use jsonc_parser::ast;
use jsonc_parser::{CollectOptions, ParseOptions};
use std::collections::HashMap;

pub(crate) fn parse(text: &str) -> Result<Value, SyntaxError> {
    let options = ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    let parsed =
        jsonc_parser::parse_to_ast(text, &CollectOptions::default(), &options).map_err(|e| {
            let range = e.range();
            SyntaxError {
                message: lowercase_first(&e.kind().to_string()),
                span: Span::new(range.start, range.end),
            }
        })?;
    match parsed.value {
        Some(value) => convert(&value),
        None => Err(SyntaxError {
            message: "the file holds no JSON value".into(),
            span: Span::new(0, 0),
        }),
    }
}

fn convert(value: &ast::Value<'_>) -> Result<Value, SyntaxError> {
    let range = match value {
        ast::Value::StringLit(v) => v.range,
        ast::Value::NumberLit(v) => v.range,
        ast::Value::BooleanLit(v) => v.range,
        ast::Value::Object(v) => v.range,
        ast::Value::Array(v) => v.range,
        ast::Value::NullKeyword(v) => v.range,
    };
    let span = Span::new(range.start, range.end);
    let kind = match value {
        ast::Value::StringLit(s) => Kind::String(s.value.to_string()),
        ast::Value::NumberLit(n) => match n.value.parse::<i64>() {
            Ok(i) => Kind::Integer(i),
            Err(_) => Kind::Float(n.value.parse().unwrap_or(f64::NAN)),
        },
        ast::Value::BooleanLit(b) => Kind::Boolean(b.value),
        ast::Value::NullKeyword(_) => Kind::Null,
        ast::Value::Array(a) => {
            Kind::Array(a.elements.iter().map(convert).collect::<Result<_, _>>()?)
        }
        ast::Value::Object(object) => Kind::Table(table(object)?),
    };
    Ok(Value { span, kind })
}

fn table(object: &ast::Object<'_>) -> Result<Table, SyntaxError> {
    let mut seen: HashMap<&str, ()> = HashMap::with_capacity(object.properties.len());
    let mut entries = Vec::with_capacity(object.properties.len());
    for property in &object.properties {
        let (key, range) = match &property.name {
            ast::ObjectPropName::String(s) => (s.value.as_ref(), s.range),
            ast::ObjectPropName::Word(w) => (w.value, w.range),
        };
        let key_span = Span::new(range.start, range.end);
        // JSON itself tolerates repeated keys, but TOML forbids them and a plan's twin in the
        // other format must give the same findings; a repeated key is also always a mistake.
        if seen.insert(key, ()).is_some() {
            return Err(SyntaxError {
                message: format!("duplicate key `{key}`"),
                span: key_span,
            });
        }
        entries.push(Entry {
            key: key.to_owned(),
            key_span,
            value: convert(&property.value)?,
        });
    }
    Ok(Table {
        entries,
        header: false,
    })
}

fn lowercase_first(message: &str) -> String {
    let mut chars = message.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}
