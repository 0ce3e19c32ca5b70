//! One module per subcommand.

pub mod check;
pub mod explain;
pub mod generated;
pub mod init;
pub mod rules;
pub mod schema;
pub mod test;

use crate::error::RunError;
use std::path::{Path, PathBuf};

/// The rules of the project around `cwd`: the built-ins and the custom rules of its config
/// (`--config FILE`, else the one found from the working folder up).
pub fn project_registry(
    cwd: &Path,
    config: Option<PathBuf>,
) -> Result<plan_rules::Registry, RunError> {
    let root = plan_engine::confine::ProjectRoot::new(cwd);
    let options = plan_engine::Options {
        config,
        ..plan_engine::Options::default()
    };
    let settings = plan_engine::settings::Settings::new(&options, &root, plan_engine::today_utc())?;
    Ok(settings.registry)
}
