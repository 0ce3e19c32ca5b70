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
            if takes(root, true) {
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
                    let is_file = entry
                        .file_type()
                        .is_some_and(|t| t.is_file() || t.is_symlink());
                    if is_file && !entry.path().is_dir() && takes(entry.path(), false) {
                        files.insert(display_path(entry.path(), cwd), entry.into_path());
                    }
                }
                Err(error) => errors.push(walk_error(error, cwd)),
            }
        }
    }
    Discovered {
        files: files
            .into_iter()
            .map(|(display, path)| PlanPath { path, display })
            .collect(),
        errors,
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
    let parts: Vec<String> = relative
        .components()
        .filter(|c| !matches!(c, Component::CurDir))
        .map(|c| match c {
            // Joined with `/`, an empty first part gives the leading `/` of an absolute path.
            Component::RootDir => String::new(),
            other => other.as_os_str().to_string_lossy().into_owned(),
        })
        .collect();
    let joined = parts.join("/");
    if joined.is_empty() {
        ".".into()
    } else {
        joined
    }
}
