//! The status report as JSON: the same numbers as the page, for tools and for checking.

use crate::model::StatusReport;

pub fn render(report: &StatusReport) -> String {
    let mut out = serde_json::to_string_pretty(report).unwrap_or_default();
    out.push('\n');
    out
}
