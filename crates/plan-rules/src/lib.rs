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
mod suppress;

pub use finding::{Finding, Label, Related, Severity};
pub use page::{Example, Page, REQUIRED_HEADINGS};
pub use policy::{Defaults, Policy};
pub use registry::{RULES, rule_by_name_or_code, unknown_rule_help};
pub use rule::{Check, PlanContext, Portfolio, Rule};
pub use suppress::Suppressed;

use jiff::civil::Date;
use plan_model::{ParsedFile, PlanStatus};

/// What the rules know beyond the plans themselves. The command line gathers these facts, so
/// that rules never touch the file system or the clock.
#[derive(Debug, Clone)]
pub struct Facts {
    /// The date time-based rules treat as today.
    pub today: Date,
    /// For each file of the run, whether the relative path in its `plan.design_plan` names an
    /// existing file; `None` where that was not looked up (no path, a URL, or unknown).
    pub design_plan_exists: Vec<Option<bool>>,
}

impl Facts {
    /// Facts with nothing looked up but the date.
    pub fn today(today: Date) -> Facts {
        Facts {
            today,
            design_plan_exists: Vec::new(),
        }
    }
}

/// The `design_plan` of a plan when it is a path to look up, relative to the plan's folder:
/// not a URL (URLs are never fetched).
pub fn design_plan_path(plan: &plan_model::Plan) -> Option<&str> {
    let design_plan = plan.plan.get()?.design_plan.get()?;
    let is_url = ["http://", "https://"]
        .iter()
        .any(|scheme| design_plan.to_ascii_lowercase().starts_with(scheme));
    (!is_url).then_some(design_plan.as_str())
}

/// What a check run found.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Findings to report, in deterministic order (see [`sort`]).
    pub findings: Vec<Finding>,
    /// Findings that suppressions silenced, in the same order.
    pub suppressed: Vec<Suppressed>,
}

/// Check every file of a run: schema findings, every per-plan rule on every plan that could
/// be read, then every portfolio rule across all of them, then suppressions. Rules run only
/// where `policy` has them on, and their findings get the severity it gives.
///
/// Findings are sorted by file (the order of `files`), position, then code, so the result
/// does not depend on the order in which rules ran.
pub fn check(files: &[ParsedFile], facts: &Facts, policy: &dyn Policy) -> Outcome {
    let today = facts.today;
    let mut findings = Vec::new();
    for (file, parsed) in files.iter().enumerate() {
        for schema_finding in &parsed.findings {
            let rule = registry::rule_for_schema_problem(schema_finding.problem);
            let mut finding = Finding::new(
                rule,
                file,
                schema_finding.span,
                &schema_finding.path,
                &schema_finding.message,
            );
            finding.help = schema_finding.help.clone();
            findings.push(finding);
        }
    }
    let plans: Vec<PlanContext<'_>> = files
        .iter()
        .enumerate()
        .filter_map(|(file, parsed)| {
            Some(PlanContext {
                plan: parsed.plan.as_ref()?,
                source: &parsed.source,
                file,
                today,
                design_plan_exists: facts.design_plan_exists.get(file).copied().flatten(),
            })
        })
        .collect();
    for cx in &plans {
        check_plan(cx, policy, &mut findings);
    }
    let portfolio = Portfolio::new(plans, today);
    for rule in RULES {
        let on_somewhere = || (0..files.len()).any(|file| policy.severity(rule, file).is_some());
        if let Check::Portfolio(check) = rule.check
            && on_somewhere()
        {
            check(&portfolio, &mut findings);
        }
    }
    let configured = findings
        .into_iter()
        .filter_map(|finding| policy::configure(finding, policy))
        .collect();
    let suppress::Sorted {
        mut findings,
        mut suppressed,
    } = suppress::apply(files, configured, today, policy);
    sort(&mut findings);
    suppressed.sort_by(|a, b| order(&a.finding, &b.finding));
    Outcome {
        findings,
        suppressed,
    }
}

/// Run every per-plan rule that is on for this plan.
fn check_plan(cx: &PlanContext<'_>, policy: &dyn Policy, findings: &mut Vec<Finding>) {
    let closed = cx.plan.status() == Some(PlanStatus::Closed);
    for rule in RULES {
        if let Check::Plan(check) = rule.check
            && !(rule.time_based && closed)
            && policy.severity(rule, cx.file).is_some()
        {
            check(cx, findings);
        }
    }
}

/// The deterministic order of findings: file, position, code, then message.
pub fn sort(findings: &mut [Finding]) {
    findings.sort_by(order);
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
