//! `--only-files` and `--changed-since`: which files' findings a run reports. Every plan is
//! still linted, so portfolio rules see the whole portfolio.

use crate::discover::{display_path, normalize};
use crate::error::RunError;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The display paths of the files to report on; `None` when every file is reported.
pub fn files_to_report(
    only_files: &[PathBuf],
    changed_since: Option<&str>,
    cwd: &Path,
) -> Result<Option<HashSet<String>>, RunError> {
    if only_files.is_empty() && changed_since.is_none() {
        return Ok(None);
    }
    let mut files: HashSet<String> = only_files
        .iter()
        .map(|path| display_path(&normalize(&cwd.join(path)), cwd))
        .collect();
    if let Some(since) = changed_since {
        let error = |message: String| RunError::ChangedSince {
            since: since.to_owned(),
            message,
        };
        let top = PathBuf::from(
            git(cwd, &["rev-parse", "--show-toplevel"])
                .map_err(error)?
                .trim(),
        );
        // From where the branch left `since`, when the history is there; in a shallow clone,
        // from `since` itself (for a pull request's merge commit that is the same thing).
        let base = git(cwd, &["merge-base", since, "HEAD"])
            .map(|sha| sha.trim().to_owned())
            .unwrap_or_else(|_| since.to_owned());
        let changed = git(
            &top,
            &["diff", "--name-only", "--no-renames", "-z", &base, "--"],
        )
        .map_err(error)?;
        let untracked =
            git(&top, &["ls-files", "--others", "--exclude-standard", "-z"]).map_err(error)?;
        for name in changed.split('\0').chain(untracked.split('\0')) {
            if !name.is_empty() {
                files.insert(display_path(&top.join(name), cwd));
            }
        }
    }
    Ok(Some(files))
}

fn git(folder: &Path, args: &[&str]) -> Result<String, String> {
    let output = Command::new("git")
        .args(args)
        .current_dir(folder)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).trim().to_owned())
    }
}
