//! `--format concise`: one line per finding, `path:line:col: severity[code/name] message`.

use crate::report::Report;
use std::fmt::Write;

pub fn render(report: &Report<'_>) -> String {
    let mut out = String::new();
    for finding in report.findings {
        let _ = writeln!(
            out,
            "{}:{}:{}: {}[{}/{}] {}",
            report.files[finding.file].path,
            finding.start.line,
            finding.start.column,
            finding.severity,
            finding.rule.code,
            finding.rule.name,
            finding.message
        );
    }
    for error in report.errors {
        let _ = writeln!(out, "{}: error {}", error.path(), error.describe());
    }
    out
}
