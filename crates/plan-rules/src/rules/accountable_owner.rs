//! `accountable-owner` (PL001): the plan, every RACI row and every reporting mechanism has
//! exactly one accountable person.

use super::describe;
use crate::{Check, Finding, Fixability, PlanContext, Rule, Severity};
use plan_model::{Accountable, Applicability, Field, Fix, Literal, Place, Spanned};

pub static RULE: Rule = Rule {
    code: "PL001",
    name: "accountable-owner",
    default_severity: Severity::Error,
    time_based: false,
    fix: Fixability::Safe,
    page: include_str!("../../../../rules/accountable-owner.md"),
    check: Check::Plan(check),
};

fn check(cx: &PlanContext<'_>, out: &mut Vec<Finding>) {
    let plan = cx.plan;
    match &plan.people {
        Field::Absent => out.push(
            cx.finding(&RULE, Default::default(), "people.delivery_lead", "the plan names no delivery lead")
                .with_help("add `[people]` with `delivery_lead = \"…\"`: the Delivery Lead is accountable for the plan"),
        ),
        Field::Valid(people) if people.value.delivery_lead.is_missing() => {
            let people = &people.value;
            out.push(
                cx.finding(
                    &RULE,
                    people.delivery_lead.span_or(people.place.anchor),
                    people.place.child("delivery_lead"),
                    "the plan names no delivery lead",
                )
                .with_help("add `delivery_lead = \"…\"` under `[people]`: the Delivery Lead is accountable for the plan"),
            );
        }
        _ => {}
    }
    for row in plan.raci.items() {
        let what = || {
            format!(
                "RACI activity {}",
                describe::titled(&row.activity, &row.place)
            )
        };
        check_accountable(cx, &row.accountable, &row.place, what, out);
    }
    for mechanism in plan.mechanisms.items() {
        let what = || {
            format!(
                "mechanism {}",
                describe::titled(&mechanism.name, &mechanism.place)
            )
        };
        check_accountable(cx, &mechanism.accountable, &mechanism.place, what, out);
    }
}

fn check_accountable(
    cx: &PlanContext<'_>,
    accountable: &Field<Accountable>,
    place: &Place,
    // The entry as messages name it, written only when there is a finding.
    what: impl Fn() -> String,
    out: &mut Vec<Finding>,
) {
    let path = || place.child("accountable");
    let finding = match accountable {
        Field::Absent | Field::Blank { .. } => cx
            .finding(
                &RULE,
                accountable.span_or(place.anchor),
                path(),
                format!("{} has no accountable person", what()),
            )
            .with_help("add `accountable = \"…\"` naming the one person who answers for it"),
        Field::Valid(spanned) => match &spanned.value {
            Accountable::One(_) => return,
            Accountable::Many(names) => {
                let what = what();
                let message = match names.len() {
                    0 => format!("{what} has an empty list where one accountable person belongs"),
                    1 => format!("{what} gives `accountable` as a list; it must be one name"),
                    n => format!(
                        "{what} has {n} accountable people; exactly one person is accountable"
                    ),
                };
                let help = match names.first() {
                    Some(first) if names.len() == 1 => {
                        format!("write `accountable = \"{}\"`", first.value)
                    }
                    _ => "keep one name in `accountable` and move the others to `responsible`"
                        .to_owned(),
                };
                let fix = match names {
                    [one] => one_name(cx, place, one),
                    _ => None,
                };
                cx.finding(&RULE, spanned.span, path(), message)
                    .with_help(help)
                    .with_fix(fix)
            }
        },
        Field::Invalid { .. } => return,
    };
    out.push(finding);
}

/// `accountable = ["alice"]` written as `accountable = "alice"`: the same one person. Safe
/// unless a comment sits inside the list, which the edit would drop.
fn one_name(cx: &PlanContext<'_>, place: &Place, name: &Spanned<&str>) -> Option<Fix> {
    let list = place.value("accountable")?;
    let text = cx.source.text.get(list.span.range())?;
    let at = name.span.start.checked_sub(list.span.start)?;
    let around = [text.get(..at)?, text.get(at + name.span.len()..)?];
    let applicability = if around.iter().any(|part| part.contains('#')) {
        Applicability::Unsafe
    } else {
        Applicability::Safe
    };
    Some(Fix::new(
        applicability,
        format!("write `accountable = \"{}\"`", name.value),
        cx.editor.replace(list.span, &Literal::String(name.value)),
    ))
}
