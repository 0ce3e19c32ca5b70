//! `--only-files` and `--changed-since`: which files' findings a run reports. Every plan is
//! still linted, so portfolio rules see the whole portfolio.

use crate::discover::{display_path, normalize};
use crate::error::EngineError;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The display paths of the files to report on; `None` when every file is reported.
pub fn files_to_report(
    only_files: &[PathBuf],
    changed_since: Option<&str>,
    cwd: &Path,
) -> Result<Option<HashSet<String>>, EngineError> {
    if only_files.is_empty() && changed_since.is_none() {
        return Ok(None);
    }
    let mut files: HashSet<String> = only_files
        .iter()
        .map(|path| display_path(&normalize(&cwd.join(path)), cwd))
        .collect();
    if let Some(since) = changed_since {
        let error = |message: String| EngineError::ChangedSince {
            since: since.to_owned(),
            message,
        };
        check_revision(since).map_err(|why| error(why.to_owned()))?;
        let top = PathBuf::from(
            git(cwd, &["rev-parse", "--show-toplevel"])
                .map_err(error)?
                .trim(),
        );
        // The revision is resolved to a commit id first, after `--end-of-options`, so that
        // nothing a pull request or an input puts in it reaches git as an option; only the id
        // is used from then on.
        let revision = format!("{since}^{{commit}}");
        let commit = git(
            cwd,
            &[
                "rev-parse",
                "--verify",
                "--quiet",
                "--end-of-options",
                &revision,
            ],
        )
        .map_err(|_| error(format!("git knows no commit `{since}`")))?
        .trim()
        .to_owned();
        // From where the branch left `since`, when the history is there; in a shallow clone,
        // from `since` itself (for a pull request's merge commit that is the same thing).
        let base = git(cwd, &["merge-base", "--end-of-options", &commit, "HEAD"])
            .map(|sha| sha.trim().to_owned())
            .unwrap_or(commit);
        let changed = git(
            &top,
            &[
                "diff",
                "--name-only",
                "--no-renames",
                "-z",
                "--end-of-options",
                &base,
                "--",
            ],
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

/// Whether a revision may be handed to git at all: a name, not an option, and nothing a
/// terminal or a command line would read as more than one word.
fn check_revision(revision: &str) -> Result<(), &'static str> {
    if revision.is_empty() {
        return Err("the revision is empty");
    }
    if revision.starts_with('-') {
        return Err("a revision cannot start with `-`");
    }
    if revision.len() > 256 {
        return Err("the revision is longer than 256 characters");
    }
    if revision
        .chars()
        .any(|c| c.is_whitespace() || c.is_control())
    {
        return Err("a revision cannot hold spaces or control characters");
    }
    Ok(())
}

/// The commit checked out in `folder`'s repository, with whether the work tree has changes
/// beside it: `None` outside git (or without git). Only fixed arguments reach git.
pub fn head_commit(folder: &Path) -> Option<(String, bool)> {
    let commit = git(folder, &["rev-parse", "--verify", "--quiet", "HEAD"]).ok()?;
    let commit = commit.trim();
    if commit.is_empty() || !commit.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let dirty = git(folder, &["status", "--porcelain", "--untracked-files=no"])
        .is_ok_and(|status| !status.trim().is_empty());
    Some((commit.to_owned(), dirty))
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
        Err(crate::text::visible(String::from_utf8_lossy(&output.stderr).trim()).into_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revisions_that_could_be_options_or_several_words_are_refused() {
        for bad in [
            "",
            "--output=/tmp/x",
            "-p",
            "main HEAD",
            "a\nb",
            "$(id)\t",
            &"x".repeat(300),
        ] {
            assert!(check_revision(bad).is_err(), "{bad:?}");
        }
        for good in [
            "main",
            "origin/main",
            "HEAD~2",
            "v1.2.3",
            "0123abcd",
            "$(id)",
            "`id`",
        ] {
            assert!(check_revision(good).is_ok(), "{good:?}");
        }
    }
}
