//! Messages state true facts (issue 13): every number, date and plan an `over-allocation`
//! message gives is checked against a day-by-day computation over generated portfolios, and a
//! repeated id says how many entries share it.

use crate::support::lint_messages;
use jiff::civil::{Date, date};
use proptest::prelude::*;

fn plan(id: &str, resources: &str) -> String {
    format!(
        "[plan]\nid = \"{id}\"\ntitle = \"T\"\n\n[people]\ndelivery_lead = \"alice\"\nproblem_owner = \"bob\"\nteam = [\"alice\", \"bob\", \"chen\"]\n\n{resources}"
    )
}

fn resource(allocation: &str, from: Option<Date>, until: Option<Date>) -> String {
    let mut text =
        format!("[[resources]]\nperson = \"chen\"\nrole = \"r\"\nallocation = {allocation}\n");
    if let Some(from) = from {
        text.push_str(&format!("from = {from}\n"));
    }
    if let Some(until) = until {
        text.push_str(&format!("until = {until}\n"));
    }
    text
}

/// (file, message) of each finding of a rule.
fn messages(texts: &[String], rule: &str) -> Vec<(usize, String)> {
    let examples: Vec<(&str, &str)> = texts.iter().map(|t| ("toml", t.as_str())).collect();
    lint_messages(&examples)
        .into_iter()
        .filter(|(name, ..)| name == rule)
        .map(|(_, file, _, message)| (file, message))
        .collect()
}

#[test]
fn each_plan_hears_its_own_peak_its_own_days_and_only_the_plans_it_overlaps() {
    // The issue's portfolio: chen at 0.6 with no dates in A, 0.6 for November in B, 0.7 for
    // March in C.
    let texts = [
        plan("a", &resource("0.6", None, None)),
        plan(
            "b",
            &resource("0.6", Some(date(2026, 11, 1)), Some(date(2026, 11, 30))),
        ),
        plan(
            "c",
            &resource("0.7", Some(date(2027, 3, 1)), Some(date(2027, 3, 31))),
        ),
    ];
    assert_eq!(
        messages(&texts, "over-allocation"),
        [
            (
                0,
                "`chen` is allocated 130% of full time from 2027-03-01 to 2027-03-31, with `c` \
                 (example-2.plan.toml); and over full time on 1 other stretch of days"
                    .to_owned()
            ),
            (
                1,
                "`chen` is allocated 120% of full time from 2026-11-01 to 2026-11-30, with `a` \
                 (example-0.plan.toml)"
                    .to_owned()
            ),
            (
                2,
                "`chen` is allocated 130% of full time from 2027-03-01 to 2027-03-31, with `a` \
                 (example-0.plan.toml)"
                    .to_owned()
            ),
        ]
    );
}

#[test]
fn a_repeated_id_says_how_many_entries_share_it() {
    let raid = "[[raid]]\nid = \"R-1\"\ntype = \"assumption\"\ntitle = \"t\"\nstatus = \"open\"\n";
    let texts = [plan("a", &raid.repeat(3))];
    assert_eq!(
        messages(&texts, "duplicate-id"),
        [
            (0, "`R-1` is used by 3 `raid` entries".to_owned()),
            (0, "`R-1` is used by 3 `raid` entries".to_owned()),
        ]
    );
    let three = [plan("a", ""), plan("a", ""), plan("a", "")];
    assert_eq!(
        messages(&three, "duplicate-plan-id"),
        [
            (
                1,
                "plan id `a` is used by 3 plans, first by `example-0.plan.toml`".to_owned()
            ),
            (
                2,
                "plan id `a` is used by 3 plans, first by `example-0.plan.toml`".to_owned()
            ),
        ]
    );
}

/// One generated allocation: a share in twentieths of full time, and optional days as
/// offsets from 2026-01-01.
#[derive(Debug, Clone)]
struct Generated {
    twentieths: u32,
    from: Option<i64>,
    until: Option<i64>,
}

fn generated() -> impl Strategy<Value = Generated> {
    (
        1..=20u32,
        proptest::option::weighted(0.8, 0..40i64),
        proptest::option::weighted(0.8, 0..25i64),
    )
        .prop_map(|(twentieths, from, length)| Generated {
            twentieths,
            from,
            // An end never before the start.
            until: length.map(|length| from.unwrap_or(0) + length),
        })
}

const FIRST: i64 = 0;
/// Days are modelled from one day before the first date any allocation can name ("every day
/// before") to one after the last ("every day after").
const BEFORE: i64 = FIRST - 1;
const AFTER: i64 = 70;

fn day(offset: i64) -> Date {
    date(2026, 1, 1)
        .checked_add(jiff::Span::new().days(offset))
        .unwrap()
}

/// The message the finding at `plan`'s first involved entry must give, computed day by day.
fn expected(plans: &[Vec<Generated>], plan: usize) -> Option<String> {
    let covers = |g: &Generated, d: i64| {
        g.from.is_none_or(|from| from <= d) && g.until.is_none_or(|until| d <= until)
    };
    let total = |d: i64| -> u32 {
        plans
            .iter()
            .flatten()
            .filter(|g| covers(g, d))
            .map(|g| g.twentieths * 500)
            .sum()
    };
    let over = |d: i64| total(d) > 10_000;
    let all_days = BEFORE..=AFTER;
    let involved = |g: &Generated| all_days.clone().any(|d| covers(g, d) && over(d));
    let entry = plans[plan].iter().find(|g| involved(g))?;
    let days: Vec<i64> = all_days.clone().filter(|&d| covers(entry, d)).collect();
    let peak = days.iter().filter(|&&d| over(d)).map(|&d| total(d)).max()?;
    let peak_day = *days.iter().find(|&&d| over(d) && total(d) == peak)?;
    // The run of over-allocated days around the peak, within the entry's days.
    let mut first = peak_day;
    while first > BEFORE && over(first - 1) && covers(entry, first - 1) {
        first -= 1;
    }
    let mut last = peak_day;
    while last < AFTER && over(last + 1) && covers(entry, last + 1) {
        last += 1;
    }
    let constant = (first..=last).all(|d| total(d) == peak);
    // Runs of over-allocated days (over all days) that meet the entry's days.
    let mut runs = 0;
    for &d in &days {
        let starts_a_run = over(d) && (d == BEFORE || !over(d - 1) || !days.contains(&(d - 1)));
        if starts_a_run {
            runs += 1;
        }
    }
    let others: Vec<usize> = (0..plans.len())
        .filter(|&p| p != plan && plans[p].iter().any(|g| covers(g, peak_day)))
        .collect();
    let when = match (first == BEFORE, last == AFTER) {
        (true, true) => "at all times".to_owned(),
        (true, false) => format!("until {}", day(last)),
        (false, true) => format!("from {}", day(first)),
        (false, false) if first == last => format!("on {}", day(first)),
        (false, false) => format!("from {} to {}", day(first), day(last)),
    };
    let mut message = format!(
        "`chen` is allocated {}{}% of full time {when}",
        if constant { "" } else { "up to " },
        f64::from(peak) / 100.0
    );
    for (index, other) in others.iter().take(5).enumerate() {
        message.push_str(if index == 0 { ", with " } else { ", " });
        message.push_str(&format!("`p{other}` (example-{other}.plan.toml)"));
    }
    if others.len() > 5 {
        message.push_str(&format!(", {} more plans", others.len() - 5));
    }
    match runs - 1 {
        0 => {}
        1 => message.push_str("; and over full time on 1 other stretch of days"),
        n => message.push_str(&format!(
            "; and over full time on {n} other stretches of days"
        )),
    }
    Some(message)
}

proptest! {
    // At least 300 cases; PROPTEST_CASES asks for more.
    #![proptest_config(ProptestConfig { cases: ProptestConfig::default().cases.max(300), ..ProptestConfig::default() })]

    #[test]
    fn over_allocation_messages_agree_with_a_day_by_day_count(
        plans in proptest::collection::vec(proptest::collection::vec(generated(), 1..4), 1..8)
    ) {
        let texts: Vec<String> = plans
            .iter()
            .enumerate()
            .map(|(index, entries)| {
                let resources: String = entries
                    .iter()
                    .map(|g| {
                        resource(
                            &format!("{}", f64::from(g.twentieths) / 20.0),
                            g.from.map(day),
                            g.until.map(day),
                        )
                    })
                    .collect();
                plan(&format!("p{index}"), &resources)
            })
            .collect();
        let found = messages(&texts, "over-allocation");
        let wanted: Vec<(usize, String)> = (0..plans.len())
            .filter_map(|plan| Some((plan, expected(&plans, plan)?)))
            .collect();
        prop_assert_eq!(found, wanted);
    }
}

/// A finding's help is written in the plan's syntax (docs/SPEC-NOTES.md): the same plan, as
/// TOML, JSON, YAML and Markdown, is told how to add its missing mitigation and Delivery Lead
/// as each format writes them, end to end through the command line.
#[test]
fn help_speaks_the_plans_own_syntax() {
    let toml = "version = 1\n\n[plan]\nid = \"p\"\ntitle = \"T\"\nproblem = \"P\"\nstatus = \"draft\"\n\n[people]\nproblem_owner = \"bob\"\nteam = [\"bob\"]\n\n[[raid]]\nid = \"R-1\"\ntype = \"risk\"\ntitle = \"A risk\"\nowner = \"bob\"\nstatus = \"open\"\nseverity = \"high\"\nmitigation = \"\"\n";
    let dir = tempfile::tempdir().unwrap();
    let plans = [
        ("toml", toml.to_owned()),
        (
            "json",
            r#"{"version": 1, "plan": {"id": "p", "title": "T", "problem": "P", "status": "draft"},
  "people": {"problem_owner": "bob", "team": ["bob"]},
  "raid": [{"id": "R-1", "type": "risk", "title": "A risk", "owner": "bob", "status": "open",
            "severity": "high", "mitigation": ""}]}"#
                .to_owned(),
        ),
        (
            "yaml",
            plan_model::convert::toml_to_yaml(toml).expect("converts"),
        ),
        (
            "md",
            plan_model::convert::toml_to_markdown(toml).expect("converts"),
        ),
    ];
    for (format, text) in &plans {
        let folder = dir.path().join(format);
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join(format!("p.plan.{format}")), text).unwrap();
        std::fs::write(folder.join("plan-lint.toml"), "").unwrap();
    }
    let help = |format: &str, rule: &str| -> String {
        let output = crate::support::plan_lint_in(
            &dir.path().join(format),
            &["check", "--format", "json", "--select", rule, "."],
        );
        let report = crate::support::json_report(&output);
        let diagnostics = report["diagnostics"].as_array().unwrap();
        assert_eq!(diagnostics.len(), 1, "{format} {rule}: {diagnostics:?}");
        diagnostics[0]["help"].as_str().unwrap().to_owned()
    };
    let in_each_format =
        |rule: &str| ["toml", "json", "yaml", "md"].map(|format| help(format, rule));
    assert_eq!(
        in_each_format("raid-mitigation"),
        [
            "add `mitigation = \"…\"` describing how the risk is reduced",
            "add `\"mitigation\": \"…\"` describing how the risk is reduced",
            "add `mitigation: \"…\"` describing how the risk is reduced",
            "add `…` in the `Mitigation` cell describing how the risk is reduced",
        ]
    );
    assert_eq!(
        in_each_format("accountable-owner"),
        [
            "add `delivery_lead = \"…\"` under `[people]`: the Delivery Lead is accountable for the plan",
            "add `\"delivery_lead\": \"…\"` under `\"people\"`: the Delivery Lead is accountable for the plan",
            "add `delivery_lead: \"…\"` under `people:`: the Delivery Lead is accountable for the plan",
            // The front matter is YAML.
            "add `delivery_lead: \"…\"` under `people:`: the Delivery Lead is accountable for the plan",
        ]
    );
}
