//! Bytes as a `.plan.md` file: parse, every rule, every report. Any panic is a bug.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let today = jiff::civil::date(2026, 11, 25);
    let files = vec![("fuzz.plan.md".to_owned(), data.to_vec())];
    let reports = plan_lint::lint_in_memory(&files, today);
    // The machine-readable reports must stay documents whatever the input.
    assert!(reports.json.starts_with('{') && reports.json.trim_end().ends_with('}'));
    assert!(reports.sarif.starts_with('{') && reports.sarif.trim_end().ends_with('}'));
});
