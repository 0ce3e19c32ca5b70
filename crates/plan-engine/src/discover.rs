//! Finding the plan files a run lints.
//!
//! Folders are walked here rather than by the `ignore` crate's walker, which reads ignore files
//! in every folder above the one walked, up to `/`, and the user's global excludes file:
//! plan-lint reads nothing outside the project. What applies (docs/SPEC-NOTES.md): `.gitignore`
//! and `.ignore` files in the project's folders, from the project root down, and the
//! repository's `.git/info/exclude`; `.ignore` wins over `.gitignore`, a deeper folder over a
//! shallower one, as in ripgrep. A folder or file named on the command line is taken whatever
//! the ignore files say; the config's `exclude` holds for every file.

use crate::confine::{ProjectRoot, Resolved};
use crate::file_error::FileError;
pub use crate::paths::{display_path, normalize};
use ignore::Match;
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// The files to lint, sorted by display path; the paths that could not be searched; and the
/// plans left out, with the reason.
#[derive(Debug, Default)]
pub struct Discovered {
    pub files: Vec<PlanPath>,
    pub errors: Vec<FileError>,
    pub skipped: Vec<Skipped>,
}

/// A file to lint: where it is, and how users see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanPath {
    /// Where it was found, absolute (a symbolic link stays a link: `design_plan` paths are
    /// relative to the folder the user sees the plan in).
    pub path: PathBuf,
    /// Its real path, inside the project: the file that is read.
    pub real: PathBuf,
    /// Relative to the working folder where possible, with `/` separators.
    pub display: String,
}

/// A plan file that is not linted, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub display: String,
    pub reason: String,
}

/// Whether the settings take a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Take {
    Yes,
    /// Matched by this `exclude` glob.
    Excluded(String),
    /// Not matched by `include` (only for files found in folders).
    NotIncluded,
}

/// What a discovery reports besides the files it takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listing {
    /// Only what a run needs: files named on the command line that the config excludes, and
    /// plans git tracks that an ignore file leaves out.
    Run,
    /// Every plan left out, also inside ignored folders (`--show-files`).
    Everything,
    /// Nothing but the files (the rest of the project, around the paths asked for: what it
    /// leaves out concerns no path asked for, and asking git would cost a process).
    FilesOnly,
}

/// How a plan file's name ends, for each format.
pub const PLAN_SUFFIXES: [&str; 5] = [
    ".plan.toml",
    ".plan.json",
    ".plan.yaml",
    ".plan.yml",
    ".plan.md",
];

/// Whether a file name is a plan's: one of [`PLAN_SUFFIXES`].
pub fn is_plan_file_name(name: &str) -> bool {
    PLAN_SUFFIXES.iter().any(|suffix| name.ends_with(suffix))
}

/// Collect the plan files under `paths` (default: the working folder). `takes` decides which
/// files are linted, given the path and whether it was named explicitly.
pub fn discover(
    paths: &[PathBuf],
    root: &ProjectRoot,
    listing: Listing,
    takes: impl Fn(&Path, bool) -> Take,
) -> Discovered {
    let cwd = root.cwd();
    let default = [PathBuf::from(".")];
    let paths = if paths.is_empty() {
        &default[..]
    } else {
        paths
    };
    let mut walk = Walk {
        root,
        takes: &takes,
        ignores: IgnoreFiles::new(root),
        listing,
        // Keyed by display path: sorted output, and a file reached twice is linted once.
        files: BTreeMap::new(),
        skipped: BTreeMap::new(),
        errors: Vec::new(),
        folders: Vec::new(),
    };
    for asked in paths {
        let shown = display_path(asked, cwd);
        let real = match root.resolve(asked) {
            Ok(Resolved::Found(real)) => real,
            Ok(Resolved::Missing) => {
                walk.errors.push(FileError::Missing { path: shown });
                continue;
            }
            Err(escape) => {
                walk.errors.push(FileError::outside(shown, &escape, cwd));
                continue;
            }
        };
        let metadata = match std::fs::metadata(&real) {
            Ok(metadata) => metadata,
            Err(source) => {
                walk.errors.push(FileError::Unreadable {
                    path: shown,
                    source,
                });
                continue;
            }
        };
        if metadata.is_dir() {
            walk.folders.push(real.clone());
            walk.folder(&real);
        } else if !metadata.is_file() {
            walk.errors.push(FileError::NotAFile { path: shown });
        } else {
            let found = absolute(asked, cwd);
            match takes(&found, true) {
                Take::Yes => {
                    walk.files.insert(
                        shown.clone(),
                        PlanPath {
                            path: found,
                            real,
                            display: shown,
                        },
                    );
                }
                Take::Excluded(glob) => walk.skip(
                    shown,
                    format!("excluded by `{glob}` in the config's `exclude`"),
                ),
                Take::NotIncluded => {}
            }
        }
    }
    if listing == Listing::Run {
        walk.tracked_but_ignored();
    }
    let Walk {
        files,
        mut errors,
        skipped,
        ..
    } = walk;
    // The walk's order depends on the file system; reports must not.
    errors.sort_by(|a, b| a.path().cmp(b.path()));
    Discovered {
        files: files.into_values().collect(),
        errors,
        skipped: skipped.into_values().collect(),
    }
}

struct Walk<'a, F> {
    root: &'a ProjectRoot,
    takes: &'a F,
    ignores: IgnoreFiles,
    listing: Listing,
    files: BTreeMap<String, PlanPath>,
    skipped: BTreeMap<String, Skipped>,
    errors: Vec<FileError>,
    /// The folders asked for, real.
    folders: Vec<PathBuf>,
}

impl<F: Fn(&Path, bool) -> Take> Walk<'_, F> {
    fn skip(&mut self, display: String, reason: String) {
        self.skipped
            .entry(display.clone())
            .or_insert(Skipped { display, reason });
    }

    /// Walk a folder asked for (real, inside the project), depth first, without following
    /// links to folders. `ignored_by` says which rule left out the folder being walked, when
    /// everything is listed.
    fn folder(&mut self, start: &Path) {
        let cwd = self.root.cwd().to_owned();
        let mut pending: Vec<(PathBuf, Option<String>)> = vec![(start.to_owned(), None)];
        while let Some((folder, ignored_by)) = pending.pop() {
            let chain = self.ignores.chain(&folder);
            let entries = match std::fs::read_dir(&folder) {
                Ok(entries) => entries,
                Err(source) => {
                    self.errors.push(FileError::Unreadable {
                        path: display_path(&folder, &cwd),
                        source,
                    });
                    continue;
                }
            };
            for entry in entries {
                let entry = match entry {
                    Ok(entry) => entry,
                    Err(source) => {
                        self.errors.push(FileError::Unreadable {
                            path: display_path(&folder, &cwd),
                            source,
                        });
                        continue;
                    }
                };
                let path = entry.path();
                if entry.file_name() == ".git" {
                    continue;
                }
                let Ok(file_type) = entry.file_type() else {
                    continue;
                };
                let is_dir = file_type.is_dir();
                let ignored = ignored_by
                    .clone()
                    .or_else(|| self.ignores.reason_in(&chain, &path, is_dir));
                if is_dir {
                    if ignored.is_none() || self.listing == Listing::Everything {
                        pending.push((path, ignored));
                    }
                    continue;
                }
                let name_is_a_plan = entry.file_name().to_str().is_some_and(is_plan_file_name);
                let display = display_path(&path, &cwd);
                if let Some(reason) = ignored {
                    if name_is_a_plan && self.listing == Listing::Everything {
                        self.skip(display, reason);
                    }
                    continue;
                }
                match (self.takes)(&path, false) {
                    Take::Yes => {}
                    Take::Excluded(glob) => {
                        if name_is_a_plan && self.listing == Listing::Everything {
                            self.skip(
                                display,
                                format!("excluded by `{glob}` in the config's `exclude`"),
                            );
                        }
                        continue;
                    }
                    Take::NotIncluded => {
                        if name_is_a_plan && self.listing == Listing::Everything {
                            self.skip(display, "not matched by the config's `include`".into());
                        }
                        continue;
                    }
                }
                match self.regular_file(&path, file_type, &display) {
                    Ok(Some(real)) => {
                        self.files.insert(
                            display.clone(),
                            PlanPath {
                                path,
                                real,
                                display,
                            },
                        );
                    }
                    Ok(None) => {}
                    Err(error) => self.errors.push(error),
                }
            }
        }
    }

    /// The real path of a walked entry the run takes, when it is a file to read: a regular
    /// file, or a symbolic link to one inside the project. A link to a folder is not followed
    /// (`None`); a link out of the project, a dangling link, a link loop, a FIFO or a device is
    /// an error, so that it is neither read nor silently skipped.
    fn regular_file(
        &self,
        path: &Path,
        file_type: std::fs::FileType,
        display: &str,
    ) -> Result<Option<PathBuf>, FileError> {
        if file_type.is_file() {
            return Ok(Some(path.to_owned()));
        }
        if !file_type.is_symlink() {
            return Err(FileError::NotAFile {
                path: display.to_owned(),
            });
        }
        let real = match self.root.resolve(path) {
            Ok(Resolved::Found(real)) => real,
            Ok(Resolved::Missing) => {
                return Err(FileError::BrokenLink {
                    path: display.to_owned(),
                });
            }
            Err(escape) => {
                return Err(FileError::outside(
                    display.to_owned(),
                    &escape,
                    self.root.cwd(),
                ));
            }
        };
        match std::fs::metadata(&real) {
            Ok(target) if target.is_dir() => Ok(None),
            Ok(target) if target.is_file() => Ok(Some(real)),
            Ok(_) => Err(FileError::NotAFile {
                path: display.to_owned(),
            }),
            Err(source) => Err(FileError::Unreadable {
                path: display.to_owned(),
                source,
            }),
        }
    }

    /// Plans that git tracks under the folders asked for, but that an ignore file leaves out:
    /// each gets a note, since a plan in the repository that is silently not linted passes
    /// review unseen.
    fn tracked_but_ignored(&mut self) {
        if self.folders.is_empty() || !self.ignores.any_rules() || !self.root.is_repository() {
            return;
        }
        let Some(tracked) = tracked_plans(self.root.path()) else {
            return;
        };
        let cwd = self.root.cwd().to_owned();
        for path in tracked {
            if !self.folders.iter().any(|folder| path.starts_with(folder)) {
                continue;
            }
            let display = display_path(&path, &cwd);
            if self.files.contains_key(&display) || self.skipped.contains_key(&display) {
                continue;
            }
            if (self.takes)(&path, false) != Take::Yes {
                continue;
            }
            if let Some(reason) = self.ignores.reason_with_parents(&path, self.root.path()) {
                self.skip(display, format!("tracked by git, but {reason}"));
            }
        }
    }
}

/// The plan files git tracks, absolute, by asking `git ls-files` in the project root. `None`
/// when git cannot say. Only fixed arguments reach git.
fn tracked_plans(root: &Path) -> Option<Vec<PathBuf>> {
    let output = std::process::Command::new("git")
        .args([
            "ls-files",
            "-z",
            "--cached",
            "--",
            "*.plan.toml",
            "*.plan.json",
            "*.plan.yaml",
            "*.plan.yml",
            "*.plan.md",
        ])
        .current_dir(root)
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    Some(
        output
            .stdout
            .split(|&b| b == 0)
            .filter(|name| !name.is_empty())
            .map(|name| root.join(path_from_bytes(name)))
            .collect(),
    )
}

#[cfg(unix)]
fn path_from_bytes(bytes: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
}

#[cfg(not(unix))]
fn path_from_bytes(bytes: &[u8]) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
}

/// The ignore files of the project's folders, read once each.
struct IgnoreFiles {
    /// Per folder: its `.ignore`, then its `.gitignore` (each may be empty).
    folders: HashMap<PathBuf, Rc<[Gitignore; 2]>>,
    /// The repository's `.git/info/exclude`.
    exclude: Gitignore,
    root: PathBuf,
    rules: bool,
}

impl IgnoreFiles {
    fn new(root: &ProjectRoot) -> IgnoreFiles {
        let exclude = read_ignore_file(root.path(), &root.path().join(".git/info/exclude"));
        IgnoreFiles {
            rules: !exclude.is_empty(),
            folders: HashMap::new(),
            exclude,
            root: root.path().to_owned(),
        }
    }

    /// Whether any ignore file read so far has a rule.
    fn any_rules(&self) -> bool {
        self.rules
    }

    /// The ignore rules that apply in a folder: its own and those of every folder above it up
    /// to the project root, the deepest first (its rules win).
    fn chain(&mut self, folder: &Path) -> Vec<Rc<[Gitignore; 2]>> {
        let root = self.root.clone();
        folder
            .ancestors()
            .take_while(|folder| folder.starts_with(&root))
            .map(|folder| self.folder(folder))
            .collect()
    }

    /// Why an entry of a folder is ignored by the folder's rules (`chain`); `None` when it is
    /// not. Only the entry itself is matched: its folders were already walked into, so they
    /// were not ignored (or were named explicitly).
    fn reason_in(&self, chain: &[Rc<[Gitignore; 2]>], path: &Path, is_dir: bool) -> Option<String> {
        for matchers in chain {
            for matcher in matchers.iter() {
                match matcher.matched(path, is_dir) {
                    Match::Ignore(glob) => return Some(describe(glob, &self.root)),
                    Match::Whitelist(_) => return None,
                    Match::None => {}
                }
            }
        }
        match self.exclude.matched(path, is_dir) {
            Match::Ignore(glob) => Some(describe(glob, &self.root)),
            _ => None,
        }
    }

    fn reason(&mut self, path: &Path, is_dir: bool) -> Option<String> {
        let chain = path
            .parent()
            .map(|folder| self.chain(folder))
            .unwrap_or_default();
        self.reason_in(&chain, path, is_dir)
    }

    /// Why a file is ignored, it or any folder above it up to `root`.
    fn reason_with_parents(&mut self, path: &Path, root: &Path) -> Option<String> {
        let mut chain: Vec<&Path> = path
            .ancestors()
            .take_while(|p| p.starts_with(root) && *p != root)
            .collect();
        // From the top down: an ignored folder hides everything in it.
        chain.reverse();
        let last = chain.len().saturating_sub(1);
        for (i, part) in chain.into_iter().enumerate() {
            if let Some(reason) = self.reason(part, i != last) {
                return Some(reason);
            }
        }
        None
    }

    fn folder(&mut self, folder: &Path) -> Rc<[Gitignore; 2]> {
        if let Some(read) = self.folders.get(folder) {
            return read.clone();
        }
        let read = Rc::new([
            read_ignore_file(folder, &folder.join(".ignore")),
            read_ignore_file(folder, &folder.join(".gitignore")),
        ]);
        self.rules |= read.iter().any(|m| !m.is_empty());
        self.folders.insert(folder.to_owned(), read.clone());
        read
    }
}

/// An ignore file's rules, relative to `folder`; empty when there is no such regular file.
/// Ignore files are read like plans: inside the project only, regular files only, size-capped.
fn read_ignore_file(folder: &Path, file: &Path) -> Gitignore {
    match std::fs::symlink_metadata(file) {
        Ok(metadata) if metadata.is_file() && metadata.len() <= MAX_IGNORE_FILE_SIZE => {}
        _ => return Gitignore::empty(),
    }
    let mut builder = GitignoreBuilder::new(folder);
    // A line that is not a valid glob is skipped, as git does.
    let _ = builder.add(file);
    builder.build().unwrap_or_else(|_| Gitignore::empty())
}

/// Ignore files larger than this are not read (git's own are a few kilobytes).
const MAX_IGNORE_FILE_SIZE: u64 = 1 << 20;

/// `ignored by `pattern` in `.gitignore``, the file shown relative to the project root.
fn describe(glob: &ignore::gitignore::Glob, root: &Path) -> String {
    let file = glob
        .from()
        .map(|from| display_path(from.strip_prefix(root).unwrap_or(from), Path::new("")))
        .unwrap_or_else(|| "an ignore file".into());
    format!("ignored by `{}` in `{file}`", glob.original())
}

fn absolute(path: &Path, cwd: &Path) -> PathBuf {
    normalize(&cwd.join(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn names_that_are_not_utf8_are_shown_byte_for_byte() {
        use std::os::unix::ffi::OsStrExt;
        let name = std::ffi::OsStr::from_bytes(b"plan-\xff\xfe-\xc3\xa9.plan.toml");
        assert_eq!(
            display_path(&Path::new("plans").join(name), Path::new("/")),
            "plans/plan-\\xFF\\xFE-é.plan.toml"
        );
    }

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
