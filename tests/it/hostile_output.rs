//! Text from a pull request cannot take over an output (issue 12): whatever a key, a value, an
//! id or a file name holds, the human, concise and GitHub reports carry no raw control or bidi
//! character, every finding of the concise report is one line, and the Markdown report parses
//! (pulldown-cmark) into text where the value stands: no HTML, link, image or extra heading.
//! The status report (HTML, Markdown, JSON) carries no raw control either, and its page no
//! unescaped markup.

use crate::support::TODAY;
use plan_lint::{Reports, lint_in_memory};
use proptest::prelude::*;
use pulldown_cmark::{Event, Parser, Tag};

/// A plan that puts `value` where users write text that findings repeat: a key name
/// (`unknown-field`), a person (`unknown-person`), a RAID id (`invalid-value`), a milestone
/// reference (`dangling-reference`) and a suppression's rule name (`unused-suppression`).
fn hostile_plan(value: &str) -> String {
    let quoted = toml_string(value);
    format!(
        r#"[plan]
id = "hostile"
title = "Hostile"
{quoted} = 1

[people]
delivery_lead = {quoted}
problem_owner = "bob"
team = ["bob"]

[[milestones]]
id = "M1"
title = "One"
due = 2027-01-01
depends_on = [{quoted}]

[[raid]]
id = {quoted}
type = "risk"
title = "Risk"
status = "open"
owner = {quoted}
mitigation = "m"

[lint]
allow = [{{ rule = {quoted}, reason = "r" }}]
"#
    )
}

/// `value` as a TOML basic string: every character TOML does not allow raw is escaped.
fn toml_string(value: &str) -> String {
    let mut out = String::from("\"");
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn reports(value: &str, file_name: &str) -> Reports {
    let files = vec![(
        format!("{file_name}.plan.toml"),
        hostile_plan(value).into_bytes(),
    )];
    lint_in_memory(&files, TODAY.parse().unwrap())
}

fn is_terminal_unsafe(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}')
}

fn assert_no_raw_controls(format: &str, output: &str) {
    if let Some(c) = output.chars().find(|&c| is_terminal_unsafe(c)) {
        panic!("{format} output holds a raw {c:?}:\n{output}");
    }
}

/// What the Markdown report is made of, once parsed: what must never appear, the headings, and
/// the text of each list item (one per finding).
fn parse_markdown(markdown: &str) -> (Vec<String>, usize, Vec<String>) {
    let mut forbidden = Vec::new();
    let mut headings = 0;
    let mut items = Vec::new();
    let mut depth = 0usize;
    let options = pulldown_cmark::Options::ENABLE_TABLES
        | pulldown_cmark::Options::ENABLE_STRIKETHROUGH
        | pulldown_cmark::Options::ENABLE_FOOTNOTES
        | pulldown_cmark::Options::ENABLE_MATH
        | pulldown_cmark::Options::ENABLE_GFM;
    for event in Parser::new_ext(markdown, options) {
        match event {
            // The one piece of HTML the report writes itself, between a message and its help.
            Event::Html(html) | Event::InlineHtml(html) if &*html != "<br>" => {
                forbidden.push(format!("HTML {html:?}"));
            }
            // The one kind of link the report writes itself: a rule's page on the docs site.
            Event::Start(Tag::Link { dest_url, .. })
                if !dest_url.starts_with(&format!("{}/rules/", plan_rules::DOCS_SITE)) =>
            {
                forbidden.push(format!("link {dest_url}"))
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                forbidden.push(format!("image {dest_url}"))
            }
            Event::FootnoteReference(name) => forbidden.push(format!("footnote {name}")),
            Event::InlineMath(math) | Event::DisplayMath(math) => {
                forbidden.push(format!("math {math}"))
            }
            Event::Start(Tag::Heading { .. }) => headings += 1,
            Event::Start(Tag::Item) => {
                depth += 1;
                items.push(String::new());
            }
            Event::End(pulldown_cmark::TagEnd::Item) => depth -= 1,
            Event::Text(text) | Event::Code(text) if depth > 0 => {
                items.last_mut().unwrap().push_str(&text)
            }
            Event::Start(Tag::Emphasis | Tag::Strikethrough) if depth > 0 => {
                forbidden.push("emphasis inside a finding".into())
            }
            _ => {}
        }
    }
    (forbidden, headings, items)
}

fn check_every_output(value: &str, file_name: &str) {
    let reports = reports(value, file_name);
    assert_no_raw_controls("human", &reports.human);
    assert_no_raw_controls("concise", &reports.concise);
    assert_no_raw_controls("github", &reports.github);
    assert_no_raw_controls("markdown", &reports.markdown);
    assert_no_raw_controls("json", &reports.json);
    assert_no_raw_controls("sarif", &reports.sarif);
    assert_no_raw_controls("status report (HTML)", &reports.status_html);
    assert_no_raw_controls("status report (Markdown)", &reports.status_markdown);
    assert_no_raw_controls("status report (JSON)", &reports.status_json);
    // The page escapes what HTML would read as markup: a value with a `<` never stands in it
    // as is (short ones could be the page's own markup by chance).
    if value.chars().count() >= 8 && value.contains('<') {
        assert!(
            !reports.status_html.contains(value),
            "{value:?} stands raw in the page"
        );
    }
    let (forbidden, _, _) = parse_markdown(&reports.status_markdown);
    assert!(
        forbidden.is_empty(),
        "{forbidden:?} in the status report:\n{}",
        reports.status_markdown
    );
    let findings = reports.json.matches("\"rule\":").count();
    assert!(findings >= 4, "{}", reports.json);
    assert_eq!(
        reports.concise.lines().count(),
        findings + 1,
        "one line per finding, and the summary:\n{}",
        reports.concise
    );
    assert_eq!(
        reports.github.lines().count(),
        findings,
        "one command per finding:\n{}",
        reports.github
    );
    let (forbidden, headings, items) = parse_markdown(&reports.markdown);
    assert!(
        forbidden.is_empty(),
        "{forbidden:?} in:\n{}",
        reports.markdown
    );
    // The report's title and one heading for the one plan with findings.
    assert_eq!(headings, 2, "{}", reports.markdown);
    assert_eq!(items.len(), findings, "{}", reports.markdown);
    // The unknown key's finding repeats the value, as text.
    let shown: String = escaped(value).chars().take(300).collect();
    assert!(
        items.iter().any(|item| item.contains(&shown)),
        "{shown:?} in none of {items:#?}"
    );
}

/// How a value is shown in text: control and bidi characters as `\u{…}`.
fn escaped(value: &str) -> String {
    value
        .chars()
        .map(|c| {
            if is_terminal_unsafe(c) || c == '\n' {
                format!("\\u{{{:x}}}", u32::from(c))
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Strings an attacker would write, then strings from every Unicode category.
#[test]
fn crafted_values_inject_nothing() {
    for value in [
        "carol\u{1b}[2J\u{1b}]0;owned\u{7}",
        "x\n\n<details><summary>All checks passed</summary>",
        "a`[approve](https://evil.example)`",
        "![pixel](https://evil.example/p.png)",
        "<img src=x onerror=alert(1)>",
        "&lt;script&gt;",
        "# heading\n## another",
        "x | y | z",
        "www.evil.example and https://evil.example and a@evil.example",
        "$x^2$ and [^1]",
        "``` fenced ```",
        "\u{202e}gnp.exe",
        "line\r\nbreak\rcarriage",
        "\u{85}next line\u{9b}31m",
        "tab\there",
    ] {
        check_every_output(value, &format!("p-{}", value.replace('/', "_")));
    }
}

fn any_text() -> impl Strategy<Value = String> {
    // Any Unicode scalar value, with the dangerous ones made likely.
    let dangerous = prop::sample::select(vec![
        '\u{1b}', '\n', '\r', '\t', '\u{7}', '\u{7f}', '\u{85}', '\u{9b}', '\u{202e}', '\u{2066}',
        '`', '<', '>', '[', ']', '(', ')', '!', '|', '#', '*', '_', '&', '\\', '$', ':', '@', '.',
    ]);
    prop::collection::vec(prop_oneof![any::<char>(), dangerous], 1..40)
        .prop_map(|chars| chars.into_iter().collect())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn random_values_inject_nothing(value in any_text(), name in any_text()) {
        // A file name cannot hold `/` or NUL.
        let name: String = name.chars().filter(|&c| c != '/' && c != '\0').collect();
        check_every_output(&value, &format!("p{name}"));
    }
}

/// The human report's `file:line:column` counts characters, as the JSON report and the
/// specification do (it counted bytes: `2:45` for `2:36` after an `é`).
#[test]
fn the_human_report_counts_columns_in_characters() {
    let plan = "[plan]\nid = \"cafe\"\ntitle = \"Café\"\n\n[people]\ndelivery_lead = \"a\"\nproblem_owner = \"b\"\nteam = [\"a\", \"b\"]\n\n[[raci]]\nactivity = \"Café é\"; responsible = [\"ghost\"]\n";
    let plan = plan.replace("; responsible", "\nresponsible");
    let inline = "[plan]\nid = \"cafe\"\ntitle = \"Café\"\n\n[people]\ndelivery_lead = \"a\"\nproblem_owner = \"b\"\nteam = [\"a\", \"b\"]\nraci = 1\n\n[health]\nrag = \"green\"\nnote = \"ééé\" # plan-lint: allow(nonsense) -- é\n";
    for text in [plan.as_str(), inline] {
        let files = vec![("é.plan.toml".to_owned(), text.as_bytes().to_vec())];
        let reports = lint_in_memory(&files, TODAY.parse().unwrap());
        let json: serde_json::Value = serde_json::from_str(&reports.json).unwrap();
        let from_json: Vec<String> = json["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| format!("é.plan.toml:{}:{}", d["line"], d["column"]))
            .collect();
        let from_human: Vec<String> = reports
            .human
            .lines()
            .filter_map(|line| {
                line.split_once("╭─[")
                    .map(|(_, rest)| rest.trim_end_matches(']').to_owned())
            })
            .collect();
        assert_eq!(from_human, from_json, "{}", reports.human);
        assert!(
            from_json.iter().any(|at| !at.ends_with(":1")),
            "{from_json:?}"
        );
    }
}
