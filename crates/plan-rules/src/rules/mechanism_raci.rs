//! `mechanism-raci` (PL008): every planning and reporting mechanism says who does it, who is
//! consulted and who is informed.

use super::describe;
use crate::{Check, Finding, PlanContext, Rule, Severity};
use plan_model::Field;

pub static RULE: Rule = Rule {
    code: "PL008",
    name: "mechanism-raci",
    default_severity: Severity::Warning,
    time_based: false,
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
                out.push(
                    cx.finding(
                        &RULE,
                        field.span_or(mechanism.place.anchor),
                        mechanism.place.child(key),
                        format!("mechanism {} does not say who is {key}", name()),
                    )
                    .with_help(format!(
                        "add `{key} = [\"…\"]`, or `{key} = []` when nobody is"
                    )),
                );
            }
        }
    }
}
