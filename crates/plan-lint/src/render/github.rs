//! `--format github`: one workflow command per finding, which GitHub Actions turns into an
//! annotation on the pull request's diff:
//! `::error file=PATH,line=L,col=C,endLine=L2,endColumn=C2,title=PL002 raid-mitigation::MESSAGE`.
//!
//! GitHub shows only the first few annotations of each level per step, so the most severe
//! come first.

use plan_engine::report::Report;
use plan_engine::text::visible;
use plan_rules::{Finding, Severity};
use std::fmt::Write;

pub fn render(report: &Report<'_>) -> String {
    let mut findings: Vec<&Finding> = report.findings.iter().collect();
    // Stable: within a severity, the report's deterministic order is kept.
    findings.sort_by_key(|finding| std::cmp::Reverse(finding.severity));
    let mut out = String::new();
    for finding in findings {
        let command = match finding.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "notice",
        };
        annotate(&mut out, report, finding, command, "");
    }
    if report.show_baseline {
        for finding in report.known() {
            annotate(
                &mut out,
                report,
                finding,
                "notice",
                " (known: in the baseline)",
            );
        }
    }
    if let Some(baseline) = report.baseline.filter(|baseline| baseline.stale > 0) {
        let _ = writeln!(
            out,
            "::notice file={},title=plan-lint::{}",
            property(&baseline.display),
            data(&format!(
                "{} of the baseline no longer match any finding; `plan-lint --prune-baseline` drops them",
                plan_engine::report::plural(baseline.stale, "entry")
            ))
        );
    }
    for skipped in report.skipped {
        let _ = writeln!(
            out,
            "::notice file={},title=plan-lint::{}",
            property(&visible(&skipped.display)),
            data(&visible(&format!("not linted: {}", skipped.reason)))
        );
    }
    for error in report.errors {
        let _ = writeln!(
            out,
            "::error file={},title=plan-lint::{}",
            property(&visible(error.path())),
            data(&visible(&error.describe()))
        );
    }
    out
}

fn annotate(out: &mut String, report: &Report<'_>, finding: &Finding, command: &str, aside: &str) {
    let (start, end) = (finding.start, finding.end);
    let title = format!("{} {}{aside}", finding.rule.code, finding.rule.name);
    // Control characters are made visible first: GitHub's log would act on them.
    let mut message = visible(&finding.message).into_owned();
    if let Some(help) = &finding.help {
        let _ = write!(message, "\nhelp: {}", visible(help));
    }
    if let Some(fix) = super::human::fix_hint(finding) {
        let _ = write!(message, "\n{fix}");
    }
    let _ = writeln!(
        out,
        "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
        property(&visible(&report.files[finding.file].path)),
        start.line,
        start.column,
        end.line,
        end.column,
        property(&title),
        data(&message),
    );
}

/// A command's message, escaped as GitHub's runner unescapes it.
fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A command's property value: like a message, and `:` and `,` too, which separate properties.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_the_runner() {
        assert_eq!(
            data("100% done\r\nnext: a, b"),
            "100%25 done%0D%0Anext: a, b"
        );
        assert_eq!(
            property("plans/a,b: c%.plan.toml"),
            "plans/a%2Cb%3A c%25.plan.toml"
        );
    }
}
