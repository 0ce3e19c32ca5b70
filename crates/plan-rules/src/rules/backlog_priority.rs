//! `backlog-priority` (PL016): every backlog item has its own priority.

use crate::{Check, Finding, PlanContext, Rule, Severity};
use foldhash::HashMap;
use foldhash::HashMapExt as _;
use plan_model::{BacklogItem, Span};

pub static RULE: Rule = Rule {
    code: "PL016",
    name: "backlog-priority",
    default_severity: Severity::Warning,
    time_based: false,
    page: include_str!("../../../../rules/backlog-priority.md"),
    check: Check::Plan(check),
};

fn check(cx: &PlanContext<'_>, out: &mut Vec<Finding>) {
    // Names and paths are only written for the items reported.
    let name = |item: &BacklogItem| super::describe::entry(&item.id, &item.place);
    let mut first: HashMap<i64, (Span, &BacklogItem)> = HashMap::new();
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
            Some((first_span, first_item)) => out.push(
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
                .with_help("a prioritised backlog ranks every item: give each its own priority"),
            ),
        }
    }
}
