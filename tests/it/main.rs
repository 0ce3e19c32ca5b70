//! plan-lint's integration tests: one test binary (one link step), one module per concern.

mod adversarial;
mod cli;
mod config;
mod examples;
mod fixtures;
mod outputs;
mod sarif;
mod schema;
mod support;
mod suppressions;
mod tidy;
