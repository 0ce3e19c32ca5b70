//! Confinement (issue 12): plan-lint opens, or even looks up, only files whose real path lies in
//! the project; regular files only; nothing left out without a word.

use crate::support::{
    TODAY, git, json_report, plan_lint_in, plan_lint_in_bounded, repo_root, stderr, stdout,
};
use std::fs;
use std::os::unix::fs::{FileTypeExt, symlink};
use std::path::{Path, PathBuf};
use std::process::Command;

const FAILING: &str = "fixtures/raid-mitigation/fail.plan.toml";
/// What a secret outside the project holds: it must never appear in any output.
const SECRET: &str = "SECRET-d41d8cd98f00b204";

/// A git repository with one failing plan, and a folder outside it holding a secret.
struct World {
    _dir: tempfile::TempDir,
    repo: PathBuf,
    outside: PathBuf,
}

fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().canonicalize().unwrap();
    let repo = base.join("repo");
    let outside = base.join("outside");
    fs::create_dir_all(repo.join("plans")).unwrap();
    fs::create_dir_all(&outside).unwrap();
    git(&repo, &["init", "-q", "-b", "main"]);
    fs::copy(repo_root().join(FAILING), repo.join("plans/a.plan.toml")).unwrap();
    fs::write(
        outside.join("shadow"),
        format!("root:{SECRET}:19000:0:99999:7:::\n"),
    )
    .unwrap();
    World {
        _dir: dir,
        repo,
        outside,
    }
}

/// Standard error with miette's line wrapping undone.
fn flat_stderr(output: &std::process::Output) -> String {
    stderr(output)
        .replace('│', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn run(cwd: &Path, args: &[&str]) -> std::process::Output {
    let mut all = vec!["--today", TODAY];
    all.extend_from_slice(args);
    let output = Command::new(env!("CARGO_BIN_EXE_plan-lint"))
        .args(&all)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .env("PLAN_LINT_TEST_SECRET", SECRET)
        .output()
        .unwrap();
    let everything = format!("{}{}", stdout(&output), stderr(&output));
    assert!(
        !everything.contains(SECRET),
        "the secret leaked into the output of {args:?}:\n{everything}"
    );
    output
}

#[test]
fn a_plan_linked_to_a_file_outside_is_never_read_or_shown() {
    let w = world();
    symlink("/proc/self/environ", w.repo.join("plans/environ.plan.toml")).unwrap();
    symlink(
        w.outside.join("shadow"),
        w.repo.join("plans/shadow.plan.toml"),
    )
    .unwrap();
    for format in ["human", "concise", "json", "sarif", "github", "markdown"] {
        let output = run(&w.repo, &["--format", format]);
        assert_eq!(output.status.code(), Some(2), "{format}");
    }
    let output = run(&w.repo, &["--format", "json"]);
    let report = json_report(&output);
    assert_eq!(report["files_checked"], 1);
    let errors: Vec<&str> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        errors,
        [
            "`plans/environ.plan.toml` was not read: the symbolic link `plans/environ.plan.toml` points to `/proc/self/environ`, outside the project",
            &format!(
                "`plans/shadow.plan.toml` was not read: the symbolic link `plans/shadow.plan.toml` points to `{}`, outside the project",
                w.outside.join("shadow").display()
            ),
        ]
    );
    // Named on the command line, the same (the good plan is checked with it, as the project's).
    let named = run(&w.repo, &["plans/environ.plan.toml", "--format", "json"]);
    assert_eq!(named.status.code(), Some(2));
    assert_eq!(json_report(&named)["files_checked"], 1);
    assert_eq!(json_report(&named)["errors"].as_array().unwrap().len(), 1);
}

#[test]
fn a_plan_outside_the_project_is_not_read_even_when_named() {
    let w = world();
    fs::copy(repo_root().join(FAILING), w.outside.join("b.plan.toml")).unwrap();
    let outside = w.outside.join("b.plan.toml");
    for path in [outside.to_str().unwrap(), "../outside/b.plan.toml"] {
        let output = run(&w.repo, &["--format", "json", path]);
        assert_eq!(output.status.code(), Some(2), "{path}");
        assert!(
            flat_stderr(&output).contains("was not read: it lies outside the project"),
            "{}",
            stderr(&output)
        );
    }
}

#[test]
fn links_that_leave_and_reenter_the_project_are_followed_inside_only() {
    let w = world();
    // An absolute link that names the project's own folder: the real path is inside.
    symlink(
        w.repo.join("plans/a.plan.toml"),
        w.repo.join("plans/b.plan.toml"),
    )
    .unwrap();
    // Out through `..` and back in by name: it leaves the project on the way, so it is refused.
    symlink(
        "../../outside/../repo/plans/a.plan.toml",
        w.repo.join("plans/c.plan.toml"),
    )
    .unwrap();
    let output = run(&w.repo, &["--format", "json"]);
    let report = json_report(&output);
    assert_eq!(report["files_checked"], 2, "{report}");
    assert_eq!(report["errors"][0]["file"], "plans/c.plan.toml");
}

#[test]
fn a_config_linked_outside_is_an_error_that_shows_nothing_of_it() {
    let w = world();
    fs::write(w.outside.join("config.toml"), format!("{SECRET} = [\n")).unwrap();
    symlink(w.outside.join("config.toml"), w.repo.join("plan-lint.toml")).unwrap();
    let output = run(&w.repo, &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        flat_stderr(&output)
            .contains("the config file `plan-lint.toml` was not read: the symbolic link"),
        "{}",
        stderr(&output)
    );
    for config in [
        w.outside.join("config.toml").to_str().unwrap().to_owned(),
        "/proc/self/environ".to_owned(),
    ] {
        let output = run(&w.repo, &["--config", &config]);
        assert_eq!(output.status.code(), Some(2), "{config}");
        assert!(
            flat_stderr(&output).contains("lies outside the project"),
            "{}",
            stderr(&output)
        );
    }
}

#[test]
fn a_dangling_config_is_an_error_not_the_default_rules() {
    let w = world();
    symlink("nowhere.toml", w.repo.join("plan-lint.toml")).unwrap();
    let output = run(&w.repo, &[]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        flat_stderr(&output).contains("cannot read the config file `plan-lint.toml`"),
        "{}",
        stderr(&output)
    );
    assert!(
        flat_stderr(&output).contains("a symbolic link to nothing"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn configs_are_regular_files_within_a_size_cap() {
    let w = world();
    // A device, even inside the project: a link to /dev/zero leaves it; the device itself is
    // not a regular file.
    let output = plan_lint_in_bounded(&w.repo, &["--config", "/dev/zero"]);
    assert_eq!(output.status.code(), Some(2));
    let fifo = w.repo.join("fifo.toml");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let output = plan_lint_in_bounded(&w.repo, &["--config", "fifo.toml"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        flat_stderr(&output).contains("not a regular file"),
        "{}",
        stderr(&output)
    );
    fs::write(w.repo.join("big.toml"), "# padding\n".repeat(200_000)).unwrap();
    let output = plan_lint_in_bounded(&w.repo, &["--config", "big.toml"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        flat_stderr(&output).contains("the config file `big.toml` is larger than 1 MB"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn plans_left_out_by_ignore_files_are_listed_and_tracked_ones_noted() {
    let w = world();
    fs::create_dir_all(w.repo.join("plans/old")).unwrap();
    fs::copy(
        repo_root().join(FAILING),
        w.repo.join("plans/old/o.plan.toml"),
    )
    .unwrap();
    fs::copy(repo_root().join(FAILING), w.repo.join("plans/t.plan.toml")).unwrap();
    fs::write(w.repo.join("plans/.ignore"), "old/\n").unwrap();
    git(&w.repo, &["add", "."]);
    git(&w.repo, &["commit", "-q", "-m", "plans"]);
    // Ignored after it was committed: git still tracks it.
    fs::write(w.repo.join(".gitignore"), "t.plan.toml\n").unwrap();

    let listed = run(&w.repo, &["--show-files"]);
    assert_eq!(
        stdout(&listed),
        "plans/a.plan.toml\n\nnot linted:\n\
         plans/old/o.plan.toml  (ignored by `old/` in `plans/.ignore`)\n\
         plans/t.plan.toml  (ignored by `t.plan.toml` in `.gitignore`)\n"
    );
    let output = run(&w.repo, &["--format", "json"]);
    let report = json_report(&output);
    assert_eq!(report["files_checked"], 1);
    assert_eq!(
        report["skipped"],
        serde_json::json!([
            {"file": "plans/old/o.plan.toml", "reason": "tracked by git, but ignored by `old/` in `plans/.ignore`"},
            {"file": "plans/t.plan.toml", "reason": "tracked by git, but ignored by `t.plan.toml` in `.gitignore`"},
        ])
    );
    assert!(
        stderr(&output)
            .contains("note: `plans/t.plan.toml` was not linted: tracked by git, but ignored by"),
        "{}",
        stderr(&output)
    );
    let sarif: serde_json::Value =
        serde_json::from_slice(&run(&w.repo, &["--format", "sarif"]).stdout).unwrap();
    let notes = &sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"];
    assert_eq!(notes[1]["level"], "note");
    assert_eq!(
        notes[1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "plans/t.plan.toml"
    );
    let github = stdout(&run(&w.repo, &["--format", "github"]));
    assert!(
        github.contains("::notice file=plans/t.plan.toml,title=plan-lint::not linted%3A")
            || github.contains(
                "::notice file=plans/t.plan.toml,title=plan-lint::not linted: tracked by git"
            ),
        "{github}"
    );
    let markdown = stdout(&run(&w.repo, &["--format", "markdown"]));
    assert!(markdown.contains("### Plans not linted"), "{markdown}");
    let concise = stdout(&run(&w.repo, &["--format", "concise"]));
    assert!(
        concise.contains("plans/t.plan.toml: note not linted: tracked by git"),
        "{concise}"
    );
}

#[test]
fn ignore_files_above_the_project_are_not_read() {
    let w = world();
    // A `.gitignore` above the repository would hide every plan if it were read.
    let above = w.repo.parent().unwrap().join(".gitignore");
    fs::write(&above, "*.plan.toml\n").unwrap();
    let output = run(&w.repo, &["--show-files"]);
    assert_eq!(stdout(&output), "plans/a.plan.toml\n");
}

#[test]
fn a_file_name_that_is_not_utf8_is_shown_escaped_and_encoded_byte_for_byte() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.plan.toml");
    fs::copy(repo_root().join(FAILING), dir.path().join(name)).unwrap();
    let human = plan_lint_in(dir.path(), &["--today", TODAY]);
    assert!(
        stdout(&human).contains("caf\\xE9.plan.toml"),
        "{}",
        stdout(&human)
    );
    assert!(!stdout(&human).contains('\u{fffd}'), "{}", stdout(&human));
    let sarif: serde_json::Value = serde_json::from_slice(
        &plan_lint_in(dir.path(), &["--today", TODAY, "--format", "sarif"]).stdout,
    )
    .unwrap();
    assert_eq!(
        sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "caf%E9.plan.toml"
    );
}

/// A revision is never taken as an option by git, nor as more than one word (issue 12).
#[test]
fn changed_since_values_never_reach_git_as_options() {
    let w = world();
    git(&w.repo, &["add", "."]);
    git(&w.repo, &["commit", "-q", "-m", "plans"]);
    for since in [
        "--output=written-by-git",
        "-owritten-by-git",
        "main --output=written-by-git",
        "main\n--output=written-by-git",
        "$(touch written-by-git)",
        "`touch written-by-git`",
    ] {
        let option = format!("--changed-since={since}");
        let output = run(&w.repo, &[&option]);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{since:?}: {}",
            stderr(&output)
        );
        assert!(
            flat_stderr(&output).contains("cannot tell which files changed since"),
            "{}",
            stderr(&output)
        );
        assert!(!w.repo.join("written-by-git").exists(), "{since:?}");
    }
    let output = run(&w.repo, &["--changed-since", "main", "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}

/// `--output`, `--sarif` and `--markdown` never replace what is not a regular file.
#[test]
fn reports_are_never_written_over_devices_fifos_or_links() {
    let w = world();
    let fifo = w.repo.join("report.fifo");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    symlink("/dev/null", w.repo.join("null-link")).unwrap();
    for option in ["--output", "--sarif", "--markdown"] {
        for target in ["report.fifo", "null-link", "/dev/null", "plans"] {
            let output = plan_lint_in_bounded(&w.repo, &["--today", TODAY, option, target]);
            assert_eq!(output.status.code(), Some(2), "{option} {target}");
            assert!(
                flat_stderr(&output).contains("it exists and is not a regular file"),
                "{}",
                stderr(&output)
            );
        }
    }
    assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
}
