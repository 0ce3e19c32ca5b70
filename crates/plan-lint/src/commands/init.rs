//! `plan-lint init [FILE]`: a complete plan template that lints clean, with comments that say
//! what each part is for. It never overwrites a file.

use crate::ExitStatus;
use crate::args::PlanFormat;
use crate::error::RunError;
use jiff::ToSpan;
use jiff::civil::Date;
use std::io::Write;
use std::path::Path;

const DEFAULT_STEM: &str = "implementation";

pub fn init(
    file: Option<&Path>,
    format: Option<PlanFormat>,
    today: Option<Date>,
    cwd: &Path,
) -> Result<ExitStatus, RunError> {
    let path = match file {
        Some(file) => cwd.join(file),
        None => cwd.join(format!(
            "{DEFAULT_STEM}{}",
            format.unwrap_or(PlanFormat::Toml).suffix()
        )),
    };
    let shown = plan_engine::discover::display_path(&path, cwd);
    let named = PlanFormat::of_model(plan_model::Format::of_path(&shown));
    let format = match format {
        Some(format) if file.is_some() && format != named => {
            return Err(RunError::InitFormat {
                path: shown,
                format: format.suffix(),
            });
        }
        Some(format) => format,
        None => named,
    };
    let today = today.unwrap_or_else(plan_engine::today_utc);
    let id = plan_id(&path);
    let toml = template(&id, today);
    let contents = match format {
        PlanFormat::Toml => toml,
        PlanFormat::Json => plan_model::convert::toml_to_json(&toml).unwrap_or_default(),
        PlanFormat::Yaml => to_yaml(&toml),
        PlanFormat::Markdown => to_markdown(&toml, &id),
    };
    write_new(&path, contents.as_bytes()).map_err(|source| {
        if source.kind() == std::io::ErrorKind::AlreadyExists {
            RunError::WouldOverwrite {
                path: shown.clone(),
                free: plan_engine::discover::display_path(&free_name(&path), cwd),
            }
        } else {
            // Said of the plan, by its kind only: tempfile's errors name its temporary file.
            RunError::WritePlan {
                path: shown.clone(),
                source: std::io::Error::from(source.kind()),
            }
        }
    })?;
    eprintln!("wrote {shown}: fill it in, then run `plan-lint {shown}`");
    Ok(ExitStatus::Success)
}

/// Write through a temporary file that is linked into place only if nothing is there: never
/// a half-written plan, never an overwritten one. Missing folders are made.
fn write_new(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    if std::fs::symlink_metadata(path).is_ok() {
        return Err(std::io::ErrorKind::AlreadyExists.into());
    }
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    // A file where a folder should be is "not a folder", never "already exists".
    std::fs::create_dir_all(folder).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => std::io::ErrorKind::NotADirectory.into(),
        _ => e,
    })?;
    let mut temporary = crate::write::temporary_in(folder, None)?;
    temporary.write_all(contents)?;
    temporary.as_file().sync_all()?;
    temporary.persist_noclobber(path).map_err(|e| e.error)?;
    Ok(())
}

/// The first free name like `path`: `payments-2.plan.toml`, `payments-3.plan.toml`, …
fn free_name(path: &Path) -> std::path::PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (stem, extension) = match name.find('.') {
        Some(dot) => (&name[..dot], &name[dot..]),
        None => (name.as_str(), ""),
    };
    (2..)
        .map(|n| path.with_file_name(format!("{stem}-{n}{extension}")))
        .find(|candidate| std::fs::symlink_metadata(candidate).is_err())
        .unwrap_or_else(|| path.to_owned())
}

/// The plan id a file name suggests: `payments.plan.toml` → `payments`.
fn plan_id(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let stem = name.split('.').next().unwrap_or_default();
    let mut id: String = stem
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    id = id.trim_matches('-').to_owned();
    if id.is_empty() || id == "implementation" {
        "my-plan".to_owned()
    } else {
        id
    }
}

fn template(id: &str, today: Date) -> String {
    let day = |days: i64| today.checked_add(days.days()).unwrap_or(today);
    let month = |months: i64| today.checked_add(months.months()).unwrap_or(today);
    format!(
        r#"# Implementation Plan: one per problem. Replace the example names, dates and text.
# `plan-lint explain <rule>` says what each check asks for, and why.
version = 1

[plan]
id = "{id}"                          # unique in the repository; other plans refer to it
title = "What this plan delivers"
problem = "The problem, in one sentence, as the problem owner would put it"
zone = "implementation"
status = "active"                   # "draft" while it is being written; "closed" when done
design_plan = "https://wiki.example.com/design/{id}"  # the Design Plan this follows (URL or path)

[people]
delivery_lead = "alex"              # accountable for the plan and its upkeep
problem_owner = "sam"               # responsible for the plan, with the team
team = ["alex", "jo", "kai"]
stakeholders = ["steering-group"]   # only ever consulted or informed

[health]
rag = "green"                       # "green" | "amber" | "red"
as_of = {today}
note = "Plan agreed at kick-off"
actions = []                        # RAID ids acting on the health; needed when it turns red

[review]
cadence = "2 weeks"
last = {today}
next = {next_review}
triggers = ["health-red", "approach-change", "milestone-missed", "scope-change"]

[[mechanisms]]
name = "Fortnightly plan review"
kind = "planning"
cadence = "2 weeks"
artefact = "Updated plan, backlog order and RAG status"
responsible = ["jo"]
accountable = "alex"
consulted = ["sam"]
informed = ["steering-group"]

[[mechanisms]]
name = "Monthly status report"
kind = "status-report"
cadence = "1 month"
artefact = "One-page status report with RAID highlights"
responsible = ["alex"]
accountable = "alex"
consulted = ["sam"]
informed = ["steering-group"]

[[raci]]
activity = "Maintain the RAID log"
responsible = ["kai"]
accountable = "alex"
consulted = ["sam"]
informed = ["steering-group"]

[timeline]
start = {today}
end = {end}

[[milestones]]
id = "M1"
title = "First increment in production"
due = {m1}
status = "planned"
depends_on = []

[[milestones]]
id = "M2"
title = "Problem solved for every user"
due = {m2}
status = "planned"
depends_on = ["M1"]

[[backlog]]
id = "B-1"
title = "Build the first increment"
priority = 1
status = "todo"
milestone = "M1"

[[backlog]]
id = "B-2"
title = "Roll out to every user"
priority = 2
status = "todo"
milestone = "M2"

[[resources]]
person = "jo"
role = "Engineer"
allocation = 0.3
from = {today}
until = {end}

[[resources]]
person = "kai"
role = "Delivery analyst"
allocation = "30%"
from = {today}
until = {end}

[[raid]]
id = "R-1"
type = "risk"
title = "A dependency outside the team may slip"
owner = "kai"
status = "open"
severity = "medium"
mitigation = "Agree dates with the other team and review them at every plan review"
due = {raid_due}
"#,
        next_review = day(14),
        end = month(6),
        m1 = month(2),
        m2 = month(5),
        raid_due = day(28),
    )
}

/// The YAML twin of the TOML template, comments and all, with the line that gives the YAML
/// language server (VS Code's YAML extension and others) the plan's schema.
fn to_yaml(toml: &str) -> String {
    let yaml = plan_model::convert::toml_to_yaml(toml).unwrap_or_default();
    format!(
        "# yaml-language-server: $schema={}\n{yaml}",
        crate::commands::schema::SCHEMA_ID
    )
}

/// The Markdown twin of the TOML template: the plan's tables as YAML front matter, each
/// collection a table under its heading, and a title and a line of guidance for the reader.
fn to_markdown(toml: &str, id: &str) -> String {
    let markdown = plan_model::convert::toml_to_markdown(toml).unwrap_or_default();
    let Some(body) = markdown
        .strip_prefix("---\n")
        .and_then(|rest| rest.split_once("\n---\n"))
    else {
        return markdown;
    };
    format!(
        "---\n{}\n---\n\n# Implementation Plan: {id}\n\nThe tables below are the plan's collections: keep one row per entry, leave a cell empty when it does not apply, and separate list items with commas. `plan-lint explain <rule>` says what each check asks for.\n{}",
        body.0, body.1
    )
}
