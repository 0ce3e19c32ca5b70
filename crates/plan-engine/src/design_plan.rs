//! Looking up a plan's `design_plan` path, safely: plan files come from pull requests, so a
//! path is only ever looked up inside the project ([`ProjectRoot::resolve`]), and the file it
//! names is never opened. A path that leads out, by `..` or through a symbolic link, is
//! "outside" whether or not anything is there: nothing outside the project is looked up, so
//! the answer tells nothing about the machine.

use crate::confine::{ProjectRoot, Resolved};
use plan_rules::DesignPlanLookup;
use std::path::Path;

/// What the `design_plan` path `written`, in the plan file at `plan` (absolute, as found),
/// leads to.
pub fn look_up(plan: &Path, written: &str, root: &ProjectRoot) -> DesignPlanLookup {
    if looks_absolute(written) {
        return DesignPlanLookup::Absolute;
    }
    let Some(folder) = plan.parent() else {
        return DesignPlanLookup::Missing;
    };
    match root.resolve(&folder.join(written)) {
        Ok(Resolved::Found(_)) => DesignPlanLookup::Found,
        Ok(Resolved::Missing) => DesignPlanLookup::Missing,
        Err(_) => DesignPlanLookup::OutsideRepository,
    }
}

/// Absolute on any system a plan may have been written on: `/…`, `\…`, `C:…`.
fn looks_absolute(written: &str) -> bool {
    let bytes = written.as_bytes();
    Path::new(written).is_absolute()
        || written.starts_with(['/', '\\'])
        || (bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':')
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
        let repo = repo.canonicalize().unwrap();
        let plan = repo.join("plans/payments.plan.toml");
        look_up(&plan, written, &ProjectRoot::new(&repo))
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

    /// Through a link to a folder outside, an existing file and a missing one get the same
    /// answer: neither was looked up (issue 12).
    #[cfg(unix)]
    #[test]
    fn through_a_linked_folder_nothing_outside_is_looked_up() {
        let repo = repository();
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("exists.md"), "x").unwrap();
        std::os::unix::fs::symlink(outside.path(), repo.path().join("design/out")).unwrap();
        for written in ["../design/out/exists.md", "../design/out/missing.md"] {
            assert_eq!(
                look(repo.path(), written),
                DesignPlanLookup::OutsideRepository,
                "{written}"
            );
        }
    }
}
