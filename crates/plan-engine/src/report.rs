//! The outcome of a check run, as every renderer sees it.

use crate::baseline::Applied;
use crate::discover::Skipped;
use crate::file_error::FileError;
use crate::load::CheckedFile;
use plan_rules::{Finding, Rule, Severity, Suppressed};

pub struct Report<'a> {
    /// Every file that was read, in display-path order; `Finding::file` indexes it.
    pub files: &'a [CheckedFile],
    /// Findings after settings were applied, in deterministic order.
    pub findings: &'a [Finding],
    /// Findings that suppressions silenced.
    pub suppressed: &'a [Suppressed],
    /// Paths that could not be linted.
    pub errors: &'a [FileError],
    /// Plans left out that a user would expect linted, and why.
    pub skipped: &'a [Skipped],
    /// The rules that ran (on for at least one file), in registry order.
    pub rules: &'a [&'static Rule],
    /// With `--only-files` or `--changed-since`: for each file, whether its findings are
    /// reported. Every file was linted either way.
    pub reported: Option<&'a [bool]>,
    /// Why only some files are reported.
    pub reporting: Reporting,
    /// `--quiet`: the findings only, no summary line or notes.
    pub quiet: bool,
    /// The baseline in use: the findings it knows (not in `findings`), and its stale entries.
    pub baseline: Option<&'a Applied>,
    /// `--show-baseline`: list the known findings too.
    pub show_baseline: bool,
}

/// Which files a run reports on, when not every file it checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reporting {
    /// The plans the paths asked for; the rest of the project was checked with them.
    Asked,
    /// The files `--only-files` names or `--changed-since` finds changed.
    Changed,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub error: usize,
    pub warning: usize,
    pub note: usize,
}

impl Report<'_> {
    /// Findings per rule, most first (then in registry order): `--statistics`.
    pub fn statistics(&self) -> Vec<(&'static Rule, usize)> {
        let mut counts: Vec<(&'static Rule, usize)> = Vec::new();
        for finding in self.findings {
            match counts
                .iter_mut()
                .find(|(rule, _)| rule.code == finding.rule.code)
            {
                Some((_, count)) => *count += 1,
                None => counts.push((finding.rule, 1)),
            }
        }
        let position = |rule: &Rule| self.rules.iter().position(|known| known.code == rule.code);
        counts.sort_by_key(|&(rule, count)| (std::cmp::Reverse(count), position(rule)));
        counts
    }

    /// How many findings have a safe fix, and how many an unsafe one.
    pub fn fixable(&self) -> (usize, usize) {
        let mut counts = (0, 0);
        for fix in self
            .findings
            .iter()
            .filter_map(|finding| finding.fix.as_ref())
        {
            match fix.applicability {
                plan_model::Applicability::Safe => counts.0 += 1,
                plan_model::Applicability::Unsafe => counts.1 += 1,
            }
        }
        counts
    }

    /// The findings the baseline knows.
    pub fn known(&self) -> &[Finding] {
        self.baseline.map_or(&[], |baseline| &baseline.known)
    }

    /// Whether findings in this file are reported.
    pub fn is_reported(&self, file: usize) -> bool {
        self.reported.is_none_or(|reported| reported[file])
    }

    pub fn counts(&self) -> Counts {
        let mut counts = Counts::default();
        for finding in self.findings {
            match finding.severity {
                Severity::Error => counts.error += 1,
                Severity::Warning => counts.warning += 1,
                Severity::Note => counts.note += 1,
            }
        }
        counts
    }

    /// The closing line of human output: `3 errors, 1 warning in 2 of 12 plans`, and which of
    /// them it reports on when not all.
    pub fn summary_line(&self) -> String {
        let counts = self.counts();
        let plans = plural(self.files.len(), "plan");
        let mut parts = Vec::new();
        for (n, word) in [
            (counts.error, "error"),
            (counts.warning, "warning"),
            (counts.note, "note"),
        ] {
            if n > 0 {
                parts.push(plural(n, word));
            }
        }
        let mut line = if parts.is_empty() && !self.errors.is_empty() {
            // The run failed: "no problems" would say otherwise.
            format!("no findings in {plans} read")
        } else if parts.is_empty() {
            format!("no problems in {plans}")
        } else {
            let mut with_findings: Vec<usize> = self.findings.iter().map(|f| f.file).collect();
            with_findings.dedup();
            format!("{} in {} of {plans}", parts.join(", "), with_findings.len())
        };
        if let Some(reported) = self.reported {
            let count = reported.iter().filter(|r| **r).count();
            let plans = if count == 1 { "plan" } else { "plans" };
            let which = match self.reporting {
                Reporting::Asked => format!("{plans} asked for"),
                Reporting::Changed => format!("changed {plans}"),
            };
            line.push_str(&format!(", reporting on the {count} {which}"));
        }
        let mut aside = Vec::new();
        if !self.suppressed.is_empty() {
            aside.push(format!("{} suppressed", self.suppressed.len()));
        }
        if let Some(baseline) = self.baseline {
            aside.push(format!(
                "{} in the baseline",
                plural(baseline.known.len(), "known finding")
            ));
        }
        if !aside.is_empty() {
            line.push_str(&format!(" ({})", aside.join("; ")));
        }
        let (safe, unsafe_fixes) = self.fixable();
        match (safe, unsafe_fixes) {
            (0, 0) => {}
            (0, n) => line.push_str(&format!("; {n} fixable with --unsafe-fixes")),
            (n, 0) => line.push_str(&format!("; {n} fixable with --fix")),
            (n, m) => line.push_str(&format!(
                "; {n} fixable with --fix ({m} more with --unsafe-fixes)"
            )),
        }
        if !self.errors.is_empty() {
            line.push_str(&format!(
                "; {} could not be read",
                plural(self.errors.len(), "path")
            ));
        }
        line
    }
}

pub use crate::text::{list, plural};
