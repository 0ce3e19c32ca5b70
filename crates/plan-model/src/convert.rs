//! A TOML plan written as YAML, key for key and comment for comment: what `plan-lint init`
//! writes for a YAML plan, and how the tests hold the YAML reader to the TOML one on every
//! fixture.
//!
//! Tables become block mappings, arrays of tables block sequences, other arrays flow
//! sequences; dates stay unquoted (a YAML plan's dates), every other string is double-quoted
//! (so `no`, `1` or `2026` stay text). Each comment keeps its place: one on a line of its own
//! goes above the key that follows it, one after a value stays after that value.

use crate::value::{Arena, Kind, Value};
use toml_parser::lexer::TokenKind;

/// `toml_text` as YAML; `None` when it is not TOML.
pub fn toml_to_yaml(toml_text: &str) -> Option<String> {
    let arena = Arena::new();
    let root = crate::toml::parse(toml_text, &arena).ok()?;
    let comments: Vec<(usize, usize)> = toml_parser::Source::new(toml_text)
        .lex()
        .filter(|token| token.kind() == TokenKind::Comment)
        .map(|token| (token.span().start(), token.span().end()))
        .collect();
    let mut writer = Writer {
        text: toml_text,
        comments,
        next_comment: 0,
        out: String::new(),
    };
    let Kind::Table(table) = &root.kind else {
        return None;
    };
    writer.mapping(table.entries, 0, None);
    writer.rest();
    Some(writer.out)
}

struct Writer<'t> {
    text: &'t str,
    /// Every comment's span, in order; those before `next_comment` are written.
    comments: Vec<(usize, usize)>,
    next_comment: usize,
    out: String,
}

impl Writer<'_> {
    /// The entries of a table at `indent`; the first one after `first_prefix` (`- ` of a list
    /// item) when given.
    fn mapping(
        &mut self,
        entries: &[crate::value::Entry<'_>],
        indent: usize,
        first_prefix: Option<&str>,
    ) {
        let pad = " ".repeat(indent);
        for (at, entry) in entries.iter().enumerate() {
            self.blank_line_before(entry.key_span.start);
            let prefix = match (at, first_prefix) {
                (0, Some(prefix)) => {
                    // Comments above a list item go above its dash.
                    self.comments_before(entry.key_span.start, indent.saturating_sub(2));
                    format!("{}{prefix}", " ".repeat(indent.saturating_sub(2)))
                }
                // Comments above an array of tables' first header are its first item's.
                _ if is_table_array(&entry.value) => pad.clone(),
                _ => {
                    self.comments_before(entry.key_span.start, indent);
                    pad.clone()
                }
            };
            self.out.push_str(&prefix);
            self.out.push_str(&key(entry.key));
            self.out.push(':');
            match &entry.value.kind {
                Kind::Table(table) if !table.entries.is_empty() => {
                    self.trailing_comment(entry.key_span.end);
                    self.out.push('\n');
                    self.mapping(table.entries, indent + 2, None);
                }
                Kind::Array(items) if is_table_array(&entry.value) => {
                    self.trailing_comment(entry.key_span.end);
                    self.out.push('\n');
                    for item in items.iter() {
                        if let Kind::Table(table) = &item.kind {
                            self.mapping(table.entries, indent + 4, Some("- "));
                        }
                    }
                }
                _ => {
                    self.out.push(' ');
                    self.out.push_str(&flow(&entry.value));
                    self.trailing_comment(entry.value.span.end);
                    self.out.push('\n');
                }
            }
        }
    }

    /// A blank line where the TOML has one before the key at `offset` (or before the comments
    /// above it), as between a plan's tables.
    fn blank_line_before(&mut self, offset: usize) {
        let anchor = match self.comments.get(self.next_comment) {
            Some(&(start, _)) if start < offset => start,
            _ => offset,
        };
        let line_start = self.text[..anchor].rfind('\n').map_or(0, |at| at + 1);
        let before = self.text[..line_start].trim_end_matches(['\n', '\r']);
        let blank = self.text[before.len()..line_start].matches('\n').count() > 1;
        if blank && !self.out.is_empty() && !self.out.ends_with("\n\n") {
            self.out.push('\n');
        }
    }

    /// The comments on lines of their own before `offset`, at `indent`.
    fn comments_before(&mut self, offset: usize, indent: usize) {
        while let Some(&(start, end)) = self.comments.get(self.next_comment) {
            if start > offset {
                break;
            }
            self.next_comment += 1;
            self.out.push_str(&" ".repeat(indent));
            self.out.push_str(&self.text[start..end]);
            self.out.push('\n');
        }
    }

    /// A comment after `offset` on its line, after the value written there.
    fn trailing_comment(&mut self, offset: usize) {
        let line_end = self.text[offset..]
            .find('\n')
            .map_or(self.text.len(), |at| offset + at);
        if let Some(&(start, end)) = self.comments.get(self.next_comment)
            && start >= offset
            && start < line_end
        {
            self.next_comment += 1;
            self.out.push_str("  ");
            self.out.push_str(&self.text[start..end]);
        }
    }

    /// Comments after the last key.
    fn rest(&mut self) {
        self.comments_before(self.text.len(), 0);
    }
}

/// A non-empty array of non-empty tables: a block sequence of mappings.
fn is_table_array(value: &Value<'_>) -> bool {
    matches!(&value.kind, Kind::Array(items) if !items.is_empty()
        && items.iter().all(|item| matches!(&item.kind, Kind::Table(t) if !t.entries.is_empty())))
}

/// A value on one line: a flow sequence or mapping, or a scalar.
fn flow(value: &Value<'_>) -> String {
    match &value.kind {
        Kind::String(text) => quoted(text),
        Kind::Integer(n) => n.to_string(),
        Kind::Float(text) => (*text).to_owned(),
        Kind::Boolean(b) => b.to_string(),
        Kind::Date(date) => date.to_string(),
        Kind::Datetime(text) => quoted(text),
        Kind::Null => "null".to_owned(),
        Kind::Array(items) => {
            let items: Vec<String> = items.iter().map(flow).collect();
            format!("[{}]", items.join(", "))
        }
        Kind::Table(table) => {
            let entries: Vec<String> = table
                .entries
                .iter()
                .map(|entry| format!("{}: {}", key(entry.key), flow(&entry.value)))
                .collect();
            format!("{{{}}}", entries.join(", "))
        }
    }
}

/// A key bare when YAML reads it back as the same text, quoted otherwise.
fn key(key: &str) -> String {
    let bare = key
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'$')
        && key
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_' || b == b'$');
    if bare { key.to_owned() } else { quoted(key) }
}

/// A YAML double-quoted scalar (JSON's escapes, which YAML reads).
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}') => {
                out.push_str(&format!("\\u{:04x}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_toml_plan_reads_back_from_its_yaml_as_the_same_values() {
        let toml = r#"# A plan
version = 1

[plan]
id = "p"            # the id
title = "no"

# the people
[people]
team = ["a", "b"]

[[raid]]
id = "R-1"
due = 2026-11-24
share = 0.5
owner = "x" # plan-lint: allow(unknown-person) -- contractor

# second item
[[raid]]
id = "R-2"
tags = []
empty = {}
"#;
        let yaml = toml_to_yaml(toml).unwrap();
        assert_eq!(
            yaml,
            r#"# A plan
version: 1

plan:
  id: "p"  # the id
  title: "no"

# the people
people:
  team: ["a", "b"]

raid:
  - id: "R-1"
    due: 2026-11-24
    share: 0.5
    owner: "x"  # plan-lint: allow(unknown-person) -- contractor

  # second item
  - id: "R-2"
    tags: []
    empty: {}
"#
        );
        let (a, b) = (Arena::new(), Arena::new());
        let from_toml = crate::toml::parse(toml, &a).unwrap();
        let from_yaml = crate::yaml::parse(&yaml, &b).unwrap();
        fn strip(value: &Value<'_>) -> String {
            match &value.kind {
                Kind::Table(table) => {
                    let entries: Vec<String> = table
                        .entries
                        .iter()
                        .map(|e| format!("{}={}", e.key, strip(&e.value)))
                        .collect();
                    format!("{{{}}}", entries.join(","))
                }
                Kind::Array(items) => format!(
                    "[{}]",
                    items.iter().map(strip).collect::<Vec<_>>().join(",")
                ),
                kind => format!("{kind:?}"),
            }
        }
        assert_eq!(strip(&from_toml), strip(&from_yaml));
    }
}
