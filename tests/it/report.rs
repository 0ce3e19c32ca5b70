//! `plan-lint report`: the status report. Its numbers are checked against `plan-lint check`
//! and against the plans read independently (the `toml` and `serde_json` crates, day-by-day
//! counts); its HTML is snapshot, and rendered in real headless Chromium with axe-core.

use crate::support::{
    TODAY, git, isolated, oracles, plan_lint_in, record_skip, repo_root, stderr, stdout,
};
use jiff::civil::Date;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

const PORTFOLIO: &str = "tests/report/portfolio";

/// `plan-lint report` in `cwd`, with the generation time fixed.
fn report_in(cwd: &Path, args: &[&str]) -> std::process::Output {
    let mut all = vec!["report"];
    all.extend_from_slice(args);
    std::process::Command::new(env!("CARGO_BIN_EXE_plan-lint"))
        .args(&all)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .env("SOURCE_DATE_EPOCH", "1800000000")
        .output()
        .expect("the plan-lint binary runs")
}

fn json_of(output: &std::process::Output) -> Value {
    assert!(
        output.status.success(),
        "{}{}",
        stdout(output),
        stderr(output)
    );
    serde_json::from_str(&stdout(output)).expect("the report is JSON")
}

/// A date from the report, a JSON plan (strings) or a TOML plan (the `toml` crate's dates
/// become one-key objects in JSON).
fn date(value: &Value) -> Date {
    let text = match value {
        Value::Object(map) => map.values().next().and_then(Value::as_str),
        other => other.as_str(),
    };
    text.expect("a date").parse().expect("a date")
}

/// The test portfolio's plans that the test reads itself, by file: TOML and JSON.
fn plans_read_independently(dir: &Path) -> BTreeMap<String, Value> {
    let mut plans = BTreeMap::new();
    for entry in std::fs::read_dir(dir.join(PORTFOLIO)).unwrap() {
        let path = entry.unwrap().path();
        let name = format!(
            "{PORTFOLIO}/{}",
            path.file_name().unwrap().to_string_lossy()
        );
        let text = std::fs::read_to_string(&path).unwrap();
        let value: Option<Value> = if name.ends_with(".plan.toml") {
            toml::from_str::<toml::Value>(&text)
                .ok()
                .map(|v| serde_json::to_value(v).unwrap())
        } else if name.ends_with(".plan.json") {
            serde_json::from_str(&text).ok()
        } else {
            None
        };
        if let Some(value) = value {
            plans.insert(name, value);
        }
    }
    plans
}

fn plan_row<'a>(report: &'a Value, path: &str) -> &'a Value {
    report["plans"]
        .as_array()
        .unwrap()
        .iter()
        .find(|plan| plan["path"] == path)
        .unwrap_or_else(|| panic!("no row for {path}"))
}

#[test]
fn the_overview_counts_what_check_finds_and_what_the_plans_hold() {
    let dir = isolated(&[PORTFOLIO]);
    let report = json_of(&report_in(
        dir.path(),
        &[PORTFOLIO, "--today", TODAY, "--format", "json"],
    ));
    let check = plan_lint_in(
        dir.path(),
        &["check", PORTFOLIO, "--today", TODAY, "--format", "json"],
    );
    let check: Value = serde_json::from_str(&stdout(&check)).unwrap();

    // Findings per file and severity, as check reports them.
    let mut expected: BTreeMap<String, [usize; 3]> = BTreeMap::new();
    for diagnostic in check["diagnostics"].as_array().unwrap() {
        let counts = expected
            .entry(diagnostic["file"].as_str().unwrap().to_owned())
            .or_default();
        let slot = ["error", "warning", "note"]
            .iter()
            .position(|s| diagnostic["severity"] == *s)
            .unwrap();
        counts[slot] += 1;
    }
    let plans = report["plans"].as_array().unwrap();
    assert_eq!(plans.len(), 5, "every file of the portfolio has a row");
    for plan in plans {
        let path = plan["path"].as_str().unwrap();
        let want = expected.get(path).copied().unwrap_or_default();
        let got =
            ["error", "warning", "note"].map(|s| plan["findings"][s].as_u64().unwrap() as usize);
        assert_eq!(got, want, "{path}");
        assert_eq!(
            plan["finding_list"].as_array().unwrap().len(),
            want.iter().sum::<usize>(),
            "{path}"
        );
    }
    let total: usize = expected.values().flatten().sum();
    let totals = &report["totals"]["findings"];
    let reported = ["error", "warning", "note"]
        .iter()
        .map(|s| totals[s].as_u64().unwrap() as usize)
        .sum::<usize>();
    assert_eq!(reported, total);

    // Open risks and issues by severity, health and review dates, from the plans themselves.
    let today: Date = TODAY.parse().unwrap();
    for (path, plan) in plans_read_independently(dir.path()) {
        let row = plan_row(&report, &path);
        let closed = plan["plan"]["status"] == "closed";
        for (kind, key) in [("risk", "open_risks"), ("issue", "open_issues")] {
            let mut by_severity: BTreeMap<String, u64> = BTreeMap::new();
            for entry in plan["raid"].as_array().into_iter().flatten() {
                if entry["type"] == kind && entry["status"] == "open" {
                    let severity = entry["severity"].as_str().unwrap_or("unrated").to_owned();
                    *by_severity.entry(severity).or_default() += 1;
                }
            }
            for severity in ["critical", "high", "medium", "low", "unrated"] {
                assert_eq!(
                    row[key][severity].as_u64().unwrap(),
                    by_severity.get(severity).copied().unwrap_or(0),
                    "{path} {key} {severity}"
                );
            }
        }
        assert_eq!(row["rag"], plan["health"]["rag"], "{path}");
        let next = date(&plan["review"]["next"]);
        assert_eq!(row["review_overdue"], !closed && next < today, "{path}");
        for (milestone, shown) in plan["milestones"]
            .as_array()
            .unwrap()
            .iter()
            .zip(row["milestones"].as_array().unwrap())
        {
            let due = date(&milestone["due"]);
            let late = !closed && milestone["status"] != "done" && due < today;
            assert_eq!(shown["late"], late, "{path} {}", milestone["id"]);
        }
    }
}

#[test]
fn the_calendar_and_the_people_count_days_as_a_calendar_does() {
    let dir = isolated(&[PORTFOLIO]);
    let report = json_of(&report_in(
        dir.path(),
        &[PORTFOLIO, "--today", TODAY, "--format", "json"],
    ));
    let today: Date = TODAY.parse().unwrap();
    let plans = report["plans"].as_array().unwrap();
    for due in report["calendar"]["upcoming"]
        .as_array()
        .unwrap()
        .iter()
        .chain(report["calendar"]["overdue"].as_array().unwrap())
    {
        let date = date(&due["date"]);
        let days = today.until(date).unwrap().get_days();
        assert_eq!(due["in_days"].as_i64().unwrap(), i64::from(days));
        let plan = &plans[due["plan"].as_u64().unwrap() as usize];
        assert_eq!(plan["next_review"], due["date"]);
    }
    // The plans a list of the calendar names, by id.
    let ids = |list: &str| -> Vec<&str> {
        report["calendar"][list]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                plans[d["plan"].as_u64().unwrap() as usize]["id"]
                    .as_str()
                    .unwrap()
            })
            .collect()
    };
    assert_eq!(ids("upcoming"), ["beta", "gamma"]);
    // delta's review date passed too, but a closed plan is not reviewed any more.
    assert_eq!(ids("overdue"), ["alpha"]);
    let triggers: Vec<(&str, &str)> = report["calendar"]["triggers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["trigger"].as_str().unwrap(), t["what"].as_str().unwrap()))
        .collect();
    assert_eq!(
        triggers,
        [
            ("milestone-missed", "M2 Load test passed"),
            ("health-red", "Integration fails under load")
        ]
    );

    // carol: 60% in alpha from 2026-10-01 to 2027-03-31, 50% in beta from 2027-01-01 to
    // 2027-06-30. Counted day by day here.
    let carol = report["people"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["person"] == "carol")
        .unwrap();
    let allocations = [
        (
            6_000,
            Date::constant(2026, 10, 1),
            Date::constant(2027, 3, 31),
        ),
        (
            5_000,
            Date::constant(2027, 1, 1),
            Date::constant(2027, 6, 30),
        ),
    ];
    let (mut over_days, mut peak, mut day) = (0, 0, Date::constant(2026, 10, 1));
    while day <= Date::constant(2027, 6, 30) {
        let total: i64 = allocations
            .iter()
            .filter(|(_, from, until)| *from <= day && day <= *until)
            .map(|(share, _, _)| share)
            .sum();
        peak = peak.max(total);
        over_days += i64::from(total > 10_000);
        day = day.tomorrow().unwrap();
    }
    assert_eq!(carol["over_days"].as_i64().unwrap(), over_days);
    assert_eq!(carol["peak"].as_i64().unwrap(), peak);
    assert_eq!(report["totals"]["over_allocated_people"], 1);
    // The page states the same figures.
    let html = stdout(&report_in(dir.path(), &[PORTFOLIO, "--today", TODAY]));
    assert!(
        html.contains(&format!("over full time on {over_days} days")),
        "{html}"
    );
    assert!(html.contains("peak 110%"));
}

/// The page as lines for a snapshot: a break before each element that starts a block, and the
/// fixed style sheet and script left out (they are the crate's files, not the report's).
fn readable(html: &str) -> String {
    let cut = |text: &str, open: &str, close: &str| -> String {
        let start = text.find(open).map(|i| i + open.len()).unwrap();
        let end = text[start..].find(close).unwrap() + start;
        format!("{}[…]{}", &text[..start], &text[end..])
    };
    let html = cut(html, "<style>", "</style>");
    let html = cut(&html, "<script>", "</script>");
    let mut out = String::new();
    for (i, piece) in html.split('<').enumerate() {
        if i > 0 {
            let block = [
                "section", "h1", "h2", "h3", "h4", "p ", "p>", "ul", "li", "table", "thead",
                "tbody", "tr", "details", "summary", "dt", "figure", "svg", "g ", "g>", "rect",
                "path", "line", "text", "header", "main", "footer", "nav", "div",
            ]
            .iter()
            .any(|tag| piece.starts_with(tag));
            if block {
                out.push('\n');
            }
            out.push('<');
        }
        out.push_str(piece);
    }
    out
}

#[test]
fn the_page_of_a_small_portfolio() {
    let dir = isolated(&[PORTFOLIO]);
    let output = report_in(dir.path(), &[PORTFOLIO, "--today", TODAY]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let html = stdout(&output).replace("2027-01-15T08:00:00Z", "[generated]");
    assert!(
        html.contains("[generated]"),
        "SOURCE_DATE_EPOCH sets the time"
    );
    // The portfolio is in a repository without commits: no commit is claimed.
    assert!(!html.contains("from commit"));
    insta::assert_snapshot!("report_page", readable(&html));
}

#[test]
fn the_markdown_of_a_small_portfolio() {
    let dir = isolated(&[PORTFOLIO]);
    let output = report_in(
        dir.path(),
        &[PORTFOLIO, "--today", TODAY, "--format", "markdown"],
    );
    let markdown = stdout(&output).replace("2027-01-15T08:00:00Z", "[generated]");
    insta::assert_snapshot!("report_markdown", markdown);
}

#[test]
fn a_plan_s_text_stays_text_in_the_page_and_in_markdown() {
    let dir = isolated(&[PORTFOLIO]);
    let html = stdout(&report_in(dir.path(), &[PORTFOLIO, "--today", TODAY]));
    assert!(!html.contains("<script>alert"), "the title is escaped");
    assert!(html.contains("Alpha &lt;script&gt;alert('x')&lt;/script&gt; &amp; | pipes"));
    assert!(
        !html.contains("href=\"javascript:"),
        "a plan's location is not a link"
    );
    let markdown = stdout(&report_in(
        dir.path(),
        &[PORTFOLIO, "--today", TODAY, "--format", "markdown"],
    ));
    assert!(!markdown.contains("<script>"), "{markdown}");
}

#[test]
fn findings_link_to_their_line_at_the_commit() {
    let dir = isolated(&[PORTFOLIO]);
    git(dir.path(), &["add", "-A"]);
    git(
        dir.path(),
        &[
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "commit",
            "-qm",
            "plans",
        ],
    );
    let head = std::process::Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let head = String::from_utf8(head.stdout).unwrap().trim().to_owned();
    let template = "https://github.com/o/r/blob/{commit}/{path}#L{line}";
    let report = json_of(&report_in(
        dir.path(),
        &[
            PORTFOLIO,
            "--today",
            TODAY,
            "--format",
            "json",
            "--source-url",
            template,
        ],
    ));
    assert_eq!(report["commit"], head.as_str());
    assert_eq!(report["uncommitted_changes"], false);
    let alpha = plan_row(&report, "tests/report/portfolio/alpha.plan.toml");
    let first = &alpha["finding_list"][0];
    assert_eq!(
        first["url"],
        format!(
            "https://github.com/o/r/blob/{head}/tests/report/portfolio/alpha.plan.toml#L{}",
            first["line"]
        )
        .as_str()
    );
    let html = stdout(&report_in(
        dir.path(),
        &[PORTFOLIO, "--today", TODAY, "--source-url", template],
    ));
    assert!(html.contains(&format!(
        "href=\"https://github.com/o/r/blob/{head}/tests/report/portfolio/alpha.plan.toml#L29\""
    )));

    for bad in [
        "javascript:alert(1)/{path}",
        "https://x/{line}",
        "https://x/{sha}/{path}",
    ] {
        let output = report_in(dir.path(), &[PORTFOLIO, "--source-url", bad]);
        assert_eq!(output.status.code(), Some(2), "{bad}");
        assert!(
            stderr(&output).contains("--source-url"),
            "{}",
            stderr(&output)
        );
        assert!(stdout(&output).is_empty());
    }
}

#[test]
fn a_path_that_cannot_be_read_is_in_the_report_and_fails_it() {
    let dir = isolated(&[PORTFOLIO]);
    let output = report_in(
        dir.path(),
        &[
            PORTFOLIO,
            "missing.plan.toml",
            "--today",
            TODAY,
            "--output",
            "report.html",
        ],
    );
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("missing.plan.toml"));
    let html = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    assert!(html.contains("could not be read"));
    assert!(html.contains("missing.plan.toml"));
    assert!(
        html.contains("Beta rollout"),
        "the other plans are reported"
    );
}

#[test]
fn a_large_portfolio_keeps_details_for_the_plans_that_need_them() {
    let dir = tempfile::tempdir().unwrap();
    git(dir.path(), &["init", "-q"]);
    let alpha =
        std::fs::read_to_string(repo_root().join(PORTFOLIO).join("alpha.plan.toml")).unwrap();
    let gamma =
        std::fs::read_to_string(repo_root().join(PORTFOLIO).join("gamma.plan.yaml")).unwrap();
    let plans = dir.path().join("plans");
    std::fs::create_dir(&plans).unwrap();
    for i in 0..560 {
        // Every seventh plan is red (alpha); the rest are green (gamma).
        let (text, ext) = if i % 7 == 0 {
            (
                alpha.replace("id = \"alpha\"", &format!("id = \"plan-{i}\"")),
                "toml",
            )
        } else {
            (
                gamma.replace("id: \"gamma\"", &format!("id: \"plan-{i}\"")),
                "yaml",
            )
        };
        std::fs::write(plans.join(format!("p{i:04}.plan.{ext}")), text).unwrap();
    }
    let output = report_in(dir.path(), &["--today", TODAY]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let html = stdout(&output);
    assert!(html.contains("Details of the 500 of 560 plans that most need attention"));
    assert_eq!(html.matches("<details class=\"plan\"").count(), 500);
    // The 80 red plans are among them.
    for i in (0..560).step_by(7) {
        assert!(
            html.contains(&format!("id=\"findings-plan-{}\"", i + 1)),
            "plan {i}"
        );
    }
    assert!(html.contains("The 40 of 560 plans with dates that most need attention"));
    // The overview's first table holds the 500 that need attention most; every plan has its
    // row in the pages below it.
    assert!(html.contains("The 500 of 560 plans that most need attention"));
    assert_eq!(
        html.matches("<th scope=\"row\" data-sort=").count(),
        500 + 560
    );
    assert!(html.contains("Plans 501–560: <code>plans/p0500.plan."));
}

#[test]
fn the_examples_report_reads_in_chromium_without_errors_or_serious_accessibility_violations() {
    let Some(oracles) = oracles() else { return };
    let chromium = Path::new("/usr/bin/chromium");
    if !chromium.exists() {
        assert!(
            std::env::var("PLAN_LINT_ORACLES").as_deref() != Ok("required"),
            "Chromium is required but not installed (apt install chromium)"
        );
        record_skip("the browser test needs Debian's chromium (apt install chromium)");
        return;
    }
    let out = tempfile::tempdir().unwrap();
    // The command the issue names, from the repository root.
    let page = out.path().join("report.html");
    let output = plan_lint_in(
        &repo_root(),
        &[
            "report",
            "examples/",
            "--today",
            "2026-11-25",
            "--output",
            page.to_str().unwrap(),
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let portfolio = isolated(&[PORTFOLIO]);
    let portfolio_page = out.path().join("portfolio.html");
    let output = report_in(
        portfolio.path(),
        &[
            PORTFOLIO,
            "--today",
            TODAY,
            "--output",
            portfolio_page.to_str().unwrap(),
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));

    let cases = [
        (
            &page,
            "report-examples.png",
            vec![
                "Implementation plans: status report",
                "Outpatient clinic self-scheduling",
                "Payments platform migration",
                "Timeline",
                "Open entries, overdue first",
                "Review calendar",
                "Lint findings",
                "as of 2026-11-20",
            ],
        ),
        (
            &portfolio_page,
            "report-portfolio.png",
            vec![
                "Alpha <script>alert('x')</script> & | pipes",
                "over full time on 90 days",
                "2027-01-01 to 2027-03-31: 110%",
                "Integration fails under load",
                "5 days overdue",
            ],
        ),
    ];
    for (page, screenshot, texts) in cases {
        let expected = out.path().join(format!("{screenshot}.json"));
        std::fs::write(&expected, serde_json::json!({ "texts": texts }).to_string()).unwrap();
        let screenshot = repo_root().join("target").join(screenshot);
        let (passed, text) = oracles.run(
            std::process::Command::new("node")
                .arg(repo_root().join("tests/report/browser.cjs"))
                .arg(page)
                .arg(&screenshot)
                .arg(&expected)
                .env(
                    "PLAN_LINT_BROWSER_MODULES",
                    oracles.home.join("browser/node_modules"),
                ),
        );
        assert!(passed, "{text}");
        let png = std::fs::read(&screenshot).unwrap();
        assert!(
            png.starts_with(b"\x89PNG") && png.len() > 10_000,
            "a real screenshot"
        );
    }
}

#[test]
fn findings_the_baseline_knows_or_a_suppression_silences_are_not_counted() {
    let dir = isolated(&[PORTFOLIO]);
    let alpha = dir.path().join(PORTFOLIO).join("alpha.plan.toml");
    let text = std::fs::read_to_string(&alpha).unwrap().replace(
        "[[raid]]\nid = \"R-1\"",
        "# plan-lint: allow(raid-mitigation) -- the clinics own this risk\n[[raid]]\nid = \"R-1\"",
    );
    std::fs::write(&alpha, text).unwrap();
    let report = json_of(&report_in(
        dir.path(),
        &[PORTFOLIO, "--today", TODAY, "--format", "json"],
    ));
    assert_eq!(report["totals"]["suppressed"], 1);
    let alpha = plan_row(&report, "tests/report/portfolio/alpha.plan.toml");
    assert!(
        alpha["finding_list"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["rule"] != "raid-mitigation")
    );

    let written = plan_lint_in(
        dir.path(),
        &["check", PORTFOLIO, "--today", TODAY, "--write-baseline"],
    );
    assert!(written.status.code().is_some(), "{}", stderr(&written));
    let report = json_of(&report_in(
        dir.path(),
        &[PORTFOLIO, "--today", TODAY, "--format", "json"],
    ));
    let findings = &report["totals"]["findings"];
    assert_eq!(
        (findings["error"].as_u64(), findings["warning"].as_u64()),
        (Some(0), Some(0))
    );
    assert_eq!(report["totals"]["known_to_baseline"], 5);
    let every = json_of(&report_in(
        dir.path(),
        &[
            PORTFOLIO,
            "--today",
            TODAY,
            "--format",
            "json",
            "--no-baseline",
        ],
    ));
    assert_eq!(every["totals"]["findings"]["error"], 3);
    let html = stdout(&report_in(dir.path(), &[PORTFOLIO, "--today", TODAY]));
    assert!(html.contains("5 known to the baseline"));
}
