//! Suppressions: `# plan-lint: allow(…)` comments and `lint.allow` entries silence findings,
//! and are themselves checked (`unjustified-suppression` PL900, `unused-suppression` PL901).

use crate::rules::{unjustified_suppression, unused_suppression};
use crate::{Finding, Label, Policy, Rule, rule_by_name_or_code};
use jiff::civil::Date;
use plan_model::directive::Scope;
use plan_model::{Field, ParsedFile, Span};

/// A finding that a suppression silenced, with the reason given for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Suppressed {
    pub finding: Finding,
    pub reason: Option<String>,
    /// Where the suppression is written.
    pub at: Span,
}

/// One suppression, from a comment or a `lint.allow` entry.
struct Suppression<'a> {
    /// Where it is written: the comment, or the entry.
    span: Span,
    /// The logical path of a `lint.allow` entry; empty for a comment.
    path: String,
    /// Whether it is a comment (for help texts).
    comment: bool,
    target: Target<'a>,
    until: Option<Date>,
    reason: Option<&'a str>,
    rules: Vec<RuleRef<'a>>,
}

enum Target<'a> {
    /// Findings starting on this 1-based line.
    Line(usize),
    /// Findings at this logical path or inside it.
    Path(&'a str),
    File,
}

/// One rule named by a suppression, and what became of it.
struct RuleRef<'a> {
    written: &'a str,
    span: Span,
    rule: Option<&'static Rule>,
    /// It silenced a finding.
    used: bool,
    /// A finding it would have silenced, had it not expired.
    expired_match: bool,
}

impl Target<'_> {
    fn covers(&self, finding: &Finding, file: &ParsedFile) -> bool {
        match self {
            Target::Line(line) => file.source.line(finding.span.start) == *line,
            Target::Path(path) => finding.path.strip_prefix(path).is_some_and(|rest| {
                rest.is_empty() || rest.starts_with('.') || rest.starts_with('[')
            }),
            Target::File => true,
        }
    }
}

/// What the suppression pass leaves: findings still reported, and findings silenced.
pub(crate) struct Sorted {
    pub findings: Vec<Finding>,
    pub suppressed: Vec<Suppressed>,
}

/// Silence the findings that suppressions cover, then report the suppressions that give no
/// reason or silence nothing. Malformed comments and unknown rule names silence nothing.
pub(crate) fn apply(
    files: &[ParsedFile],
    findings: Vec<Finding>,
    today: Date,
    policy: &dyn Policy,
) -> Sorted {
    let mut by_file: Vec<Vec<Suppression<'_>>> = files.iter().map(suppressions).collect();
    let mut sorted = Sorted {
        findings: Vec::with_capacity(findings.len()),
        suppressed: Vec::new(),
    };
    for mut finding in findings {
        let file = &files[finding.file];
        let mut silenced_by = None;
        let mut expired_on = None;
        for suppression in &mut by_file[finding.file] {
            if !suppression.target.covers(&finding, file) {
                continue;
            }
            let expired = suppression.until.filter(|&until| until < today);
            for rule_ref in &mut suppression.rules {
                if rule_ref.rule != Some(finding.rule) {
                    continue;
                }
                match expired {
                    Some(until) => {
                        rule_ref.expired_match = true;
                        expired_on = Some((until, suppression.span));
                    }
                    None => {
                        rule_ref.used = true;
                        silenced_by.get_or_insert((suppression.reason, suppression.span));
                    }
                }
            }
        }
        match (silenced_by, expired_on) {
            (Some((reason, at)), _) => sorted.suppressed.push(Suppressed {
                finding,
                reason: reason.map(str::to_owned),
                at,
            }),
            (None, Some((until, at))) => {
                finding.message =
                    format!("{}; its suppression expired on {until}", finding.message);
                finding.labels.push(Label {
                    span: at,
                    message: format!("expired on {until}"),
                });
                sorted.findings.push(finding);
            }
            (None, None) => sorted.findings.push(finding),
        }
    }
    for (file, suppressions) in by_file.iter().enumerate() {
        for suppression in suppressions {
            report(file, suppression, policy, &mut sorted.findings);
        }
        report_malformed(file, &files[file], policy, &mut sorted.findings);
    }
    sorted
}

/// The suppressions of one file: its comments, then its `lint.allow` entries.
fn suppressions(file: &ParsedFile) -> Vec<Suppression<'_>> {
    let mut found = Vec::new();
    for directive in &file.directives {
        let Ok(allow) = &directive.content else {
            continue;
        };
        found.push(Suppression {
            span: directive.span,
            path: String::new(),
            comment: true,
            target: match allow.scope {
                Scope::Line(line) => Target::Line(line),
                Scope::File => Target::File,
            },
            until: allow.until,
            reason: allow.reason.as_deref(),
            rules: allow
                .rules
                .iter()
                .map(|rule| RuleRef::new(&rule.value, rule.span))
                .collect(),
        });
    }
    let lint = file.plan.as_ref().and_then(|plan| plan.lint.get());
    for entry in lint.map_or(&[][..], |lint| plan_model::Plan::entries(&lint.allow)) {
        let Field::Valid(rule) = &entry.rule else {
            continue;
        };
        let target = match &entry.at {
            Field::Valid(at) => Target::Path(&at.value.path),
            Field::Absent | Field::Blank { .. } => Target::File,
            // A pointer that points at nothing is already an `invalid-value`.
            Field::Invalid { .. } => continue,
        };
        found.push(Suppression {
            span: entry.place.anchor,
            path: entry.place.path.clone(),
            comment: false,
            target,
            until: entry.until.get().copied(),
            reason: entry.reason.get().map(String::as_str),
            rules: vec![RuleRef::new(&rule.value, rule.span)],
        });
    }
    found
}

impl<'a> RuleRef<'a> {
    fn new(written: &'a str, span: Span) -> Self {
        RuleRef {
            written,
            span,
            rule: rule_by_name_or_code(written),
            used: false,
            expired_match: false,
        }
    }
}

/// `unjustified-suppression` and `unused-suppression` findings about one suppression.
fn report(file: usize, suppression: &Suppression<'_>, policy: &dyn Policy, out: &mut Vec<Finding>) {
    let emit = |finding: Finding, out: &mut Vec<Finding>| {
        if let Some(finding) = crate::policy::configure(finding, policy) {
            out.push(finding);
        }
    };
    let named: Vec<String> = suppression
        .rules
        .iter()
        .map(|r| format!("`{}`", r.written))
        .collect();
    if suppression.reason.is_none() {
        let help = if suppression.comment {
            "end the comment with `-- reason`: why the finding is accepted, and who accepted it"
        } else {
            "add `reason = \"…\"`: why the finding is accepted, and who accepted it"
        };
        let path = child(&suppression.path, "reason");
        emit(
            Finding::new(
                &unjustified_suppression::RULE,
                file,
                suppression.span,
                path,
                format!("the suppression of {} gives no reason", named.join(", ")),
            )
            .with_help(help),
            out,
        );
    }
    for rule_ref in &suppression.rules {
        let path = child(&suppression.path, "rule");
        let finding = match rule_ref.rule {
            None => Finding::new(
                &unused_suppression::RULE,
                file,
                rule_ref.span,
                path,
                format!(
                    "`{}` is not a rule, so nothing is suppressed",
                    rule_ref.written
                ),
            )
            .with_help(crate::unknown_rule_help(rule_ref.written)),
            Some(rule) => {
                // A suppression of a rule that is off here may be needed where it is on.
                if rule_ref.used || rule_ref.expired_match || policy.severity(rule, file).is_none()
                {
                    continue;
                }
                let expired = suppression
                    .until
                    .map(|until| format!(" (it expired on {until})"))
                    .unwrap_or_default();
                Finding::new(
                    &unused_suppression::RULE,
                    file,
                    rule_ref.span,
                    path,
                    format!(
                        "the suppression of `{}` silences nothing{expired}",
                        rule.name
                    ),
                )
                .with_help("remove it: the finding it was written for is gone")
            }
        };
        emit(finding, out);
    }
}

/// `unused-suppression` findings about `# plan-lint:` comments that cannot be read.
fn report_malformed(file: usize, parsed: &ParsedFile, policy: &dyn Policy, out: &mut Vec<Finding>) {
    for directive in &parsed.directives {
        let Err(problem) = &directive.content else {
            continue;
        };
        let finding = Finding::new(
            &unused_suppression::RULE,
            file,
            directive.span,
            "",
            format!("this suppression comment cannot be read, so nothing is suppressed: {problem}"),
        )
        .with_help("write it as `# plan-lint: allow(rule, …) -- reason`, optionally with `until YYYY-MM-DD` before `--`");
        if let Some(finding) = crate::policy::configure(finding, policy) {
            out.push(finding);
        }
    }
}

fn child(path: &str, key: &str) -> String {
    if path.is_empty() {
        String::new()
    } else {
        format!("{path}.{key}")
    }
}
