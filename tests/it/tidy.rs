//! Project invariants: the registry, the rule pages and their examples agree.

use crate::support::{lint_texts, repo_root};
use plan_rules::{Page, REQUIRED_HEADINGS, RULES};

#[test]
fn codes_and_names_are_unique_well_formed_and_sorted() {
    let mut previous = "";
    for rule in RULES {
        assert!(
            rule.code.len() == 5 && rule.code.starts_with("PL"),
            "{}",
            rule.code
        );
        assert!(
            rule.code[2..].chars().all(|c| c.is_ascii_digit()),
            "{}",
            rule.code
        );
        assert!(
            rule.code > previous,
            "registry is in code order at {}",
            rule.code
        );
        previous = rule.code;
        assert!(
            rule.name
                .split('-')
                .all(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase())),
            "{} is kebab-case",
            rule.name
        );
        assert_eq!(plan_rules::rule_by_name_or_code(rule.name), Some(*rule));
        assert_eq!(
            plan_rules::rule_by_name_or_code(&rule.code.to_lowercase()),
            Some(*rule)
        );
    }
}

#[test]
fn every_rule_has_a_page_and_every_page_a_rule() {
    for rule in RULES {
        let on_disk =
            std::fs::read_to_string(repo_root().join("rules").join(format!("{}.md", rule.name)))
                .unwrap_or_else(|_| panic!("rules/{}.md is missing", rule.name));
        assert_eq!(on_disk, rule.page, "{} embeds its own page", rule.name);
        let page = Page::parse(rule.page);
        assert_eq!(
            page.title,
            format!("{} ({})", rule.name, rule.code),
            "title of rules/{}.md",
            rule.name
        );
        assert_eq!(
            page.default_severity,
            rule.default_severity.as_str(),
            "severity on rules/{}.md",
            rule.name
        );
        assert_eq!(page.fix, rule.fix.as_str(), "fix on rules/{}.md", rule.name);
        assert_eq!(
            page.fix_description.is_empty(),
            rule.fix == plan_rules::Fixability::None,
            "rules/{}.md says what its fix writes",
            rule.name
        );
        assert!(
            !page.summary.is_empty() && page.summary.ends_with('.'),
            "rules/{}.md has a one-line summary",
            rule.name
        );
        assert_eq!(
            page.headings, REQUIRED_HEADINGS,
            "headings of rules/{}.md",
            rule.name
        );
    }
    for entry in std::fs::read_dir(repo_root().join("rules")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        let rule = name
            .strip_suffix(".md")
            .unwrap_or_else(|| panic!("rules/{name} is not a page"));
        assert!(
            plan_rules::rule_by_name_or_code(rule).is_some(),
            "rules/{name} documents no rule"
        );
    }
}

/// A page's `## Fails` examples give a finding of its rule; its `## Passes` examples give none.
/// The code blocks under one heading are the files of one run (a cross-plan rule needs two);
/// a block marked `toml plan-lint.toml` is the run's config (`custom-rule-error` needs one).
#[test]
fn page_examples_behave_as_they_claim() {
    for rule in RULES {
        examples_behave_as_they_claim(rule.name, &Page::parse(rule.page));
    }
}

/// `plan-lint explain RULE --format F` shows each page's TOML examples in that format, and they
/// still behave as the page claims: the conversion keeps what each example is about.
#[test]
fn page_examples_shown_in_every_format_behave_as_they_claim() {
    for (format, language) in [("json", "json"), ("yaml", "yaml"), ("markdown", "md")] {
        for rule in RULES {
            let output = crate::support::plan_lint(&["explain", rule.name, "--format", format]);
            assert!(
                output.status.success(),
                "explain {} --format {format}",
                rule.name
            );
            let text: &'static str = String::leak(crate::support::stdout(&output));
            let page = Page::parse(text);
            // Every example is in the format asked for, or one the page writes on purpose
            // (a config, a second format's case), or TOML that is broken on purpose or that
            // the format cannot hold.
            let toml_left: Vec<&str> = page
                .failing_examples
                .iter()
                .chain(&page.passing_examples)
                .filter(|e| e.language == "toml")
                .map(|e| e.code.as_str())
                .collect();
            for code in &toml_left {
                let arena = plan_model::Arena::new();
                let broken = plan_model::parse_toml(code, &arena).is_err();
                assert!(
                    broken
                        || format == "markdown"
                            && plan_model::convert::toml_to_markdown(code).is_none(),
                    "rules/{}.md: an example left in TOML for {format}:\n{code}",
                    rule.name
                );
            }
            assert!(
                page.failing_examples
                    .iter()
                    .chain(&page.passing_examples)
                    .any(|e| e.language == language),
                "rules/{}.md shows an example in {format}",
                rule.name
            );
            examples_behave_as_they_claim(rule.name, &page);
        }
    }
}

fn examples_behave_as_they_claim(rule: &str, page: &Page) {
    assert!(
        !page.failing_examples.is_empty(),
        "rules/{rule}.md has a failing example"
    );
    assert!(
        !page.passing_examples.is_empty(),
        "rules/{rule}.md has a passing example"
    );
    for (examples, should_fire) in [
        (&page.failing_examples, true),
        (&page.passing_examples, false),
    ] {
        let config = examples
            .iter()
            .find(|e| e.language.ends_with("plan-lint.toml"));
        let files: Vec<(&str, &str)> = examples
            .iter()
            .filter(|e| !e.language.ends_with("plan-lint.toml"))
            .map(|e| (e.language, e.code.as_str()))
            .collect();
        let fired = match config {
            None => lint_texts(&files).iter().any(|(r, _)| r == rule),
            Some(config) => crate::support::lint_texts_with_config(&config.code, &files)
                .iter()
                .any(|r| r == rule),
        };
        assert_eq!(
            fired, should_fire,
            "rules/{rule}.md examples:\n{examples:#?}"
        );
    }
}

/// Messages follow one style: they start in lowercase and end without a period.
#[test]
fn messages_follow_the_house_style() {
    let mut texts = Vec::new();
    for file in crate::support::plan_files("fixtures") {
        let text = std::fs::read_to_string(repo_root().join(&file)).unwrap();
        let arena = plan_model::Arena::new();
        let format = plan_model::Format::of_path(&file);
        let parsed = plan_model::parse(&file, format, text.as_bytes(), &arena);
        for finding in plan_rules::check(
            &[parsed],
            &plan_rules::Facts::today(crate::support::TODAY.parse().unwrap()),
            &plan_rules::Defaults,
        )
        .findings
        {
            texts.push((finding.rule.name, finding.message));
        }
    }
    assert!(texts.len() > 20);
    for (rule, message) in texts {
        let first_word = message.split(' ').next().unwrap();
        let acronym = first_word.len() > 1 && first_word.chars().all(|c| c.is_ascii_uppercase());
        assert!(
            acronym || !first_word.starts_with(char::is_uppercase),
            "{rule}: {message:?} starts in lowercase"
        );
        assert!(
            !message.ends_with('.'),
            "{rule}: {message:?} ends without a period"
        );
    }
}

/// plan-lint never fetches anything: no network client is linked in, so a URL in a plan (a
/// `design_plan`, a `location`) cannot become a request.
#[test]
fn no_network_client_is_a_dependency() {
    let lock = std::fs::read_to_string(crate::support::repo_root().join("Cargo.lock")).unwrap();
    let packages: Vec<&str> = lock
        .lines()
        .filter_map(|line| line.strip_prefix("name = \""))
        .map(|name| name.trim_end_matches('"'))
        .collect();
    assert!(packages.contains(&"plan-lint"), "Cargo.lock is read");
    for client in [
        "reqwest",
        "ureq",
        "hyper",
        "curl",
        "isahc",
        "attohttpc",
        "surf",
        "h2",
        "rustls",
        "native-tls",
        "openssl",
    ] {
        assert!(
            !packages.contains(&client),
            "`{client}` is in Cargo.lock: plan-lint must not reach the network"
        );
    }
}
