//! `--format human`: miette's graphical reports, with a source snippet, a label on the exact
//! span, related places in other files, help, and a closing summary line.

use crate::load::CheckedFile;
use crate::report::Report;
use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};
use plan_model::Span;
use plan_rules::{Finding, Severity};
use std::cell::OnceCell;
use std::fmt;

/// Wide enough for a snippet and its labels, narrow enough to read in a CI log.
const WIDTH: usize = 100;

/// Write the report finding by finding: a large run's report is never held in memory whole.
pub fn write(
    report: &Report<'_>,
    color: bool,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(WIDTH)
        .with_links(false);
    // Built on first use, once per file: miette would otherwise scan a file from its start
    // for every finding, which is quadratic in a plan with many findings.
    let line_starts: Vec<OnceCell<Vec<usize>>> =
        report.files.iter().map(|_| OnceCell::new()).collect();
    let mut rendered = String::new();
    for finding in report.findings {
        let diagnostic = FindingDiagnostic::new(finding, report.files, &line_starts);
        rendered.clear();
        // Writing into a String cannot fail.
        let _ = handler.render_report(&mut rendered, &diagnostic);
        rendered.push('\n');
        out.write_all(rendered.as_bytes())?;
    }
    out.write_all(report.summary_line().as_bytes())?;
    out.write_all(b"\n")
}

/// The whole report as text.
pub fn render(report: &Report<'_>, color: bool) -> String {
    let mut bytes = Vec::new();
    // Writing into memory cannot fail.
    let _ = write(report, color, &mut bytes);
    String::from_utf8_lossy(&bytes).into_owned()
}

/// A file's text under its display name, as miette reads it.
///
/// miette's reader counts lines from the start of the text it is given, for every label of
/// every finding: over a whole file that is quadratic in a plan with many findings. So it is
/// given a window: whole lines around the spans of one diagnostic, wide enough that miette
/// draws exactly what it would draw from the whole file. Positions are shifted back.
struct Source<'a> {
    name: &'a str,
    /// The window, from the start of a line.
    window: &'a str,
    /// The byte offset of the window in the file.
    window_start: usize,
    /// The 0-based line the window starts at.
    first_line: usize,
}

/// Lines of context kept on each side of a diagnostic's spans: more than miette shows.
const WINDOW_MARGIN_LINES: usize = 4;

impl<'a> Source<'a> {
    fn new(name: &'a str, text: &'a str, line_starts: &[usize], spans: &[Span]) -> Source<'a> {
        let line_of = |offset: usize| {
            line_starts
                .partition_point(|&start| start <= offset)
                .saturating_sub(1)
        };
        let from = spans.iter().map(|span| span.start).min().unwrap_or(0);
        let to = spans.iter().map(|span| span.end).max().unwrap_or(0);
        let first_line = line_of(from.min(text.len())).saturating_sub(WINDOW_MARGIN_LINES);
        let last_line = line_of(to.min(text.len())) + WINDOW_MARGIN_LINES;
        let window_start = line_starts.get(first_line).copied().unwrap_or(0);
        let window_end = line_starts
            .get(last_line + 1)
            .copied()
            .unwrap_or(text.len());
        Source {
            name,
            window: &text[window_start..window_end],
            window_start,
            first_line,
        }
    }
}

impl SourceCode for Source<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let offset = span
            .offset()
            .checked_sub(self.window_start)
            .ok_or(MietteError::OutOfBounds)?;
        let local = SourceSpan::new(offset.into(), span.len());
        let contents = self
            .window
            .read_span(&local, context_lines_before, context_lines_after)?;
        let data_span = contents.span();
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.to_owned(),
            contents.data(),
            SourceSpan::new(
                (data_span.offset() + self.window_start).into(),
                data_span.len(),
            ),
            contents.line() + self.first_line,
            contents.column(),
            // miette's own reader counts these lines from the start of the file, and decides
            // from that whether two labels share one snippet: counted the same way here.
            contents.line_count() + self.first_line,
        )))
    }
}

fn source_span(span: Span) -> SourceSpan {
    SourceSpan::new(span.start.into(), span.len())
}

/// A finding, shown by miette.
struct FindingDiagnostic<'a> {
    finding: &'a Finding,
    source: Source<'a>,
    related: Vec<RelatedDiagnostic<'a>>,
}

impl<'a> FindingDiagnostic<'a> {
    fn new(
        finding: &'a Finding,
        files: &'a [CheckedFile],
        line_starts: &'a [OnceCell<Vec<usize>>],
    ) -> Self {
        let source = |index: usize, spans: &[Span]| {
            let file = &files[index];
            // Kept for human output; see `load::Stage::keep_text`.
            let text = file.text.as_deref().unwrap_or_default();
            let starts = line_starts[index].get_or_init(|| plan_model::line_starts(text));
            Source::new(&file.path, text, starts, spans)
        };
        let spans: Vec<Span> = std::iter::once(finding.span)
            .chain(finding.labels.iter().map(|label| label.at.span))
            .collect();
        let related = finding
            .related
            .iter()
            .map(|related| RelatedDiagnostic {
                message: &related.message,
                span: related.at.span,
                source: source(related.file, &[related.at.span]),
            })
            .collect();
        FindingDiagnostic {
            finding,
            source: source(finding.file, &spans),
            related,
        }
    }
}

impl fmt::Debug for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FindingDiagnostic")
            .field("finding", self.finding)
            .finish()
    }
}

impl fmt::Display for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.message)
    }
}

impl std::error::Error for FindingDiagnostic<'_> {}

impl Diagnostic for FindingDiagnostic<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        let rule = self.finding.rule;
        Some(Box::new(format!(
            "{}[{}/{}]",
            self.finding.severity, rule.code, rule.name
        )))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.finding.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Note => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.finding
            .help
            .as_ref()
            .map(|help| Box::new(help) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let primary = LabeledSpan::new_primary_with_span(None, source_span(self.finding.span));
        let secondary = self.finding.labels.iter().map(|label| {
            LabeledSpan::new_with_span(Some(label.message.to_string()), source_span(label.at.span))
        });
        Some(Box::new(std::iter::once(primary).chain(secondary)))
    }

    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn Diagnostic> + 'b>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(self.related.iter().map(|r| r as &dyn Diagnostic)))
    }
}

/// A place in another file that takes part in a finding (portfolio rules).
#[derive(Debug)]
struct RelatedDiagnostic<'a> {
    message: &'a str,
    span: Span,
    source: Source<'a>,
}

impl fmt::Debug for Source<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

impl fmt::Display for RelatedDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message)
    }
}

impl std::error::Error for RelatedDiagnostic<'_> {}

impl Diagnostic for RelatedDiagnostic<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Advice)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(None, source_span(self.span)),
        )))
    }
}
