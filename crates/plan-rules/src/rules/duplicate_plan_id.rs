//! `duplicate-plan-id` (PL019): every plan in the run has its own `plan.id`.

use crate::{Check, Finding, Fixability, Portfolio, Rule, Severity};
use foldhash::{HashMap, HashMapExt as _};

pub static RULE: Rule = Rule {
    code: "PL019",
    name: "duplicate-plan-id",
    default_severity: Severity::Error,
    time_based: false,
    fix: Fixability::None,
    page: include_str!("../../../../rules/duplicate-plan-id.md"),
    check: Check::Portfolio(check),
};

fn check(portfolio: &Portfolio, out: &mut Vec<Finding>) {
    let mut uses: HashMap<&str, usize> = HashMap::new();
    for plan in &portfolio.plans {
        if let Some((id, _)) = &plan.id {
            *uses.entry(id.as_str()).or_default() += 1;
        }
    }
    for plan in portfolio
        .plans
        .iter()
        .filter(|plan| portfolio.in_focus(plan.file))
    {
        let Some((id, at)) = &plan.id else {
            continue;
        };
        // Files are in path order, so the first plan with this id is the one kept.
        let Some(first) = portfolio.plan_with_id(id) else {
            continue;
        };
        if first.file == plan.file {
            continue;
        }
        let first_at = first.id.as_ref().map(|(_, at)| *at).unwrap_or_default();
        let message = match uses[id.as_str()] {
            2 => format!("plan id `{id}` is also used by `{}`", first.path),
            count => format!(
                "plan id `{id}` is used by {count} plans, first by `{}`",
                first.path
            ),
        };
        out.push(
            Finding::located(&RULE, plan.file, *at, "plan.id", message)
                .with_related(first.file, first_at, "first used here")
                .with_help("plan ids are unique in the repository: cross-plan references (`plan-id#M2`) name plans by id"),
        );
    }
}
