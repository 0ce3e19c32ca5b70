//! Bytes split into several plan files (TOML and JSON) linted together: the portfolio rules
//! (cross-plan references, cycles, over-allocation, duplicate ids) on whatever parses.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let today = jiff::civil::date(2026, 11, 25);
    // A byte 0xFF (never in UTF-8 text) separates files; they alternate TOML and JSON.
    let files: Vec<(String, Vec<u8>)> = data
        .split(|&b| b == 0xFF)
        .take(16)
        .enumerate()
        .map(|(i, bytes)| {
            let extension = if i % 2 == 0 { "toml" } else { "json" };
            (format!("p{i}.plan.{extension}"), bytes.to_vec())
        })
        .collect();
    let _ = plan_lint::lint_in_memory(&files, today);
});
