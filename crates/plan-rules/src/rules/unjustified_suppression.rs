//! `unjustified-suppression` (PL900): every suppression says why. Reported by the suppression
//! pass (`suppress.rs`), which sees every suppression after the other rules ran.

use crate::{Check, Fixability, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "PL900",
    name: "unjustified-suppression",
    default_severity: Severity::Warning,
    time_based: false,
    fix: Fixability::None,
    page: include_str!("../../../../rules/unjustified-suppression.md"),
    check: Check::Suppression,
};
