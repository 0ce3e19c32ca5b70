//! Fixes: text edits on a plan's source that resolve a finding, and the editor that writes them
//! in the file's own format.
//!
//! Every edit is an exact replacement of a span of the text (an insertion is an empty span),
//! made from the spans the parser recorded: nothing else in the file is touched, so comments,
//! blank lines, key order, quoting and line endings all stay as they were. The same edits are
//! what JSON and SARIF reports carry, so an editor can offer them too.

use crate::value::{Kind, Value};
use crate::{Format, LineCol, SourceFile, Span};

/// Whether a fix can change what the plan means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Applicability {
    /// It cannot: the plan says the same thing, written as the format wants it.
    Safe,
    /// A human should look: it guesses what was meant (a misspelt key's name, an enum value's
    /// closest match) or writes a placeholder to fill in.
    Unsafe,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        }
    }
}

/// Replace `span` of the text with `content`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub span: Span,
    /// Where `span` starts and ends, filled in while the text is at hand (reports are
    /// written after it is gone). `0` means not located yet.
    pub start: LineCol,
    pub end: LineCol,
    pub content: String,
}

impl Edit {
    pub fn new(span: Span, content: impl Into<String>) -> Edit {
        Edit {
            span,
            start: LineCol::default(),
            end: LineCol::default(),
            content: content.into(),
        }
    }

    pub fn insert(at: usize, content: impl Into<String>) -> Edit {
        Edit::new(Span::new(at, at), content)
    }
}

/// What resolves a finding: one or more edits of its file, applied together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub applicability: Applicability,
    /// What the fix does, as an imperative: "write `accountable = \"alice\"`".
    pub message: String,
    /// Edits that do not overlap, in text order.
    pub edits: Vec<Edit>,
}

impl Fix {
    pub fn new(applicability: Applicability, message: impl Into<String>, edit: Edit) -> Fix {
        Fix {
            applicability,
            message: message.into(),
            edits: vec![edit],
        }
    }

    /// Fill in the edits' positions from the text.
    pub fn locate(&mut self, source: &SourceFile) {
        for edit in &mut self.edits {
            if edit.start.line == 0 {
                (edit.start, edit.end) = source.range(edit.span);
            }
        }
    }
}

/// A correction the schema reader can name but not write (it does not know the file's
/// format): the rules crate turns it into an unsafe [`Fix`] with an [`Editor`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Suggestion {
    /// Rename the key at `span` to `key` (its "did you mean").
    RenameKey { span: Span, key: String },
    /// Write the string `value` for the value at `span` (an enum value's closest name).
    ReplaceWithString { span: Span, value: String },
    /// Write `row`, a Markdown table's delimiter row of its header's width, at `span`: over the
    /// row there, or after the header row when `span` is empty (`row` then starts with its line
    /// break).
    WriteDelimiterRow { span: Span, row: String },
}

/// A value to write: what fixes put in plans.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Literal<'a> {
    String(&'a str),
    Integer(i64),
    EmptyList,
}

/// Writes edits in a file's format, from the spans of its value tree.
#[derive(Debug, Clone, Copy)]
pub struct Editor<'t> {
    pub format: Format,
    pub text: &'t str,
}

impl<'t> Editor<'t> {
    pub fn new(format: Format, text: &'t str) -> Editor<'t> {
        Editor { format, text }
    }

    /// A literal as this format writes it (a Markdown table cell: the bare text, `|`
    /// escaped; an empty list is an empty cell).
    pub fn literal(&self, value: &Literal<'_>) -> String {
        match (self.format, value) {
            (Format::Markdown, Literal::String(text)) => {
                text.replace('|', "\\|").replace(['\n', '\r'], " ")
            }
            (Format::Markdown, Literal::EmptyList) => String::new(),
            (_, Literal::String(text)) => quoted(text),
            (_, Literal::Integer(n)) => n.to_string(),
            (_, Literal::EmptyList) => "[]".to_owned(),
        }
    }

    /// The editor for the place at `offset`: in a Markdown plan's front matter, its YAML or
    /// TOML; elsewhere this one.
    fn at(&self, offset: usize) -> Editor<'t> {
        if self.format != Format::Markdown {
            return *self;
        }
        match crate::markdown::front_matter(self.text) {
            Ok(Some(front)) if front.span.start <= offset && offset <= front.span.end => Editor {
                format: if front.toml {
                    Format::Toml
                } else {
                    Format::Yaml
                },
                text: self.text,
            },
            _ => *self,
        }
    }

    /// A key as this format writes it: TOML leaves a plain key bare.
    pub fn key(&self, key: &str) -> String {
        let bare = !key.is_empty()
            && key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        match self.format {
            Format::Toml if bare => key.to_owned(),
            Format::Yaml if bare && !key.starts_with('-') => key.to_owned(),
            // A column header: `depends_on` is `Depends on`.
            Format::Markdown => crate::markdown::header_of_key(key),
            _ => quoted(key),
        }
    }

    /// The fix a schema suggestion stands for. Unsafe: it guesses what was meant.
    pub fn suggested(&self, suggestion: &Suggestion) -> Fix {
        match suggestion {
            Suggestion::RenameKey { span, key } => Fix::new(
                Applicability::Unsafe,
                format!("rename the key to `{key}`"),
                self.rename(*span, key),
            ),
            Suggestion::ReplaceWithString { span, value } => Fix::new(
                Applicability::Unsafe,
                format!("write \"{value}\""),
                self.replace(*span, &Literal::String(value)),
            ),
            Suggestion::WriteDelimiterRow { span, row } => Fix::new(
                Applicability::Unsafe,
                format!(
                    "write a delimiter row of {} cells",
                    row.matches("---").count()
                ),
                Edit::new(*span, row.clone()),
            ),
        }
    }

    /// Write `value` where the value at `span` is.
    pub fn replace(&self, span: Span, value: &Literal<'_>) -> Edit {
        Edit::new(span, self.at(span.start).literal(value))
    }

    /// Write `key` where the key at `span` is.
    pub fn rename(&self, span: Span, key: &str) -> Edit {
        let editor = self.at(span.start);
        let written = self.text.get(span.range()).unwrap_or_default();
        // A quoted YAML key stays quoted: in flow style a quoted key may touch its colon
        // (`"key":value`, as JSON writes it), and a plain key there would swallow the value.
        if editor.format == Format::Yaml && written.starts_with(['"', '\'']) {
            return Edit::new(span, quoted(key));
        }
        Edit::new(span, editor.key(key))
    }

    /// Add `key = value` to a table: after its last key, on a line of its own with that key's
    /// indentation (TOML, and JSON written one key per line), or inline (`{ a = 1, key = … }`).
    /// `None` when the table's layout gives no safe place.
    /// In a Markdown plan, keys are added to its front matter's tables only: a key of a
    /// table row would be a new column, and the table is never reflowed.
    pub fn add_key(&self, table: &Value<'_>, key: &str, value: &Literal<'_>) -> Option<Edit> {
        let editor = self.at(table.span.start);
        editor.add_raw_key(table, key, &editor.literal(value))
    }

    /// [`Editor::add_key`] with a value already written in the file's format.
    pub fn add_raw_key(&self, table: &Value<'_>, key: &str, value: &str) -> Option<Edit> {
        let Kind::Table(entries) = &table.kind else {
            return None;
        };
        if self.format == Format::Markdown {
            let editor = self.at(table.span.start);
            return (editor.format != Format::Markdown)
                .then(|| editor.add_raw_key(table, key, value))
                .flatten();
        }
        let key = self.key(key);
        let opening = self.text.get(table.span.range())?;
        match self.format {
            Format::Markdown => None,
            Format::Json => {
                let member = format!("{key}: {value}");
                Some(self.add_member(table, entries.entries.last(), &member))
            }
            Format::Toml if opening.starts_with('{') => Some(match entries.entries.last() {
                Some(last) => Edit::insert(last.value.span.end, format!(", {key} = {value}")),
                None => Edit::insert(table.span.start + 1, format!(" {key} = {value} ")),
            }),
            Format::Toml if entries.header => {
                let last = last_line_of(table, self.text)?;
                let (at, newline) = self.after_line(last.end);
                let indent = last.indent.map_or("", |key| {
                    let start = self.line_start(key);
                    let before = &self.text[start..key];
                    if before.trim_start_matches([' ', '\t']).is_empty() {
                        before
                    } else {
                        ""
                    }
                });
                Some(Edit::insert(
                    at,
                    format!(
                        "{}{indent}{key} = {value}{newline}",
                        self.line_break(at, newline)
                    ),
                ))
            }
            // A table made by dotted keys (`a.b = 1`): a new key would have to repeat the path.
            Format::Toml => None,
            Format::Yaml if opening.starts_with('{') => Some(match entries.entries.last() {
                Some(last) => Edit::insert(last.value.span.end, format!(", {key}: {value}")),
                None => Edit::insert(table.span.start + 1, format!(" {key}: {value} ")),
            }),
            Format::Yaml => {
                let last = entries.entries.last()?;
                let (at, newline) = self.after_line(last.value.span.end);
                let indent = self.column_of(last.key_span.start);
                Some(Edit::insert(
                    at,
                    format!(
                        "{}{indent}{key}: {value}{newline}",
                        self.line_break(at, newline)
                    ),
                ))
            }
        }
    }

    /// Blanks as wide as the line before `offset` (`- ` of a list item becomes two spaces), to
    /// start a YAML key in the same column as the one at `offset`.
    fn column_of(&self, offset: usize) -> String {
        self.text[self.line_start(offset)..offset]
            .chars()
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect()
    }

    /// Add a table with its keys at the top level of the document: at the end of a TOML file,
    /// as the last member of a JSON object.
    pub fn add_table(
        &self,
        document: &Value<'_>,
        name: &str,
        keys: &[(&str, Literal<'_>)],
    ) -> Option<Edit> {
        let Kind::Table(root) = &document.kind else {
            return None;
        };
        match self.format {
            // Into the front matter, at its end; a plan without one gets no table.
            Format::Markdown => {
                let front = crate::markdown::front_matter(self.text).ok()??;
                let editor = self.at(front.span.start);
                let newline = self.newline();
                let mut table = match editor.format {
                    Format::Toml => format!("{newline}[{}]{newline}", editor.key(name)),
                    _ => format!("{}:{newline}", editor.key(name)),
                };
                for (key, value) in keys {
                    let (key, value) = (editor.key(key), editor.literal(value));
                    table.push_str(&match editor.format {
                        Format::Toml => format!("{key} = {value}{newline}"),
                        _ => format!("  {key}: {value}{newline}"),
                    });
                }
                Some(Edit::insert(front.span.end, table))
            }
            Format::Toml => {
                let newline = self.newline();
                let mut table = format!("[{}]{newline}", self.key(name));
                for (key, value) in keys {
                    table.push_str(&format!(
                        "{} = {}{newline}",
                        self.key(key),
                        self.literal(value)
                    ));
                }
                // A blank line before it, as between the other tables.
                let lead = match self.text {
                    "" => String::new(),
                    text if text.ends_with('\n') => newline.to_owned(),
                    _ => format!("{newline}{newline}"),
                };
                Some(Edit::insert(self.text.len(), format!("{lead}{table}")))
            }
            Format::Json => {
                let (separator, indent) = self.member_layout(document, root.entries.last());
                let members: Vec<String> = keys
                    .iter()
                    .map(|(key, value)| format!("{}: {}", self.key(key), self.literal(value)))
                    .collect();
                let object = match separator.as_str() {
                    " " => format!("{{{}}}", members.join(", ")),
                    _ => {
                        let inner = format!("{separator}{indent}");
                        format!(
                            "{{{inner}{}{separator}}}",
                            members.join(&format!(",{inner}"))
                        )
                    }
                };
                let member = format!("{}: {object}", self.key(name));
                Some(self.add_member(document, root.entries.last(), &member))
            }
            Format::Yaml if self.text[document.span.range()].starts_with('{') => {
                let members: Vec<String> = keys
                    .iter()
                    .map(|(key, value)| format!("{}: {}", self.key(key), self.literal(value)))
                    .collect();
                let member = format!("{}: {{{}}}", self.key(name), members.join(", "));
                Some(match root.entries.last() {
                    Some(last) => Edit::insert(last.value.span.end, format!(", {member}")),
                    None => Edit::insert(document.span.start + 1, member),
                })
            }
            Format::Yaml => {
                let newline = self.newline();
                let mut table = format!("{}:", self.key(name));
                if keys.is_empty() {
                    table.push_str(" {}");
                }
                table.push_str(newline);
                for (key, value) in keys {
                    table.push_str(&format!(
                        "  {}: {}{newline}",
                        self.key(key),
                        self.literal(value)
                    ));
                }
                let lead = match self.text {
                    "" => "",
                    text if text.ends_with('\n') => "",
                    _ => newline,
                };
                Some(Edit::insert(self.text.len(), format!("{lead}{table}")))
            }
        }
    }

    /// A JSON member after the object's last one (`, "key": …`), or as its first.
    fn add_member(
        &self,
        object: &Value<'_>,
        last: Option<&crate::value::Entry<'_>>,
        member: &str,
    ) -> Edit {
        match last {
            Some(last) => {
                let (separator, _) = self.member_layout(object, Some(last));
                Edit::insert(last.value.span.end, format!(",{separator}{member}"))
            }
            None => Edit::insert(object.span.start + 1, member.to_owned()),
        }
    }

    /// How an object's members are laid out: the separator before a member (a line break and
    /// the last member's indentation, or a space) and one more level of indentation.
    fn member_layout(
        &self,
        object: &Value<'_>,
        last: Option<&crate::value::Entry<'_>>,
    ) -> (String, String) {
        let Some(last) = last else {
            return (" ".to_owned(), String::new());
        };
        let line_start = self.line_start(last.key_span.start);
        let before = &self.text[line_start..last.key_span.start];
        if !before.chars().all(char::is_whitespace) {
            return (" ".to_owned(), String::new());
        }
        let object_indent = self.indent_at(self.line_start(object.span.start));
        let unit = before.strip_prefix(object_indent).unwrap_or("  ");
        let unit = if unit.is_empty() { "  " } else { unit };
        let newline = self.newline();
        (format!("{newline}{before}"), unit.to_owned())
    }

    /// Where the line holding `offset` ends, just after its line break, and that break
    /// (`""` when the text ends without one).
    fn after_line(&self, offset: usize) -> (usize, &'static str) {
        match memchr::memchr(b'\n', &self.text.as_bytes()[offset..]) {
            Some(at) => {
                let at = offset + at;
                let newline = if at > 0 && self.text.as_bytes()[at - 1] == b'\r' {
                    "\r\n"
                } else {
                    "\n"
                };
                (at + 1, newline)
            }
            None => (self.text.len(), ""),
        }
    }

    /// A line break to write before an insertion at the end of a text that lacks one.
    fn line_break(&self, at: usize, newline: &str) -> &'static str {
        if newline.is_empty() && at == self.text.len() {
            if self.newline() == "\r\n" {
                "\r\n"
            } else {
                "\n"
            }
        } else {
            ""
        }
    }

    /// The text's line break: CRLF if its first line ends with one.
    fn newline(&self) -> &'static str {
        match memchr::memchr(b'\n', self.text.as_bytes()) {
            Some(at) if at > 0 && self.text.as_bytes()[at - 1] == b'\r' => "\r\n",
            _ => "\n",
        }
    }

    fn line_start(&self, offset: usize) -> usize {
        memchr::memrchr(b'\n', &self.text.as_bytes()[..offset]).map_or(0, |at| at + 1)
    }

    /// The spaces and tabs that start the line beginning at `start`.
    fn indent_at(&self, start: usize) -> &'t str {
        let line = &self.text[start..];
        let width = line.len() - line.trim_start_matches([' ', '\t']).len();
        &line[..width]
    }
}

/// The last line a header table's own keys take (not its sub-tables, which have headers of
/// their own): where it ends, and where that key's line starts (for its indentation).
struct LastLine {
    end: usize,
    indent: Option<usize>,
}

fn last_line_of(table: &Value<'_>, text: &str) -> Option<LastLine> {
    let Kind::Table(entries) = &table.kind else {
        return None;
    };
    let mut last = LastLine {
        end: table.span.end,
        indent: None,
    };
    let latest = entries
        .entries
        .iter()
        .filter_map(|entry| Some((own_end(&entry.value, text)?, entry.key_span.start)))
        .max();
    if let Some((end, key)) = latest {
        last.end = end;
        last.indent = Some(key);
    }
    Some(last)
}

/// Where a key's value ends in its table's text, `None` for sub-tables with headers (and
/// arrays of them), which are written elsewhere. A table made by dotted keys (`a.b = 1`)
/// ends where its last key's value does.
fn own_end(value: &Value<'_>, text: &str) -> Option<usize> {
    match &value.kind {
        Kind::Table(table) if table.header => None,
        Kind::Table(table) if !text[value.span.range()].starts_with('{') => table
            .entries
            .iter()
            .filter_map(|entry| own_end(&entry.value, text))
            .max(),
        Kind::Array(items)
            if !items.is_empty()
                && items
                    .iter()
                    .all(|item| matches!(&item.kind, Kind::Table(t) if t.header)) =>
        {
            None
        }
        _ => Some(value.span.end),
    }
}

/// A string in double quotes, escaped the same way for TOML basic strings, JSON and YAML's
/// double-quoted scalars: `"` and `\`, and as `\uXXXX` every control character and the
/// characters YAML readers have taken for line breaks or a byte-order mark (all three read it).
pub(crate) fn quoted(text: &str) -> String {
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

/// Apply edits that do not overlap, given in text order, to a text.
pub fn apply(text: &str, edits: &[&Edit]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for edit in edits {
        out.push_str(&text[copied..edit.span.start]);
        out.push_str(&edit.content);
        copied = edit.span.end;
    }
    out.push_str(&text[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Arena;

    fn table_at<'a>(root: &'a Value<'a>, key: &str) -> &'a Value<'a> {
        let Kind::Table(table) = &root.kind else {
            panic!("a table")
        };
        &table.entries.iter().find(|e| e.key == key).unwrap().value
    }

    fn add(format: Format, text: &str, table: &str, key: &str) -> String {
        let arena = Arena::new();
        let root = match format {
            Format::Toml => crate::toml::parse(text, &arena),
            Format::Json => crate::json::parse(text, &arena),
            Format::Yaml => crate::yaml::parse(text, &arena),
            Format::Markdown => crate::markdown::parse(text, &arena).map(|plan| plan.root),
        }
        .unwrap();
        let editor = Editor::new(format, text);
        let edit = editor
            .add_key(table_at(&root, table), key, &Literal::EmptyList)
            .unwrap();
        apply(text, &[&edit])
    }

    #[test]
    fn a_key_joins_a_header_table_after_its_last_key_and_comment() {
        let text = "[a]\nx = 1 # one\n  y = [\n  2,\n] # two\n\n[b]\nz = 3\n";
        assert_eq!(
            add(Format::Toml, text, "a", "new"),
            "[a]\nx = 1 # one\n  y = [\n  2,\n] # two\n  new = []\n\n[b]\nz = 3\n"
        );
        let crlf = "[a]\r\nx = 1\r\n";
        assert_eq!(
            add(Format::Toml, crlf, "a", "new"),
            "[a]\r\nx = 1\r\nnew = []\r\n"
        );
        let unterminated = "[a]\nx = 1";
        assert_eq!(
            add(Format::Toml, unterminated, "a", "new"),
            "[a]\nx = 1\nnew = []"
        );
        assert_eq!(add(Format::Toml, "[a]\n", "a", "new"), "[a]\nnew = []\n");
        // A sub-table's keys are not the table's.
        let nested = "[a]\nx = 1\n[a.b]\ny = 2\n";
        assert_eq!(
            add(Format::Toml, nested, "a", "new"),
            "[a]\nx = 1\nnew = []\n[a.b]\ny = 2\n"
        );
    }

    #[test]
    fn a_key_joins_an_inline_table_or_an_object_in_its_layout() {
        assert_eq!(
            add(Format::Toml, "a = { x = 1 }\n", "a", "new"),
            "a = { x = 1, new = [] }\n"
        );
        assert_eq!(
            add(Format::Toml, "a = {}\n", "a", "new"),
            "a = { new = [] }\n"
        );
        assert_eq!(
            add(Format::Json, "{\"a\": {\"x\": 1}}", "a", "new"),
            "{\"a\": {\"x\": 1, \"new\": []}}"
        );
        assert_eq!(
            add(
                Format::Json,
                "{\n  \"a\": {\n    \"x\": 1\n  }\n}\n",
                "a",
                "new"
            ),
            "{\n  \"a\": {\n    \"x\": 1,\n    \"new\": []\n  }\n}\n"
        );
        assert_eq!(
            add(Format::Json, "{\"a\": {}}", "a", "new"),
            "{\"a\": {\"new\": []}}"
        );
    }

    #[test]
    fn a_table_joins_the_document_at_its_end() {
        let arena = Arena::new();
        let keys = [("cadence", Literal::String("30 days"))];
        let text = "x = 1\n";
        let root = crate::toml::parse(text, &arena).unwrap();
        let edit = Editor::new(Format::Toml, text)
            .add_table(&root, "review", &keys)
            .unwrap();
        assert_eq!(
            apply(text, &[&edit]),
            "x = 1\n\n[review]\ncadence = \"30 days\"\n"
        );
        let text = "{\n  \"x\": 1\n}\n";
        let root = crate::json::parse(text, &arena).unwrap();
        let edit = Editor::new(Format::Json, text)
            .add_table(&root, "review", &keys)
            .unwrap();
        assert_eq!(
            apply(text, &[&edit]),
            "{\n  \"x\": 1,\n  \"review\": {\n    \"cadence\": \"30 days\"\n  }\n}\n"
        );
    }

    #[test]
    fn strings_and_keys_are_written_so_both_formats_read_them_back() {
        let tricky = "a \"b\" \\ c\n\u{7}\u{7f} é";
        let toml_text = format!(
            "k = {}\n",
            Editor::new(Format::Toml, "").literal(&Literal::String(tricky))
        );
        let arena = Arena::new();
        let root = crate::toml::parse(&toml_text, &arena).unwrap();
        let Kind::Table(table) = &root.kind else {
            panic!()
        };
        assert_eq!(table.entries[0].value.kind, Kind::String(tricky));
        let json_text = format!(
            "{{\"k\": {}}}",
            Editor::new(Format::Json, "").literal(&Literal::String(tricky))
        );
        let root = crate::json::parse(&json_text, &arena).unwrap();
        let Kind::Table(table) = &root.kind else {
            panic!()
        };
        assert_eq!(table.entries[0].value.kind, Kind::String(tricky));
        assert_eq!(
            Editor::new(Format::Toml, "").key("problem_owner"),
            "problem_owner"
        );
        assert_eq!(Editor::new(Format::Toml, "").key("a b"), "\"a b\"");
        assert_eq!(Editor::new(Format::Json, "").key("ab"), "\"ab\"");
    }
}
