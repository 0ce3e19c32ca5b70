//! `plan-model`: Implementation Plan files read into a typed [`Plan`] in which every key and
//! value keeps its exact place in the source, plus the schema findings about the file.
//!
//! The one entry point is [`parse`]. It never fails and never does I/O: whatever is wrong
//! with the bytes becomes a [`SchemaFinding`], and whatever is sound becomes part of the plan.

pub mod convert;
pub mod directive;
pub mod fix;
pub mod format;
pub mod help;
mod json;
pub mod markdown;
pub mod plan;
mod schema;
mod source;
mod span;
mod toml;
pub mod value;
mod yaml;

pub use fix::{Applicability, Edit, Editor, Fix, Literal, Suggestion};
pub use plan::*;
pub use schema::{MAX_SUGGESTION_CANDIDATES, Suggestions, did_you_mean, unknown_key_help};
pub use source::{
    Counts, LineCol, LineIndex, NotUtf8, SourceFile, ceil_char_boundary, decode,
    floor_char_boundary, line_starts,
};
pub use span::{Span, Spanned};
pub use value::Arena;

/// The plan file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    Toml,
    Json,
    Yaml,
    /// `*.plan.md`: front matter for the plan's tables, Markdown tables for its collections.
    Markdown,
}

impl Format {
    /// The format of a path: `.json` files are JSON, `.yaml` and `.yml` files YAML, `.md` files
    /// Markdown,
    /// everything else is read as TOML (the canonical format), so that a file named explicitly
    /// is linted whatever its name.
    pub fn of_path(path: &str) -> Format {
        let path = path.to_ascii_lowercase();
        if path.ends_with(".json") {
            Format::Json
        } else if path.ends_with(".yaml") || path.ends_with(".yml") {
            Format::Yaml
        } else if path.ends_with(".md") {
            Format::Markdown
        } else {
            Format::Toml
        }
    }
}

/// What kind of schema problem a finding is. The rules crate maps each to its rule
/// (`syntax-error` PL100 … `missing-field` PL103).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SchemaProblem {
    /// Not valid TOML, JSON or YAML, or not UTF-8. Nothing else is read from the file.
    Syntax,
    UnknownField,
    InvalidValue,
    MissingField,
}

/// A problem with the shape of a plan file, found while reading it.
#[derive(Debug, Clone, PartialEq)]
pub struct SchemaFinding {
    pub problem: SchemaProblem,
    pub span: Span,
    /// The logical path of the key concerned (`raid[R-3].severity`); empty for the file.
    pub path: String,
    pub message: String,
    pub help: Option<String>,
    /// What would put it right, when the reader can tell (a misspelt key's name).
    pub suggestion: Option<fix::Suggestion>,
}

/// A parser's complaint: what and where.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    pub message: String,
    pub span: Span,
}

/// Read TOML text into the spanned value tree, for the other TOML files plan-lint reads (its
/// config), so that they are read exactly as plans are.
/// A TOML document's value tree, built in `arena` (the config file is read with it).
pub fn parse_toml<'a>(
    text: &'a str,
    arena: &'a value::Arena,
) -> Result<value::Value<'a>, SyntaxError> {
    toml::parse(text, arena)
}

thread_local! {
    /// Each thread reads the files it is given in one arena, emptied before each file: a
    /// plan costs no allocation per table or string and is freed at once.
    static ARENA: std::cell::RefCell<value::Arena> = std::cell::RefCell::new(value::Arena::new());
}

/// An arena that grew past this for one file (a huge plan) is given back, not kept.
const ARENA_KEPT: usize = 4 << 20;

/// Run `read` with this thread's arena, emptied first: for reading file after file on the
/// same thread without allocating each plan anew. (Should `read` come back here on the same
/// thread, it is given an arena of its own.)
pub fn with_thread_arena<R>(read: impl FnOnce(&value::Arena) -> R) -> R {
    ARENA.with(|cell| match cell.try_borrow_mut() {
        Ok(mut arena) => {
            arena.0.reset();
            let result = read(&arena);
            if arena.0.allocated_bytes() > ARENA_KEPT {
                *arena = value::Arena::new();
            }
            result
        }
        Err(_) => read(&value::Arena::new()),
    })
}

/// One plan file, read. The typed plan lives in the arena it was read into.
#[derive(Debug, Clone)]
pub struct ParsedFile<'a> {
    pub source: SourceFile,
    pub format: Format,
    /// The plan, unless the file is not valid TOML/JSON/UTF-8.
    pub plan: Option<Plan<'a>>,
    /// Schema findings in the order they were found.
    pub findings: Vec<SchemaFinding>,
    /// The logical paths of keys that unknown keys misspell (`people.problem_owner` for
    /// `problem_ownr`): findings about their absence are the `unknown-field` finding's cascade.
    pub misspelt: Vec<String>,
    /// `# plan-lint:` comments (TOML only; JSON has no comments).
    pub directives: Vec<directive::Directive>,
}

/// Read a plan file's bytes into `arena`. `path` is how the file is shown to users.
///
/// The text is copied into the arena once, and everything the plan holds (strings, lists,
/// logical paths) borrows from it or is allocated next to it: besides the arena, reading a plan
/// allocates only the file's own text and line index, its findings and its directives.
pub fn parse<'a>(
    path: &str,
    format: Format,
    bytes: impl Into<Vec<u8>>,
    arena: &'a value::Arena,
) -> ParsedFile<'a> {
    let (text, not_utf8) = decode(bytes.into());
    let source = SourceFile::new(path, text);
    let syntax_error = |source: SourceFile, error: SyntaxError| ParsedFile {
        findings: vec![SchemaFinding {
            problem: SchemaProblem::Syntax,
            span: error.span,
            path: String::new(),
            message: error.message,
            help: None,
            suggestion: None,
        }],
        directives: Vec::new(),
        misspelt: Vec::new(),
        source,
        format,
        plan: None,
    };
    if let Some(NotUtf8 { valid_up_to }) = not_utf8 {
        let error = SyntaxError {
            message: "the file is not valid UTF-8 text".into(),
            span: Span::new(valid_up_to, valid_up_to),
        };
        return syntax_error(source, error);
    }
    let text: &'a str = arena.0.alloc_str(&source.text);
    let mut report = schema::SchemaReport::default();
    let mut markdown_parts = None;
    let root = match format {
        Format::Toml => toml::parse(text, arena),
        Format::Json => json::parse(text, arena),
        Format::Yaml => yaml::parse(text, arena),
        Format::Markdown => markdown::parse(text, arena).map(|plan| {
            report.findings.extend(plan.findings);
            markdown_parts = Some((plan.front_matter, plan.comments));
            plan.root
        }),
    };
    let root: &'a value::Value<'a> = match root {
        Ok(root) => arena.0.alloc(root),
        Err(error) => return syntax_error(source, error),
    };
    let plan = schema::read_plan(root, &arena.0, &mut report);
    let directives = match format {
        Format::Toml => directive::directives(&source),
        Format::Yaml => directive::yaml_directives(&source, root),
        Format::Markdown => {
            let (front_matter, comments) = markdown_parts.unwrap_or_default();
            directive::markdown_directives(&source, root, front_matter, &comments)
        }
        Format::Json => Vec::new(),
    };
    ParsedFile {
        directives,
        source,
        format,
        plan,
        findings: report.findings,
        misspelt: report.misspelt,
    }
}

/// A finding about a file that was never parsed, such as one over the size limit.
pub fn unparsed(path: &str, format: Format, message: String) -> ParsedFile<'static> {
    ParsedFile {
        source: SourceFile::new(path, String::new()),
        format,
        plan: None,
        directives: Vec::new(),
        misspelt: Vec::new(),
        findings: vec![SchemaFinding {
            problem: SchemaProblem::Syntax,
            span: Span::new(0, 0),
            path: String::new(),
            message,
            help: None,
            suggestion: None,
        }],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAN: &str = "version = 1\n[plan]\nid = \"a\"\n";

    /// A read that comes back to the thread's arena while it is lent (as a rayon task can on
    /// the same thread, while waiting) is given an arena of its own, and the outer plan is
    /// untouched; and the arena serves read after read.
    #[test]
    fn the_thread_arena_is_never_shared() {
        let id = |arena: &Arena| {
            let parsed = parse("a.plan.toml", Format::Toml, PLAN, arena);
            parsed.plan.and_then(|plan| plan.id()).map(str::to_owned)
        };
        for _ in 0..3 {
            let (outer, inner) = with_thread_arena(|outer| {
                let plan = parse("a.plan.toml", Format::Toml, PLAN, outer).plan;
                let inner = with_thread_arena(|inner| {
                    assert!(!std::ptr::eq(outer, inner));
                    id(inner)
                });
                (plan.and_then(|plan| plan.id()).map(str::to_owned), inner)
            });
            assert_eq!(outer.as_deref(), Some("a"));
            assert_eq!(inner.as_deref(), Some("a"));
        }
    }

    fn unknown_fields<'p>(parsed: &'p ParsedFile) -> Vec<(&'p str, &'p str, Option<&'p str>)> {
        parsed
            .findings
            .iter()
            .filter(|finding| finding.problem == SchemaProblem::UnknownField)
            .map(|finding| {
                let rename = finding
                    .suggestion
                    .as_ref()
                    .map(|suggestion| match suggestion {
                        fix::Suggestion::RenameKey { key, .. } => key.as_str(),
                        other => panic!("not a rename: {other:?}"),
                    });
                (
                    &parsed.source.text[finding.span.range()],
                    finding.path.as_str(),
                    rename,
                )
            })
            .collect()
    }

    /// A Markdown table's misspelt column is one finding at its header, whatever the rows; each
    /// row whose own cell of the key it misspells is missing or empty is that finding's cascade.
    #[test]
    fn an_unknown_column_is_one_finding_and_each_row_a_misspelling() {
        let text = "---\nplan:\n  id: p\n---\n\n## RAID log\n\n\
                    | ID | Type | Mitgation | Mitigation |\n|---|---|---|---|\n\
                    | R-1 | risk | m | |\n| R-2 | risk | m | done |\n| R-3 | risk | | |\n\
                    | R-4 | risk | m | |\n";
        let arena = Arena::default();
        let parsed = parse("p.plan.md", Format::Markdown, text, &arena);
        assert_eq!(
            unknown_fields(&parsed),
            [("Mitgation", "raid[R-1].mitgation", Some("mitigation"))]
        );
        // R-2 has its mitigation; R-3's misspelt cell is empty, so no key of its row.
        assert_eq!(
            parsed.misspelt,
            ["raid[R-1].mitigation", "raid[R-4].mitigation"]
        );
    }

    /// Every misspelling of a key its table lacks is a finding and explains the key's absence;
    /// one is renamed (renaming them all would write the key many times).
    #[test]
    fn many_misspellings_of_one_key_are_each_a_finding_and_one_is_renamed() {
        let misspellings: Vec<String> = (0..2_000u32)
            .map(|i| {
                let c = char::from_u32(0x4e00 + i / 5).unwrap();
                let at = (i % 5) as usize;
                "title"[..at].to_owned() + &c.to_string() + &"title"[at + 1..]
            })
            .collect();
        let mut text = "version = 1\n[plan]\nid = \"p\"\n".to_owned();
        for key in &misspellings {
            text.push_str(&format!("\"{key}\" = \"x\"\n"));
        }
        let arena = Arena::default();
        let parsed = parse("p.plan.toml", Format::Toml, text.as_str(), &arena);
        let found = unknown_fields(&parsed);
        assert_eq!(found.len(), misspellings.len());
        for ((written, path, _), key) in found.iter().zip(&misspellings) {
            assert_eq!(*written, format!("\"{key}\""));
            assert_eq!(*path, format!("plan.{key}"));
        }
        let renames: Vec<_> = found.iter().filter_map(|(.., rename)| *rename).collect();
        assert_eq!(renames, ["title"]);
        assert_eq!(parsed.misspelt.len(), misspellings.len());
        assert!(parsed.misspelt.iter().all(|path| path == "plan.title"));
        // With the title written, none of them explains anything, and none is renamed.
        let titled = text.replace("id = \"p\"\n", "id = \"p\"\ntitle = \"T\"\n");
        let parsed = parse("p.plan.toml", Format::Toml, titled.as_str(), &arena);
        assert_eq!(unknown_fields(&parsed).len(), misspellings.len());
        assert!(
            unknown_fields(&parsed)
                .iter()
                .all(|(.., rename)| rename.is_none())
        );
        assert!(parsed.misspelt.is_empty());
    }
}
