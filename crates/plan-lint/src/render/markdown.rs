//! `--format markdown` and `--markdown FILE`: a portfolio summary for a pull request comment or
//! a GitHub job summary. One row per plan (id, health, next review, errors, warnings), then
//! the findings grouped by plan.

use crate::report::Report;
use plan_model::{Plan, Rag};
use plan_rules::{Finding, Severity};
use std::fmt::Write;

pub fn render(report: &Report<'_>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## plan-lint: {}\n", report.summary_line());
    let mut by_file: Vec<Vec<&Finding>> = vec![Vec::new(); report.files.len()];
    for finding in report.findings {
        by_file[finding.file].push(finding);
    }
    if !report.files.is_empty() {
        out.push_str("| plan | health | next review | errors | warnings |\n");
        out.push_str("|---|---|---|---:|---:|\n");
        for (file, (parsed, findings)) in report.files.iter().zip(&by_file).enumerate() {
            if !report.is_reported(file) {
                continue;
            }
            let plan = parsed.plan.as_ref();
            let count =
                |severity: Severity| findings.iter().filter(|f| f.severity == severity).count();
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                plan_cell(plan, &parsed.source.path),
                health(plan),
                next_review(plan),
                count(Severity::Error),
                count(Severity::Warning),
            );
        }
    }
    for (parsed, findings) in report.files.iter().zip(&by_file) {
        if findings.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "\n### {}\n",
            plan_heading(parsed.plan.as_ref(), &parsed.source.path)
        );
        for finding in findings {
            let at = parsed.source.line_col(finding.span.start);
            let _ = write!(
                out,
                "- **{}** `{}` {}: {} (line {}",
                finding.severity,
                finding.rule.code,
                finding.rule.name,
                inline(&finding.message),
                at.line,
            );
            if !finding.path.is_empty() {
                let _ = write!(out, ", `{}`", finding.path);
            }
            out.push(')');
            if let Some(help) = &finding.help {
                let _ = write!(out, "<br>help: {}", inline(help));
            }
            out.push('\n');
        }
    }
    if !report.errors.is_empty() {
        out.push_str("\n### Paths that could not be linted\n\n");
        for error in report.errors {
            let _ = writeln!(out, "- {}", inline(&error.describe()));
        }
    }
    out
}

/// A plan as a table cell: its id, and its file.
fn plan_cell(plan: Option<&Plan>, path: &str) -> String {
    match plan.and_then(Plan::id) {
        Some(id) => format!("**{}** (`{}`)", inline(id), path.replace('`', "'")),
        None => format!("`{}`", path.replace('`', "'")),
    }
}

fn plan_heading(plan: Option<&Plan>, path: &str) -> String {
    match plan.and_then(Plan::id) {
        Some(id) => format!("{} (`{}`)", inline(id), path.replace('`', "'")),
        None => format!("`{}`", path.replace('`', "'")),
    }
}

fn health(plan: Option<&Plan>) -> &'static str {
    match plan.and_then(|p| p.health.get()).and_then(|h| h.rag.get()) {
        Some(Rag::Green) => "🟢 green",
        Some(Rag::Amber) => "🟠 amber",
        Some(Rag::Red) => "🔴 red",
        None => "—",
    }
}

fn next_review(plan: Option<&Plan>) -> String {
    plan.and_then(|p| p.review.get())
        .and_then(|review| review.next.get())
        .map_or_else(|| "—".to_owned(), ToString::to_string)
}

/// Text safe inside a table cell or list item: no line breaks, no table pipes, no HTML.
fn inline(text: &str) -> String {
    text.replace('\r', "")
        .replace('\n', " ")
        .replace('|', "\\|")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
