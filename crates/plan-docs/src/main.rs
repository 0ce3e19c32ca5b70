//! `plan-lint-docs OUT`: the documentation site's mdBook source, generated from the sources of
//! truth: the README, the guides in docs/, the contract in docs/spec/, the changelog and the
//! versioning policy, every command's `--help` (clap), and one page per rule from the rule
//! pages the binary itself carries (`plan-lint explain` shows the same text).
//!
//! Links between these files become links between the book's pages; a link to any other file
//! of the repository becomes a link to it on GitHub at this version's tag, so the built site
//! has no link that leads nowhere (tests/it/docs.rs checks it with lychee).
//!
//! `cargo run -p plan-docs -- target/docs && mdbook build target/docs`

use clap::CommandFactory;
use pulldown_cmark::{Event, Options, Parser, Tag};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

const VERSION: &str = env!("CARGO_PKG_VERSION");
const REPOSITORY: &str = "https://github.com/plan-lint/plan-lint";

/// Repository files that are pages of the book, and where.
const PAGES: &[(&str, &str, &str)] = &[
    ("README.md", "index.md", "Overview"),
    ("CHANGELOG.md", "changelog.md", "Changelog"),
    ("VERSIONING.md", "versioning.md", "Versioning"),
    ("docs/spec/PLAN-FORMAT.md", "format.md", "The plan format"),
    ("docs/yaml-plans.md", "yaml-plans.md", "YAML plans"),
    (
        "docs/markdown-plans.md",
        "markdown-plans.md",
        "Markdown plans",
    ),
    (
        "docs/spec/CLI.md",
        "cli.md",
        "Command line and configuration",
    ),
    (
        "docs/spec/RULES.md",
        "rules-spec.md",
        "Rules: the specification",
    ),
    (
        "docs/custom-rules.md",
        "custom-rules.md",
        "Custom rules (CEL)",
    ),
    (
        "docs/status-report.md",
        "status-report.md",
        "The status report",
    ),
    (
        "docs/SPEC-NOTES.md",
        "spec-notes.md",
        "Readings of the specification",
    ),
    ("docs/SECURITY.md", "security.md", "Security"),
    ("docs/RELIABILITY.md", "reliability.md", "Reliability"),
    ("ARCHITECTURE.md", "architecture.md", "Architecture"),
];

/// Files copied into the book as they are (pictures), by repository path.
const ASSETS: &[&str] = &["docs/images/report.png"];

fn main() -> std::process::ExitCode {
    let Some(out) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: plan-lint-docs OUT");
        return std::process::ExitCode::from(2);
    };
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    match generate(&root, &out) {
        Ok(pages) => {
            eprintln!("wrote {pages} pages to {}", out.display());
            std::process::ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("plan-lint-docs: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> String + '_ {
    move |error| format!("{}: {error}", path.display())
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(folder) = path.parent() {
        std::fs::create_dir_all(folder).map_err(io(folder))?;
    }
    std::fs::write(path, text).map_err(io(path))
}

/// Write the book into `out`; the number of pages.
fn generate(root: &Path, out: &Path) -> Result<usize, String> {
    let src = out.join("src");
    let _ = std::fs::remove_dir_all(&src);
    write(
        &out.join("book.toml"),
        &format!(
            "[book]\ntitle = \"plan-lint {VERSION}\"\nlanguage = \"en\"\nsrc = \"src\"\n\n\
             [output.html]\ngit-repository-url = \"{REPOSITORY}\"\nsite-url = \"/plan-lint/\"\n\
             no-section-label = true\n\n[output.html.search]\nenable = true\n"
        ),
    )?;
    let mut pages = 0;
    for &(from, to, _) in PAGES {
        let text = std::fs::read_to_string(root.join(from)).map_err(io(&root.join(from)))?;
        write(&src.join(to), &relink(&text, from, to))?;
        pages += 1;
    }
    for asset in ASSETS {
        let target = src.join(book_path_of_asset(asset));
        if let Some(folder) = target.parent() {
            std::fs::create_dir_all(folder).map_err(io(folder))?;
        }
        std::fs::copy(root.join(asset), &target).map_err(io(&root.join(asset)))?;
    }
    write(&src.join("commands.md"), &commands())?;
    pages += 1;

    let mut index = String::from(
        "# Rules\n\nEvery rule plan-lint checks, in code order. Each page says what the rule \
         checks, why the procedure asks for it, and a failing and a passing example, in TOML \
         and, folded below, in JSON, YAML and Markdown (the test suite runs every example in \
         every format). `plan-lint explain RULE [--format F]` prints the same page.\n\n\
         | code | rule | default | summary |\n|---|---|---|---|\n",
    );
    let mut summary_rules = String::new();
    for rule in plan_rules::RULES {
        let page = format!("rules/{}.md", rule.name);
        let text = format!("{}{}", rule.page, in_other_formats(rule.page));
        write(
            &src.join(&page),
            &relink(&text, &format!("rules/{}.md", rule.name), &page),
        )?;
        pages += 1;
        let _ = writeln!(
            index,
            "| `{}` | [{}]({}.md) | {} | {} |",
            rule.code,
            rule.name,
            rule.name,
            rule.default_severity.as_str(),
            rule.summary().replace('|', "\\|")
        );
        let _ = writeln!(summary_rules, "  - [{} {}]({page})", rule.code, rule.name);
    }
    write(&src.join("rules/index.md"), &index)?;
    pages += 1;

    let mut summary = String::from("# Summary\n\n");
    let entry = |summary: &mut String, to: &str| {
        let title = PAGES
            .iter()
            .find(|(_, page, _)| *page == to)
            .map_or(to, |(_, _, title)| title);
        let _ = writeln!(summary, "- [{title}]({to})");
    };
    let _ = writeln!(summary, "[Overview](index.md)\n\n# Using plan-lint\n");
    for page in [
        "format.md",
        "yaml-plans.md",
        "markdown-plans.md",
        "custom-rules.md",
        "status-report.md",
    ] {
        entry(&mut summary, page);
    }
    let _ = writeln!(summary, "\n# Reference\n");
    let _ = writeln!(summary, "- [Commands](commands.md)");
    for page in ["cli.md", "rules-spec.md", "spec-notes.md"] {
        entry(&mut summary, page);
    }
    let _ = writeln!(summary, "- [Rules](rules/index.md)\n{summary_rules}");
    let _ = writeln!(summary, "# Project\n");
    for page in [
        "changelog.md",
        "versioning.md",
        "security.md",
        "reliability.md",
        "architecture.md",
    ] {
        entry(&mut summary, page);
    }
    write(&src.join("SUMMARY.md"), &summary)?;
    Ok(pages)
}

/// Every command's help, as `plan-lint help COMMAND` prints it.
fn commands() -> String {
    let mut out = String::from(
        "# Commands\n\nGenerated from the command line's own definition: this is what \
         `plan-lint --help` and `plan-lint COMMAND --help` print.\n",
    );
    let mut cli = plan_lint::Cli::command().term_width(100);
    let _ = writeln!(
        out,
        "\n## plan-lint\n\n```text\n{}\n```",
        cli.render_long_help()
    );
    let mut names: Vec<String> = cli
        .get_subcommands()
        .map(|c| c.get_name().to_owned())
        .filter(|name| name != "help")
        .collect();
    names.sort_by_key(|name| if name == "check" { 0 } else { 1 });
    for name in names {
        let Some(command) = cli.find_subcommand_mut(&name) else {
            continue;
        };
        let help = command.clone().term_width(100).render_long_help();
        let _ = writeln!(out, "\n## plan-lint {name}\n\n```text\n{help}\n```");
    }
    out
}

fn book_path_of_asset(asset: &str) -> String {
    asset.strip_prefix("docs/").unwrap_or(asset).to_owned()
}

/// A rule page's examples in JSON, YAML and Markdown, each format folded away under a summary
/// line (as `plan-lint explain RULE --format F` shows them); nothing for a format in which no
/// example could be written differently.
fn in_other_formats(page: &str) -> String {
    use plan_model::Format;
    let examples = |text: &str| -> String {
        ["Fails", "Passes"]
            .iter()
            .map(|heading| {
                let section = plan_rules::Page::section(text, heading).unwrap_or_default();
                format!("### {heading}\n\n{section}\n\n")
            })
            .collect()
    };
    let as_written = examples(page);
    let mut out = String::new();
    for (format, name) in [
        (Format::Json, "JSON"),
        (Format::Yaml, "YAML"),
        (Format::Markdown, "Markdown"),
    ] {
        let converted = examples(&plan_rules::Page::in_format(page, format));
        if converted != as_written {
            let _ = write!(
                out,
                "<details>\n<summary>The examples in {name}</summary>\n\n{converted}</details>\n\n"
            );
        }
    }
    if out.is_empty() {
        return out;
    }
    format!("\n## In other formats\n\n{}", out.trim_end()) + "\n"
}

/// `text` (the repository file `from`, written to the book page `to`) with each link made
/// to work in the book: to the page a repository file became, to a copied asset, or else to
/// the file on GitHub at this version's tag. Links to the web and to anchors are kept.
fn relink(text: &str, from: &str, to: &str) -> String {
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    for (event, range) in Parser::new_ext(text, Options::ENABLE_TABLES).into_offset_iter() {
        let dest = match &event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => dest_url,
            _ => continue,
        };
        let Some(new) = relinked(dest, from, to) else {
            continue;
        };
        // The destination as written inside this link's source text.
        let source = &text[range.clone()];
        if let Some(at) = source.rfind(&format!("]({dest}")) {
            let start = range.start + at + 2;
            edits.push((start..start + dest.len(), new));
        }
    }
    let mut out = text.to_owned();
    edits.sort_by_key(|(range, _)| std::cmp::Reverse(range.start));
    for (range, new) in edits {
        out.replace_range(range, &new);
    }
    out
}

fn relinked(dest: &str, from: &str, to: &str) -> Option<String> {
    if dest.starts_with('#') || dest.contains("://") || dest.starts_with("mailto:") {
        return None;
    }
    let (path, fragment) = match dest.split_once('#') {
        Some((path, fragment)) => (path, format!("#{fragment}")),
        None => (dest, String::new()),
    };
    let target = normalize(&Path::new(from).parent().unwrap_or(Path::new("")).join(path));
    let book_target = PAGES
        .iter()
        .find(|(file, _, _)| *file == target)
        .map(|(_, page, _)| (*page).to_owned())
        .or_else(|| {
            target
                .strip_prefix("rules/")
                .filter(|rest| rest.ends_with(".md") && !rest.contains('/'))
                .map(|rest| format!("rules/{rest}"))
        })
        .or_else(|| {
            ASSETS
                .contains(&target.as_str())
                .then(|| book_path_of_asset(&target))
        });
    Some(match book_target {
        Some(page) => format!("{}{fragment}", relative(to, &page)),
        None => {
            let kind = if target.is_empty() || target.ends_with('/') {
                "tree"
            } else {
                "blob"
            };
            format!("{REPOSITORY}/{kind}/v{VERSION}/{target}{fragment}")
        }
    })
}

/// `a/b/../c` as `a/c`, with `/` separators.
fn normalize(path: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for component in path.components() {
        match component {
            std::path::Component::ParentDir => {
                parts.pop();
            }
            std::path::Component::Normal(part) => parts.push(part.to_string_lossy().into_owned()),
            _ => {}
        }
    }
    let trailing = path.to_string_lossy().ends_with('/');
    let mut joined = parts.join("/");
    if trailing {
        joined.push('/');
    }
    joined
}

/// The link from book page `from` to book page `to`.
fn relative(from: &str, to: &str) -> String {
    let depth = from.matches('/').count();
    format!("{}{to}", "../".repeat(depth))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_lead_to_pages_assets_or_github() {
        let text = "[a](docs/yaml-plans.md#x) [b](examples/github/plan-lint.yml) [c](#top) \
                    [d](https://x.org) ![e](docs/images/report.png) [f](rules/)";
        let out = relink(text, "README.md", "index.md");
        assert_eq!(
            out,
            format!(
                "[a](yaml-plans.md#x) [b]({REPOSITORY}/blob/v{VERSION}/examples/github/plan-lint.yml) \
                 [c](#top) [d](https://x.org) ![e](images/report.png) [f]({REPOSITORY}/tree/v{VERSION}/rules/)"
            )
        );
        let out = relink(
            "[o](over-allocation.md) [s](../docs/SECURITY.md)",
            "rules/x.md",
            "rules/x.md",
        );
        assert_eq!(out, "[o](../rules/over-allocation.md) [s](../security.md)");
    }
}
