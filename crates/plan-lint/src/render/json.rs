//! `--format json`: the report as one JSON document (see CLI.md).

use crate::report::Report;
use plan_rules::Finding;
use serde::ser::SerializeSeq;
use serde::{Serialize, Serializer};
use std::io::Write as _;

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    tool: Tool,
    files_checked: usize,
    /// Serialised one finding at a time, so a large report is never held twice.
    diagnostics: Diagnostics<'a>,
    /// Paths that could not be linted (not in CLI.md's example; an addition, so that a
    /// machine reading the report sees why the run exited 2).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    errors: Vec<PathError>,
    summary: Summary,
}

/// The findings, each written as a [`Diagnostic`] as the serialiser reaches it.
struct Diagnostics<'a>(&'a Report<'a>);

impl Serialize for Diagnostics<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let report = self.0;
        let mut seq = serializer.serialize_seq(Some(report.findings.len()))?;
        for finding in report.findings {
            seq.serialize_element(&diagnostic(report, finding))?;
        }
        seq.end()
    }
}

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

pub fn write(report: &Report<'_>, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let counts = report.counts();
    let document = JsonReport {
        version: 1,
        tool: Tool {
            name: "plan-lint",
            version: env!("CARGO_PKG_VERSION"),
        },
        files_checked: report.files.len(),
        diagnostics: Diagnostics(report),
        errors: report
            .errors
            .iter()
            .map(|e| PathError {
                file: e.path().to_owned(),
                message: e.describe(),
            })
            .collect(),
        summary: Summary {
            error: counts.error,
            warning: counts.warning,
            note: counts.note,
            suppressed: report.suppressed.len(),
        },
    };
    // serde_json makes a write call for every token; a buffer of a concrete type here lets
    // those calls inline instead of each going through `dyn Write`.
    let mut buffered = std::io::BufWriter::with_capacity(1 << 16, &mut *out);
    serde_json::to_writer_pretty(&mut buffered, &document)?;
    buffered.flush()?;
    drop(buffered);
    out.write_all(b"\n")
}
