//! Findings do not depend on how many threads check the files, nor on the order in which
//! files are named: the report of a run is the same byte for byte.

use crate::support::TODAY;
use std::process::Command;

/// Every fixture and example in a repository of their own: this repository's config lints
/// only the examples.
fn copies() -> &'static std::path::Path {
    static COPIES: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    COPIES
        .get_or_init(|| crate::support::isolated(&["fixtures", "examples"]))
        .path()
}

fn report(threads: &str, paths: &[&str]) -> Vec<u8> {
    let mut args = vec!["--today", TODAY, "--format", "json"];
    args.extend_from_slice(paths);
    let output = Command::new(env!("CARGO_BIN_EXE_plan-lint"))
        .args(&args)
        .current_dir(copies())
        .env("RAYON_NUM_THREADS", threads)
        .output()
        .unwrap();
    assert!(matches!(output.status.code(), Some(0 | 1)));
    output.stdout
}

#[test]
fn the_report_is_the_same_whatever_the_thread_count_and_path_order() {
    // Every fixture and example in one run: portfolio rules see many plans at once.
    let paths = ["fixtures", "examples"];
    let one_thread = report("1", &paths);
    assert!(one_thread.len() > 10_000, "a substantial report");
    for threads in ["2", "3", "8"] {
        assert!(
            one_thread == report(threads, &paths),
            "{threads} threads give another report"
        );
    }
    assert!(
        one_thread == report("2", &["examples", "fixtures"]),
        "path order changes the report"
    );
    let named: Vec<String> = crate::support::plan_files("fixtures");
    let mut reversed: Vec<&str> = named.iter().map(String::as_str).collect();
    reversed.reverse();
    let mut forward: Vec<&str> = named.iter().map(String::as_str).collect();
    forward.push("examples");
    reversed.push("examples");
    assert!(
        report("2", &forward) == report("2", &reversed),
        "files named in another order give another report"
    );
}
