//! The whole pipeline on files held in memory, with every report (and the status report)
//! rendered: what the fuzz
//! targets and the property tests drive. The command line reads files and settings first;
//! from parsing on, the path is the same.

use crate::render;
use jiff::civil::Date;
use plan_engine::load::{CheckedFile, Keep, check_parsed};
use plan_engine::report::Report;
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
    /// `plan-lint report`, as HTML, Markdown and JSON.
    pub status_html: String,
    pub status_markdown: String,
    pub status_json: String,
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
                check_parsed(
                    parsed,
                    file,
                    None,
                    today,
                    &Defaults,
                    Keep {
                        text: true,
                        facts: true,
                    },
                )
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
        reporting: plan_engine::report::Reporting::Asked,
        quiet: false,
        baseline: None,
        show_baseline: false,
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
    let status = plan_report::build(
        &report,
        &plan_report::Context {
            today,
            generated_at: None,
            commit: None,
            source_url: None,
        },
    );
    Reports {
        status_html: plan_report::html::render(&status),
        status_markdown: plan_report::markdown::render(&status),
        status_json: plan_report::json::render(&status),
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

/// Bytes as the values of a hostile portfolio, as the `lint_hostile` fuzz target and its replay
/// read them: split at `0xFF` into texts (lossy UTF-8) placed where users write what findings
/// repeat (a file name, a key, people, ids, references, a rule name), in a TOML plan and its
/// JSON twin. What a pull request can put in a plan without touching the file system.
pub fn hostile_portfolio(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut parts = bytes
        .split(|&b| b == 0xFF)
        .map(|part| String::from_utf8_lossy(part).into_owned());
    let mut next = || parts.next().unwrap_or_else(|| "x".to_owned());
    let name: String = next()
        .chars()
        .filter(|&c| c != '/' && c != '\0')
        .take(64)
        .collect();
    let (key, person, id, reference, rule) = (next(), next(), next(), next(), next());
    let toml = |text: &str| {
        let mut quoted = String::from("\"");
        for c in text.chars() {
            match c {
                '"' => quoted.push_str("\\\""),
                '\\' => quoted.push_str("\\\\"),
                c if c.is_control() => quoted.push_str(&format!("\\u{:04X}", u32::from(c))),
                c => quoted.push(c),
            }
        }
        quoted.push('"');
        quoted
    };
    let json = |text: &str| serde_json::Value::from(text).to_string();
    let toml_plan = format!(
        "[plan]\nid = \"hostile\"\ntitle = \"H\"\n{key} = 1\n\n[people]\ndelivery_lead = {person}\nproblem_owner = \"bob\"\nteam = [\"bob\"]\n\n[[milestones]]\nid = \"M1\"\ntitle = \"M\"\ndue = 2027-01-01\ndepends_on = [{reference}]\n\n[[raid]]\nid = {id}\ntype = \"risk\"\ntitle = \"R\"\nstatus = \"open\"\nowner = {person}\n\n[lint]\nallow = [{{ rule = {rule}, reason = \"r\" }}]\n",
        key = toml(&key),
        person = toml(&person),
        reference = toml(&reference),
        id = toml(&id),
        rule = toml(&rule),
    );
    let json_plan = format!(
        "{{\"plan\": {{\"id\": \"twin\", \"title\": \"H\", {key}: 1}},\n\"people\": {{\"delivery_lead\": {person}, \"problem_owner\": \"bob\", \"team\": [\"bob\"]}},\n\"milestones\": [{{\"id\": \"M1\", \"title\": \"M\", \"due\": \"2027-01-01\", \"depends_on\": [{reference}]}}],\n\"raid\": [{{\"id\": {id}, \"type\": \"risk\", \"title\": \"R\", \"status\": \"open\", \"owner\": {person}}}],\n\"lint\": {{\"allow\": [{{\"rule\": {rule}, \"reason\": \"r\"}}]}}}}\n",
        key = json(&key),
        person = json(&person),
        reference = json(&reference),
        id = json(&id),
        rule = json(&rule),
    );
    vec![
        (format!("{name}.plan.toml"), toml_plan.into_bytes()),
        (format!("{name}.plan.json"), json_plan.into_bytes()),
    ]
}

/// The first report that holds a character a terminal or log would act on (a control
/// character other than a line break, or a bidirectional control), and that character.
pub fn raw_control_character(reports: &Reports) -> Option<(&'static str, char)> {
    [
        ("human", &reports.human),
        ("concise", &reports.concise),
        ("github", &reports.github),
        ("markdown", &reports.markdown),
        ("json", &reports.json),
        ("sarif", &reports.sarif),
    ]
    .into_iter()
    .find_map(|(format, text)| {
        text.chars()
            .find(|&c| c != '\n' && plan_engine::text::is_unsafe(c))
            .map(|c| (format, c))
    })
}

/// A plan file's bytes with its fixes applied (the unsafe ones too if asked), as `--fix`
/// writes them, and how many findings were fixed; for the property tests.
pub fn fix_in_memory(
    path: &str,
    bytes: &[u8],
    today: Date,
    unsafe_fixes: bool,
) -> (Vec<u8>, usize) {
    let wanted = plan_engine::fixes::Wanted { unsafe_fixes };
    match plan_engine::fixes::fix_bytes(path, bytes.to_vec(), today, &Defaults, wanted) {
        Some(fixed) => (fixed.bytes, fixed.count),
        None => (bytes.to_vec(), 0),
    }
}
