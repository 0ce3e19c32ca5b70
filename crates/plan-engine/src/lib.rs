//! `plan-engine`: everything between a path and a report, shared by the command line and the
//! language server. It finds the project and its settings for a folder (`confine`, `config`,
//! `settings`), finds its plans (`discover`), reads and checks them in two stages (`load`, then
//! `plan_rules::check_portfolio`), and names, baselines and fixes findings (`identity`,
//! `baseline`, `fixes`). What a run found is a [`report::Report`]; rendering it is the
//! caller's business. Nothing here prints.

pub mod baseline;
pub mod changed;
pub mod config;
pub mod confine;
pub mod custom;
pub mod design_plan;
pub mod discover;
pub mod error;
pub mod facts;
pub mod file_error;
pub mod fixes;
pub mod identity;
pub mod load;
pub mod markdown;
pub mod options;
pub mod patch;
pub mod paths;
pub mod report;
pub mod settings;
pub mod size;
pub mod text;

pub use error::EngineError;
pub use file_error::FileError;
pub use options::{FailOn, Options};

/// Today's date in UTC: what time-based rules see unless a caller fixes the date.
pub fn today_utc() -> jiff::civil::Date {
    jiff::tz::Offset::UTC
        .to_datetime(jiff::Timestamp::now())
        .date()
}
