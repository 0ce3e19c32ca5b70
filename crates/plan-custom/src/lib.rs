//! `plan-custom`: an organisation's own rules, written in CEL in `plan-lint.toml`
//! (`[[custom_rules]]`).
//!
//! This crate reads a rule's definition from the config's span-aware value tree and checks it
//! when the config is loaded, so that a broken rule is a config error at its exact place: a
//! CEL syntax error, a variable or function CEL would not know, a bad `for_each`, a code in the
//! built-in `PL` range, a name or code used twice. Every expression is compiled here once.

mod definition;
mod direct;
mod evaluate;
mod expression;
mod page;
mod values;

pub use definition::{
    CustomRule, Example, Expected, ForEach, Problem, plan_keys, read_custom_rules,
};
pub use evaluate::{ExampleResult, Hit, Outcome, check, check_all, run_example};
pub use expression::{Expression, Template};
pub use values::plan_value;

/// The rules of a config's first table, which must read without a problem (for tests).
#[cfg(test)]
pub(crate) fn rules_of(config: &str) -> Vec<CustomRule> {
    let arena = plan_model::value::Arena::new();
    let value = plan_model::parse_toml(config, &arena).unwrap();
    let plan_model::value::Kind::Table(table) = &value.kind else {
        panic!("a config is a table")
    };
    let (rules, problems) = read_custom_rules(&table.entries[0], config, &[]);
    assert_eq!(problems, vec![]);
    rules
}
