//! `review-trigger` (PL003): the plan says when it is reviewed, at a regular cadence, on
//! triggering events, or both.

use super::describe;
use crate::{Check, Finding, Fixability, PlanContext, Rule, Severity};
use plan_model::{Applicability, Field, Fix, Literal};

/// The cadence a fix writes, for a human to replace: the 30 days that `health-stale` assumes
/// when a plan has no cadence, so that writing it changes no other finding.
const PLACEHOLDER_CADENCE: &str = "30 days";
const ADD_REVIEW: &str = "add `[review]` with a placeholder `cadence = \"30 days\"` to agree on";
const ADD_CADENCE: &str = "add a placeholder `cadence = \"30 days\"` to agree on";

pub static RULE: Rule = Rule {
    code: "PL003",
    name: "review-trigger",
    default_severity: Severity::Error,
    time_based: false,
    fix: Fixability::Unsafe,
    page: include_str!("../../../../rules/review-trigger.md"),
    check: Check::Plan(check),
};

fn check(cx: &PlanContext<'_>, out: &mut Vec<Finding>) {
    let review = match &cx.plan.review {
        Field::Valid(review) => &review.value,
        Field::Absent => {
            let fix = cx.plan.document.and_then(|document| {
                let cadence = [("cadence", Literal::String(PLACEHOLDER_CADENCE))];
                let edit = cx.editor.add_table(document, "review", &cadence)?;
                Some(Fix::new(Applicability::Unsafe, ADD_REVIEW, edit))
            });
            out.push(
                cx.finding(&RULE, describe::table_or_file(&cx.plan.review), "review", "the plan has no `[review]` table")
                    .with_help("add `[review]` with a `cadence` such as \"2 weeks\" and the `triggers` that force a review, such as [\"health-red\", \"approach-change\"]")
                    .with_fix(fix),
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
        let cadence = Literal::String(PLACEHOLDER_CADENCE);
        let edit = match &review.cadence {
            Field::Absent => review
                .place
                .table
                .and_then(|table| cx.editor.add_key(table, "cadence", &cadence)),
            _ => review
                .place
                .value("cadence")
                .map(|value| cx.editor.replace(value.span, &cadence)),
        };
        let fix = edit.map(|edit| Fix::new(Applicability::Unsafe, ADD_CADENCE, edit));
        out.push(
            cx.finding(&RULE, span, path, "`[review]` sets neither a `cadence` nor any `triggers`")
                .with_help("add `cadence = \"2 weeks\"`, `triggers = [\"health-red\", \"approach-change\"]`, or both")
                .with_fix(fix),
        );
    }
}
