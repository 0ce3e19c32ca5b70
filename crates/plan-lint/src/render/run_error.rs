//! Errors that stop a run (or keep a path from being linted), in one style everywhere:
//! `error: …`, then what caused it, the place in the file when there is one, and help, as
//! cargo and ruff print them. Internal names (error codes, type names) are never shown.

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode};
use plan_engine::text::visible;
use std::fmt::{self, Write as _};

/// The error, then each related problem (a config's problems, each at its place), as text
/// ending in a newline.
pub fn render(error: &dyn Diagnostic, color: bool) -> String {
    let mut out = String::new();
    render_one(error, color, &mut out);
    if let Some(related) = error.related() {
        for problem in related {
            out.push('\n');
            render_one(problem, color, &mut out);
        }
    }
    out
}

/// `error: message` for a message alone (a path that could not be linted).
pub fn line(message: &str, color: bool) -> String {
    format!("{}: {}\n", label(color), visible(message))
}

fn label(color: bool) -> &'static str {
    if color {
        "\x1b[1;31merror\x1b[0m"
    } else {
        "error"
    }
}

fn render_one(error: &dyn Diagnostic, color: bool, out: &mut String) {
    out.push_str(&line(&error.to_string(), color));
    let mut cause = error.source();
    while let Some(source) = cause {
        let _ = writeln!(out, "  caused by: {}", visible(&source.to_string()));
        cause = source.source();
    }
    if error.source_code().is_some() && error.labels().is_some() {
        out.push_str(&snippet(error, color));
    }
    if let Some(help) = error.help() {
        let _ = writeln!(out, "  help: {}", visible(&help.to_string()));
    }
}

/// The labelled place in the source, as miette draws it, without miette's own header line.
fn snippet(error: &dyn Diagnostic, color: bool) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(usize::MAX)
        .with_links(false);
    let mut rendered = String::new();
    // Writing into a String cannot fail.
    let _ = handler.render_report(&mut rendered, &Snippet(error));
    // The header is the one empty-message line before the source's frame.
    match rendered.find('\n') {
        Some(end) => rendered[end + 1..].to_owned(),
        None => String::new(),
    }
}

/// Only the source and labels of a diagnostic: no message, code, help or causes.
struct Snippet<'a>(&'a dyn Diagnostic);

impl fmt::Debug for Snippet<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Snippet")
    }
}

impl fmt::Display for Snippet<'_> {
    fn fmt(&self, _: &mut fmt::Formatter<'_>) -> fmt::Result {
        Ok(())
    }
}

impl std::error::Error for Snippet<'_> {}

impl Diagnostic for Snippet<'_> {
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.0.source_code()
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.0.labels()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use miette::{NamedSource, SourceSpan};

    #[derive(Debug, thiserror::Error, Diagnostic)]
    #[error("outer problem")]
    #[diagnostic(code(some::internal_code), help("do this"))]
    struct Outer {
        #[source]
        source: std::io::Error,
    }

    #[derive(Debug, thiserror::Error, Diagnostic)]
    #[error("a bad value")]
    struct Placed {
        #[source_code]
        source_code: NamedSource<String>,
        #[label("here")]
        span: SourceSpan,
    }

    #[test]
    fn an_error_reads_error_cause_help_and_never_its_code() {
        let error = Outer {
            source: std::io::Error::other("disk on fire"),
        };
        assert_eq!(
            render(&error, false),
            "error: outer problem\n  caused by: disk on fire\n  help: do this\n"
        );
    }

    #[test]
    fn a_placed_error_shows_its_place_under_the_error_line() {
        let error = Placed {
            source_code: NamedSource::new("plan-lint.toml", "fail_on = \"x\"\n".to_owned()),
            span: (10, 3).into(),
        };
        let text = render(&error, false);
        assert!(text.starts_with("error: a bad value\n"), "{text}");
        assert!(text.contains("╭─[plan-lint.toml:1:11]"), "{text}");
        assert!(text.contains("here"), "{text}");
        assert!(!text.contains('×'), "{text}");
    }
}
