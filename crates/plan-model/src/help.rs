//! Help in the plan's own syntax. The rules write their help as TOML writes a plan
//! (`mitigation = "…"`, `[people]`, `[[raid]]`, as PLAN-FORMAT does); a JSON, YAML or Markdown
//! plan is told the same thing as its format writes it: `"mitigation": "…"`, `mitigation: "…"`,
//! or `…` in the `Mitigation` cell of its row.
//!
//! Only code spans of those three shapes are rewritten (a key and a value, a table, a
//! collection); every other word of the help is left as it is.

use crate::Format;
use crate::markdown::{header_of_key, heading_of_collection};

/// How a plan of `format` writes what `help` says in TOML, or `None` when it reads the same.
/// `path` is the finding's logical path: an entry of a collection (`raid[R-1].mitigation`) is a
/// row in a Markdown plan, whose keys are its cells. `toml_front_matter` says that a Markdown
/// plan's front matter is TOML (`+++`), which keeps TOML's syntax for the plan's tables.
pub fn in_format(
    help: &str,
    format: Format,
    path: &str,
    toml_front_matter: bool,
) -> Option<String> {
    if format == Format::Toml || !help.contains('`') {
        return None;
    }
    let mut out = String::with_capacity(help.len() + 16);
    let mut changed = false;
    let mut in_row = path
        .split_once('[')
        .is_some_and(|(collection, _)| heading_of_collection(collection).is_some());
    // A `[[collection]]` earlier in the help makes the keys after it an entry's too.
    let mut rest = help;
    while let Some(open) = rest.find('`') {
        let Some(close) = rest[open + 1..].find('`').map(|at| open + 1 + at) else {
            break;
        };
        out.push_str(&rest[..open]);
        let code = &rest[open + 1..close];
        let snippet = Snippet::of(code);
        if let Some(Snippet::Collection(_)) = snippet {
            in_row = true;
        }
        match snippet.and_then(|snippet| snippet.written(format, in_row, toml_front_matter)) {
            Some(written) => {
                out.push_str(&written);
                changed = true;
            }
            None => out.push_str(&rest[open..=close]),
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    changed.then_some(out)
}

/// A code span of a help text that names part of a plan in TOML.
enum Snippet<'a> {
    /// `key = value`
    Assignment(&'a str, &'a str),
    /// `[table]`
    Table(&'a str),
    /// `[[collection]]`
    Collection(&'a str),
}

impl<'a> Snippet<'a> {
    fn of(code: &'a str) -> Option<Snippet<'a>> {
        let is_key = |key: &str| {
            !key.is_empty()
                && key
                    .bytes()
                    .all(|byte| byte.is_ascii_lowercase() || byte == b'_')
        };
        if let Some(name) = code.strip_prefix("[[").and_then(|c| c.strip_suffix("]]")) {
            return is_key(name).then_some(Snippet::Collection(name));
        }
        if let Some(name) = code.strip_prefix('[').and_then(|c| c.strip_suffix(']')) {
            return is_key(name).then_some(Snippet::Table(name));
        }
        let (key, value) = code.split_once(" = ")?;
        (is_key(key) && !value.is_empty()).then_some(Snippet::Assignment(key, value))
    }

    /// The snippet as `format` writes it, as a code span (or a phrase holding one).
    fn written(&self, format: Format, in_row: bool, toml_front_matter: bool) -> Option<String> {
        match (format, self) {
            (Format::Toml, _) => None,
            (Format::Json, Snippet::Assignment(key, value)) => {
                Some(format!("`\"{key}\": {}`", json_value(value)))
            }
            (Format::Json, Snippet::Table(name) | Snippet::Collection(name)) => {
                Some(format!("`\"{name}\"`"))
            }
            (Format::Yaml, Snippet::Assignment(key, value)) => Some(format!("`{key}: {value}`")),
            (Format::Yaml, Snippet::Table(name) | Snippet::Collection(name)) => {
                Some(format!("`{name}:`"))
            }
            (Format::Markdown, Snippet::Collection(name)) => {
                Some(format!("`## {}`", heading_of_collection(name)?))
            }
            (Format::Markdown, Snippet::Assignment(key, "[]"))
                if heading_of_collection(key).is_some() =>
            {
                // An empty collection (never a cell): its heading with no table under it.
                let heading = heading_of_collection(key)?;
                Some(format!("the `## {heading}` heading alone"))
            }
            (Format::Markdown, Snippet::Assignment(key, value)) if in_row => Some(format!(
                "`{}` in the `{}` cell",
                cell_value(value),
                header_of_key(key)
            )),
            (Format::Markdown, _) if toml_front_matter => None,
            (Format::Markdown, snippet) => snippet.written(Format::Yaml, in_row, false),
        }
    }
}

/// A TOML value of a help text as JSON writes it: a date is text.
fn json_value(value: &str) -> String {
    let is_date = value == "YYYY-MM-DD"
        || (value.len() == 10
            && value
                .bytes()
                .enumerate()
                .all(|(at, byte)| matches!(at, 4 | 7) == (byte == b'-')));
    if is_date {
        format!("\"{value}\"")
    } else {
        value.to_owned()
    }
}

/// A TOML value of a help text as a table cell writes it: text without its quotes, a list
/// comma-separated, the empty list `-`.
fn cell_value(value: &str) -> String {
    let unquote = |item: &str| {
        let item = item.trim();
        item.strip_prefix('"')
            .and_then(|inner| inner.strip_suffix('"'))
            .unwrap_or(item)
            .replace("\\\"", "\"")
    };
    match value.strip_prefix('[').and_then(|v| v.strip_suffix(']')) {
        Some(items) if items.trim().is_empty() => "-".to_owned(),
        Some(items) => items
            .split(", ")
            .map(unquote)
            .collect::<Vec<_>>()
            .join(", "),
        None => unquote(value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `help` for a JSON, a YAML and a Markdown plan, then a Markdown plan with TOML front
    /// matter; about an entry of a collection (`in_row`) or a key of a plan's table.
    fn all(help: &str, in_row: bool) -> [String; 4] {
        let path = if in_row {
            "raid[R-1].mitigation"
        } else {
            "health.as_of"
        };
        [Format::Json, Format::Yaml, Format::Markdown]
            .map(|format| in_format(help, format, path, false).unwrap_or_else(|| help.to_owned()))
            .into_iter()
            .chain([
                in_format(help, Format::Markdown, path, true).unwrap_or_else(|| help.to_owned())
            ])
            .collect::<Vec<_>>()
            .try_into()
            .unwrap()
    }

    #[test]
    fn a_key_and_its_value_in_each_format() {
        assert_eq!(
            all(
                "add `mitigation = \"…\"` describing how the risk is reduced",
                true
            ),
            [
                "add `\"mitigation\": \"…\"` describing how the risk is reduced",
                "add `mitigation: \"…\"` describing how the risk is reduced",
                "add `…` in the `Mitigation` cell describing how the risk is reduced",
                "add `…` in the `Mitigation` cell describing how the risk is reduced",
            ]
        );
        assert_eq!(
            all(
                "add `as_of = YYYY-MM-DD`: the day the RAG status was last assessed",
                false
            ),
            [
                "add `\"as_of\": \"YYYY-MM-DD\"`: the day the RAG status was last assessed",
                "add `as_of: YYYY-MM-DD`: the day the RAG status was last assessed",
                "add `as_of: YYYY-MM-DD`: the day the RAG status was last assessed",
                // TOML front matter: as TOML writes it.
                "add `as_of = YYYY-MM-DD`: the day the RAG status was last assessed",
            ]
        );
    }

    #[test]
    fn tables_collections_and_lists() {
        assert_eq!(
            all(
                "add `delivery_lead = \"…\"` under `[people]`: the Delivery Lead",
                false
            ),
            [
                "add `\"delivery_lead\": \"…\"` under `\"people\"`: the Delivery Lead",
                "add `delivery_lead: \"…\"` under `people:`: the Delivery Lead",
                "add `delivery_lead: \"…\"` under `people:`: the Delivery Lead",
                "add `delivery_lead = \"…\"` under `[people]`: the Delivery Lead",
            ]
        );
        // A collection makes the keys after it cells of a row.
        let [json, yaml, markdown, _] = all(
            "add a `[[mechanisms]]` entry with `kind = \"status-report\"` saying how",
            false,
        );
        assert_eq!(
            json,
            "add a `\"mechanisms\"` entry with `\"kind\": \"status-report\"` saying how"
        );
        assert_eq!(
            yaml,
            "add a `mechanisms:` entry with `kind: \"status-report\"` saying how"
        );
        assert_eq!(
            markdown,
            "add a `## Mechanisms` entry with `status-report` in the `Kind` cell saying how"
        );
        let [_, _, markdown, _] = all(
            "add `[[raid]]` entries, or `raid = []` if there is nothing",
            false,
        );
        assert_eq!(
            markdown,
            "add `## RAID log` entries, or the `## RAID log` heading alone if there is nothing"
        );
        let [json, _, markdown, _] = all(
            "add `consulted = [\"…\"]`, or `consulted = []` when nobody is",
            true,
        );
        assert_eq!(
            json,
            "add `\"consulted\": [\"…\"]`, or `\"consulted\": []` when nobody is"
        );
        assert_eq!(
            markdown,
            "add `…` in the `Consulted` cell, or `-` in the `Consulted` cell when nobody is"
        );
    }

    #[test]
    fn other_code_is_left_alone() {
        for help in [
            "did you mean `problem_owner`?",
            "give every row one cell per column: `| a | b |`",
            "name a milestone of another plan as `plan-id#M2`",
            "no code at all",
            "an unclosed `code span",
        ] {
            for format in [Format::Toml, Format::Json, Format::Yaml, Format::Markdown] {
                assert_eq!(in_format(help, format, "raid[R-1]", false), None, "{help}");
            }
        }
    }
}
