//! `plan-lint schema`: the plan format as a JSON Schema (draft 2020-12), for completion and
//! checking in editors (taplo for TOML, VS Code for JSON). Generated from the format's
//! declaration in `plan_model::format`, which the reader enforces, so it cannot drift.

use plan_model::format::{FieldSpec, PLAN_FILE, Shape, TableSpec};
use serde_json::{Map, Value, json};

pub const SCHEMA_ID: &str = "https://github.com/plan-lint/plan-lint/raw/main/docs/plan.schema.json";

pub fn render() -> String {
    let mut defs = Map::new();
    let mut schema = table(&PLAN_FILE, &mut defs);
    let object = schema.as_object_mut().expect("a table is an object schema");
    let mut root = Map::new();
    root.insert(
        "$schema".into(),
        json!("https://json-schema.org/draft/2020-12/schema"),
    );
    root.insert("$id".into(), json!(SCHEMA_ID));
    root.insert(
        "title".into(),
        json!("Implementation Plan (plan-lint, format v1)"),
    );
    root.append(object);
    root.insert("$defs".into(), Value::Object(defs));
    let mut text = serde_json::to_string_pretty(&Value::Object(root)).unwrap_or_default();
    text.push('\n');
    text
}

fn table(spec: &'static TableSpec, defs: &mut Map<String, Value>) -> Value {
    let properties: Map<String, Value> = spec
        .fields
        .iter()
        .map(|field| (field.key.to_owned(), property(field, defs)))
        .collect();
    let required: Vec<&str> = spec
        .fields
        .iter()
        .filter(|field| field.required)
        .map(|field| field.key)
        .collect();
    let mut schema = json!({
        "type": "object",
        "description": spec.description,
        "properties": properties,
        "additionalProperties": false,
    });
    if !required.is_empty() {
        schema["required"] = json!(required);
    }
    schema
}

fn property(field: &FieldSpec, defs: &mut Map<String, Value>) -> Value {
    let mut schema = shape(field, defs);
    if let Some(object) = schema.as_object_mut()
        && !object.contains_key("$ref")
    {
        object.insert("description".into(), json!(field.description));
    }
    schema
}

/// A string that is not blank: a required key holding a blank string is `missing-field`.
const NOT_BLANK: &str = "\\S";
const PLAN_ID: &str = "^[a-z0-9][a-z0-9-]*$";
const ENTRY_ID: &str = "^[A-Za-z0-9][A-Za-z0-9._-]*$";
/// A percentage in (0, 100] with at most two decimals that are not zeros (`50%`, `12.5%`,
/// `0.05%`, `100.00%`), as the reader takes it: `120%`, `0%` and `0.001%` are not.
const PERCENTAGE: &str = concat!(
    "^\\s*(0*100(\\.0+)?",
    "|0*[1-9][0-9]?(\\.[0-9]{1,2}0*)?",
    "|0+\\.(0[1-9]|[1-9][0-9]?)0*",
    ")\\s*%\\s*$"
);
/// `YYYY-MM-DD` with a month and a day that can exist; `format: date` rejects 30 February where
/// formats are checked.
const DATE: &str = "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$";

fn shape(field: &FieldSpec, defs: &mut Map<String, Value>) -> Value {
    let text = |required: bool| {
        if required {
            json!({"type": "string", "pattern": NOT_BLANK})
        } else {
            json!({"type": "string"})
        }
    };
    let name = json!({"type": "string", "pattern": NOT_BLANK});
    let entry_id = json!({"type": "string", "pattern": ENTRY_ID});
    match &field.shape {
        Shape::Version => json!({"const": 1}),
        Shape::Text | Shape::Target => text(field.required),
        Shape::Person => text(field.required),
        Shape::Accountable => json!({
            "anyOf": [{"type": "string"}, {"type": "array", "items": name}],
        }),
        Shape::PlanId => json!({"type": "string", "pattern": PLAN_ID}),
        Shape::EntryId => entry_id,
        Shape::Date => json!({
            "type": "string",
            "format": "date",
            "pattern": DATE,
        }),
        Shape::Duration => json!({
            "type": "string",
            "examples": ["2 weeks", "14d", "1 month", "P2W"],
        }),
        Shape::Rank => json!({"type": "integer", "minimum": 1}),
        Shape::Allocation => json!({
            "anyOf": [
                {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
                {"type": "string", "pattern": PERCENTAGE},
            ],
        }),
        Shape::OneOf(names) => json!({"enum": names}),
        Shape::Names => json!({"type": "array", "items": name}),
        Shape::EntryIds => json!({"type": "array", "items": entry_id}),
        Shape::Texts => json!({"type": "array", "items": {"type": "string"}}),
        Shape::MilestoneRefs => json!({
            "type": "array",
            "items": {
                "type": "string",
                "pattern": "^([a-z0-9][a-z0-9-]*#)?[A-Za-z0-9][A-Za-z0-9._-]*$",
            },
        }),
        Shape::Table(spec) => table(spec, defs),
        Shape::Entries(spec) => {
            if !defs.contains_key(field.key) {
                let entry = table(spec, defs);
                defs.insert(field.key.to_owned(), entry);
            }
            json!({
                "type": "array",
                "description": field.description,
                "items": {"$ref": format!("#/$defs/{}", field.key)},
            })
        }
    }
}
