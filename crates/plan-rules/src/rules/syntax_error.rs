//! `syntax-error` (PL100): reported by the plan model while it reads the file (see
//! `plan_model::SchemaProblem::Syntax`); this module gives it its identity and page.

use crate::{Check, Fixability, Rule, Severity};
use plan_model::SchemaProblem;

pub static RULE: Rule = Rule {
    code: "PL100",
    name: "syntax-error",
    default_severity: Severity::Error,
    time_based: false,
    fix: Fixability::None,
    page: include_str!("../../../../rules/syntax-error.md"),
    check: Check::Schema(SchemaProblem::Syntax),
};
