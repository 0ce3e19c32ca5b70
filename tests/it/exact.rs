//! Exact numbers and names (issue 12): shares are counted exactly, finer ones are invalid,
//! and a person is the same person however their name was typed.

use crate::support::lint_texts;

fn plan(id: &str, resources: &str) -> String {
    format!(
        "[plan]\nid = \"{id}\"\ntitle = \"T\"\n\n[people]\ndelivery_lead = \"alice\"\nproblem_owner = \"bob\"\nteam = [\"alice\", \"bob\", \"Jos\u{e9}\", \"carol\"]\n\n{resources}"
    )
}

fn resource(person: &str, allocation: &str) -> String {
    format!("[[resources]]\nperson = \"{person}\"\nrole = \"r\"\nallocation = {allocation}\n")
}

fn found(texts: &[String], rule: &str) -> Vec<String> {
    let examples: Vec<(&str, &str)> = texts.iter().map(|t| ("toml", t.as_str())).collect();
    lint_texts(&examples)
        .into_iter()
        .filter(|(name, _)| name == rule)
        .map(|(_, path)| path)
        .collect()
}

#[test]
fn a_share_finer_than_a_ten_thousandth_is_invalid_not_rounded_away() {
    let text = plan(
        "a",
        &(resource("carol", "1.0") + &resource("carol", "0.00004")),
    );
    assert_eq!(found(&[text], "invalid-value"), ["resources[1].allocation"]);
    // 0.50005 twice was "100%"; each is invalid now, so nothing is summed wrongly.
    let text = plan(
        "b",
        &(resource("carol", "0.50005") + &resource("carol", "0.50005")),
    );
    assert_eq!(
        found(&[text], "invalid-value"),
        ["resources[0].allocation", "resources[1].allocation"]
    );
    // What is written exactly adds up exactly: 0.5 + 0.3 + 0.2 is full time, 0.0001 more is not.
    let full = resource("carol", "0.5") + &resource("carol", "0.3") + &resource("carol", "0.2");
    assert!(found(&[plan("c", &full)], "over-allocation").is_empty());
    let over = full + &resource("carol", "0.0001");
    assert_eq!(found(&[plan("d", &over)], "over-allocation").len(), 1);
}

#[test]
fn one_person_however_the_name_is_normalised() {
    // NFC in one plan, NFD in the other: one person at 120%.
    let nfc = plan("a", &resource("Jos\u{e9}", "0.6"));
    let nfd = plan("b", &resource("Jose\u{301}", "0.6"));
    assert_eq!(
        found(&[nfc, nfd], "over-allocation"),
        ["resources[0].allocation", "resources[0].allocation"]
    );
}

#[test]
fn names_with_spaces_at_the_ends_or_control_characters_are_invalid() {
    let text = plan(
        "a",
        &(resource("carol ", "0.6") + &resource("car\\u001bol", "0.6")),
    );
    assert_eq!(
        found(&[text], "invalid-value"),
        ["resources[0].person", "resources[1].person"]
    );
}

#[test]
fn json_shares_and_pointers_are_read_as_exactly() {
    let json = r#"{"plan": {"id": "j", "title": "T"},
      "people": {"delivery_lead": "alice", "problem_owner": "bob", "team": ["carol"]},
      "resources": [
        {"person": "carol", "role": "r", "allocation": 1.0},
        {"person": "carol", "role": "r", "allocation": 4e-5}
      ],
      "lint": {"allow": [{"rule": "over-allocation", "at": "/resources/+0", "reason": "r"}]}}"#;
    let findings: Vec<(String, String)> = lint_texts(&[("json", json)])
        .into_iter()
        .filter(|(rule, _)| rule == "invalid-value")
        .collect();
    assert_eq!(
        findings,
        [
            (
                "invalid-value".to_owned(),
                "resources[1].allocation".to_owned()
            ),
            ("invalid-value".to_owned(), "lint.allow[0].at".to_owned()),
        ]
    );
}
