//! Suppressions written as comments (TOML and YAML, whose comments both start with `#`):
//!
//! ```toml
//! # plan-lint: allow(raid-mitigation) until 2027-01-31 -- accepted by the steering group
//! [[raid]]
//! id = "R-3"            # plan-lint: allow(unknown-person) -- contractor, joins in January
//! # plan-lint: allow-file(backlog-priority) -- the backlog is ranked in the team's tracker
//! ```
//!
//! `allow(…)` covers findings that start on its own line (a comment after code) or on the next
//! line that is not itself a comment (a comment on a line of its own, so that several can be
//! stacked above one key). `allow-file(…)` covers the whole file. Which rules exist is the rules
//! crate's business: here a rule is only a name as written.

use crate::schema::parse_date;
use crate::value::{Kind, Value};
use crate::{SourceFile, Span, Spanned};
use foldhash::HashMap;
use jiff::civil::Date;
use toml_parser::lexer::TokenKind;

/// A `# plan-lint:` comment.
#[derive(Debug, Clone, PartialEq)]
pub struct Directive {
    /// The whole comment, from `#` to the end of its line.
    pub span: Span,
    /// What the comment says, or why it cannot be read.
    pub content: Result<CommentAllow, String>,
}

/// A well-formed `allow(…)` or `allow-file(…)` comment.
#[derive(Debug, Clone, PartialEq)]
pub struct CommentAllow {
    pub scope: Scope,
    /// Rule names or codes, each where it is written.
    pub rules: Vec<Spanned<String>>,
    pub until: Option<Date>,
    /// The text after `--`; `None` when there is none.
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Findings that start on this 1-based line.
    Line(usize),
    File,
}

const MARKER: &str = "plan-lint:";

/// Every `# plan-lint:` comment of a TOML file.
pub fn directives(source: &SourceFile) -> Vec<Directive> {
    let text = source.text.as_str();
    // Most plans have no directive; they are not lexed a second time.
    if !text.contains(MARKER) {
        return Vec::new();
    }
    let comments = toml_parser::Source::new(text)
        .lex()
        .filter(|token| token.kind() == TokenKind::Comment)
        .map(|token| Span::new(token.span().start(), token.span().end()));
    from_comments(source, comments)
}

/// Every `# plan-lint:` comment of a YAML file, whose value tree is `root`.
pub fn yaml_directives(source: &SourceFile, root: &Value<'_>) -> Vec<Directive> {
    let text = source.text.as_str();
    if !text.contains(MARKER) {
        return Vec::new();
    }
    let comments = yaml_comments(text, root, Span::new(0, text.len()));
    from_comments(source, comments.into_iter())
}

/// Every `plan-lint:` comment of a Markdown plan: `#` comments of its front matter (YAML or
/// TOML), and the body's `<!-- … -->` comments (`html`).
pub fn markdown_directives(
    source: &SourceFile,
    root: &Value<'_>,
    front_matter: Option<crate::markdown::FrontMatter>,
    html: &[Span],
) -> Vec<Directive> {
    let text = source.text.as_str();
    if !text.contains(MARKER) {
        return Vec::new();
    }
    let mut comments = match front_matter {
        Some(front) if front.toml => toml_parser::Source::new(&text[front.span.range()])
            .lex()
            .filter(|token| token.kind() == TokenKind::Comment)
            .map(|token| {
                Span::new(
                    front.span.start + token.span().start(),
                    front.span.start + token.span().end(),
                )
            })
            .collect(),
        Some(front) => yaml_comments(text, root, front.span),
        None => Vec::new(),
    };
    comments.extend(html.iter().copied());
    comments.sort_unstable_by_key(|span| span.start);
    from_comments(source, comments.into_iter())
}

/// The `#` comments of YAML in `region` of `text`: a `#` at the start of a line or after a
/// space or tab, outside every scalar (YAML has no other place for one). The scalars' spans
/// come from the value tree.
fn yaml_comments(text: &str, root: &Value<'_>, region: Span) -> Vec<Span> {
    let mut scalars = Vec::new();
    let mut stack = vec![root];
    while let Some(value) = stack.pop() {
        match &value.kind {
            Kind::Table(table) => {
                for entry in table.entries {
                    scalars.push(entry.key_span);
                    stack.push(&entry.value);
                }
            }
            Kind::Array(items) => stack.extend(items.iter()),
            _ => scalars.push(value.span),
        }
    }
    scalars.sort_unstable_by_key(|span| span.start);
    let inside_scalar = |at: usize| {
        let before = scalars.partition_point(|span| span.start <= at);
        // Scalars do not overlap, so only the last one starting at or before `at` can hold it.
        before > 0 && scalars[before - 1].end > at
    };
    let bytes = text.as_bytes();
    let mut comments = Vec::new();
    let mut line_start = region.start;
    for line in text[region.range()].split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let mut from = 0;
        while let Some(found) = memchr::memchr(b'#', &body.as_bytes()[from..]) {
            let at = line_start + from + found;
            let after_space = at == line_start || matches!(bytes[at - 1], b' ' | b'\t');
            if after_space && !inside_scalar(at) {
                comments.push(Span::new(at, line_start + body.len()));
                break;
            }
            from += found + 1;
        }
        line_start += line.len();
    }
    comments
}

/// The directives among a file's comments (each from `#` to the end of its line).
fn from_comments(source: &SourceFile, comments: impl Iterator<Item = Span>) -> Vec<Directive> {
    let text = source.text.as_str();
    // (comment span, whether the comment is alone on its line)
    let comments: Vec<(Span, bool)> = comments
        .map(|span| {
            let line_start = source.line_start(span.start);
            (span, text[line_start..span.start].trim().is_empty())
        })
        .collect();
    // For every line holding only a comment: the next line that does not. Worked out from the
    // last such line up, so a stack of 100,000 comments costs one step per comment, not one
    // per comment per comment below it.
    let mut comment_lines: Vec<usize> = comments
        .iter()
        .filter(|(_, alone)| *alone)
        .map(|(span, _)| source.line(span.start))
        .collect();
    comment_lines.dedup();
    let mut covered: HashMap<usize, usize> = HashMap::default();
    for &line in comment_lines.iter().rev() {
        let next = line + 1;
        let target = covered.get(&next).copied().unwrap_or(next);
        covered.insert(line, target);
    }
    comments
        .into_iter()
        .filter_map(|(span, alone)| {
            let content = parse(&text[span.range()], span.start)?;
            let content = content.map(|(file_wide, rules, until, reason)| {
                let line = source.line(span.start);
                let scope = match (file_wide, alone) {
                    (true, _) => Scope::File,
                    (false, false) => Scope::Line(line),
                    (false, true) => Scope::Line(covered.get(&line).copied().unwrap_or(line + 1)),
                };
                CommentAllow {
                    scope,
                    rules,
                    until,
                    reason,
                }
            });
            Some(Directive { span, content })
        })
        .collect()
}

type Parsed = (bool, Vec<Spanned<String>>, Option<Date>, Option<String>);

/// Read one comment (`#…`, or Markdown's `<!-- … -->`, starting at byte `offset`): `None` when
/// it is not a directive.
fn parse(comment: &str, offset: usize) -> Option<Result<Parsed, String>> {
    let body = match comment.strip_prefix("<!--") {
        Some(html) => html.trim_end().strip_suffix("-->").unwrap_or(html),
        None => comment.strip_prefix('#')?,
    };
    let rest = body.trim_start().strip_prefix(MARKER)?.trim_start();
    // `rest` lies inside `comment`: its offset is where it starts there.
    let at = rest.as_ptr() as usize - comment.as_ptr() as usize;
    Some(parse_body(rest, offset + at))
}

fn parse_body(rest: &str, offset: usize) -> Result<Parsed, String> {
    let (file_wide, after_open) = if let Some(after) = rest.strip_prefix("allow-file(") {
        (true, after)
    } else if let Some(after) = rest.strip_prefix("allow(") {
        (false, after)
    } else {
        return Err(format!(
            "expected `allow(rule, …)` or `allow-file(rule, …)` after `{MARKER}`"
        ));
    };
    let list_offset = offset + (rest.len() - after_open.len());
    let close = after_open
        .find(')')
        .ok_or("the list of rules is not closed with `)`")?;
    let mut rules = Vec::new();
    let mut at = list_offset;
    for item in after_open[..close].split(',') {
        let name = item.trim();
        if !name.is_empty() {
            let start = at + (item.len() - item.trim_start().len());
            rules.push(Spanned::new(
                name.to_owned(),
                Span::new(start, start + name.len()),
            ));
        }
        at += item.len() + 1;
    }
    if rules.is_empty() {
        return Err("name at least one rule to allow, such as `allow(raid-mitigation)`".into());
    }
    let mut tail = after_open[close + 1..].trim_start();
    let mut until = None;
    if let Some(after) = tail.strip_prefix("until") {
        let after = after.trim_start();
        let date_text = after.split_whitespace().next().unwrap_or_default();
        until = Some(
            parse_date(date_text)
                .ok_or_else(|| format!("`{date_text}` is not a date; write `until YYYY-MM-DD`"))?,
        );
        tail = after[date_text.len()..].trim_start();
    }
    let reason = match tail.strip_prefix("--") {
        Some(reason) => Some(reason.trim()).filter(|r| !r.is_empty()),
        None if tail.is_empty() => None,
        None => {
            return Err(format!(
                "expected `-- reason` after the rules, found `{tail}`"
            ));
        }
    };
    Ok((file_wide, rules, until, reason.map(str::to_owned)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Vec<Directive> {
        directives(&SourceFile::new("x.plan.toml", text.to_owned()))
    }

    #[test]
    fn a_trailing_comment_covers_its_line_and_a_comment_line_the_next_line() {
        let text = "a = 1 # plan-lint: allow(PL002) -- why\n\
                    # plan-lint: allow(raid-mitigation, unknown-person) until 2027-01-31 -- steering group\n\
                    # an ordinary comment\n\
                    b = 2\n";
        let found = read(text);
        assert_eq!(found.len(), 2);
        let first = found[0].content.as_ref().unwrap();
        assert_eq!(first.scope, Scope::Line(1));
        assert_eq!(first.reason.as_deref(), Some("why"));
        assert_eq!(&text[first.rules[0].span.range()], "PL002");
        let second = found[1].content.as_ref().unwrap();
        assert_eq!(second.scope, Scope::Line(4));
        let names: Vec<&str> = second.rules.iter().map(|r| &text[r.span.range()]).collect();
        assert_eq!(names, ["raid-mitigation", "unknown-person"]);
        assert_eq!(second.until, Some(jiff::civil::date(2027, 1, 31)));
        assert_eq!(second.reason.as_deref(), Some("steering group"));
    }

    #[test]
    fn file_wide_comments_and_missing_reasons() {
        let found = read("# plan-lint: allow-file(backlog-priority)\nx = 1\n");
        let allow = found[0].content.as_ref().unwrap();
        assert_eq!(allow.scope, Scope::File);
        assert_eq!(allow.reason, None);
        let found = read("x = 1 # plan-lint: allow(x) --   \n");
        assert_eq!(found[0].content.as_ref().unwrap().reason, None);
    }

    #[test]
    fn hashes_inside_strings_are_not_comments() {
        assert!(
            read("a = \"# plan-lint: allow(x) -- y\"\nb = '''\n# plan-lint: allow(z)\n'''\n")
                .is_empty()
        );
    }

    #[test]
    fn malformed_directives_say_what_is_wrong() {
        let errors: Vec<String> = [
            "# plan-lint: alow(x) -- y",
            "# plan-lint: allow(x -- y",
            "# plan-lint: allow() -- y",
            "# plan-lint: allow(x) until 31/01/2027 -- y",
            "# plan-lint: allow(x) because",
        ]
        .iter()
        .map(|text| read(text)[0].content.clone().unwrap_err())
        .collect();
        assert!(
            errors[0].starts_with("expected `allow(rule, …)`"),
            "{errors:?}"
        );
        assert!(errors[1].contains("not closed"), "{errors:?}");
        assert!(errors[2].contains("at least one rule"), "{errors:?}");
        assert!(
            errors[3].contains("`31/01/2027` is not a date"),
            "{errors:?}"
        );
        assert!(errors[4].contains("expected `-- reason`"), "{errors:?}");
    }
}
