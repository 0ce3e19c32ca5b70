//! Building the binary the benchmarks run, shared by `plan-lint-bench` and `plan-lint-scale`.

use std::path::{Path, PathBuf};
use std::process::Command;

/// `cargo build --release` of the plan-lint binary; its path.
pub fn build_plan_lint(root: &Path) -> Result<PathBuf, String> {
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args([
            "build",
            "--release",
            "--quiet",
            "-p",
            "plan-lint",
            "--bin",
            "plan-lint",
        ])
        .current_dir(root)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err("cargo build --release failed".into());
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    Ok(target.join("release/plan-lint"))
}
