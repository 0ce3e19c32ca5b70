//! The YAML and Markdown benchmark (issue 17): plan-lint on 10,000 YAML plans and on 10,000
//! Markdown plans (written by the corpus generator, `bench/gen_corpus.py`), each against its own
//! parse-only floor: the same parsers with nothing built, checked or reported (saphyr-parser's
//! events for YAML; for Markdown, the front matter's YAML events and pulldown-cmark's events for
//! the body). The goal: each within 1.5× its floor. Also timed: plan-lint reading only
//! (`--select syntax-error`: every file read, typed and schema-checked, no other rule run), which
//! splits what plan-lint adds to the floor into reading and the rules with their report.
//!
//! Writes its table between the formats-bench markers of `bench/RESULTS.md`.
//! `cargo run --release -p plan-lint-bench --bin plan-lint-formats-bench [-- --plans N --runs R]`

mod build;
mod corpus;
mod harness;
mod results;

use harness::{median, time};
use rayon::prelude::*;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Duration;

const TODAY: &str = "2026-06-01";
const START: &str = "<!-- formats-bench:start -->";
const END: &str = "<!-- formats-bench:end -->";
const FORMATS: [&str; 2] = ["yaml", "md"];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("floor") {
        return match args.get(1) {
            Some(dir) => {
                let (files, events) = floor(Path::new(dir));
                println!("{files} files, {events} events");
                ExitCode::SUCCESS
            }
            None => {
                eprintln!("usage: plan-lint-formats-bench floor DIR");
                ExitCode::from(2)
            }
        };
    }
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("plan-lint-formats-bench: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &[String]) -> Result<(), String> {
    let (plans, runs) = harness::plans_and_runs(args.iter().cloned())?;
    let root = harness::repository_root()?;
    let binary = build::build_plan_lint(&root)?;
    let this = std::env::current_exe().map_err(|e| e.to_string())?;
    let base = root.join(format!("target/bench-formats/n{plans}"));
    let mut rows = Vec::new();
    for format in FORMATS {
        let dir = base.join(format);
        if !dir.join("expected.json").exists() {
            corpus::generate(&root, &dir, plans, format)?;
        }
        std::fs::write(
            dir.join("plan-lint.toml"),
            "# The benchmark corpus: a project of its own.\n",
        )
        .map_err(|e| format!("{}: {e}", dir.display()))?;
        // A warm-up of each, then alternate runs so drift hits both alike.
        let (mut ours, mut reading, mut floors) = (Vec::new(), Vec::new(), Vec::new());
        let check = ["check", "--format", "json", "--today", TODAY, "."];
        for run in 0..=runs {
            let lint = time(Command::new(&binary).args(check).current_dir(&dir))?;
            let read = time(
                Command::new(&binary)
                    .args(check)
                    .args(["--select", "syntax-error"])
                    .current_dir(&dir),
            )?;
            let floor = time(Command::new(&this).arg("floor").arg(&dir))?;
            if run > 0 {
                ours.push(lint);
                reading.push(read);
                floors.push(floor);
            }
        }
        rows.push(Row {
            format,
            files: plans,
            ours: median(&mut ours),
            reading: median(&mut reading),
            floor: median(&mut floors),
        });
    }
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let mut report = String::new();
    let _ = writeln!(
        report,
        "Measured by `cargo run --release -p plan-lint-bench --bin plan-lint-formats-bench` ({threads} threads; medians of {runs} whole-process runs after a warm-up, alternating; `--today {TODAY}`). The corpora are written by `bench/gen_corpus.py --format yaml` and `--format md`: the same plans as the TOML corpus.\n"
    );
    let _ = writeln!(
        report,
        "| format | plans | plan-lint s | reading only s | parse-only floor s | ratio | reading only ratio | within 1.5× |"
    );
    let _ = writeln!(report, "|---|---:|---:|---:|---:|---:|---:|---|");
    for row in &rows {
        let floor = row.floor.as_secs_f64();
        let ratio = row.ours.as_secs_f64() / floor;
        let _ = writeln!(
            report,
            "| {} | {} | {:.3} | {:.3} | {floor:.3} | {ratio:.2}× | {:.2}× | {} |",
            if row.format == "md" {
                "Markdown"
            } else {
                "YAML"
            },
            row.files,
            row.ours.as_secs_f64(),
            row.reading.as_secs_f64(),
            row.reading.as_secs_f64() / floor,
            if ratio <= 1.5 { "yes" } else { "**no**" }
        );
    }
    print!("{report}");
    harness::write_section(
        &root.join("bench/RESULTS.md"),
        START,
        END,
        "YAML and Markdown plans (issue 17)",
        &report,
    )
}

/// One format's medians: the whole check, reading only, and the floor.
struct Row {
    format: &'static str,
    files: usize,
    ours: Duration,
    reading: Duration,
    floor: Duration,
}

/// Parse every plan of `dir` with the parsers plan-lint reads it with, building nothing: the
/// number of files and of events seen.
fn floor(dir: &Path) -> (usize, usize) {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| entries.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.to_string_lossy().contains(".plan."));
    let events = files
        .par_iter()
        .map(|path| {
            let Ok(text) = std::fs::read_to_string(path) else {
                return 0;
            };
            if path.to_string_lossy().ends_with(".md") {
                markdown_events(&text)
            } else {
                yaml_events(&text)
            }
        })
        .sum();
    (files.len(), events)
}

fn yaml_events(text: &str) -> usize {
    let mut parser = saphyr_parser::Parser::new_from_str(text);
    let mut count = 0;
    while let Some(Ok(_)) = parser.next_event() {
        count += 1;
    }
    count
}

fn markdown_events(text: &str) -> usize {
    let (front, body) = match text
        .strip_prefix("---\n")
        .and_then(|rest| rest.split_once("\n---\n"))
    {
        Some((front, body)) => (front, body),
        None => ("", text),
    };
    let options = pulldown_cmark::Options::ENABLE_TABLES;
    yaml_events(front)
        + pulldown_cmark::Parser::new_ext(body, options)
            .into_offset_iter()
            .count()
}
