//! `missing-field` (PL103): reported by the plan model while it reads the file (see
//! `plan_model::SchemaProblem::MissingField`); this module gives it its identity and page.

use crate::{Check, Fixability, Rule, Severity};
use plan_model::SchemaProblem;

pub static RULE: Rule = Rule {
    code: "PL103",
    name: "missing-field",
    default_severity: Severity::Error,
    time_based: false,
    fix: Fixability::None,
    page: include_str!("../../../../rules/missing-field.md"),
    check: Check::Schema(SchemaProblem::MissingField),
};
