//! Markdown front-end: a plan as the document a Delivery Lead already keeps (`*.plan.md`).
//!
//! The front matter (YAML between `---` lines, or TOML between `+++` lines) holds the plan's
//! tables (`plan`, `people`, `health`, `review`, `timeline`). Each collection is a
//! GitHub-flavoured Markdown table under a heading that names it ("RAID log", "Milestones"…):
//! the header row names the keys ("Owner", "Depends on"), each row is an entry, a list cell is
//! comma-separated, and an empty cell is an empty value (so a missing mitigation points at its
//! cell). Prose, other headings and other tables are left alone. An unknown column is a key of
//! every row, pointing at its header cell: the schema reports it for each row at that one
//! place, and the rules report one of those (its absence's consequences in every row are left
//! to it, as a misspelt key's are).
//!
//! Every key and value gets the place it has in the file: the front matter is parsed from the
//! text up to its end with its opening line blanked (so its spans are the file's), the body by
//! pulldown-cmark from where it starts (its places shifted by that much), and each cell is
//! located in its row's own text. pulldown-cmark finds the headings and tables.

use crate::format::{FieldSpec, PLAN_FILE, Shape, TableSpec};
use crate::value::{Arena, Entry, Kind, Table, Value};
use crate::{SchemaFinding, SchemaProblem, Span, SyntaxError};
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// What a Markdown plan reads to: the value tree, where its front matter is (for comments and
/// edits) and problems with its tables.
pub(crate) struct MarkdownPlan<'a> {
    pub root: Value<'a>,
    pub front_matter: Option<FrontMatter>,
    pub findings: Vec<SchemaFinding>,
    /// Every `<!-- … -->` comment of the body.
    pub comments: Vec<Span>,
}

/// The front matter's place and language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrontMatter {
    /// Its content, between the delimiter lines.
    pub span: Span,
    pub toml: bool,
}

/// The headings that name a collection (compared without case, spaces and hyphens alike).
pub const COLLECTION_HEADINGS: &[(&str, &str)] = &[
    ("raid log", "raid"),
    ("raid", "raid"),
    ("risks, assumptions, issues and dependencies", "raid"),
    ("raci", "raci"),
    ("raci matrix", "raci"),
    ("milestones", "milestones"),
    ("milestone plan", "milestones"),
    ("backlog", "backlog"),
    ("prioritised backlog", "backlog"),
    ("prioritized backlog", "backlog"),
    ("resourcing plan", "resources"),
    ("resourcing", "resources"),
    ("resources", "resources"),
    ("mechanisms", "mechanisms"),
    ("status reporting mechanisms", "mechanisms"),
    ("reporting mechanisms", "mechanisms"),
];

/// The collection a heading names.
pub fn collection_of_heading(heading: &str) -> Option<&'static str> {
    let heading = heading
        .trim()
        .trim_end_matches(':')
        .to_lowercase()
        .replace(['_', '-'], " ");
    let heading = heading.split_whitespace().collect::<Vec<_>>().join(" ");
    COLLECTION_HEADINGS
        .iter()
        .find(|(name, _)| *name == heading)
        .map(|(_, collection)| *collection)
}

/// The heading plan-lint writes for a collection (in `init`, conversions and help):
/// `raid` → `RAID log`.
pub fn heading_of_collection(collection: &str) -> Option<&'static str> {
    Some(match collection {
        "raid" => "RAID log",
        "raci" => "RACI",
        "milestones" => "Milestones",
        "backlog" => "Backlog",
        "resources" => "Resourcing plan",
        "mechanisms" => "Mechanisms",
        _ => return None,
    })
}

/// The key a column header names: `Depends on` → `depends_on`, `ID` → `id`.
pub fn key_of_header(header: &str) -> String {
    let mut key = String::with_capacity(header.len());
    for word in header
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter(|word| !word.is_empty())
    {
        if !key.is_empty() {
            key.push('_');
        }
        if word.is_ascii() {
            key.extend(word.chars().map(|c| c.to_ascii_lowercase()));
        } else {
            key.push_str(&word.to_lowercase());
        }
    }
    key
}

/// How a key is written as a column header: `depends_on` → `Depends on`, `id` → `ID`.
pub fn header_of_key(key: &str) -> String {
    if key == "id" {
        return "ID".to_owned();
    }
    let words = key.replace('_', " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

pub(crate) fn parse<'a>(text: &'a str, arena: &'a Arena) -> Result<MarkdownPlan<'a>, SyntaxError> {
    let front_matter = front_matter(text)?;
    let mut entries: Vec<Entry<'a>> = Vec::new();
    let mut root_span = Span::new(0, text.len());
    if let Some(front) = front_matter {
        // Only the text up to the front matter's end, its opening line blanked: the body is no
        // part of it, and its places are the file's.
        let prefix = arena
            .0
            .alloc_str(&blank_outside(&text[..front.span.end], front.span));
        let value = if front.toml {
            crate::toml::parse(prefix, arena)?
        } else if prefix.trim().is_empty() {
            Value {
                span: front.span,
                kind: Kind::Null,
            }
        } else {
            crate::yaml::parse(prefix, arena)?
        };
        match value.kind {
            Kind::Table(table) => entries.extend(table.entries.iter().cloned()),
            Kind::Null => {}
            // Not a table: the schema says so, of the whole file.
            _ => {
                return Ok(MarkdownPlan {
                    root: value,
                    front_matter,
                    findings: Vec::new(),
                    comments: Vec::new(),
                });
            }
        }
        root_span = Span::new(front.span.start, text.len());
    }
    let body_start = front_matter.map_or(0, |front| closing_line_end(text, front.span.end));
    let mut reader = Body {
        text,
        arena,
        findings: Vec::new(),
        comments: Vec::new(),
        cells: Vec::new(),
        entries: Vec::new(),
    };
    // A collection under two headings is one collection, its rows in the order written.
    let mut tables: Vec<(&'static str, Span, Vec<Value<'a>>, Span)> = Vec::new();
    for (collection, heading, rows, span) in reader.tables(body_start) {
        match tables.iter_mut().find(|(key, ..)| *key == collection) {
            Some((_, _, all, whole)) => {
                all.extend(rows);
                *whole = whole.to(span);
            }
            None => tables.push((collection, heading, rows, span)),
        }
    }
    for (collection, heading, rows, span) in tables {
        if let Some(existing) = entries.iter().find(|entry| entry.key == collection) {
            return Err(SyntaxError {
                message: format!(
                    "`{collection}` is written twice: in the front matter and as this table"
                ),
                span: existing.key_span.to(heading),
            });
        }
        let items = arena.0.alloc_slice_fill_iter(rows);
        entries.push(Entry {
            key: collection,
            key_span: heading,
            value: Value {
                span,
                kind: Kind::Array(items),
            },
        });
    }
    Ok(MarkdownPlan {
        root: Value {
            span: root_span,
            kind: Kind::Table(Table {
                entries: arena.0.alloc_slice_fill_iter(entries),
                header: false,
            }),
        },
        front_matter,
        findings: reader.findings,
        comments: reader.comments,
    })
}

/// The front matter, if the file starts with one: YAML after a `---` line up to the next
/// `---` (or `...`) line, TOML between `+++` lines.
pub fn front_matter(text: &str) -> Result<Option<FrontMatter>, SyntaxError> {
    let first = text.lines().next().unwrap_or_default().trim_end();
    let (toml, closers): (bool, &[&str]) = match first {
        "---" => (false, &["---", "..."]),
        "+++" => (true, &["+++"]),
        _ => return Ok(None),
    };
    let start = text.find('\n').map_or(text.len(), |at| at + 1);
    let mut at = start;
    for line in text[start..].split_inclusive('\n') {
        if closers.contains(&line.trim_end()) {
            return Ok(Some(FrontMatter {
                span: Span::new(start, at),
                toml,
            }));
        }
        at += line.len();
    }
    Err(SyntaxError {
        message: format!("the front matter opened by `{first}` is never closed"),
        span: Span::new(0, first.len()),
    })
}

/// Just past the line that closes the front matter ending at `end`.
fn closing_line_end(text: &str, end: usize) -> usize {
    text[end..].find('\n').map_or(text.len(), |at| end + at + 1)
}

/// `text` with every byte outside `keep` a space (line breaks kept): the same length and lines,
/// so what is parsed from it has the file's places.
fn blank_outside(text: &str, keep: Span) -> String {
    let bytes: Vec<u8> = text
        .bytes()
        .enumerate()
        .map(|(at, byte)| {
            if keep.start <= at && at < keep.end || byte == b'\n' || byte == b'\r' {
                byte
            } else {
                b' '
            }
        })
        .collect();
    // Only whole characters are blanked, each byte to a space: still UTF-8.
    String::from_utf8(bytes).unwrap_or_default()
}

struct Body<'a> {
    text: &'a str,
    arena: &'a Arena,
    findings: Vec<SchemaFinding>,
    comments: Vec<Span>,
    /// Scratch space for the row being read: its cells and its entries.
    cells: Vec<Span>,
    entries: Vec<Entry<'a>>,
}

/// A table of the body as pulldown-cmark found it: the rows' places.
struct FoundTable {
    span: Span,
    header: Span,
    rows: Vec<Span>,
}

/// A column of a collection's table: the key its header names, the header cell, and the key's
/// field in the format (none for an unknown column).
struct Column<'a> {
    key: &'a str,
    header: Span,
    field: Option<&'static FieldSpec>,
}

impl<'a> Body<'a> {
    /// Each collection's table in the body (the text from `body_start` on): its key, the
    /// heading naming it, its entries and its span.
    fn tables(&mut self, body_start: usize) -> Vec<(&'static str, Span, Vec<Value<'a>>, Span)> {
        // The collections' tables are found first and read once pulldown-cmark is done with
        // the text: its tree and the value tree are never held at once (for a table of
        // 3,000,000 cells, 320 MB each).
        let mut found_tables: Vec<(&'static str, Span, Option<FoundTable>)> = Vec::new();
        let mut section: Option<(&'static str, Span)> = None;
        let mut heading: Option<(usize, String)> = None;
        let mut table: Option<FoundTable> = None;
        let mut taken = false;
        // The first paragraph of a collection's section that reads like a table to a person
        // but is none to Markdown: reported if the section has no table.
        let mut lookalike: Option<Span> = None;
        let body = &self.text[body_start..];
        let parser = Parser::new_ext(body, Options::ENABLE_TABLES).into_offset_iter();
        for (event, range) in parser {
            let span = Span::new(body_start + range.start, body_start + range.end);
            match event {
                Event::Start(Tag::Heading { level, .. }) if level <= HeadingLevel::H6 => {
                    heading = Some((span.start, String::new()));
                }
                Event::End(TagEnd::Heading(_)) => {
                    if let Some((start, words)) = heading.take() {
                        // A collection's heading with no table under it: an empty collection.
                        if let (Some((collection, at)), false) = (section, taken) {
                            found_tables.push((collection, at, None));
                            self.findings
                                .extend(lookalike.map(|p| not_a_table(self.text, p, collection)));
                        }
                        let span = Span::new(start, span.end.max(start));
                        section =
                            collection_of_heading(&words).map(|c| (c, trimmed(self.text, span)));
                        taken = false;
                        lookalike = None;
                    }
                }
                Event::Text(words) | Event::Code(words) if heading.is_some() => {
                    if let Some((_, all)) = &mut heading {
                        all.push_str(&words);
                    }
                }
                Event::Html(html) | Event::InlineHtml(html)
                    if html.trim_start().starts_with("<!--") =>
                {
                    self.comments.push(trimmed(self.text, span));
                }
                Event::Start(Tag::Paragraph)
                    if section.is_some()
                        && !taken
                        && lookalike.is_none()
                        && self.text[first_line(self.text, span).range()].starts_with('|') =>
                {
                    lookalike = Some(span);
                }
                Event::Start(Tag::Table(_)) => {
                    table = Some(FoundTable {
                        span,
                        header: Span::new(0, 0),
                        rows: Vec::new(),
                    });
                }
                Event::Start(Tag::TableHead) => {
                    if let Some(table) = &mut table {
                        table.header = span;
                    }
                }
                Event::Start(Tag::TableRow) => {
                    if let Some(table) = &mut table {
                        table.rows.push(span);
                    }
                }
                Event::End(TagEnd::Table) => {
                    let found = table.take();
                    if let (Some(found), Some((collection, at)), false) = (found, section, taken) {
                        taken = true;
                        found_tables.push((collection, at, Some(found)));
                    }
                }
                _ => {}
            }
        }
        if let (Some((collection, at)), false) = (section, taken) {
            found_tables.push((collection, at, None));
            self.findings
                .extend(lookalike.map(|p| not_a_table(self.text, p, collection)));
        }
        found_tables
            .into_iter()
            .map(|(collection, at, found)| match found {
                Some(found) => {
                    let rows = self.rows(&found, spec_of(collection));
                    (collection, at, rows, trimmed(self.text, found.span))
                }
                // A collection's heading with no table under it: an empty collection.
                None => (collection, at, Vec::new(), at),
            })
            .collect()
    }

    /// A table's rows as entries.
    fn rows(&mut self, table: &FoundTable, spec: Option<&'static TableSpec>) -> Vec<Value<'a>> {
        cells(
            self.text,
            first_line(self.text, table.header),
            &mut self.cells,
        );
        let columns: Vec<Column<'a>> = self
            .cells
            .iter()
            .map(|&header| {
                let key = key_of_header(&self.text[header.range()]);
                let field = spec.and_then(|spec| spec.fields.iter().find(|f| f.key == key));
                Column {
                    key: self.arena.0.alloc_str(&key),
                    header,
                    field,
                }
            })
            .collect();
        let mut rows = Vec::with_capacity(table.rows.len());
        for row in &table.rows {
            let row = first_line(self.text, *row);
            cells(self.text, row, &mut self.cells);
            if self.cells.len() != columns.len() {
                self.findings.push(SchemaFinding {
                    problem: SchemaProblem::InvalidValue,
                    span: row,
                    path: String::new(),
                    message: format!(
                        "this row has {}; the table's header has {}",
                        cell_count(self.cells.len()),
                        columns.len()
                    ),
                    help: Some("give every row one cell per column: `| a | b |`".into()),
                    suggestion: None,
                });
            }
            for (column, &cell) in columns.iter().zip(&self.cells) {
                let shape = column.field.map(|f| &f.shape);
                // An empty list cell is an absent key (`-` is the empty list); an empty cell
                // of any other key is an empty value, which counts as absent and is pointed at.
                let is_list = matches!(
                    shape,
                    Some(Shape::Names | Shape::EntryIds | Shape::Texts | Shape::MilestoneRefs)
                );
                // An empty cell of an unknown column is no key: the column is reported where it
                // holds something.
                let text = self.value_text(cell);
                if (is_list || column.field.is_none()) && text.is_empty() {
                    continue;
                }
                let value = self.cell(cell, text, shape);
                self.entries.push(Entry {
                    key: column.key,
                    key_span: if column.field.is_some() {
                        cell
                    } else {
                        column.header
                    },
                    value,
                });
            }
            rows.push(Value {
                span: row,
                kind: Kind::Table(Table {
                    entries: self.arena.0.alloc_slice_fill_iter(self.entries.drain(..)),
                    header: false,
                }),
            });
        }
        rows
    }

    /// A cell's value (`text` is its [`value_text`](Self::value_text)), typed by the shape of
    /// its column's key.
    fn cell(&self, span: Span, text: &'a str, shape: Option<&Shape>) -> Value<'a> {
        let kind = match shape {
            Some(Shape::Names | Shape::EntryIds | Shape::Texts | Shape::MilestoneRefs) => {
                return self.list(span, text);
            }
            // One name; a comma or `-` makes it a list, which `accountable-owner` explains.
            Some(Shape::Accountable) if text.contains(',') || matches!(text, "-" | "—") => {
                return self.list(span, text);
            }
            Some(Shape::Rank | Shape::Version) => text
                .parse::<i64>()
                .map_or(Kind::String(text), Kind::Integer),
            Some(Shape::Allocation) if text.parse::<f64>().is_ok() => {
                text.parse::<i64>().map_or(Kind::Float(text), Kind::Integer)
            }
            _ => Kind::String(text),
        };
        Value { span, kind }
    }

    /// A comma-separated cell as a list of its items, each at its place (a comma inside an
    /// HTML comment separates nothing); `-` (or `—`) alone is the empty list. `text` is the
    /// cell's [`value_text`](Self::value_text).
    fn list(&self, span: Span, text: &str) -> Value<'a> {
        if matches!(text, "-" | "—") {
            return Value {
                span,
                kind: Kind::Array(&[]),
            };
        }
        let cell = &self.text[span.range()];
        let bytes = cell.as_bytes();
        let mut commas = Vec::new();
        let mut at = 0;
        // Byte by byte: `<`, `-`, `>` and `,` are ASCII, so every place found is a character
        // boundary.
        while at < bytes.len() {
            if bytes[at..].starts_with(b"<!--") {
                at = memchr::memmem::find(&bytes[at..], b"-->")
                    .map_or(bytes.len(), |close| at + close + 3);
                continue;
            }
            if bytes[at] == b',' {
                commas.push(at);
            }
            at += 1;
        }
        let starts = std::iter::once(0).chain(commas.iter().map(|c| c + 1));
        let ends = commas.iter().copied().chain(std::iter::once(cell.len()));
        let mut items = Vec::new();
        for (start, end) in starts.zip(ends) {
            let item = trimmed(self.text, Span::new(span.start + start, span.start + end));
            let text = self.value_text(item);
            if !text.is_empty() {
                items.push(Value {
                    span: item,
                    kind: Kind::String(text),
                });
            }
        }
        Value {
            span,
            kind: Kind::Array(self.arena.0.alloc_slice_fill_iter(items)),
        }
    }

    /// A cell's text as a value: `\|` is `|`, a cell that is one code span (`` `R-1` ``) is
    /// its content, and an HTML comment in it (a suppression) is no part of it.
    fn value_text(&self, span: Span) -> &'a str {
        let mut written = self.text[span.range()].trim();
        // Most cells have no comment, code span or escape: one pass over their bytes tells.
        if !written
            .bytes()
            .any(|byte| matches!(byte, b'<' | b'`' | b'\\'))
        {
            return written;
        }
        if written.contains("<!--") {
            let mut kept = String::new();
            let mut rest = written;
            while let Some(open) = rest.find("<!--") {
                kept.push_str(&rest[..open]);
                rest = rest[open..]
                    .find("-->")
                    .map_or("", |close| &rest[open + close + 3..]);
            }
            kept.push_str(rest);
            written = self.arena.0.alloc_str(kept.trim());
        }
        let written = written
            .strip_prefix('`')
            .and_then(|inner| inner.strip_suffix('`'))
            .filter(|inner| !inner.contains('`'))
            .unwrap_or(written);
        if written.contains("\\|") {
            self.arena.0.alloc_str(&written.replace("\\|", "|"))
        } else {
            written
        }
    }
}

fn spec_of(collection: &str) -> Option<&'static TableSpec> {
    PLAN_FILE
        .fields
        .iter()
        .find(|field| field.key == collection)
        .and_then(|field| match &field.shape {
            Shape::Entries(spec) => Some(*spec),
            _ => None,
        })
}

/// `span` without the whitespace at its ends, as `str::trim` trims it.
fn trimmed(text: &str, span: Span) -> Span {
    let inner = &text[span.range()];
    let bytes = inner.as_bytes();
    // ASCII first, byte by byte: the ends of most cells are ASCII.
    let blank = |byte: &&u8| matches!(**byte, b' ' | b'\t' | b'\n' | b'\x0B' | b'\x0C' | b'\r');
    let mut lead = bytes.iter().take_while(blank).count();
    let trail = bytes[lead..].iter().rev().take_while(blank).count();
    let mut kept = &inner[lead..inner.len() - trail];
    let non_ascii = |byte: Option<&u8>| byte.is_some_and(|byte| !byte.is_ascii());
    if non_ascii(kept.as_bytes().first()) || non_ascii(kept.as_bytes().last()) {
        // Whitespace beyond ASCII (a no-break space), by its characters.
        lead += kept.len() - kept.trim_start().len();
        kept = kept.trim();
    }
    Span::new(span.start + lead, span.start + lead + kept.len())
}

/// A finding for a paragraph under a collection's heading that starts like a table (a line
/// beginning with `|`) but is text to Markdown, as it is to GitHub: without it, the section
/// would silently be an empty collection and only what refers to its rows would be reported.
fn not_a_table(text: &str, paragraph: Span, collection: &str) -> SchemaFinding {
    let header = first_line(text, paragraph);
    let rest = Span::new(header.end, paragraph.end);
    let second = first_line(text, trimmed(text, rest));
    let second_text = &text[second.range()];
    let is_delimiter = second_text.contains('-')
        && second_text
            .bytes()
            .all(|byte| matches!(byte, b'|' | b':' | b'-' | b' ' | b'\t'));
    let mut found = Vec::new();
    cells(text, header, &mut found);
    let header_cells = found.len();
    let delimiter_row = format!("|{}", " --- |".repeat(header_cells));
    let (why, span, fix) = if !is_delimiter || second.is_empty() {
        // Inserted after the header row, on a line of its own with the header's prefix (a
        // list item's indentation, a quote's `>`) and line break.
        let line_start = text[..header.start].rfind('\n').map_or(0, |at| at + 1);
        let prefix = &text[line_start..header.start];
        let prefix = if prefix.bytes().all(|b| matches!(b, b' ' | b'\t' | b'>')) {
            prefix
        } else {
            ""
        };
        let line_break = if text[header.end..].starts_with("\r\n") {
            "\r\n"
        } else {
            "\n"
        };
        (
            "there is no delimiter row (`| --- | --- |`) under its header row".to_owned(),
            header,
            crate::fix::Suggestion::WriteDelimiterRow {
                span: Span::new(header.end, header.end),
                row: format!("{line_break}{prefix}{delimiter_row}"),
            },
        )
    } else {
        cells(text, second, &mut found);
        let why = if found.len() == header_cells {
            "its delimiter row is not one Markdown reads".to_owned()
        } else {
            format!(
                "its header row has {} and the delimiter row under it {}",
                cell_count(header_cells),
                found.len()
            )
        };
        let fix = crate::fix::Suggestion::WriteDelimiterRow {
            span: second,
            row: delimiter_row,
        };
        (why, header.to(second), fix)
    };
    SchemaFinding {
        problem: SchemaProblem::InvalidValue,
        span,
        path: collection.to_owned(),
        message: format!(
            "these lines are text to Markdown, not a table, so no rows of `{collection}` are read: {why}"
        ),
        help: Some(
            "under the header row, write a delimiter row with one `---` per header cell; \
             GitHub shows this as text too"
                .into(),
        ),
        suggestion: Some(fix),
    }
}

/// `1 cell`, `3 cells`.
fn cell_count(n: usize) -> String {
    if n == 1 {
        "1 cell".to_owned()
    } else {
        format!("{n} cells")
    }
}

/// The first line of `span`, trimmed.
fn first_line(text: &str, span: Span) -> Span {
    let inner = &text[span.range()];
    let end = inner.find('\n').map_or(span.end, |at| span.start + at);
    trimmed(text, Span::new(span.start, end))
}

/// The cells of a table row, into `cells`: between its unescaped `|`s (a leading and a
/// trailing one optional), each trimmed; an empty cell is the blanks in its middle.
fn cells(text: &str, row: Span, cells: &mut Vec<Span>) {
    cells.clear();
    let line = &text[row.range()];
    let bytes = line.as_bytes();
    let mut push = |start: usize, end: usize| {
        let whole = Span::new(row.start + start, row.start + end);
        let cell = trimmed(text, whole);
        // An empty cell is its blanks, so that it can be pointed at.
        cells.push(if cell.is_empty() { whole } else { cell });
    };
    // `| a | b |`: the text before the first pipe is no cell.
    let mut start = usize::from(line.starts_with('|'));
    let mut at = start;
    // As GitHub splits cells: at every `|` not escaped, in code spans too. Both bytes are
    // ASCII, so every place found is a character boundary.
    while let Some(found) = bytes
        .get(at..)
        .and_then(|rest| memchr::memchr2(b'|', b'\\', rest))
    {
        let found = at + found;
        if bytes[found] == b'\\' {
            at = found + 2;
            continue;
        }
        push(start, found);
        start = found + 1;
        at = start;
    }
    push(start, line.len());
    // Nor is the text after the last pipe.
    if line.ends_with('|') && !line.ends_with("\\|") && !cells.is_empty() {
        cells.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAN: &str = "---\nplan:\n  id: p   # the id\n---\n\n# A plan\n\nSome prose | with a pipe.\n\n## RAID log\n\n| ID | Type | Owner | Mitigation | Mitgation |\n|----|------|-------|------------|-----|\n| R-1 | risk | `dan` |  | x |\n| R-2 | issue | eve | Fix \\| it | y |\n\n## Milestones\n\n| ID | Depends on |\n|---|---|\n| M3 | M1, M2 <!-- plan-lint: allow(x) -- one, two --> |\n| M4 | - |\n| M5 |  |\n\n## Notes\n\n| Not | A collection |\n|---|---|\n| 1 | 2 |\n";

    fn read(text: &str) -> (Vec<(String, String)>, Vec<String>) {
        let arena = Arena::new();
        let plan = parse(text, &arena).unwrap();
        let mut found = Vec::new();
        let Kind::Table(root) = &plan.root.kind else {
            panic!("a table")
        };
        for entry in root.entries {
            let Kind::Array(rows) = &entry.value.kind else {
                found.push((
                    entry.key.to_owned(),
                    text[entry.value.span.range()].to_owned(),
                ));
                continue;
            };
            for (i, row) in rows.iter().enumerate() {
                let Kind::Table(row) = &row.kind else {
                    panic!("a row")
                };
                for cell in row.entries {
                    let shown = match &cell.value.kind {
                        Kind::Array(items) => {
                            let items: Vec<String> = items
                                .iter()
                                .map(|item| {
                                    format!("{:?}@{:?}", item.kind, &text[item.span.range()])
                                })
                                .collect();
                            format!("[{}]", items.join(" "))
                        }
                        kind => format!("{kind:?}@{:?}", &text[cell.value.span.range()]),
                    };
                    found.push((
                        format!(
                            "{}[{i}].{}@{:?}",
                            entry.key,
                            cell.key,
                            &text[cell.key_span.range()]
                        ),
                        shown,
                    ));
                }
            }
        }
        (
            found,
            plan.findings.into_iter().map(|f| f.message).collect(),
        )
    }

    #[test]
    fn rows_are_entries_and_cells_are_values_at_their_place() {
        let (found, problems) = read(PLAN);
        let expected: Vec<(&str, &str)> = vec![
            ("plan", "id: p"),
            ("raid[0].id@\"R-1\"", "String(\"R-1\")@\"R-1\""),
            ("raid[0].type@\"risk\"", "String(\"risk\")@\"risk\""),
            ("raid[0].owner@\"`dan`\"", "String(\"dan\")@\"`dan`\""),
            // An empty cell: an empty value, at the cell's blanks.
            ("raid[0].mitigation@\"  \"", "String(\"\")@\"  \""),
            // An unknown column: a key of every row, at its header.
            ("raid[0].mitgation@\"Mitgation\"", "String(\"x\")@\"x\""),
            ("raid[1].id@\"R-2\"", "String(\"R-2\")@\"R-2\""),
            ("raid[1].type@\"issue\"", "String(\"issue\")@\"issue\""),
            ("raid[1].owner@\"eve\"", "String(\"eve\")@\"eve\""),
            (
                "raid[1].mitigation@\"Fix \\\\| it\"",
                "String(\"Fix | it\")@\"Fix \\\\| it\"",
            ),
            ("raid[1].mitgation@\"Mitgation\"", "String(\"y\")@\"y\""),
            ("milestones[0].id@\"M3\"", "String(\"M3\")@\"M3\""),
            // The comment is no part of the list, and its comma separates nothing.
            (
                "milestones[0].depends_on@\"M1, M2 <!-- plan-lint: allow(x) -- one, two -->\"",
                "[String(\"M1\")@\"M1\" String(\"M2\")@\"M2 <!-- plan-lint: allow(x) -- one, two -->\"]",
            ),
            ("milestones[1].id@\"M4\"", "String(\"M4\")@\"M4\""),
            ("milestones[1].depends_on@\"-\"", "[]"),
            // An empty list cell: no key.
            ("milestones[2].id@\"M5\"", "String(\"M5\")@\"M5\""),
        ];
        let found: Vec<(&str, &str)> = found
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        assert_eq!(found, expected);
        assert_eq!(problems, Vec::<String>::new());
    }

    #[test]
    fn headings_name_collections_and_headers_name_keys() {
        for (heading, collection) in [
            ("RAID log", Some("raid")),
            ("  Raid Log: ", Some("raid")),
            ("RACI", Some("raci")),
            ("Milestone plan", Some("milestones")),
            ("Prioritised backlog", Some("backlog")),
            ("Resourcing plan", Some("resources")),
            ("Status-reporting mechanisms", Some("mechanisms")),
            ("Risks", None),
            ("Notes", None),
        ] {
            assert_eq!(collection_of_heading(heading), collection, "{heading}");
        }
        // The heading plan-lint writes for each collection is one the reader takes for it.
        for (_, collection) in COLLECTION_HEADINGS {
            let heading = heading_of_collection(collection).expect("a heading");
            assert_eq!(
                collection_of_heading(heading),
                Some(*collection),
                "{heading}"
            );
        }
        assert_eq!(key_of_header("Depends on"), "depends_on");
        assert_eq!(key_of_header(" ID "), "id");
        assert_eq!(key_of_header("As-of"), "as_of");
        assert_eq!(header_of_key("depends_on"), "Depends on");
        assert_eq!(header_of_key("id"), "ID");
    }

    /// `accountable` is one name; `-` or a comma makes it a list, as in `accountable = []`
    /// (found by the property tests: `-` was read as a person named "-").
    #[test]
    fn an_accountable_cell_is_a_name_unless_it_is_written_as_a_list() {
        let text = "## RACI\n\n| Activity | Accountable |\n|---|---|\n| a | - |\n| b | ada, |\n| c | ada |\n";
        let (found, _) = read(text);
        let accountable: Vec<&str> = found
            .iter()
            .filter(|(key, _)| key.contains(".accountable"))
            .map(|(_, value)| value.as_str())
            .collect();
        assert_eq!(
            accountable,
            ["[]", "[String(\"ada\")@\"ada\"]", "String(\"ada\")@\"ada\""]
        );
    }

    #[test]
    fn a_row_with_the_wrong_number_of_cells_is_reported_at_the_row() {
        let text = "## Milestones\n\n| ID | Title |\n|---|---|\n| M1 | One | extra |\n| M2 |\n";
        let arena = Arena::new();
        let plan = parse(text, &arena).unwrap();
        let at: Vec<(&str, &str)> = plan
            .findings
            .iter()
            .map(|f| (f.message.as_str(), &text[f.span.range()]))
            .collect();
        assert_eq!(
            at,
            [
                (
                    "this row has 3 cells; the table's header has 2",
                    "| M1 | One | extra |"
                ),
                ("this row has 1 cell; the table's header has 2", "| M2 |"),
            ]
        );
    }

    #[test]
    fn a_table_markdown_reads_as_text_is_reported_not_read_as_an_empty_collection() {
        let findings = |text: &str| -> Vec<(String, String, String)> {
            let arena = Arena::new();
            let plan = parse(text, &arena).unwrap();
            plan.findings
                .into_iter()
                .map(|f| (f.path, f.message, text[f.span.range()].to_owned()))
                .collect()
        };
        // One delimiter cell short: GitHub shows the lines as text.
        let short = "## RAID log\n\n| ID | Type | Owner |\n|---|---|\n| R-1 | risk | dan |\n";
        assert_eq!(
            findings(short),
            [(
                "raid".to_owned(),
                "these lines are text to Markdown, not a table, so no rows of `raid` are read: its \
                 header row has 3 cells and the delimiter row under it 2"
                    .to_owned(),
                "| ID | Type | Owner |\n|---|---|".to_owned()
            )]
        );
        let undelimited =
            "# Plan\n\n## Milestones\n\nSome prose.\n\n| ID | Title |\n| M1 | One |\n";
        assert_eq!(
            findings(undelimited),
            [(
                "milestones".to_owned(),
                "these lines are text to Markdown, not a table, so no rows of `milestones` are read: \
                 there is no delimiter row (`| --- | --- |`) under its header row"
                    .to_owned(),
                "| ID | Title |".to_owned()
            )]
        );
        // Not reported: a section with a table after the lookalike, a lookalike under a heading
        // that names no collection, prose, and a section that is empty on purpose.
        let fine = "## Backlog\n\n| draft |\n\n| ID |\n|---|\n| B-1 |\n\n## Notes\n\n| a | b |\n|---|\n\n\
                    ## RACI\n\nNone yet | maybe later.\n\n## Mechanisms\n";
        assert_eq!(findings(fine), []);
    }

    /// The suggestion writes the delimiter row the header needs, over the short one or after
    /// the header row (with its prefix and line break), and the table is then read.
    #[test]
    fn a_table_read_as_text_is_mended_by_a_delimiter_row_of_its_headers_width() {
        let mended = |text: &str| -> (String, usize) {
            let arena = Arena::new();
            let plan = parse(text, &arena).unwrap();
            let [finding] = plan.findings.as_slice() else {
                panic!("one finding: {:?}", plan.findings)
            };
            let Some(crate::fix::Suggestion::WriteDelimiterRow { span, row }) = &finding.suggestion
            else {
                panic!("a delimiter row: {finding:?}")
            };
            // The fix's title counts the header's cells, as a reader counts them.
            let header = text.lines().find(|l| l.contains("| ID |")).unwrap();
            let header_cells = header.trim_start_matches('>').trim().matches('|').count() - 1;
            let title = crate::fix::Editor::new(crate::Format::Markdown, text)
                .suggested(finding.suggestion.as_ref().unwrap())
                .message;
            assert_eq!(
                title,
                format!("write a delimiter row of {header_cells} cells")
            );
            let fixed = format!("{}{row}{}", &text[..span.start], &text[span.end..]);
            let arena = Arena::new();
            let again = parse(&fixed, &arena).unwrap();
            assert!(again.findings.is_empty(), "{fixed}: {:?}", again.findings);
            let Kind::Table(root) = &again.root.kind else {
                panic!("a table")
            };
            let rows = root
                .entries
                .iter()
                .map(|entry| match &entry.value.kind {
                    Kind::Array(rows) => rows.len(),
                    _ => 0,
                })
                .sum();
            (fixed, rows)
        };
        assert_eq!(
            mended("## RAID log\n\n| ID | Type | Owner |\n|---|---|\n| R-1 | risk | dan |\n"),
            (
                "## RAID log\n\n| ID | Type | Owner |\n| --- | --- | --- |\n| R-1 | risk | dan |\n"
                    .to_owned(),
                1
            )
        );
        assert_eq!(
            mended("## Milestones\r\n\r\n| ID | Title |\r\n| M1 | One |\r\n| M2 | Two |\r\n"),
            (
                "## Milestones\r\n\r\n| ID | Title |\r\n| --- | --- |\r\n| M1 | One |\r\n| M2 | Two |\r\n"
                    .to_owned(),
                2
            )
        );
        assert_eq!(
            mended("## Backlog\n\n> | ID | Priority |\n> | B-1 | 1 |\n"),
            (
                "## Backlog\n\n> | ID | Priority |\n> | --- | --- |\n> | B-1 | 1 |\n".to_owned(),
                1
            )
        );
    }

    #[test]
    fn toml_front_matter_and_collections_under_two_headings() {
        let text = "+++\n[plan]\nid = \"p\"\n+++\n## Backlog\n\n| ID | Priority |\n|---|---|\n| B-1 | 1 |\n\n## Backlog\n\n| ID | Priority |\n|---|---|\n| B-2 | two |\n\n## RAID log\n\nNothing yet.\n";
        let (found, _) = read(text);
        let found: Vec<&str> = found
            .iter()
            .map(|(key, value)| {
                if key == "plan" {
                    "plan"
                } else {
                    value.as_str()
                }
            })
            .collect();
        assert_eq!(
            found,
            [
                "plan",
                "String(\"B-1\")@\"B-1\"",
                "Integer(1)@\"1\"",
                "String(\"B-2\")@\"B-2\"",
                "String(\"two\")@\"two\""
            ]
        );
        let arena = Arena::new();
        let plan = parse(text, &arena).unwrap();
        let Kind::Table(root) = &plan.root.kind else {
            panic!()
        };
        let raid = root
            .entries
            .iter()
            .find(|e| e.key == "raid")
            .expect("an empty RAID log");
        assert_eq!(raid.value.kind, Kind::Array(&[]));
        assert_eq!(&text[raid.key_span.range()], "## RAID log");
    }

    #[test]
    fn a_front_matter_never_closed_or_a_collection_written_twice_is_an_error() {
        let arena = Arena::new();
        let error = parse("---\nplan:\n  id: p\n", &arena).err().unwrap();
        assert_eq!(
            error.message,
            "the front matter opened by `---` is never closed"
        );
        let error = parse("---\nraid: []\n---\n## RAID log\n", &arena)
            .err()
            .unwrap();
        assert_eq!(
            error.message,
            "`raid` is written twice: in the front matter and as this table"
        );
    }

    #[test]
    fn cells_are_trimmed_as_str_trim_trims_them() {
        for cell in [
            "",
            " ",
            "a",
            "  a b  ",
            "\ta\x0B",
            "\u{a0}a\u{a0}",
            " \u{3000} é \u{a0} ",
            "é",
            " ü ",
            "\u{85}",
            "x\u{2028}",
        ] {
            let span = trimmed(cell, Span::new(0, cell.len()));
            let expected = cell.trim();
            let start = cell.len() - cell.trim_start().len();
            assert_eq!(
                (span.start, span.end),
                (start, start + expected.len()),
                "{cell:?}"
            );
        }
    }

    #[test]
    fn a_row_is_split_at_its_unescaped_pipes_only() {
        let mut found = Vec::new();
        let split = |row: &str, found: &mut Vec<Span>| {
            cells(row, Span::new(0, row.len()), found);
            found
                .iter()
                .map(|cell| row[cell.range()].to_owned())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            split("| a | b \\| c | `d|e` |", &mut found),
            ["a", "b \\| c", "`d", "e`"]
        );
        assert_eq!(split("a|b", &mut found), ["a", "b"]);
        assert_eq!(split("| a |  | é |", &mut found), ["a", "  ", "é"]);
        assert_eq!(split("|", &mut found), Vec::<String>::new());
        assert_eq!(split("| a \\", &mut found), ["a \\"]);
        assert_eq!(split("| a \\|", &mut found), ["a \\|"]);
    }
}
