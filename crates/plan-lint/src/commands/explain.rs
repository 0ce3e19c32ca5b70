//! `plan-lint explain <RULE>`: a rule's page, built-in or custom, its examples in the plan
//! format asked for.

use crate::args::PlanFormat;
use crate::error::RunError;
use plan_rules::{Page, Registry};

pub fn render(
    name_or_code: &str,
    format: Option<PlanFormat>,
    registry: &Registry,
) -> Result<String, RunError> {
    let rule = registry.by_name_or_code(name_or_code).ok_or_else(|| {
        plan_engine::EngineError::UnknownRule {
            name: name_or_code.to_owned(),
            option: "`plan-lint explain`",
            help: registry.unknown_rule_help(name_or_code),
        }
    })?;
    // The pages write their examples in TOML.
    let format = format.map_or(plan_model::Format::Toml, PlanFormat::model);
    let page = Page::in_format(rule.page, format);
    if rule.code.starts_with("PL") {
        return Ok(page);
    }
    // A custom rule's page is the config's text: each line is shown with its control
    // characters escaped, so that no escape sequence in a rule reaches the terminal.
    let mut page: String = page
        .lines()
        .map(|line| plan_engine::text::visible(line).into_owned() + "\n")
        .collect();
    if page.is_empty() {
        page.push('\n');
    }
    Ok(page)
}
