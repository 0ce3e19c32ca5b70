//! `review-trigger` (PL003): the plan says when it is reviewed, at a regular cadence, on
//! triggering events, or both.

use super::describe;
use crate::{Check, Finding, PlanContext, Rule, Severity};
use plan_model::Field;

pub static RULE: Rule = Rule {
    code: "PL003",
    name: "review-trigger",
    default_severity: Severity::Error,
    time_based: false,
    page: include_str!("../../../../rules/review-trigger.md"),
    check: Check::Plan(check),
};

fn check(cx: &PlanContext<'_>, out: &mut Vec<Finding>) {
    let review = match &cx.plan.review {
        Field::Valid(review) => &review.value,
        Field::Absent => {
            out.push(
                cx.finding(&RULE, describe::table_or_file(&cx.plan.review), "review", "the plan has no `[review]` table")
                    .with_help("add `[review]` with a `cadence` such as \"2 weeks\" and the `triggers` that force a review, such as [\"health-red\", \"approach-change\"]"),
            );
            return;
        }
        _ => return,
    };
    let no_cadence = review.cadence.is_missing();
    let no_triggers = match &review.triggers {
        Field::Valid(triggers) => triggers.value.is_empty(),
        other => other.is_missing(),
    };
    if no_cadence && no_triggers {
        // Point at the key that is there but says nothing, else at the table.
        let (span, path) = match (review.triggers.span(), review.cadence.span()) {
            (Some(span), _) => (span, review.place.child("triggers")),
            (None, Some(span)) => (span, review.place.child("cadence")),
            (None, None) => (review.place.anchor, review.place.path.to_owned()),
        };
        out.push(
            cx.finding(&RULE, span, path, "`[review]` sets neither a `cadence` nor any `triggers`")
                .with_help("add `cadence = \"2 weeks\"`, `triggers = [\"health-red\", \"approach-change\"]`, or both"),
        );
    }
}
