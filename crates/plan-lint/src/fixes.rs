//! `--fix`, `--unsafe-fixes`, `--diff`, `--fix-only`: apply the fixes that findings carry.
//!
//! A file is checked, the fixes of its findings applied (those that do not overlap an earlier
//! one; the rest wait for the next round), and checked again, until no fix is left or
//! [`MAX_ROUNDS`] have run. Findings that a suppression silences are not fixed: the
//! suppression is a decision. Findings the baseline knows are: fixing them is how a baseline
//! shrinks. The file is then written atomically, keeping its mode, its byte-order mark and its
//! line endings (fixes write the file's own).

use crate::discover::PlanPath;
use crate::error::FileError;
use crate::patch::Patched;
use crate::settings::Settings;
use plan_model::{Applicability, Edit, Format};
use plan_rules::{Finding, Policy};
use rayon::prelude::*;

/// Enough for fixes that make room for others; a fix that keeps reappearing stops here.
const MAX_ROUNDS: usize = 8;

const BOM: &[u8] = b"\xef\xbb\xbf";

/// Which fixes to apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wanted {
    pub unsafe_fixes: bool,
}

impl Wanted {
    fn takes(self, applicability: Applicability) -> bool {
        applicability == Applicability::Safe || self.unsafe_fixes
    }
}

/// One file's fixes.
pub struct Fixed {
    pub path: PlanPath,
    /// Findings fixed, over every round.
    pub count: usize,
    /// The unified diff from the file to its fixed text.
    pub diff: String,
    /// The fixed file's bytes, when it changed.
    pub bytes: Option<Vec<u8>>,
}

/// Fix each file, side by side. Nothing is written.
pub fn fix(
    paths: &[&PlanPath],
    settings: &Settings,
    wanted: Wanted,
) -> Vec<Result<Fixed, FileError>> {
    paths
        .par_iter()
        .map(|path| fix_one(path, settings, wanted))
        .collect()
}

fn fix_one(path: &PlanPath, settings: &Settings, wanted: Wanted) -> Result<Fixed, FileError> {
    let unchanged = |path: &PlanPath| Fixed {
        path: path.clone(),
        count: 0,
        diff: String::new(),
        bytes: None,
    };
    let bytes = match crate::confine::read_regular_file(&path.real, settings.max_file_size) {
        Ok(Some(bytes)) => bytes,
        // Too large: the run reports it; there is nothing to fix.
        Ok(None) => return Ok(unchanged(path)),
        Err(source) => {
            return Err(FileError::Unreadable {
                path: path.display.clone(),
                source,
            });
        }
    };
    let bom = bytes.starts_with(BOM);
    let (original, not_utf8) = plan_model::decode(bytes);
    if not_utf8.is_some() {
        return Ok(unchanged(path));
    }
    let policy = settings.policy(&[std::path::Path::new(&path.display)]);
    let format = Format::of_path(&path.display);
    let mut patched = Patched::new(&original);
    let mut count = 0;
    let mut text = original.clone();
    for _ in 0..MAX_ROUNDS {
        let findings = findings(&path.display, format, &text, settings, &policy);
        let edits = compatible_edits(&findings, wanted);
        if edits.is_empty() {
            break;
        }
        count += edits.len();
        let edits: Vec<&Edit> = edits.into_iter().flatten().collect();
        patched.apply(&edits);
        text = patched.text();
    }
    if !patched.is_changed() {
        return Ok(unchanged(path));
    }
    let mut bytes = Vec::with_capacity(text.len() + BOM.len());
    if bom {
        bytes.extend_from_slice(BOM);
    }
    bytes.extend_from_slice(text.as_bytes());
    Ok(Fixed {
        path: path.clone(),
        count,
        diff: patched.unified_diff(&path.display),
        bytes: Some(bytes),
    })
}

/// The findings of one file as a run would report them (suppressions applied), the
/// portfolio rules aside: they carry no fixes.
fn findings(
    display: &str,
    format: Format,
    text: &str,
    settings: &Settings,
    policy: &dyn Policy,
) -> Vec<Finding> {
    plan_model::with_thread_arena(|arena| {
        let parsed = plan_model::parse(display, format, text.as_bytes(), arena);
        let report = plan_rules::check_file(0, &parsed, settings.today, None, policy);
        plan_rules::check_portfolio(vec![report], settings.today, policy).findings
    })
}

/// The fixes to apply this round, each as its edits, in text order: every wanted fix whose
/// edits touch none of an earlier fix's. Two insertions at one place are both made, in
/// finding order.
fn compatible_edits(findings: &[Finding], wanted: Wanted) -> Vec<&[Edit]> {
    let mut fixes: Vec<&[Edit]> = findings
        .iter()
        .filter_map(|finding| finding.fix.as_deref())
        .filter(|fix| wanted.takes(fix.applicability) && !fix.edits.is_empty())
        .map(|fix| fix.edits.as_slice())
        .collect();
    fixes.sort_by_key(|edits| edits[0].span.start);
    let mut taken: Vec<&[Edit]> = Vec::new();
    let mut reach = 0;
    for edits in fixes {
        let first = &edits[0];
        let overlaps = first.span.start < reach;
        if !overlaps {
            reach = edits.iter().map(|edit| edit.span.end).max().unwrap_or(reach);
            taken.push(edits);
        }
    }
    taken
}
