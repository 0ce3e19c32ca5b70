//! The generated corpus the benchmarks run on.

use std::path::Path;
use std::process::{Command, Stdio};

/// Run `bench/gen_corpus.py`: `n` plans into `dir`, in `format` (`toml`, `json`, `yaml`, `md`,
/// `both` or `all`).
/// Deterministic: the same `n` gives the same files.
pub fn generate(root: &Path, dir: &Path, n: usize, format: &str) -> Result<(), String> {
    eprintln!("generating {n} plans in {}", dir.display());
    let status = Command::new("python3")
        .arg(root.join("bench/gen_corpus.py"))
        .arg(n.to_string())
        .arg(dir)
        .args(["--format", format])
        .stdout(Stdio::null())
        .status()
        .map_err(|e| format!("cannot run python3 for the corpus generator: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err("the corpus generator failed".into())
    }
}
