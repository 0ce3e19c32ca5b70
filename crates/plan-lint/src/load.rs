//! Reading plan files into parsed plans. One unreadable file never stops the others.

use crate::discover::PlanPath;
use crate::error::FileError;
use plan_model::{Format, ParsedFile};
use std::io::Read;
use std::path::Path;

/// Files larger than this are reported, not read: a plan is a few hundred lines, and reading
/// an arbitrary large file would only risk running out of memory.
pub const MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;

/// Read and parse every file. The parsed files keep the order of `paths`.
pub fn load(paths: &[PlanPath]) -> (Vec<ParsedFile>, Vec<FileError>) {
    let mut parsed = Vec::with_capacity(paths.len());
    let mut errors = Vec::new();
    for path in paths {
        match load_one(path) {
            Ok(file) => parsed.push(file),
            Err(error) => errors.push(error),
        }
    }
    (parsed, errors)
}

fn load_one(path: &PlanPath) -> Result<ParsedFile, FileError> {
    let unreadable = |source| FileError::Unreadable {
        path: path.display.clone(),
        source,
    };
    let format = Format::of_path(&path.display);
    let file = std::fs::File::open(&path.path).map_err(unreadable)?;
    // Read at most one byte past the limit, so a huge file (or one growing while it is read)
    // never fills memory.
    let mut bytes = Vec::new();
    file.take(MAX_FILE_SIZE + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > MAX_FILE_SIZE {
        let message = format!(
            "the file is larger than {} MB, the limit for a plan file; it was not read",
            MAX_FILE_SIZE >> 20
        );
        return Ok(plan_model::unparsed(&path.display, format, message));
    }
    Ok(plan_model::parse(&path.display, format, &bytes))
}

/// For each parsed file, whether the relative path in its `plan.design_plan` names an existing
/// file, looked up from the plan's own folder (`None` when there is no such path). Only the
/// file's existence is checked; it is never opened.
pub fn design_plans_found(files: &[ParsedFile], cwd: &Path) -> Vec<Option<bool>> {
    files
        .iter()
        .map(|file| {
            let design_plan = plan_rules::design_plan_path(file.plan.as_ref()?)?;
            let plan_path = cwd.join(&file.source.path);
            Some(plan_path.parent()?.join(design_plan).exists())
        })
        .collect()
}
