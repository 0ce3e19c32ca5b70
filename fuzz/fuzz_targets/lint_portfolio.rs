//! Bytes split into several plan files (TOML and JSON) linted together: the portfolio rules
//! (cross-plan references, cycles, over-allocation, duplicate ids) on whatever parses.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let today = jiff::civil::date(2026, 11, 25);
    let files = plan_lint::split_into_plans(data);
    let _ = plan_lint::lint_in_memory(&files, today);
});
