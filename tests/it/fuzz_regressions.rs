//! Every input kept under `fuzz/regressions/<target>/` (crashes the fuzzers found, once fixed,
//! and inputs that once took too long) goes through the pipeline again, as its fuzz target
//! would feed it, on the stable toolchain.

use crate::support::repo_root;

fn files_for(target: &str, bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    match target {
        "lint_toml" => vec![("fuzz.plan.toml".to_owned(), bytes.to_vec())],
        "lint_json" => vec![("fuzz.plan.json".to_owned(), bytes.to_vec())],
        "lint_portfolio" => plan_lint::split_into_plans(bytes),
        "lint_hostile" => plan_lint::hostile_portfolio(bytes),
        other => panic!("fuzz/regressions/{other}: no such fuzz target"),
    }
}

#[test]
fn fuzz_regressions_lint_without_panicking() {
    let root = repo_root().join("fuzz/regressions");
    let mut replayed = 0;
    for target in std::fs::read_dir(&root).unwrap() {
        let target = target.unwrap();
        let name = target.file_name().to_string_lossy().into_owned();
        for input in std::fs::read_dir(target.path()).unwrap() {
            let input = input.unwrap().path();
            if input.file_name().is_some_and(|n| n == ".gitkeep") {
                continue;
            }
            let bytes = std::fs::read(&input).unwrap();
            let reports = plan_lint::lint_in_memory(
                &files_for(&name, &bytes),
                crate::support::TODAY.parse().unwrap(),
            );
            for (format, text) in [("json", &reports.json), ("sarif", &reports.sarif)] {
                serde_json::from_str::<serde_json::Value>(text).unwrap_or_else(|e| {
                    panic!(
                        "{}: the {format} report does not parse: {e}",
                        input.display()
                    )
                });
            }
            if let Some((format, c)) = plan_lint::raw_control_character(&reports) {
                panic!("{}: the {format} report holds a raw {c:?}", input.display());
            }
            replayed += 1;
        }
    }
    assert!(replayed > 0, "fuzz/regressions holds the inputs to replay");
}
