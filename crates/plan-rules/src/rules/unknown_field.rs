//! `unknown-field` (PL101): reported by the plan model while it reads the file (see
//! `plan_model::SchemaProblem::UnknownField`); this module gives it its identity and page.

use crate::{Check, Fixability, Rule, Severity};
use plan_model::SchemaProblem;

pub static RULE: Rule = Rule {
    code: "PL101",
    name: "unknown-field",
    default_severity: Severity::Error,
    time_based: false,
    fix: Fixability::Unsafe,
    page: include_str!("../../../../rules/unknown-field.md"),
    check: Check::Schema(SchemaProblem::UnknownField),
};
