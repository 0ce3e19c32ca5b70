//! `--format json`: the report as one JSON document (see CLI.md).
//!
//! The document is what `serde_json::to_writer_pretty` would write for it, byte for byte, but
//! the findings — nearly all of a large report — are serialised in parallel, a window of
//! them at a time, each part started at the depth it has in the document.

use crate::report::Report;
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
struct Diagnostic<'a> {
    file: &'a str,
    rule: &'static str,
    code: &'static str,
    severity: &'static str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
    path: &'a str,
    line: u32,
    column: u32,
    /// With `end_column`, the position just after the last character (as in SARIF).
    end_line: u32,
    end_column: u32,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related: Vec<Location<'a>>,
}

#[derive(Serialize)]
struct Location<'a> {
    file: &'a str,
    message: &'a str,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
}

#[derive(Serialize)]
struct PathError {
    file: String,
    message: String,
}

#[derive(Serialize)]
struct Summary {
    error: usize,
    warning: usize,
    note: usize,
    /// Findings silenced by suppressions (not listed).
    suppressed: usize,
}

fn diagnostic<'a>(report: &'a Report<'_>, finding: &'a Finding) -> Diagnostic<'a> {
    let related = finding
        .related
        .iter()
        .map(|related| Location {
            file: &report.files[related.file].path,
            message: &related.message,
            line: related.at.start.line,
            column: related.at.start.column,
            end_line: related.at.end.line,
            end_column: related.at.end.column,
        })
        .collect();
    Diagnostic {
        file: &report.files[finding.file].path,
        rule: finding.rule.name,
        code: finding.rule.code,
        severity: finding.severity.as_str(),
        message: &finding.message,
        help: finding.help.as_deref(),
        path: &finding.path,
        line: finding.start.line,
        column: finding.start.column,
        end_line: finding.end.line,
        end_column: finding.end.column,
        related,
    }
}

/// Findings serialised by one task; a window holds a few such parts per thread, so that a
/// report of 60,000 findings is never held in memory as text.
const PART: usize = 256;
const WINDOW: usize = 4 * PART;

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
    out.write_all(b",\n  \"diagnostics\": [")?;
    for (window_index, window) in report.findings.chunks(WINDOW).enumerate() {
        let parts: Vec<io::Result<Vec<u8>>> = window
            .par_chunks(PART)
            .enumerate()
            .map(|(part_index, part)| {
                let mut text = Vec::with_capacity(part.len() * 2048);
                for (index, finding) in part.iter().enumerate() {
                    let first = window_index == 0 && part_index == 0 && index == 0;
                    text.extend_from_slice(if first { b"\n    " } else { b",\n    " });
                    diagnostic(report, finding).serialize(&mut serializer(&mut text, 2))?;
                }
                Ok(text)
            })
            .collect();
        for part in parts {
            out.write_all(&part?)?;
        }
    }
    if !report.findings.is_empty() {
        out.write_all(b"\n  ")?;
    }
    out.write_all(b"]")?;
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
    let summary = Summary {
        error: counts.error,
        warning: counts.warning,
        note: counts.note,
        suppressed: report.suppressed.len(),
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

fn serializer<W: Write>(out: W, depth: usize) -> serde_json::Serializer<W, Pretty> {
    serde_json::Serializer::with_formatter(
        out,
        Pretty {
            depth,
            has_value: false,
        },
    )
}

/// serde_json's `PrettyFormatter` (two spaces), started `depth` levels into the document.
struct Pretty {
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
}

#[cfg(test)]
mod tests {
    use super::*;

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
        ];
        let today = jiff::civil::date(2026, 6, 1);
        let written = crate::in_memory::lint_in_memory(&plans, today).json;
        let document: serde_json::Value = serde_json::from_str(&written).unwrap();
        let diagnostics = document["diagnostics"].as_array().unwrap().len();
        assert!(diagnostics > WINDOW + PART, "{diagnostics} findings");
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
