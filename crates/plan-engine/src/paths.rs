//! Paths as plan-lint shows and compares them, without touching the file system.

use std::path::{Component, Path, PathBuf};

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
    let relative: std::borrow::Cow<'_, Path> = if path.is_absolute() {
        match path.strip_prefix(cwd) {
            Ok(inside) => inside.into(),
            Err(_) => climbing(path, cwd).map_or(path.into(), Into::into),
        }
    } else {
        path.into()
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
            push_name(&mut joined, part.as_os_str());
        }
    }
    if joined.is_empty() {
        ".".into()
    } else {
        joined
    }
}

/// A path above or beside the working folder, relative to it (`../other/a.plan.toml`), when the
/// two share a folder below `/`: the rest of the project, seen from a subfolder.
fn climbing(path: &Path, cwd: &Path) -> Option<PathBuf> {
    let shared = path
        .components()
        .zip(cwd.components())
        .take_while(|(a, b)| a == b)
        .count();
    // Sharing only the root (or, on Windows, the drive) says nothing about where the user is.
    if shared < 2 || !cwd.is_absolute() {
        return None;
    }
    let ups = cwd.components().count() - shared;
    let mut relative: PathBuf = std::iter::repeat_n(Component::ParentDir, ups).collect();
    relative.extend(path.components().skip(shared));
    Some(relative)
}

/// A file name as text: as it is when it is UTF-8, else with each byte that is not shown as
/// `\xFF` (a lossy `�` would name no file, and two names could look the same).
fn push_name(out: &mut String, name: &std::ffi::OsStr) {
    if let Some(name) = name.to_str() {
        out.push_str(name);
        return;
    }
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        for chunk in name.as_bytes().utf8_chunks() {
            out.push_str(chunk.valid());
            for byte in chunk.invalid() {
                out.push_str(&format!("\\x{byte:02X}"));
            }
        }
    }
    #[cfg(not(unix))]
    out.push_str(&name.to_string_lossy());
}
