//! The baseline: the findings a project already had when it adopted plan-lint, recorded so
//! that a run reports only new ones. ESLint and ruff freeze a count per file and rule; a
//! plan-lint finding has a name of its own (rule, plan, logical path: see [`Identity`]), so a
//! second finding of the same rule in the same file is told apart from the first, a finding
//! whose lines move stays known, and one whose place is renamed is new.
//!
//! The file is JSON, one finding per line, sorted, so that a pull request that changes it
//! reads as a list of findings fixed (lines removed) or accepted (lines added).

use crate::confine::{ProjectRoot, Resolved};
use crate::discover::{display_path, normalize};
use crate::identity::Identity;
use crate::load::CheckedFile;
use plan_rules::{Finding, Policy};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The name a baseline has when none is given: beside the config, else at the project root.
pub const DEFAULT_FILE_NAME: &str = "plan-lint-baseline.json";

/// A baseline file larger than this is refused: 64 MB holds about 400,000 findings.
const MAX_SIZE: u64 = 64 * 1024 * 1024;

/// The version of the file's layout, written in it.
const LAYOUT: u32 = 1;

/// One known finding.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// The plan file, relative to the baseline's folder, with `/` separators.
    pub file: String,
    pub code: String,
    pub rule: String,
    /// The finding's logical path (`raid[R-3].mitigation`).
    pub path: String,
    /// [`Identity::fingerprint`]: what a finding is matched by.
    pub fingerprint: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Layout {
    #[serde(rename = "plan-lint-baseline")]
    layout: u32,
    findings: Vec<Entry>,
}

/// A baseline read from its file (or a new one, when it is about to be written).
#[derive(Debug)]
pub struct Baseline {
    /// Where it is, absolute.
    pub path: PathBuf,
    /// As shown to users.
    pub display: String,
    pub entries: Vec<Entry>,
}

/// What went wrong reading a baseline. The run stops (exit status 2): without its baseline,
/// it would report every known finding as new.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum BaselineError {
    #[error("the baseline `{path}` does not exist")]
    #[diagnostic(help("write it with `plan-lint --write-baseline={path}`"))]
    Missing { path: String },

    #[error("the baseline `{path}` was not read: {why}")]
    #[diagnostic(help(
        "plan-lint reads only files inside the project (the repository, or the working folder outside git)"
    ))]
    Outside { path: String, why: String },

    #[error("cannot read the baseline `{path}`")]
    Unreadable {
        path: String,
        #[source]
        source: std::io::Error,
    },

    #[error("the baseline `{path}` is larger than 64 MB; it was not read")]
    TooLarge { path: String },

    #[error(
        "the baseline `{path}` is not a plan-lint baseline: {message} (line {line}, column {column})"
    )]
    #[diagnostic(help(
        "write it again with `plan-lint --write-baseline={path}`; it is written, never edited by hand"
    ))]
    Invalid {
        path: String,
        message: String,
        line: usize,
        column: usize,
    },

    #[error("the baseline `{path}` has layout {found}; this plan-lint reads layout {LAYOUT}")]
    #[diagnostic(help("write it again with `plan-lint --write-baseline={path}`"))]
    Layout { path: String, found: u32 },
}

impl Baseline {
    /// Read the baseline at `path` (absolute), which must be inside the project. A missing
    /// file is `Ok(None)` when `missing_is_empty` (it is about to be written).
    pub fn read(
        path: &Path,
        root: &ProjectRoot,
        missing_is_empty: bool,
    ) -> Result<Baseline, BaselineError> {
        let display = crate::text::visible(&display_path(path, root.cwd())).into_owned();
        let empty = || Baseline {
            path: path.to_owned(),
            display: display.clone(),
            entries: Vec::new(),
        };
        let real = match root.resolve(path) {
            Ok(Resolved::Found(real)) => real,
            Ok(Resolved::Missing) if missing_is_empty => return Ok(empty()),
            Ok(Resolved::Missing) => return Err(BaselineError::Missing { path: display }),
            Err(escape) => {
                return Err(BaselineError::Outside {
                    why: escape.describe(root.cwd()),
                    path: display,
                });
            }
        };
        let bytes = match crate::confine::read_regular_file(&real, MAX_SIZE) {
            Ok(Some(bytes)) => bytes,
            Ok(None) => return Err(BaselineError::TooLarge { path: display }),
            Err(source) => {
                return Err(BaselineError::Unreadable {
                    path: display,
                    source,
                });
            }
        };
        let layout: Layout =
            serde_json::from_slice(&bytes).map_err(|error| BaselineError::Invalid {
                message: crate::text::visible(&error.to_string())
                    .split(" at line ")
                    .next()
                    .unwrap_or_default()
                    .to_owned(),
                line: error.line(),
                column: error.column(),
                path: display.clone(),
            })?;
        if layout.layout != LAYOUT {
            return Err(BaselineError::Layout {
                path: display,
                found: layout.layout,
            });
        }
        Ok(Baseline {
            path: path.to_owned(),
            display,
            entries: layout.findings,
        })
    }

    fn folder(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new(""))
    }

    /// The file's name for the baseline, for each file of the run.
    pub fn file_names(&self, files: &[CheckedFile], cwd: &Path) -> Vec<String> {
        files
            .iter()
            .map(|file| {
                let absolute = match &file.location {
                    Some(location) => normalize(location),
                    None => normalize(&cwd.join(&file.path)),
                };
                display_path(&absolute, self.folder())
            })
            .collect()
    }

    /// Split the findings into the new ones and the ones the baseline knows, and count the
    /// entries that are stale: their file was checked (or is gone) and nothing matched them.
    /// A finding is matched by its fingerprint, preferring an entry of its own file: a plan
    /// converted from TOML to JSON keeps its baseline.
    pub fn apply(&self, run: &Run<'_>, findings: Vec<Finding>) -> Applied {
        // Entries by fingerprint and file, and by fingerprint alone (with how far each list
        // has been used up): every lookup is amortised O(1), however many plans share an id.
        let mut by_file: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
        let mut by_fingerprint: HashMap<&str, (Vec<usize>, usize)> = HashMap::new();
        for (index, entry) in self.entries.iter().enumerate().rev() {
            by_file
                .entry((&entry.fingerprint, &entry.file))
                .or_default()
                .push(index);
        }
        for (index, entry) in self.entries.iter().enumerate() {
            by_fingerprint
                .entry(&entry.fingerprint)
                .or_default()
                .0
                .push(index);
        }
        let fingerprints: Vec<String> = findings
            .iter()
            .map(|finding| Identity::of(finding, run.files, run.srcroot).fingerprint())
            .collect();
        let mut used = vec![false; self.entries.len()];
        let mut known = vec![false; findings.len()];
        // First the entries of each finding's own file, then any file's.
        for (index, finding) in findings.iter().enumerate() {
            let file = run.file_names[finding.file].as_str();
            let key = (fingerprints[index].as_str(), file);
            if let Some(entry) = by_file.get_mut(&key).and_then(Vec::pop) {
                used[entry] = true;
                known[index] = true;
            }
        }
        for (index, fingerprint) in fingerprints.iter().enumerate() {
            if known[index] {
                continue;
            }
            let Some((entries, next)) = by_fingerprint.get_mut(fingerprint.as_str()) else {
                continue;
            };
            while *next < entries.len() && used[entries[*next]] {
                *next += 1;
            }
            if let Some(&entry) = entries.get(*next) {
                used[entry] = true;
                known[index] = true;
                *next += 1;
            }
        }
        let stale = self
            .entries
            .iter()
            .zip(&used)
            .filter(|(entry, used)| !**used && self.concerns_run(entry, run))
            .count();
        let (mut new, mut baselined) = (Vec::new(), Vec::new());
        for (finding, known) in findings.into_iter().zip(known) {
            if known {
                baselined.push(finding);
            } else {
                new.push(finding);
            }
        }
        Applied {
            display: self.display.clone(),
            new,
            known: baselined,
            stale,
            matched: used,
        }
    }

    /// Whether an entry that matched nothing is stale: its file was checked by this run with
    /// its rule on, or the file is gone.
    fn concerns_run(&self, entry: &Entry, run: &Run<'_>) -> bool {
        if let Some(file) = run.checked(entry) {
            return run.rule_on(&entry.code, file);
        }
        let path = normalize(&self.folder().join(&entry.file));
        matches!(run.root.resolve(&path), Ok(Resolved::Missing))
    }

    /// The baseline `--write-baseline` writes: every finding of the run, and the entries of
    /// files the run did not check, or checked without the entry's rule (`--select`), kept.
    pub fn rewritten(&self, run: &Run<'_>, findings: &[&Finding]) -> Vec<Entry> {
        let mut entries: Vec<Entry> = self
            .entries
            .iter()
            .filter(|entry| {
                run.checked(entry)
                    .is_none_or(|file| !run.rule_on(&entry.code, file))
            })
            .cloned()
            .collect();
        entries.extend(findings.iter().map(|finding| Entry {
            file: run.file_names[finding.file].clone(),
            code: finding.rule.code.to_owned(),
            rule: finding.rule.name.to_owned(),
            path: finding.path.clone(),
            fingerprint: Identity::of(finding, run.files, run.srcroot).fingerprint(),
        }));
        entries.sort();
        entries.dedup();
        entries
    }

    /// The baseline `--prune-baseline` writes: the entries that are not stale.
    pub fn pruned(&self, run: &Run<'_>, applied: &Applied) -> Vec<Entry> {
        self.entries
            .iter()
            .zip(&applied.matched)
            .filter(|(entry, used)| **used || !self.concerns_run(entry, run))
            .map(|(entry, _)| entry.clone())
            .collect()
    }
}

/// What a baseline is matched against.
pub struct Run<'a> {
    files: &'a [CheckedFile],
    /// Each file's name as the baseline writes it ([`Baseline::file_names`]).
    file_names: &'a [String],
    /// The file index of each name.
    by_name: HashMap<&'a str, usize>,
    srcroot: &'a Path,
    root: &'a ProjectRoot,
    /// The severity of each rule in each file (by index): whether a rule ran there.
    policy: &'a dyn Policy,
}

impl<'a> Run<'a> {
    pub fn new(
        files: &'a [CheckedFile],
        file_names: &'a [String],
        srcroot: &'a Path,
        root: &'a ProjectRoot,
        policy: &'a dyn Policy,
    ) -> Run<'a> {
        let by_name = file_names
            .iter()
            .enumerate()
            .map(|(index, name)| (name.as_str(), index))
            .collect();
        Run {
            files,
            file_names,
            by_name,
            srcroot,
            root,
            policy,
        }
    }

    /// Whether the rule an entry names (by code) ran on a file of the run.
    fn rule_on(&self, code: &str, file: usize) -> bool {
        self.policy
            .registry()
            .by_name_or_code(code)
            .is_some_and(|rule| self.policy.severity(rule, file).is_some())
    }

    /// Whether the run checked the entry's file.
    fn checked(&self, entry: &Entry) -> Option<usize> {
        self.by_name.get(entry.file.as_str()).copied()
    }
}

/// A baseline applied to a run's findings.
#[derive(Debug)]
pub struct Applied {
    /// The baseline's path, as shown.
    pub display: String,
    /// The findings it does not know: reported.
    pub new: Vec<Finding>,
    /// The findings it knows: counted, listed with `--show-baseline`, never failing a run.
    pub known: Vec<Finding>,
    /// Entries that matched nothing in files this run checked, or whose file is gone.
    pub stale: usize,
    /// For each entry, whether a finding matched it.
    matched: Vec<bool>,
}

/// The file's text: one entry per line, sorted.
pub fn render(entries: &[Entry]) -> String {
    let mut out = format!("{{\n  \"plan-lint-baseline\": {LAYOUT},\n  \"findings\": [");
    for (index, entry) in entries.iter().enumerate() {
        let separator = if index == 0 { "" } else { "," };
        let field = |value: &str| serde_json::to_string(value).unwrap_or_default();
        let _ = write!(
            out,
            "{separator}\n    {{\"file\": {}, \"code\": {}, \"rule\": {}, \"path\": {}, \"fingerprint\": {}}}",
            field(&entry.file),
            field(&entry.code),
            field(&entry.rule),
            field(&entry.path),
            field(&entry.fingerprint),
        );
    }
    if !entries.is_empty() {
        out.push_str("\n  ");
    }
    out.push_str("]\n}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(file: &str, path: &str) -> Entry {
        Entry {
            file: file.into(),
            code: "PL002".into(),
            rule: "raid-mitigation".into(),
            path: path.into(),
            fingerprint: "00000000000000aa:1".into(),
        }
    }

    #[test]
    fn the_file_is_one_finding_per_line_and_reads_back() {
        let entries = vec![
            entry("a.plan.toml", "raid[R-1].mitigation"),
            entry("b \"quoted\".plan.toml", "raid[R-2].owner"),
        ];
        let text = render(&entries);
        assert_eq!(text.lines().count(), 7, "{text}");
        assert!(text.lines().nth(3).unwrap().contains("a.plan.toml"));
        let layout: Layout = serde_json::from_str(&text).unwrap();
        assert_eq!(layout.layout, LAYOUT);
        assert_eq!(layout.findings, entries);
        let empty: Layout = serde_json::from_str(&render(&[])).unwrap();
        assert!(empty.findings.is_empty());
    }
}
