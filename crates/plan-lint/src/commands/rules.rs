//! `plan-lint rules`: every rule with its code, name, default severity and summary.

use crate::args::RulesFormat;
use plan_rules::Registry;
use serde::Serialize;
use std::fmt::Write;

#[derive(Serialize)]
struct RuleEntry {
    code: &'static str,
    name: &'static str,
    severity: &'static str,
    time_based: bool,
    /// `none`, `safe` (`--fix` applies it) or `unsafe` (`--unsafe-fixes`).
    fix: &'static str,
    summary: &'static str,
}

pub fn render(format: RulesFormat, registry: &Registry) -> String {
    let rules = registry.rules();
    match format {
        RulesFormat::Json => {
            let entries: Vec<RuleEntry> = rules
                .iter()
                .map(|rule| RuleEntry {
                    code: rule.code,
                    name: rule.name,
                    severity: rule.default_severity.as_str(),
                    time_based: rule.time_based,
                    fix: rule.fix.as_str(),
                    summary: rule.summary(),
                })
                .collect();
            serde_json::to_string_pretty(&entries).unwrap_or_default() + "\n"
        }
        RulesFormat::Human => {
            let name_width = rules.iter().map(|rule| rule.name.len()).max().unwrap_or(0);
            let code_width = rules.iter().map(|rule| rule.code.len()).max().unwrap_or(0);
            let mut out = format!(
                "{:<code_width$}  {:<name_width$}  {:<7}  {:<6}  summary\n",
                "code", "name", "default", "fix"
            );
            for rule in rules {
                let fix = match rule.fix {
                    plan_rules::Fixability::None => "",
                    other => other.as_str(),
                };
                let _ = writeln!(
                    out,
                    "{:<code_width$}  {:<name_width$}  {:<7}  {fix:<6}  {}",
                    rule.code,
                    rule.name,
                    rule.default_severity.as_str(),
                    plan_engine::text::visible(rule.summary())
                );
            }
            out.push_str(
                "\n`plan-lint explain <name or code>` shows what a rule checks and why; `--fix`\napplies safe fixes, `--unsafe-fixes` the others too.\n",
            );
            out
        }
    }
}
