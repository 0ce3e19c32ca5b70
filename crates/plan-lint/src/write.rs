//! Writing reports: to standard output, or atomically to a file, so that a reader (a CI step,
//! a code-scanning upload) never sees half a report.

use std::io::{self, Write};
use std::path::Path;

/// Something that writes a report.
pub type Writer<'a> = &'a mut dyn FnMut(&mut dyn Write) -> io::Result<()>;

/// Write a report to `path` through a temporary file in the same folder, renamed into place:
/// either the whole report is there or the previous file is untouched.
///
/// A target that exists and is not a regular file (a device, a FIFO, a folder, a symbolic
/// link) is refused: renaming over it would replace something that is not a report. The
/// temporary file is created exclusively (`O_EXCL`), with the mode a new file gets from the
/// umask, like any file the user writes.
pub fn write_atomically(path: &Path, write: Writer<'_>) -> io::Result<()> {
    if let Ok(existing) = std::fs::symlink_metadata(path)
        && !existing.is_file()
    {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            "it exists and is not a regular file, so it is not replaced",
        ));
    }
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    // `--sarif reports/plan-lint.sarif` in a fresh checkout: make the folder, as ruff does.
    std::fs::create_dir_all(folder)?;
    let existing = std::fs::metadata(path).ok().map(|m| m.permissions());
    let mut temporary = temporary_in(folder, existing)?;
    let mut buffered = io::BufWriter::new(temporary.as_file_mut());
    write(&mut buffered)?;
    buffered.flush()?;
    drop(buffered);
    temporary.as_file().sync_all()?;
    temporary.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// A temporary file beside where a file will be, created exclusively (`O_EXCL`), with the mode
/// the file should end up with: `keep`'s (the file it replaces), else 0666 less the umask, as
/// for any file a user writes (tempfile's own default is 0600).
pub fn temporary_in(
    folder: &Path,
    keep: Option<std::fs::Permissions>,
) -> io::Result<tempfile::NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".plan-lint-");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // The kernel applies the umask to this mode when it creates the file.
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let temporary = builder.tempfile_in(folder)?;
    if let Some(permissions) = keep {
        temporary.as_file().set_permissions(permissions)?;
    }
    Ok(temporary)
}

/// Write a report to standard output. A closed pipe (`plan-lint | head`) is not an error.
pub fn write_stdout(write: Writer<'_>) -> io::Result<()> {
    let mut stdout = io::BufWriter::new(io::stdout().lock());
    match write(&mut stdout).and_then(|()| stdout.flush()) {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leftovers(folder: &Path) -> Vec<String> {
        std::fs::read_dir(folder)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.starts_with(".plan-lint-"))
            .collect()
    }

    #[test]
    fn a_report_failing_halfway_leaves_the_previous_file_and_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("report.sarif");
        std::fs::write(&target, "the previous report").unwrap();
        let result = write_atomically(&target, &mut |out| {
            out.write_all(&[b'x'; 100_000])?;
            Err(io::Error::other("the disk is full"))
        });
        assert_eq!(result.unwrap_err().to_string(), "the disk is full");
        assert_eq!(
            std::fs::read_to_string(&target).unwrap(),
            "the previous report"
        );
        assert!(
            leftovers(dir.path()).is_empty(),
            "{:?}",
            leftovers(dir.path())
        );
    }

    #[cfg(unix)]
    #[test]
    fn targets_that_are_not_regular_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        assert!(
            std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );
        let link = dir.path().join("link");
        std::os::unix::fs::symlink("/dev/null", &link).unwrap();
        for target in [
            fifo.as_path(),
            link.as_path(),
            dir.path(),
            Path::new("/dev/null"),
        ] {
            let error = write_atomically(target, &mut |out| out.write_all(b"{}")).unwrap_err();
            assert!(
                error.to_string().contains("not a regular file"),
                "{}",
                target.display()
            );
        }
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink(),
            "the link is left as it was"
        );
        assert!(leftovers(dir.path()).is_empty());
    }

    /// The report gets the mode a new file gets (here with umask 022: 0644), not the temporary
    /// file's 0600.
    #[cfg(unix)]
    #[test]
    fn the_report_mode_follows_the_umask() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("report.json");
        write_atomically(&target, &mut |out| out.write_all(b"{}")).unwrap();
        let probe = dir.path().join("probe");
        std::fs::write(&probe, "").unwrap();
        let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&target), mode(&probe));
        assert_ne!(
            mode(&target),
            0o600,
            "a umask of 066 would make this test meaningless"
        );
    }

    /// A report written over an existing one keeps that file's mode.
    #[cfg(unix)]
    #[test]
    fn an_existing_report_keeps_its_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("report.json");
        std::fs::write(&target, "old").unwrap();
        std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o640)).unwrap();
        write_atomically(&target, &mut |out| out.write_all(b"{}")).unwrap();
        let mode = std::fs::metadata(&target).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
    }

    #[test]
    fn a_whole_report_replaces_the_previous_one() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("nested/report.json");
        write_atomically(&target, &mut |out| out.write_all(b"{}")).unwrap();
        write_atomically(&target, &mut |out| out.write_all(b"{\"v\": 2}")).unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "{\"v\": 2}");
        assert!(leftovers(&dir.path().join("nested")).is_empty());
    }
}
