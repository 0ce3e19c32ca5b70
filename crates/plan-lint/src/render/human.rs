//! `--format human`: miette's graphical reports, with a source snippet, a label on the exact
//! span, related places in other files, help, and a closing summary line.

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};
use plan_engine::load::CheckedFile;
use plan_engine::report::Report;
use plan_engine::text::{ShownText, visible};
use plan_model::Span;
use plan_rules::{Finding, Severity};
use rayon::prelude::*;
use std::borrow::Cow;
use std::fmt;
use std::sync::OnceLock;

/// Wide enough for a snippet and its labels, narrow enough to read in a CI log.
const WIDTH: usize = 100;

/// Findings rendered before they are written, and rendered by one task.
const WINDOW: usize = 8_192;
const PART: usize = 256;

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
        // Lines break at spaces only, and a word longer than a line stays whole: a file name
        // or a logical path is never cut (the default also breaks after `/` and `-`).
        .with_word_separator(textwrap::WordSeparator::AsciiSpace)
        .with_break_words(false)
        .with_links(false);
    // Built on first use, once per file: the text as shown (unsafe characters escaped) and its
    // line index, so that no finding makes miette scan a file from its start.
    let shown: Vec<OnceLock<Shown<'_>>> = report.files.iter().map(|_| OnceLock::new()).collect();
    // Findings are rendered side by side, a window at a time (so memory stays bounded), and
    // written in order: miette takes some 15 µs a finding, and a plan can hold 100,000.
    for window in report.findings.chunks(WINDOW) {
        let parts: Vec<String> = window
            .par_chunks(PART)
            .map(|part| {
                let mut rendered = String::new();
                for finding in part {
                    let diagnostic = FindingDiagnostic::new(finding, report.files, &shown);
                    // Writing into a String cannot fail.
                    let _ = handler.render_report(&mut rendered, &diagnostic);
                    rendered.push('\n');
                }
                rendered
            })
            .collect();
        for part in parts {
            out.write_all(part.as_bytes())?;
        }
    }
    let known = super::concise::known(report);
    if !known.is_empty() {
        out.write_all(b"known findings in the baseline:\n")?;
        out.write_all(known.as_bytes())?;
        out.write_all(b"\n")?;
    }
    if report.quiet {
        return Ok(());
    }
    out.write_all(visible(&report.summary_line()).as_bytes())?;
    out.write_all(b"\n")
}

/// The whole report as text.
pub fn render(report: &Report<'_>, color: bool) -> String {
    let mut bytes = Vec::new();
    // Writing into memory cannot fail.
    let _ = write(report, color, &mut bytes);
    String::from_utf8_lossy(&bytes).into_owned()
}

/// A file's text as the report shows it, with its line index.
struct Shown<'a> {
    text: ShownText<'a>,
    line_starts: Vec<usize>,
    /// For each line, how many lines before it are longer than [`LONG_LINE`] (one more entry
    /// at the end): whether a stretch of lines holds a long one, at once.
    long_lines_before: Vec<usize>,
}

impl<'a> Shown<'a> {
    fn of(file: &'a CheckedFile) -> Shown<'a> {
        // Kept for human output; see `load::Stage::keep_text`.
        let text = ShownText::new(file.text.as_deref().unwrap_or_default());
        let line_starts = plan_model::line_starts(&text.text);
        let mut long_lines_before = Vec::with_capacity(line_starts.len() + 1);
        long_lines_before.push(0);
        for (line, &start) in line_starts.iter().enumerate() {
            let end = line_starts
                .get(line + 1)
                .copied()
                .unwrap_or(text.text.len());
            let long = usize::from(end - start > LONG_LINE);
            long_lines_before.push(long_lines_before[line] + long);
        }
        Shown {
            text,
            line_starts,
            long_lines_before,
        }
    }

    /// The 0-based line of an offset of the shown text.
    fn line_of(&self, offset: usize) -> usize {
        self.line_starts
            .partition_point(|&start| start <= offset)
            .saturating_sub(1)
    }

    /// Whether a line from `first` to `last` (0-based) is longer than [`LONG_LINE`].
    fn has_long_line(&self, first: usize, last: usize) -> bool {
        let last = last.min(self.line_starts.len().saturating_sub(1));
        self.long_lines_before[last + 1] > self.long_lines_before[first.min(last)]
    }

    /// A span of the file, in the shown text.
    fn span(&self, span: Span) -> Span {
        Span::new(self.text.offset(span.start), self.text.offset(span.end))
    }
}

/// A file's shown text under its display name, as miette reads it.
///
/// miette's own reader counts lines from the start of the text it is given, for every label
/// of every finding: over a whole file that is quadratic in a plan with many findings. So each
/// read is answered from a window of whole lines around the span asked for, wide enough that
/// miette draws exactly what it would draw from the whole file, and positions are shifted
/// back. Columns of the locations shown are the findings' own, counted in characters of the
/// file as every other output counts them.
struct Source<'a> {
    name: Cow<'a, str>,
    shown: &'a Shown<'a>,
    /// Where the diagnostic's spans start in the shown text, and their columns in the file.
    columns: Vec<(usize, u32)>,
}

/// Lines of context kept on each side of a span: more than miette shows.
const WINDOW_MARGIN_LINES: usize = 4;

/// A line longer than this many bytes is not shown whole: a plan written on one long line
/// would repeat all of it for every finding on it (gigabytes of report for a 10 MB line).
const LONG_LINE: usize = 400;

/// Bytes of a long line shown on each side of a span (to a character boundary).
const LONG_LINE_MARGIN: usize = 60;

impl SourceCode for Source<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let text: &'b str = &self.shown.text.text;
        let line_starts = &self.shown.line_starts;
        let line_of = |offset: usize| self.shown.line_of(offset);
        let (from, to) = (span.offset(), span.offset() + span.len());
        if to > text.len() {
            return Err(MietteError::OutOfBounds);
        }
        let line_end = |line: usize| line_starts.get(line + 1).copied().unwrap_or(text.len());
        let (span_first, span_last) = (line_of(from), line_of(to));
        let long = self.shown.has_long_line(span_first, span_last);
        let (first_line, window_start, window_end) = if long {
            // The span's own lines only, cut to the span and a margin on each side: what is
            // shown per finding stays small however long the line.
            let start = from
                .saturating_sub(LONG_LINE_MARGIN)
                .max(line_starts[span_first]);
            let end = (to + LONG_LINE_MARGIN).min(line_end(span_last));
            (
                span_first,
                plan_model::floor_char_boundary(text, start),
                plan_model::ceil_char_boundary(text, end),
            )
        } else {
            let first_line = span_first.saturating_sub(context_lines_before + WINDOW_MARGIN_LINES);
            let last_line = span_last + context_lines_after + WINDOW_MARGIN_LINES;
            (
                first_line,
                line_starts.get(first_line).copied().unwrap_or(0),
                line_end(last_line),
            )
        };
        let window = &text[window_start..window_end];
        let local = SourceSpan::new((from - window_start).into(), span.len());
        let contents = window.read_span(&local, context_lines_before, context_lines_after)?;
        let data_span = contents.span();
        let column = match context_lines_before {
            0 => self
                .columns
                .iter()
                .find(|(at, _)| *at == from)
                .map_or(contents.column(), |(_, column)| *column as usize - 1),
            _ => contents.column(),
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone().into_owned(),
            contents.data(),
            SourceSpan::new((data_span.offset() + window_start).into(), data_span.len()),
            contents.line() + first_line,
            column,
            // miette's own reader counts these lines from the start of the file, and decides
            // from that whether two labels share one snippet: counted the same way here.
            contents.line_count() + first_line,
        )))
    }
}

fn source_span(span: Span) -> SourceSpan {
    SourceSpan::new(span.start.into(), span.len())
}

/// A finding, shown by miette: its spans in the shown text, its texts made visible.
struct FindingDiagnostic<'a> {
    finding: &'a Finding,
    message: Cow<'a, str>,
    help: Option<Cow<'a, str>>,
    span: Span,
    labels: Vec<(Span, Cow<'a, str>)>,
    source: Source<'a>,
    related: Vec<RelatedDiagnostic<'a>>,
}

impl<'a> FindingDiagnostic<'a> {
    fn new(
        finding: &'a Finding,
        files: &'a [CheckedFile],
        shown: &'a [OnceLock<Shown<'a>>],
    ) -> Self {
        let shown_file = |index: usize| shown[index].get_or_init(|| Shown::of(&files[index]));
        let own = shown_file(finding.file);
        let span = own.span(finding.span);
        let mut labels: Vec<(Span, Cow<'a, str>)> = finding
            .labels
            .iter()
            .map(|label| (own.span(label.at.span), visible(&label.message)))
            .collect();
        let mut columns: Vec<(usize, u32)> = std::iter::once((span.start, finding.start.column))
            .chain(
                finding
                    .labels
                    .iter()
                    .zip(&labels)
                    .map(|(label, (shown, _))| (shown.start, label.at.start.column)),
            )
            .collect();
        // Labels drawn together share one snippet, as wide as the lines between them: across a
        // long line (a minified plan) that is the whole line for every finding, and past 65,535
        // columns miette cannot draw it at all (it panicked). There each label is a snippet of
        // its own, cut to its place like any other.
        let mut own_snippets = Vec::new();
        if !labels.is_empty() {
            let lines = labels
                .iter()
                .flat_map(|(label, _)| [label.start, label.end])
                .chain([span.start, span.end])
                .map(|offset| own.line_of(offset));
            let (first, last) = lines.fold((usize::MAX, 0), |(first, last), line| {
                (first.min(line), last.max(line))
            });
            if own.has_long_line(first, last) {
                let label_columns = columns.split_off(1);
                for ((span, message), (_, column)) in labels.drain(..).zip(label_columns) {
                    own_snippets.push(RelatedDiagnostic {
                        message,
                        span,
                        source: Source {
                            name: visible(&files[finding.file].path),
                            shown: own,
                            columns: vec![(span.start, column)],
                        },
                    });
                }
            }
        }
        let related = own_snippets
            .into_iter()
            .chain(finding.related.iter().map(|related| {
                let other = shown_file(related.file);
                let span = other.span(related.at.span);
                RelatedDiagnostic {
                    message: visible(&related.message),
                    span,
                    source: Source {
                        name: visible(&files[related.file].path),
                        shown: other,
                        columns: vec![(span.start, related.at.start.column)],
                    },
                }
            }));
        let related = related.collect();
        FindingDiagnostic {
            finding,
            message: visible(&finding.message),
            help: help_with_fix(finding),
            span,
            labels,
            source: Source {
                name: visible(&files[finding.file].path),
                shown: own,
                columns,
            },
            related,
        }
    }
}

/// The finding's help, and its fix with the option that applies it.
fn help_with_fix(finding: &Finding) -> Option<Cow<'_, str>> {
    let help = finding.help.as_deref().map(visible);
    let Some(fix) = fix_hint(finding) else {
        return help;
    };
    Some(match help {
        Some(help) => format!("{help}\n{fix}").into(),
        None => fix.into(),
    })
}

/// `--fix would add `consulted = []``: what a finding's fix does and which option applies it
/// (made visible), for every text output.
pub fn fix_hint(finding: &Finding) -> Option<String> {
    let fix = finding.fix.as_deref()?;
    let option = match fix.applicability {
        plan_model::Applicability::Safe => "--fix",
        plan_model::Applicability::Unsafe => "--unsafe-fixes",
    };
    Some(format!("{option} would {}", visible(&fix.message)))
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
        f.write_str(&self.message)
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

    /// The rule's page on the documentation site, after the code in the header (a project's
    /// own rule has none: `plan-lint explain` shows its page).
    fn url<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.finding
            .rule
            .help_uri()
            .map(|uri| Box::new(uri) as Box<dyn fmt::Display>)
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.finding.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Note => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help
            .as_ref()
            .map(|help| Box::new(help) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let primary = LabeledSpan::new_primary_with_span(None, source_span(self.span));
        let secondary = self.labels.iter().map(|(span, message)| {
            LabeledSpan::new_with_span(Some(message.to_string()), source_span(*span))
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
    message: Cow<'a, str>,
    span: Span,
    source: Source<'a>,
}

impl fmt::Debug for Source<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

impl fmt::Display for RelatedDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
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
