//! `plan-lint explain <RULE>`: a rule's page.

use crate::error::RunError;

pub fn render(name_or_code: &str) -> Result<String, RunError> {
    let rule = plan_rules::rule_by_name_or_code(name_or_code).ok_or_else(|| {
        plan_engine::EngineError::UnknownRule {
            name: name_or_code.to_owned(),
            option: "`plan-lint explain`",
            help: plan_rules::unknown_rule_help(name_or_code),
        }
    })?;
    Ok(rule.page.to_owned())
}
