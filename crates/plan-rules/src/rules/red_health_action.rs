//! `red-health-action` (PL004): a plan whose health is red has a RAID entry acting on it and a
//! review scheduled.

use crate::{Check, Finding, Fixability, PlanContext, Rule, Severity};
use plan_model::{Field, Rag, RaidStatus, Spanned};

pub static RULE: Rule = Rule {
    code: "PL004",
    name: "red-health-action",
    default_severity: Severity::Error,
    time_based: false,
    fix: Fixability::None,
    page: include_str!("../../../../rules/red-health-action.md"),
    check: Check::Plan(check),
};

fn check(cx: &PlanContext<'_>, out: &mut Vec<Finding>) {
    let plan = cx.plan;
    let Some(health) = plan.health.spanned() else {
        return;
    };
    let health = &health.value;
    let Some(rag) = health.rag.spanned() else {
        return;
    };
    if rag.value != Rag::Red {
        return;
    }
    let mut unmet = Vec::new();
    let mut labels = Vec::new();
    match &health.actions {
        Field::Valid(actions) if !actions.value.is_empty() => {
            let entries = plan.raid.items();
            // An entry whose id or status is broken (reported where it is) may be the one
            // acting: one mistake, one finding.
            let some_id_broken = matches!(plan.raid, Field::Invalid { .. })
                || entries.iter().any(|entry| entry.id.get().is_none());
            let acting = actions.value.iter().any(|action| {
                let mut named = entries
                    .iter()
                    .filter(|entry| entry.id.get() == Some(&action.value))
                    .peekable();
                if named.peek().is_none() {
                    return some_id_broken;
                }
                named.any(|entry| {
                    matches!(
                        entry.status,
                        Field::Valid(Spanned {
                            value: RaidStatus::Open,
                            ..
                        }) | Field::Invalid { .. }
                    ) && !entry.owner.is_missing()
                        && !entry.due.is_missing()
                })
            });
            if !acting {
                unmet.push("none of the RAID entries in `health.actions` is open with an owner and a due date");
                labels.push((actions.span, "none of these is open, owned and dated"));
            }
        }
        Field::Invalid { .. } => {}
        _ => unmet.push("`health.actions` lists no RAID entry acting on it"),
    }
    let next_review = plan.review.get().map(|review| &review.next);
    if next_review.is_none_or(|next| next.is_missing())
        && !matches!(plan.review, Field::Invalid { .. })
    {
        unmet.push("no next review is scheduled (`review.next`)");
    }
    if unmet.is_empty() {
        return;
    }
    let mut finding = cx
        .finding(&RULE, rag.span, health.place.child("rag"), format!("health is red but {}", unmet.join("; and ")))
        .with_help("a red plan needs an open RAID entry with an `owner` and a `due` date listed in `health.actions`, and a `review.next` date");
    for (span, message) in labels {
        finding = finding.with_label(span, message);
    }
    out.push(finding);
}
