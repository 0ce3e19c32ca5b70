//! Hostile and broken input: findings or exit 2, never a panic, a hang or a stack overflow.

use crate::support::{TODAY, json_report, plan_lint_in, repo_root, stderr};
use std::fs;

/// Run plan-lint on one file with the given bytes; return the JSON report.
fn lint_bytes(name: &str, bytes: &[u8]) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join(name), bytes).unwrap();
    let output = plan_lint_in(dir.path(), &["--today", TODAY, "--format", "json", name]);
    assert!(
        matches!(output.status.code(), Some(0..=2)),
        "{name}: exit {:?}\n{}",
        output.status,
        stderr(&output)
    );
    assert!(
        !stderr(&output).contains("panicked"),
        "{name}: {}",
        stderr(&output)
    );
    json_report(&output)
}

fn codes(report: &serde_json::Value) -> Vec<String> {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn random_bytes_are_a_syntax_error() {
    // A fixed linear congruential sequence: the same "random" bytes in every run.
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    for round in 0..8 {
        let bytes: Vec<u8> = (0..4096)
            .map(|_| {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                (state >> 33) as u8
            })
            .collect();
        for ext in ["toml", "json"] {
            let report = lint_bytes(&format!("r{round}.plan.{ext}"), &bytes);
            assert_eq!(codes(&report), ["PL100"]);
        }
    }
}

#[test]
fn every_truncation_of_a_plan_parses_or_reports_without_panicking() {
    for fixture in [
        "fixtures/raid-mitigation/fail.plan.toml",
        "fixtures/raid-mitigation/fail.plan.json",
    ] {
        let text = fs::read_to_string(repo_root().join(fixture)).unwrap();
        let format = plan_model::Format::of_path(fixture);
        let today = TODAY.parse().unwrap();
        // In-process: thousands of cuts, each through the whole pipeline.
        for cut in (0..text.len()).filter(|&i| text.is_char_boundary(i)) {
            let parsed = plan_model::parse(fixture, format, &text.as_bytes()[..cut]);
            for finding in plan_rules::check(
                std::slice::from_ref(&parsed),
                &plan_rules::Facts::today(today),
                &plan_rules::Defaults,
            )
            .findings
            {
                assert!(
                    finding.span.end <= parsed.source.text.len(),
                    "{fixture} cut at {cut}"
                );
            }
        }
        let report = lint_bytes(
            &format!(
                "cut.plan.{}",
                if fixture.ends_with("json") {
                    "json"
                } else {
                    "toml"
                }
            ),
            &text.as_bytes()[..text.len() / 2],
        );
        assert!(!codes(&report).is_empty());
    }
}

#[test]
fn deeply_nested_input_is_a_syntax_error_not_a_stack_overflow() {
    let depth = 10_000;
    let json = format!("{{\"plan\": {}1{}}}", "[".repeat(depth), "]".repeat(depth));
    assert_eq!(
        codes(&lint_bytes("deep.plan.json", json.as_bytes())),
        ["PL100"]
    );
    let objects = format!("{}{}", "{\"a\":".repeat(depth), "}".repeat(depth));
    assert_eq!(
        codes(&lint_bytes("objects.plan.json", objects.as_bytes())),
        ["PL100"]
    );
    let toml = format!("x = {}1{}", "[".repeat(depth), "]".repeat(depth));
    assert_eq!(
        codes(&lint_bytes("deep.plan.toml", toml.as_bytes())),
        ["PL100"]
    );
    let inline = format!("x = {}{}", "{a=".repeat(depth), "}".repeat(depth));
    assert_eq!(
        codes(&lint_bytes("inline.plan.toml", inline.as_bytes())),
        ["PL100"]
    );
}

#[test]
fn a_file_over_the_size_limit_is_reported_not_read() {
    let big = vec![b'#'; 50 * 1024 * 1024];
    let report = lint_bytes("big.plan.toml", &big);
    assert_eq!(codes(&report), ["PL100"]);
    let message = report["diagnostics"][0]["message"].as_str().unwrap();
    assert!(message.contains("larger than 10 MB"), "{message}");
}

#[test]
fn invalid_utf8_is_a_syntax_error_at_the_bad_byte() {
    let report = lint_bytes("bad.plan.toml", b"version = 1\n[plan]\nid = \"a\xff\"\n");
    assert_eq!(codes(&report), ["PL100"]);
    let d = &report["diagnostics"][0];
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(3), Some(8))
    );
    assert!(d["message"].as_str().unwrap().contains("UTF-8"));
}

#[test]
fn empty_bom_only_and_crlf_files_are_handled() {
    assert!(
        codes(&lint_bytes("empty.plan.toml", b"")).contains(&"PL103".into()),
        "an empty TOML file is a plan with nothing in it"
    );
    assert_eq!(
        codes(&lint_bytes("empty.plan.json", b"")),
        ["PL100"],
        "an empty JSON file holds no value"
    );
    assert!(codes(&lint_bytes("bom.plan.toml", "\u{feff}".as_bytes())).contains(&"PL103".into()));

    // CRLF line ends and a BOM give the same lines and columns as LF.
    let text =
        fs::read_to_string(repo_root().join("fixtures/raid-mitigation/fail.plan.toml")).unwrap();
    let crlf = format!("\u{feff}{}", text.replace('\n', "\r\n"));
    let positions = |report: &serde_json::Value| -> Vec<(u64, u64)> {
        report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| (d["line"].as_u64().unwrap(), d["column"].as_u64().unwrap()))
            .collect()
    };
    let lf = lint_bytes("lf.plan.toml", text.as_bytes());
    let crlf = lint_bytes("crlf.plan.toml", crlf.as_bytes());
    assert_eq!(codes(&lf), codes(&crlf));
    assert_eq!(positions(&lf), positions(&crlf));
}

#[test]
fn a_plan_that_is_not_a_table_is_reported() {
    assert_eq!(
        codes(&lint_bytes("array.plan.json", b"[1, 2, 3]")),
        ["PL102"]
    );
    assert_eq!(codes(&lint_bytes("null.plan.json", b"null")), ["PL102"]);
}
