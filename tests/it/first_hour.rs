//! A newcomer's first hour (issue 13, points 6-8): a mistyped command, run errors in one
//! style without internal codes, colour as the conventions say, file names kept whole, quiet
//! and statistics output, and completions and a man page generated from the options.

use crate::support::{
    TODAY, diagnostic_fields, json_report, plan_lint_in, repo_root, stderr, stdout,
};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};

/// A repository of one failing and one clean plan.
fn repository() -> tempfile::TempDir {
    crate::support::isolated(&[
        "fixtures/raid-mitigation/fail.plan.toml",
        "examples/warehouse-robotics.plan.json",
    ])
}

/// plan-lint with exactly these environment variables about colour.
fn with_env(cwd: &Path, args: &[&str], vars: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_plan-lint"));
    command.args(args).current_dir(cwd);
    for name in [
        "NO_COLOR",
        "FORCE_COLOR",
        "CLICOLOR_FORCE",
        "CLICOLOR",
        "TERM",
    ] {
        command.env_remove(name);
    }
    command.envs(vars.iter().copied());
    command.output().unwrap()
}

#[test]
fn a_mistyped_command_is_named_and_a_close_one_suggested() {
    let dir = repository();
    let output = plan_lint_in(dir.path(), &["rule"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        "error: unrecognized subcommand or path 'rule'\n  help: did you mean `rules`? (`plan-lint --help` lists the commands)\n"
    );
    assert_eq!(stdout(&output), "", "no report, no summary");
    // A file of that name is a path, whatever it is close to.
    std::fs::copy(
        dir.path().join("examples/warehouse-robotics.plan.json"),
        dir.path().join("rule"),
    )
    .unwrap();
    let output = plan_lint_in(dir.path(), &["rule", "--today", TODAY, "--format", "json"]);
    assert_eq!(stderr(&output), "");
    let linted = json_report(&output)["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["file"] == "rule");
    assert!(
        linted,
        "the file `rule` is linted (its plan id is the example's)"
    );
    // Far from every command: a missing path.
    let output = plan_lint_in(dir.path(), &["zebra"]);
    assert_eq!(stderr(&output), "error: `zebra` does not exist\n");
}

#[test]
fn run_errors_share_one_style_and_show_no_internal_codes() {
    let dir = repository();
    std::fs::write(dir.path().join("bad.toml"), "fail_on = \"sometimes\"\n").unwrap();
    let runs: [&[&str]; 6] = [
        &["init", "examples/warehouse-robotics.plan.json"],
        &["explain", "PL999"],
        &["--select", "nope"],
        &["--config", "missing.toml"],
        &["--config", "bad.toml"],
        &["no/such.plan.toml"],
    ];
    for args in runs {
        let output = plan_lint_in(dir.path(), args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let text = stderr(&output);
        assert!(text.starts_with("error: "), "{args:?}:\n{text}");
        assert!(!text.contains("plan_lint::"), "{args:?}:\n{text}");
        assert!(
            !text.contains('×'),
            "{args:?}: miette's own header:\n{text}"
        );
    }
}

#[test]
fn a_run_that_fails_never_says_no_problems() {
    let dir = repository();
    let output = plan_lint_in(
        dir.path(),
        &[
            "--today",
            TODAY,
            "examples/warehouse-robotics.plan.json",
            "missing.plan.toml",
        ],
    );
    assert_eq!(output.status.code(), Some(2));
    let summary = stdout(&output);
    assert!(!summary.contains("no problems"), "{summary}");
    assert!(summary.contains("1 path could not be read"), "{summary}");
}

#[test]
fn colour_follows_the_option_and_the_environment() {
    let dir = repository();
    let coloured = |args: &[&str], vars: &[(&str, &str)]| {
        let mut all = vec!["--today", TODAY, "fixtures/raid-mitigation/fail.plan.toml"];
        all.extend_from_slice(args);
        let output = with_env(dir.path(), &all, vars);
        assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
        stdout(&output).contains("\x1b[")
    };
    // Not a terminal: plain unless asked.
    assert!(!coloured(&[], &[]));
    assert!(coloured(&["--color", "always"], &[]));
    assert!(
        coloured(&["--color", "always"], &[("NO_COLOR", "1")]),
        "the option wins"
    );
    assert!(!coloured(&["--color", "never"], &[("FORCE_COLOR", "1")]));
    assert!(!coloured(&["--no-color", "--color", "always"], &[]));
    assert!(coloured(&[], &[("FORCE_COLOR", "1")]));
    assert!(coloured(&[], &[("CLICOLOR_FORCE", "1")]));
    assert!(!coloured(&[], &[("FORCE_COLOR", "1"), ("NO_COLOR", "1")]));
    // A report written to a file is never coloured.
    let file = dir.path().join("report.txt");
    let output = with_env(
        dir.path(),
        &[
            "--today",
            TODAY,
            "--color",
            "always",
            "--output",
            file.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(!std::fs::read_to_string(&file).unwrap().contains("\x1b["));
}

#[test]
fn long_file_names_stay_whole_when_a_message_wraps() {
    let dir = tempfile::tempdir().unwrap();
    let folder = "plans/a-folder-with-a-rather-long-name/and-another-one-below-it-for-good-measure";
    let fixture = repo_root().join("fixtures/over-allocation/fail-across-plans");
    std::fs::create_dir_all(dir.path().join(folder)).unwrap();
    for name in ["a.plan.toml", "b.plan.json"] {
        std::fs::copy(fixture.join(name), dir.path().join(folder).join(name)).unwrap();
    }
    let output = plan_lint_in(dir.path(), &["--today", TODAY]);
    let text = stdout(&output);
    assert!(
        text.contains(&format!("{folder}/b.plan.json"))
            && text.contains(&format!("{folder}/a.plan.toml")),
        "each name on one line:\n{text}"
    );
}

#[test]
fn quiet_prints_the_findings_only() {
    let dir = repository();
    let loud = stdout(&plan_lint_in(dir.path(), &["--today", TODAY]));
    let quiet = stdout(&plan_lint_in(dir.path(), &["--today", TODAY, "--quiet"]));
    assert!(loud.ends_with("2 errors in 1 of 2 plans\n"), "{loud}");
    assert_eq!(
        quiet,
        loud.strip_suffix("2 errors in 1 of 2 plans\n").unwrap()
    );
    let clean = plan_lint_in(
        dir.path(),
        &[
            "--today",
            TODAY,
            "-q",
            "examples/warehouse-robotics.plan.json",
        ],
    );
    assert_eq!(stdout(&clean), "", "nothing to say");
}

#[test]
fn statistics_count_the_findings_of_each_rule() {
    // Every fixture at once: many rules, many counts.
    let dir = crate::support::isolated(&["fixtures", "examples"]);
    let report = json_report(&plan_lint_in(
        dir.path(),
        &["--today", TODAY, "--format", "json"],
    ));
    let mut expected: BTreeMap<String, usize> = BTreeMap::new();
    for diagnostic in report["diagnostics"].as_array().unwrap() {
        let key = format!(
            "{} {}",
            diagnostic["code"].as_str().unwrap(),
            diagnostic["rule"].as_str().unwrap()
        );
        *expected.entry(key).or_default() += 1;
    }
    let text = stdout(&plan_lint_in(
        dir.path(),
        &["--today", TODAY, "--statistics"],
    ));
    let mut counted: BTreeMap<String, usize> = BTreeMap::new();
    let mut previous = usize::MAX;
    for line in text.lines().take_while(|line| !line.is_empty()) {
        let parts: Vec<&str> = line.split_whitespace().collect();
        let count: usize = parts[0].parse().unwrap();
        assert!(count <= previous, "most first:\n{text}");
        previous = count;
        counted.insert(format!("{} {}", parts[1], parts[2]), count);
    }
    assert!(expected.len() > 10, "{expected:?}");
    assert_eq!(counted, expected);
    let json: serde_json::Value = serde_json::from_slice(
        &plan_lint_in(
            dir.path(),
            &["--today", TODAY, "--statistics", "--format", "json"],
        )
        .stdout,
    )
    .unwrap();
    let from_json: BTreeMap<String, usize> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            (
                format!(
                    "{} {}",
                    row["code"].as_str().unwrap(),
                    row["name"].as_str().unwrap()
                ),
                row["count"].as_u64().unwrap() as usize,
            )
        })
        .collect();
    assert_eq!(from_json, expected);
    let sarif = plan_lint_in(dir.path(), &["--statistics", "--format", "sarif"]);
    assert_eq!(sarif.status.code(), Some(2));
}

#[test]
fn selecting_and_ignoring_the_same_rule_warns_that_nothing_runs() {
    let dir = repository();
    let output = plan_lint_in(
        dir.path(),
        &["--select", "PL002", "--ignore", "raid-mitigation"],
    );
    assert!(
        stderr(&output)
            .contains("warning: no rule runs: --ignore turns off every rule that --select chooses"),
        "{}",
        stderr(&output)
    );
    let output = plan_lint_in(
        dir.path(),
        &["--select", "PL002,PL003", "--ignore", "PL002"],
    );
    assert!(!stderr(&output).contains("no rule runs"));
}

/// SPEC-NOTES: `--select` runs only the rules it names, `syntax-error` among them; a gate
/// names it with the others.
#[test]
fn a_selection_without_syntax_error_leaves_an_unreadable_plan_unreported() {
    let dir = repository();
    std::fs::write(dir.path().join("broken.plan.toml"), "[plan\nid = 1\n").unwrap();
    let unreadable = |args: &[&str]| {
        let mut all = vec!["--today", TODAY, "--format", "json"];
        all.extend_from_slice(args);
        let output = plan_lint_in(dir.path(), &all);
        let syntax_errors = diagnostic_fields(&json_report(&output), ["rule", "file"])
            .into_iter()
            .filter(|[rule, _]| rule == "syntax-error")
            .map(|[_, file]| file)
            .collect::<Vec<_>>();
        (output.status.code(), syntax_errors)
    };
    assert_eq!(
        unreadable(&["--select", "raid-mitigation"]),
        (Some(1), vec![])
    );
    assert_eq!(
        unreadable(&["--select", "syntax-error,raid-mitigation"]),
        (Some(1), vec!["broken.plan.toml".to_owned()])
    );
    assert_eq!(
        unreadable(&[]),
        (Some(1), vec!["broken.plan.toml".to_owned()])
    );
}

#[test]
fn completions_are_generated_for_every_shell_and_bash_reads_its_own() {
    let dir = repository();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let output = plan_lint_in(dir.path(), &["completions", shell]);
        assert_eq!(output.status.code(), Some(0), "{shell}");
        let script = stdout(&output);
        for word in ["explain", "--statistics", "--color"] {
            assert!(script.contains(word), "{shell} completes {word}");
        }
    }
    // bash parses the script, and completing `plan-lint ex` offers `explain`.
    let script = stdout(&plan_lint_in(dir.path(), &["completions", "bash"]));
    let file = dir.path().join("plan-lint.bash");
    std::fs::write(&file, script).unwrap();
    let complete = format!(
        "source {}; COMP_WORDS=(plan-lint ex); COMP_CWORD=1; _plan__lint plan-lint ex plan-lint; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        file.display()
    );
    let output = Command::new("bash")
        .args(["-c", &complete])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).lines().any(|l| l == "explain"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn the_man_page_renders_and_documents_the_options() {
    let dir = repository();
    let page = plan_lint_in(dir.path(), &["manpage"]);
    assert_eq!(page.status.code(), Some(0));
    let file = dir.path().join("plan-lint.1");
    std::fs::write(&file, &page.stdout).unwrap();
    // groff, as man uses it, renders it without a warning.
    let output = Command::new("groff")
        .args(["-man", "-Tutf8", "-ww"])
        .arg(&file)
        .output()
        .expect("groff runs");
    assert!(output.status.success());
    assert_eq!(stderr(&output), "", "no groff warnings");
    let text = stdout(&output);
    for word in ["plan-lint", "statistics", "completions", "manpage"] {
        assert!(text.contains(word), "{word}:\n{text}");
    }
}
