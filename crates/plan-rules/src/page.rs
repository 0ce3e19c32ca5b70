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
    /// The text under a `## ` heading, up to the next one, trimmed.
    pub fn section(text: &'static str, heading: &str) -> Option<&'static str> {
        let marker = format!("\n## {heading}\n");
        let start = text.find(&marker)? + marker.len();
        let end = text[start..]
            .find("\n## ")
            .map_or(text.len(), |i| start + i);
        Some(text[start..end].trim())
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
}
