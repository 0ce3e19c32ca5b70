//! One module per output format. Only this module knows miette, JSON and the other formats;
//! rules produce plain findings.

pub mod concise;
pub mod github;
pub mod human;
pub mod json;
pub mod markdown;
pub mod run_error;
pub mod sarif;
pub mod statistics;
