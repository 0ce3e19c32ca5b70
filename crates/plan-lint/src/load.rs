//! Reading and checking plan files, in parallel. Each file is read, parsed and checked by the
//! per-plan rules while its text is in memory; what survives is what the rest of the run and
//! the reports need. One unreadable file never stops the others.

use crate::discover::PlanPath;
use crate::error::FileError;
use jiff::civil::Date;
use plan_model::{Format, ParsedFile, Rag};
use plan_rules::{FileReport, Policy};
use rayon::prelude::*;
use std::io::Read;
use std::path::Path;

/// Files larger than this are reported, not read: a plan is a few hundred lines, and reading
/// an arbitrary large file would only risk running out of memory.
pub const MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;

/// A file of the run as the reports see it.
#[derive(Debug)]
pub struct CheckedFile {
    /// The path as shown to users.
    pub path: String,
    /// The text, kept only when a report shows source (human output).
    pub text: Option<String>,
    pub plan_id: Option<String>,
    pub rag: Option<Rag>,
    pub next_review: Option<Date>,
}

/// The first stage of a run: every readable file checked, numbered in path order.
pub struct Loaded {
    pub files: Vec<CheckedFile>,
    pub reports: Vec<FileReport>,
    pub errors: Vec<FileError>,
}

/// What the first stage needs besides the files.
pub struct Stage<'a> {
    pub today: Date,
    pub policy: &'a dyn Policy,
    pub cwd: &'a Path,
    /// Keep each file's text for the reports.
    pub keep_text: bool,
}

/// Read and check every file, in parallel; the results keep the order of `paths`.
pub fn load(paths: &[PlanPath], stage: &Stage<'_>) -> Loaded {
    let results: Vec<Result<(CheckedFile, FileReport), FileError>> = paths
        .par_iter()
        .enumerate()
        .map(|(file, path)| load_one(path, file, stage))
        .collect();
    let mut loaded = Loaded {
        files: Vec::with_capacity(results.len()),
        reports: Vec::with_capacity(results.len()),
        errors: Vec::new(),
    };
    for result in results {
        match result {
            Ok((file, mut report)) => {
                report.renumber(loaded.files.len());
                loaded.files.push(file);
                loaded.reports.push(report);
            }
            Err(error) => loaded.errors.push(error),
        }
    }
    loaded
}

fn load_one(
    path: &PlanPath,
    file: usize,
    stage: &Stage<'_>,
) -> Result<(CheckedFile, FileReport), FileError> {
    let parsed = read(path)?;
    let design_plan_exists = design_plan_found(&parsed, stage.cwd);
    let report =
        plan_rules::check_file(file, &parsed, stage.today, design_plan_exists, stage.policy);
    let plan = parsed.plan.as_ref();
    let checked = CheckedFile {
        plan_id: plan.and_then(|p| p.id()).map(str::to_owned),
        rag: plan
            .and_then(|p| p.health.get())
            .and_then(|h| h.rag.get().copied()),
        next_review: plan
            .and_then(|p| p.review.get())
            .and_then(|r| r.next.get().copied()),
        text: stage.keep_text.then(|| parsed.source.text.clone()),
        path: parsed.source.path,
    };
    Ok((checked, report))
}

fn read(path: &PlanPath) -> Result<ParsedFile, FileError> {
    let unreadable = |source| FileError::Unreadable {
        path: path.display.clone(),
        source,
    };
    let format = Format::of_path(&path.display);
    let file = std::fs::File::open(&path.path).map_err(unreadable)?;
    // Read at most one byte past the limit, so a huge file (or one growing while it is read)
    // never fills memory. The size the file has now is only a hint: one allocation when it
    // holds, growth when the file grew.
    let hint = file.metadata().map_or(0, |m| m.len()).min(MAX_FILE_SIZE) + 1;
    let mut bytes = Vec::with_capacity(hint as usize);
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
    Ok(plan_model::parse(&path.display, format, bytes))
}

/// Whether the relative path in a plan's `plan.design_plan` names an existing file, looked up
/// from the plan's own folder (`None` when there is no such path). Only the file's existence
/// is checked; it is never opened.
fn design_plan_found(file: &ParsedFile, cwd: &Path) -> Option<bool> {
    let design_plan = plan_rules::design_plan_path(file.plan.as_ref()?)?;
    let plan_path = cwd.join(&file.source.path);
    Some(plan_path.parent()?.join(design_plan).exists())
}
