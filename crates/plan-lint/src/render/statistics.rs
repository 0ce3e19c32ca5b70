//! `--statistics`: how many findings each rule gave, most first, in place of the findings (as
//! ruff prints them).

use plan_engine::report::Report;
use std::fmt::Write;

/// `  3  PL002  raid-mitigation`, one line per rule with findings, then the summary line.
pub fn text(report: &Report<'_>) -> String {
    let counts = report.statistics();
    let width = counts
        .iter()
        .map(|(_, count)| count.to_string().len())
        .max()
        .unwrap_or(1);
    let mut out = String::new();
    for (rule, count) in &counts {
        let _ = writeln!(out, "{count:>width$}  {}  {}", rule.code, rule.name);
    }
    if !report.quiet {
        if !counts.is_empty() {
            out.push('\n');
        }
        let _ = writeln!(
            out,
            "{}",
            plan_engine::text::visible(&report.summary_line())
        );
    }
    out
}

/// `[{"code": "PL002", "name": "raid-mitigation", "count": 3}, …]`.
pub fn json(report: &Report<'_>) -> String {
    let counts: Vec<serde_json::Value> = report
        .statistics()
        .into_iter()
        .map(|(rule, count)| serde_json::json!({"code": rule.code, "name": rule.name, "count": count}))
        .collect();
    let mut out = serde_json::to_string_pretty(&counts).unwrap_or_default();
    out.push('\n');
    out
}
