//! `plan-custom`: an organisation's own rules, written in CEL in `plan-lint.toml`
//! (`[[custom_rules]]`).
//!
//! This crate reads a rule's definition from the config's span-aware value tree and checks it
//! when the config is loaded, so that a broken rule is a config error at its exact place: a
//! CEL syntax error, a variable or function CEL would not know, a bad `for_each`, a code in the
//! built-in `PL` range, a name or code used twice. Every expression is compiled here once.

mod definition;
mod evaluate;
mod expression;
mod page;
mod values;

pub use definition::{
    CustomRule, Example, Expected, ForEach, Problem, plan_keys, read_custom_rules,
};
pub use evaluate::{ExampleResult, Hit, Outcome, PlanScope, check, run_example};
pub use expression::{Expression, Template};
pub use values::{plan_value, timestamp};
