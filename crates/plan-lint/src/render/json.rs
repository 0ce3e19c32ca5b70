//! `--format json`: the report as one JSON document (see CLI.md).

use crate::report::Report;
use plan_rules::Finding;
use rayon::prelude::*;
use serde::Serialize;
use std::io::Write as _;

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    tool: Tool,
    files_checked: usize,
    /// Always empty here: the findings are written into the frame by [`write`].
    diagnostics: &'a [()],
    /// Paths that could not be linted (not in CLI.md's example; an addition, so that a
    /// machine reading the report sees why the run exited 2).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    errors: Vec<PathError>,
    summary: Summary,
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

/// How many findings are rendered at once, in parallel, before they are written: enough to
/// keep every thread busy, few enough that a large report is never held in memory whole.
const BATCH: usize = 4096;

/// The document is serialised as a frame with an empty `diagnostics` array; the findings are
/// rendered in parallel batches and written into it in order, each indented as serde_json's
/// pretty printer would, so the output is the same as serialising the whole document.
pub fn write(report: &Report<'_>, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let counts = report.counts();
    let frame = JsonReport {
        version: 1,
        tool: Tool {
            name: "plan-lint",
            version: env!("CARGO_PKG_VERSION"),
        },
        files_checked: report.files.len(),
        diagnostics: &[],
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
    let frame = serde_json::to_vec_pretty(&frame)?;
    // A top-level key: JSON strings cannot hold unescaped quotes, so this is found only once.
    const EMPTY: &[u8] = b"\n  \"diagnostics\": []";
    let at = frame
        .windows(EMPTY.len())
        .position(|window| window == EMPTY)
        .map(|at| at + EMPTY.len() - 1)
        .ok_or_else(|| std::io::Error::other("the JSON report frame has no diagnostics"))?;
    let mut buffered = std::io::BufWriter::with_capacity(1 << 16, &mut *out);
    if report.findings.is_empty() {
        buffered.write_all(&frame)?;
    } else {
        buffered.write_all(&frame[..at])?;
        for (batch_index, batch) in report.findings.chunks(BATCH).enumerate() {
            let rendered: Vec<Vec<u8>> = batch
                .par_iter()
                .map(|finding| render_diagnostic(report, finding))
                .collect::<Result<_, _>>()?;
            for (index, diagnostic) in rendered.iter().enumerate() {
                if batch_index > 0 || index > 0 {
                    buffered.write_all(b",")?;
                }
                buffered.write_all(b"\n    ")?;
                buffered.write_all(diagnostic)?;
            }
        }
        buffered.write_all(b"\n  ")?;
        buffered.write_all(&frame[at..])?;
    }
    buffered.write_all(b"\n")?;
    buffered.flush()
}

/// One finding as an element of the `diagnostics` array: pretty-printed, with its inner lines
/// indented to that depth.
fn render_diagnostic(report: &Report<'_>, finding: &Finding) -> serde_json::Result<Vec<u8>> {
    let flat = serde_json::to_vec_pretty(&diagnostic(report, finding))?;
    let mut indented = Vec::with_capacity(flat.len() + flat.len() / 8);
    for &byte in &flat {
        indented.push(byte);
        if byte == b'\n' {
            indented.extend_from_slice(b"    ");
        }
    }
    Ok(indented)
}
