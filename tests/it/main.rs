//! plan-lint's integration tests: one test binary (one link step), one module per concern.

mod action;
mod adversarial;
mod baseline;
mod cascades;
mod cli;
mod config;
mod confinement;
mod determinism;
mod exact;
mod examples;
mod filesystem;
mod first_hour;
mod fixtures;
mod fuzz_regressions;
mod hostile_output;
mod messages;
mod outputs;
mod precommit;
mod project;
mod properties;
mod sarif;
mod scale;
mod schema;
mod support;
mod suppressions;
mod tidy;
