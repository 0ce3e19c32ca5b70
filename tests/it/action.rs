//! The GitHub Action: its metadata and workflows pass the external checkers, and its steps
//! (`action/run.sh`) do their job in a simulated GitHub Actions environment.

use crate::support::{TODAY, github_output, github_outputs, oracles, repo_root, stderr, stdout};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

#[test]
fn the_action_and_the_workflows_pass_schema_actionlint_and_shellcheck() {
    let Some(oracles) = oracles() else { return };
    let (passed, text) = oracles.run(
        Command::new("bash")
            .arg(oracles.script("check-action.sh"))
            .arg("action.yml")
            .arg("examples/github/plan-lint.yml")
            .arg("examples/github/plan-lint-pages.yml")
            .arg(".github/workflows/plan-lint.yml")
            .arg(".github/workflows/release.yml")
            .arg(".github/workflows/docs.yml")
            .current_dir(repo_root()),
    );
    assert!(passed, "check-action.sh:\n{text}");
    assert!(text.contains("check-action: PASS"), "{text}");

    // oracles() holds only when ShellCheck is installed too.
    let (passed, text) = oracles.run(
        Command::new(oracles.venv_bin("shellcheck"))
            .args([
                "action/run.sh",
                "scripts/release.sh",
                ".ci/run",
                "tools/checkers/install.sh",
            ])
            .current_dir(repo_root()),
    );
    assert!(passed, "shellcheck:\n{text}");
}

/// A simulated runner: a repository, and the files GitHub gives each step.
struct Runner {
    dir: tempfile::TempDir,
}

impl Runner {
    fn new() -> Runner {
        let dir = tempfile::tempdir().unwrap();
        let runner = Runner { dir };
        fs::create_dir_all(runner.repo().join("plans")).unwrap();
        fs::create_dir_all(runner.path("runner-temp")).unwrap();
        runner
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn repo(&self) -> PathBuf {
        self.path("repo")
    }

    fn git(&self, args: &[&str]) -> String {
        let output = Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@localhost"])
            .args(args)
            .current_dir(self.repo())
            .output()
            .unwrap();
        assert!(output.status.success(), "git {args:?}: {}", stderr(&output));
        stdout(&output).trim().to_owned()
    }

    /// Run one step of the action, with `env` on top of GitHub's variables.
    fn step(&self, step: &str, env: &[(&str, &str)]) -> Output {
        let bin = Path::new(env!("CARGO_BIN_EXE_plan-lint")).parent().unwrap();
        let path = format!(
            "{}:{}",
            bin.display(),
            std::env::var("PATH").unwrap_or_default()
        );
        Command::new("bash")
            .arg(repo_root().join("action/run.sh"))
            .arg(step)
            .current_dir(self.repo())
            .env("PATH", path)
            .env("HOME", self.dir.path())
            .env("GITHUB_ACTION_PATH", repo_root())
            .env("GITHUB_OUTPUT", self.path("output"))
            .env("GITHUB_STEP_SUMMARY", self.path("summary.md"))
            .env("GITHUB_PATH", self.path("path"))
            .env("RUNNER_TEMP", self.path("runner-temp"))
            .env("RUNNER_OS", "Linux")
            .env("RUNNER_ARCH", "X64")
            .env("NO_COLOR", "1")
            .envs(env.iter().copied())
            .output()
            .unwrap()
    }

    /// The step outputs written so far.
    fn outputs(&self) -> Vec<(String, String)> {
        github_outputs(&self.path("output"))
    }

    fn output(&self, key: &str) -> Option<String> {
        github_output(&self.path("output"), key)
    }
}

fn fixture(name: &str) -> Vec<u8> {
    fs::read(repo_root().join(name)).unwrap()
}

/// A repository with a failing plan and a clean one, committed.
fn repository() -> Runner {
    let runner = Runner::new();
    runner.git(&["init", "-q", "-b", "main"]);
    fs::write(
        runner.repo().join("plans/payments.plan.toml"),
        fixture("fixtures/raid-mitigation/fail.plan.toml"),
    )
    .unwrap();
    fs::write(
        runner.repo().join("plans/robots.plan.json"),
        fixture("examples/warehouse-robotics.plan.json"),
    )
    .unwrap();
    runner.git(&["add", "."]);
    runner.git(&["commit", "-q", "-m", "plans"]);
    runner
}

const TODAY_CONFIG: &str = "fail_on = \"error\"\n";

#[test]
fn the_lint_step_annotates_summarises_and_writes_sarif_and_the_verdict_fails_the_job() {
    let runner = repository();
    fs::write(runner.repo().join("plan-lint.toml"), TODAY_CONFIG).unwrap();
    let lint = runner.step(
        "lint",
        &[
            ("INPUT_PATHS", "plans"),
            ("INPUT_SARIF_FILE", "reports/plan-lint.sarif"),
        ],
    );
    // Findings do not fail the lint step: the reports must be written and uploaded first.
    assert_eq!(lint.status.code(), Some(0), "{}", stderr(&lint));
    let annotations = stdout(&lint);
    assert!(
        annotations.starts_with("::error file=plans/payments.plan.toml,line="),
        "{annotations}"
    );
    assert!(
        annotations.contains("title=PL002 raid-mitigation::"),
        "{annotations}"
    );
    assert_eq!(runner.output("exit-code").as_deref(), Some("1"));
    assert_eq!(
        runner.output("sarif-file").as_deref(),
        Some("reports/plan-lint.sarif")
    );
    let sarif: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(runner.repo().join("reports/plan-lint.sarif")).unwrap(),
    )
    .unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let summary = fs::read_to_string(runner.path("summary.md")).unwrap();
    assert!(summary.starts_with("## plan-lint: "), "{summary}");
    assert!(
        summary.contains("| **warehouse-robotics** (`plans/robots.plan.json`) |"),
        "{summary}"
    );
    assert!(
        summary.contains("open risk R-1 has no mitigation"),
        "{summary}"
    );

    let verdict = runner.step("verdict", &[("EXIT_CODE", "1")]);
    assert_eq!(verdict.status.code(), Some(1));
    assert!(stdout(&verdict).starts_with("::error title=plan-lint::"));
    assert_eq!(
        runner.step("verdict", &[("EXIT_CODE", "0")]).status.code(),
        Some(0)
    );
    assert_eq!(
        runner.step("verdict", &[("EXIT_CODE", "2")]).status.code(),
        Some(2)
    );
    // A lint step that never reported is never a silent green.
    assert_eq!(
        runner.step("verdict", &[("EXIT_CODE", "")]).status.code(),
        Some(2)
    );
}

#[test]
fn only_changed_reports_the_pull_requests_files_and_inputs_are_never_run_as_shell() {
    let runner = repository();
    let base = runner.git(&["rev-parse", "HEAD"]);
    runner.git(&["checkout", "-q", "-b", "feature"]);
    let mut changed = fixture("examples/warehouse-robotics.plan.json");
    changed.extend_from_slice(b"\n");
    fs::write(runner.repo().join("plans/robots.plan.json"), &changed).unwrap();
    fs::write(
        runner.repo().join("plans/new.plan.toml"),
        fixture("fixtures/problem-owner/fail.plan.toml"),
    )
    .unwrap();
    runner.git(&["add", "."]);
    runner.git(&["commit", "-q", "-m", "change"]);

    let lint = runner.step(
        "lint",
        &[
            ("INPUT_PATHS", "plans"),
            ("INPUT_ONLY_CHANGED", "true"),
            ("INPUT_FAIL_ON", "error"),
            ("EVENT_NAME", "pull_request"),
            ("PULL_REQUEST_BASE_SHA", &base),
        ],
    );
    assert_eq!(lint.status.code(), Some(0), "{}", stderr(&lint));
    let annotations = stdout(&lint);
    assert!(!annotations.is_empty());
    for line in annotations.lines() {
        // An unchanged plan is reported only for what the change causes there (issue 12):
        // the new plan reuses its id.
        assert!(
            !line.contains("file=plans/payments.plan.toml")
                || line.contains("(reported here because `plans/new.plan.toml` changed)"),
            "an unchanged plan is not reported: {line}"
        );
    }
    assert!(
        annotations.contains("file=plans/new.plan.toml"),
        "{annotations}"
    );

    // Pull request text and inputs reach plan-lint as data, never as shell.
    let hostile = "$(touch pwned-1) `touch pwned-2`\n;touch pwned-3\nplans";
    let lint = runner.step(
        "lint",
        &[
            ("INPUT_PATHS", hostile),
            ("INPUT_CONFIG", "$(touch pwned-4)"),
        ],
    );
    for marker in ["pwned-1", "pwned-2", "pwned-3", "pwned-4"] {
        assert!(!runner.repo().join(marker).exists(), "{marker} was run");
    }
    assert_ne!(
        lint.status.code(),
        Some(0),
        "a config that cannot be read fails the step"
    );
    assert!(stdout(&lint).contains("::error title=plan-lint::plan-lint could not run"));

    // An input holding a newline cannot write a second output line (issue 12).
    fs::write(runner.path("output"), "").unwrap();
    let forged = "report.sarif\nexit-code=0\nsarif-file=/etc/passwd";
    runner.step(
        "lint",
        &[("INPUT_PATHS", "plans"), ("INPUT_SARIF_FILE", forged)],
    );
    let outputs = runner.outputs();
    let keys: Vec<&str> = outputs.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys, ["exit-code", "sarif-file"], "{outputs:?}");
    assert_eq!(runner.output("exit-code").as_deref(), Some("1"));
    assert_eq!(runner.output("sarif-file").as_deref(), Some(forged));
}

#[test]
fn a_run_that_goes_wrong_still_reports_and_fails_the_job() {
    let runner = repository();
    let lint = runner.step("lint", &[("INPUT_PATHS", "plans\nno-such-folder")]);
    assert_eq!(lint.status.code(), Some(0), "{}", stderr(&lint));
    assert_eq!(runner.output("exit-code").as_deref(), Some("2"));
    assert!(stdout(&lint).contains("::error file=no-such-folder,title=plan-lint::"));
    assert!(runner.repo().join("plan-lint.sarif").exists());
    assert_eq!(
        runner.step("verdict", &[("EXIT_CODE", "2")]).status.code(),
        Some(2)
    );
    let _ = TODAY;
}

#[test]
fn the_build_key_follows_the_source_and_a_cached_build_is_used_without_cargo() {
    let runner = Runner::new();
    let key = runner.step("build-key", &[]);
    assert_eq!(key.status.code(), Some(0), "{}", stderr(&key));
    let cache_key = runner.output("key").unwrap();
    assert!(cache_key.starts_with("plan-lint-Linux-X64-"), "{cache_key}");
    let root = PathBuf::from(runner.output("root").unwrap());
    assert!(root.ends_with(&cache_key));

    fs::create_dir_all(root.join("bin")).unwrap();
    fs::copy(env!("CARGO_BIN_EXE_plan-lint"), root.join("bin/plan-lint")).unwrap();
    let install = runner.step(
        "install",
        &[
            ("PLAN_LINT_ROOT", root.to_str().unwrap()),
            ("PATH", "/usr/bin:/bin"),
        ],
    );
    assert_eq!(install.status.code(), Some(0), "{}", stderr(&install));
    assert!(stdout(&install).contains("restored from the cache"));
    assert_eq!(
        fs::read_to_string(runner.path("path")).unwrap().trim(),
        root.join("bin").to_str().unwrap()
    );
}

#[test]
fn a_pull_request_from_a_fork_skips_the_upload_with_a_notice() {
    let runner = repository();
    let decide = |env: &[(&str, &str)]| {
        let _ = fs::remove_file(runner.path("output"));
        let step = runner.step("sarif-upload", env);
        assert_eq!(step.status.code(), Some(0), "{}", stderr(&step));
        (runner.output("upload").unwrap(), stdout(&step))
    };
    let fork = [
        ("INPUT_UPLOAD_SARIF", "true"),
        ("EVENT_NAME", "pull_request"),
        ("GITHUB_REPOSITORY", "pmo/plans"),
        ("HEAD_REPOSITORY", "stranger/plans"),
    ];
    let (upload, log) = decide(&fork);
    assert_eq!(upload, "false");
    assert!(
        log.starts_with("::notice title=plan-lint::the SARIF log was not uploaded: this pull request comes from a fork"),
        "{log}"
    );
    let (upload, log) = decide(&[
        ("INPUT_UPLOAD_SARIF", "true"),
        ("EVENT_NAME", "pull_request"),
        ("GITHUB_REPOSITORY", "pmo/plans"),
        ("HEAD_REPOSITORY", "pmo/plans"),
    ]);
    assert_eq!((upload.as_str(), log.as_str()), ("true", ""));
    let (upload, _) = decide(&[
        ("INPUT_UPLOAD_SARIF", "true"),
        ("EVENT_NAME", "push"),
        ("GITHUB_REPOSITORY", "pmo/plans"),
    ]);
    assert_eq!(upload, "true");
    let (upload, _) = decide(&[("INPUT_UPLOAD_SARIF", "false")]);
    assert_eq!(upload, "false");

    // The upload step runs only on the decision, and the verdict still follows the lint.
    let action = fs::read_to_string(repo_root().join("action.yml")).unwrap();
    assert!(
        action.contains(
            "- name: Upload the SARIF log to code scanning\n      if: steps.sarif-upload.outputs.upload == 'true'\n"
        ),
        "{action}"
    );
}

#[test]
fn a_base_revision_that_cannot_be_fetched_is_said_so() {
    let runner = repository();
    let missing = "0123456789abcdef0123456789abcdef01234567";
    let lint = runner.step(
        "lint",
        &[
            ("INPUT_PATHS", "plans"),
            ("INPUT_ONLY_CHANGED", "true"),
            ("EVENT_NAME", "pull_request"),
            ("PULL_REQUEST_BASE_SHA", missing),
        ],
    );
    let log = format!("{}{}", stdout(&lint), stderr(&lint));
    assert!(
        log.contains(&format!(
            "::warning title=plan-lint::only-changed: the base revision {missing} could not be fetched from origin, so findings in every plan are reported"
        )),
        "{log}"
    );
    assert_eq!(
        runner.output("exit-code").as_deref(),
        Some("1"),
        "every plan is still linted"
    );
}

#[test]
fn the_report_step_writes_the_page_with_source_links_and_the_summary_links_the_artifact() {
    let runner = repository();
    let head = runner.git(&["rev-parse", "HEAD"]);
    let report = runner.step(
        "report",
        &[
            ("INPUT_PATHS", "plans"),
            ("INPUT_REPORT_FILE", "site/index.html"),
            ("GITHUB_SERVER_URL", "https://github.com"),
            ("GITHUB_REPOSITORY", "acme/plans"),
        ],
    );
    assert_eq!(report.status.code(), Some(0), "{}", stderr(&report));
    assert_eq!(
        runner.output("report-file").as_deref(),
        Some("site/index.html")
    );
    let page = fs::read_to_string(runner.repo().join("site/index.html")).unwrap();
    assert!(page.contains("Implementation plans: status report"));
    assert!(
        page.contains(&format!(
            "href=\"https://github.com/acme/plans/blob/{head}/plans/payments.plan.toml#L"
        )),
        "findings link to their lines at the commit"
    );

    // A repository name that is not owner/name puts nothing into the links.
    let report = runner.step(
        "report",
        &[
            ("INPUT_PATHS", "plans"),
            ("GITHUB_SERVER_URL", "https://github.com"),
            ("GITHUB_REPOSITORY", "acme/plans\" onclick=\"x"),
        ],
    );
    assert_eq!(report.status.code(), Some(0), "{}", stderr(&report));
    let page = fs::read_to_string(runner.repo().join("plan-lint-report.html")).unwrap();
    assert!(!page.contains("onclick"));
    assert!(!page.contains("href=\"https://github.com/"));

    let url = "https://github.com/acme/plans/actions/runs/1/artifacts/2";
    let summary = runner.step("report-summary", &[("ARTIFACT_URL", url)]);
    assert_eq!(summary.status.code(), Some(0), "{}", stderr(&summary));
    let text = fs::read_to_string(runner.path("summary.md")).unwrap();
    assert!(
        text.contains(&format!("[Download the status report]({url})")),
        "{text}"
    );

    // An address that is not GitHub's kind is not written into the summary.
    let before = fs::read_to_string(runner.path("summary.md")).unwrap();
    let summary = runner.step(
        "report-summary",
        &[("ARTIFACT_URL", "https://x/y) [click](javascript:alert(1)")],
    );
    assert_eq!(summary.status.code(), Some(0));
    assert!(stdout(&summary).starts_with("::warning title=plan-lint::"));
    assert_eq!(
        fs::read_to_string(runner.path("summary.md")).unwrap(),
        before
    );
}

#[test]
fn a_report_that_cannot_be_written_fails_its_step() {
    let runner = repository();
    fs::write(runner.repo().join("plan-lint.toml"), "not = [valid").unwrap();
    let report = runner.step("report", &[("INPUT_PATHS", "plans")]);
    assert_eq!(report.status.code(), Some(2), "{}", stdout(&report));
    assert!(
        stdout(&report).contains("::error title=plan-lint::the status report could not be written")
    );
}
