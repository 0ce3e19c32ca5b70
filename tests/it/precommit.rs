//! The pre-commit hook, run by the real pre-commit (`try-repo`, which builds plan-lint from
//! this repository with `cargo install`, exactly as a user's pre-commit would).

use crate::support::{Oracles, oracles, repo_root};
use std::process::Command;

/// The real pre-commit running this repository's hook `hook` on `file`
/// (check-precommit.sh), with one variable of the environment set: whether it gave the
/// expected verdict, and what it printed.
fn run_hook(
    oracles: &Oracles,
    hook: &str,
    expect_fail: bool,
    file: &str,
    (name, value): (&str, &std::ffi::OsStr),
) -> (bool, String) {
    let mut command = Command::new("bash");
    command.arg(oracles.script("check-precommit.sh"));
    if expect_fail {
        command.arg("--expect-fail");
    }
    command
        .arg(repo_root())
        .arg(hook)
        .arg(file)
        .current_dir(repo_root())
        .env(name, value);
    oracles.run(&mut command)
}

#[test]
fn the_hook_fails_a_commit_with_a_bad_plan_showing_why_and_passes_a_good_one() {
    let Some(oracles) = oracles() else { return };
    // try-repo rebuilds the hook in a throw-away store every time; a shared target folder
    // makes every build after the first incremental.
    let target = repo_root().join("target/pre-commit-hook");
    let check = |expect_fail: bool, file: &str| {
        run_hook(
            &oracles,
            "plan-lint",
            expect_fail,
            file,
            ("CARGO_TARGET_DIR", target.as_os_str()),
        )
    };

    let (passed, text) = check(true, "fixtures/raid-mitigation/fail.plan.toml");
    assert!(passed, "a bad plan fails the hook:\n{text}");
    assert!(
        text.contains("error[PL002/raid-mitigation]")
            && text.contains("open risk R-1 has no mitigation"),
        "the diagnostics are shown:\n{text}"
    );

    let (passed, text) = check(false, "examples/warehouse-robotics.plan.json");
    assert!(passed, "a good plan passes the hook:\n{text}");
    assert!(text.contains("check-precommit: PASS"), "{text}");
}

#[test]
fn the_hook_runs_on_plans_and_on_the_config_as_pre_commit_matches_them() {
    let oracles = oracles().expect("the checkers are installed");
    // pre-commit matches `files` with Python's `re.search` on each staged path.
    let script = r#"
import re, sys, yaml
[hook] = [h for h in yaml.safe_load(open(sys.argv[1])) if h["id"] == "plan-lint"]
for name in sys.argv[2:]:
    print(name, bool(re.search(hook["files"], name)))
"#;
    let names = [
        ("a.plan.toml", true),
        ("plans/b.plan.json", true),
        ("plans/c.plan.yaml", true),
        ("d.plan.yml", true),
        ("docs/e.plan.md", true),
        ("README.md", false),
        ("config.yaml", false),
        ("plan-lint.toml", true),
        ("team/.plan-lint.toml", true),
        ("notplan-lint.toml", false),
        ("plan-lint.toml.bak", false),
        ("a.plan.toml.orig", false),
    ];
    let mut command = Command::new(oracles.home.join("venv/bin/python"));
    command
        .args(["-c", script])
        .arg(repo_root().join(".pre-commit-hooks.yaml"))
        .args(names.iter().map(|(name, _)| name));
    let (passed, text) = oracles.run(&mut command);
    assert!(passed, "{text}");
    for (name, matches) in names {
        assert!(
            text.contains(&format!(
                "{name} {}",
                if matches { "True" } else { "False" }
            )),
            "{name}: {text}"
        );
    }
}

/// `plan-lint-system` runs the plan-lint on PATH, as ruff-pre-commit's and others' system
/// hooks do: nothing is built.
#[test]
fn the_system_hook_runs_the_installed_plan_lint() {
    let Some(oracles) = oracles() else { return };
    // A plan-lint on PATH that says it ran, then runs the binary under test.
    let wrapper = tempfile::tempdir().unwrap();
    let script = wrapper.path().join("plan-lint");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\necho 'the plan-lint on PATH ran'\nexec '{}' \"$@\"\n",
            env!("CARGO_BIN_EXE_plan-lint")
        ),
    )
    .unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let path = format!(
        "{}:{}",
        wrapper.path().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let check = |expect_fail: bool, file: &str| {
        run_hook(
            &oracles,
            "plan-lint-system",
            expect_fail,
            file,
            ("PATH", path.as_ref()),
        )
    };
    let (passed, text) = check(true, "fixtures/raid-mitigation/fail.plan.toml");
    assert!(passed, "a bad plan fails the hook:\n{text}");
    assert!(text.contains("open risk R-1 has no mitigation"), "{text}");
    let (passed, text) = check(false, "examples/warehouse-robotics.plan.json");
    assert!(passed, "a good plan passes the hook:\n{text}");
    assert!(!text.contains("cargo install"), "nothing is built:\n{text}");
    assert!(text.contains("the plan-lint on PATH ran"), "{text}");
}
