//! `plan-lint rules`: every rule with its code, name, default severity and summary.

use crate::args::RulesFormat;
use plan_rules::RULES;
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

pub fn render(format: RulesFormat) -> String {
    match format {
        RulesFormat::Json => {
            let entries: Vec<RuleEntry> = RULES
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
            let name_width = RULES.iter().map(|rule| rule.name.len()).max().unwrap_or(0);
            let mut out = format!(
                "{:<5}  {:<name_width$}  {:<7}  {:<6}  summary\n",
                "code", "name", "default", "fix"
            );
            for rule in RULES {
                let fix = match rule.fix {
                    plan_rules::Fixability::None => "",
                    other => other.as_str(),
                };
                let _ = writeln!(
                    out,
                    "{}  {:<name_width$}  {:<7}  {fix:<6}  {}",
                    rule.code,
                    rule.name,
                    rule.default_severity.as_str(),
                    rule.summary()
                );
            }
            out.push_str(
                "\n`plan-lint explain <name or code>` shows what a rule checks and why; `--fix`\napplies safe fixes, `--unsafe-fixes` the others too.\n",
            );
            out
        }
    }
}
