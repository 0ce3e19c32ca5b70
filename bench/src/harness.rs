//! What the per-issue benchmarks (custom rules, formats, the status report) share: their
//! `--plans N --runs R` options, the repository root, timing one whole process, the median of
//! runs, and writing their table into their section of `bench/RESULTS.md`.

use crate::results;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// `--plans N` and `--runs R` (defaults: 10,000 plans, 5 runs).
pub fn plans_and_runs(args: impl IntoIterator<Item = String>) -> Result<(usize, usize), String> {
    let (mut plans, mut runs) = (10_000, 5);
    let mut args = args.into_iter();
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
    Ok((plans, runs))
}

/// The repository this harness belongs to.
pub fn repository_root() -> Result<PathBuf, String> {
    Ok(PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .ok_or("no repository root")?
        .to_owned())
}

/// The wall time of `command`, its output discarded; an error unless it exits 0 or 1 (a run
/// with findings).
pub fn time(command: &mut Command) -> Result<Duration, String> {
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

pub fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// Put `table` between the `start` and `end` markers of the results page at `path`, or, when
/// it has none yet, at its end under `heading`.
pub fn write_section(
    path: &Path,
    start: &str,
    end: &str,
    heading: &str,
    table: &str,
) -> Result<(), String> {
    let existing = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let text = results::between_markers(&existing, start, end, table)
        .unwrap_or_else(|| format!("{existing}\n## {heading}\n\n{start}\n{table}{end}\n"));
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}
