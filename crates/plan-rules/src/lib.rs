//! `plan-rules`: the delivery procedure, encoded as rules over typed plans.
//!
//! Rules are pure: they read [`plan_model::Plan`]s and return [`Finding`]s, never touching the
//! file system or the clock (today's date is given). Every rule is listed in [`registry`].

mod finding;
mod page;
mod policy;
pub mod registry;
mod rule;
mod rules;
mod summary;
mod suppress;

pub use finding::{Finding, Label, Location, Related, Severity};
pub use page::{Example, Page, REQUIRED_HEADINGS};
pub use policy::{Defaults, Policy};
pub use registry::{
    CUSTOM_RULE_ERROR, CustomChecks, RULES, Registry, rule_by_name_or_code, unknown_rule_help,
};
pub use rule::{Check, DOCS_SITE, Fixability, PlanContext, Portfolio, Rule};
pub use summary::{MilestoneSummary, PlanSummary, ResourceSummary};
pub use suppress::{FileSuppressions, Suppressed};

use jiff::civil::Date;
use plan_model::{ParsedFile, PlanStatus};
use rayon::prelude::*;
use std::sync::Arc;

/// What the rules know beyond the plans themselves. The command line gathers these facts, so
/// that rules never touch the file system or the clock.
#[derive(Debug, Clone)]
pub struct Facts {
    /// The date time-based rules treat as today.
    pub today: Date,
    /// For each file of the run, what looking up the path in its `plan.design_plan` found;
    /// `None` where that was not looked up (no path, a URL, or unknown).
    pub design_plans: Vec<Option<DesignPlanLookup>>,
}

impl Facts {
    /// Facts with nothing looked up but the date.
    pub fn today(today: Date) -> Facts {
        Facts {
            today,
            design_plans: Vec::new(),
        }
    }
}

/// What looking up a plan's `design_plan` path on the file system found. The file itself is
/// never opened, and nothing outside the repository is looked at beyond resolving the path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DesignPlanLookup {
    Found,
    Missing,
    /// An absolute path (`/etc/passwd`, `C:\\design.md`): plans name their design plan
    /// relative to themselves, so the repository can move.
    Absolute,
    /// The path leads out of the repository, by `..` or through a symbolic link.
    OutsideRepository,
}

/// The `design_plan` of a plan when it is a path to look up, relative to the plan's folder:
/// not a URL (URLs are never fetched).
pub fn design_plan_path<'a>(plan: &plan_model::Plan<'a>) -> Option<&'a str> {
    let design_plan = plan.plan.get()?.design_plan.get()?;
    let is_url = ["http://", "https://"]
        .iter()
        .any(|scheme| design_plan.to_ascii_lowercase().starts_with(scheme));
    (!is_url).then_some(design_plan)
}

/// What a check run found.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Findings to report, in deterministic order (see [`sort`]).
    pub findings: Vec<Finding>,
    /// Findings that suppressions silenced, in the same order.
    pub suppressed: Vec<Suppressed>,
}

/// What checking one file leaves for the rest of the run, once its text and model are gone:
/// its located findings, a summary for the portfolio rules, and its suppressions.
#[derive(Debug, Clone)]
pub struct FileReport {
    pub findings: Vec<Finding>,
    /// Shared: a language server keeps each plan's summary between checks, and a check of
    /// the portfolio should not copy a thousand of them.
    pub summary: Option<Arc<PlanSummary>>,
    pub suppressions: FileSuppressions,
}

impl FileReport {
    /// Give the report another file number: when some files of a run could not be read,
    /// the others are numbered again without gaps.
    pub fn renumber(&mut self, file: usize) {
        for finding in &mut self.findings {
            finding.file = file;
        }
        if let Some(summary) = &mut self.summary
            && summary.file != file
        {
            Arc::make_mut(summary).file = file;
        }
    }
}

/// Check every file of a run in memory: [`check_file`] on each, then [`check_portfolio`].
pub fn check(files: &[ParsedFile], facts: &Facts, policy: &dyn Policy) -> Outcome {
    let reports = files
        .iter()
        .enumerate()
        .map(|(file, parsed)| {
            let design_plan = facts.design_plans.get(file).copied().flatten();
            check_file(file, parsed, facts.today, design_plan, policy)
        })
        .collect();
    check_portfolio(reports, facts.today, policy)
}

/// The first stage, for one file (file number `file` of the run) while its text is at hand:
/// its schema findings and every per-plan rule that `policy` has on, with severities given and
/// positions located.
pub fn check_file(
    file: usize,
    parsed: &ParsedFile,
    today: Date,
    design_plan: Option<DesignPlanLookup>,
    policy: &dyn Policy,
) -> FileReport {
    let mut findings = Vec::new();
    for schema_finding in &parsed.findings {
        let rule = registry::rule_for_schema_problem(schema_finding.problem);
        let mut finding = Finding::new(
            rule,
            file,
            schema_finding.span,
            &schema_finding.path,
            &schema_finding.message,
        );
        finding.help = schema_finding.help.clone().map(Into::into);
        if let Some(suggestion) = &schema_finding.suggestion {
            let editor = plan_model::Editor::new(parsed.format, &parsed.source.text);
            finding.fix = Some(Box::new(editor.suggested(suggestion)));
        }
        findings.push(finding);
    }
    let summary = parsed.plan.as_ref().map(|plan| {
        let cx = PlanContext {
            plan,
            editor: plan_model::Editor::new(parsed.format, &parsed.source.text),
            source: &parsed.source,
            file,
            today,
            design_plan,
        };
        check_plan(&cx, policy, &mut findings);
        Arc::new(PlanSummary::of(plan, &parsed.source, file))
    });
    // One mistake, one finding: what a misspelt key's absence causes (`problem_ownr`: "the plan
    // names no problem owner") is left to its `unknown-field` finding and its "did you mean".
    let misspelt: foldhash::HashSet<&str> = parsed.misspelt.iter().map(String::as_str).collect();
    // A finding is caused by a misspelling when a misspelt key's path is its path or leads
    // to it (`raid[R-1].mitigation` under `raid[R-1]`): each of the path's own prefixes is
    // looked up, so a plan with a misspelling in every one of 50,000 entries costs no
    // comparison of every finding with every misspelling.
    let caused_by_misspelling = |finding: &Finding| {
        let path = finding.path.as_str();
        path.match_indices(['.', '['])
            .map(|(at, _)| &path[..at])
            .chain(std::iter::once(path))
            .any(|prefix| misspelt.contains(prefix))
    };
    let mut findings: Vec<Finding> = findings
        .into_iter()
        .filter(|finding| misspelt.is_empty() || !caused_by_misspelling(finding))
        .filter_map(|finding| policy::configure(finding, policy))
        .collect();
    let toml_front_matter = parsed.format == plan_model::Format::Markdown
        && matches!(plan_model::markdown::front_matter(&parsed.source.text), Ok(Some(front)) if front.toml);
    for finding in &mut findings {
        finding.locate(&parsed.source);
        // The built-in rules' help, in the plan's own syntax (a project's own rules say what
        // their authors wrote).
        if !matches!(finding.rule.check, Check::Custom)
            && let Some(help) = finding.help.as_deref().and_then(|help| {
                plan_model::help::in_format(help, parsed.format, &finding.path, toml_front_matter)
            })
        {
            finding.help = Some(help.into());
        }
    }
    FileReport {
        findings,
        summary,
        suppressions: FileSuppressions::of(parsed, policy.registry()),
    }
}

/// The second stage, across the run: the portfolio rules over every plan's summary, then
/// suppressions, then the deterministic order.
pub fn check_portfolio(reports: Vec<FileReport>, today: Date, policy: &dyn Policy) -> Outcome {
    check_portfolio_for(reports, today, policy, None)
}

/// [`check_portfolio`], keeping only the findings in the files `focus` marks (by file
/// number): those are exactly the findings a whole run gives in those files, and the portfolio
/// rules spend less on the files outside it. An editor checks its open plans this way.
pub fn check_portfolio_for(
    reports: Vec<FileReport>,
    today: Date,
    policy: &dyn Policy,
    focus: Option<&[bool]>,
) -> Outcome {
    let file_count = reports.len();
    let mut per_file = Vec::with_capacity(file_count);
    let mut summaries = Vec::new();
    let mut suppressions = Vec::with_capacity(file_count);
    for report in reports {
        per_file.push(report.findings);
        summaries.extend(report.summary);
        suppressions.push(report.suppressions);
    }
    let mut portfolio = Portfolio::new(summaries, today);
    if let Some(focus) = focus {
        portfolio = portfolio.focused(focus);
    }
    let checks: Vec<fn(&Portfolio, &mut Vec<Finding>)> = RULES
        .iter()
        .filter_map(|rule| match rule.check {
            Check::Portfolio(check) | Check::PlanAndPortfolio(_, check) => Some((rule, check)),
            _ => None,
        })
        .filter(|(rule, _)| (0..file_count).any(|file| policy.severity(rule, file).is_some()))
        .map(|(_, check)| check)
        .collect();
    // The portfolio rules are independent of each other: they run side by side, and their
    // findings are joined in registry order.
    let found: Vec<Vec<Finding>> = checks
        .par_iter()
        .map(|check| {
            let mut found = Vec::new();
            check(&portfolio, &mut found);
            // Collected in place, into the same allocation.
            found
                .into_iter()
                .filter(|finding| portfolio.in_focus(finding.file))
                .filter_map(|finding| policy::configure(finding, policy))
                .collect()
        })
        .collect();
    let mut found = found.into_iter();
    let mut findings = found.next().unwrap_or_default();
    findings.reserve_exact(found.as_slice().iter().map(Vec::len).sum());
    for rule_findings in found {
        findings.extend(rule_findings);
    }
    // The summaries are not needed past this point; a large run should not hold them while
    // it sorts and reports.
    portfolio.free();
    // Every finding in one vector, the per-file ones first. At 10,000 plans the portfolio's
    // findings are tens of megabytes: they are grown in place (a large reallocation is
    // remapped, not copied) rather than copied into a second vector.
    let mut head = Vec::with_capacity(per_file.iter().map(Vec::len).sum());
    for file_findings in per_file {
        head.extend(file_findings);
    }
    findings.reserve_exact(head.len());
    findings.splice(0..0, head);
    let suppress::Sorted {
        mut findings,
        mut suppressed,
    } = suppress::apply(&mut suppressions, findings, today, policy);
    if let Some(focus) = focus {
        // Outside the focus the suppressions' use is unknown: their findings are not here.
        let in_focus = |file: usize| focus.get(file).copied().unwrap_or(false);
        findings.retain(|finding| in_focus(finding.file));
        suppressed.retain(|suppressed| in_focus(suppressed.finding.file));
    }
    sort(&mut findings);
    suppressed.par_sort_by(|a, b| order(&a.finding, &b.finding));
    number_occurrences(&mut findings, &mut suppressed);
    Outcome {
        findings,
        suppressed,
    }
}

/// Number the findings that share file, rule and logical path, in order (position order, the
/// reported ones before the suppressed ones). O(n log n), without copying a path.
fn number_occurrences(findings: &mut [Finding], suppressed: &mut [Suppressed]) {
    let occurrences: Vec<u32> = {
        let all: Vec<&Finding> = findings
            .iter()
            .chain(suppressed.iter().map(|s| &s.finding))
            .collect();
        let mut by_name: Vec<usize> = (0..all.len()).collect();
        // Stable: equal names keep their order.
        by_name.sort_by(|&a, &b| {
            let (a, b) = (all[a], all[b]);
            (a.file, a.rule.code, &a.path).cmp(&(b.file, b.rule.code, &b.path))
        });
        let mut occurrences = vec![0; all.len()];
        let mut count = 0;
        for (i, &index) in by_name.iter().enumerate() {
            let same = i > 0 && {
                let (a, b) = (all[by_name[i - 1]], all[index]);
                (a.file, a.rule.code, &a.path) == (b.file, b.rule.code, &b.path)
            };
            count = if same { count + 1 } else { 1 };
            occurrences[index] = count;
        }
        occurrences
    };
    let all = findings
        .iter_mut()
        .chain(suppressed.iter_mut().map(|s| &mut s.finding));
    for (finding, occurrence) in all.zip(occurrences) {
        finding.occurrence = occurrence;
    }
}

/// Run every per-plan rule that is on for this plan.
fn check_plan(cx: &PlanContext<'_>, policy: &dyn Policy, findings: &mut Vec<Finding>) {
    let closed = cx.plan.status() == Some(PlanStatus::Closed);
    for rule in RULES {
        let check = match rule.check {
            Check::Plan(check) | Check::PlanAndPortfolio(check, _) => check,
            _ => continue,
        };
        if !(rule.time_based && closed) && policy.severity(rule, cx.file).is_some() {
            check(cx, findings);
        }
    }
    if let Some(custom) = policy.registry().custom_checks() {
        custom.check(
            cx,
            &|rule| policy.severity(rule, cx.file).is_some(),
            findings,
        );
    }
}

/// The deterministic order of findings: file, position, code, then message. A stable sort,
/// on every thread.
pub fn sort(findings: &mut [Finding]) {
    findings.par_sort_by(order);
}

fn order(a: &Finding, b: &Finding) -> std::cmp::Ordering {
    (a.file, a.span.start, a.span.end, a.rule.code, &a.message).cmp(&(
        b.file,
        b.span.start,
        b.span.end,
        b.rule.code,
        &b.message,
    ))
}
