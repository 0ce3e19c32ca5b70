//! Fixes: every fix fixture (`fixtures/<rule>/fix-*.before.plan.*`) becomes its `.after`
//! file, byte for byte, and the after-file no longer reports the fixed finding and reports
//! nothing new; `--fix`, `--unsafe-fixes`, `--diff` and `--fix-only` behave as documented.

use crate::support::{
    TODAY, isolated, json_report, plan_files, plan_lint_in, repo_root, stderr, stdout,
};
use plan_rules::Fixability;
use std::collections::BTreeSet;
use std::path::Path;

/// `(rule, path)` of every finding of a run over `file` in `dir`.
fn findings(dir: &Path, file: &str) -> BTreeSet<(String, String)> {
    let report = json_report(&plan_lint_in(
        dir,
        &["--today", TODAY, "--format", "json", "--no-baseline", file],
    ));
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_owned(),
                d["path"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// The findings of a run that carry a fix, as `(rule, path, applicability)`.
fn fixable(dir: &Path, file: &str) -> Vec<(String, String, String)> {
    let report = json_report(&plan_lint_in(
        dir,
        &["--today", TODAY, "--format", "json", file],
    ));
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["fix"].is_object())
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_owned(),
                d["path"].as_str().unwrap().to_owned(),
                d["fix"]["applicability"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn fix_fixtures() -> Vec<String> {
    plan_files("fixtures")
        .into_iter()
        .filter(|file| file.contains("/fix-") && file.contains(".before.plan."))
        .collect()
}

#[test]
fn every_fix_fixture_becomes_its_after_file_and_reports_nothing_new() {
    let fixtures = fix_fixtures();
    assert!(fixtures.len() >= 16, "{fixtures:?}");
    for before in &fixtures {
        let rule_name = before.split('/').nth(1).unwrap();
        let rule = plan_rules::rule_by_name_or_code(rule_name).unwrap();
        assert_ne!(
            rule.fix,
            Fixability::None,
            "{before}: {rule_name} has fixes"
        );
        let after = before.replace(".before.", ".after.");
        let expected = std::fs::read(repo_root().join(&after))
            .unwrap_or_else(|_| panic!("{before} has its {after}"));
        let dir = isolated(&[before]);
        let original = std::fs::read(dir.path().join(before)).unwrap();

        let offered = fixable(dir.path(), before);
        let of_rule: Vec<_> = offered.iter().filter(|(r, _, _)| r == rule_name).collect();
        assert!(!of_rule.is_empty(), "{before} offers a {rule_name} fix");
        for (_, _, applicability) in &of_rule {
            assert_eq!(applicability, rule.fix.as_str(), "{before}");
        }
        let before_findings = findings(dir.path(), before);

        // Safe fixes are applied by --fix; unsafe ones need --unsafe-fixes.
        let fixed = plan_lint_in(dir.path(), &["--today", TODAY, "--fix", before]);
        let after_fix = std::fs::read(dir.path().join(before)).unwrap();
        if rule.fix == Fixability::Safe {
            assert_eq!(after_fix, expected, "{before} with --fix");
        } else {
            assert_eq!(
                after_fix, original,
                "--fix leaves {before}'s unsafe fixes alone"
            );
            let fixed = plan_lint_in(dir.path(), &["--today", TODAY, "--unsafe-fixes", before]);
            assert!(stderr(&fixed).contains("fixed "), "{}", stderr(&fixed));
            let after_unsafe = std::fs::read(dir.path().join(before)).unwrap();
            assert_eq!(
                String::from_utf8_lossy(&after_unsafe),
                String::from_utf8_lossy(&expected),
                "{before} with --unsafe-fixes"
            );
        }
        assert!(
            matches!(fixed.status.code(), Some(0 | 1)),
            "{}",
            stderr(&fixed)
        );

        let after_findings = findings(dir.path(), before);
        for (rule, path, _) in &of_rule {
            assert!(
                !after_findings.contains(&(rule.clone(), path.clone())),
                "{after} still reports {rule} at {path}"
            );
        }
        let new: Vec<_> = after_findings.difference(&before_findings).collect();
        assert!(new.is_empty(), "{after} reports new findings: {new:?}");
    }
}

#[test]
fn every_rule_with_fixes_has_a_fix_fixture_in_both_formats() {
    let fixtures = fix_fixtures();
    for rule in plan_rules::RULES
        .iter()
        .filter(|r| r.fix != Fixability::None)
    {
        for format in ["toml", "json"] {
            assert!(
                fixtures
                    .iter()
                    .any(|f| f.starts_with(&format!("fixtures/{}/", rule.name))
                        && f.ends_with(format)),
                "{} has a fix fixture in {format}",
                rule.name
            );
        }
    }
}

#[test]
fn diff_prints_the_fixes_without_writing_and_exits_1() {
    let file = "fixtures/mechanism-raci/fix-missing-lists.before.plan.toml";
    let dir = isolated(&[file]);
    let before = std::fs::read(dir.path().join(file)).unwrap();
    let diff = plan_lint_in(dir.path(), &["--today", TODAY, "--diff", file]);
    assert_eq!(diff.status.code(), Some(1));
    assert_eq!(
        std::fs::read(dir.path().join(file)).unwrap(),
        before,
        "nothing written"
    );
    let expected = format!(
        "--- a/{file}\n+++ b/{file}\n\
         @@ -35,6 +35,7 @@\n responsible = [\"carol\", \"dan\"]\n accountable = \"alice\"\n informed = [\"steering-group\"] # who reads it\n+consulted = []\n \n [[mechanisms]]\n name = \"Monthly steering report\"\n\
         @@ -44,6 +45,7 @@\n responsible = [\"alice\"]\n accountable = \"alice\"\n consulted = [\"bob\", \"finance\"]\n+informed = []\n \n [[raci]]\n activity = \"Maintain the RAID log\"\n"
    );
    assert_eq!(stdout(&diff), expected);
    assert!(stderr(&diff).contains("2 findings in 1 plan would be fixed"));
    // The diff is what `--fix` then writes: `patch` applies it to the same result.
    let patch_file = dir.path().join("fix.diff");
    std::fs::write(&patch_file, stdout(&diff)).unwrap();
    let patched = std::process::Command::new("patch")
        .args(["-p1", "-s", "-i"])
        .arg(&patch_file)
        .current_dir(dir.path())
        .status()
        .expect("patch runs");
    assert!(patched.success());
    let after = std::fs::read(repo_root().join(file.replace(".before.", ".after."))).unwrap();
    assert_eq!(std::fs::read(dir.path().join(file)).unwrap(), after);
    let clean = plan_lint_in(dir.path(), &["--today", TODAY, "--diff", file]);
    assert_eq!(clean.status.code(), Some(0), "nothing left to fix");
    assert_eq!(stdout(&clean), "");
}

#[test]
fn fix_only_applies_and_reports_nothing_else() {
    let file = "fixtures/accountable-owner/fix-list-of-one.before.plan.json";
    let dir = isolated(&[file]);
    let run = plan_lint_in(dir.path(), &["--today", TODAY, "--fix-only", file]);
    assert_eq!(run.status.code(), Some(0));
    assert_eq!(stdout(&run), "");
    assert_eq!(stderr(&run), "fixed 1 finding in 1 plan\n");
    let after = std::fs::read(repo_root().join(file.replace(".before.", ".after."))).unwrap();
    assert_eq!(std::fs::read(dir.path().join(file)).unwrap(), after);
}

#[test]
fn fix_reports_what_is_left_after_fixing() {
    let file = "examples/council-website.plan.toml";
    let dir = isolated(&["examples"]);
    let before = findings(dir.path(), file);
    let run = plan_lint_in(
        dir.path(),
        &["--today", TODAY, "--unsafe-fixes", "--format", "json", file],
    );
    let report = json_report(&run);
    let left: BTreeSet<(String, String)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap().into(),
                d["path"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert!(left.is_subset(&before), "{left:?}");
    assert!(left.len() < before.len());
    assert!(
        report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["fix"].is_null())
    );
    // The comment on the fixed line stays.
    let text = std::fs::read_to_string(dir.path().join(file)).unwrap();
    assert!(
        text.contains("rag = \"amber\"                 # not a RAG colour"),
        "{text}"
    );
    // Only the plan asked for is touched.
    let other = "examples/clinic-scheduling.plan.toml";
    assert_eq!(
        std::fs::read(dir.path().join(other)).unwrap(),
        std::fs::read(repo_root().join(other)).unwrap()
    );
}

#[cfg(unix)]
#[test]
fn a_fixed_file_keeps_its_mode_and_a_suppressed_finding_is_not_fixed() {
    use std::os::unix::fs::PermissionsExt;
    let file = "fixtures/mechanism-raci/fix-missing-lists.before.plan.toml";
    let dir = isolated(&[file]);
    let path = dir.path().join(file);
    let text = std::fs::read_to_string(&path).unwrap().replace(
        "[[mechanisms]]\nname = \"Monthly steering report\"",
        "# plan-lint: allow(mechanism-raci) -- informed by the report's own mailing list\n[[mechanisms]]\nname = \"Monthly steering report\"",
    );
    std::fs::write(&path, text).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    let run = plan_lint_in(dir.path(), &["--today", TODAY, "--fix", file]);
    assert_eq!(
        stderr(&run),
        "fixed 1 finding in 1 plan\n",
        "{}",
        stdout(&run)
    );
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
    let fixed = std::fs::read_to_string(&path).unwrap();
    assert!(fixed.contains("consulted = []"));
    assert!(
        !fixed.contains("informed = []"),
        "the suppressed finding is left as it is"
    );
}

#[test]
fn the_summary_counts_fixable_findings_and_rules_list_fixes() {
    let file = "examples/council-website.plan.toml";
    let run = crate::support::plan_lint(&["--today", TODAY, file]);
    assert!(
        stdout(&run).contains("; 3 fixable with --unsafe-fixes"),
        "{}",
        stdout(&run)
    );
    assert!(stdout(&run).contains("--unsafe-fixes would rename the key to `mitigation`"));
    let rules = crate::support::plan_lint(&["rules"]);
    let line = stdout(&rules)
        .lines()
        .find(|line| line.contains("mechanism-raci"))
        .unwrap()
        .to_owned();
    assert!(line.contains("safe"), "{line}");
    let json = json_report(&crate::support::plan_lint(&["rules", "--format", "json"]));
    let fixes: Vec<(String, String)> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["name"].as_str().unwrap().into(),
                r["fix"].as_str().unwrap().into(),
            )
        })
        .collect();
    for rule in plan_rules::RULES {
        assert!(fixes.contains(&(rule.name.to_owned(), rule.fix.as_str().to_owned())));
    }
}

/// Two fixes that are each right can clash: a misspelt `cdence` renamed while
/// `review-trigger` adds the missing cadence. The round that would repeat the key is undone
/// and its fixes taken one at a time: the file stays valid, with the user's own value.
#[test]
fn fixes_that_clash_never_break_the_file() {
    let base = std::fs::read_to_string(
        repo_root().join("fixtures/review-trigger/fix-no-cadence.before.plan.toml"),
    )
    .unwrap();
    let toml = base.replace("[review]\n", "[review]\ncdence = \"2 weeks\"\n");
    let json = std::fs::read_to_string(
        repo_root().join("fixtures/review-trigger/fix-no-cadence.before.plan.json"),
    )
    .unwrap()
    .replace(
        "\"review\": {\n",
        "\"review\": {\n    \"cdence\": \"2 weeks\",\n",
    );
    for (name, text) in [("clash.plan.toml", toml), ("clash.plan.json", json)] {
        assert!(text.contains("cdence"), "{name}");
        let dir = isolated(&[]);
        std::fs::write(dir.path().join(name), &text).unwrap();
        let run = plan_lint_in(dir.path(), &["--today", TODAY, "--unsafe-fixes", name]);
        assert_eq!(
            run.status.code(),
            Some(0),
            "{}{}",
            stdout(&run),
            stderr(&run)
        );
        let fixed = std::fs::read_to_string(dir.path().join(name)).unwrap();
        assert_eq!(
            fixed.matches("cadence").count(),
            text.matches("cadence").count() + 1
        );
        assert!(!fixed.contains("30 days"), "{fixed}");
        assert!(findings(dir.path(), name).is_empty());
    }
}

/// A plan's text reaches the terminal through `--diff` made visible: a bidirectional override
/// or a C1 control in a string next to a fixed line is escaped, never raw.
#[test]
fn the_diff_never_prints_a_plans_control_characters_raw() {
    let base = std::fs::read_to_string(
        repo_root().join("fixtures/invalid-value/fix-closest-name.before.plan.toml"),
    )
    .unwrap();
    let hostile = base.replace(
        "note = \"Certification slot",
        "note = \"\u{202e}\u{9b}31m Certification slot",
    );
    assert_ne!(hostile, base);
    let dir = isolated(&[]);
    std::fs::write(dir.path().join("h.plan.toml"), &hostile).unwrap();
    let diff = plan_lint_in(
        dir.path(),
        &["--today", TODAY, "--unsafe-fixes", "--diff", "h.plan.toml"],
    );
    let out = stdout(&diff);
    assert!(out.contains("+rag = \"amber\""), "{out}");
    assert!(
        !out.contains('\u{202e}') && !out.contains('\u{9b}'),
        "{out:?}"
    );
    assert!(out.contains("note = "), "the context line is shown: {out}");
}

/// The values of a plan file, without their places: what two layouts of one plan share.
fn values_of(path: &Path) -> String {
    fn show(value: &plan_model::value::Value<'_>) -> String {
        use plan_model::value::Kind;
        match &value.kind {
            Kind::Table(table) => {
                let entries: Vec<String> = table
                    .entries
                    .iter()
                    .map(|e| format!("{}={}", e.key, show(&e.value)))
                    .collect();
                format!("{{{}}}", entries.join(","))
            }
            Kind::Array(items) => {
                let items: Vec<String> = items.iter().map(show).collect();
                format!("[{}]", items.join(","))
            }
            kind => format!("{kind:?}"),
        }
    }
    let text = std::fs::read(path).unwrap();
    let name = path.to_string_lossy();
    let arena = plan_model::Arena::new();
    let parsed = plan_model::parse(&name, plan_model::Format::of_path(&name), text, &arena);
    assert!(
        parsed
            .findings
            .iter()
            .all(|f| f.problem != plan_model::SchemaProblem::Syntax),
        "{name} parses"
    );
    show(
        parsed
            .plan
            .as_ref()
            .and_then(|plan| plan.document)
            .expect("a document"),
    )
}

/// A TOML fix fixture converted by `convert`, alone in a folder of its own as
/// `.plan.<extension>`: the folder, the twin's name, and its after-file converted likewise.
fn converted_fix_fixture(
    before: &str,
    convert: fn(&str) -> Option<String>,
    extension: &str,
) -> (tempfile::TempDir, String, String) {
    let read = |file: &str| {
        let text = std::fs::read_to_string(repo_root().join(file)).unwrap();
        convert(&text).unwrap_or_else(|| panic!("{file} converts to {extension}"))
    };
    let dir = isolated(&[before]);
    let twin = before.replace(".plan.toml", &format!(".plan.{extension}"));
    std::fs::remove_file(dir.path().join(before)).unwrap();
    std::fs::write(dir.path().join(&twin), read(before)).unwrap();
    let after = read(&before.replace(".before.", ".after."));
    (dir, twin, after)
}

/// `--unsafe-fixes` fixes `twin` in `dir` into the values of `after` (its format's text).
fn fixes_into(dir: &Path, twin: &str, after: &str) {
    let fixed = plan_lint_in(dir, &["--today", TODAY, "--unsafe-fixes", twin]);
    assert!(
        stderr(&fixed).contains("fixed "),
        "{twin}: {}",
        stderr(&fixed)
    );
    let extension = twin.rsplit('.').next().unwrap();
    let expected = dir.join(format!("expected.plan.{extension}"));
    std::fs::write(&expected, after).unwrap();
    assert_eq!(
        values_of(&dir.join(twin)),
        values_of(&expected),
        "{twin} fixed:\n{}",
        std::fs::read_to_string(dir.join(twin)).unwrap()
    );
}

/// Every TOML fix fixture, converted to YAML, is fixed in place into the YAML form of its
/// after-file: the same values, every other line as it was.
#[test]
fn every_fix_applies_to_the_yaml_form_of_its_fixture() {
    let mut checked = 0;
    for before in fix_fixtures().iter().filter(|f| f.ends_with(".toml")) {
        let (dir, yaml, after) =
            converted_fix_fixture(before, plan_model::convert::toml_to_yaml, "yaml");
        fixes_into(dir.path(), &yaml, &after);
        checked += 1;
    }
    assert!(checked >= 8, "fix fixtures are converted ({checked})");
}

/// Every TOML fix fixture, converted to a Markdown plan, is fixed in place into its
/// after-file's values: cells are rewritten where they are, front matter keys added there.
/// Only a key a table row lacks is not added (it would be a new column).
#[test]
fn every_fix_applies_to_the_markdown_form_of_its_fixture_or_says_it_cannot() {
    let mut fixed_count = 0;
    for before in fix_fixtures().iter().filter(|f| f.ends_with(".toml")) {
        let (dir, markdown, after) =
            converted_fix_fixture(before, plan_model::convert::toml_to_markdown, "md");
        let rule = before.split('/').nth(1).unwrap();
        let offered = fixable(dir.path(), &markdown);
        if rule == "mechanism-raci" {
            assert!(
                offered.iter().all(|(r, ..)| r != rule),
                "{markdown}: a row's missing key is not added: {offered:?}"
            );
            continue;
        }
        assert!(
            offered.iter().any(|(r, ..)| r == rule),
            "{markdown} offers its fix: {offered:?}"
        );
        fixes_into(dir.path(), &markdown, &after);
        fixed_count += 1;
    }
    assert!(
        fixed_count >= 5,
        "fix fixtures are converted ({fixed_count})"
    );
}
