//! Rule pages (`rules/<name>.md`), the single source of every rule's documentation: read by
//! `plan-lint explain`, `plan-lint rules`, SARIF help and the tests.
//!
//! A page looks like this:
//!
//! ```markdown
//! # raid-mitigation (PL002)
//!
//! Default severity: error
//!
//! Fix: safe — what the fix writes (or `Fix: none.`)
//!
//! One-sentence summary.
//!
//! ## What it checks
//! ## Why
//! ## Fails
//! ## Passes
//! ```

/// The parts of a rule page that tools need.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// The title line without `# `: `raid-mitigation (PL002)`.
    pub title: &'static str,
    /// The word after `Default severity:`.
    pub default_severity: &'static str,
    /// The word after `Fix:`: `none`, `safe` or `unsafe`.
    pub fix: &'static str,
    /// The rest of the `Fix:` line: what the fix writes.
    pub fix_description: &'static str,
    /// The first paragraph after the severity line.
    pub summary: &'static str,
    /// The `## ` headings in order.
    pub headings: Vec<&'static str>,
    /// Fenced `toml` or `json` code blocks under `## Fails`: the plan files of one run.
    pub failing_examples: Vec<Example>,
    /// Fenced `toml` or `json` code blocks under `## Passes`: the plan files of one run.
    pub passing_examples: Vec<Example>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// `toml` or `json`.
    pub language: &'static str,
    pub code: String,
}

/// The headings every page has, in this order.
pub const REQUIRED_HEADINGS: [&str; 4] = ["What it checks", "Why", "Fails", "Passes"];

impl Page {
    /// The text under a `## ` heading, up to the next one, trimmed. A `## ` line inside a fenced
    /// code block (a Markdown plan's heading, in an example) is no heading of the page.
    pub fn section<'t>(text: &'t str, heading: &str) -> Option<&'t str> {
        let mut in_fence = false;
        let mut start = None;
        let mut at = 0;
        for line in text.split_inclusive('\n') {
            if line.starts_with("```") {
                in_fence = !in_fence;
            } else if !in_fence && let Some(h) = line.strip_prefix("## ") {
                if let Some(start) = start {
                    return Some(text[start..at].trim());
                }
                if h.trim_end() == heading {
                    start = Some(at + line.len());
                }
            }
            at += line.len();
        }
        start.map(|start| text[start..].trim())
    }

    pub fn parse(text: &'static str) -> Page {
        let mut page = Page {
            title: "",
            default_severity: "",
            fix: "",
            fix_description: "",
            summary: "",
            headings: Vec::new(),
            failing_examples: Vec::new(),
            passing_examples: Vec::new(),
        };
        let mut lines = text.lines().peekable();
        let mut heading = "";
        while let Some(line) = lines.next() {
            if let Some(title) = line.strip_prefix("# ") {
                page.title = title.trim();
            } else if let Some(severity) = line.strip_prefix("Default severity:") {
                page.default_severity = severity.trim();
                let skip_blank = |lines: &mut std::iter::Peekable<std::str::Lines<'static>>| {
                    while lines.peek().is_some_and(|l| l.trim().is_empty()) {
                        lines.next();
                    }
                };
                skip_blank(&mut lines);
                if let Some(fix) = lines.next_if(|l| l.starts_with("Fix:")) {
                    let fix = fix["Fix:".len()..].trim();
                    let word = fix.split([' ', '.']).next().unwrap_or_default();
                    page.fix = word;
                    page.fix_description = fix[word.len()..].trim_start_matches([' ', '—', '.']);
                    skip_blank(&mut lines);
                }
                // The summary is the next non-blank paragraph; it is one line by convention.
                page.summary = lines.next().unwrap_or_default().trim();
            } else if let Some(h) = line.strip_prefix("## ") {
                heading = h.trim();
                page.headings.push(heading);
            } else if let Some(language) = line.strip_prefix("```").filter(|l| !l.is_empty()) {
                let code: String = lines
                    .by_ref()
                    .take_while(|l| !l.starts_with("```"))
                    .map(|l| format!("{l}\n"))
                    .collect();
                let example = Example {
                    language: language.trim(),
                    code,
                };
                match heading {
                    "Fails" => page.failing_examples.push(example),
                    "Passes" => page.passing_examples.push(example),
                    _ => {}
                }
            }
        }
        page
    }

    /// `text`, a page, with its TOML examples in `format` (as `plan-lint explain --format` and
    /// the editor's hover show it): the page as it is for TOML.
    pub fn in_format(text: &str, format: plan_model::Format) -> String {
        match format {
            plan_model::Format::Toml => text.to_owned(),
            format => Page::with_examples_converted(text, |toml| {
                plan_model::convert::toml_to(format, toml)
            }),
        }
    }

    /// `text`, a page, with each `toml` example under `## Fails` and `## Passes` rewritten by
    /// `convert` (a plan's text to its language and text in another format), so that `explain`
    /// shows a rule's examples in the format a team writes. An example `convert` cannot write
    /// (`None`), one in another language (`toml plan-lint.toml`, a config) and every other
    /// line stay as they are.
    fn with_examples_converted(
        text: &str,
        convert: impl Fn(&str) -> Option<(&'static str, String)>,
    ) -> String {
        let mut out = String::with_capacity(text.len());
        let mut lines = text.split_inclusive('\n');
        let mut heading = "";
        while let Some(line) = lines.next() {
            if let Some(h) = line.strip_prefix("## ") {
                heading = h.trim();
            }
            let language = line.strip_prefix("```").map(str::trim);
            let Some(language) = language.filter(|l| !l.is_empty()) else {
                out.push_str(line);
                continue;
            };
            let mut code = String::new();
            let mut closing = "";
            for line in lines.by_ref() {
                if line.starts_with("```") {
                    closing = line;
                    break;
                }
                code.push_str(line);
            }
            let converted = (matches!(heading, "Fails" | "Passes") && language == "toml")
                .then(|| convert(&code))
                .flatten();
            match converted {
                Some((language, code)) => {
                    // A fence longer than any run of backticks in the code, so that none ends it.
                    let longest = code
                        .split(|c| c != '`')
                        .map(str::len)
                        .max()
                        .unwrap_or_default();
                    let fence = "`".repeat(longest.max(2) + 1);
                    out.push_str(&format!("{fence}{language}\n{code}"));
                    if !code.ends_with('\n') {
                        out.push('\n');
                    }
                    out.push_str(&fence);
                    out.push('\n');
                }
                None => {
                    out.push_str(line);
                    out.push_str(&code);
                    out.push_str(closing);
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::Page;

    const PAGE: &str = "# r (PL000)\n\nDefault severity: error\n\nFix: none.\n\nSummary.\n\n\
                        ## What it checks\n\n```toml\n[plan]\nid = \"what\"\n```\n\n\
                        ## Fails\n\n```toml\n[[raid]]\nid = \"R-1\"\n```\n\n\
                        ```md\n## RAID log\n\n| ID |\n| --- |\n| R-2 |\n```\n\n\
                        ```toml plan-lint.toml\n[rules]\n```\n\n\
                        ## Passes\n\n```toml\n[plan]\nid = \"p\"\n```\n";

    #[test]
    fn a_section_ends_at_the_next_heading_of_the_page_not_at_one_in_an_example() {
        let fails = Page::section(PAGE, "Fails").unwrap();
        assert!(fails.starts_with("```toml\n[[raid]]"), "{fails}");
        assert!(
            fails.ends_with("```toml plan-lint.toml\n[rules]\n```"),
            "{fails}"
        );
        assert_eq!(
            Page::section(PAGE, "Passes"),
            Some("```toml\n[plan]\nid = \"p\"\n```")
        );
        assert_eq!(Page::section(PAGE, "RAID log"), None);
    }

    #[test]
    fn only_the_toml_examples_under_fails_and_passes_are_converted() {
        let shown = Page::in_format(PAGE, plan_model::Format::Yaml);
        // The example under "What it checks", the Markdown example and the config stay.
        assert!(shown.contains("## What it checks\n\n```toml\n[plan]\nid = \"what\"\n```"));
        assert!(shown.contains("```md\n## RAID log\n"));
        assert!(shown.contains("```toml plan-lint.toml\n[rules]\n```"));
        assert!(
            shown.contains("## Fails\n\n```yaml\nraid:\n  - id: \"R-1\"\n```"),
            "{shown}"
        );
        assert!(
            shown.contains("## Passes\n\n```yaml\nplan:\n  id: \"p\"\n```"),
            "{shown}"
        );
        assert_eq!(Page::in_format(PAGE, plan_model::Format::Toml), PAGE);
        // Broken TOML stays as it is.
        let broken = PAGE.replace("id = \"p\"", "id = \"p");
        assert!(
            Page::in_format(&broken, plan_model::Format::Json)
                .contains("## Passes\n\n```toml\n[plan]\nid = \"p\n```")
        );
    }
}
