//! `duplicate-id` (PL012): ids are unique within each collection of the plan.

use crate::{Check, Finding, PlanContext, Rule, Severity};
use foldhash::HashMap;
use foldhash::HashMapExt as _;
use plan_model::{Span, Spanned};

pub static RULE: Rule = Rule {
    code: "PL012",
    name: "duplicate-id",
    default_severity: Severity::Error,
    time_based: false,
    page: include_str!("../../../../rules/duplicate-id.md"),
    check: Check::Plan(check),
};

fn check(cx: &PlanContext<'_>, out: &mut Vec<Finding>) {
    let plan = cx.plan;
    report_duplicates(
        cx,
        out,
        "milestones",
        plan.milestones.items().iter().map(|m| m.id.spanned()),
    );
    report_duplicates(
        cx,
        out,
        "backlog",
        plan.backlog.items().iter().map(|b| b.id.spanned()),
    );
    report_duplicates(
        cx,
        out,
        "raid",
        plan.raid.items().iter().map(|r| r.id.spanned()),
    );
}

fn report_duplicates<'a>(
    cx: &PlanContext<'_>,
    out: &mut Vec<Finding>,
    collection: &str,
    ids: impl Iterator<Item = Option<&'a Spanned<&'a str>>>,
) {
    let mut first: HashMap<&str, Span> = HashMap::with_capacity(ids.size_hint().0);
    for (index, id) in ids.enumerate() {
        let Some(id) = id else { continue };
        match first.get(id.value) {
            None => {
                first.insert(id.value, id.span);
            }
            // Named by index: the id no longer names one entry.
            Some(&first_span) => out.push(
                cx.finding(
                    &RULE,
                    id.span,
                    format!("{collection}[{index}].id"),
                    format!("`{}` is used by two `{collection}` entries", id.value),
                )
                .with_label(first_span, "first used here")
                .with_help("give each entry its own id; references to it are ambiguous otherwise"),
            ),
        }
    }
}
