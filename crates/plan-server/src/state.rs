//! What the server knows: the open documents, and for each project (the folder whose plans are
//! one portfolio, as the command line finds it) its settings, its plans and the last check of
//! each. A change re-checks only the changed plan (stage 1), then the portfolio rules over every
//! plan's cached report (stage 2), so an edit costs one plan's check plus the cross-plan rules.

use plan_engine::baseline::{Baseline, Run};
use plan_engine::confine::ProjectRoot;
use plan_engine::discover::{Listing, PlanPath, discover};
use plan_engine::load::{CheckedFile, Overlay, Stage, load};
use plan_engine::settings::Settings;
use plan_engine::{EngineError, Options};
use plan_rules::{FileReport, Finding, Outcome, Policy};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
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

/// One project: a config's folder, or a repository's root.
pub struct Project {
    pub root: ProjectRoot,
    pub settings: Settings,
    /// Its plans, in display-path order.
    pub plans: Vec<PlanPath>,
    cache: HashMap<PathBuf, Cached>,
    /// The baseline in use, as last read.
    baseline: Option<Baseline>,
    /// The severities for the plans, by their display paths.
    policy: Option<(Vec<String>, plan_engine::settings::RunPolicy)>,
    /// The last check: per plan (by real path), its findings; and every plan's summary.
    pub last: Checked,
}

/// The outcome of the last check of a project.
#[derive(Default)]
pub struct Checked {
    pub findings: HashMap<PathBuf, Vec<Finding>>,
    /// Each plan's file as the reports name it (findings' `file` and `related` index it).
    pub files: Vec<PathBuf>,
    pub summaries: Vec<plan_rules::PlanSummary>,
    /// Paths that could not be read, by real path.
    pub errors: HashMap<PathBuf, String>,
}

/// Texts of the open documents, by path.
pub fn overlay(documents: &HashMap<PathBuf, Document>) -> Overlay {
    documents
        .iter()
        .map(|(path, document)| (path.clone(), document.text.clone()))
        .collect()
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
            plans: Vec::new(),
            cache: HashMap::new(),
            baseline: None,
            policy: None,
            last: Checked::default(),
        };
        project.discover();
        Ok(project)
    }

    /// Whether the project has been checked since it was found (an empty project always has).
    pub fn is_checked(&self) -> bool {
        !self.last.files.is_empty() || self.plans.is_empty()
    }

    pub fn folder(&self) -> &Path {
        self.settings.project_folder()
    }

    /// Find the project's plans again, and read its baseline (a file was created, deleted
    /// or saved).
    pub fn discover(&mut self) {
        let settings = &self.settings;
        let found = discover(&[], &self.root, Listing::FilesOnly, |path, named| {
            settings.takes(path, named)
        });
        self.plans = found.files;
        self.baseline = settings
            .baseline
            .as_ref()
            .and_then(|path| Baseline::read(path, &self.root, false).ok());
    }

    pub fn contains(&self, path: &Path) -> bool {
        self.plans
            .iter()
            .any(|plan| plan.real == path || plan.path == path)
    }

    /// Check every plan (reusing what has not changed) and keep the outcome.
    pub fn check(&mut self, documents: &HashMap<PathBuf, Document>, today: jiff::civil::Date) {
        let overlay = overlay(documents);
        // A plan being written that is not saved yet is a plan of the project too.
        let unsaved: Vec<PlanPath> = documents
            .keys()
            .filter(|path| path.starts_with(self.settings.project_folder()) && !path.exists())
            .filter(|path| {
                path.file_name()
                    .and_then(|name| name.to_str())
                    .is_some_and(plan_engine::discover::is_plan_file_name)
            })
            .filter(|path| !self.plans.iter().any(|plan| plan.real == **path))
            .map(|path| PlanPath {
                path: path.clone(),
                real: path.clone(),
                display: plan_engine::paths::display_path(path, self.root.cwd()),
            })
            .collect();
        if !unsaved.is_empty() {
            self.plans.extend(unsaved);
            self.plans.sort_by(|a, b| a.display.cmp(&b.display));
        }
        let mut errors = HashMap::new();
        // What changed since the last check: its plans are read and checked again, side by
        // side (the first check of a project reads them all, as a command-line run does).
        let mut stale: Vec<(PlanPath, Stamp)> = Vec::new();
        let mut gone: Vec<PathBuf> = Vec::new();
        for plan in &self.plans {
            let stamp = match documents.get(&plan.real) {
                Some(document) => Stamp::Buffer(document.version),
                None => match std::fs::metadata(&plan.real) {
                    Ok(metadata) => Stamp::Disk(metadata.modified().ok(), metadata.len()),
                    Err(_) => {
                        gone.push(plan.real.clone());
                        continue;
                    }
                },
            };
            if self
                .cache
                .get(&plan.real)
                .is_none_or(|cached| cached.stamp != stamp)
            {
                stale.push((plan.clone(), stamp));
            }
        }
        // Plans gone from disk and from the editor are gone from the project.
        self.plans.retain(|plan| !gone.contains(&plan.real));
        if !stale.is_empty() {
            let paths: Vec<PlanPath> = stale.iter().map(|(plan, _)| plan.clone()).collect();
            let displays: Vec<&Path> = paths.iter().map(|plan| Path::new(&plan.display)).collect();
            let policy = self.settings.policy(&displays);
            let stage = Stage {
                today,
                policy: &policy,
                root: &self.root,
                max_file_size: self.settings.max_file_size,
                keep_text: false,
                overlay: &overlay,
            };
            let loaded = load(&paths, &stage);
            let mut checked = loaded.files.into_iter().zip(loaded.reports).peekable();
            let mut failed = loaded.errors.into_iter().peekable();
            for (plan, stamp) in stale {
                // `load` keeps the order of the paths; a path it could not read is an error.
                match checked.next_if(|(file, _)| file.path == plan.display) {
                    Some((file, report)) => {
                        self.cache.insert(
                            plan.real.clone(),
                            Cached {
                                stamp,
                                checked: file,
                                report,
                            },
                        );
                    }
                    None => {
                        self.cache.remove(&plan.real);
                        let message = failed
                            .next_if(|error| error.path() == plan.display)
                            .map_or_else(
                                || "the file could not be read".to_owned(),
                                |error| error.describe(),
                            );
                        errors.insert(plan.real.clone(), message);
                    }
                }
            }
        }
        let known: std::collections::HashSet<&PathBuf> =
            self.plans.iter().map(|plan| &plan.real).collect();
        self.cache.retain(|path, _| known.contains(path));

        let plans: Vec<&PlanPath> = self
            .plans
            .iter()
            .filter(|plan| self.cache.contains_key(&plan.real))
            .collect();
        let mut reports = Vec::with_capacity(plans.len());
        let mut files = Vec::with_capacity(plans.len());
        for (index, plan) in plans.iter().enumerate() {
            let cached = &self.cache[&plan.real];
            // Only open plans' diagnostics are shown: the others take part through their
            // summaries (the portfolio rules), and their own findings and suppressions, which
            // concern only themselves, are left out of the run.
            let mut report = if documents.contains_key(&plan.real) {
                cached.report.clone()
            } else {
                FileReport {
                    findings: Vec::new(),
                    summary: cached.report.summary.clone(),
                    suppressions: Default::default(),
                }
            };
            report.renumber(index);
            reports.push(report);
            files.push(cached.checked.clone());
        }
        let summaries: Vec<plan_rules::PlanSummary> =
            reports.iter().filter_map(|r| r.summary.clone()).collect();
        let displays: Vec<String> = plans.iter().map(|plan| plan.display.clone()).collect();
        // The severities of every plan: matched against the config's overrides once, until
        // the plans change.
        if self
            .policy
            .as_ref()
            .is_none_or(|(known, _)| *known != displays)
        {
            let paths: Vec<&Path> = displays.iter().map(Path::new).collect();
            self.policy = Some((displays.clone(), self.settings.policy(&paths)));
        }
        let policy = match &self.policy {
            Some((_, policy)) => policy,
            None => unreachable!("just set"),
        };
        let mut outcome = plan_rules::check_portfolio(reports, today, policy);
        self.apply_baseline(&files, policy, &mut outcome);
        let mut findings: HashMap<PathBuf, Vec<Finding>> = plans
            .iter()
            .map(|plan| (plan.real.clone(), Vec::new()))
            .collect();
        for finding in outcome.findings {
            findings
                .entry(plans[finding.file].real.clone())
                .or_default()
                .push(finding);
        }
        self.last = Checked {
            findings,
            files: plans.iter().map(|plan| plan.real.clone()).collect(),
            summaries,
            errors,
        };
    }

    /// Known findings are not shown, as the command line does not report them.
    fn apply_baseline(&self, files: &[CheckedFile], policy: &dyn Policy, outcome: &mut Outcome) {
        let Some(baseline) = &self.baseline else {
            return;
        };
        let names = baseline.file_names(files, self.root.cwd());
        let run = Run::new(files, &names, self.root.path(), &self.root, policy);
        let applied = baseline.apply(&run, std::mem::take(&mut outcome.findings));
        outcome.findings = applied.new;
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
