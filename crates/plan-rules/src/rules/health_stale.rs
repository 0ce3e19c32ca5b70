//! `health-stale` (PL010): the plan's health was assessed within one review interval.

use crate::{Check, Finding, Fixability, PlanContext, Rule, Severity};
use plan_model::Duration;

pub static RULE: Rule = Rule {
    code: "PL010",
    name: "health-stale",
    default_severity: Severity::Warning,
    time_based: true,
    fix: Fixability::None,
    page: include_str!("../../../../rules/health-stale.md"),
    check: Check::Plan(check),
};

fn check(cx: &PlanContext<'_>, out: &mut Vec<Finding>) {
    // A plan without `[health]` is reported by `required-artefacts`.
    let Some(health) = cx.plan.health.get() else {
        return;
    };
    let Some(as_of) = health.as_of.spanned() else {
        if health.as_of.is_missing() {
            out.push(
                cx.finding(
                    &RULE,
                    health.as_of.span_or(health.place.anchor),
                    health.place.child("as_of"),
                    "the health has no `as_of` date",
                )
                .with_help("add `as_of = YYYY-MM-DD`: the day the RAG status was last assessed"),
            );
        }
        return;
    };
    let cadence = cx
        .plan
        .review
        .get()
        .and_then(|review| review.cadence.get().copied());
    let interval = cadence.unwrap_or(Duration(jiff::Span::new().days(30)));
    let interval_text = if cadence.is_some() {
        "the review cadence"
    } else {
        "30 days (there is no review cadence)"
    };
    if interval
        .after(as_of.value)
        .is_some_and(|fresh_until| fresh_until < cx.today)
    {
        out.push(
            cx.finding(
                &RULE,
                as_of.span,
                health.place.child("as_of"),
                format!(
                    "the health was last assessed on {}, longer ago than {interval_text}",
                    as_of.value
                ),
            )
            .with_help("reassess the RAG status and update `as_of`"),
        );
    }
}
