//! Looking up a plan's `design_plan` path, safely: plan files come from pull requests, so a
//! path is only ever resolved inside the repository, and the file it names is never opened.
//!
//! The repository is the one around the working folder (the nearest folder holding `.git`,
//! else the working folder itself). A plan outside it is judged by the repository around the
//! plan, else the plan's own folder.

use plan_rules::DesignPlanLookup;
use std::path::{Component, Path, PathBuf};

/// Where design plans may be: a repository root, as written and with symbolic links resolved.
#[derive(Debug)]
pub struct Boundary {
    root: PathBuf,
    resolved: Option<PathBuf>,
}

impl Boundary {
    pub fn new(root: &Path) -> Boundary {
        Boundary {
            root: normalize(root).unwrap_or_else(|| root.to_owned()),
            resolved: root.canonicalize().ok(),
        }
    }

    fn holds(&self, path: &Path) -> bool {
        path.starts_with(&self.root)
    }

    fn holds_resolved(&self, path: &Path) -> bool {
        self.resolved
            .as_deref()
            .is_some_and(|root| path.starts_with(root))
    }
}

/// What the `design_plan` path `written`, in the plan file at `plan` (an absolute path), leads
/// to. Only `lstat`/`realpath`-style lookups are made; nothing is read.
pub fn look_up(plan: &Path, written: &str, boundary: &Boundary) -> DesignPlanLookup {
    if looks_absolute(written) {
        return DesignPlanLookup::Absolute;
    }
    let Some(plan) = normalize(plan) else {
        return DesignPlanLookup::Missing;
    };
    let Some(folder) = plan.parent() else {
        return DesignPlanLookup::Missing;
    };
    let own;
    let boundary = if boundary.holds(&plan) {
        boundary
    } else {
        let root = folder
            .ancestors()
            .find(|dir| dir.join(".git").exists())
            .unwrap_or(folder);
        own = Boundary::new(root);
        &own
    };
    // First without touching the file system: `..` must not climb out.
    let Some(target) = normalize(&folder.join(written)) else {
        return DesignPlanLookup::OutsideRepository;
    };
    if !boundary.holds(&target) {
        return DesignPlanLookup::OutsideRepository;
    }
    // Then with symbolic links resolved, which also tells whether the file exists.
    match target.canonicalize() {
        Ok(real) if boundary.holds_resolved(&real) => DesignPlanLookup::Found,
        Ok(_) => DesignPlanLookup::OutsideRepository,
        Err(_) => DesignPlanLookup::Missing,
    }
}

/// Absolute on any system a plan may have been written on: `/…`, `\…`, `C:…`.
fn looks_absolute(written: &str) -> bool {
    let bytes = written.as_bytes();
    Path::new(written).is_absolute()
        || written.starts_with(['/', '\\'])
        || (bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':')
}

/// `path` with `.` and `..` resolved by name alone; `None` when `..` climbs above the root
/// (where `discover::normalize`, which only shapes paths for display, stops at the root).
fn normalize(path: &Path) -> Option<PathBuf> {
    let mut normal = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !normal.pop() || normal.as_os_str().is_empty() {
                    return None;
                }
            }
            other => normal.push(other),
        }
    }
    Some(normal)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repository() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(".git")).unwrap();
        std::fs::create_dir_all(dir.path().join("plans")).unwrap();
        std::fs::create_dir_all(dir.path().join("design")).unwrap();
        std::fs::write(dir.path().join("design/payments.md"), "# design").unwrap();
        dir
    }

    fn look(repo: &Path, written: &str) -> DesignPlanLookup {
        let plan = repo.join("plans/payments.plan.toml");
        look_up(&plan, written, &Boundary::new(repo))
    }

    #[test]
    fn relative_paths_inside_the_repository_are_looked_up() {
        let repo = repository();
        assert_eq!(
            look(repo.path(), "../design/payments.md"),
            DesignPlanLookup::Found
        );
        assert_eq!(
            look(repo.path(), "./../design/./payments.md"),
            DesignPlanLookup::Found
        );
        assert_eq!(
            look(repo.path(), "../design/other.md"),
            DesignPlanLookup::Missing
        );
    }

    #[test]
    fn paths_climbing_out_are_not_looked_up() {
        let repo = repository();
        for written in [
            "../../etc/passwd",
            "../../../../../../../../../../etc/passwd",
            "../design/../../outside.md",
        ] {
            assert_eq!(
                look(repo.path(), written),
                DesignPlanLookup::OutsideRepository,
                "{written}"
            );
        }
    }

    #[test]
    fn absolute_paths_are_not_looked_up() {
        let repo = repository();
        for written in [
            "/etc/passwd",
            "\\\\server\\share\\design.md",
            "C:\\design.md",
            "c:design.md",
        ] {
            assert_eq!(
                look(repo.path(), written),
                DesignPlanLookup::Absolute,
                "{written}"
            );
        }
    }

    #[cfg(unix)]
    #[test]
    fn symbolic_links_out_of_the_repository_are_outside() {
        let repo = repository();
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.md"), "secret").unwrap();
        std::os::unix::fs::symlink(
            outside.path().join("secret.md"),
            repo.path().join("design/link.md"),
        )
        .unwrap();
        std::os::unix::fs::symlink(outside.path(), repo.path().join("design/folder")).unwrap();
        std::os::unix::fs::symlink(
            repo.path().join("design/payments.md"),
            repo.path().join("design/inside.md"),
        )
        .unwrap();
        assert_eq!(
            look(repo.path(), "../design/link.md"),
            DesignPlanLookup::OutsideRepository
        );
        assert_eq!(
            look(repo.path(), "../design/folder/secret.md"),
            DesignPlanLookup::OutsideRepository
        );
        assert_eq!(
            look(repo.path(), "../design/inside.md"),
            DesignPlanLookup::Found
        );
    }

    #[test]
    fn a_plan_outside_the_working_repository_is_judged_by_its_own() {
        let repo = repository();
        let elsewhere = repository();
        let plan = elsewhere.path().join("plans/payments.plan.toml");
        assert_eq!(
            look_up(&plan, "../design/payments.md", &Boundary::new(repo.path())),
            DesignPlanLookup::Found
        );
    }
}
