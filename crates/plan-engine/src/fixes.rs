//! `--fix`, `--unsafe-fixes`, `--diff`, `--fix-only`: apply the fixes that findings carry.
//!
//! A file is checked, the fixes of its findings applied (those that do not overlap an earlier
//! one; the rest wait for the next round), and checked again, until no fix is left or
//! [`MAX_ROUNDS`] have run. Findings that a suppression silences are not fixed: the
//! suppression is a decision. Findings the baseline knows are: fixing them is how a baseline
//! shrinks. The file is then written atomically, keeping its mode, its byte-order mark and its
//! line endings (fixes write the file's own).

use crate::discover::PlanPath;
use crate::file_error::FileError;
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
    let policy = settings.policy(&[std::path::Path::new(&path.display)]);
    Ok(
        match fix_bytes(&path.display, bytes, settings.today, &policy, wanted) {
            Some(fixed) => Fixed {
                path: path.clone(),
                count: fixed.count,
                diff: fixed.diff,
                bytes: Some(fixed.bytes),
            },
            None => unchanged(path),
        },
    )
}

/// A file's bytes as fixed.
pub struct FixedBytes {
    pub bytes: Vec<u8>,
    /// Findings fixed, over every round.
    pub count: usize,
    /// The unified diff from the file to its fixed text.
    pub diff: String,
}

/// Fix a file's bytes, keeping its byte-order mark; `None` when nothing changes (or the
/// file is not UTF-8 text, which has no fixes).
pub fn fix_bytes(
    display: &str,
    bytes: Vec<u8>,
    today: jiff::civil::Date,
    policy: &dyn Policy,
    wanted: Wanted,
) -> Option<FixedBytes> {
    let bom = bytes.starts_with(BOM);
    let (original, not_utf8) = plan_model::decode(bytes);
    if not_utf8.is_some() {
        return None;
    }
    let (patched, count) = fix_text(display, &original, today, policy, wanted);
    if !patched.is_changed() {
        return None;
    }
    let text = patched.text();
    let mut bytes = Vec::with_capacity(text.len() + BOM.len());
    if bom {
        bytes.extend_from_slice(BOM);
    }
    bytes.extend_from_slice(text.as_bytes());
    Some(FixedBytes {
        bytes,
        count,
        diff: patched.unified_diff(display),
    })
}

/// Fix a file's text (decoded, without its byte-order mark) in rounds: the text as fixed,
/// and how many findings the fixes resolved.
pub fn fix_text<'t>(
    display: &str,
    original: &'t str,
    today: jiff::civil::Date,
    policy: &dyn Policy,
    wanted: Wanted,
) -> (Patched<'t>, usize) {
    let format = Format::of_path(display);
    let mut patched = Patched::new(original);
    let mut count = 0;
    let mut text = original.to_owned();
    let broken = |findings: &[Finding]| findings.iter().any(|f| f.rule.name == "syntax-error");
    let mut was_broken = None;
    // The state before the last round, and how many fixes that round applied.
    let mut undo: Option<(Patched<'t>, usize, usize)> = None;
    // Fixes that are each fine can clash (a misspelt key renamed while another fix adds the
    // key): a round that breaks the file is undone, and its fixes are then taken one a round.
    let mut per_round = usize::MAX;
    // One more check than rounds: the last round's result is checked too.
    for round in 0..=MAX_ROUNDS {
        let findings = findings(display, format, &text, today, policy);
        let was = *was_broken.get_or_insert_with(|| broken(&findings));
        if !was && broken(&findings) {
            match undo.take() {
                Some((before, before_count, applied)) => {
                    (patched, count) = (before, before_count);
                    text = patched.text();
                    if applied == 1 {
                        break;
                    }
                    per_round = 1;
                    continue;
                }
                None => break,
            }
        }
        let mut edits = compatible_edits(&findings, wanted);
        edits.truncate(per_round);
        if edits.is_empty() || round == MAX_ROUNDS {
            break;
        }
        undo = Some((patched.clone(), count, edits.len()));
        count += edits.len();
        let edits: Vec<&Edit> = edits.into_iter().flatten().collect();
        patched.apply(&edits);
        text = patched.text();
    }
    (patched, count)
}

/// The findings of one file as a run would report them (suppressions applied), the
/// portfolio rules aside: they carry no fixes.
fn findings(
    display: &str,
    format: Format,
    text: &str,
    today: jiff::civil::Date,
    policy: &dyn Policy,
) -> Vec<Finding> {
    plan_model::with_thread_arena(|arena| {
        let parsed = plan_model::parse(display, format, text.as_bytes(), arena);
        let report = plan_rules::check_file(0, &parsed, today, None, policy);
        plan_rules::check_portfolio(vec![report], today, policy).findings
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
            reach = edits
                .iter()
                .map(|edit| edit.span.end)
                .max()
                .unwrap_or(reach);
            taken.push(edits);
        }
    }
    taken
}
