//! Confinement: plan-lint opens, and even looks up, only files whose real path lies inside the
//! project root. Plans, configs and `design_plan` paths come from pull requests; a symbolic link
//! to `/proc/self/environ` must not make the runner's secrets appear in a report, and a
//! `design_plan` must not tell an attacker which files exist on the machine.
//!
//! Paths are resolved component by component. A component inside the root is looked up
//! (`lstat`); a symbolic link there is read and its target followed the same way; a component
//! outside the root is never looked up at all, so the answer for a path that leaves the root is
//! the same whether what it names exists or not.

use std::ffi::OsString;
use std::io;
use std::path::{Component, Path, PathBuf};

/// How many symbolic links one path may go through, as the kernel allows (`ELOOP`).
const MAX_LINKS: usize = 40;

/// The folder plan-lint may read in: the repository around the working folder (the nearest
/// folder holding `.git`), else the working folder itself.
#[derive(Debug, Clone)]
pub struct ProjectRoot {
    /// Real and absolute.
    root: PathBuf,
    /// The working folder, real and absolute: relative paths start here.
    cwd: PathBuf,
}

/// Why a path may not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Escape {
    /// The path itself lies outside the root (absolute, or climbing out with `..`).
    Outside { path: PathBuf },
    /// The path goes through a symbolic link that leads outside the root.
    Link { link: PathBuf, target: PathBuf },
    /// Too many symbolic links, as in a loop.
    Loop { link: PathBuf },
}

/// What a path resolves to inside the root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// The real path of what the path names: no symbolic link in it.
    Found(PathBuf),
    /// Nothing is there (or a component on the way is not a folder).
    Missing,
}

impl ProjectRoot {
    /// The root for a run in `cwd`.
    pub fn new(cwd: &Path) -> ProjectRoot {
        // The working folder is the user's own: resolving it is safe, and makes every
        // comparison below one of real paths.
        let cwd = cwd.canonicalize().unwrap_or_else(|_| cwd.to_owned());
        let root = repository_root(&cwd).unwrap_or(&cwd).to_owned();
        ProjectRoot { root, cwd }
    }

    pub fn path(&self) -> &Path {
        &self.root
    }

    pub fn cwd(&self) -> &Path {
        &self.cwd
    }

    /// Whether the root is a git repository.
    pub fn is_repository(&self) -> bool {
        std::fs::symlink_metadata(self.root.join(".git")).is_ok()
    }

    /// Resolve `path` (relative to the working folder, or absolute), looking up only what lies
    /// inside the root.
    pub fn resolve(&self, path: &Path) -> Result<Resolved, Escape> {
        let mut current = if path.is_absolute() {
            PathBuf::new()
        } else {
            self.cwd.clone()
        };
        // Components still to walk, the next one last.
        let mut pending: Vec<OsString> = Vec::new();
        push_components(&mut pending, path);
        let mut links = 0;
        let mut last_link: Option<(PathBuf, PathBuf)> = None;
        while let Some(part) = pending.pop() {
            match classify(&part) {
                Part::Root(root) => {
                    current = root;
                    continue;
                }
                Part::Current => continue,
                Part::Parent => {
                    current.pop();
                    continue;
                }
                Part::Name => current.push(&part),
            }
            if current.starts_with(&self.root) {
                let metadata = match std::fs::symlink_metadata(&current) {
                    Ok(metadata) => metadata,
                    Err(_) => return Ok(Resolved::Missing),
                };
                if metadata.file_type().is_symlink() {
                    links += 1;
                    if links > MAX_LINKS {
                        return Err(Escape::Loop { link: current });
                    }
                    let Ok(target) = std::fs::read_link(&current) else {
                        return Ok(Resolved::Missing);
                    };
                    last_link = Some((current.clone(), target.clone()));
                    current.pop();
                    push_components(&mut pending, &target);
                } else if !metadata.is_dir() && !pending.is_empty() {
                    // `file/more`: nothing can be under a file.
                    return Ok(Resolved::Missing);
                }
            } else if !self.root.starts_with(&current) {
                // Neither inside the root nor one of the folders above it (which are real by
                // construction, and are passed through without a look).
                return Err(self.escape(current, last_link));
            }
        }
        if current.starts_with(&self.root) {
            Ok(Resolved::Found(current))
        } else {
            Err(self.escape(current, last_link))
        }
    }

    fn escape(&self, path: PathBuf, last_link: Option<(PathBuf, PathBuf)>) -> Escape {
        match last_link {
            Some((link, target)) => Escape::Link { link, target },
            None => Escape::Outside { path },
        }
    }
}

impl Escape {
    /// What went wrong, for a message about `shown` (the path as the user gave or sees it);
    /// paths are shown relative to the working folder.
    pub fn describe(&self, cwd: &Path) -> String {
        let shown = |path: &Path| crate::paths::display_path(path, cwd);
        match self {
            Escape::Outside { .. } => "it lies outside the project".to_owned(),
            Escape::Link { link, target } => format!(
                "the symbolic link `{}` points to `{}`, outside the project",
                shown(link),
                crate::paths::display_path(target, Path::new(""))
            ),
            Escape::Loop { link } => format!(
                "it goes through too many symbolic links (a loop at `{}`)",
                shown(link)
            ),
        }
    }
}

enum Part {
    Root(PathBuf),
    Current,
    Parent,
    Name,
}

fn classify(part: &OsString) -> Part {
    let path = Path::new(part);
    match path.components().next() {
        Some(Component::Prefix(_) | Component::RootDir) => Part::Root(path.to_owned()),
        Some(Component::CurDir) => Part::Current,
        Some(Component::ParentDir) => Part::Parent,
        _ => Part::Name,
    }
}

/// `path`'s components, pushed so that the first is popped first. A Windows prefix and its
/// root stay one component.
fn push_components(pending: &mut Vec<OsString>, path: &Path) {
    let mut parts: Vec<OsString> = Vec::new();
    for component in path.components() {
        match component {
            Component::RootDir if matches!(parts.last(), Some(last) if is_prefix(last)) => {
                let mut prefixed = parts.pop().unwrap_or_default();
                prefixed.push(std::path::MAIN_SEPARATOR_STR);
                parts.push(prefixed);
            }
            other => parts.push(other.as_os_str().to_owned()),
        }
    }
    pending.extend(parts.into_iter().rev());
}

fn is_prefix(part: &OsString) -> bool {
    matches!(
        Path::new(part).components().next(),
        Some(Component::Prefix(_))
    )
}

/// The nearest folder at or above `folder` holding `.git`.
pub fn repository_root(folder: &Path) -> Option<&Path> {
    folder
        .ancestors()
        .find(|dir| std::fs::symlink_metadata(dir.join(".git")).is_ok())
}

/// Open a file that [`ProjectRoot::resolve`] found, for reading: never a FIFO, device or
/// socket (a FIFO would block, `/dev/zero` never ends), and without following a link put in its
/// place since. At most `limit` bytes are read; `Ok(None)` when the file holds more.
pub fn read_regular_file(real: &Path, limit: u64) -> io::Result<Option<Vec<u8>>> {
    use std::io::Read;
    let metadata = std::fs::symlink_metadata(real)?;
    if !metadata.is_file() {
        return Err(not_a_regular_file());
    }
    let file = open_no_follow(real)?;
    // The path may have been replaced since it was looked at: what was opened is checked.
    let metadata = file.metadata()?;
    if !metadata.is_file() {
        return Err(not_a_regular_file());
    }
    // Read at most one byte past the limit, so a huge file (or one growing while it is read)
    // never fills memory. The size the file has now is only a hint.
    let hint = metadata.len().min(limit) + 1;
    let mut bytes = Vec::with_capacity(hint as usize);
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Ok(None);
    }
    Ok(Some(bytes))
}

/// The error [`read_regular_file`] gives for anything but a regular file.
pub fn not_a_regular_file() -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, "not a regular file")
}

/// Whether an error is [`read_regular_file`]'s "not a regular file".
pub fn is_not_a_regular_file(error: &io::Error) -> bool {
    error.kind() == io::ErrorKind::InvalidInput && error.to_string() == "not a regular file"
}

/// Open for reading without waiting (a FIFO would block the open) and without following a
/// final symbolic link.
fn open_no_follow(path: &Path) -> io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW);
    }
    options.open(path)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    /// A repository with a plan, a design document, and a folder outside it.
    struct World {
        _dir: tempfile::TempDir,
        repo: PathBuf,
        outside: PathBuf,
    }

    fn world() -> World {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().canonicalize().unwrap();
        let repo = base.join("repo");
        let outside = base.join("outside");
        std::fs::create_dir_all(repo.join(".git")).unwrap();
        std::fs::create_dir_all(repo.join("plans/team")).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(repo.join("plans/a.plan.toml"), "").unwrap();
        std::fs::write(outside.join("secret"), "secret").unwrap();
        World {
            _dir: dir,
            repo,
            outside,
        }
    }

    #[test]
    fn paths_inside_resolve_to_their_real_path() {
        let w = world();
        let root = ProjectRoot::new(&w.repo.join("plans/team"));
        assert_eq!(root.path(), w.repo);
        let found = Resolved::Found(w.repo.join("plans/a.plan.toml"));
        assert_eq!(root.resolve(Path::new("../a.plan.toml")), Ok(found.clone()));
        assert_eq!(
            root.resolve(&w.repo.join("plans/a.plan.toml")),
            Ok(found.clone())
        );
        assert_eq!(
            root.resolve(Path::new("./../../plans/./a.plan.toml")),
            Ok(found)
        );
        assert_eq!(
            root.resolve(Path::new("../nope.plan.toml")),
            Ok(Resolved::Missing)
        );
        assert_eq!(
            root.resolve(Path::new("../a.plan.toml/x")),
            Ok(Resolved::Missing)
        );
    }

    #[test]
    fn paths_outside_are_refused_unseen() {
        let w = world();
        let root = ProjectRoot::new(&w.repo);
        for path in [
            w.outside.join("secret"),
            w.outside.join("does-not-exist"),
            PathBuf::from("/proc/self/environ"),
            PathBuf::from("/dev/zero"),
            PathBuf::from("../outside/secret"),
            PathBuf::from("plans/../../outside/secret"),
            PathBuf::from(".."),
        ] {
            assert!(
                matches!(root.resolve(&path), Err(Escape::Outside { .. })),
                "{}",
                path.display()
            );
        }
    }

    #[test]
    fn links_that_leave_the_root_are_refused_whether_or_not_their_target_exists() {
        let w = world();
        let plans = w.repo.join("plans");
        symlink("/proc/self/environ", plans.join("environ.plan.toml")).unwrap();
        symlink(w.outside.join("secret"), plans.join("secret.plan.toml")).unwrap();
        symlink(&w.outside, plans.join("out")).unwrap();
        symlink("../../outside/secret", plans.join("relative.plan.toml")).unwrap();
        let root = ProjectRoot::new(&w.repo);
        for (path, link) in [
            ("plans/environ.plan.toml", "plans/environ.plan.toml"),
            ("plans/secret.plan.toml", "plans/secret.plan.toml"),
            ("plans/relative.plan.toml", "plans/relative.plan.toml"),
            ("plans/out/secret", "plans/out"),
            ("plans/out/does-not-exist", "plans/out"),
        ] {
            match root.resolve(Path::new(path)) {
                Err(Escape::Link { link: found, .. }) => assert_eq!(found, w.repo.join(link)),
                other => panic!("{path}: {other:?}"),
            }
        }
    }

    #[test]
    fn links_that_leave_and_come_back_stay_inside() {
        let w = world();
        // A link out of the root and back in through an absolute path that names the root:
        // only the root's own folders are passed through, nothing outside is looked up.
        symlink(w.repo.join("plans"), w.repo.join("again")).unwrap();
        symlink("../a.plan.toml", w.repo.join("plans/team/b.plan.toml")).unwrap();
        let root = ProjectRoot::new(&w.repo);
        assert_eq!(
            root.resolve(Path::new("again/team/b.plan.toml")),
            Ok(Resolved::Found(w.repo.join("plans/a.plan.toml")))
        );
        // Out through `..` and back in by name: lexically outside, so refused.
        symlink(
            "../../../outside/../repo/plans/a.plan.toml",
            w.repo.join("plans/team/c"),
        )
        .unwrap();
        assert!(root.resolve(Path::new("plans/team/c")).is_err());
    }

    #[test]
    fn link_loops_end() {
        let w = world();
        symlink("b", w.repo.join("a")).unwrap();
        symlink("a", w.repo.join("b")).unwrap();
        let root = ProjectRoot::new(&w.repo);
        assert!(matches!(
            root.resolve(Path::new("a")),
            Err(Escape::Loop { .. })
        ));
    }

    #[test]
    fn only_regular_files_are_read_and_never_past_the_limit() {
        let w = world();
        let file = w.repo.join("plans/a.plan.toml");
        std::fs::write(&file, "0123456789").unwrap();
        assert_eq!(read_regular_file(&file, 10).unwrap().unwrap().len(), 10);
        assert_eq!(read_regular_file(&file, 9).unwrap(), None);
        let fifo = w.repo.join("fifo");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        let error = read_regular_file(&fifo, 10).unwrap_err();
        assert!(is_not_a_regular_file(&error), "{error}");
        let error = read_regular_file(Path::new("/dev/zero"), 10).unwrap_err();
        assert!(is_not_a_regular_file(&error), "{error}");
    }
}
