//! What can go wrong with one path of a run: it is reported, and the other files are still
//! checked.

use miette::Diagnostic;

/// A path that could not be linted. The run goes on with the other files and exits 2.
#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum FileError {
    #[error("`{path}` does not exist")]
    Missing { path: String },

    #[error("cannot read `{path}`")]
    Unreadable {
        path: String,
        #[source]
        source: std::io::Error,
    },

    /// A FIFO, socket or device: reading one could block forever or never end.
    #[error("`{path}` is not a regular file; it was not read")]
    NotAFile { path: String },

    /// A path whose real location is outside the project: it is never opened.
    #[error("`{path}` was not read: {why}")]
    #[diagnostic(help(
        "plan-lint reads only files inside the project (the repository, or the working folder outside git)"
    ))]
    Outside { path: String, why: String },

    /// A plan whose fixes could not be written: the file is as it was.
    #[error("cannot write the fixed `{path}`; it is unchanged")]
    Unwritable {
        path: String,
        #[source]
        source: std::io::Error,
    },

    /// A symbolic link to nothing.
    #[error("`{path}` is a symbolic link to nothing; it was not read")]
    BrokenLink { path: String },
}

impl FileError {
    pub fn path(&self) -> &str {
        match self {
            FileError::Missing { path }
            | FileError::Unreadable { path, .. }
            | FileError::NotAFile { path }
            | FileError::Outside { path, .. }
            | FileError::BrokenLink { path }
            | FileError::Unwritable { path, .. } => path,
        }
    }

    /// A path that leads out of the project.
    pub fn outside(
        path: String,
        escape: &crate::confine::Escape,
        cwd: &std::path::Path,
    ) -> FileError {
        FileError::Outside {
            path,
            why: escape.describe(cwd),
        }
    }

    /// The message with its cause, for one-line reports.
    pub fn describe(&self) -> String {
        match self {
            FileError::Unreadable { source, .. } | FileError::Unwritable { source, .. } => {
                format!("{self}: {source}")
            }
            _ => self.to_string(),
        }
    }
}
