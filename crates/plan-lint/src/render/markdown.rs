//! `--format markdown` and `--markdown FILE`: a portfolio summary for a pull request comment or
//! a GitHub job summary. One row per plan (id, health, next review, errors, warnings), then
//! the findings grouped by plan.

use crate::load::CheckedFile;
use crate::report::Report;
use plan_model::Rag;
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
        for (file, (checked, findings)) in report.files.iter().zip(&by_file).enumerate() {
            if !report.is_reported(file) {
                continue;
            }
            let count =
                |severity: Severity| findings.iter().filter(|f| f.severity == severity).count();
            let next_review = checked
                .next_review
                .map_or_else(|| "—".to_owned(), |date| date.to_string());
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                plan_name(checked, "**"),
                health(checked.rag),
                next_review,
                count(Severity::Error),
                count(Severity::Warning),
            );
        }
    }
    for (checked, findings) in report.files.iter().zip(&by_file) {
        if findings.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n### {}\n", plan_name(checked, ""));
        for finding in findings {
            let _ = write!(
                out,
                "- **{}** `{}` {}: {} (line {}",
                finding.severity,
                finding.rule.code,
                finding.rule.name,
                inline(&finding.message),
                finding.start.line,
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

/// A plan as Markdown: its id (wrapped in `emphasis`), and its file.
fn plan_name(file: &CheckedFile, emphasis: &str) -> String {
    match &file.plan_id {
        Some(id) => format!(
            "{emphasis}{}{emphasis} (`{}`)",
            inline(id),
            code(&file.path)
        ),
        None => format!("`{}`", code(&file.path)),
    }
}

/// Text inside a code span.
fn code(text: &str) -> String {
    inline(&text.replace('`', "'"))
}

fn health(rag: Option<Rag>) -> &'static str {
    match rag {
        Some(Rag::Green) => "🟢 green",
        Some(Rag::Amber) => "🟠 amber",
        Some(Rag::Red) => "🔴 red",
        None => "—",
    }
}

/// Text safe inside a table cell or list item: no line breaks, no table pipes, no HTML.
fn inline(text: &str) -> String {
    text.replace('\r', "")
        .replace('\n', " ")
        .replace('|', "\\|")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
