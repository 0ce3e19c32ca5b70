//! Suppressions: `# plan-lint: allow(…)` comments and `lint.allow` entries silence findings,
//! and are themselves checked (`unjustified-suppression` PL900, `unused-suppression` PL901).
//!
//! A file's suppressions are read while its text is at hand ([`FileSuppressions::of`]) and
//! applied once every finding of the run is known, portfolio findings included.

use crate::rules::{unjustified_suppression, unused_suppression};
use crate::{Finding, Label, Location, Policy, Registry, Rule};
use foldhash::HashMap;
use jiff::civil::Date;
use plan_model::directive::Scope;
use plan_model::{Field, ParsedFile};

/// A finding that a suppression silenced, with the reason given for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Suppressed {
    pub finding: Finding,
    pub reason: Option<String>,
    /// Where the suppression is written.
    pub at: Location,
}

/// Every suppression of one file.
#[derive(Debug, Default, Clone)]
pub struct FileSuppressions {
    suppressions: Vec<Suppression>,
    /// `# plan-lint:` comments that cannot be read, and why.
    malformed: Vec<(Location, String)>,
}

/// One suppression, from a comment or a `lint.allow` entry.
#[derive(Debug, Clone)]
struct Suppression {
    /// Where it is written: the comment, or the entry.
    at: Location,
    /// The logical path of a `lint.allow` entry; empty for a comment.
    path: String,
    /// Whether it is a comment (for help texts).
    comment: bool,
    target: Target,
    until: Option<Date>,
    reason: Option<String>,
    rules: Vec<RuleRef>,
}

#[derive(Debug, Clone)]
enum Target {
    /// Findings starting on this 1-based line.
    Line(usize),
    /// Findings at this logical path or inside it.
    Path(String),
    File,
}

/// One rule named by a suppression, and what became of it.
#[derive(Debug, Clone)]
struct RuleRef {
    written: String,
    at: Location,
    rule: Option<&'static Rule>,
    /// It silenced a finding.
    used: bool,
    /// A finding it would have silenced, had it not expired.
    expired_match: bool,
}

impl FileSuppressions {
    pub fn is_empty(&self) -> bool {
        self.suppressions.is_empty() && self.malformed.is_empty()
    }

    /// The suppressions of one file: its comments, then its `lint.allow` entries, naming rules
    /// of `registry`.
    pub fn of(file: &ParsedFile, registry: &Registry) -> FileSuppressions {
        let at = |span| Location::in_file(span, &file.source);
        let mut found = FileSuppressions::default();
        for directive in &file.directives {
            let allow = match &directive.content {
                Ok(allow) => allow,
                Err(problem) => {
                    found.malformed.push((at(directive.span), problem.clone()));
                    continue;
                }
            };
            found.suppressions.push(Suppression {
                at: at(directive.span),
                path: String::new(),
                comment: true,
                target: match allow.scope {
                    Scope::Line(line) => Target::Line(line),
                    Scope::File => Target::File,
                },
                until: allow.until,
                reason: allow.reason.clone(),
                rules: allow
                    .rules
                    .iter()
                    .map(|rule| RuleRef::new(&rule.value, at(rule.span), registry))
                    .collect(),
            });
        }
        let lint = file.plan.as_ref().and_then(|plan| plan.lint.get());
        for entry in lint.map_or(&[][..], |lint| lint.allow.items()) {
            let Field::Valid(rule) = &entry.rule else {
                continue;
            };
            let target = match &entry.at {
                Field::Valid(target) => Target::Path(target.value.path.to_owned()),
                Field::Absent | Field::Blank { .. } => Target::File,
                // A pointer that points at nothing is already an `invalid-value`.
                Field::Invalid { .. } => continue,
            };
            found.suppressions.push(Suppression {
                at: at(entry.place.anchor),
                path: entry.place.path.to_owned(),
                comment: false,
                target,
                until: entry.until.get().copied(),
                reason: entry.reason.get().map(|reason| (*reason).to_owned()),
                rules: vec![RuleRef::new(rule.value, at(rule.span), registry)],
            });
        }
        found
    }
}

impl RuleRef {
    fn new(written: &str, at: Location, registry: &Registry) -> Self {
        RuleRef {
            written: written.to_owned(),
            at,
            rule: registry.by_name_or_code(written),
            used: false,
            expired_match: false,
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
/// `by_file` holds each file's suppressions, by file index.
pub(crate) fn apply(
    by_file: &mut [FileSuppressions],
    findings: Vec<Finding>,
    today: Date,
    policy: &dyn Policy,
) -> Sorted {
    if by_file.iter().all(FileSuppressions::is_empty) {
        // Nothing to silence or report: keep the findings where they are.
        return Sorted {
            findings,
            suppressed: Vec::new(),
        };
    }
    let mut sorted = Sorted {
        findings: Vec::with_capacity(findings.len()),
        suppressed: Vec::new(),
    };
    let mut indexes: Vec<Option<Index>> = (0..by_file.len()).map(|_| None).collect();
    for mut finding in findings {
        let Some(file) = by_file.get_mut(finding.file) else {
            sorted.findings.push(finding);
            continue;
        };
        if file.suppressions.is_empty() {
            sorted.findings.push(finding);
            continue;
        }
        let index = indexes[finding.file].get_or_insert_with(|| Index::of(&file.suppressions));
        let outcome = index.outcome(&finding, &mut file.suppressions, today);
        let silenced_by = outcome.silenced_by.map(|i| {
            let suppression = &file.suppressions[i];
            (suppression.reason.clone(), suppression.at)
        });
        let expired_on = outcome.expired_by.map(|i| {
            let suppression = &file.suppressions[i];
            (suppression.until.unwrap_or(today), suppression.at)
        });
        match (silenced_by, expired_on) {
            (Some((reason, at)), _) => sorted.suppressed.push(Suppressed {
                finding,
                reason,
                at,
            }),
            (None, Some((until, at))) => {
                finding.message =
                    format!("{}; its suppression expired on {until}", finding.message);
                finding.labels.push(Label {
                    at,
                    message: format!("expired on {until}").into(),
                });
                sorted.findings.push(finding);
            }
            (None, None) => sorted.findings.push(finding),
        }
    }
    for (file, suppressions) in by_file.iter().enumerate() {
        for suppression in &suppressions.suppressions {
            report(file, suppression, today, policy, &mut sorted.findings);
        }
        report_malformed(file, &suppressions.malformed, policy, &mut sorted.findings);
    }
    sorted
}

/// Where a suppression applies, as an index key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Place {
    Line(usize),
    Path(String),
    File,
}

/// The suppressions of one file by place and rule, so that each finding looks up the few that
/// can cover it instead of trying every suppression of its file: a file may hold 100,000
/// suppressions and as many findings.
struct Index {
    entries: HashMap<(Place, &'static str), Entry>,
}

/// The suppressions (index in the file, in file order) that name one rule at one place, and
/// what they do to a finding there, worked out once.
struct Entry {
    suppressions: Vec<usize>,
    outcome: Option<Outcome>,
}

#[derive(Debug, Clone, Copy, Default)]
struct Outcome {
    /// The first suppression, in file order, that silences.
    silenced_by: Option<usize>,
    /// The last one that would have silenced, had it not expired.
    expired_by: Option<usize>,
}

/// Logical paths have a few levels (`raid[R-3].mitigation`); deeper prefixes are not tried.
const MAX_PATH_LEVELS: usize = 16;

impl Index {
    fn of(suppressions: &[Suppression]) -> Index {
        let mut entries: HashMap<(Place, &'static str), Entry> = HashMap::default();
        for (i, suppression) in suppressions.iter().enumerate() {
            let place = match &suppression.target {
                Target::Line(line) => Place::Line(*line),
                Target::Path(path) => Place::Path(path.clone()),
                Target::File => Place::File,
            };
            for rule in suppression.rules.iter().filter_map(|r| r.rule) {
                let entry = entries
                    .entry((place.clone(), rule.code))
                    .or_insert_with(|| Entry {
                        suppressions: Vec::new(),
                        outcome: None,
                    });
                if entry.suppressions.last() != Some(&i) {
                    entry.suppressions.push(i);
                }
            }
        }
        Index { entries }
    }

    /// What the suppressions covering `finding` do to it; every one of them is marked used (or
    /// matched but expired) the first time its place and rule are looked up.
    fn outcome(
        &mut self,
        finding: &Finding,
        suppressions: &mut [Suppression],
        today: Date,
    ) -> Outcome {
        let code = finding.rule.code;
        let mut places = vec![Place::Line(finding.start.line as usize), Place::File];
        let path = finding.path.as_str();
        let boundaries = path
            .char_indices()
            .filter(|&(_, c)| c == '.' || c == '[')
            .map(|(i, _)| i)
            .filter(|&i| i > 0)
            .take(MAX_PATH_LEVELS)
            .chain((!path.is_empty()).then_some(path.len()));
        places.extend(boundaries.map(|end| Place::Path(path[..end].to_owned())));
        let mut combined = Outcome::default();
        for place in places {
            let Some(entry) = self.entries.get_mut(&(place, code)) else {
                continue;
            };
            let outcome = *entry.outcome.get_or_insert_with(|| {
                let mut outcome = Outcome::default();
                for &i in &entry.suppressions {
                    let suppression = &mut suppressions[i];
                    let expired = suppression.until.is_some_and(|until| until < today);
                    for rule_ref in &mut suppression.rules {
                        if rule_ref.rule.is_some_and(|rule| rule.code == code) {
                            if expired {
                                rule_ref.expired_match = true;
                            } else {
                                rule_ref.used = true;
                            }
                        }
                    }
                    if expired {
                        outcome.expired_by = Some(i);
                    } else {
                        outcome.silenced_by.get_or_insert(i);
                    }
                }
                outcome
            });
            combined.silenced_by = match (combined.silenced_by, outcome.silenced_by) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            combined.expired_by = combined.expired_by.max(outcome.expired_by);
        }
        combined
    }
}

fn emit(finding: Finding, policy: &dyn Policy, out: &mut Vec<Finding>) {
    if let Some(finding) = crate::policy::configure(finding, policy) {
        out.push(finding);
    }
}

/// `unjustified-suppression` and `unused-suppression` findings about one suppression.
fn report(
    file: usize,
    suppression: &Suppression,
    today: Date,
    policy: &dyn Policy,
    out: &mut Vec<Finding>,
) {
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
        let finding = Finding::located(
            &unjustified_suppression::RULE,
            file,
            suppression.at,
            child(&suppression.path, "reason"),
            format!("the suppression of {} gives no reason", named.join(", ")),
        )
        .with_help(help);
        emit(finding, policy, out);
    }
    for rule_ref in &suppression.rules {
        let path = child(&suppression.path, "rule");
        let finding = match rule_ref.rule {
            None => Finding::located(
                &unused_suppression::RULE,
                file,
                rule_ref.at,
                path,
                format!(
                    "`{}` is not a rule, so nothing is suppressed",
                    rule_ref.written
                ),
            )
            .with_help(policy.registry().unknown_rule_help(&rule_ref.written)),
            Some(rule) => {
                // A suppression of a rule that is off here may be needed where it is on.
                if rule_ref.used || rule_ref.expired_match || policy.severity(rule, file).is_none()
                {
                    continue;
                }
                // Said only of a date that has passed: one still ahead expires nothing yet.
                let expired = suppression
                    .until
                    .filter(|until| *until < today)
                    .map(|until| format!(" (it expired on {until})"))
                    .unwrap_or_default();
                Finding::located(
                    &unused_suppression::RULE,
                    file,
                    rule_ref.at,
                    path,
                    format!(
                        "the suppression of `{}` silences nothing{expired}",
                        rule.name
                    ),
                )
                .with_help("remove it: the finding it was written for is gone")
            }
        };
        emit(finding, policy, out);
    }
}

/// `unused-suppression` findings about `# plan-lint:` comments that cannot be read.
fn report_malformed(
    file: usize,
    malformed: &[(Location, String)],
    policy: &dyn Policy,
    out: &mut Vec<Finding>,
) {
    for (at, problem) in malformed {
        let finding = Finding::located(
            &unused_suppression::RULE,
            file,
            *at,
            "",
            format!("this suppression comment cannot be read, so nothing is suppressed: {problem}"),
        )
        .with_help("write it as `# plan-lint: allow(rule, …) -- reason`, optionally with `until YYYY-MM-DD` before `--`");
        emit(finding, policy, out);
    }
}

fn child(path: &str, key: &str) -> String {
    if path.is_empty() {
        String::new()
    } else {
        format!("{path}.{key}")
    }
}
