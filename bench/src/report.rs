//! The status report benchmark (issue 18): `plan-lint report` (the HTML page) against
//! `plan-lint check --format json` on the same 10,000 plans, and the page's size. The goal:
//! the report costs at most 2× the check run.
//!
//! Writes its table between the report-bench markers of `bench/RESULTS.md`.
//! `cargo run --release -p plan-lint-bench --bin plan-lint-report-bench [-- --plans N --runs R]`

mod build;
mod corpus;
mod results;

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

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
    let (mut plans, mut runs) = (10_000, 5);
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut number = || -> Result<usize, String> {
            args.next()
                .and_then(|n| n.parse().ok())
                .ok_or_else(|| format!("{arg} takes a number"))
        };
        match arg.as_str() {
            "--plans" => plans = number()?,
            "--runs" => runs = number()?,
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .ok_or("no repository root")?
        .to_owned();
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
    let path = root.join("bench/RESULTS.md");
    let existing =
        std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let text = results::between_markers(&existing, START, END, &table).unwrap_or_else(|| {
        format!("{existing}\n## The status report (issue 18)\n\n{START}\n{table}{END}\n")
    });
    std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))
}

fn time(command: &mut Command) -> Result<Duration, String> {
    let started = Instant::now();
    let status = command
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map_err(|e| e.to_string())?;
    match status.code() {
        Some(0 | 1) => Ok(started.elapsed()),
        _ => Err(format!("{command:?} failed")),
    }
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times[times.len() / 2]
}
