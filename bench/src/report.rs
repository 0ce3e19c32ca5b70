//! The status report benchmark (issue 18): `plan-lint report` (the HTML page) against
//! `plan-lint check --format json` on the same 10,000 plans, and the page's size. The goal:
//! the report costs at most 2× the check run.
//!
//! Writes its table between the report-bench markers of `bench/RESULTS.md`.
//! `cargo run --release -p plan-lint-bench --bin plan-lint-report-bench [-- --plans N --runs R]`

mod build;
mod corpus;
mod harness;
mod results;

use harness::{median, time};
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::{Command, ExitCode};

const TODAY: &str = "2026-06-01";
const START: &str = "<!-- report-bench:start -->";
const END: &str = "<!-- report-bench:end -->";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("plan-lint-report-bench: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &[String]) -> Result<(), String> {
    let (plans, runs) = harness::plans_and_runs(args.iter().cloned())?;
    let root = harness::repository_root()?;
    let binary = build::build_plan_lint(&root)?;
    let dir = root.join(format!("target/bench-report/n{plans}"));
    if !dir.join("expected.json").exists() {
        corpus::generate(&root, &dir, plans, "toml")?;
    }
    std::fs::write(
        dir.join("plan-lint.toml"),
        "# The benchmark corpus: a project of its own.\n",
    )
    .map_err(|e| e.to_string())?;
    let out = root.join("target/bench-report/out");
    std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
    let page = out.join(format!("report-{plans}.html"));
    let markdown = out.join(format!("report-{plans}.md"));
    let json = out.join(format!("report-{plans}.json"));
    let (mut checks, mut reports) = (Vec::new(), Vec::new());
    // A warm-up of each, then alternate runs so drift hits both alike.
    for run in 0..=runs {
        let check = time(
            Command::new(&binary)
                .args(["check", "--format", "json", "--today", TODAY, "."])
                .current_dir(&dir),
        )?;
        let report = time(
            Command::new(&binary)
                .args(["report", "--today", TODAY, "--output"])
                .arg(&page)
                .arg(".")
                .current_dir(&dir),
        )?;
        if run > 0 {
            checks.push(check);
            reports.push(report);
        }
    }
    for (format, file) in [("markdown", &markdown), ("json", &json)] {
        time(
            Command::new(&binary)
                .args(["report", "--today", TODAY, "--format", format, "--output"])
                .arg(file)
                .arg(".")
                .current_dir(&dir),
        )?;
    }
    let size = |path: &PathBuf| std::fs::metadata(path).map_or(0, |m| m.len()) as f64 / 1e6;
    let (check, report) = (median(&mut checks), median(&mut reports));
    let ratio = report.as_secs_f64() / check.as_secs_f64();
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let mut table = String::new();
    let _ = writeln!(
        table,
        "Measured by `cargo run --release -p plan-lint-bench --bin plan-lint-report-bench` ({threads} threads; medians of {runs} whole-process runs after a warm-up, alternating; `--today {TODAY}`) on the generated corpus of {plans} TOML plans.\n"
    );
    let _ = writeln!(
        table,
        "| plans | check --format json s | report (HTML) s | ratio | within 2× | page MB | Markdown MB | JSON MB |"
    );
    let _ = writeln!(table, "|---:|---:|---:|---:|---|---:|---:|---:|");
    let _ = writeln!(
        table,
        "| {plans} | {:.3} | {:.3} | {ratio:.2}× | {} | {:.1} | {:.1} | {:.1} |",
        check.as_secs_f64(),
        report.as_secs_f64(),
        if ratio <= 2.0 { "yes" } else { "**no**" },
        size(&page),
        size(&markdown),
        size(&json),
    );
    print!("{table}");
    harness::write_section(
        &root.join("bench/RESULTS.md"),
        START,
        END,
        "The status report (issue 18)",
        &table,
    )
}
