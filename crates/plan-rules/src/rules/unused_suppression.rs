//! `unused-suppression` (PL901): every suppression silences something. Reported by the
//! suppression pass (`suppress.rs`), which knows which suppressions were used.

use crate::{Check, Fixability, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "PL901",
    name: "unused-suppression",
    default_severity: Severity::Warning,
    time_based: false,
    fix: Fixability::None,
    page: include_str!("../../../../rules/unused-suppression.md"),
    check: Check::Suppression,
};
