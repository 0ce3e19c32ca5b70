//! One mistake, one finding (issue 13): what a misspelt key or a broken id causes elsewhere is
//! left to the finding about the mistake itself, in TOML and JSON alike.

use crate::support::lint_texts;

const CLEAN: &str = include_str!("../../examples/payments-migration.plan.toml");

/// (rule, logical path) of every finding of a plan text.
fn findings(language: &str, text: &str) -> Vec<(String, String)> {
    let mut found = lint_texts(&[(language, text)]);
    found.sort();
    found
}

/// The example, edited: `from` replaced by `to` once, which must be there.
fn edited(from: &str, to: &str) -> String {
    assert!(CLEAN.contains(from), "the example holds {from:?}");
    CLEAN.replacen(from, to, 1)
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = expected
        .iter()
        .map(|(rule, path)| ((*rule).to_owned(), (*path).to_owned()))
        .collect();
    pairs.sort();
    pairs
}

#[test]
fn the_example_is_clean_to_start_with() {
    assert_eq!(findings("toml", CLEAN), []);
}

#[test]
fn a_misspelt_problem_owner_is_one_unknown_field_and_nothing_about_the_owner() {
    let text = edited("problem_owner = \"bob\"", "problem_ownr = \"bob\"");
    assert_eq!(
        findings("toml", &text),
        pairs(&[("unknown-field", "people.problem_ownr")]),
        "no problem-owner finding, and bob (named under the misspelt key) is no stranger"
    );
}

#[test]
fn a_misspelt_key_of_an_entry_or_a_table_is_one_finding() {
    let text = edited("mitigation = ", "mitgation = ");
    assert_eq!(
        findings("toml", &text),
        pairs(&[("unknown-field", "raid[R-1].mitgation")])
    );
    let text = edited("[timeline]", "[timelin]");
    assert_eq!(
        findings("toml", &text),
        pairs(&[("unknown-field", "timelin")])
    );
    // A key that is close to nothing still leaves the absence to be reported.
    let text = edited("problem_owner = \"bob\"", "sponsor = \"bob\"");
    assert!(
        findings("toml", &text).contains(&(
            "problem-owner".to_owned(),
            "people.problem_owner".to_owned()
        )),
        "{:?}",
        findings("toml", &text)
    );
}

#[test]
fn a_broken_id_is_one_invalid_value_not_dangling_references_to_it() {
    let text = edited("id = \"M1\"", "id = \"M 1\"");
    assert_eq!(
        findings("toml", &text),
        pairs(&[("invalid-value", "milestones[0].id")])
    );
    let text = edited("id = \"R-1\"", "id = \"R 1\"");
    assert_eq!(
        findings("toml", &text),
        pairs(&[("invalid-value", "raid[0].id")])
    );
    // Red health acting through that entry: still only the broken id.
    let red = text.replacen("rag = \"amber\"", "rag = \"red\"", 1);
    assert_eq!(
        findings("toml", &red),
        pairs(&[("invalid-value", "raid[0].id")])
    );
}

#[test]
fn the_json_twin_cuts_the_same_cascades() {
    let json = include_str!("../../examples/warehouse-robotics.plan.json");
    assert_eq!(findings("json", json), []);
    let text = json.replacen("\"problem_owner\"", "\"problemOwner\"", 1);
    assert_eq!(
        findings("json", &text),
        pairs(&[("unknown-field", "people.problemOwner")])
    );
}
