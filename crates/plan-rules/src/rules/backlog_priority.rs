//! `backlog-priority` (PL016): every backlog item has its own priority.

use crate::{Check, Finding, Fixability, PlanContext, Rule, Severity};
use foldhash::HashMap;
use foldhash::HashMapExt as _;
use plan_model::{Applicability, BacklogItem, Fix, Literal, Span};

pub static RULE: Rule = Rule {
    code: "PL016",
    name: "backlog-priority",
    default_severity: Severity::Warning,
    time_based: false,
    fix: Fixability::Unsafe,
    page: include_str!("../../../../rules/backlog-priority.md"),
    check: Check::Plan(check),
};

fn check(cx: &PlanContext<'_>, out: &mut Vec<Finding>) {
    // Names and paths are only written for the items reported.
    let name = |item: &BacklogItem| super::describe::entry(&item.id, &item.place);
    let mut first: HashMap<i64, (Span, &BacklogItem)> = HashMap::new();
    // A shared priority's fix moves the later item after every ranked one, each to a rank of
    // its own.
    let mut free = cx
        .plan
        .backlog
        .items()
        .iter()
        .filter_map(|item| item.priority.get().copied())
        .max()
        .unwrap_or(0);
    for item in cx.plan.backlog.items() {
        let path = || item.place.child("priority");
        if item.priority.is_missing() {
            out.push(
                cx.finding(
                    &RULE,
                    item.priority.span_or(item.place.anchor),
                    path(),
                    format!("backlog item {} has no priority", name(item)),
                )
                .with_help(
                    "add `priority = N`: 1 is the most important, and no two items share a rank",
                ),
            );
            continue;
        }
        let Some(priority) = item.priority.spanned() else {
            continue;
        };
        match first.get(&priority.value) {
            None => {
                first.insert(priority.value, (priority.span, item));
            }
            Some((first_span, first_item)) => {
                let fix = item.place.value("priority").and_then(|value| {
                    free = free.checked_add(1)?;
                    Some(Fix::new(
                        Applicability::Unsafe,
                        format!("renumber it to priority {free}, after every other item"),
                        cx.editor.replace(value.span, &Literal::Integer(free)),
                    ))
                });
                out.push(
                    cx.finding(
                        &RULE,
                        priority.span,
                        path(),
                        format!(
                            "backlog item {} shares priority {} with {}",
                            name(item),
                            priority.value,
                            name(first_item)
                        ),
                    )
                    .with_label(*first_span, "same priority")
                    .with_help("a prioritised backlog ranks every item: give each its own priority")
                    .with_fix(fix),
                );
            }
        }
    }
}
