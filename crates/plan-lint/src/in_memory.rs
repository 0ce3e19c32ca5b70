//! The whole pipeline on files held in memory, with every report rendered: what the fuzz
//! targets and the property tests drive. The command line reads files and settings first;
//! from parsing on, the path is the same.

use crate::load::{CheckedFile, check_parsed};
use crate::render;
use crate::report::Report;
use jiff::civil::Date;
use plan_rules::{Defaults, FileReport, RULES};
use std::path::Path;

/// Every report of one run, as plan-lint would print it.
#[derive(Debug)]
pub struct Reports {
    pub human: String,
    pub concise: String,
    pub json: String,
    pub sarif: String,
    pub github: String,
    pub markdown: String,
}

/// Lint `files` (display path and bytes; the format comes from the path's extension, TOML
/// unless it ends in `.json`) with every rule at its default severity, and render every
/// report. `design_plan` paths are not looked up: nothing here touches the file system.
pub fn lint_in_memory(files: &[(String, Vec<u8>)], today: Date) -> Reports {
    let mut order: Vec<usize> = (0..files.len()).collect();
    order.sort_by(|&a, &b| files[a].0.cmp(&files[b].0));
    let (checked, reports): (Vec<CheckedFile>, Vec<FileReport>) = order
        .iter()
        .enumerate()
        .map(|(file, &index)| {
            let (path, bytes) = &files[index];
            let format = plan_model::Format::of_path(path);
            plan_model::with_thread_arena(|arena| {
                let parsed = plan_model::parse(path, format, bytes.as_slice(), arena);
                check_parsed(parsed, file, None, today, &Defaults, true)
            })
        })
        .unzip();
    let outcome = plan_rules::check_portfolio(reports, today, &Defaults);
    let report = Report {
        files: &checked,
        findings: &outcome.findings,
        suppressed: &outcome.suppressed,
        errors: &[],
        skipped: &[],
        rules: RULES,
        reported: None,
    };
    let roots = render::sarif::Roots {
        srcroot: Path::new("/repository"),
        cwd: Path::new("/repository"),
    };
    let written = |write: &dyn Fn(&mut Vec<u8>) -> std::io::Result<()>| {
        let mut bytes = Vec::new();
        // Writing into memory cannot fail.
        let _ = write(&mut bytes);
        String::from_utf8_lossy(&bytes).into_owned()
    };
    Reports {
        human: render::human::render(&report, false),
        concise: render::concise::render(&report),
        json: written(&|out| render::json::write(&report, out)),
        sarif: written(&|out| render::sarif::write(&report, &roots, out)),
        github: render::github::render(&report),
        markdown: render::markdown::render(&report),
    }
}

/// Bytes as several plan files, as the `lint_portfolio` fuzz target and its regression replay
/// read them: split at `0xFF` (never in UTF-8 text), at most 16 files, alternately TOML and
/// JSON.
pub fn split_into_plans(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    bytes
        .split(|&b| b == 0xFF)
        .take(16)
        .enumerate()
        .map(|(i, part)| {
            let extension = if i % 2 == 0 { "toml" } else { "json" };
            (format!("p{i}.plan.{extension}"), part.to_vec())
        })
        .collect()
}
