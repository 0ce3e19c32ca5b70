//! `problem-owner` (PL006): the plan names the problem owner.

use crate::{Check, Finding, Fixability, PlanContext, Rule, Severity};
use plan_model::Field;

pub static RULE: Rule = Rule {
    code: "PL006",
    name: "problem-owner",
    default_severity: Severity::Error,
    time_based: false,
    fix: Fixability::None,
    page: include_str!("../../../../rules/problem-owner.md"),
    check: Check::Plan(check),
};

fn check(cx: &PlanContext<'_>, out: &mut Vec<Finding>) {
    let span = match &cx.plan.people {
        Field::Absent => Default::default(),
        Field::Valid(people) if people.value.problem_owner.is_missing() => people
            .value
            .problem_owner
            .span_or(people.value.place.anchor),
        _ => return,
    };
    out.push(
        cx.finding(&RULE, span, "people.problem_owner", "the plan names no problem owner")
            .with_help("add `problem_owner = \"…\"` under `[people]`: the person whose problem this plan solves"),
    );
}
