//! Writing reports: to standard output, or atomically to a file, so that a reader (a CI step,
//! a code-scanning upload) never sees half a report.

use std::io::{self, Write};
use std::path::Path;

/// Write `contents` to `path` through a temporary file in the same folder, renamed into
/// place: either the whole report is there or the previous file is untouched.
pub fn write_atomically(path: &Path, contents: &[u8]) -> io::Result<()> {
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    // `--sarif reports/plan-lint.sarif` in a fresh checkout: make the folder, as ruff does.
    std::fs::create_dir_all(folder)?;
    let mut temporary = tempfile::Builder::new()
        .prefix(".plan-lint-")
        .tempfile_in(folder)?;
    temporary.write_all(contents)?;
    temporary.as_file().sync_all()?;
    temporary.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Write to standard output. A closed pipe (`plan-lint | head`) is not an error.
pub fn write_stdout(contents: &[u8]) -> io::Result<()> {
    let mut stdout = io::stdout().lock();
    match stdout.write_all(contents).and_then(|()| stdout.flush()) {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}
