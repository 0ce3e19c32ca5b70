//! Bytes as the texts a pull request writes into a plan (a file name, a key, people, ids,
//! references, a rule name), in a TOML plan and its JSON twin: no report may carry a raw
//! control or bidirectional character (issue 12), and JSON and SARIF must parse.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let today = jiff::civil::date(2026, 11, 25);
    let reports = plan_lint::lint_in_memory(&plan_lint::hostile_portfolio(data), today);
    if let Some((format, c)) = plan_lint::raw_control_character(&reports) {
        panic!("the {format} report holds a raw {c:?}");
    }
});
