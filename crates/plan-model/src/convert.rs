//! A TOML plan written as YAML (key for key and comment for comment), as a Markdown plan and as
//! JSON: what `plan-lint init` writes, how `plan-lint explain` shows a rule's examples in
//! each format, and how the tests hold each reader to the TOML one on every fixture.
//!
//! Tables become block mappings, arrays of tables block sequences, other arrays flow
//! sequences; dates stay unquoted (a YAML plan's dates), every other string is double-quoted
//! (so `no`, `1` or `2026` stay text). Each comment keeps its place: one on a line of its own
//! goes above the key that follows it, one after a value stays after that value.

use crate::fix::quoted;
use crate::value::{Arena, Kind, Value};
use serde_json::{Map, Value as Json};
use toml_parser::lexer::TokenKind;

/// `toml_text` in `format`, with the language a fenced code block of it names (`md` for a
/// Markdown plan); `None` when it is not TOML, or holds what the format cannot (a suppression
/// comment JSON has no entry for, a nested table in a Markdown row).
pub fn toml_to(format: crate::Format, toml_text: &str) -> Option<(&'static str, String)> {
    match format {
        crate::Format::Toml => Some(("toml", toml_text.to_owned())),
        crate::Format::Json => Some(("json", toml_to_json(toml_text)?)),
        crate::Format::Yaml => Some(("yaml", toml_to_yaml(toml_text)?)),
        crate::Format::Markdown => Some(("md", toml_to_markdown(toml_text)?)),
    }
}

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

/// `toml_text` as JSON, key for key, dates as strings, its `# plan-lint:` comments as
/// `lint.allow` entries (other comments have nowhere to go); `None` when it is not TOML, or
/// holds a suppression comment with no such form.
pub fn toml_to_json(toml_text: &str) -> Option<String> {
    let arena = Arena::new();
    let root = crate::toml::parse(toml_text, &arena).ok()?;
    let mut plan = json(&root);
    let allows = toml_suppressions_as_allow_entries(toml_text)?;
    if !allows.is_empty() {
        let lint = plan
            .as_object_mut()?
            .entry("lint")
            .or_insert_with(|| Json::Object(Map::new()));
        let allow = lint
            .as_object_mut()?
            .entry("allow")
            .or_insert_with(|| Json::Array(Vec::new()));
        let allow = allow.as_array_mut()?;
        for entry in allows {
            let mut written = Map::new();
            written.insert("rule".into(), entry.rule.into());
            if let Some(at) = entry.at {
                written.insert("at".into(), at.into());
            }
            if let Some(until) = entry.until {
                written.insert("until".into(), until.to_string().into());
            }
            if let Some(reason) = entry.reason {
                written.insert("reason".into(), reason.into());
            }
            allow.push(Json::Object(written));
        }
    }
    let mut text = serde_json::to_string_pretty(&plan).ok()?;
    text.push('\n');
    Some(text)
}

fn json(value: &Value) -> Json {
    match &value.kind {
        Kind::String(s) => Json::from(*s),
        Kind::Integer(n) => Json::from(*n),
        Kind::Float(written) => written
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map_or(Json::Null, Json::Number),
        Kind::Boolean(b) => Json::from(*b),
        Kind::Date(d) => Json::from(d.to_string()),
        Kind::Datetime(s) => Json::from(*s),
        Kind::Null => Json::Null,
        Kind::Array(items) => Json::Array(items.iter().map(json).collect()),
        Kind::Table(table) => Json::Object(
            table
                .entries
                .iter()
                .map(|entry| (entry.key.to_string(), json(&entry.value)))
                .collect::<Map<String, Json>>(),
        ),
    }
}

/// A `lint.allow` entry: how a file without comments (JSON) writes a suppression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllowEntry {
    pub rule: String,
    /// The JSON pointer of what it covers; `None` for the whole file.
    pub at: Option<String>,
    pub until: Option<jiff::civil::Date>,
    pub reason: Option<String>,
}

/// The `# plan-lint:` comments of `toml_text` as `lint.allow` entries, one per rule named: an
/// `allow(…)` covers the key or entry that starts on its line (the pointer of the first one in
/// the file's order: `owner = …` → `/raid/0/owner`, `[[raid]]` → `/raid/0`), an
/// `allow-file(…)` the file. `None` when the text is not TOML, or a comment has no such form:
/// it cannot be read, or no key starts on its line.
pub fn toml_suppressions_as_allow_entries(toml_text: &str) -> Option<Vec<AllowEntry>> {
    let arena = Arena::new();
    let root = crate::toml::parse(toml_text, &arena).ok()?;
    let source = crate::SourceFile::new("", toml_text.to_owned());
    let directives: Vec<crate::directive::CommentAllow> = crate::directive::directives(&source)
        .into_iter()
        .map(|directive| directive.content.ok())
        .collect::<Option<_>>()?;
    // The lines the comments cover, each with the pointer of the first key starting there:
    // found in one walk of the tree.
    let mut pointers: foldhash::HashMap<usize, Option<String>> = directives
        .iter()
        .filter_map(|allow| match allow.scope {
            crate::directive::Scope::Line(line) => Some((line, None)),
            crate::directive::Scope::File => None,
        })
        .collect();
    if !pointers.is_empty() {
        pointers_on_lines(&root, &source, &mut String::new(), &mut pointers);
    }
    let mut entries = Vec::new();
    for allow in directives {
        let at = match allow.scope {
            crate::directive::Scope::File => None,
            crate::directive::Scope::Line(line) => Some(pointers.get(&line)?.clone()?),
        };
        entries.extend(allow.rules.into_iter().map(|rule| AllowEntry {
            rule: rule.value,
            at: at.clone(),
            until: allow.until,
            reason: allow.reason.clone(),
        }));
    }
    Some(entries)
}

/// For each line of `pointers` not yet given one, the JSON pointer (under `pointer`, the path
/// to `value`) of the first key, or entry of a collection, inside `value` that starts on it.
fn pointers_on_lines(
    value: &Value<'_>,
    source: &crate::SourceFile,
    pointer: &mut String,
    pointers: &mut foldhash::HashMap<usize, Option<String>>,
) {
    let mark =
        |pointers: &mut foldhash::HashMap<usize, Option<String>>, start, pointer: &String| {
            if let Some(slot @ None) = pointers.get_mut(&source.line(start)) {
                *slot = Some(pointer.clone());
            }
        };
    let depth = pointer.len();
    match &value.kind {
        Kind::Table(table) => {
            for entry in table.entries {
                pointer.truncate(depth);
                pointer.push('/');
                pointer.push_str(&entry.key.replace('~', "~0").replace('/', "~1"));
                // `[[raid]]`: the key is written in the first entry's header, which is the
                // entry's.
                let in_a_header = matches!(&entry.value.kind,
                    Kind::Array(items) if items.first().is_some_and(|first| first.span.start <= entry.key_span.start));
                if !in_a_header {
                    mark(pointers, entry.key_span.start, pointer);
                }
                pointers_on_lines(&entry.value, source, pointer, pointers);
            }
        }
        Kind::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                pointer.truncate(depth);
                pointer.push('/');
                pointer.push_str(itoa::Buffer::new().format(index));
                if matches!(item.kind, Kind::Table(_)) {
                    mark(pointers, item.span.start, pointer);
                }
                pointers_on_lines(item, source, pointer, pointers);
            }
        }
        _ => {}
    }
    pointer.truncate(depth);
}

/// `toml_text` as a Markdown plan: its tables as YAML front matter (none when it has none),
/// each collection a table under its heading, comments in a row's last cell (as HTML comments)
/// when they were in its entry or just above it, in the front matter otherwise; `None` when it
/// is not TOML, or holds a collection a table cannot (an entry that is not a table, a value
/// that is a table).
pub fn toml_to_markdown(toml_text: &str) -> Option<String> {
    let arena = Arena::new();
    let root = crate::toml::parse(toml_text, &arena).ok()?;
    let Kind::Table(table) = &root.kind else {
        return None;
    };
    let comments: Vec<(usize, usize)> = toml_parser::Source::new(toml_text)
        .lex()
        .filter(|token| token.kind() == TokenKind::Comment)
        .map(|token| (token.span().start(), token.span().end()))
        .collect();
    let is_collection = |entry: &crate::value::Entry<'_>| {
        crate::markdown::COLLECTION_HEADINGS
            .iter()
            .any(|(_, collection)| *collection == entry.key)
            && matches!(&entry.value.kind, Kind::Array(items) if items.iter().all(|i| matches!(i.kind, Kind::Table(_))))
    };
    // Each row's comments: those inside its entry, or on the lines just above its header.
    let mut row_comments: Vec<(usize, usize, Vec<String>)> = Vec::new();
    let mut taken = vec![false; comments.len()];
    for entry in table.entries.iter().filter(|entry| is_collection(entry)) {
        let Kind::Array(items) = &entry.value.kind else {
            continue;
        };
        for item in items.iter() {
            let Kind::Table(row) = &item.kind else {
                continue;
            };
            let end = row
                .entries
                .iter()
                .map(|e| e.value.span.end)
                .max()
                .unwrap_or(item.span.end);
            let end = toml_text[end..]
                .find('\n')
                .map_or(toml_text.len(), |at| end + at);
            let mut start = toml_text[..item.span.start]
                .rfind('\n')
                .map_or(0, |at| at + 1);
            // Comment lines right above the header are the row's too.
            while start > 0 {
                let above = toml_text[..start - 1].rfind('\n').map_or(0, |at| at + 1);
                if toml_text[above..start].trim_start().starts_with('#') {
                    start = above;
                } else {
                    break;
                }
            }
            let mut own = Vec::new();
            // The comments are in the file's order: those of this row are found by halving,
            // not by going over all of them for every row.
            let first = comments.partition_point(|&(from, _)| from < start);
            for (index, &(from, to)) in comments.iter().enumerate().skip(first) {
                if from >= end {
                    break;
                }
                if to <= end && !taken[index] {
                    taken[index] = true;
                    own.push(
                        toml_text[from..to]
                            .trim_start_matches('#')
                            .trim()
                            .to_owned(),
                    );
                }
            }
            row_comments.push((item.span.start, end, own));
        }
    }
    let front: Vec<crate::value::Entry<'_>> = table
        .entries
        .iter()
        .filter(|e| !is_collection(e))
        .cloned()
        .collect();
    let mut writer = Writer {
        text: toml_text,
        comments: comments
            .iter()
            .zip(&taken)
            .filter(|(_, taken)| !**taken)
            .map(|(comment, _)| *comment)
            .collect(),
        next_comment: 0,
        out: String::new(),
    };
    writer.mapping(&front, 0, None);
    writer.rest();
    // No front matter for a plan of collections alone (a rule page's example).
    let mut out = if writer.out.is_empty() {
        String::new()
    } else {
        format!("---\n{}---\n", writer.out)
    };
    let mut rows = row_comments.into_iter();
    for entry in table.entries.iter().filter(|e| is_collection(e)) {
        let Kind::Array(items) = &entry.value.kind else {
            continue;
        };
        let heading = crate::markdown::heading_of_collection(entry.key)?;
        // Every key of the rows, in the order first written, and the column of each.
        let mut columns: Vec<&str> = Vec::new();
        let mut column_of: foldhash::HashMap<&str, usize> = foldhash::HashMap::default();
        for item in items.iter() {
            if let Kind::Table(row) = &item.kind {
                for e in row.entries {
                    column_of.entry(e.key).or_insert_with(|| {
                        columns.push(e.key);
                        columns.len() - 1
                    });
                }
            }
        }
        // A table is rows times columns: one whose cells would far outnumber the plan's bytes
        // (each row a key of its own) has no fair form as a table.
        if items.len().saturating_mul(columns.len()) > toml_text.len() + 1024 {
            return None;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&format!("## {heading}\n\n"));
        if columns.is_empty() {
            continue;
        }
        let header: Vec<String> = columns
            .iter()
            .map(|c| crate::markdown::header_of_key(c))
            .collect();
        out.push_str(&format!("| {} |\n", header.join(" | ")));
        out.push_str(&format!("|{}\n", " --- |".repeat(columns.len())));
        for item in items.iter() {
            let Kind::Table(row) = &item.kind else {
                continue;
            };
            let (_, _, notes) = rows.next()?;
            let mut cells = vec![String::new(); columns.len()];
            for e in row.entries {
                cells[column_of[e.key]] = match &e.value.kind {
                    // `accountable` is one name: a list of one keeps a comma to stay a list.
                    Kind::Array(items) if e.key == "accountable" && items.len() == 1 => {
                        format!("{},", cell(&e.value)?)
                    }
                    _ => cell(&e.value)?,
                };
            }
            if let Some(last) = cells.last_mut() {
                for note in &notes {
                    last.push_str(&format!(" <!-- {} -->", note.replace("-->", "- ->")));
                }
            }
            out.push_str(&format!("| {} |\n", cells.join(" | ")));
        }
    }
    Some(out)
}

/// A value as a table cell: text as it is (`|` escaped), a list comma-separated; `None` for a
/// value a cell cannot hold as it is (text with a line break, blanks at its ends or a comment
/// marker; a list item that is empty, `-`, or holds a comma).
fn cell(value: &Value<'_>) -> Option<String> {
    let text = |text: &str| {
        let lossy = text.contains(['\n', '\r'])
            || text.trim() != text
            || text.contains("<!--")
            || (text.starts_with('`') && text.ends_with('`'));
        (!lossy).then(|| text.replace('|', "\\|"))
    };
    Some(match &value.kind {
        Kind::String(s) => text(s)?,
        Kind::Integer(n) => n.to_string(),
        Kind::Float(f) => (*f).to_owned(),
        Kind::Boolean(b) => b.to_string(),
        Kind::Date(d) => d.to_string(),
        Kind::Datetime(s) => text(s)?,
        Kind::Null => String::new(),
        // `-` is the empty list: an empty cell is an absent key.
        Kind::Array([]) => "-".to_owned(),
        Kind::Array(items) => {
            let items: Option<Vec<String>> = items
                .iter()
                .map(|item| match &item.kind {
                    Kind::String(s)
                        if s.is_empty() || matches!(*s, "-" | "—") || s.contains(',') =>
                    {
                        None
                    }
                    Kind::Array(_) | Kind::Table(_) => None,
                    _ => cell(item),
                })
                .collect();
            items?.join(", ")
        }
        Kind::Table(_) => return None,
    })
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

    #[test]
    fn a_plan_of_collections_alone_is_tables_without_a_front_matter() {
        let toml = "[[raid]]\nid = \"R-3\"\nowner = \"dan\"\n";
        assert_eq!(
            toml_to_markdown(toml).unwrap(),
            "## RAID log\n\n| ID | Owner |\n| --- | --- |\n| R-3 | dan |\n"
        );
        let with_table =
            toml_to_markdown("[plan]\nid = \"p\"\n\n[[raid]]\nid = \"R-3\"\n").unwrap();
        assert_eq!(
            with_table,
            "---\nplan:\n  id: \"p\"\n---\n\n## RAID log\n\n| ID |\n| --- |\n| R-3 |\n"
        );
    }

    #[test]
    fn suppression_comments_become_allow_entries_at_the_key_of_their_line() {
        let toml = "# plan-lint: allow-file(backlog-priority) -- ranked in the tracker\n\
                    [plan]\nid = \"p\"\n\n\
                    # plan-lint: allow(raid-mitigation, PL004) until 2027-01-31 -- agreed\n\
                    [[raid]]\nid = \"R-1\"\n\n[[raid]]\nid = \"R-2\"\n\
                    owner = \"x\" # plan-lint: allow(unknown-person) -- contractor\n\
                    \"a/b\" = [{c = 1}] # plan-lint: allow(x)\n";
        let entry =
            |rule: &str, at: Option<&str>, until: Option<&str>, reason: Option<&str>| AllowEntry {
                rule: rule.to_owned(),
                at: at.map(str::to_owned),
                until: until.map(|d| d.parse().unwrap()),
                reason: reason.map(str::to_owned),
            };
        assert_eq!(
            toml_suppressions_as_allow_entries(toml).unwrap(),
            [
                entry(
                    "backlog-priority",
                    None,
                    None,
                    Some("ranked in the tracker")
                ),
                entry(
                    "raid-mitigation",
                    Some("/raid/0"),
                    Some("2027-01-31"),
                    Some("agreed")
                ),
                entry("PL004", Some("/raid/0"), Some("2027-01-31"), Some("agreed")),
                entry(
                    "unknown-person",
                    Some("/raid/1/owner"),
                    None,
                    Some("contractor")
                ),
                entry("x", Some("/raid/1/a~1b"), None, None),
            ]
        );
        // A comment that covers no key (a blank line under it) has no pointer to be written as.
        assert_eq!(
            toml_suppressions_as_allow_entries("# plan-lint: allow(x) -- y\n\n[plan]\n"),
            None
        );
    }

    /// Each row's comments and each comment's pointer are found by halving and in one walk
    /// (both were searched for every row, or every comment, in the square of the plan's size):
    /// at 5,000 rows, every one still gets its own.
    #[test]
    fn many_rows_with_comments_each_keep_their_own() {
        let rows = 5_000;
        let toml: String = (0..rows)
            .map(|i| {
                format!("# plan-lint: allow(x) -- r{i}\n[[raid]]\nid = \"R-{i}\" # note {i}\n\n")
            })
            .collect();
        let entries = toml_suppressions_as_allow_entries(&toml).unwrap();
        assert_eq!(entries.len(), rows);
        for (i, entry) in entries.iter().enumerate() {
            assert_eq!(entry.at.as_deref(), Some(format!("/raid/{i}").as_str()));
            assert_eq!(entry.reason.as_deref(), Some(format!("r{i}").as_str()));
        }
        let markdown = toml_to_markdown(&toml).unwrap();
        let table: Vec<&str> = markdown.lines().filter(|l| l.starts_with("| R-")).collect();
        assert_eq!(table.len(), rows);
        for (i, row) in table.iter().enumerate() {
            assert_eq!(
                *row,
                format!("| R-{i} <!-- plan-lint: allow(x) -- r{i} --> <!-- note {i} --> |")
            );
        }
    }

    /// Rows that each bring a key of their own would make a table of rows times columns, in the
    /// square of the plan's size: no Markdown form, while a plan of the same size with shared
    /// keys has one.
    #[test]
    fn a_table_far_larger_than_its_plan_is_not_written() {
        let distinct: String = (0..3_000)
            .map(|i| format!("[[raid]]\nkey{i} = \"v\"\n"))
            .collect();
        assert_eq!(toml_to_markdown(&distinct), None);
        let shared: String = (0..3_000)
            .map(|i| format!("[[raid]]\nid = \"R-{i}\"\n"))
            .collect();
        assert_eq!(
            toml_to_markdown(&shared).map(|m| m.lines().count()),
            Some(3_000 + 4)
        );
    }
}
