//! `custom-rule-error` (PL104): a project's custom rule could not be evaluated on some plan
//! (a type error on odd data). Reported by the custom rules' checker, at the entry concerned;
//! the run goes on.

use crate::{Check, Fixability, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "PL104",
    name: "custom-rule-error",
    default_severity: Severity::Error,
    time_based: false,
    fix: Fixability::None,
    page: include_str!("../../../../rules/custom-rule-error.md"),
    check: Check::Custom,
};
