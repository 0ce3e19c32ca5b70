//! Reading and checking plan files, in parallel. Each file is read, parsed and checked by the
//! per-plan rules while its text is in memory; what survives is what the rest of the run and
//! the reports need. One unreadable file never stops the others.

use crate::confine::{self, ProjectRoot};
use crate::discover::PlanPath;
use crate::file_error::FileError;
use jiff::civil::Date;
use plan_model::{Arena, Format, ParsedFile, Rag};
use plan_rules::{DesignPlanLookup, FileReport, Policy};
use rayon::prelude::*;
use std::path::Path;

/// A file of the run as the reports see it.
#[derive(Debug, Clone)]
pub struct CheckedFile {
    /// The path as shown to users.
    pub path: String,
    /// Where the file was found, absolute, when it was read from disk: its name byte for byte
    /// (SARIF percent-encodes names that are not UTF-8 from it).
    pub location: Option<std::path::PathBuf>,
    /// The text, kept only when a report shows source (human output).
    pub text: Option<String>,
    pub plan_id: Option<String>,
    pub rag: Option<Rag>,
    pub next_review: Option<Date>,
    /// What the status report shows of the plan, kept only for `plan-lint report`.
    pub facts: Option<Box<crate::facts::PlanFacts>>,
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
    /// Where files and `design_plan` paths may lead.
    pub root: &'a ProjectRoot,
    /// Files larger than this many bytes are reported, not read.
    pub max_file_size: u64,
    /// Keep each file's text for the reports.
    pub keep_text: bool,
    /// Keep each plan's [`PlanFacts`](crate::facts::PlanFacts), for the status report.
    pub keep_facts: bool,
    /// Texts that replace files on disk (an editor's unsaved buffers), by real path.
    pub overlay: &'a Overlay,
}

/// Texts that replace files on disk, by real path.
pub type Overlay = std::collections::HashMap<std::path::PathBuf, String>;

/// The most files one worker reads in a row before the rest of its share can be taken by
/// another.
const FILES_PER_RUN: usize = 16;

/// Read and check every file, in parallel; the results keep the order of `paths`.
pub fn load(paths: &[PlanPath], stage: &Stage<'_>) -> Loaded {
    let results: Vec<Result<(CheckedFile, FileReport), FileError>> = paths
        .par_iter()
        .enumerate()
        // Rayon would split the files into a few long runs, one per thread and a few more: a
        // thread that finished its runs early sat idle while another read its last run alone
        // (a tenth of a 10,000-plan run). Runs this short leave the others something to take.
        .with_max_len(FILES_PER_RUN)
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
        let parsed = match stage.overlay.get(&path.real) {
            Some(text) => plan_model::parse(
                &path.display,
                Format::of_path(&path.display),
                text.as_bytes(),
                arena,
            ),
            None => read(path, stage.max_file_size, arena)?,
        };
        let design_plan = look_up_design_plan(&parsed, &path.path, stage);
        let (mut checked, report) = check_parsed(
            parsed,
            file,
            design_plan,
            stage.today,
            stage.policy,
            Keep {
                text: stage.keep_text,
                facts: stage.keep_facts,
            },
        );
        checked.location = Some(path.path.clone());
        Ok((checked, report))
    })
}

/// What a checked file keeps besides its findings.
#[derive(Debug, Clone, Copy, Default)]
pub struct Keep {
    pub text: bool,
    pub facts: bool,
}

/// The first stage for a file already read and parsed.
pub fn check_parsed(
    parsed: ParsedFile,
    file: usize,
    design_plan: Option<DesignPlanLookup>,
    today: Date,
    policy: &dyn Policy,
    keep: Keep,
) -> (CheckedFile, FileReport) {
    let report = plan_rules::check_file(file, &parsed, today, design_plan, policy);
    let plan = parsed.plan.as_ref();
    let facts = plan
        .filter(|_| keep.facts)
        .map(|plan| Box::new(crate::facts::PlanFacts::of(plan, &parsed.source)));
    let checked = CheckedFile {
        plan_id: plan.and_then(|p| p.id()).map(str::to_owned),
        rag: plan
            .and_then(|p| p.health.get())
            .and_then(|h| h.rag.get().copied()),
        next_review: plan
            .and_then(|p| p.review.get())
            .and_then(|r| r.next.get().copied()),
        facts,
        text: keep.text.then(|| parsed.source.text.clone()),
        path: parsed.source.path,
        location: None,
    };
    (checked, report)
}

fn read<'a>(
    path: &PlanPath,
    max_file_size: u64,
    arena: &'a Arena,
) -> Result<ParsedFile<'a>, FileError> {
    let format = Format::of_path(&path.display);
    // Discovery resolved the path inside the project; the real path is what is opened, and
    // only if it is still a regular file.
    let bytes = match confine::read_regular_file(&path.real, max_file_size) {
        Ok(Some(bytes)) => bytes,
        Ok(None) => {
            let message = format!(
                "the file is larger than {}, the limit for a plan file; it was not read",
                crate::size::describe_size(max_file_size)
            );
            return Ok(plan_model::unparsed(&path.display, format, message));
        }
        Err(error) if confine::is_not_a_regular_file(&error) => {
            return Err(FileError::NotAFile {
                path: path.display.clone(),
            });
        }
        Err(source) => {
            return Err(FileError::Unreadable {
                path: path.display.clone(),
                source,
            });
        }
    };
    Ok(plan_model::parse(&path.display, format, bytes, arena))
}

/// What the path in a plan's `plan.design_plan` leads to (`None` when there is no such path).
/// The file is never opened.
fn look_up_design_plan(
    file: &ParsedFile,
    plan: &Path,
    stage: &Stage<'_>,
) -> Option<DesignPlanLookup> {
    let design_plan = plan_rules::design_plan_path(file.plan.as_ref()?)?;
    Some(crate::design_plan::look_up(plan, design_plan, stage.root))
}
