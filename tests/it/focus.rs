//! The editor's shortcut is exact: a portfolio check focused on some files (what the language
//! server does for its open plans) finds in those files exactly what the whole run finds there,
//! reported and suppressed alike.

use crate::support::{TODAY, plan_files, repo_root};
use plan_rules::{Defaults, FileReport, Outcome};

/// Every plan of the examples and of the fixtures' multi-plan folders, as one portfolio: ids
/// repeat across folders, people are shared, references cross, so every portfolio rule finds
/// something somewhere.
fn portfolio() -> Vec<(String, Vec<u8>)> {
    let mut paths = plan_files("examples");
    paths.extend(
        plan_files("fixtures")
            .into_iter()
            .filter(|path| path.matches('/').count() > 2),
    );
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let bytes = std::fs::read(repo_root().join(&path)).unwrap();
            (path, bytes)
        })
        .collect()
}

fn reports(files: &[(String, Vec<u8>)]) -> Vec<FileReport> {
    let today = TODAY.parse().unwrap();
    files
        .iter()
        .enumerate()
        .map(|(index, (path, bytes))| {
            let arena = plan_model::Arena::new();
            let parsed = plan_model::parse(
                path,
                plan_model::Format::of_path(path),
                bytes.clone(),
                &arena,
            );
            plan_rules::check_file(index, &parsed, today, None, &Defaults)
        })
        .collect()
}

/// What a check found in one file, written out in full.
fn in_file(outcome: &Outcome, file: usize) -> (Vec<String>, Vec<String>) {
    (
        outcome
            .findings
            .iter()
            .filter(|finding| finding.file == file)
            .map(|finding| format!("{finding:?}"))
            .collect(),
        outcome
            .suppressed
            .iter()
            .filter(|suppressed| suppressed.finding.file == file)
            .map(|suppressed| format!("{suppressed:?}"))
            .collect(),
    )
}

#[test]
fn a_focused_check_finds_in_its_files_what_the_whole_run_finds_there() {
    let files = portfolio();
    assert!(files.len() > 20, "the portfolio is too small to say much");
    let reports = reports(&files);
    let today = TODAY.parse().unwrap();
    let whole = plan_rules::check_portfolio(reports.clone(), today, &Defaults);
    let portfolio_findings = whole
        .findings
        .iter()
        .filter(|finding| {
            ["over-allocation", "dependency-cycle", "duplicate-plan-id"]
                .contains(&finding.rule.name)
        })
        .count();
    assert!(
        portfolio_findings > 3,
        "the portfolio rules find too little here"
    );
    // One file at a time, and every third file together.
    let mut foci: Vec<Vec<usize>> = (0..files.len()).map(|file| vec![file]).collect();
    foci.push((0..files.len()).step_by(3).collect());
    for focus in foci {
        let mut marks = vec![false; files.len()];
        for &file in &focus {
            marks[file] = true;
        }
        let focused =
            plan_rules::check_portfolio_for(reports.clone(), today, &Defaults, Some(&marks));
        for file in 0..files.len() {
            let found = in_file(&focused, file);
            if marks[file] {
                assert_eq!(
                    found,
                    in_file(&whole, file),
                    "{} focused on {focus:?}",
                    files[file].0
                );
            } else {
                assert_eq!(
                    found,
                    (vec![], vec![]),
                    "{} is outside the focus {focus:?}",
                    files[file].0
                );
            }
        }
    }
}
