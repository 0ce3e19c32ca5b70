//! `--format json`: the report as one JSON document (see CLI.md).
//!
//! The document is what `serde_json::to_writer_pretty` would write for it, byte for byte (a
//! unit test compares the two). The findings, nearly all of a large report, are written
//! directly in that layout, in parallel parts, a window of them at a time; the few other
//! values go through serde with a pretty formatter started at their depth in the document.

use plan_engine::report::Report;
use plan_model::LineCol;
use plan_rules::Finding;
use rayon::prelude::*;
use serde::Serialize;
use serde_json::ser::Formatter;
use std::io::{self, Write};

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct PathError {
    file: String,
    message: String,
}

#[derive(Serialize)]
struct SkippedPlan<'a> {
    file: &'a str,
    reason: &'a str,
}

#[derive(Serialize)]
struct Summary {
    error: usize,
    warning: usize,
    note: usize,
    /// Findings silenced by suppressions (not listed).
    suppressed: usize,
    /// Findings the baseline knows (listed as `known` with `--show-baseline`).
    #[serde(skip_serializing_if = "Option::is_none")]
    known: Option<usize>,
}

#[derive(Serialize)]
struct BaselineState<'a> {
    file: &'a str,
    known: usize,
    /// Entries that match no finding any more.
    stale: usize,
}

/// One finding, as the object `serde_json::to_writer_pretty` writes at its depth in the
/// document (two levels in), written directly: this shape is nearly all of a large report,
/// and serde's generic serialiser spent most of its time on the structure, not the text.
/// Strings still go through serde_json, for its escaping.
fn write_diagnostic(out: &mut Vec<u8>, report: &Report<'_>, finding: &Finding) -> io::Result<()> {
    const FIELD: &[u8] = b"\n      \"";
    out.extend_from_slice(b"{");
    string_field(out, FIELD, "file", &report.files[finding.file].path, true)?;
    string_field(out, FIELD, "rule", finding.rule.name, false)?;
    string_field(out, FIELD, "code", finding.rule.code, false)?;
    string_field(out, FIELD, "severity", finding.severity.as_str(), false)?;
    string_field(out, FIELD, "message", &finding.message, false)?;
    if let Some(help) = &finding.help {
        string_field(out, FIELD, "help", help, false)?;
    }
    string_field(out, FIELD, "path", &finding.path, false)?;
    // With `end_column`, the position just after the last character (as in SARIF).
    position_fields(out, FIELD, finding.start, finding.end);
    if !finding.related.is_empty() {
        out.extend_from_slice(b",\n      \"related\": [");
        const RELATED: &[u8] = b"\n          \"";
        for (index, related) in finding.related.iter().enumerate() {
            out.extend_from_slice(if index == 0 {
                b"\n        {"
            } else {
                b",\n        {"
            });
            let file = &report.files[related.file].path;
            string_field(out, RELATED, "file", file, true)?;
            string_field(out, RELATED, "message", &related.message, false)?;
            position_fields(out, RELATED, related.at.start, related.at.end);
            out.extend_from_slice(b"\n        }");
        }
        out.extend_from_slice(b"\n      ]");
    }
    if let Some(fix) = &finding.fix {
        // The edits replace their spans of the file as it was read (an insertion is an empty
        // span); applied together, they resolve the finding.
        const FIX: &[u8] = b"\n        \"";
        const EDIT: &[u8] = b"\n            \"";
        out.extend_from_slice(b",\n      \"fix\": {");
        string_field(out, FIX, "applicability", fix.applicability.as_str(), true)?;
        string_field(out, FIX, "message", &fix.message, false)?;
        out.extend_from_slice(b",\n        \"edits\": [");
        for (index, edit) in fix.edits.iter().enumerate() {
            out.extend_from_slice(if index == 0 {
                b"\n          {"
            } else {
                b",\n          {"
            });
            string_field(out, EDIT, "content", &edit.content, true)?;
            position_fields(out, EDIT, edit.start, edit.end);
            out.extend_from_slice(b"\n          }");
        }
        if !fix.edits.is_empty() {
            out.extend_from_slice(b"\n        ");
        }
        out.extend_from_slice(b"]\n      }");
    }
    out.extend_from_slice(b"\n    }");
    Ok(())
}

/// `"key": "value"`, after a comma unless it is the object's first key; `indent` is the new
/// line and indentation before the key, with its opening quote.
fn string_field(
    out: &mut Vec<u8>,
    indent: &[u8],
    key: &str,
    value: &str,
    first: bool,
) -> io::Result<()> {
    if !first {
        out.push(b',');
    }
    out.extend_from_slice(indent);
    out.extend_from_slice(key.as_bytes());
    out.extend_from_slice(b"\": ");
    // Most strings need no escape at all; the others are escaped by serde_json, with the
    // characters a terminal acts on as `\u` escapes too.
    if !needs_escape(value) {
        out.push(b'"');
        out.extend_from_slice(value.as_bytes());
        out.push(b'"');
    } else {
        value.serialize(&mut serializer(&mut *out, 0))?;
    }
    Ok(())
}

/// Whether a string may have a character the report escapes: JSON's own, and the first byte of
/// DEL, a C1 control or a bidirectional control (0x7F; 0xC2, 0xD8 and 0xE2 start them, and a
/// few harmless characters, which take the slower path). Every byte is looked at, without
/// stopping at the first match, so that the compiler checks many bytes at once: this runs for
/// every string of every finding.
fn needs_escape(value: &str) -> bool {
    value.bytes().fold(false, |any, b| {
        any | (b < 0x20)
            | (b == b'"')
            | (b == b'\\')
            | (b == 0x7F)
            | (b == 0xC2)
            | (b == 0xD8)
            | (b == 0xE2)
    })
}

fn position_fields(out: &mut Vec<u8>, indent: &[u8], start: LineCol, end: LineCol) {
    let numbers = [
        ("line", start.line),
        ("column", start.column),
        ("end_line", end.line),
        ("end_column", end.column),
    ];
    // itoa, not `write!`: the formatting machinery was a twentieth of a run's instructions.
    let mut digits = itoa::Buffer::new();
    for (key, number) in numbers {
        out.push(b',');
        out.extend_from_slice(indent);
        out.extend_from_slice(key.as_bytes());
        out.extend_from_slice(b"\": ");
        out.extend_from_slice(digits.format(number).as_bytes());
    }
}

/// Findings serialised by one task; a window holds a few such parts per thread, so that a
/// report of 60,000 findings is never held in memory as text.
const PART: usize = 256;
const WINDOW: usize = 4 * PART;

/// A top-level array of findings, in serde_json's pretty layout, written in parallel parts.
fn write_findings(
    out: &mut impl Write,
    report: &Report<'_>,
    key: &str,
    findings: &[Finding],
) -> io::Result<()> {
    write!(out, ",\n  \"{key}\": [")?;
    for (window_index, window) in findings.chunks(WINDOW).enumerate() {
        let parts: Vec<io::Result<Vec<u8>>> = window
            .par_chunks(PART)
            .enumerate()
            .map(|(part_index, part)| {
                let mut text = Vec::with_capacity(part.len() * 2048);
                for (index, finding) in part.iter().enumerate() {
                    let first = window_index == 0 && part_index == 0 && index == 0;
                    text.extend_from_slice(if first { b"\n    " } else { b",\n    " });
                    write_diagnostic(&mut text, report, finding)?;
                }
                Ok(text)
            })
            .collect();
        for part in parts {
            out.write_all(&part?)?;
        }
    }
    if !findings.is_empty() {
        out.write_all(b"\n  ")?;
    }
    out.write_all(b"]")
}

pub fn write(report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    // serde_json makes a write call for every token; a buffer of a concrete type here lets
    // those calls inline instead of each going through `dyn Write`.
    let mut out = io::BufWriter::with_capacity(1 << 16, out);
    let counts = report.counts();
    out.write_all(b"{")?;
    field(&mut out, "version", &1, true)?;
    let tool = Tool {
        name: "plan-lint",
        version: env!("CARGO_PKG_VERSION"),
    };
    field(&mut out, "tool", &tool, false)?;
    field(&mut out, "files_checked", &report.files.len(), false)?;
    write_findings(&mut out, report, "diagnostics", report.findings)?;
    if report.show_baseline {
        write_findings(&mut out, report, "known", report.known())?;
    }
    // Paths that could not be linted (not in CLI.md's example; an addition, so that a
    // machine reading the report sees why the run exited 2).
    if !report.errors.is_empty() {
        let errors: Vec<PathError> = report
            .errors
            .iter()
            .map(|e| PathError {
                file: e.path().to_owned(),
                message: e.describe(),
            })
            .collect();
        field(&mut out, "errors", &errors, false)?;
    }
    // Plans left out that a user would expect linted (an addition, like `errors`).
    if !report.skipped.is_empty() {
        let skipped: Vec<SkippedPlan> = report
            .skipped
            .iter()
            .map(|s| SkippedPlan {
                file: &s.display,
                reason: &s.reason,
            })
            .collect();
        field(&mut out, "skipped", &skipped, false)?;
    }
    // The baseline in use (an addition, like `errors`): its known and stale counts.
    if let Some(baseline) = report.baseline {
        let state = BaselineState {
            file: &baseline.display,
            known: baseline.known.len(),
            stale: baseline.stale,
        };
        field(&mut out, "baseline", &state, false)?;
    }
    let summary = Summary {
        error: counts.error,
        warning: counts.warning,
        note: counts.note,
        suppressed: report.suppressed.len(),
        known: report.baseline.map(|baseline| baseline.known.len()),
    };
    field(&mut out, "summary", &summary, false)?;
    out.write_all(b"\n}\n")?;
    out.flush()
}

/// One key of the top-level object and its value.
fn field(out: &mut impl Write, key: &str, value: &impl Serialize, first: bool) -> io::Result<()> {
    out.write_all(if first { b"\n  \"" } else { b",\n  \"" })?;
    out.write_all(key.as_bytes())?;
    out.write_all(b"\": ")?;
    value.serialize(&mut serializer(out, 1))?;
    Ok(())
}

/// A serializer writing serde_json's pretty layout, `depth` levels into the document, with
/// DEL, C1 and bidirectional controls escaped as `\u` sequences (valid JSON either way, and
/// then never raw in a terminal or log that shows the report). SARIF uses it too.
pub fn serializer<W: Write>(out: W, depth: usize) -> serde_json::Serializer<W, Pretty> {
    serde_json::Serializer::with_formatter(
        out,
        Pretty {
            depth,
            has_value: false,
        },
    )
}

/// serde_json's `PrettyFormatter` (two spaces), started `depth` levels into the document.
pub struct Pretty {
    depth: usize,
    has_value: bool,
}

impl Pretty {
    fn open<W: ?Sized + Write>(&mut self, out: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        out.write_all(bracket)
    }

    fn close<W: ?Sized + Write>(&mut self, out: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            out.write_all(b"\n")?;
            self.indent(out)?;
        }
        out.write_all(bracket)
    }

    fn next<W: ?Sized + Write>(&mut self, out: &mut W, first: bool) -> io::Result<()> {
        out.write_all(if first { b"\n" } else { b",\n" })?;
        self.indent(out)
    }

    fn indent<W: ?Sized + Write>(&self, out: &mut W) -> io::Result<()> {
        for _ in 0..self.depth {
            out.write_all(b"  ")?;
        }
        Ok(())
    }
}

impl Formatter for Pretty {
    fn begin_array<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.open(out, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.close(out, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, out: &mut W, first: bool) -> io::Result<()> {
        self.next(out, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _out: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.open(out, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.close(out, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, out: &mut W, first: bool) -> io::Result<()> {
        self.next(out, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        out.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _out: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        out: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut copied = 0;
        for (at, c) in fragment.char_indices() {
            if plan_engine::text::is_unsafe(c) {
                out.write_all(&fragment.as_bytes()[copied..at])?;
                write!(out, "\\u{:04x}", u32::from(c))?;
                copied = at + c.len_utf8();
            }
        }
        out.write_all(&fragment.as_bytes()[copied..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every character serde_json escapes is seen wherever it is in a string, short or long.
    #[test]
    fn needs_escape_agrees_with_serde_json() {
        for length in [0, 1, 7, 31, 32, 33, 100] {
            for at in 0..length {
                for c in [
                    '"', '\\', '\n', '\u{1}', '\u{1f}', ' ', 'é', '\u{7f}', '\u{85}', '\u{9f}',
                    '\u{202e}', '\u{2069}', '\u{200f}', '\u{61c}', '—',
                ] {
                    let mut text: String = "a".repeat(length);
                    text.replace_range(at..at + 1, c.encode_utf8(&mut [0; 4]));
                    let mut escaped = Vec::new();
                    text.serialize(&mut serializer(&mut escaped, 0)).unwrap();
                    let escaped = String::from_utf8(escaped).unwrap();
                    if escaped != format!("\"{text}\"") {
                        assert!(needs_escape(&text), "{text:?}");
                    }
                    assert_eq!(
                        serde_json::from_str::<String>(&escaped).unwrap(),
                        text,
                        "{text:?}"
                    );
                }
            }
        }
    }

    /// The report written in parts, in parallel, is byte for byte what serde_json's pretty
    /// printer writes for the same document: over several windows, with escapes, and empty.
    #[test]
    fn parts_join_into_what_the_pretty_printer_writes() {
        let fixture = include_str!("../../../../fixtures/raid-mitigation/fail.plan.toml");
        let mut plan = fixture.to_owned();
        for index in 0..WINDOW + PART + 7 {
            plan.push_str(&format!(
                "\n[[raid]]\nid = \"R-x{index}\"\ntype = \"risk\"\ntitle = \"Quote \\\" and tab \\t\"\nstatus = \"open\"\nseverity = \"high\"\n"
            ));
        }
        let plans = [
            ("a \"quoted\" name.plan.toml".to_owned(), plan.into_bytes()),
            ("clean.plan.json".to_owned(), b"{}".to_vec()),
            // Findings with related places in other files.
            (
                "across/a.plan.toml".to_owned(),
                include_bytes!(
                    "../../../../fixtures/over-allocation/fail-across-plans/a.plan.toml"
                )
                .to_vec(),
            ),
            // Findings with fixes.
            (
                "fixable.plan.toml".to_owned(),
                include_bytes!("../../../../fixtures/mechanism-raci/fail.plan.toml").to_vec(),
            ),
            (
                "across/b.plan.json".to_owned(),
                include_bytes!(
                    "../../../../fixtures/over-allocation/fail-across-plans/b.plan.json"
                )
                .to_vec(),
            ),
        ];
        let today = jiff::civil::date(2026, 6, 1);
        let written = crate::in_memory::lint_in_memory(&plans, today).json;
        let document: serde_json::Value = serde_json::from_str(&written).unwrap();
        let diagnostics = document["diagnostics"].as_array().unwrap().len();
        assert!(diagnostics > WINDOW + PART, "{diagnostics} findings");
        assert!(
            written.contains("\"related\": ["),
            "some findings have related places"
        );
        assert!(written.contains("\"fix\": {"), "some findings have fixes");
        let pretty = serde_json::to_string_pretty(&document).unwrap() + "\n";
        assert_eq!(written, pretty);

        let nothing = crate::in_memory::lint_in_memory(&[], today).json;
        let document: serde_json::Value = serde_json::from_str(&nothing).unwrap();
        assert_eq!(document["diagnostics"], serde_json::json!([]));
        assert_eq!(
            nothing,
            serde_json::to_string_pretty(&document).unwrap() + "\n"
        );
    }
}
