//! `schedule-order` (PL015): dates in the plan are in a possible order.

use crate::{Check, Finding, Fixability, PlanContext, Rule, Severity};
use foldhash::HashMap;

pub static RULE: Rule = Rule {
    code: "PL015",
    name: "schedule-order",
    default_severity: Severity::Error,
    time_based: false,
    fix: Fixability::None,
    page: include_str!("../../../../rules/schedule-order.md"),
    check: Check::Plan(check),
};

fn check(cx: &PlanContext<'_>, out: &mut Vec<Finding>) {
    let plan = cx.plan;
    let timeline = plan.timeline.get();
    let start = timeline.and_then(|t| t.start.spanned());
    let end = timeline.and_then(|t| t.end.spanned());
    if let (Some(timeline), Some(start), Some(end)) = (timeline, start, end)
        && start.value > end.value
    {
        out.push(
            cx.finding(
                &RULE,
                start.span,
                timeline.place.child("start"),
                format!(
                    "the timeline starts on {} after it ends on {}",
                    start.value, end.value
                ),
            )
            .with_label(end.span, "ends here"),
        );
    }
    let milestones = plan.milestones.items();
    let due_by_id: HashMap<&str, _> = milestones
        .iter()
        .filter_map(|m| Some((*m.id.get()?, m.due.spanned()?)))
        .collect();
    for milestone in milestones {
        let Some(due) = milestone.due.spanned() else {
            continue;
        };
        let path = || milestone.place.child("due");
        let outside = match (start, end) {
            (Some(start), _) if due.value < start.value => {
                Some(format!("before the timeline starts on {}", start.value))
            }
            (_, Some(end)) if due.value > end.value => {
                Some(format!("after the timeline ends on {}", end.value))
            }
            _ => None,
        };
        if let Some(outside) = outside {
            out.push(cx.finding(
                &RULE,
                due.span,
                path(),
                format!("milestone due on {} is {outside}", due.value),
            ));
        }
        for dependency in milestone.depends_on.items() {
            if dependency.value.plan.is_some() {
                continue;
            }
            if let Some(before) = due_by_id
                .get(dependency.value.milestone)
                .filter(|d| d.value > due.value)
            {
                out.push(
                    cx.finding(
                        &RULE,
                        due.span,
                        path(),
                        format!(
                            "milestone due on {} depends on {}, due later on {}",
                            due.value, dependency.value, before.value
                        ),
                    )
                    .with_label(before.span, "due later"),
                );
            }
        }
    }
    for resource in plan.resources.items() {
        if let (Some(from), Some(until)) = (resource.from.spanned(), resource.until.spanned())
            && from.value > until.value
        {
            out.push(
                cx.finding(
                    &RULE,
                    from.span,
                    resource.place.child("from"),
                    format!(
                        "the allocation starts on {} after it ends on {}",
                        from.value, until.value
                    ),
                )
                .with_label(until.span, "ends here"),
            );
        }
    }
}
