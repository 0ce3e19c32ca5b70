//! What the server knows: the open documents, and for each project (the folder whose plans are
//! one portfolio, as the command line finds it) its settings, its plans and the last check of
//! each. A change re-checks only the changed plan (stage 1), then the portfolio rules over every
//! plan's cached summary (stage 2), keeping only the open plans' findings, so an edit costs one
//! plan's check plus the cross-plan rules' share that concerns the open plans.

use plan_engine::baseline::{Baseline, Run};
use plan_engine::confine::ProjectRoot;
use plan_engine::discover::{Listing, PlanPath, discover};
use plan_engine::load::{CheckedFile, Overlay, Stage, load};
use plan_engine::settings::Settings;
use plan_engine::{EngineError, Options};
use plan_rules::{FileReport, Finding, PlanSummary};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

/// An open document.
pub struct Document {
    pub uri: lsp_types::Uri,
    pub text: String,
    pub version: i32,
}

/// What a plan's cached check was made from.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Stamp {
    Disk(Option<SystemTime>, u64),
    Buffer(i32),
}

struct Cached {
    stamp: Stamp,
    checked: CheckedFile,
    report: FileReport,
}

/// A plan of the project, with its last check (or why it could not be read).
struct Member {
    plan: PlanPath,
    cached: Option<Cached>,
    error: Option<String>,
}

/// Whether plans that are not open may have changed on disk since the last check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Disk {
    /// Look: each plan's modification time and size are compared with its last check's.
    MayHaveChanged,
    /// The client watches the files and has reported no change: a plan checked from disk
    /// is as it was, and an edit costs no look at a thousand files.
    Unchanged,
}

/// One project: a config's folder, or a repository's root.
pub struct Project {
    pub root: ProjectRoot,
    pub settings: Settings,
    /// Its plans, in display-path order.
    members: Vec<Member>,
    /// Each member's index, by real path and by the path it was found at.
    by_path: HashMap<PathBuf, usize>,
    /// Counts changes to the members (found again, added, gone): what the cached policy
    /// and file list were made for.
    generation: u64,
    /// The baseline in use, as last read, and what its file was then.
    baseline: Option<Baseline>,
    baseline_stamp: Option<Stamp>,
    /// Whether the client reports changes to plan files (then files not open are not looked
    /// at on every check), and whether it has reported one since the last check.
    pub watched: bool,
    disk_changed: bool,
    /// The severities of the members in the run, as (generation, which took part, policy).
    policy: Option<(u64, Vec<usize>, plan_engine::settings::RunPolicy)>,
    /// The last check: per plan (by real path), its findings; and every plan's summary.
    pub last: Checked,
}

/// The outcome of the last check of a project.
#[derive(Default)]
pub struct Checked {
    /// The findings of the open plans, by real path.
    pub findings: HashMap<PathBuf, Vec<Finding>>,
    /// Each plan's file as the reports name it (findings' `file` and `related` index it).
    pub files: std::sync::Arc<Vec<PathBuf>>,
    pub summaries: Vec<Arc<PlanSummary>>,
    /// Paths that could not be read, by real path.
    pub errors: HashMap<PathBuf, String>,
    /// Whether a check has been made since the project was found.
    pub done: bool,
}

impl Project {
    /// The project a plan in `folder` belongs to, as a run started there would find it.
    pub fn for_folder(folder: &Path, today: jiff::civil::Date) -> Result<Project, EngineError> {
        let here = ProjectRoot::new(folder);
        let settings = Settings::new(&Options::default(), &here, today)?;
        // Display paths relative to the project's folder, as a run from there shows them.
        let root = ProjectRoot::new(settings.project_folder());
        let settings = Settings::new(&Options::default(), &root, today)?;
        let mut project = Project {
            root,
            settings,
            members: Vec::new(),
            by_path: HashMap::new(),
            generation: 0,
            baseline: None,
            baseline_stamp: None,
            watched: false,
            disk_changed: true,
            policy: None,
            last: Checked::default(),
        };
        project.discover();
        Ok(project)
    }

    /// Whether the project has been checked since it was found.
    pub fn is_checked(&self) -> bool {
        self.last.done
    }

    pub fn folder(&self) -> &Path {
        self.settings.project_folder()
    }

    /// Files may have changed on disk (the client said so, or saved one): the next check
    /// looks at every plan's file.
    pub fn note_disk_change(&mut self) {
        self.disk_changed = true;
    }

    /// Find the project's plans again (a file was created, deleted or saved). What was
    /// checked before is kept, for the plans still there.
    pub fn discover(&mut self) {
        let settings = &self.settings;
        let found = discover(&[], &self.root, Listing::FilesOnly, |path, named| {
            settings.takes(path, named)
        });
        let mut old: HashMap<PathBuf, Member> = std::mem::take(&mut self.members)
            .into_iter()
            .map(|member| (member.plan.real.clone(), member))
            .collect();
        let members = found
            .files
            .into_iter()
            .map(|plan| match old.remove(&plan.real) {
                Some(member) => Member { plan, ..member },
                None => Member {
                    plan,
                    cached: None,
                    error: None,
                },
            })
            .collect();
        self.set_members(members);
        self.disk_changed = true;
    }

    /// Read the baseline again if its file changed (one look at the file per check).
    fn refresh_baseline(&mut self) {
        let Some(path) = &self.settings.baseline else {
            return;
        };
        let stamp = std::fs::metadata(path)
            .ok()
            .map(|metadata| Stamp::Disk(metadata.modified().ok(), metadata.len()));
        if stamp != self.baseline_stamp {
            self.baseline = Baseline::read(path, &self.root, false).ok();
            self.baseline_stamp = stamp;
        }
    }

    fn set_members(&mut self, members: Vec<Member>) {
        self.members = members;
        self.by_path.clear();
        for (index, member) in self.members.iter().enumerate() {
            self.by_path.insert(member.plan.real.clone(), index);
            self.by_path.insert(member.plan.path.clone(), index);
        }
        self.generation += 1;
    }

    pub fn contains(&self, path: &Path) -> bool {
        self.by_path.contains_key(path)
    }

    /// Check every plan (reusing what has not changed) and keep the outcome: the findings of
    /// the open plans, with the portfolio rules over every plan of the project.
    pub fn check(&mut self, documents: &HashMap<PathBuf, Document>, today: jiff::civil::Date) {
        let disk = if self.watched && !self.disk_changed {
            Disk::Unchanged
        } else {
            Disk::MayHaveChanged
        };
        self.disk_changed = false;
        self.refresh_baseline();
        self.check_members(documents, today, disk);
    }

    fn check_members(
        &mut self,
        documents: &HashMap<PathBuf, Document>,
        today: jiff::civil::Date,
        disk: Disk,
    ) {
        self.add_unsaved(documents);
        // What changed since the last check: its plans are read and checked again, side by
        // side (the first check of a project reads them all, as a command-line run does).
        let mut stale: Vec<(usize, Stamp)> = Vec::new();
        let mut gone: Vec<usize> = Vec::new();
        for (index, member) in self.members.iter_mut().enumerate() {
            let stamp = match documents.get(&member.plan.real) {
                Some(document) => Stamp::Buffer(document.version),
                None if disk == Disk::Unchanged
                    && matches!(
                        member.cached,
                        Some(Cached {
                            stamp: Stamp::Disk(..),
                            ..
                        })
                    ) =>
                {
                    continue;
                }
                None => match std::fs::metadata(&member.plan.real) {
                    Ok(metadata) => Stamp::Disk(metadata.modified().ok(), metadata.len()),
                    Err(_) => {
                        gone.push(index);
                        continue;
                    }
                },
            };
            if member
                .cached
                .as_ref()
                .is_none_or(|cached| cached.stamp != stamp)
            {
                stale.push((index, stamp));
            }
        }
        if !gone.is_empty() {
            // Gone from disk and from the editor: gone from the project. The indices move,
            // so what is stale is found again.
            let members = std::mem::take(&mut self.members)
                .into_iter()
                .enumerate()
                .filter(|(index, _)| gone.binary_search(index).is_err())
                .map(|(_, member)| member)
                .collect();
            self.set_members(members);
            return self.check_members(documents, today, disk);
        }
        if !stale.is_empty() {
            self.reload(&stale, documents, today);
        }
        self.check_portfolio(documents, today);
    }

    /// A plan being written that is not saved yet is a plan of the project too.
    fn add_unsaved(&mut self, documents: &HashMap<PathBuf, Document>) {
        let unsaved: Vec<PlanPath> = documents
            .keys()
            .filter(|path| !self.by_path.contains_key(*path))
            .filter(|path| path.starts_with(self.settings.project_folder()) && !path.exists())
            .filter(|path| {
                path.file_name()
                    .and_then(|name| name.to_str())
                    .is_some_and(plan_engine::discover::is_plan_file_name)
            })
            .map(|path| PlanPath {
                path: path.clone(),
                real: path.clone(),
                display: plan_engine::paths::display_path(path, self.root.cwd()),
            })
            .collect();
        if unsaved.is_empty() {
            return;
        }
        let mut members = std::mem::take(&mut self.members);
        members.extend(unsaved.into_iter().map(|plan| Member {
            plan,
            cached: None,
            error: None,
        }));
        members.sort_by(|a, b| a.plan.display.cmp(&b.plan.display));
        self.set_members(members);
    }

    /// Read and check the stale members again.
    fn reload(
        &mut self,
        stale: &[(usize, Stamp)],
        documents: &HashMap<PathBuf, Document>,
        today: jiff::civil::Date,
    ) {
        let overlay: Overlay = stale
            .iter()
            .filter_map(|(index, _)| {
                let path = &self.members[*index].plan.real;
                documents
                    .get(path)
                    .map(|document| (path.clone(), document.text.clone()))
            })
            .collect();
        let paths: Vec<PlanPath> = stale
            .iter()
            .map(|(index, _)| self.members[*index].plan.clone())
            .collect();
        let displays: Vec<&Path> = paths.iter().map(|plan| Path::new(&plan.display)).collect();
        let policy = self.settings.policy(&displays);
        let stage = Stage {
            today,
            policy: &policy,
            root: &self.root,
            max_file_size: self.settings.max_file_size,
            keep_text: false,
            keep_facts: false,
            overlay: &overlay,
        };
        let loaded = load(&paths, &stage);
        let mut checked = loaded.files.into_iter().zip(loaded.reports).peekable();
        let mut failed = loaded.errors.into_iter().peekable();
        for (index, stamp) in stale {
            let member = &mut self.members[*index];
            // `load` keeps the order of the paths; a path it could not read is an error.
            match checked.next_if(|(file, _)| file.path == member.plan.display) {
                Some((file, report)) => {
                    member.cached = Some(Cached {
                        stamp: stamp.clone(),
                        checked: file,
                        report,
                    });
                    member.error = None;
                }
                None => {
                    member.cached = None;
                    let message = failed
                        .next_if(|error| error.path() == member.plan.display)
                        .map_or_else(
                            || "the file could not be read".to_owned(),
                            |error| error.describe(),
                        );
                    member.error = Some(message);
                }
            }
        }
    }

    /// The second stage, over every member's last check; the findings kept are the open
    /// plans'.
    fn check_portfolio(
        &mut self,
        documents: &HashMap<PathBuf, Document>,
        today: jiff::civil::Date,
    ) {
        // The run's files: the members that could be read, numbered without gaps.
        let taking_part: Vec<usize> = (0..self.members.len())
            .filter(|&index| self.members[index].cached.is_some())
            .collect();
        let same_run = self
            .policy
            .as_ref()
            .is_some_and(|(generation, members, _)| {
                *generation == self.generation && *members == taking_part
            });
        if !same_run {
            // The severities of every plan: matched against the config's overrides once,
            // until the plans change.
            let displays: Vec<&Path> = taking_part
                .iter()
                .map(|&index| Path::new(&self.members[index].plan.display))
                .collect();
            let policy = self.settings.policy(&displays);
            self.last.files = std::sync::Arc::new(
                taking_part
                    .iter()
                    .map(|&index| self.members[index].plan.real.clone())
                    .collect(),
            );
            self.policy = Some((self.generation, taking_part.clone(), policy));
        }
        let mut reports = Vec::with_capacity(taking_part.len());
        let mut focus = Vec::with_capacity(taking_part.len());
        for (file, &index) in taking_part.iter().enumerate() {
            let member = &mut self.members[index];
            let Some(cached) = member.cached.as_mut() else {
                continue;
            };
            // Numbered once, in the cache, so that the summary is shared, not copied.
            cached.report.renumber(file);
            let open = documents.contains_key(&member.plan.real);
            focus.push(open);
            // Plans not open take part through their summaries (the portfolio rules); their
            // own findings and suppressions concern only themselves.
            reports.push(if open {
                cached.report.clone()
            } else {
                FileReport {
                    findings: Vec::new(),
                    summary: cached.report.summary.clone(),
                    suppressions: Default::default(),
                }
            });
        }
        let summaries: Vec<Arc<PlanSummary>> =
            reports.iter().filter_map(|r| r.summary.clone()).collect();
        let Some((_, _, policy)) = &self.policy else {
            unreachable!("set above")
        };
        let mut outcome = plan_rules::check_portfolio_for(reports, today, policy, Some(&focus));
        if let Some(baseline) = &self.baseline {
            // Known findings are not shown, as the command line does not report them.
            let files: Vec<CheckedFile> = taking_part
                .iter()
                .filter_map(|&index| self.members[index].cached.as_ref())
                .map(|cached| cached.checked.clone())
                .collect();
            let names = baseline.file_names(&files, self.root.cwd());
            let run = Run::new(&files, &names, self.root.path(), &self.root, policy);
            let applied = baseline.apply(&run, std::mem::take(&mut outcome.findings));
            outcome.findings = applied.new;
        }
        let mut findings: HashMap<PathBuf, Vec<Finding>> = taking_part
            .iter()
            .zip(&focus)
            .filter(|(_, open)| **open)
            .map(|(&index, _)| (self.members[index].plan.real.clone(), Vec::new()))
            .collect();
        for finding in outcome.findings {
            let index = taking_part[finding.file];
            if let Some(found) = findings.get_mut(&self.members[index].plan.real) {
                found.push(finding);
            }
        }
        let errors = self
            .members
            .iter()
            .filter_map(|member| Some((member.plan.real.clone(), member.error.clone()?)))
            .collect();
        self.last.findings = findings;
        self.last.summaries = summaries;
        self.last.errors = errors;
        self.last.done = true;
    }

    /// The real path of the file a finding's `file` index names.
    pub fn file(&self, index: usize) -> Option<&Path> {
        self.last.files.get(index).map(PathBuf::as_path)
    }
}

/// An open document's text, else the file's (a plan not open), within the size cap.
pub fn text_of(path: &Path, documents: &HashMap<PathBuf, Document>) -> Option<String> {
    if let Some(document) = documents.get(path) {
        return Some(document.text.clone());
    }
    let bytes = plan_engine::confine::read_regular_file(path, 10 * 1024 * 1024).ok()??;
    Some(plan_model::decode(bytes).0)
}
