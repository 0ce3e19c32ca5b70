//! `invalid-value` (PL102): reported by the plan model while it reads the file (see
//! `plan_model::SchemaProblem::InvalidValue`); this module gives it its identity and page.

use crate::{Check, Fixability, Rule, Severity};
use plan_model::SchemaProblem;

pub static RULE: Rule = Rule {
    code: "PL102",
    name: "invalid-value",
    default_severity: Severity::Error,
    time_based: false,
    fix: Fixability::Unsafe,
    page: include_str!("../../../../rules/invalid-value.md"),
    check: Check::Schema(SchemaProblem::InvalidValue),
};
