//! `mechanism-raci` (PL008): every planning and reporting mechanism says who does it, who is
//! consulted and who is informed.

use super::describe;
use crate::{Check, Finding, Fixability, PlanContext, Rule, Severity};
use plan_model::{Applicability, Field, Fix, Literal};

pub static RULE: Rule = Rule {
    code: "PL008",
    name: "mechanism-raci",
    default_severity: Severity::Warning,
    time_based: false,
    fix: Fixability::Safe,
    page: include_str!("../../../../rules/mechanism-raci.md"),
    check: Check::Plan(check),
};

fn check(cx: &PlanContext<'_>, out: &mut Vec<Finding>) {
    for mechanism in cx.plan.mechanisms.items() {
        // Written only for the mechanisms reported.
        let name = || describe::titled(&mechanism.name, &mechanism.place);
        let empty_responsible =
            matches!(&mechanism.responsible, Field::Valid(names) if names.value.is_empty());
        if mechanism.responsible.is_missing() || empty_responsible {
            out.push(
                cx.finding(
                    &RULE,
                    mechanism.responsible.span_or(mechanism.place.anchor),
                    mechanism.place.child("responsible"),
                    format!("mechanism {} names nobody responsible", name()),
                )
                .with_help("add `responsible = [\"…\"]`: the people who run it"),
            );
        }
        for (field, key) in [
            (&mechanism.consulted, "consulted"),
            (&mechanism.informed, "informed"),
        ] {
            if field.is_missing() {
                // An explicit empty list says what the absent key leaves unsaid: nobody.
                let fix = match field {
                    Field::Absent => mechanism
                        .place
                        .table
                        .and_then(|table| cx.editor.add_key(table, key, &Literal::EmptyList))
                        .map(|edit| {
                            Fix::new(Applicability::Safe, format!("add `{key} = []`"), edit)
                        }),
                    _ => None,
                };
                out.push(
                    cx.finding(
                        &RULE,
                        field.span_or(mechanism.place.anchor),
                        mechanism.place.child(key),
                        format!("mechanism {} does not say who is {key}", name()),
                    )
                    .with_help(format!(
                        "add `{key} = [\"…\"]`, or `{key} = []` when nobody is"
                    ))
                    .with_fix(fix),
                );
            }
        }
    }
}
