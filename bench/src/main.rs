//! plan-lint's benchmark harness. In one run it generates a deterministic corpus, measures
//! plan-lint end to end (whole process, several runs), the parse-only floor, and Stoplight
//! Spectral with the equivalent ruleset when Node.js is there, then prints absolute figures and
//! ratios taken in that same run and writes them into `bench/RESULTS.md`.
//!
//! ```text
//! cargo run --release -p plan-lint-bench                 # N = 1,000 and 10,000
//! cargo run --release -p plan-lint-bench -- --sizes 1000 --runs 3 --no-spectral
//! ```
//!
//! Timings are medians over `--runs` whole-process runs (after one warm-up run that also
//! reads the peak memory, through GNU time when it is installed). The machine is noisy;
//! ratios from one run are what the targets are judged on.

mod build;
mod corpus;
mod results;

use build::build_plan_lint;
use rayon::prelude::*;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

/// The date the corpus's time-based rules are judged on, so every run sees the same findings.
const TODAY: &str = "2026-06-01";
const SPECTRAL: &str = "@stoplight/spectral-cli@6.16.3";

struct Options {
    sizes: Vec<usize>,
    runs: usize,
    spectral_runs: usize,
    spectral: bool,
    out: PathBuf,
    corpus: PathBuf,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("floor") {
        return floor(&args[1..]);
    }
    match options(&args).and_then(|options| run(&options)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("plan-lint-bench: {message}");
            ExitCode::from(2)
        }
    }
}

fn options(args: &[String]) -> Result<Options, String> {
    let root = repository_root();
    let mut options = Options {
        sizes: vec![1_000, 10_000],
        runs: 5,
        spectral_runs: 3,
        spectral: true,
        out: root.join("bench/RESULTS.md"),
        corpus: root.join("target/bench-corpus"),
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = || args.next().cloned().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--sizes" => {
                options.sizes = value()?
                    .split(',')
                    .map(|n| n.trim().replace('_', "").parse())
                    .collect::<Result<_, _>>()
                    .map_err(|e| format!("--sizes: {e}"))?;
            }
            "--runs" => options.runs = value()?.parse().map_err(|e| format!("--runs: {e}"))?,
            "--spectral-runs" => {
                options.spectral_runs = value()?
                    .parse()
                    .map_err(|e| format!("--spectral-runs: {e}"))?;
            }
            "--no-spectral" => options.spectral = false,
            "--out" => options.out = PathBuf::from(value()?),
            "--corpus" => options.corpus = PathBuf::from(value()?),
            "-h" | "--help" => {
                println!(
                    "plan-lint-bench [--sizes 1000,10000] [--runs 5] [--spectral-runs 3] \
                     [--no-spectral] [--out bench/RESULTS.md] [--corpus target/bench-corpus]"
                );
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(options)
}

fn repository_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_owned)
        .unwrap_or_default()
}

/// One measured command.
struct Measurement {
    name: String,
    files: usize,
    median: Duration,
    min: Duration,
    max: Duration,
    runs: usize,
    peak_kib: Option<u64>,
}

fn run(options: &Options) -> Result<(), String> {
    let root = repository_root();
    let plan_lint = build_plan_lint(&root)?;
    let this = std::env::current_exe().map_err(|e| e.to_string())?;
    let mut results: Vec<Measurement> = Vec::new();
    let spectral = if options.spectral {
        spectral(&root)
    } else {
        None
    };
    for &n in &options.sizes {
        let corpus = corpus(&root, &options.corpus, n)?;
        for format in ["json", "toml"] {
            let dir = corpus.join(format);
            let dir_arg = dir.to_string_lossy().into_owned();
            let files = count_plans(&dir);
            results.push(measure(
                &format!("plan-lint {format} N={n}"),
                files,
                options.runs,
                Command::new(&plan_lint)
                    .args(["check", "--format", "json", "--today", TODAY, &dir_arg])
                    .current_dir(&dir),
            )?);
            // One plan named in the project, as pre-commit names a staged plan: the portfolio
            // rules still see every plan of the project.
            let named = first_plan(&dir, format)?;
            results.push(measure(
                &format!("plan-lint {format} N={n} one named"),
                files,
                options.runs,
                Command::new(&plan_lint)
                    .args(["check", "--format", "json", "--today", TODAY])
                    .arg(&named)
                    .current_dir(&dir),
            )?);
            results.push(measure(
                &format!("floor {format} N={n}"),
                files,
                options.runs,
                Command::new(&this).args(["floor", &dir_arg]),
            )?);
        }
        if let Some(spectral) = spectral.as_ref().filter(|_| n <= 1_000) {
            let dir = corpus.join("json");
            let output = options.corpus.join("spectral.json");
            results.push(measure(
                &format!("spectral json N={n}"),
                count_plans(&dir),
                options.spectral_runs,
                spectral_lint(spectral, &root)
                    .args(["-f", "json", "-o", &output.to_string_lossy()])
                    .arg(format!("{}/*.plan.json", dir.display())),
            )?);
        }
    }
    // A project of one plan, as a pre-commit hook lints it: process start included.
    let smallest = *options.sizes.iter().min().unwrap_or(&1_000);
    let first = first_plan(
        &options.corpus.join(format!("n{smallest}")).join("json"),
        "json",
    )?;
    let alone = options.corpus.join("one");
    let one = alone.join(first.file_name().unwrap_or_default());
    std::fs::create_dir_all(&alone)
        .and_then(|()| std::fs::copy(&first, &one))
        .and_then(|_| make_project(&alone))
        .map_err(|e| format!("{}: {e}", alone.display()))?;
    let one_arg = one.to_string_lossy().into_owned();
    results.push(measure(
        "plan-lint one plan",
        1,
        options.runs.max(20),
        Command::new(&plan_lint)
            .args(["check", "--format", "json", "--today", TODAY, &one_arg])
            .current_dir(&alone),
    )?);
    results.push(measure(
        "floor one plan",
        1,
        options.runs.max(20),
        Command::new(&this).args(["floor", &one_arg]),
    )?);
    if let Some(spectral) = &spectral {
        results.push(measure(
            "spectral one plan",
            1,
            options.spectral_runs,
            spectral_lint(spectral, &root).arg(&one_arg),
        )?);
    }
    let report = report(options, &results);
    print!("{report}");
    write_results(&options.out, &report)?;
    eprintln!("wrote {}", options.out.display());
    Ok(())
}

/// A config in `dir` makes it a project of its own: the corpus lies inside plan-lint's own
/// repository, whose project is its examples.
fn make_project(dir: &Path) -> std::io::Result<()> {
    std::fs::write(
        dir.join("plan-lint.toml"),
        "# The benchmark corpus: a project of its own.\n",
    )
}

/// The corpus of `n` plans in TOML and JSON, generated once (deterministic: same N, same files),
/// each format a project of its own.
fn corpus(root: &Path, base: &Path, n: usize) -> Result<PathBuf, String> {
    let dir = base.join(format!("n{n}"));
    let projects = |dir: &Path| {
        ["json", "toml"]
            .iter()
            .try_for_each(|format| make_project(&dir.join(format)))
            .map_err(|e| format!("{}: {e}", dir.display()))
    };
    if dir.join("expected.json").exists() {
        projects(&dir)?;
        return Ok(dir);
    }
    corpus::generate(root, &dir, n, "both")?;
    projects(&dir)?;
    Ok(dir)
}

fn count_plans(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter(|e| e.file_name().to_string_lossy().contains(".plan."))
                .count()
        })
        .unwrap_or(0)
}

fn first_plan(dir: &Path, format: &str) -> Result<PathBuf, String> {
    let extension = format!(".plan.{format}");
    let mut plans: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(&extension))
        .collect();
    plans.sort();
    plans
        .into_iter()
        .next()
        .ok_or_else(|| "no plan in the corpus".into())
}

/// Spectral, installed from the npm registry into `target/bench-node` on first use; `None`
/// (and Spectral is left out) without Node.js and npm.
fn spectral(root: &Path) -> Option<PathBuf> {
    let prefix = root.join("target/bench-node");
    let binary = prefix.join("node_modules/.bin/spectral");
    if binary.exists() {
        return Some(binary);
    }
    let installed = Command::new("npm")
        .args([
            "install",
            "--no-fund",
            "--no-audit",
            "--loglevel=error",
            "--prefix",
        ])
        .arg(&prefix)
        .arg(SPECTRAL)
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    if installed && binary.exists() {
        Some(binary)
    } else {
        eprintln!("Spectral is left out: `npm install {SPECTRAL}` did not work here");
        None
    }
}

/// `spectral lint` with the headline-rule ruleset.
fn spectral_lint(spectral: &Path, root: &Path) -> Command {
    let mut command = Command::new(spectral);
    command
        .args(["lint", "-q", "-r"])
        .arg(root.join("bench/spectral/plan-ruleset.yaml"));
    command
}

/// Run a command once to warm the page cache (and read its peak memory), then `runs` times.
fn measure(
    name: &str,
    files: usize,
    runs: usize,
    command: &mut Command,
) -> Result<Measurement, String> {
    eprintln!("measuring {name} ({runs} runs)");
    command
        .env("RAYON_NUM_THREADS", "2")
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let peak_kib = peak_memory(command);
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        let status = command
            .status()
            .map_err(|e| format!("{name}: cannot run: {e}"))?;
        times.push(start.elapsed());
        // 0 is clean and 1 is findings; anything else means the run measured did not lint
        // what it was meant to.
        if !matches!(status.code(), Some(0 | 1)) {
            return Err(format!("{name}: the run failed ({status})"));
        }
    }
    times.sort();
    Ok(Measurement {
        name: name.to_owned(),
        files,
        median: times[times.len() / 2],
        min: times[0],
        max: times[times.len() - 1],
        runs: times.len(),
        peak_kib,
    })
}

/// The peak resident memory of one run, through GNU time; `None` where it is not installed.
fn peak_memory(command: &Command) -> Option<u64> {
    let time = Path::new("/usr/bin/time");
    let cwd = command.get_current_dir().unwrap_or(Path::new("."));
    if !time.exists() {
        // Still warm the cache.
        let _ = Command::new(command.get_program())
            .args(command.get_args())
            .current_dir(cwd)
            .envs(command.get_envs().filter_map(|(k, v)| Some((k, v?))))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        return None;
    }
    let output = Command::new(time)
        .args(["-f", "%M"])
        .arg(command.get_program())
        .args(command.get_args())
        .current_dir(cwd)
        .envs(command.get_envs().filter_map(|(k, v)| Some((k, v?))))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .ok()?;
    String::from_utf8_lossy(&output.stderr)
        .lines()
        .last()?
        .trim()
        .parse()
        .ok()
}

fn find<'a>(results: &'a [Measurement], name: &str) -> Option<&'a Measurement> {
    results.iter().find(|m| m.name == name)
}

fn seconds(d: Duration) -> String {
    format!("{:.3}", d.as_secs_f64())
}

fn report(options: &Options, results: &[Measurement]) -> String {
    let mut out = String::new();
    let machine = format!(
        "{} threads available, plan-lint and the floor on 2 (RAYON_NUM_THREADS=2)",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    let sizes: Vec<String> = options.sizes.iter().map(ToString::to_string).collect();
    let _ = writeln!(
        out,
        "Measured by `cargo run --release -p plan-lint-bench -- --sizes {} --runs {} \
         --spectral-runs {}` ({machine}; medians of whole-process wall time; \
         `--today {TODAY}`).\n",
        sizes.join(","),
        options.runs,
        options.spectral_runs
    );
    out.push_str("| what | files | median s | range s | runs | peak MiB | files/s |\n");
    out.push_str("|---|---:|---:|---:|---:|---:|---:|\n");
    for m in results {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {}–{} | {} | {} | {:.0} |",
            m.name,
            m.files,
            seconds(m.median),
            seconds(m.min),
            seconds(m.max),
            m.runs,
            m.peak_kib.map_or_else(
                || "n/a".to_owned(),
                |kib| format!("{:.0}", kib as f64 / 1024.0)
            ),
            m.files as f64 / m.median.as_secs_f64().max(1e-9),
        );
    }
    out.push_str("\n| target | measured | met |\n|---|---|---|\n");
    let ratio = |a: &Measurement, b: &Measurement| a.median.as_secs_f64() / b.median.as_secs_f64();
    let mut target = |what: String, measured: String, met: bool| {
        let _ = writeln!(
            out,
            "| {what} | {measured} | {} |",
            if met { "yes" } else { "**no**" }
        );
    };
    if let (Some(spectral), Some(ours)) = (
        find(results, "spectral json N=1000"),
        find(results, "plan-lint json N=1000"),
    ) {
        let r = ratio(spectral, ours);
        target(
            "N = 1,000 JSON: at least 300× faster than Spectral (headline rules only)".into(),
            format!(
                "{r:.0}× ({} s vs {} s)",
                seconds(ours.median),
                seconds(spectral.median)
            ),
            r >= 300.0,
        );
    }
    for format in ["json", "toml"] {
        if let (Some(ours), Some(floor)) = (
            find(results, &format!("plan-lint {format} N=10000")),
            find(results, &format!("floor {format} N=10000")),
        ) {
            let r = ratio(ours, floor);
            target(
                format!("N = 10,000 {format}: at most 1.5× the parse-only floor"),
                format!(
                    "{r:.2}× ({} s vs {} s)",
                    seconds(ours.median),
                    seconds(floor.median)
                ),
                r <= 1.5,
            );
        }
        if let (Some(small), Some(large)) = (
            find(results, &format!("plan-lint {format} N=1000")),
            find(results, &format!("plan-lint {format} N=10000")),
        ) {
            let r = ratio(large, small);
            target(
                format!("{format}: N = 1,000 → 10,000 scales linearly (ratio ≤ 11)"),
                format!("{r:.1}"),
                r <= 11.0,
            );
        }
    }
    for format in ["json", "toml"] {
        if let (Some(full), Some(named)) = (
            find(results, &format!("plan-lint {format} N=1000")),
            find(results, &format!("plan-lint {format} N=1000 one named")),
        ) {
            let r = ratio(named, full);
            target(
                format!("one {format} plan named in a 1,000-plan project: at most 1.2× a full run"),
                format!(
                    "{r:.2}× ({} s vs {} s)",
                    seconds(named.median),
                    seconds(full.median)
                ),
                r <= 1.2,
            );
        }
    }
    if let Some(one) = find(results, "plan-lint one plan") {
        target(
            "a one-plan project (pre-commit): under 5 ms, process start included".into(),
            format!("{:.1} ms", one.median.as_secs_f64() * 1000.0),
            one.median < Duration::from_millis(5),
        );
    }
    let peak = ["json", "toml"]
        .iter()
        .filter_map(|f| find(results, &format!("plan-lint {f} N=10000"))?.peak_kib)
        .max();
    if let Some(peak) = peak {
        target(
            "peak memory at N = 10,000 under 150 MiB".into(),
            format!("{:.0} MiB", peak as f64 / 1024.0),
            peak < 150 * 1024,
        );
    }
    out
}

const START: &str = "<!-- bench:start -->";
const END: &str = "<!-- bench:end -->";

/// Put the report between the markers of RESULTS.md, keeping everything around them.
fn write_results(path: &Path, report: &str) -> Result<(), String> {
    let existing = std::fs::read_to_string(path)
        .unwrap_or_else(|_| format!("# plan-lint benchmark results\n\n{START}\n{END}\n"));
    let text = results::between_markers(&existing, START, END, report)
        .unwrap_or_else(|| format!("{existing}{START}\n{report}{END}\n"));
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// The parse-only floor: read every plan file of a folder (or one file) and parse it into a
/// `serde_json::Value` / `toml::Value`, on rayon's threads: what any linter must at least do.
fn floor(args: &[String]) -> ExitCode {
    let Some(target) = args.first().map(PathBuf::from) else {
        eprintln!("usage: plan-lint-bench floor DIR|FILE");
        return ExitCode::from(2);
    };
    let files: Vec<PathBuf> = if target.is_dir() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&target)
            .map(|entries| entries.filter_map(Result::ok).map(|e| e.path()).collect())
            .unwrap_or_default();
        files.retain(|p| p.to_string_lossy().contains(".plan."));
        files.sort();
        files
    } else {
        vec![target]
    };
    let keys: usize = files
        .par_iter()
        .map(|path| {
            let Ok(bytes) = std::fs::read(path) else {
                return 0;
            };
            if path.to_string_lossy().ends_with(".json") {
                serde_json::from_slice::<serde_json::Value>(&bytes)
                    .ok()
                    .and_then(|v| v.as_object().map(|o| o.len()))
                    .unwrap_or(0)
            } else {
                std::str::from_utf8(&bytes)
                    .ok()
                    .and_then(|text| toml::from_str::<toml::Table>(text).ok())
                    .map_or(0, |t| t.len())
            }
        })
        .sum();
    println!("{} files, {keys} top-level keys", files.len());
    ExitCode::SUCCESS
}
