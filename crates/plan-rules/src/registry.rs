//! Every rule of a run. The built-in rules are one static list, in code order; a project may
//! add its own (custom rules, from its config), and a [`Registry`] holds both. The command
//! line, `plan-lint rules`, `explain`, SARIF and the tests all enumerate a registry.

use crate::rules::*;
use crate::{Finding, PlanContext, Rule};
use plan_model::SchemaProblem;
use std::sync::{Arc, LazyLock, OnceLock};

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
    &custom_rule_error::RULE,
    &unjustified_suppression::RULE,
    &unused_suppression::RULE,
];

/// The built-in rule reporting a custom rule that could not be checked on some plan.
pub static CUSTOM_RULE_ERROR: &Rule = &custom_rule_error::RULE;

/// What checks a project's own rules, one plan at a time, while the plan's text is at hand.
/// The rules crate knows custom rules only as [`Rule`]s with [`Check::Custom`](crate::Check);
/// their evaluator (CEL, in `plan-custom`) lives outside it.
pub trait CustomChecks: Send + Sync {
    /// Check one plan against the custom rules `wanted` keeps, adding their findings (and
    /// `custom-rule-error` findings where a rule could not be evaluated).
    fn check(
        &self,
        cx: &PlanContext<'_>,
        wanted: &dyn Fn(&'static Rule) -> bool,
        findings: &mut Vec<Finding>,
    );
}

/// The rules of a run: the built-ins, then the project's custom rules in config order.
#[derive(Clone)]
pub struct Registry {
    rules: Vec<&'static Rule>,
    custom: Option<Arc<dyn CustomChecks>>,
    /// The rules' names made ready for "did you mean", once: a suppression may name thousands
    /// of rules that do not exist.
    names: OnceLock<plan_model::Suggestions<'static>>,
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.rules.iter().map(|rule| rule.name).collect();
        f.debug_struct("Registry").field("rules", &names).finish()
    }
}

static BUILT_IN: LazyLock<Registry> = LazyLock::new(|| Registry {
    rules: RULES.to_vec(),
    custom: None,
    names: OnceLock::new(),
});

impl Registry {
    /// The built-in rules alone.
    pub fn built_in() -> &'static Registry {
        &BUILT_IN
    }

    /// The built-in rules and a project's own, checked by `checks`. Custom rules come after
    /// the built-ins, in the order given.
    pub fn with_custom(custom: Vec<&'static Rule>, checks: Arc<dyn CustomChecks>) -> Registry {
        let mut rules = RULES.to_vec();
        rules.extend(custom);
        Registry {
            rules,
            custom: Some(checks),
            names: OnceLock::new(),
        }
    }

    /// Every rule, built-ins first.
    pub fn rules(&self) -> &[&'static Rule] {
        &self.rules
    }

    /// The project's own rules, in config order.
    pub fn custom_rules(&self) -> &[&'static Rule] {
        &self.rules[RULES.len()..]
    }

    /// What checks the custom rules, when the project has some.
    pub fn custom_checks(&self) -> Option<&dyn CustomChecks> {
        self.custom.as_deref()
    }

    /// Look a rule up by name (`raid-mitigation`) or code (`PL002`), ignoring case.
    pub fn by_name_or_code(&self, name_or_code: &str) -> Option<&'static Rule> {
        find(&self.rules, name_or_code)
    }

    /// The rule's place in [`Registry::rules`].
    pub fn index_of(&self, rule: &Rule) -> Option<usize> {
        self.rules.iter().position(|r| std::ptr::eq(*r, rule))
    }

    /// "did you mean" for a name that is not a rule, else where to find the list.
    pub fn unknown_rule_help(&self, name: &str) -> String {
        let names = self
            .names
            .get_or_init(|| plan_model::Suggestions::new(self.rules.iter().map(|rule| rule.name)));
        match names.closest(name) {
            Some(close) => format!("did you mean `{close}`?"),
            None => "`plan-lint rules` lists every rule".to_owned(),
        }
    }
}

fn find(rules: &[&'static Rule], name_or_code: &str) -> Option<&'static Rule> {
    let wanted = name_or_code.trim();
    rules.iter().copied().find(|rule| {
        rule.name.eq_ignore_ascii_case(wanted) || rule.code.eq_ignore_ascii_case(wanted)
    })
}

/// Look a built-in rule up by name (`raid-mitigation`) or code (`PL002`), ignoring case.
pub fn rule_by_name_or_code(name_or_code: &str) -> Option<&'static Rule> {
    find(RULES, name_or_code)
}

/// [`Registry::unknown_rule_help`] among the built-in rules.
pub fn unknown_rule_help(name: &str) -> String {
    Registry::built_in().unknown_rule_help(name)
}

pub(crate) fn rule_for_schema_problem(problem: SchemaProblem) -> &'static Rule {
    match problem {
        SchemaProblem::Syntax => &syntax_error::RULE,
        SchemaProblem::UnknownField => &unknown_field::RULE,
        SchemaProblem::InvalidValue => &invalid_value::RULE,
        SchemaProblem::MissingField => &missing_field::RULE,
    }
}
