//! The example plans give exactly the findings their `# expect: <rule> <path>` comments promise
//! (and the others none).

use crate::support::{TODAY, json_report, plan_files, plan_lint, repo_root};
use std::collections::BTreeSet;

#[test]
fn examples_give_exactly_the_promised_findings() {
    let report = json_report(&plan_lint(&[
        "--today", TODAY, "--format", "json", "examples",
    ]));
    let files = plan_files("examples");
    assert!(files.len() >= 3, "there are example plans");
    let mut clean = 0;
    for file in &files {
        let text = std::fs::read_to_string(repo_root().join(file)).unwrap();
        let promised: BTreeSet<String> = text
            .lines()
            .filter_map(|l| l.strip_prefix("# expect: "))
            .map(|l| l.trim().to_owned())
            .collect();
        let found: BTreeSet<String> = report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["file"] == file.as_str())
            .map(|d| {
                format!(
                    "{} {}",
                    d["rule"].as_str().unwrap(),
                    d["path"].as_str().unwrap()
                )
            })
            .collect();
        assert_eq!(found, promised, "{file}");
        clean += usize::from(promised.is_empty());
    }
    assert!(clean >= 1, "at least one example is clean");
    // The README's first screen says how many are clean and how many are not.
    let readme = std::fs::read_to_string(repo_root().join("README.md")).unwrap();
    let claim = readme
        .split_once("# lint the example plans (")
        .and_then(|(_, rest)| rest.split_once(')'))
        .map(|(claim, _)| claim)
        .expect("the README's first command says what the examples hold");
    let failing = files.len() - clean;
    assert_eq!(
        claim,
        format!(
            "{} are clean, {} are not",
            in_words(clean),
            in_words(failing)
        ),
    );
    assert!(
        readme.contains(&format!(
            "because {} of the examples have problems to show",
            in_words(failing)
        )),
        "the README says how many examples fail"
    );
}

fn in_words(n: usize) -> &'static str {
    [
        "no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    ]
    .get(n)
    .copied()
    .unwrap_or("many")
}

/// The README's "What it looks like" is what plan-lint prints for its command.
#[test]
fn the_readme_shows_what_its_command_prints() {
    let readme = std::fs::read_to_string(repo_root().join("README.md")).unwrap();
    let (_, block) = readme
        .split_once("## What it looks like\n\n```text\n$ plan-lint ")
        .expect("the README shows a run");
    let (command, rest) = block.split_once('\n').unwrap();
    let (shown, _) = rest.split_once("```").unwrap();
    let mut args: Vec<&str> = command.split_whitespace().collect();
    args.push("--no-color");
    let output = plan_lint(&args);
    assert_eq!(
        crate::support::stdout(&output),
        shown,
        "plan-lint {command}"
    );
}
