//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The date every test treats as today, so time-based rules are reproducible.
pub const TODAY: &str = "2026-11-25";

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `plan-lint` with the given arguments, run in `cwd`, without colour.
pub fn plan_lint_in(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_plan-lint"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .expect("the plan-lint binary runs")
}

/// `plan-lint` in `cwd`, killed (and the test failed) if it has not finished within a minute:
/// for inputs that could make it hang.
pub fn plan_lint_in_bounded(cwd: &Path, args: &[&str]) -> Output {
    // Files, not pipes: a child blocked on a full pipe would look like a hang.
    let mut out = tempfile::tempfile().unwrap();
    let mut err = tempfile::tempfile().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_plan-lint"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .stdout(out.try_clone().unwrap())
        .stderr(err.try_clone().unwrap())
        .spawn()
        .expect("the plan-lint binary runs");
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("waiting works") {
            break status;
        }
        if started.elapsed() > std::time::Duration::from_secs(60) {
            let _ = child.kill();
            panic!("plan-lint {args:?} in {} did not finish", cwd.display());
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    };
    let read = |file: &mut std::fs::File| {
        use std::io::{Read, Seek};
        let mut bytes = Vec::new();
        file.rewind().unwrap();
        file.read_to_end(&mut bytes).unwrap();
        bytes
    };
    Output {
        status,
        stdout: read(&mut out),
        stderr: read(&mut err),
    }
}

/// The named fields of every diagnostic in a JSON report, in report order.
pub fn diagnostic_fields<const N: usize>(
    report: &serde_json::Value,
    keys: [&str; N],
) -> Vec<[String; N]> {
    report["diagnostics"]
        .as_array()
        .expect("the report has diagnostics")
        .iter()
        .map(|d| keys.map(|key| d[key].as_str().expect("a string field").to_owned()))
        .collect()
}

/// `plan-lint` run from the repository root.
pub fn plan_lint(args: &[&str]) -> Output {
    plan_lint_in(&repo_root(), args)
}

/// A repository of its own (a temporary folder with `git init`) holding copies of the given
/// repository paths at the same relative paths, each fixture file with the non-plan files of
/// its rule's folder (a design document it links to). In this repository every plan named
/// joins the examples' portfolio; a fixture case is a portfolio of its own.
pub fn isolated(paths: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    git(dir.path(), &["init", "-q"]);
    for path in paths {
        let from = repo_root().join(path);
        copy_tree(&from, &dir.path().join(path));
        if from.is_file()
            && let Some(folder) = Path::new(path).parent()
            && folder.starts_with("fixtures")
        {
            for entry in std::fs::read_dir(repo_root().join(folder)).unwrap() {
                let entry = entry.unwrap().path();
                let name = entry.file_name().unwrap().to_string_lossy().into_owned();
                let is_case = name.ends_with(".plan.toml")
                    || name.ends_with(".plan.json")
                    || name.ends_with(".plan.yaml")
                    || name.ends_with(".plan.md")
                    || name.starts_with("pass")
                    || name.starts_with("fail");
                if !is_case {
                    copy_tree(&entry, &dir.path().join(folder).join(name));
                }
            }
        }
    }
    dir
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to.parent().unwrap()).unwrap();
    if from.is_dir() {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            copy_tree(&entry.path(), &to.join(entry.file_name()));
        }
    } else {
        std::fs::copy(from, to).unwrap();
    }
}

/// `plan-lint` run in an `isolated` copy of every argument that names a path of this
/// repository, so that what it names is the whole portfolio.
pub fn plan_lint_alone(args: &[&str]) -> Output {
    let paths: Vec<&str> = args
        .iter()
        .copied()
        .filter(|arg| !arg.starts_with('-') && !arg.is_empty() && repo_root().join(arg).exists())
        .collect();
    let dir = isolated(&paths);
    plan_lint_in(dir.path(), args)
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The JSON report of a run.
pub fn json_report(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is a JSON report ({e}):\n{}\n{}",
            stdout(output),
            stderr(output)
        )
    })
}

/// Every plan file under a folder of the repository, sorted, as `/`-separated relative paths.
pub fn plan_files(folder: &str) -> Vec<String> {
    plan_files_under(&repo_root(), &repo_root().join(folder))
}

/// The plan files under a folder, relative to it, sorted.
pub fn plan_files_in(folder: &Path) -> Vec<String> {
    plan_files_under(folder, folder)
}

fn plan_files_under(base: &Path, folder: &Path) -> Vec<String> {
    let mut files = Vec::new();
    let mut pending = vec![folder.to_owned()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                if !path.ends_with(".git") {
                    pending.push(path);
                }
            } else if path.to_str().is_some_and(|p| {
                [
                    ".plan.toml",
                    ".plan.json",
                    ".plan.yaml",
                    ".plan.yml",
                    ".plan.md",
                ]
                .iter()
                .any(|suffix| p.ends_with(suffix))
            }) {
                let relative = path.strip_prefix(base).unwrap();
                files.push(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    files.sort();
    files
}

/// Lint texts in-process as the files of one run, each named `example-N.plan.<language>`:
/// (rule name, path) per finding.
pub fn lint_texts(examples: &[(&str, &str)]) -> Vec<(String, String)> {
    lint_messages(examples)
        .into_iter()
        .map(|(rule, _, path, _)| (rule, path))
        .collect()
}

/// Lint texts as the files of one run with a config, by the command line in a folder of its
/// own: the rule name of each finding.
pub fn lint_texts_with_config(config: &str, examples: &[(&str, &str)]) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("plan-lint.toml"), config).unwrap();
    for (i, (language, text)) in examples.iter().enumerate() {
        std::fs::write(
            dir.path().join(format!("example-{i}.plan.{language}")),
            text,
        )
        .unwrap();
    }
    let output = plan_lint_in(dir.path(), &["--today", TODAY, "--format", "json", "."]);
    json_report(&output)["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap().to_owned())
        .collect()
}

/// Lint texts in-process as the files of one run, each named `example-N.plan.<language>`:
/// (rule name, file index, logical path, message) per finding.
pub fn lint_messages(examples: &[(&str, &str)]) -> Vec<(String, usize, String, String)> {
    let arena = plan_model::Arena::new();
    let parsed: Vec<_> = examples
        .iter()
        .enumerate()
        .map(|(i, (language, text))| {
            let name = format!("example-{i}.plan.{language}");
            let format = plan_model::Format::of_path(&name);
            plan_model::parse(&name, format, text.as_bytes(), &arena)
        })
        .collect();
    let facts = plan_rules::Facts::today(TODAY.parse().unwrap());
    plan_rules::check(&parsed, &facts, &plan_rules::Defaults)
        .findings
        .into_iter()
        .map(|f| (f.rule.name.to_owned(), f.file, f.path, f.message))
        .collect()
}

/// The external checkers (the official SARIF schema, the SARIF multitool, check-jsonschema,
/// actionlint, pre-commit, ShellCheck), installed by `tools/checkers/install.sh` under
/// `ORACLES_HOME`.
pub struct Oracles {
    /// The folder of the check scripts.
    pub scripts: PathBuf,
    /// Where `install.sh` put the tools.
    pub home: PathBuf,
}

impl Oracles {
    pub fn venv_bin(&self, tool: &str) -> PathBuf {
        self.home.join("venv/bin").join(tool)
    }

    pub fn script(&self, name: &str) -> PathBuf {
        self.scripts.join(name)
    }

    /// Run an oracle command; its output, and whether it passed.
    pub fn run(&self, command: &mut Command) -> (bool, String) {
        let output = command
            .env("ORACLES_HOME", &self.home)
            .output()
            .expect("the oracle runs");
        let text = format!("{}{}", stdout(&output), stderr(&output));
        (output.status.success(), text)
    }
}

/// The checkers, when installed. Without them the calling test is skipped: it says so on
/// standard error and in `target/checkers-skipped.log`, which `.ci/run` requires to be empty;
/// with `PLAN_LINT_ORACLES=required` (set by `.ci/run`) a missing checker fails the test.
#[track_caller]
pub fn oracles() -> Option<Oracles> {
    let scripts = repo_root().join("tools/checkers");
    let home = std::env::var_os("ORACLES_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/tmp/plan-lint-oracles"));
    let installed = ["check-jsonschema", "pre-commit", "shellcheck", "pytest"]
        .iter()
        .all(|tool| home.join("venv/bin").join(tool).exists())
        && home.join("npm/node_modules").exists()
        && home.join("browser/node_modules/puppeteer-core").exists();
    if installed {
        return Some(Oracles { scripts, home });
    }
    assert!(
        std::env::var("PLAN_LINT_ORACLES").as_deref() != Ok("required"),
        "the external checkers are required but not installed under {} (bash tools/checkers/install.sh)",
        home.display()
    );
    let caller = std::panic::Location::caller();
    record_skip(&format!(
        "the test at {}:{} needs the external checkers (bash tools/checkers/install.sh)",
        caller.file(),
        caller.line()
    ));
    None
}

/// A test that could not run for want of a tool: said on standard error and in
/// `target/checkers-skipped.log`, which `.ci/run` requires to be empty.
pub fn record_skip(why: &str) {
    let line = format!("skipped: {why}\n");
    eprint!("{line}");
    let log = repo_root().join("target/checkers-skipped.log");
    if let Ok(mut file) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
    {
        use std::io::Write;
        let _ = file.write_all(line.as_bytes());
    }
}

/// A fixture case: one plan file, or a folder of plans linted together (for rules that look
/// across plans), directly under `fixtures/<rule>/`.
pub fn fixture_cases() -> Vec<String> {
    let mut cases: Vec<String> = plan_files("fixtures")
        .iter()
        // Fix fixtures (`fix-*.before` and `fix-*.after`) are tested by `fixes.rs`.
        .filter(|file| {
            !file
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .starts_with("fix-")
        })
        .map(|file| {
            let parts: Vec<&str> = file.splitn(4, '/').collect();
            if parts.len() == 4 {
                parts[..3].join("/")
            } else {
                file.clone()
            }
        })
        .collect();
    cases.dedup();
    cases
}

/// git in `dir`, with a throwaway identity; the test fails if git does.
pub fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@localhost"])
        .args(args)
        .current_dir(dir)
        .status()
        .unwrap();
    assert!(status.success(), "git {args:?}");
}

/// The step outputs a simulated step wrote to `GITHUB_OUTPUT`, read as GitHub's runner reads
/// them: `k=v` lines, and `k<<DELIMITER` blocks.
pub fn github_outputs(file: &Path) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(file).unwrap_or_default();
    let mut lines = text.lines();
    let mut outputs = Vec::new();
    while let Some(line) = lines.next() {
        if let Some((key, delimiter)) = line.split_once("<<") {
            let mut value = Vec::new();
            for line in lines.by_ref() {
                if line == delimiter {
                    break;
                }
                value.push(line);
            }
            outputs.push((key.to_owned(), value.join("\n")));
        } else if let Some((key, value)) = line.split_once('=') {
            outputs.push((key.to_owned(), value.to_owned()));
        }
    }
    outputs
}

/// The last value written for the step output `key`.
pub fn github_output(file: &Path, key: &str) -> Option<String> {
    github_outputs(file)
        .into_iter()
        .rev()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v)
}
