//! The inputs of the scale table (docs/RELIABILITY.md, `plan-lint-scale`), smaller, with their
//! outputs checked exactly: what was quadratic is now right, at any size. Times are the
//! benchmark's business, not these tests'.

use crate::support::{TODAY, diagnostic_fields, json_report, plan_lint_in_bounded, stderr, stdout};
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

fn plan_head(id: &str) -> String {
    format!(
        "[plan]\nid = \"{id}\"\ntitle = \"Scale\"\n\n[people]\ndelivery_lead = \"alice\"\nproblem_owner = \"bob\"\nteam = [\"alice\", \"bob\", \"chen\"]\n\n[timeline]\nstart = 2026-01-01\nend = 2027-12-31\n\n"
    )
}

fn lint(dir: &Path, args: &[&str]) -> std::process::Output {
    let mut all = vec!["--today", TODAY, "--no-color"];
    all.extend_from_slice(args);
    plan_lint_in_bounded(dir, &all)
}

fn lines_and_rules(report: &serde_json::Value) -> Vec<(u64, String)> {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["line"].as_u64().unwrap(),
                d["rule"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn stacked_suppression_comments_each_cover_the_key_below_the_stack() {
    let dir = tempfile::tempdir().unwrap();
    let stack = 5_000;
    let mut text = String::from("[plan]\nid = \"s\"\ntitle = \"S\"\n");
    for _ in 0..stack {
        text.push_str("# plan-lint: allow(unknown-field) -- accepted\n");
    }
    // Line 4 + stack: the one key every comment covers.
    text.push_str("colour = \"blue\"\n");
    fs::write(dir.path().join("s.plan.toml"), &text).unwrap();
    let output = lint(
        dir.path(),
        &[
            "--format",
            "json",
            "--select",
            "unknown-field,unused-suppression",
        ],
    );
    let report = json_report(&output);
    // The finding is silenced (by the first comment), and every comment counts as used.
    assert_eq!(lines_and_rules(&report), []);
    assert_eq!(report["summary"]["suppressed"], 1);
}

#[test]
fn thousands_of_findings_in_one_plan_render_in_the_human_report_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let count = 3_000;
    let mut text = plan_head("d");
    for _ in 0..count {
        text.push_str(
            "[[raid]]\nid = \"R-1\"\ntype = \"risk\"\ntitle = \"t\"\nstatus = \"closed\"\n",
        );
    }
    fs::write(dir.path().join("d.plan.toml"), &text).unwrap();
    let output = lint(dir.path(), &["--select", "duplicate-id"]);
    let human = stdout(&output);
    assert_eq!(human.matches("× `R-1` is used by ").count(), count - 1);
    assert_eq!(human.matches("first used here").count(), count - 1);
    // In order, each at its own entry: the n-th duplicate entry starts at line 15 + 5n.
    let places: Vec<String> = human
        .lines()
        .filter_map(|l| l.trim().strip_prefix("╭─[d.plan.toml:"))
        .filter(|at| *at != "15:1]")
        .map(str::to_owned)
        .collect();
    let expected: Vec<String> = (1..count).map(|n| format!("{}:1]", 15 + 5 * n)).collect();
    assert!(
        places == expected,
        "the findings are not each at their own entry, in order"
    );
    assert!(human.ends_with(&format!("{} errors in 1 of 1 plan\n", count - 1)));
}

#[test]
fn findings_against_many_lint_allow_entries_match_exactly_the_right_ones() {
    let dir = tempfile::tempdir().unwrap();
    let count = 2_000;
    let mut text = String::from("raid = [\n");
    for i in 0..count {
        let _ = writeln!(
            text,
            "  {{ id = \"R-{i}\", type = \"risk\", title = \"t\", status = \"open\", owner = \"chen\" }},"
        );
    }
    text.push_str("]\n\n");
    text.push_str(&plan_head("allow"));
    text.push_str("[lint]\nallow = [\n");
    // Every even entry is allowed by its logical path, the rest by nothing.
    for i in 0..count {
        let at = if i % 2 == 0 {
            format!("raid[R-{i}]")
        } else {
            format!("backlog[{i}]")
        };
        let _ = writeln!(
            text,
            "  {{ rule = \"raid-mitigation\", at = \"{at}\", reason = \"r\" }},"
        );
    }
    text.push_str("]\n");
    fs::write(dir.path().join("a.plan.toml"), &text).unwrap();
    let output = lint(
        dir.path(),
        &[
            "--format",
            "json",
            "--select",
            "raid-mitigation,unused-suppression",
        ],
    );
    let report = json_report(&output);
    let paths: Vec<String> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "raid-mitigation")
        .map(|d| d["path"].as_str().unwrap().to_owned())
        .collect();
    let expected: Vec<String> = (0..count)
        .filter(|i| i % 2 == 1)
        .map(|i| format!("raid[R-{i}].mitigation"))
        .collect();
    assert_eq!(paths, expected);
    assert_eq!(report["summary"]["suppressed"], count / 2);
    let unused = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "unused-suppression")
        .count();
    assert_eq!(unused, count / 2);
}

#[test]
fn a_config_with_too_many_overrides_is_refused_at_the_first_extra_one() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = String::new();
    for i in 0..1_001 {
        let _ = writeln!(config, "[[overrides]]\nfiles = [\"p{i}/**\"]");
    }
    fs::write(dir.path().join("plan-lint.toml"), &config).unwrap();
    fs::write(dir.path().join("a.plan.toml"), plan_head("a")).unwrap();
    let output = lint(dir.path(), &[]);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(
        err.contains("this config has 1001 overrides; at most 1000 are allowed"),
        "{err}"
    );
    assert!(err.contains("plan-lint.toml:2001:1"), "{err}");
}

#[test]
fn a_long_dependency_chain_closing_into_a_cycle_is_one_finding() {
    let dir = tempfile::tempdir().unwrap();
    let count = 5_000;
    let mut text = plan_head("chain");
    for i in 0..count {
        let previous = if i == 0 { count - 1 } else { i - 1 };
        let _ = writeln!(
            text,
            "[[milestones]]\nid = \"M{i}\"\ntitle = \"m\"\ndue = 2027-01-01\ndepends_on = [\"M{previous}\"]"
        );
    }
    fs::write(dir.path().join("chain.plan.toml"), &text).unwrap();
    let output = lint(
        dir.path(),
        &["--format", "json", "--select", "dependency-cycle"],
    );
    let report = json_report(&output);
    let messages = diagnostic_fields(&report, ["message"]);
    // Found from M0, whose dependency is the last: M0, M4999, …, M1, and back to M0; listed by
    // its first 15 and last 14 milestones.
    let walked: Vec<String> = std::iter::once(0)
        .chain((1..count).rev())
        .map(|i| format!("M{i}"))
        .collect();
    assert_eq!(messages, [[cycle_message(&walked)]]);
}

/// The message for the cycle through `cycle` (in the order found, back to the first): whole up
/// to 30 milestones, else its first 15 and last 14 with the number between.
fn cycle_message(cycle: &[String]) -> String {
    let mut listed = if cycle.len() <= 30 {
        cycle.to_vec()
    } else {
        let mut listed = cycle[..15].to_vec();
        listed.push(format!("({} more)", cycle.len() - 29));
        listed.extend_from_slice(&cycle[cycle.len() - 14..]);
        listed
    };
    listed.push(cycle[0].clone());
    format!(
        "milestones depend on each other in a cycle: {}",
        listed.join(" → ")
    )
}

#[test]
fn milestones_closing_many_long_cycles_give_a_report_linear_in_the_plan() {
    let dir = tempfile::tempdir().unwrap();
    // A chain M0 → M1 → … → M2999 (each depends on the next), the last depending on every
    // other: 2,999 cycles, of 2 to 3,000 milestones.
    let count = 3_000;
    let mut text = plan_head("cycles");
    for i in 0..count - 1 {
        let _ = writeln!(
            text,
            "[[milestones]]\nid = \"M{i}\"\ntitle = \"m\"\ndue = 2027-01-01\ndepends_on = [\"M{}\"]",
            i + 1
        );
    }
    let back: Vec<String> = (0..count - 1).map(|i| format!("\"M{i}\"")).collect();
    let _ = writeln!(
        text,
        "[[milestones]]\nid = \"M{}\"\ntitle = \"m\"\ndue = 2027-01-01\ndepends_on = [{}]",
        count - 1,
        back.join(", ")
    );
    fs::write(dir.path().join("cycles.plan.toml"), &text).unwrap();
    let output = lint(
        dir.path(),
        &["--format", "json", "--select", "dependency-cycle"],
    );
    let report = json_report(&output);
    let messages = diagnostic_fields(&report, ["message"]);
    // The cycle closed by the reference to M(k) runs M(k) → … → M2999 → M(k).
    let expected: Vec<[String; 1]> = (0..count - 1)
        .map(|k| {
            let cycle: Vec<String> = (k..count).map(|i| format!("M{i}")).collect();
            [cycle_message(&cycle)]
        })
        .collect();
    assert!(
        messages == expected,
        "every cycle, each listed in bounded length"
    );
    // Listed whole, these cycles made a report of 46 MB.
    assert!(
        output.stdout.len() < 10_000_000,
        "{} bytes",
        output.stdout.len()
    );
}

#[test]
fn many_plans_sharing_one_person_each_get_one_finding() {
    let dir = tempfile::tempdir().unwrap();
    let count = 300;
    fs::create_dir(dir.path().join("plans")).unwrap();
    for i in 0..count {
        let mut text = plan_head(&format!("p{i}"));
        text.push_str("[[resources]]\nperson = \"chen\"\nrole = \"r\"\nallocation = 0.5\n");
        fs::write(dir.path().join(format!("plans/p{i:03}.plan.toml")), text).unwrap();
    }
    let output = lint(
        dir.path(),
        &["--format", "json", "--select", "over-allocation"],
    );
    let report = json_report(&output);
    let files: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["file"].as_str().unwrap())
        .collect();
    let expected: Vec<String> = (0..count)
        .map(|i| format!("plans/p{i:03}.plan.toml"))
        .collect();
    assert_eq!(files, expected);
}

/// Distinct keys one character from `key` (at each place in turn, a CJK character).
fn misspellings_of(key: &'static str) -> impl Iterator<Item = String> {
    (0x4e00u32..0x9fff)
        .filter_map(char::from_u32)
        .flat_map(move |c| {
            (0..key.len()).map(move |at| format!("{}{c}{}", &key[..at], &key[at + 1..]))
        })
}

#[test]
fn many_misspellings_of_one_key_are_each_a_finding_and_explain_its_absence() {
    let dir = tempfile::tempdir().unwrap();
    let count = 3_000;
    let mut text = plan_head("m");
    text.push_str("[[raid]]\nid = \"R-1\"\ntype = \"risk\"\ntitle = \"r\"\nowner = \"chen\"\nstatus = \"open\"\n");
    let keys: Vec<String> = misspellings_of("mitigation").take(count).collect();
    for key in &keys {
        writeln!(text, "\"{key}\" = \"m\"").unwrap();
    }
    fs::write(dir.path().join("m.plan.toml"), &text).unwrap();
    let output = lint(
        dir.path(),
        &[
            "--format",
            "json",
            "--select",
            "unknown-field,raid-mitigation",
        ],
    );
    let report = json_report(&output);
    let found: Vec<(u64, String, String)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["line"].as_u64().unwrap(),
                d["rule"].as_str().unwrap().to_owned(),
                d["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    // The RAID entry takes lines 14 to 19; each misspelling is on its own line after it.
    let expected: Vec<(u64, String, String)> = keys
        .iter()
        .enumerate()
        .map(|(i, key)| {
            (
                20 + i as u64,
                "unknown-field".to_owned(),
                format!("unknown key `{key}` in `raid[R-1]`"),
            )
        })
        .collect();
    assert!(
        found == expected,
        "each misspelling, in order, and nothing else"
    );
    // One of them is renamed: renaming them all would write the key thousands of times.
    let output = lint(dir.path(), &["--diff", "--unsafe-fixes"]);
    let diff = stdout(&output);
    assert_eq!(diff.matches("\n+mitigation = \"m\"").count(), 1, "{diff}");
    assert_eq!(diff.matches("\n-\"").count(), 1);
}

#[test]
fn a_markdown_table_of_many_unknown_columns_is_a_finding_at_each_header_cell() {
    let dir = tempfile::tempdir().unwrap();
    let (columns, rows) = (2_000, 6);
    let mut text = String::from(
        "---\nplan:\n  id: wide\n  title: Scale\n---\n\n## RAID log\n\n| ID | Type | Status | Owner | Mitgation |",
    );
    for column in 0..columns {
        write!(text, " c{column} |").unwrap();
    }
    text.push_str("\n|---|---|---|---|---|");
    text.push_str(&"---|".repeat(columns));
    text.push('\n');
    // Even rows have the misspelt mitigation; odd ones leave it empty, and lack a mitigation.
    for row in 0..rows {
        let mitigation = if row % 2 == 0 { "m" } else { "" };
        write!(text, "| R-{row} | risk | open | chen | {mitigation} |").unwrap();
        text.push_str(&" x |".repeat(columns));
        text.push('\n');
    }
    fs::write(dir.path().join("wide.plan.md"), &text).unwrap();
    let output = lint(
        dir.path(),
        &[
            "--format",
            "json",
            "--select",
            "unknown-field,raid-mitigation",
        ],
    );
    let report = json_report(&output);
    let found: Vec<(u64, u64, String, String)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                d["rule"].as_str().unwrap().to_owned(),
                d["path"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    // The header is line 9; each header cell's column counted in the header as written.
    let header = text.lines().nth(8).unwrap();
    let mut expected = vec![(
        9,
        header.find("Mitgation").unwrap() as u64 + 1,
        "unknown-field".to_owned(),
        "raid[R-0].mitgation".to_owned(),
    )];
    for column in 0..columns {
        let at = header.find(&format!(" c{column} |")).unwrap() + 2;
        expected.push((
            9,
            at as u64,
            "unknown-field".to_owned(),
            format!("raid[R-0].c{column}"),
        ));
    }
    // The odd rows lack a mitigation (no column holds it): a finding at each row (line 11 on).
    for row in (1..rows).step_by(2) {
        expected.push((
            11 + row as u64,
            1,
            "raid-mitigation".to_owned(),
            format!("raid[R-{row}].mitigation"),
        ));
    }
    expected.sort();
    let mut found_sorted = found.clone();
    found_sorted.sort();
    assert!(
        found_sorted == expected,
        "one finding per column at its header cell, and each odd row's missing mitigation"
    );
}

#[test]
fn many_unknown_people_are_each_a_finding_with_the_closest_member_suggested() {
    let dir = tempfile::tempdir().unwrap();
    let (members, strangers) = (90, 3_000);
    let team: Vec<String> = (0..members).map(|i| format!("member{i:02}")).collect();
    // Names held by a misspelt `[people]` key are that key's finding, not strangers.
    let held: Vec<String> = (0..strangers).map(|i| format!("held{i}")).collect();
    let quoted = |names: &[String]| {
        names
            .iter()
            .map(|n| format!("\"{n}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    // Every other stranger is one letter from a member (`membr07`), the rest far from all.
    let names: Vec<String> = (0..strangers)
        .map(|i| {
            if i % 2 == 0 {
                format!("membr{:02}", i % members)
            } else {
                format!("stranger{i}")
            }
        })
        .collect();
    let responsible: Vec<String> = names
        .iter()
        .zip(&held)
        .flat_map(|(a, b)| [a.clone(), b.clone()])
        .collect();
    let text = format!(
        "[plan]\nid = \"p\"\ntitle = \"T\"\n\n[people]\ndelivery_lead = \"member00\"\nproblem_owner = \"member01\"\nteam = [{}]\nstakeholdrs = [{}]\n\n[[raci]]\nactivity = \"a\"\naccountable = \"member00\"\nresponsible = [{}]\n",
        quoted(&team),
        quoted(&held),
        quoted(&responsible),
    );
    fs::write(dir.path().join("p.plan.toml"), &text).unwrap();
    let output = lint(
        dir.path(),
        &["--format", "json", "--select", "unknown-person"],
    );
    let found = diagnostic_fields(&json_report(&output), ["message", "help"]);
    let expected: Vec<[String; 2]> = names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let help = format!("add `{name}` to `people.team`, or correct the name");
            let help = if i % 2 == 0 {
                format!("did you mean `member{:02}`? Otherwise {help}", i % members)
            } else {
                help
            };
            [format!("`{name}` is not on the team"), help]
        })
        .collect();
    assert!(found == expected, "each stranger, in order, with its help");
}

#[test]
fn many_dangling_references_each_suggest_the_closest_milestone() {
    let dir = tempfile::tempdir().unwrap();
    let (milestones, references) = (99, 3_000);
    let mut text = plan_head("d");
    for i in 0..milestones {
        writeln!(
            text,
            "[[milestones]]\nid = \"MS-{i:03}\"\ntitle = \"m\"\ndue = 2026-06-01"
        )
        .unwrap();
    }
    // Every other reference is one letter from a milestone (`MS-007x`), the rest far from all.
    let refs: Vec<String> = (0..references)
        .map(|i| {
            if i % 2 == 0 {
                format!("MS-{:03}x", i % milestones)
            } else {
                format!("elsewhere{i}")
            }
        })
        .collect();
    let list = refs
        .iter()
        .map(|r| format!("\"{r}\""))
        .collect::<Vec<_>>()
        .join(", ");
    writeln!(
        text,
        "[[milestones]]\nid = \"MS-999\"\ntitle = \"m\"\ndue = 2026-06-01\ndepends_on = [{list}]"
    )
    .unwrap();
    fs::write(dir.path().join("d.plan.toml"), &text).unwrap();
    let output = lint(
        dir.path(),
        &["--format", "json", "--select", "dangling-reference"],
    );
    let found = diagnostic_fields(&json_report(&output), ["message", "help"]);
    // The ids listed when nothing is close: the first ten in order, and how many more.
    let listed: Vec<String> = (0..10).map(|i| format!("`MS-{i:03}`")).collect();
    let far = format!("the ids here are {}, 90 more", listed.join(", "));
    let expected: Vec<[String; 2]> = refs
        .iter()
        .enumerate()
        .map(|(i, reference)| {
            let help = if i % 2 == 0 {
                format!("did you mean `MS-{:03}`?", i % milestones)
            } else {
                far.clone()
            };
            [
                format!("depends on milestone `{reference}`, which this plan does not have"),
                help,
            ]
        })
        .collect();
    assert!(found == expected, "each reference, in order, with its help");
}

#[test]
fn a_suppression_naming_thousands_of_rules_that_do_not_exist_reports_each() {
    let dir = tempfile::tempdir().unwrap();
    let count = 3_000;
    // Every other name is one letter from a rule's, the rest far from all.
    let names: Vec<String> = (0..count)
        .map(|i| {
            if i % 2 == 0 {
                "raid-mitigaton".to_owned()
            } else {
                format!("no-such-rule-{i}")
            }
        })
        .collect();
    let text = format!(
        "# plan-lint: allow({}) -- accepted\n[plan]\nid = \"s\"\ntitle = \"S\"\n",
        names.join(",")
    );
    fs::write(dir.path().join("s.plan.toml"), &text).unwrap();
    let output = lint(
        dir.path(),
        &["--format", "json", "--select", "unused-suppression"],
    );
    let found = diagnostic_fields(&json_report(&output), ["message", "help"]);
    let expected: Vec<[String; 2]> = names
        .iter()
        .map(|name| {
            let help = if name == "raid-mitigaton" {
                "did you mean `raid-mitigation`?"
            } else {
                "`plan-lint rules` lists every rule"
            };
            [
                format!("`{name}` is not a rule, so nothing is suppressed"),
                help.to_owned(),
            ]
        })
        .collect();
    assert!(found == expected, "each name, in order, with its help");
}
