//! `dangling-reference` (PL013): every id the plan refers to exists, in this plan or, for
//! `other-plan#M2`, in the other plan.

use crate::{Check, Finding, PlanContext, Portfolio, Rule, Severity};
use plan_model::{Plan, Span};
use std::collections::HashSet;

pub static RULE: Rule = Rule {
    code: "PL013",
    name: "dangling-reference",
    default_severity: Severity::Error,
    time_based: false,
    page: include_str!("../../../../rules/dangling-reference.md"),
    check: Check::Portfolio(check),
};

fn check(portfolio: &Portfolio<'_>, out: &mut Vec<Finding>) {
    for cx in &portfolio.plans {
        check_plan(portfolio, cx, out);
    }
}

fn milestone_ids(plan: &Plan) -> HashSet<&str> {
    Plan::entries(&plan.milestones)
        .iter()
        .filter_map(|m| m.id.get().map(String::as_str))
        .collect()
}

fn check_plan(portfolio: &Portfolio<'_>, cx: &PlanContext<'_>, out: &mut Vec<Finding>) {
    let plan = cx.plan;
    let milestones = milestone_ids(plan);
    let raid: HashSet<&str> = Plan::entries(&plan.raid)
        .iter()
        .filter_map(|r| r.id.get().map(String::as_str))
        .collect();
    let missing =
        |span: Span, path: String, message: String| cx.finding(&RULE, span, path, message);

    for milestone in Plan::entries(&plan.milestones) {
        for dependency in milestone.depends_on.get().into_iter().flatten() {
            let reference = &dependency.value;
            let path = milestone.place.child("depends_on");
            // `own-id#M2` is a local reference written in full.
            let other_plan = reference
                .plan
                .as_deref()
                .filter(|&id| Some(id) != plan.id());
            match other_plan {
                None if !milestones.contains(reference.milestone.as_str()) => out.push(
                    missing(
                        dependency.span,
                        path,
                        format!(
                            "depends on milestone `{}`, which this plan does not have",
                            reference.milestone
                        ),
                    )
                    .with_help(near_miss(&reference.milestone, &milestones)),
                ),
                None => {}
                Some(other_id) => match portfolio.plan_with_id(other_id) {
                    Some(other)
                        if !milestone_ids(other.plan).contains(reference.milestone.as_str()) =>
                    {
                        let other_span = other
                            .plan
                            .plan
                            .get()
                            .and_then(|p| p.id.span())
                            .unwrap_or_default();
                        out.push(
                            missing(
                                dependency.span,
                                path,
                                format!(
                                    "depends on `{reference}`, but plan {} has no milestone `{}`",
                                    other.name(),
                                    reference.milestone
                                ),
                            )
                            .with_related(other.file, other_span, "the plan referred to")
                            .with_help(near_miss(&reference.milestone, &milestone_ids(other.plan))),
                        );
                    }
                    Some(_) => {}
                    None => out.push(
                        missing(
                            dependency.span,
                            path,
                            format!(
                                "depends on `{reference}`, but no plan `{other_id}` is in this run"
                            ),
                        )
                        .with_severity(Severity::Warning)
                        .with_help("lint the other plan in the same run, or correct the plan id"),
                    ),
                },
            }
        }
    }
    for item in Plan::entries(&plan.backlog) {
        if let Some(milestone) = item.milestone.spanned()
            && !milestones.contains(milestone.value.as_str())
        {
            out.push(
                missing(
                    milestone.span,
                    item.place.child("milestone"),
                    format!(
                        "delivers milestone `{}`, which this plan does not have",
                        milestone.value
                    ),
                )
                .with_help(near_miss(&milestone.value, &milestones)),
            );
        }
    }
    if let Some(health) = plan.health.get() {
        for action in health.actions.get().into_iter().flatten() {
            if !raid.contains(action.value.as_str()) {
                out.push(
                    missing(
                        action.span,
                        health.place.child("actions"),
                        format!(
                            "names RAID entry `{}`, which this plan does not have",
                            action.value
                        ),
                    )
                    .with_help(near_miss(&action.value, &raid)),
                );
            }
        }
    }
}

fn near_miss(id: &str, known: &HashSet<&str>) -> String {
    let mut sorted: Vec<&str> = known.iter().copied().collect();
    sorted.sort_unstable();
    match plan_model::did_you_mean(id, sorted.iter().copied()) {
        Some(close) => format!("did you mean `{close}`?"),
        None if sorted.is_empty() => "there are no ids to refer to here".to_owned(),
        None => format!(
            "the ids here are {}",
            sorted
                .iter()
                .map(|id| format!("`{id}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}
