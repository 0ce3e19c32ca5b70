//! `--format concise`: one line per finding, `path:line:col: severity[code/name] message`.
//! Every user-derived text is made visible first, line breaks included, so that one finding
//! is always one line.

use plan_engine::report::Report;
use plan_engine::text::visible;
use plan_rules::Finding;
use std::fmt::Write;

pub fn render(report: &Report<'_>) -> String {
    let mut out = String::new();
    for finding in report.findings {
        line(&mut out, report, finding, "");
    }
    out.push_str(&known(report));
    for skipped in report.skipped.iter().filter(|_| !report.quiet) {
        let _ = writeln!(
            out,
            "{}: note not linted: {}",
            visible(&skipped.display),
            visible(&skipped.reason)
        );
    }
    for error in report.errors {
        let _ = writeln!(
            out,
            "{}: error {}",
            visible(error.path()),
            visible(&error.describe())
        );
    }
    // One closing line, on a clean run too: silence is not a verdict.
    if !report.quiet {
        let _ = writeln!(out, "{}", visible(&report.summary_line()));
    }
    out
}

fn line(out: &mut String, report: &Report<'_>, finding: &Finding, aside: &str) {
    let _ = writeln!(
        out,
        "{}:{}:{}: {}[{}/{}] {}{aside}",
        visible(&report.files[finding.file].path),
        finding.start.line,
        finding.start.column,
        finding.severity,
        finding.rule.code,
        finding.rule.name,
        visible(&finding.message)
    );
}

/// With `--show-baseline`: the findings the baseline knows, one line each, marked as known.
pub fn known(report: &Report<'_>) -> String {
    let mut out = String::new();
    if report.show_baseline {
        for finding in report.known() {
            line(&mut out, report, finding, " (known: in the baseline)");
        }
    }
    out
}
