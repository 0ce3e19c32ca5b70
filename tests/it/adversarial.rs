//! Hostile and broken input: findings or exit 2, never a panic, a hang or a stack overflow.

use crate::support::{
    TODAY, diagnostic_fields, json_report, plan_lint_in, plan_lint_in_bounded, repo_root, stderr,
    stdout,
};
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
    diagnostic_fields(report, ["code"])
        .into_iter()
        .map(|[code]| code)
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
        for ext in ["toml", "json", "yaml"] {
            let report = lint_bytes(&format!("r{round}.plan.{ext}"), &bytes);
            assert_eq!(codes(&report), ["PL100"]);
        }
    }
}

/// Every cut of `text`, read as the plan file `name` in-process through the whole pipeline
/// (thousands of cuts), parses or gives findings, each inside what was read.
fn every_truncation_is_located(name: &str, text: &str) {
    let format = plan_model::Format::of_path(name);
    let today = TODAY.parse().unwrap();
    for cut in (0..text.len()).filter(|&i| text.is_char_boundary(i)) {
        let arena = plan_model::Arena::new();
        let parsed = plan_model::parse(name, format, &text.as_bytes()[..cut], &arena);
        for finding in plan_rules::check(
            std::slice::from_ref(&parsed),
            &plan_rules::Facts::today(today),
            &plan_rules::Defaults,
        )
        .findings
        {
            assert!(
                finding.span.end <= parsed.source.text.len(),
                "{name} cut at {cut}"
            );
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
        every_truncation_is_located(fixture, &text);
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

#[test]
fn a_lone_carriage_return_is_a_toml_syntax_error_and_json_whitespace() {
    let report = lint_bytes("cr.plan.toml", b"version = 1\r[plan]\rid = \"a\"\r");
    assert_eq!(codes(&report), ["PL100"]);
    // JSON counts CR as whitespace; lines are counted at LF only, so this is one line.
    let report = lint_bytes("cr.plan.json", b"{\r\"version\": 1,\r\"plan\": 3\r}");
    let codes = codes(&report);
    assert!(codes.contains(&"PL102".to_owned()) && !codes.contains(&"PL100".to_owned()));
    for finding in report["diagnostics"].as_array().unwrap() {
        assert_eq!(finding["line"], 1);
    }
}

#[test]
fn nul_bytes_are_a_syntax_error_where_they_stand() {
    for (name, bytes) in [
        (
            "nul.plan.toml",
            &b"version = 1\n[plan]\nid = \"a\0b\"\n"[..],
        ),
        (
            "nul.plan.json",
            &b"{\"version\": 1,\n\"plan\": {\"id\": \"a\0b\"}}"[..],
        ),
        ("nul-outside.plan.toml", &b"version = 1\n\0\n"[..]),
    ] {
        let report = lint_bytes(name, bytes);
        assert_eq!(codes(&report), ["PL100"], "{name}");
        assert!(
            report["diagnostics"][0]["line"].as_u64().unwrap() >= 2,
            "{name}"
        );
    }
}

#[test]
fn duplicate_keys_are_a_syntax_error_in_both_formats() {
    let toml = lint_bytes("dup.plan.toml", b"version = 1\nversion = 1\n");
    assert_eq!(codes(&toml), ["PL100"]);
    assert_eq!(toml["diagnostics"][0]["line"], 2);
    let json = lint_bytes("dup.plan.json", b"{\"version\": 1,\n \"version\": 1}");
    assert_eq!(codes(&json), ["PL100"]);
    assert_eq!(json["diagnostics"][0]["line"], 2);
}

#[test]
fn a_one_megabyte_line_is_located_by_characters() {
    // A JSON plan on one line, with a 1 MB string of two-byte characters before the error.
    let padding = "é".repeat(512 * 1024);
    let text = format!("{{\"version\": 1, \"plan\": {{\"title\": \"{padding}\", \"id\": 7}}}}");
    let report = lint_bytes("long.plan.json", text.as_bytes());
    let id = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["path"] == "plan.id")
        .expect("the id is reported");
    assert_eq!(id["line"], 1);
    // Columns count characters, not bytes: the value `7` comes after the padding.
    let column = text[..text.find("7}").unwrap()].chars().count() as u64 + 1;
    assert_eq!(id["column"], column);
}

/// A whole plan on one line, with `count` open risks that lack a mitigation (their titles
/// in characters of two and four bytes) put first in its RAID log: compact JSON, which is
/// also YAML's flow style.
fn plan_on_one_line(count: usize) -> String {
    let fixture = fs::read_to_string(
        repo_root().join("fixtures/raid-mitigation/pass-closed-and-assumptions.plan.json"),
    )
    .unwrap();
    let compact =
        serde_json::to_string(&serde_json::from_str::<serde_json::Value>(&fixture).unwrap())
            .unwrap();
    let (head, tail) = compact
        .split_once("\"raid\":[")
        .expect("the fixture has a RAID log");
    let mut risks = String::new();
    for n in 0..count {
        risks.push_str(&format!(
            "{{\"id\":\"R-{}\",\"type\":\"risk\",\"title\":\"rísk 😀 {n}\",\"owner\":\"alice\",\"status\":\"open\",\"severity\":\"high\"}},",
            n + 1000
        ));
    }
    format!("{head}\"raid\":[{risks}{tail}")
}

#[test]
fn a_plan_on_one_line_has_each_finding_at_its_column() {
    // Each column is counted in characters from the line's start: once for every finding by
    // walking the line (quadratic: 165 s for 50,000 such risks on a 5 MB line), now by counts
    // kept every few kilobytes. The places are checked against a count of their own.
    let count = 3_000;
    let text = plan_on_one_line(count);
    assert!(!text.contains('\n'));
    for name in ["one-line.plan.json", "one-line.plan.yaml"] {
        let report = lint_bytes(name, text.as_bytes());
        let mut found = 0;
        for finding in report["diagnostics"].as_array().unwrap() {
            if finding["rule"] != "raid-mitigation" {
                continue;
            }
            let path = finding["path"].as_str().unwrap();
            let id = path
                .strip_prefix("raid[")
                .and_then(|rest| rest.strip_suffix("].mitigation"))
                .unwrap();
            let entry = text.find(&format!("{{\"id\":\"{id}\"")).unwrap();
            assert_eq!(finding["line"], 1, "{name}: {path}");
            assert_eq!(
                finding["column"],
                text[..entry].chars().count() as u64 + 1,
                "{name}: {path}"
            );
            found += 1;
        }
        assert_eq!(found, count, "{name}");
    }
}

#[test]
fn the_human_report_of_a_plan_on_one_line_shows_each_finding_near_its_place() {
    // Each snippet is the part of the line around its finding, not the whole line: a whole
    // 300 KB line for each of 3,000 findings would be a report of a gigabyte.
    let count = 3_000;
    let text = plan_on_one_line(count);
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("one-line.plan.json"), &text).unwrap();
    let output = plan_lint_in_bounded(
        dir.path(),
        &[
            "--today",
            TODAY,
            "--no-color",
            "--select",
            "raid-mitigation",
            "one-line.plan.json",
        ],
    );
    let report = String::from_utf8_lossy(&output.stdout);
    assert_eq!(report.matches("has no mitigation").count(), count);
    assert!(
        report.len() < count * 1_000,
        "{} bytes for {count} findings",
        report.len()
    );
    // The last risk: its header at its line and column (characters), and its snippet the
    // text around it.
    let id = format!("R-{}", count - 1 + 1000);
    let entry = text.find(&format!("{{\"id\":\"{id}\"")).unwrap();
    let column = text[..entry].chars().count() + 1;
    let at = report
        .find(&format!("open risk {id} has no mitigation"))
        .expect("the last risk is reported");
    let shown = &report[at..];
    assert!(
        shown.contains(&format!("[one-line.plan.json:1:{column}]")),
        "{}",
        &shown[..shown.len().min(600)]
    );
    assert!(shown.contains(&format!("{{\"id\":\"{id}\",\"type\":\"risk\"")));
}

#[test]
fn labels_far_apart_on_a_long_line_are_each_drawn_near_their_place() {
    // A duplicate id half a megabyte along a minified plan, its first use at the start: drawn
    // in one snippet, the line up to the duplicate was past 65,535 columns, where miette
    // panicked and the report was lost. Each is now a snippet of its own.
    let count = 9_000;
    let entries: Vec<String> = (0..count)
        .map(|i| {
            let id = if i == count - 1 { 0 } else { i };
            format!(r#"{{"id":"R-{id}","type":"risk","title":"t","status":"closed"}}"#)
        })
        .collect();
    let text = format!(
        r#"{{"version":1,"plan":{{"id":"p","title":"T"}},"raid":[{}]}}"#,
        entries.join(",")
    );
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("d.plan.json"), &text).unwrap();
    let output = plan_lint_in_bounded(
        dir.path(),
        &["--today", TODAY, "--no-color", "--select", "duplicate-id"],
    );
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let report = stdout(&output);
    let column = |at: usize| text[..at].chars().count() + 1;
    let first = column(text.find(r#""id":"R-0""#).unwrap());
    let again = column(text.rfind(r#""id":"R-0""#).unwrap());
    assert!(again > 65_535, "the duplicate is past 65,535 columns");
    let primary = report
        .find(&format!("[d.plan.json:1:{again}]"))
        .expect("the duplicate");
    let label = report
        .find("☞ first used here")
        .expect("its first use, as a note");
    assert!(primary < label);
    assert!(report[label..].contains(&format!("[d.plan.json:1:{first}]")));
    assert!(report.ends_with("1 error in 1 of 1 plan\n"), "{report}");
    assert!(report.len() < 2_000, "{} bytes", report.len());
}

#[test]
fn a_misspelt_key_in_every_entry_of_a_one_line_plan_is_one_finding_each_and_one_fix_each() {
    // Each `unknown-field` explains its risk's missing mitigation (one mistake, one finding):
    // that was decided by comparing every finding with every misspelling, and the diff of the
    // fixes searched the rest of the line for every change, both quadratic here.
    let count = 3_000;
    let text = plan_on_one_line(count).replace(
        "\"severity\":\"high\"}",
        "\"severity\":\"high\",\"mitigaton\":\"watch it\"}",
    );
    for name in ["one-line.plan.json", "one-line.plan.yaml"] {
        let report = lint_bytes(name, text.as_bytes());
        let rules = diagnostic_fields(&report, ["rule"]);
        let count_of = |rule: &str| rules.iter().filter(|[r]| r == rule).count();
        assert_eq!(count_of("unknown-field"), count, "{name}");
        assert_eq!(count_of("raid-mitigation"), 0, "{name}");

        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(name), &text).unwrap();
        let diff = plan_lint_in_bounded(
            dir.path(),
            &["--today", TODAY, "--diff", "--unsafe-fixes", name],
        );
        let (diff, error) = (String::from_utf8_lossy(&diff.stdout), stderr(&diff));
        let added: Vec<&str> = diff.lines().filter(|line| line.starts_with('+')).collect();
        assert_eq!(
            added.len(),
            2,
            "{name}: the header and the one line; {error}"
        );
        assert_eq!(
            added[1].matches("\"mitigation\":\"watch it\"").count(),
            count,
            "{name}"
        );
        assert!(!added[1].contains("mitigaton"), "{name}");
        // Applied, the fixes leave a plan with nothing to say about those risks (a renamed
        // YAML key keeps its quotes: `mitigation:"watch it"` would be one plain key).
        let fixed = plan_lint_in_bounded(
            dir.path(),
            &["--today", TODAY, "--fix", "--unsafe-fixes", name],
        );
        assert!(fixed.status.code().is_some(), "{name}: {}", stderr(&fixed));
        let after = fs::read(dir.path().join(name)).unwrap();
        let rules = diagnostic_fields(&lint_bytes(name, &after), ["rule"]);
        assert!(
            !rules
                .iter()
                .any(|[rule]| rule == "unknown-field" || rule == "raid-mitigation"),
            "{name}: {rules:?}"
        );
    }
}

/// The `raid-mitigation` findings of a big plan `file` in `dir` (about 10 MB: over the
/// default size limit, so the limit is raised).
fn raid_mitigation_findings(dir: &std::path::Path, file: &str) -> usize {
    let output = plan_lint_in(
        dir,
        &[
            "--today",
            TODAY,
            "--format",
            "json",
            "--max-file-size",
            "50 MB",
            file,
        ],
    );
    json_report(&output)["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "raid-mitigation")
        .count()
}

#[test]
fn a_hundred_thousand_raid_entries_are_all_checked() {
    let mut text = fs::read_to_string(
        repo_root().join("fixtures/raid-mitigation/pass-closed-and-assumptions.plan.toml"),
    )
    .unwrap();
    for i in 0..100_000 {
        text.push_str(&format!(
            "\n[[raid]]\nid = \"R-{}\"\ntype = \"risk\"\ntitle = \"risk {i}\"\nowner = \"alice\"\nstatus = \"open\"\nseverity = \"high\"\n",
            i + 1000
        ));
    }
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("many.plan.toml"), &text).unwrap();
    assert_eq!(
        raid_mitigation_findings(dir.path(), "many.plan.toml"),
        100_000
    );
    // The human report shows each finding's lines without rescanning the file from its start
    // (that was quadratic: minutes for this file).
    let human = plan_lint_in_bounded(
        dir.path(),
        &[
            "--today",
            TODAY,
            "--max-file-size",
            "50 MB",
            "many.plan.toml",
        ],
    );
    let last = format!("{} │ id = \"R-100999\"", text.lines().count() - 5);
    assert!(
        String::from_utf8_lossy(&human.stdout).contains(&last),
        "the last entry is shown at its line"
    );
}

#[test]
fn the_size_limit_is_configurable() {
    let dir = tempfile::tempdir().unwrap();
    let plan = fs::read_to_string(
        repo_root().join("fixtures/raid-mitigation/pass-closed-and-assumptions.plan.toml"),
    )
    .unwrap();
    fs::write(dir.path().join("a.plan.toml"), &plan).unwrap();
    let run = |args: &[&str]| {
        let mut all = vec!["--today", TODAY, "--format", "json"];
        all.extend_from_slice(args);
        plan_lint_in(dir.path(), &all)
    };
    let limited = json_report(&run(&["--max-file-size", "1 KB"]));
    assert_eq!(codes(&limited), ["PL100"]);
    let message = limited["diagnostics"][0]["message"].as_str().unwrap();
    assert!(message.contains("larger than 1 KB"), "{message}");

    fs::write(
        dir.path().join("plan-lint.toml"),
        "max_file_size = \"1 KB\"\n",
    )
    .unwrap();
    assert_eq!(codes(&json_report(&run(&[]))), ["PL100"]);
    // The command line wins over the config.
    assert!(codes(&json_report(&run(&["--max-file-size", "1MB"]))).is_empty());

    fs::write(dir.path().join("plan-lint.toml"), "max_file_size = 0\n").unwrap();
    let bad = run(&[]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("more than 0"), "{}", stderr(&bad));
    let bad = run(&["--max-file-size", "lots"]);
    assert_eq!(bad.status.code(), Some(2));
}

/// YAML gets the same treatment: every truncation of a plan, NUL bytes, invalid UTF-8, CRLF
/// and a BOM, an empty file, deep nesting, a 1 MB line of two-byte characters, a plan that is
/// not a mapping, and 100,000 RAID entries in about linear time.
#[test]
fn yaml_plans_survive_what_toml_and_json_plans_do() {
    let toml =
        fs::read_to_string(repo_root().join("fixtures/raid-mitigation/fail.plan.toml")).unwrap();
    let text = plan_model::convert::toml_to_yaml(&toml).unwrap();
    every_truncation_is_located("cut.plan.yaml", &text);

    let at = |report: &serde_json::Value| {
        let d = &report["diagnostics"][0];
        (d["line"].as_u64().unwrap(), d["column"].as_u64().unwrap())
    };
    let nul = lint_bytes("nul.plan.yaml", b"version: 1\nplan:\n  id: \"a\0b\"\n");
    assert_eq!(codes(&nul), ["PL100"]);
    assert_eq!(at(&nul).0, 3);
    let bad = lint_bytes("bad.plan.yaml", b"version: 1\nplan:\n  id: a\xff\n");
    assert_eq!(codes(&bad), ["PL100"]);
    assert_eq!(at(&bad), (3, 8));
    assert_eq!(codes(&lint_bytes("empty.plan.yaml", b"")), ["PL100"]);
    assert_eq!(
        codes(&lint_bytes("list.plan.yaml", b"- 1\n- 2\n")),
        ["PL102"]
    );

    let lf = lint_bytes("lf.plan.yaml", text.as_bytes());
    let crlf = format!("\u{feff}{}", text.replace('\n', "\r\n"));
    let crlf = lint_bytes("crlf.plan.yaml", crlf.as_bytes());
    let positions = |report: &serde_json::Value| -> Vec<(String, u64, u64)> {
        report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                let n = |key: &str| d[key].as_u64().unwrap();
                (d["code"].to_string(), n("line"), n("column"))
            })
            .collect()
    };
    assert!(!positions(&lf).is_empty());
    assert_eq!(positions(&lf), positions(&crlf));

    let depth = 10_000;
    let deep = format!("plan: {}1{}\n", "[".repeat(depth), "]".repeat(depth));
    assert_eq!(
        codes(&lint_bytes("deep.plan.yaml", deep.as_bytes())),
        ["PL100"]
    );
    let block: String = (0..300).map(|i| format!("{}a:\n", " ".repeat(i))).collect();
    assert_eq!(
        codes(&lint_bytes("block.plan.yaml", block.as_bytes())),
        ["PL100"]
    );

    let padding = "é".repeat(512 * 1024);
    let long = format!("version: 1\nplan: {{title: \"{padding}\", id: 7}}\n");
    let report = lint_bytes("long.plan.yaml", long.as_bytes());
    let id = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["path"] == "plan.id")
        .expect("the id is reported");
    let line_start = long.find("plan:").unwrap();
    let column = long[line_start..long.find("7}").unwrap()].chars().count() as u64 + 1;
    assert_eq!(
        (id["line"].as_u64(), id["column"].as_u64()),
        (Some(2), Some(column))
    );

    let mut many = plan_model::convert::toml_to_yaml(
        &fs::read_to_string(
            repo_root().join("fixtures/raid-mitigation/pass-closed-and-assumptions.plan.toml"),
        )
        .unwrap(),
    )
    .unwrap();
    let raid_at = many.find("\nraid:\n").expect("the fixture has a RAID log") + "\nraid:\n".len();
    let entries: String = (0..100_000)
        .map(|i| {
            format!(
                "  - id: R-{}\n    type: risk\n    title: risk {i}\n    owner: alice\n    status: open\n    severity: high\n",
                i + 1000
            )
        })
        .collect();
    many.insert_str(raid_at, &entries);
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("many.plan.yaml"), &many).unwrap();
    assert_eq!(
        raid_mitigation_findings(dir.path(), "many.plan.yaml"),
        100_000
    );
}

/// Markdown plans: every truncation, invalid UTF-8, a 1 MB cell of two-byte characters, a
/// table of 100,000 rows, and cells full of pipes, backslashes and comment markers.
#[test]
fn markdown_plans_survive_what_the_other_formats_do() {
    let toml =
        fs::read_to_string(repo_root().join("fixtures/raid-mitigation/fail.plan.toml")).unwrap();
    let text = plan_model::convert::toml_to_markdown(&toml).unwrap();
    every_truncation_is_located("cut.plan.md", &text);
    let bad = lint_bytes("bad.plan.md", b"---\nplan:\n  id: a\xff\n---\n");
    assert_eq!(codes(&bad), ["PL100"]);

    // A 1 MB cell, then a value the schema rejects after it on the same row.
    let padding = "é".repeat(512 * 1024);
    let long = format!(
        "## Backlog\n\n| ID | Title | Priority |\n|---|---|---|\n| B-1 | {padding} | zero |\n"
    );
    let report = lint_bytes("long.plan.md", long.as_bytes());
    let priority = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["path"] == "backlog[B-1].priority")
        .expect("the priority is reported");
    let row = long.find("| B-1").unwrap();
    let column = long[row..long.find("zero").unwrap()].chars().count() as u64 + 1;
    assert_eq!(
        (priority["line"].as_u64(), priority["column"].as_u64()),
        (Some(5), Some(column))
    );

    // Cells of nothing but markup never panic and keep the row's cell count honest.
    let odd = "## RAID log\n\n| ID | Owner |\n|---|---|\n| \\| | <!-- , --> |\n| `|` | <!--, |\n| é\\ | -->,,, |\n";
    let report = lint_bytes("odd.plan.md", odd.as_bytes());
    assert!(!codes(&report).is_empty());

    let mut many = plan_model::convert::toml_to_markdown(
        &fs::read_to_string(
            repo_root().join("fixtures/raid-mitigation/pass-closed-and-assumptions.plan.toml"),
        )
        .unwrap(),
    )
    .unwrap();
    let header = "| ID | Type | Title | Owner | Status | Severity |\n|---|---|---|---|---|---|\n";
    many.push_str("\n## Risks, assumptions, issues and dependencies\n\n");
    many.push_str(header);
    for i in 0..100_000 {
        many.push_str(&format!(
            "| R-{} | risk | risk {i} | alice | open | high |\n",
            i + 1000
        ));
    }
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("many.plan.md"), &many).unwrap();
    assert_eq!(
        raid_mitigation_findings(dir.path(), "many.plan.md"),
        100_000
    );
}
