//! The effective settings of a check run: which rules run, at what severity, and what fails.

use crate::args::{CheckArgs, FailOn};
use crate::error::RunError;
use jiff::civil::Date;
use plan_rules::{Finding, RULES, Rule, Severity};
use std::fmt::Write;

#[derive(Debug)]
pub struct Settings {
    pub today: Date,
    pub fail_on: FailOn,
    /// The severity of each rule in registry order; `None` when the rule is off.
    severities: Vec<(&'static Rule, Option<Severity>)>,
}

impl Settings {
    pub fn from_args(args: &CheckArgs, today: Date) -> Result<Settings, RunError> {
        let selected = resolve(&args.select, "--select")?;
        let ignored = resolve(&args.ignore, "--ignore")?;
        let severities = RULES
            .iter()
            .map(|&rule| {
                let on =
                    (selected.is_empty() || selected.contains(&rule)) && !ignored.contains(&rule);
                (rule, on.then_some(rule.default_severity))
            })
            .collect();
        Ok(Settings {
            today,
            fail_on: args.fail_on,
            severities,
        })
    }

    fn severity(&self, rule: &Rule) -> Option<Severity> {
        self.severities
            .iter()
            .find(|(r, _)| *r == rule)
            .and_then(|(_, severity)| *severity)
    }

    /// Drop findings of rules that are off; give the others their configured severity.
    pub fn apply(&self, findings: Vec<Finding>) -> Vec<Finding> {
        findings
            .into_iter()
            .filter_map(|mut finding| {
                let configured = self.severity(finding.rule)?;
                // A rule may lower its own severity for a finding (a draft plan's missing
                // artefact is a warning); configuration then only changes the default.
                if configured != finding.rule.default_severity {
                    finding.severity = configured;
                }
                Some(finding)
            })
            .collect()
    }

    /// Whether a finding of this severity makes the run fail.
    pub fn fails(&self, severity: Severity) -> bool {
        match self.fail_on {
            FailOn::Error => severity >= Severity::Error,
            FailOn::Warning => severity >= Severity::Warning,
            FailOn::Note => true,
            FailOn::Never => false,
        }
    }

    /// The `--show-settings` text.
    pub fn describe(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "config file: none");
        let _ = writeln!(
            out,
            "include: **/*.plan.toml, **/*.plan.json (honouring .gitignore)"
        );
        let _ = writeln!(out, "exclude: none");
        let _ = writeln!(out, "today: {}", self.today);
        let fail_on = match self.fail_on {
            FailOn::Error => "error",
            FailOn::Warning => "warning",
            FailOn::Note => "note",
            FailOn::Never => "never",
        };
        let _ = writeln!(out, "fail-on: {fail_on}");
        let _ = writeln!(out, "rules:");
        for (rule, severity) in &self.severities {
            let severity = severity.map_or("off", Severity::as_str);
            let _ = writeln!(out, "  {} {:<22} {severity}", rule.code, rule.name);
        }
        out
    }
}

fn resolve(names: &[String], option: &'static str) -> Result<Vec<&'static Rule>, RunError> {
    names
        .iter()
        .map(|name| name.trim())
        .filter(|name| !name.is_empty())
        .map(|name| {
            plan_rules::rule_by_name_or_code(name).ok_or_else(|| RunError::UnknownRule {
                name: name.to_owned(),
                option,
                help: unknown_rule_help(name),
            })
        })
        .collect()
}

/// "did you mean" for a rule name, else where to find the list.
pub fn unknown_rule_help(name: &str) -> String {
    match plan_model::did_you_mean(name, RULES.iter().map(|rule| rule.name)) {
        Some(close) => format!("did you mean `{close}`?"),
        None => "`plan-lint rules` lists every rule".to_owned(),
    }
}
