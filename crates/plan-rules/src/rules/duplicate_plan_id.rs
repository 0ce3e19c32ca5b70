//! `duplicate-plan-id` (PL019): every plan in the run has its own `plan.id`.

use crate::{Check, Finding, Portfolio, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "PL019",
    name: "duplicate-plan-id",
    default_severity: Severity::Error,
    time_based: false,
    page: include_str!("../../../../rules/duplicate-plan-id.md"),
    check: Check::Portfolio(check),
};

fn check(portfolio: &Portfolio<'_>, out: &mut Vec<Finding>) {
    for cx in &portfolio.plans {
        let Some(info) = cx.plan.plan.get() else {
            continue;
        };
        let Some(id) = info.id.spanned() else {
            continue;
        };
        // Files are in path order, so the first plan with this id is the one kept.
        let Some(first) = portfolio.plan_with_id(&id.value) else {
            continue;
        };
        if first.file == cx.file {
            continue;
        }
        let first_span = first
            .plan
            .plan
            .get()
            .and_then(|p| p.id.span())
            .unwrap_or_default();
        out.push(
            cx.finding(&RULE, id.span, info.place.child("id"), format!("plan id `{}` is also used by `{}`", id.value, first.source.path))
                .with_related(first.file, first_span, "first used here")
                .with_help("plan ids are unique in the repository: cross-plan references (`plan-id#M2`) name plans by id"),
        );
    }
}
