//! `required-artefacts` (PL005): the plan holds every governance and implementation artefact
//! the procedure lists.

use crate::{Check, Finding, Fixability, PlanContext, Rule, Severity};
use plan_model::{Field, MechanismKind, PlanStatus};

pub static RULE: Rule = Rule {
    code: "PL005",
    name: "required-artefacts",
    default_severity: Severity::Error,
    time_based: false,
    fix: Fixability::None,
    page: include_str!("../../../../rules/required-artefacts.md"),
    check: Check::Plan(check),
};

fn check(cx: &PlanContext<'_>, out: &mut Vec<Finding>) {
    let plan = cx.plan;
    let mut missing: Vec<(Option<plan_model::Span>, &str, &str, &str)> = Vec::new();
    if plan.timeline.is_absent() {
        missing.push((
            None,
            "timeline",
            "the plan has no `[timeline]`",
            "add `[timeline]` with `start` and `end` dates",
        ));
    }
    for (field, key, message, help) in [
        (
            list_state(&plan.milestones),
            "milestones",
            "the plan has no milestones",
            "add a `[[milestones]]` entry for each milestone of the milestone plan",
        ),
        (
            list_state(&plan.backlog),
            "backlog",
            "the plan has no prioritised backlog",
            "add `[[backlog]]` entries, each with a `priority`",
        ),
        (
            list_state(&plan.resources),
            "resources",
            "the plan has no resourcing plan",
            "add a `[[resources]]` entry for each person assigned, with their `allocation`",
        ),
        (
            list_state(&plan.raci),
            "raci",
            "the plan has no RACI",
            "add `[[raci]]` entries naming who is responsible and accountable for each activity",
        ),
    ] {
        if let Some(span) = field {
            missing.push((span, key, message, help));
        }
    }
    if plan.raid.is_absent() {
        missing.push((
            None,
            "raid",
            "the plan has no RAID log",
            "add `[[raid]]` entries, or `raid = []` if there is nothing to log yet",
        ));
    }
    let has_status_report = match &plan.mechanisms {
        Field::Valid(mechanisms) => mechanisms
            .value
            .iter()
            .any(|m| m.kind.get() == Some(&MechanismKind::StatusReport)),
        Field::Invalid { .. } => true,
        _ => false,
    };
    if !has_status_report {
        missing.push((
            plan.mechanisms.span(),
            "mechanisms",
            "the plan has no status reporting mechanism",
            "add a `[[mechanisms]]` entry with `kind = \"status-report\"` saying how status is reported",
        ));
    }
    if plan.health.is_absent() {
        missing.push((
            None,
            "health",
            "the plan has no `[health]` assessment",
            "add `[health]` with a `rag` status and its `as_of` date",
        ));
    }
    let draft = plan.status() == Some(PlanStatus::Draft);
    for (span, key, message, help) in missing {
        let finding = cx
            .finding(&RULE, span.unwrap_or_default(), key, message)
            .with_help(help);
        out.push(if draft {
            finding.with_severity(Severity::Warning)
        } else {
            finding
        });
    }
}

/// `None` when the list has entries (or was already reported as invalid); `Some(where)` when
/// it is absent (`Some(None)`) or empty (`Some(Some(span))`).
fn list_state<T>(field: &Field<&[T]>) -> Option<Option<plan_model::Span>> {
    match field {
        Field::Valid(list) if list.value.is_empty() => Some(Some(list.span)),
        Field::Absent | Field::Blank { .. } => Some(field.span()),
        _ => None,
    }
}
