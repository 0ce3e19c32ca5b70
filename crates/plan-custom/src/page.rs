//! A custom rule's page, in the shape of the built-in rules' pages (`rules/<name>.md`), so
//! that `explain`, SARIF help and the docs treat both alike: rendered from the rule's fields
//! and its examples.

use crate::definition::{CustomRule, ForEach};
use std::fmt::Write as _;

impl CustomRule {
    /// The rule's page, in Markdown.
    pub fn page(&self) -> String {
        let mut page = format!(
            "# {} ({})\n\nDefault severity: {}\n\nFix: none.\n\n{}\n\n## What it checks\n\n",
            self.name, self.code, self.severity, self.summary
        );
        let (over, checked) = match self.for_each {
            ForEach::Plan => (
                "Once for each plan".to_owned(),
                "once on each plan".to_owned(),
            ),
            each => {
                let name = each.collection().unwrap_or_default();
                (
                    format!("For each `{name}` entry"),
                    format!("on each `{name}` entry"),
                )
            }
        };
        // The first paragraph is the rule's description wherever one is shown (SARIF's
        // `fullDescription`): a sentence, never the start of the CEL.
        if let Some(description) = &self.description {
            let _ = writeln!(page, "{}\n", description.trim());
        }
        let _ = writeln!(
            page,
            "A custom rule of this project's plan-lint configuration, checked {checked}.\n"
        );
        match &self.when {
            Some(when) => {
                let _ = write!(
                    page,
                    "{over} for which\n\n```cel\n{}\n```\n\nis true, ",
                    when.source
                );
            }
            None => {
                let _ = write!(page, "{over}, ");
            }
        }
        let _ = writeln!(
            page,
            "this must be true:\n\n```cel\n{}\n```\n\n## Why\n\n{}\n",
            self.assert.source,
            self.why
                .as_deref()
                .map_or("The rule's definition gives no reason (`why`).", str::trim)
        );
        for (heading, failing) in [("Fails", true), ("Passes", false)] {
            let _ = writeln!(page, "## {heading}\n");
            let examples: Vec<_> = self
                .examples
                .iter()
                .filter(|example| example.expect.is_empty() != failing)
                .collect();
            if examples.is_empty() {
                let _ = writeln!(page, "The rule's definition has no example of this.\n");
            }
            for example in examples {
                if let Some(name) = &example.name {
                    let _ = writeln!(page, "{}:\n", name.trim());
                }
                let _ = writeln!(page, "```toml\n{}\n```\n", example.plan.trim_end());
                if failing {
                    let paths: Vec<String> = example
                        .expect
                        .iter()
                        .map(|expected| match expected.path.as_str() {
                            "" => "the plan as a whole".to_owned(),
                            path => format!("`{path}`"),
                        })
                        .collect();
                    let _ = writeln!(page, "Findings at {}.\n", paths.join(", "));
                }
            }
        }
        page.truncate(page.trim_end().len());
        page.push('\n');
        page
    }
}

#[cfg(test)]
mod tests {
    const CONFIG: &str = r#"
[[custom_rules]]
code = "ORG002"
name = "owner-is-not-lead"
severity = "error"
summary = "The problem owner is never the Delivery Lead"
why = "Accountability and responsibility are held by different people."
assert = "!has(plan.people.problem_owner) || plan.people.problem_owner != plan.people.delivery_lead"
at = "people.problem_owner"
message = "the problem owner is the Delivery Lead"

[[custom_rules.examples]]
name = "one person in both roles"
plan = """
[people]
delivery_lead = "ana"
problem_owner = "ana"
"""
expect = ["people.problem_owner"]

[[custom_rules.examples]]
plan = """
[people]
delivery_lead = "ana"
problem_owner = "bo"
"""
expect = []
"#;

    #[test]
    fn the_page_reads_as_a_built_in_rules_page() {
        let rules = crate::rules_of(CONFIG);
        let text: &'static str = Box::leak(rules[0].page().into_boxed_str());
        let page = plan_rules::Page::parse(text);
        assert_eq!(page.title, "owner-is-not-lead (ORG002)");
        assert_eq!(page.default_severity, "error");
        assert_eq!(page.summary, "The problem owner is never the Delivery Lead");
        for heading in plan_rules::REQUIRED_HEADINGS {
            assert!(page.headings.contains(&heading), "{heading} in {text}");
        }
        assert_eq!(page.failing_examples.len(), 1);
        assert!(
            page.failing_examples[0]
                .code
                .contains("problem_owner = \"ana\"")
        );
        assert_eq!(page.passing_examples.len(), 1);
        assert!(
            text.contains("Once for each plan, this must be true:"),
            "{text}"
        );
        assert!(
            text.contains("Findings at `people.problem_owner`."),
            "{text}"
        );
    }
}
