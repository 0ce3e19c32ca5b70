//! Finding the plan files a run lints.

use crate::error::FileError;
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

/// The files to lint, sorted by display path, and the paths that could not be searched.
#[derive(Debug, Default)]
pub struct Discovered {
    pub files: Vec<PlanPath>,
    pub errors: Vec<FileError>,
}

/// A file to lint: where it is, and how users see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanPath {
    pub path: PathBuf,
    /// Relative to the working folder where possible, with `/` separators.
    pub display: String,
}

/// Whether a file name is a plan's: `*.plan.toml` or `*.plan.json`.
pub fn is_plan_file_name(name: &str) -> bool {
    name.ends_with(".plan.toml") || name.ends_with(".plan.json")
}

/// Collect the plan files under `paths` (default: the working folder). Folders are walked,
/// honouring `.gitignore` files (also outside a git repository) and skipping `.git`; `takes`
/// decides which files are linted, given the path and whether it was named explicitly.
pub fn discover(paths: &[PathBuf], cwd: &Path, takes: impl Fn(&Path, bool) -> bool) -> Discovered {
    let default = [PathBuf::from(".")];
    let paths = if paths.is_empty() {
        &default[..]
    } else {
        paths
    };
    // Keyed by display path: sorted output, and a file reached twice is linted once.
    let mut files = BTreeMap::new();
    let mut errors = Vec::new();
    for root in paths {
        let metadata = match std::fs::metadata(root) {
            Ok(metadata) => metadata,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                errors.push(FileError::Missing {
                    path: display_path(root, cwd),
                });
                continue;
            }
            Err(source) => {
                errors.push(FileError::Unreadable {
                    path: display_path(root, cwd),
                    source,
                });
                continue;
            }
        };
        if !metadata.is_dir() {
            if !metadata.is_file() {
                errors.push(FileError::NotAFile {
                    path: display_path(root, cwd),
                });
            } else if takes(root, true) {
                files.insert(display_path(root, cwd), root.clone());
            }
            continue;
        }
        let walker = ignore::WalkBuilder::new(root)
            .hidden(false)
            .require_git(false)
            .filter_entry(|entry| entry.file_name() != ".git")
            .build();
        for entry in walker {
            match entry {
                Ok(entry) => {
                    let Some(file_type) = entry.file_type() else {
                        continue;
                    };
                    if file_type.is_dir() || !takes(entry.path(), false) {
                        continue;
                    }
                    match regular_file(entry.path(), file_type, cwd) {
                        Ok(true) => {
                            files.insert(display_path(entry.path(), cwd), entry.into_path());
                        }
                        Ok(false) => {}
                        Err(error) => errors.push(error),
                    }
                }
                Err(error) => errors.push(walk_error(error, cwd)),
            }
        }
    }
    // The walk's order depends on the file system; reports must not.
    errors.sort_by(|a, b| a.path().cmp(b.path()));
    Discovered {
        files: files
            .into_iter()
            .map(|(display, path)| PlanPath { path, display })
            .collect(),
        errors,
    }
}

/// Whether a walked entry the run takes is a file to read: a regular file, or a symbolic link
/// to one. A link to a folder is not followed (`Ok(false)`); a dangling link, a link loop, a
/// FIFO or a device is an error, so that it is neither read nor silently skipped.
fn regular_file(path: &Path, file_type: std::fs::FileType, cwd: &Path) -> Result<bool, FileError> {
    if file_type.is_file() {
        return Ok(true);
    }
    let target = if file_type.is_symlink() {
        std::fs::metadata(path).map_err(|source| FileError::Unreadable {
            path: display_path(path, cwd),
            source,
        })?
    } else {
        return Err(FileError::NotAFile {
            path: display_path(path, cwd),
        });
    };
    if target.is_dir() {
        Ok(false)
    } else if target.is_file() {
        Ok(true)
    } else {
        Err(FileError::NotAFile {
            path: display_path(path, cwd),
        })
    }
}

fn walk_error(error: ignore::Error, cwd: &Path) -> FileError {
    let path = error_path(&error)
        .map(|p| display_path(p, cwd))
        .unwrap_or_else(|| ".".into());
    let source = match error.into_io_error() {
        Some(io) => io,
        None => std::io::Error::other("cannot be searched"),
    };
    FileError::Unreadable { path, source }
}

fn error_path(error: &ignore::Error) -> Option<&Path> {
    match error {
        ignore::Error::WithPath { path, .. } => Some(path),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Loop { child, .. } => Some(child),
        _ => None,
    }
}

/// `a/./b/../c` → `a/c`, without touching the file system (symlinks are not resolved, so a
/// path is matched and shown as the user sees it).
pub fn normalize(path: &Path) -> PathBuf {
    let mut normal = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                normal.pop();
            }
            other => normal.push(other),
        }
    }
    normal
}

/// How a path is shown: relative to the working folder when it is inside it, with `/`
/// separators and no leading `./`.
pub fn display_path(path: &Path, cwd: &Path) -> String {
    let relative = if path.is_absolute() {
        path.strip_prefix(cwd).unwrap_or(path)
    } else {
        path
    };
    // One string, written part by part (this runs for every file a walk meets).
    let mut joined = String::with_capacity(relative.as_os_str().len());
    let parts = relative
        .components()
        .filter(|c| !matches!(c, Component::CurDir));
    for (index, part) in parts.enumerate() {
        if index > 0 {
            joined.push('/');
        }
        // The root is an empty part: joined with `/`, it gives an absolute path's leading `/`.
        if !matches!(part, Component::RootDir) {
            joined.push_str(&part.as_os_str().to_string_lossy());
        }
    }
    if joined.is_empty() {
        ".".into()
    } else {
        joined
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_shown_relative_with_slashes_and_no_leading_dot() {
        let cwd = Path::new("/work/repo");
        let shown = |path: &str| display_path(Path::new(path), cwd);
        assert_eq!(shown("./plans/a.plan.toml"), "plans/a.plan.toml");
        assert_eq!(shown("plans/./a.plan.toml"), "plans/a.plan.toml");
        assert_eq!(shown("/work/repo/plans/a.plan.json"), "plans/a.plan.json");
        assert_eq!(shown("/elsewhere/a.plan.toml"), "/elsewhere/a.plan.toml");
        assert_eq!(shown("../up/a.plan.toml"), "../up/a.plan.toml");
        assert_eq!(shown("."), ".");
        assert_eq!(shown("/work/repo"), ".");
    }
}
