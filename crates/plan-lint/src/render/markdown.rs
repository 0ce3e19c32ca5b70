//! `--format markdown` and `--markdown FILE`: a portfolio summary for a pull request comment or
//! a GitHub job summary. One row per plan (id, health, next review, errors, warnings), then
//! the findings grouped by plan.
//!
//! Everything a user wrote (ids, paths, names and values inside messages) is escaped so that it
//! reads as text where it stands: a pull request must not be able to put HTML, a link or a
//! heading into a job summary that reviewers trust.

use plan_engine::load::CheckedFile;
use plan_engine::markdown::{LONG_NAME, LONG_TEXT, Place, code, text};
use plan_engine::report::Report;
use plan_model::Rag;
use plan_rules::{Finding, Severity};
use std::fmt::Write;

pub fn render(report: &Report<'_>) -> String {
    let mut out = String::new();
    // Counts and fixed words only: nothing of the user's.
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
                plan_name(checked, "**", Place::TableCell),
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
        let _ = writeln!(out, "\n### {}\n", plan_name(checked, "", Place::Text));
        for finding in findings {
            bullet(&mut out, finding, "");
        }
    }
    if report.show_baseline && !report.known().is_empty() {
        out.push_str("\n### Known findings, in the baseline\n\n");
        for finding in report.known() {
            let file = code(&report.files[finding.file].path, Place::Text);
            bullet(&mut out, finding, &format!("{file}: "));
        }
    }
    if let Some(baseline) = report.baseline.filter(|baseline| baseline.stale > 0) {
        let _ = writeln!(
            out,
            "\n{} of {} no longer match any finding; `plan-lint --prune-baseline` drops them.",
            plan_engine::report::plural(baseline.stale, "entry"),
            code(&baseline.display, Place::Text)
        );
    }
    if !report.skipped.is_empty() {
        out.push_str("\n### Plans not linted\n\n");
        for skipped in report.skipped {
            let _ = writeln!(
                out,
                "- {}: {}",
                code(&skipped.display, Place::Text),
                text(&skipped.reason, LONG_TEXT)
            );
        }
    }
    if !report.errors.is_empty() {
        out.push_str("\n### Paths that could not be linted\n\n");
        for error in report.errors {
            let _ = writeln!(out, "- {}", text(&error.describe(), LONG_TEXT));
        }
    }
    out
}

/// One finding as a list item, after `prefix` (Markdown already).
fn bullet(out: &mut String, finding: &Finding, prefix: &str) {
    // A built-in rule's name links to its page on the documentation site (plan-lint's own
    // address: nothing of the user's is in it); a custom rule's name is plain.
    let rule = match finding.rule.help_uri() {
        Some(uri) => format!("[{}]({uri})", finding.rule.name),
        None => text(finding.rule.name, LONG_NAME),
    };
    let _ = write!(
        out,
        "- {prefix}**{}** `{}` {rule}: {} (line {}",
        finding.severity,
        finding.rule.code,
        text(&finding.message, LONG_TEXT),
        finding.start.line,
    );
    if !finding.path.is_empty() {
        let _ = write!(out, ", {}", code(&finding.path, Place::Text));
    }
    out.push(')');
    if let Some(help) = &finding.help {
        let _ = write!(out, "<br>help: {}", text(help, LONG_TEXT));
    }
    if let Some(fix) = super::human::fix_hint(finding) {
        let _ = write!(out, "<br>{}", text(&fix, LONG_TEXT));
    }
    out.push('\n');
}

/// A plan as Markdown: its id (wrapped in `emphasis`), and its file.
fn plan_name(file: &CheckedFile, emphasis: &str, place: Place) -> String {
    match &file.plan_id {
        Some(id) => format!(
            "{emphasis}{}{emphasis} ({})",
            text(id, LONG_NAME),
            code(&file.path, place)
        ),
        None => code(&file.path, place),
    }
}

fn health(rag: Option<Rag>) -> &'static str {
    match rag {
        Some(Rag::Green) => "🟢 green",
        Some(Rag::Amber) => "🟠 amber",
        Some(Rag::Red) => "🔴 red",
        None => "—",
    }
}
