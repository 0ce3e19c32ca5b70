//! Reading and checking plan files, in parallel. Each file is read, parsed and checked by the
//! per-plan rules while its text is in memory; what survives is what the rest of the run and
//! the reports need. One unreadable file never stops the others.

use crate::design_plan::Boundary;
use crate::discover::PlanPath;
use crate::error::FileError;
use jiff::civil::Date;
use plan_model::{Arena, Format, ParsedFile, Rag};
use plan_rules::{DesignPlanLookup, FileReport, Policy};
use rayon::prelude::*;
use std::io::Read;
use std::path::Path;

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
    /// Where `design_plan` paths may lead.
    pub boundary: &'a Boundary,
    /// Files larger than this many bytes are reported, not read.
    pub max_file_size: u64,
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
    plan_model::with_thread_arena(|arena| {
        let parsed = read(path, stage.max_file_size, arena)?;
        let design_plan = look_up_design_plan(&parsed, stage);
        Ok(check_parsed(
            parsed,
            file,
            design_plan,
            stage.today,
            stage.policy,
            stage.keep_text,
        ))
    })
}

/// The first stage for a file already read and parsed.
pub fn check_parsed(
    parsed: ParsedFile,
    file: usize,
    design_plan: Option<DesignPlanLookup>,
    today: Date,
    policy: &dyn Policy,
    keep_text: bool,
) -> (CheckedFile, FileReport) {
    let report = plan_rules::check_file(file, &parsed, today, design_plan, policy);
    let plan = parsed.plan.as_ref();
    let checked = CheckedFile {
        plan_id: plan.and_then(|p| p.id()).map(str::to_owned),
        rag: plan
            .and_then(|p| p.health.get())
            .and_then(|h| h.rag.get().copied()),
        next_review: plan
            .and_then(|p| p.review.get())
            .and_then(|r| r.next.get().copied()),
        text: keep_text.then(|| parsed.source.text.clone()),
        path: parsed.source.path,
    };
    (checked, report)
}

fn read<'a>(
    path: &PlanPath,
    max_file_size: u64,
    arena: &'a Arena,
) -> Result<ParsedFile<'a>, FileError> {
    let unreadable = |source| FileError::Unreadable {
        path: path.display.clone(),
        source,
    };
    let format = Format::of_path(&path.display);
    let file = open(&path.path).map_err(unreadable)?;
    // Discovery saw a regular file, but the path may have been replaced since.
    let metadata = file.metadata().map_err(unreadable)?;
    if !metadata.is_file() {
        return Err(FileError::NotAFile {
            path: path.display.clone(),
        });
    }
    // Read at most one byte past the limit, so a huge file (or one growing while it is read)
    // never fills memory. The size the file has now is only a hint: one allocation when it
    // holds, growth when the file grew.
    let hint = metadata.len().min(max_file_size) + 1;
    let mut bytes = Vec::with_capacity(hint as usize);
    file.take(max_file_size + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > max_file_size {
        let message = format!(
            "the file is larger than {}, the limit for a plan file; it was not read",
            crate::size::describe_size(max_file_size)
        );
        return Ok(plan_model::unparsed(&path.display, format, message));
    }
    Ok(plan_model::parse(&path.display, format, bytes, arena))
}

/// Open a file for reading without waiting: a FIFO put where a plan was would otherwise block
/// the open until something writes to it.
fn open(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(path)
}

/// What the path in a plan's `plan.design_plan` leads to (`None` when there is no such path).
/// The file is never opened.
fn look_up_design_plan(file: &ParsedFile, stage: &Stage<'_>) -> Option<DesignPlanLookup> {
    let design_plan = plan_rules::design_plan_path(file.plan.as_ref()?)?;
    let plan_path = stage.cwd.join(&file.source.path);
    Some(crate::design_plan::look_up(
        &plan_path,
        design_plan,
        stage.boundary,
    ))
}
