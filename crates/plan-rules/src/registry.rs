//! Every built-in rule, in code order. The command line, `plan-lint rules`, `explain`, SARIF
//! and the tests all enumerate this one list.

use crate::Rule;
use crate::rules::*;
use plan_model::SchemaProblem;

pub static RULES: &[&Rule] = &[
    &accountable_owner::RULE,
    &raid_mitigation::RULE,
    &review_trigger::RULE,
    &red_health_action::RULE,
    &required_artefacts::RULE,
    &problem_owner::RULE,
    &design_plan::RULE,
    &mechanism_raci::RULE,
    &review_overdue::RULE,
    &health_stale::RULE,
    &unknown_person::RULE,
    &duplicate_id::RULE,
    &dangling_reference::RULE,
    &dependency_cycle::RULE,
    &schedule_order::RULE,
    &backlog_priority::RULE,
    &over_allocation::RULE,
    &milestone_overdue::RULE,
    &duplicate_plan_id::RULE,
    &syntax_error::RULE,
    &unknown_field::RULE,
    &invalid_value::RULE,
    &missing_field::RULE,
    &unjustified_suppression::RULE,
    &unused_suppression::RULE,
];

/// Look a rule up by name (`raid-mitigation`) or code (`PL002`), ignoring case.
pub fn rule_by_name_or_code(name_or_code: &str) -> Option<&'static Rule> {
    let wanted = name_or_code.trim();
    RULES.iter().copied().find(|rule| {
        rule.name.eq_ignore_ascii_case(wanted) || rule.code.eq_ignore_ascii_case(wanted)
    })
}

/// "did you mean" for a name that is not a rule, else where to find the list.
pub fn unknown_rule_help(name: &str) -> String {
    match plan_model::did_you_mean(name, RULES.iter().map(|rule| rule.name)) {
        Some(close) => format!("did you mean `{close}`?"),
        None => "`plan-lint rules` lists every rule".to_owned(),
    }
}

pub(crate) fn rule_for_schema_problem(problem: SchemaProblem) -> &'static Rule {
    match problem {
        SchemaProblem::Syntax => &syntax_error::RULE,
        SchemaProblem::UnknownField => &unknown_field::RULE,
        SchemaProblem::InvalidValue => &invalid_value::RULE,
        SchemaProblem::MissingField => &missing_field::RULE,
    }
}
