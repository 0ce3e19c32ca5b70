//! `plan-report`: the status report of a portfolio, for stakeholders who read neither plan
//! files nor lint output. [`model::build`] computes everything from a check run (the same
//! [`Report`](plan_engine::report::Report) `plan-lint check` renders, with each plan's
//! [`PlanFacts`](plan_engine::facts::PlanFacts)); [`html`], [`markdown`] and [`json`] lay
//! it out.

pub mod dates;
pub mod html;
pub mod json;
pub mod markdown;
pub mod model;
pub mod people;
pub mod source_url;
mod svg;

pub use model::{Context, StatusReport, build};
pub use source_url::{SourceUrl, SourceUrlError};
