//! The documentation site builds with the real mdBook, has a page for every rule (the page
//! SARIF's `helpUri` names), and no link in it is broken: lychee, offline, checks every local
//! link and fragment of the built HTML.

use std::path::PathBuf;
use std::process::Command;

/// Where tools/checkers/install.sh put mdBook and lychee; `None` (the test skipped, and said so
/// where `.ci/run` looks) when they are not there, and a failure when `.ci/run` requires them.
fn tools() -> Option<(PathBuf, PathBuf)> {
    let home = std::env::var_os("ORACLES_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/tmp/plan-lint-oracles"));
    let (mdbook, lychee) = (home.join("mdbook/bin/mdbook"), home.join("venv/bin/lychee"));
    if mdbook.exists() && lychee.exists() {
        return Some((mdbook, lychee));
    }
    assert!(
        std::env::var("PLAN_LINT_ORACLES").as_deref() != Ok("required"),
        "mdBook and lychee are required but not installed under {} (bash tools/checkers/install.sh)",
        home.display()
    );
    let line =
        "skipped: the docs site test needs mdBook and lychee (bash tools/checkers/install.sh)\n";
    eprint!("{line}");
    let log = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/checkers-skipped.log");
    if let Ok(mut file) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
    {
        use std::io::Write;
        let _ = file.write_all(line.as_bytes());
    }
    None
}

fn run(command: &mut Command) -> String {
    let output = command.output().expect("the tool runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "{command:?}:\n{text}");
    text
}

#[test]
fn the_site_builds_with_a_page_per_rule_and_no_broken_link() {
    let Some((mdbook, lychee)) = tools() else {
        return;
    };
    let out = tempfile::tempdir().unwrap();
    run(Command::new(env!("CARGO_BIN_EXE_plan-lint-docs")).arg(out.path()));
    run(Command::new(&mdbook).arg("build").arg(out.path()));
    let book = out.path().join("book");

    for rule in plan_rules::RULES {
        let uri = rule
            .help_uri()
            .expect("a built-in rule has a page on the site");
        let path = uri
            .strip_prefix(plan_rules::DOCS_SITE)
            .expect("on the site")
            .trim_start_matches('/');
        assert_eq!(path, format!("rules/{}.html", rule.name));
        let page = std::fs::read_to_string(book.join(path))
            .unwrap_or_else(|_| panic!("no page for {} in the built site", rule.name));
        assert!(
            page.contains(&format!("{} ({})", rule.name, rule.code)),
            "{}",
            rule.name
        );
        assert!(
            page.contains("Fails") && page.contains("Passes"),
            "{}: its examples",
            rule.name
        );
        // And its examples in the other plan formats, each folded under its summary.
        for (format, language) in [("JSON", "json"), ("YAML", "yaml"), ("Markdown", "md")] {
            assert!(
                page.contains(&format!("<summary>The examples in {format}</summary>"))
                    && page.contains(&format!("class=\"language-{language}")),
                "{}: its examples in {format}",
                rule.name
            );
        }
    }
    let commands = std::fs::read_to_string(book.join("commands.html")).unwrap();
    for command in ["plan-lint check", "plan-lint report", "plan-lint explain"] {
        assert!(commands.contains(command), "{command} in the commands page");
    }
    let index = std::fs::read_to_string(book.join("index.html")).unwrap();
    assert!(
        index.contains("images/report.png"),
        "the README's picture is in the book"
    );
    assert!(book.join("images/report.png").exists());

    // Every local link and #fragment resolves. (The 404 page's links are root-relative to
    // where the site is published, /plan-lint/, which a folder on disk is not.)
    let checked = run(Command::new(&lychee)
        .args(["--offline", "--include-fragments", "--no-progress"])
        .args(["--exclude-path", book.join("404.html").to_str().unwrap()])
        .arg(format!("{}/**/*.html", book.display())));
    assert!(checked.contains("0 Error"), "{checked}");
}
