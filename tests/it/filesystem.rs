//! What the file system can throw at a run: folders and FIFOs with plan names, symbolic link
//! loops, unreadable files, awkward path names, files changing while they are read. Each is
//! reported (exit 2 for a path that cannot be linted) without hiding any other file's findings,
//! and never hangs.

use crate::support::{
    TODAY, diagnostic_fields, git, json_report, plan_lint_in_bounded, repo_root, stderr, stdout,
};
use std::fs;
use std::path::Path;

/// A plan with one `raid-mitigation` finding.
fn failing_plan() -> String {
    fs::read_to_string(repo_root().join("fixtures/raid-mitigation/fail.plan.toml")).unwrap()
}

fn lint_json(cwd: &Path, args: &[&str]) -> (Option<i32>, serde_json::Value, String) {
    // Only one rule: the same plan under two names would also be a duplicate plan id.
    let mut all = vec![
        "--today",
        TODAY,
        "--format",
        "json",
        "--select",
        "raid-mitigation",
    ];
    all.extend_from_slice(args);
    let output = plan_lint_in_bounded(cwd, &all);
    assert!(!stderr(&output).contains("panicked"), "{}", stderr(&output));
    (output.status.code(), json_report(&output), stderr(&output))
}

/// The distinct `(file, code)` pairs of the findings, in report order.
fn findings(report: &serde_json::Value) -> Vec<[String; 2]> {
    let mut pairs = diagnostic_fields(report, ["file", "code"]);
    pairs.dedup();
    pairs
}

fn errors(report: &serde_json::Value) -> Vec<String> {
    report["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .map(|e| e["file"].as_str().unwrap().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn a_folder_named_like_a_plan_is_walked_as_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("x.plan.toml")).unwrap();
    fs::write(
        dir.path().join("x.plan.toml/inner.plan.toml"),
        failing_plan(),
    )
    .unwrap();
    for args in [&[][..], &["x.plan.toml"][..]] {
        let (code, report, _) = lint_json(dir.path(), args);
        assert_eq!(code, Some(1));
        assert_eq!(
            findings(&report),
            [["x.plan.toml/inner.plan.toml", "PL002"]]
        );
    }
}

#[cfg(unix)]
#[test]
fn a_fifo_named_like_a_plan_is_reported_not_read() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("good.plan.toml"), failing_plan()).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(dir.path().join("pipe.plan.toml"))
        .status()
        .unwrap();
    assert!(made.success());
    // Walked and named: nothing writes to the FIFO, so reading it would block forever.
    for args in [&[][..], &["pipe.plan.toml", "good.plan.toml"][..]] {
        let (code, report, stderr) = lint_json(dir.path(), args);
        assert_eq!(code, Some(2), "{stderr}");
        assert_eq!(findings(&report), [["good.plan.toml", "PL002"]]);
        assert_eq!(errors(&report), ["pipe.plan.toml"]);
        assert!(stderr.contains("not a regular file"), "{stderr}");
    }
}

#[cfg(unix)]
#[test]
fn symbolic_link_loops_and_dangling_links_are_reported() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("good.plan.toml"), failing_plan()).unwrap();
    symlink("b.plan.toml", dir.path().join("a.plan.toml")).unwrap();
    symlink("a.plan.toml", dir.path().join("b.plan.toml")).unwrap();
    symlink("nowhere.plan.toml", dir.path().join("dangling.plan.toml")).unwrap();
    // A link to a folder above: not followed, so the walk ends.
    fs::create_dir(dir.path().join("sub")).unwrap();
    symlink("..", dir.path().join("sub/up")).unwrap();
    // A link to a plan is linted under the link's name.
    symlink("good.plan.toml", dir.path().join("alias.plan.toml")).unwrap();

    let (code, report, stderr) = lint_json(dir.path(), &[]);
    assert_eq!(code, Some(2), "{stderr}");
    assert_eq!(
        findings(&report),
        [["alias.plan.toml", "PL002"], ["good.plan.toml", "PL002"]]
    );
    let mut errors = errors(&report);
    errors.sort();
    assert_eq!(errors, ["a.plan.toml", "b.plan.toml", "dangling.plan.toml"]);
}

#[cfg(unix)]
#[test]
fn an_unreadable_file_is_reported_and_the_others_are_linted() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("good.plan.toml"), failing_plan()).unwrap();
    let locked = dir.path().join("locked.plan.toml");
    fs::write(&locked, failing_plan()).unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    let (code, report, stderr) = lint_json(dir.path(), &[]);
    if fs::read(&locked).is_ok() {
        // Running as root: permissions do not stop reading, so the file is simply linted.
        assert_eq!(code, Some(1));
        assert_eq!(
            findings(&report),
            [["good.plan.toml", "PL002"], ["locked.plan.toml", "PL002"]]
        );
    } else {
        assert_eq!(code, Some(2), "{stderr}");
        assert_eq!(findings(&report), [["good.plan.toml", "PL002"]]);
        assert_eq!(errors(&report), ["locked.plan.toml"]);
        assert!(
            stderr.contains("cannot read `locked.plan.toml`"),
            "{stderr}"
        );
    }
}

#[test]
fn paths_with_spaces_and_non_ascii_characters_are_right_in_every_output() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join(".git")).unwrap();
    let folder = dir.path().join("Équipe A");
    fs::create_dir(&folder).unwrap();
    fs::write(folder.join("plan ü 1.plan.toml"), failing_plan()).unwrap();
    let shown = "Équipe A/plan ü 1.plan.toml";

    let (_, report, _) = lint_json(dir.path(), &[]);
    assert_eq!(findings(&report), [[shown, "PL002"]]);

    let output = plan_lint_in_bounded(dir.path(), &["--today", TODAY, "--format", "sarif"]);
    let sarif: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let location = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"];
    assert_eq!(
        location["artifactLocation"]["uri"],
        "%C3%89quipe%20A/plan%20%C3%BC%201.plan.toml"
    );

    for format in ["human", "concise", "github", "markdown"] {
        let output = plan_lint_in_bounded(dir.path(), &["--today", TODAY, "--format", format]);
        assert!(
            stdout(&output).contains(shown),
            "{format}: {}",
            stdout(&output)
        );
    }
}

#[test]
fn a_plan_rewritten_while_runs_read_it_gives_findings_or_a_syntax_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("moving.plan.toml");
    let plan = failing_plan();
    fs::write(&path, &plan).unwrap();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let (stop, path, plan) = (stop.clone(), path.clone(), plan.clone());
        std::thread::spawn(move || {
            // Truncate and rewrite in pieces, so readers see every length of the plan.
            let mut cut = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                cut = (cut + 97) % plan.len();
                let cut = (0..=cut)
                    .rev()
                    .find(|&i| plan.is_char_boundary(i))
                    .unwrap_or(0);
                let _ = fs::write(&path, &plan[..cut]);
                let _ = fs::write(&path, &plan);
            }
        })
    };
    for _ in 0..20 {
        let (code, report, stderr) = lint_json(dir.path(), &["moving.plan.toml"]);
        assert!(matches!(code, Some(0..=2)), "{stderr}");
        for finding in report["diagnostics"].as_array().unwrap() {
            assert!(finding["line"].as_u64().unwrap() >= 1);
        }
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    writer.join().unwrap();
}

/// A finding that a change causes in a file it did not touch is still reported, with a note
/// naming the change (issue 12): a new plan duplicating an old plan's id sorts first, so the
/// duplicate is reported on the old file; a milestone removed from a changed plan leaves a
/// reference in an unchanged plan dangling.
#[test]
fn changed_since_reports_what_the_change_causes_in_unchanged_files() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, &["init", "-q", "-b", "main"]);
    // Only the two cross-plan rules run: a plan needs no more than its id here.
    let plan = |id: &str, extra: &str| format!("[plan]\nid = \"{id}\"\ntitle = \"T\"\n\n{extra}");
    fs::write(root.join("b.plan.toml"), plan("shared", "")).unwrap();
    fs::write(
        root.join("c.plan.toml"),
        plan("other", "[[milestones]]\nid = \"MX\"\ntitle = \"x\"\ndue = 2027-01-10\ndepends_on = [\"target#M9\"]\n"),
    )
    .unwrap();
    fs::write(
        root.join("d.plan.toml"),
        plan(
            "target",
            "[[milestones]]\nid = \"M9\"\ntitle = \"x\"\ndue = 2027-01-10\n",
        ),
    )
    .unwrap();
    git(root, &["add", "."]);
    git(root, &["commit", "-q", "-m", "plans"]);
    // The change: a new plan reusing `shared`, and `target` losing M9.
    fs::write(root.join("a.plan.toml"), plan("shared", "")).unwrap();
    fs::write(root.join("d.plan.toml"), plan("target", "")).unwrap();
    let output = plan_lint_in_bounded(
        root,
        &[
            "--today",
            TODAY,
            "--format",
            "json",
            "--select",
            "duplicate-plan-id,dangling-reference",
            "--changed-since",
            "main",
        ],
    );
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let report = json_report(&output);
    let found: Vec<(String, String, String)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_owned(),
                d["rule"].as_str().unwrap().to_owned(),
                d["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                "b.plan.toml".to_owned(),
                "duplicate-plan-id".to_owned(),
                "plan id `shared` is also used by `a.plan.toml` (reported here because `a.plan.toml` changed)".to_owned()
            ),
            (
                "c.plan.toml".to_owned(),
                "dangling-reference".to_owned(),
                "depends on `target#M9`, but plan `target` (d.plan.toml) has no milestone `M9` (reported here because `d.plan.toml` changed)".to_owned()
            ),
        ]
    );
}
