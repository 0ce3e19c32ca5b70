//! `milestone-overdue` (PL018): no milestone is still planned after its due date.

use crate::{Check, Finding, Fixability, PlanContext, Rule, Severity};
use plan_model::MilestoneStatus;

pub static RULE: Rule = Rule {
    code: "PL018",
    name: "milestone-overdue",
    default_severity: Severity::Warning,
    time_based: true,
    fix: Fixability::None,
    page: include_str!("../../../../rules/milestone-overdue.md"),
    check: Check::Plan(check),
};

fn check(cx: &PlanContext<'_>, out: &mut Vec<Finding>) {
    for milestone in cx.plan.milestones.items() {
        // A milestone without a status is planned.
        let planned = milestone.status.is_missing()
            || milestone.status.get() == Some(&MilestoneStatus::Planned);
        let Some(due) = milestone.due.spanned() else {
            continue;
        };
        if planned && due.value < cx.today {
            let name = super::describe::entry(&milestone.id, &milestone.place);
            out.push(
                cx.finding(&RULE, due.span, milestone.place.child("due"), format!("milestone {name} was due on {} and is still planned", due.value))
                    .with_help("set `status` to \"done\", \"at-risk\" or \"missed\", or re-plan its `due` date"),
            );
        }
    }
}
