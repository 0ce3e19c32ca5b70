//! `review-overdue` (PL009): the plan's review is not overdue.

use crate::{Check, Finding, Fixability, PlanContext, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "PL009",
    name: "review-overdue",
    default_severity: Severity::Warning,
    time_based: true,
    fix: Fixability::None,
    page: include_str!("../../../../rules/review-overdue.md"),
    check: Check::Plan(check),
};

fn check(cx: &PlanContext<'_>, out: &mut Vec<Finding>) {
    let Some(review) = cx.plan.review.get() else {
        return;
    };
    if let Some(next) = review.next.spanned().filter(|next| next.value < cx.today) {
        out.push(
            cx.finding(
                &RULE,
                next.span,
                review.place.child("next"),
                format!(
                    "the review scheduled for {} has not happened (today is {})",
                    next.value, cx.today
                ),
            )
            .with_help(
                "review the plan, then set `last` to the review date and `next` to the next one",
            ),
        );
        return;
    }
    let (Some(last), Some(cadence)) = (review.last.spanned(), review.cadence.get()) else {
        return;
    };
    if let Some(due) = cadence.after(last.value).filter(|due| *due < cx.today) {
        out.push(
            cx.finding(
                &RULE,
                last.span,
                review.place.child("last"),
                format!(
                    "the last review was on {}; with its cadence the next was due by {due}",
                    last.value
                ),
            )
            .with_help("review the plan and set `last` to the review date"),
        );
    }
}
