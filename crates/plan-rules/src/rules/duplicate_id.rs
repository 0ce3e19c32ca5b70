//! `duplicate-id` (PL012): ids are unique within each collection of the plan.

use crate::{Check, Finding, Fixability, PlanContext, Rule, Severity};
use foldhash::HashMap;
use foldhash::HashMapExt as _;
use plan_model::{Span, Spanned};

pub static RULE: Rule = Rule {
    code: "PL012",
    name: "duplicate-id",
    default_severity: Severity::Error,
    time_based: false,
    fix: Fixability::None,
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
    let ids: Vec<(usize, &Spanned<&str>)> = ids
        .enumerate()
        .filter_map(|(index, id)| Some((index, id?)))
        .collect();
    // Each id's first place and how many entries use it: every repeat says how many there are.
    let mut uses: HashMap<&str, (Span, usize)> = HashMap::with_capacity(ids.len());
    for (_, id) in &ids {
        uses.entry(id.value).or_insert((id.span, 0)).1 += 1;
    }
    for (index, id) in ids {
        let (first_span, count) = uses[id.value];
        if first_span == id.span {
            continue;
        }
        // Named by index: the id no longer names one entry.
        out.push(
            cx.finding(
                &RULE,
                id.span,
                format!("{collection}[{index}].id"),
                format!("`{}` is used by {count} `{collection}` entries", id.value),
            )
            .with_label(first_span, "first used here")
            .with_help("give each entry its own id; references to it are ambiguous otherwise"),
        );
    }
}
