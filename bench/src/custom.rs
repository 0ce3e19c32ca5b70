//! The custom rules' benchmark (issue 16): ten typical house rules (the starter pack's seven
//! and three that use the helpers) on the 10,000-plan TOML corpus, against the built-in rules
//! alone on the same plans, in one run. The goal: at most 1.3× the built-in run.
//!
//! Writes its table between the custom-bench markers of `bench/RESULTS.md`.
//! `cargo run --release -p plan-lint-bench --bin plan-lint-custom-bench [-- --plans N --runs R]`

mod build;
mod corpus;
mod harness;
mod results;

use harness::median;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

const TODAY: &str = "2026-06-01";
const START: &str = "<!-- custom-bench:start -->";
const END: &str = "<!-- custom-bench:end -->";

/// Three rules beyond the starter pack, for the helpers `has_person`, `entry_by_id` and
/// `days_between` and a rule over `resources`.
const EXTRA_RULES: &str = r#"
[[custom_rules]]
code = "BEN001"
name = "raid-owner-is-named"
summary = "Open RAID entries are owned by someone the plan names"
for_each = "raid"
when = "entry.status == 'open' && has(entry.owner)"
assert = "has_person(entry.owner)"
at = "owner"
message = "{{entry.owner}} owns {{entry.id}} but is not in [people]"

[[custom_rules]]
code = "BEN002"
name = "backlog-milestone-exists"
summary = "A backlog item's milestone is one of the plan's"
for_each = "backlog"
when = "has(entry.milestone)"
assert = "entry_by_id('milestones', entry.milestone) != null"
at = "milestone"
message = "{{entry.id}} leads to milestone {{entry.milestone}}, which the plan lacks"

[[custom_rules]]
code = "BEN003"
name = "part-time-resources-are-dated"
summary = "A part-time resource has an end date within two years"
for_each = "resources"
when = "has(entry.allocation) && entry.allocation < 1.0"
assert = "!has(entry.until) || days_between(today, entry.until) <= 730"
at = "until"
message = "{{entry.person}} is allocated until {{entry.until}}"
"#;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("plan-lint-custom-bench: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let (plans, runs) = harness::plans_and_runs(std::env::args().skip(1))?;
    let root = harness::repository_root()?;
    let binary = build::build_plan_lint(&root)?;
    let dir = corpus(&root, plans)?;
    let rules = write_rules(&root, &dir)?;

    // What each configuration finds, once: the custom rules must actually fire.
    let custom_findings = count_custom_findings(&binary, &dir)?;
    if custom_findings == 0 {
        return Err(
            "the custom rules found nothing on the corpus: the benchmark would measure nothing"
                .into(),
        );
    }
    // A warm-up of each, then alternate runs so drift hits both alike.
    let (mut built_in, mut custom) = (Vec::new(), Vec::new());
    for run in 0..=runs {
        let a = time(&binary, &dir, "built-in.toml")?;
        let b = time(&binary, &dir, "custom.toml")?;
        if run > 0 {
            built_in.push(a);
            custom.push(b);
        }
    }
    let (built_in, custom) = (median(&mut built_in), median(&mut custom));
    // Each rule alone, in this process, over every plan parsed once: what one rule costs.
    let alone = per_rule_costs(&root, &dir)?;
    let ratio = custom.as_secs_f64() / built_in.as_secs_f64();
    let extra = custom.saturating_sub(built_in);
    let per_rule_per_plan = extra.as_secs_f64() * 1e6 / (rules * plans) as f64;
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let mut report = String::new();
    let _ = writeln!(
        report,
        "Measured by `cargo run --release -p plan-lint-bench --bin plan-lint-custom-bench` ({threads} threads; medians of {runs} whole-process runs after a warm-up, alternating; `--today {TODAY}`).\n"
    );
    let _ = writeln!(report, "| what | plans | median s |");
    let _ = writeln!(report, "|---|---:|---:|");
    let _ = writeln!(
        report,
        "| built-in rules | {plans} | {:.3} |",
        built_in.as_secs_f64()
    );
    let _ = writeln!(
        report,
        "| built-in rules and {rules} custom rules ({custom_findings} custom findings) | {plans} | {:.3} |",
        custom.as_secs_f64()
    );
    let _ = writeln!(report);
    let _ = writeln!(report, "| target | measured | met |");
    let _ = writeln!(report, "|---|---|---|");
    let _ = writeln!(
        report,
        "| {rules} custom rules on {plans} plans: at most 1.3× the built-in run | {ratio:.2}× | {} |",
        if ratio <= 1.3 { "yes" } else { "**no**" }
    );
    let _ = writeln!(
        report,
        "| cost of one custom rule on one plan (wall time, {threads} threads) | {per_rule_per_plan:.2} µs | — |"
    );
    let _ = writeln!(report);
    let _ = writeln!(
        report,
        "| each rule alone (one thread, in process, median of {SINGLE_RUNS} passes over every plan) | cost per plan |"
    );
    let _ = writeln!(report, "|---|---:|");
    for (name, per_plan) in &alone {
        let _ = writeln!(report, "| `{name}` | {per_plan:.2} µs |");
    }
    print!("{report}");
    harness::write_section(
        &root.join("bench/RESULTS.md"),
        START,
        END,
        "Custom rules (issue 16)",
        &report,
    )
}

/// The corpus of `plans` TOML plans, generated once, with two configs: the built-in rules
/// alone, and with the custom rules.
fn corpus(root: &Path, plans: usize) -> Result<PathBuf, String> {
    let dir = root.join(format!("target/bench-custom/n{plans}"));
    if !dir.join("expected.json").exists() {
        corpus::generate(root, &dir, plans, "toml")?;
    }
    Ok(dir)
}

/// The starter pack and the extra rules in `dir/rules/`, and the two configs; the number of
/// custom rules.
fn write_rules(root: &Path, dir: &Path) -> Result<usize, String> {
    let rules = dir.join("rules");
    let io = |e: std::io::Error| format!("{}: {e}", rules.display());
    std::fs::create_dir_all(&rules).map_err(io)?;
    let mut count = EXTRA_RULES.matches("[[custom_rules]]").count();
    for entry in std::fs::read_dir(root.join("examples/rules")).map_err(io)? {
        let path = entry.map_err(io)?.path();
        let text = std::fs::read_to_string(&path).map_err(io)?;
        count += text.matches("[[custom_rules]]").count();
        std::fs::write(rules.join(path.file_name().ok_or("a rule file")?), text).map_err(io)?;
    }
    std::fs::write(rules.join("extra.toml"), EXTRA_RULES).map_err(io)?;
    std::fs::write(dir.join("built-in.toml"), "# The built-in rules alone.\n").map_err(io)?;
    std::fs::write(dir.join("custom.toml"), "rule_files = [\"rules/*.toml\"]\n").map_err(io)?;
    Ok(count)
}

const SINGLE_RUNS: usize = 3;

/// What each rule costs on one plan: every plan of `dir` is parsed once, then each rule is
/// checked on each plan (`plan_custom::check`, what the engine calls), timed around the check
/// alone; the median of [`SINGLE_RUNS`] passes, in µs per plan.
fn per_rule_costs(root: &Path, dir: &Path) -> Result<Vec<(String, f64)>, String> {
    let today: jiff::civil::Date = TODAY.parse().map_err(|e| format!("{e}"))?;
    let mut rules = Vec::new();
    for (name, definition) in single_rules(root)? {
        let arena = plan_model::value::Arena::new();
        let value =
            plan_model::parse_toml(&definition, &arena).map_err(|e| format!("{name}: {e:?}"))?;
        let plan_model::value::Kind::Table(table) = &value.kind else {
            return Err(format!("{name}: not a table"));
        };
        let entry = table.entries.first().ok_or("an empty rule file")?;
        let (mut read, problems) = plan_custom::read_custom_rules(entry, &definition, &[]);
        if !problems.is_empty() || read.len() != 1 {
            return Err(format!("{name}: {problems:?}"));
        }
        rules.push(read.remove(0));
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| e.to_string())?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.to_string_lossy().ends_with(".plan.toml"))
        .collect();
    files.sort();
    let mut spent = vec![vec![Duration::ZERO; SINGLE_RUNS]; rules.len()];
    for file in &files {
        let text = std::fs::read_to_string(file).map_err(|e| e.to_string())?;
        let arena = plan_model::value::Arena::new();
        let Ok(document) = plan_model::parse_toml(&text, &arena) else {
            continue;
        };
        for (rule, spent) in rules.iter().zip(&mut spent) {
            for spent in spent.iter_mut() {
                let started = Instant::now();
                std::hint::black_box(plan_custom::check(rule, &document, today));
                *spent += started.elapsed();
            }
        }
    }
    Ok(rules
        .iter()
        .zip(&mut spent)
        .map(|(rule, spent)| {
            let per_plan = median(spent).as_secs_f64() * 1e6 / files.len().max(1) as f64;
            (rule.name.clone(), per_plan)
        })
        .collect())
}

/// Every custom rule of the benchmark on its own: its name, and a rule file holding only it.
fn single_rules(root: &Path) -> Result<Vec<(String, String)>, String> {
    let mut texts = vec![EXTRA_RULES.to_owned()];
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join("examples/rules"))
        .map_err(|e| e.to_string())?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .collect();
    files.sort();
    for file in files {
        texts.push(std::fs::read_to_string(&file).map_err(|e| e.to_string())?);
    }
    let mut rules = Vec::new();
    for text in texts {
        for part in text.split("[[custom_rules]]").skip(1) {
            let name = part
                .lines()
                .find_map(|line| line.strip_prefix("name = \""))
                .and_then(|rest| rest.strip_suffix('"'))
                .ok_or("a rule without a name")?;
            rules.push((name.to_owned(), format!("[[custom_rules]]{part}")));
        }
    }
    Ok(rules)
}

fn plan_lint(binary: &Path, dir: &Path, config: &str) -> Command {
    let mut command = Command::new(binary);
    command.current_dir(dir).args([
        "--today",
        TODAY,
        "--config",
        config,
        "--no-baseline",
        "--format",
        "concise",
        ".",
    ]);
    command
}

fn time(binary: &Path, dir: &Path, config: &str) -> Result<Duration, String> {
    harness::time(&mut plan_lint(binary, dir, config))
        .map_err(|_| format!("plan-lint --config {config} failed"))
}

fn count_custom_findings(binary: &Path, dir: &Path) -> Result<usize, String> {
    let output = plan_lint(binary, dir, "custom.toml")
        .output()
        .map_err(|e| e.to_string())?;
    if !matches!(output.status.code(), Some(0 | 1)) {
        return Err(format!(
            "plan-lint with the custom rules failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let text = String::from_utf8_lossy(&output.stdout);
    Ok(text
        .lines()
        .filter(|line| line.contains("[ORG") || line.contains("[BEN"))
        .count())
}
