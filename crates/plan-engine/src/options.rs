//! What a caller (the command line, the language server) asks of a run beyond the config:
//! the command line's options, without the command line.

use std::path::PathBuf;

/// What the caller asks; `None` and empty mean "as the config says".
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The config file, relative to the working folder; else the one found from there up.
    pub config: Option<PathBuf>,
    /// Rule names or codes to run only, and to leave out.
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    pub fail_on: Option<FailOn>,
    /// In bytes.
    pub max_file_size: Option<u64>,
    /// The baseline, relative to the working folder.
    pub baseline: Option<PathBuf>,
    pub no_baseline: bool,
}

/// The lowest severity that fails a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FailOn {
    #[default]
    Error,
    Warning,
    Note,
    /// Always exit 0 when the run itself succeeds.
    Never,
}

impl FailOn {
    pub const ALL: [FailOn; 4] = [FailOn::Error, FailOn::Warning, FailOn::Note, FailOn::Never];

    pub fn as_str(self) -> &'static str {
        match self {
            FailOn::Error => "error",
            FailOn::Warning => "warning",
            FailOn::Note => "note",
            FailOn::Never => "never",
        }
    }

    pub fn parse(name: &str) -> Option<FailOn> {
        FailOn::ALL.into_iter().find(|f| f.as_str() == name)
    }
}
