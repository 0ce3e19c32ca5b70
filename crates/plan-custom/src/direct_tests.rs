//! The fast path against cel's interpreter: whenever the fast path answers, cel gives the
//! same value. Fixed plans with values of every kind in every key, and random ones.

use super::*;
use crate::expression::Expression;
use crate::values::cel_value;
use proptest::prelude::*;

const TODAY: jiff::civil::Date = jiff::civil::date(2026, 12, 2);

/// Expressions over one RAID entry: the shapes house rules are made of, and some that the
/// fast path must leave to cel (numbers of two types, errors, overflow).
const ENTRY_EXPRESSIONS: &[&str] = &[
    "entry",
    "entry.status == 'open'",
    "has(entry.owner)",
    "has(entry.owner) && entry.owner != ''",
    "entry.severity in ['high', 'critical']",
    "entry.type in ['risk', 'issue'] && entry.status == 'open' && has(entry.severity) && entry.severity in ['high', 'critical']",
    "has(entry.due) && days_between(today, entry.due) <= 7",
    "days_between(entry.due, today)",
    "entry.due < today",
    "entry.due - today",
    "entry.due + duration('2 weeks')",
    "entry.due - duration('36h')",
    "today + duration('1h30m') > today",
    "duration('336h') == duration('2 weeks')",
    "duration('-90m') < duration('0s')",
    "entry.due == timestamp('2026-12-05T00:00:00Z')",
    "size(entry.id)",
    "entry.id.size() > 2",
    "entry.id.startsWith('R-') && entry.id.endsWith('1') || entry.id.contains('9')",
    "!has(entry.mitigation) || entry.mitigation != ''",
    "has(entry.tags) && 'x' in entry.tags",
    "entry.tags.exists(t, t == 'x')",
    "entry.tags.all(t, size(t) > 0)",
    "entry.tags.map(t, t + '!')",
    "entry.tags.filter(t, t != 'x')",
    "entry.tags.exists_one(t, t == 'x')",
    "entry.tags.map(t, entry.tags.filter(u, u == t).size())",
    "size(entry.tags) + 1",
    "entry.tags[0]",
    "entry.tags + ['z']",
    "entry.tags == ['x', 'y']",
    "entry['id']",
    "'id' in entry",
    "size(entry)",
    "entry.score * 2 - 1",
    "entry.score / 2",
    "entry.score % 3",
    "-entry.score",
    "entry.score > 1.5",
    "entry.score == 3",
    "entry.ratio * 2.0",
    "entry.ratio < 0.5",
    "entry.ratio / 0.0",
    "entry.id + '/' + entry.status",
    "has_person(entry.owner)",
    "entry_by_id('milestones', entry.milestone)",
    "entry_by_id('milestones', entry.milestone) != null",
    "has_entry('backlog', 'milestone', entry.milestone)",
    "entry.flag ? 'yes' : 'no'",
    "entry.flag == true",
    "entry.nothing == null",
    "entry.nested.note",
    "has(entry.nested.note)",
    "[entry.id, entry.status] == ['R-1', 'open']",
    "[1, 2] + [3]",
    "1 == 1.0",
    "entry.status == 1",
    "entry.due == 'soon'",
    "entry.unknown_key",
    "entry.id < entry.status",
    "entry.flag || entry.unknown_key == 1",
    "entry.unknown_key == 1 || true",
    "entry.unknown_key == 1 && false",
    "9223372036854775807 + entry.score",
    "2u + 3u * 4u",
    "'a' in ['a', 1 / 0]",
    "entry.status in ['open', entry.unknown_key]",
];

/// Expressions over the whole plan.
const PLAN_EXPRESSIONS: &[&str] = &[
    "plan",
    "plan.raid",
    "plan.raid.exists(r, r.severity == 'critical')",
    "plan.raid.all(r, has(r.due))",
    "plan.raid.filter(r, !has(r.due)).map(r, r.id)",
    "size(plan.milestones)",
    "has(plan.review.cadence) && plan.review.cadence <= duration('1 week')",
    "plan.review.cadence",
    "plan.people.problem_owner != plan.people.delivery_lead",
    "plan.resources.map(r, r.allocation)",
    "plan.resources.map(r, r.allocation).exists(a, a < 1.0)",
    "plan.timeline.start",
    "has(plan.health.rag) && plan.health.rag in ['amber', 'red']",
    "plan.milestones.exists(m, days_between(today, m.due) <= 90)",
    "plan.milestones.map(m, m.due)",
    "has_person('cy') && !has_person('zed')",
    "entry_by_id('raid', 'R-4')",
    "entry_by_id('people', 'x') == null",
    "has_entry('raid', 'owner', 'cy')",
];

const TOML_PLAN: &str = r#"
[plan]
id = "p"
status = "active"
[people]
delivery_lead = "ana"
problem_owner = "bo"
team = ["cy", "di"]
[health]
rag = "amber"
[review]
cadence = "2 weeks"
[timeline]
start = 2026-01-05
[[milestones]]
id = "M1"
due = 2026-03-01
[[milestones]]
id = "M2"
due = "2026-09-01"
[[backlog]]
id = "B1"
milestone = "M1"
[[resources]]
person = "cy"
allocation = "50%"
[[resources]]
person = "di"
allocation = 1
[[raid]]
id = "R-1"
type = "risk"
status = "open"
severity = "critical"
owner = "cy"
due = 2026-12-05
tags = ["x", "y"]
score = 3
ratio = 0.25
flag = true
milestone = "M1"
nested = { note = "n" }
[[raid]]
id = "R-2"
status = "closed"
severity = "low"
owner = "zed"
due = "soon"
tags = []
score = -4
flag = false
milestone = "M9"
[[raid]]
id = 7
status = 1
tags = "x"
score = 1.5
due = "2026-02-30"
nested = "flat"
[[raid]]
id = "R-4"
type = "issue"
status = "open"
severity = "high"
mitigation = ""
tags = ["x", "x", ""]
due = 2026-11-20
"#;

const JSON_PLAN: &str = r#"{
  "plan": {"id": "p", "status": "draft"},
  "people": {"delivery_lead": "ana", "problem_owner": "ana", "team": "cy"},
  "review": {"cadence": "1 month"},
  "milestones": [{"id": "M1", "due": "2026-12-30"}, {"id": "M1", "due": "2027-01-30"}],
  "resources": [{"person": "cy", "allocation": 0.5}, {"person": "di", "allocation": "x%"}],
  "raid": [
    {"id": "R-1", "status": "open", "due": "2026-12-05", "tags": ["x"], "score": 2,
     "nothing": null, "flag": true, "milestone": "M1", "owner": "cy"},
    {"id": "R-2", "status": "open", "due": null, "tags": [1, "x"], "ratio": 1e400,
     "nested": {"note": null}},
    "not a table"
  ]
}"#;

fn compile(source: &str, variables: &[&str]) -> Expression {
    Expression::compile(source, variables).unwrap_or_else(|problem| panic!("{source}: {problem:?}"))
}

/// Check every expression on `document` (on each RAID entry, or on the plan); the number of
/// answers the fast path gave.
fn agree(document: &Value<'_>) -> usize {
    let per_entry: Vec<Expression> = ENTRY_EXPRESSIONS
        .iter()
        .map(|source| compile(source, &["plan", "entry", "today"]))
        .collect();
    let per_plan: Vec<Expression> = PLAN_EXPRESSIONS
        .iter()
        .map(|source| compile(source, &["plan", "today"]))
        .collect();
    let view = PlanView::new(document, TODAY);
    let entries: Vec<Datum<'_>> = view
        .entries("raid")
        .into_iter()
        .flatten()
        .map(|(entry, _)| entry)
        .collect();
    let cases = per_entry
        .iter()
        .flat_map(|expression| (0..entries.len()).map(move |index| (expression, Some(index))))
        .chain(per_plan.iter().map(|expression| (expression, None)));
    let mut answered = 0;
    for (expression, entry) in cases {
        let Some(node) = &expression.direct else {
            continue;
        };
        let datum = entry.map(|index| entries[index].clone());
        let Ok(fast) = Evaluation::new(&view, datum).eval(node) else {
            continue;
        };
        answered += 1;
        let index = entry.map(|index| ("raid", index));
        let reference = crate::evaluate::cel_evaluate(expression, document, TODAY, index);
        assert_eq!(
            reference.as_ref().ok(),
            Some(&cel_value(&fast, TODAY)),
            "`{}` on {index:?}: cel says {reference:?}",
            expression.source
        );
    }
    answered
}

#[test]
fn the_fast_path_and_cel_agree_on_every_answer() {
    let arena = plan_model::value::Arena::new();
    let toml = plan_model::parse_toml(TOML_PLAN, &arena).unwrap();
    let parsed = plan_model::parse("p.plan.json", plan_model::Format::Json, JSON_PLAN, &arena);
    let json = parsed.plan.as_ref().and_then(|plan| plan.document).unwrap();
    // The fast path answers about half (the plans are full of odd values, which it leaves to
    // cel): the test compares a good many answers.
    let possible = 4 * ENTRY_EXPRESSIONS.len() + PLAN_EXPRESSIONS.len();
    let answered = agree(&toml);
    assert!(answered * 100 > possible * 45, "{answered} of {possible}");
    let possible = 3 * ENTRY_EXPRESSIONS.len() + PLAN_EXPRESSIONS.len();
    let answered = agree(json);
    assert!(answered * 100 > possible * 30, "{answered} of {possible}");
}

/// What the fast path must leave to cel: other numeric types compared, errors (whatever
/// `||` or `&&` would make of them), overflow, a division by zero.
#[test]
fn the_fast_path_defers_what_it_cannot_answer_exactly() {
    let deferred: Vec<Expression> = [
        "entry.score > 1.5",
        "1 == 1.0",
        "entry.unknown_key",
        "entry.unknown_key == 1 || true",
        "9223372036854775807 + entry.score",
        "entry.ratio / 0.0",
        "'a' in ['a', 1 / 0]",
        "entry == entry",
    ]
    .iter()
    .map(|source| compile(source, &["plan", "entry", "today"]))
    .collect();
    let arena = plan_model::value::Arena::new();
    let document = plan_model::parse_toml(TOML_PLAN, &arena).unwrap();
    let view = PlanView::new(&document, TODAY);
    let (first, _) = view.entries("raid").unwrap().next().unwrap();
    for expression in &deferred {
        let node = expression.direct.as_ref().unwrap();
        let answer = Evaluation::new(&view, Some(first.clone())).eval(node);
        assert!(answer.is_err(), "{}: {answer:?}", expression.source);
    }
    // And what it cannot evaluate at all, it never tries.
    for source in [
        "entry.id.matches('^R')",
        "string(entry.score) == '3'",
        "{'a': 1}.a == 1",
    ] {
        assert!(compile(source, &["entry"]).direct.is_none(), "{source}");
    }
}

/// A value of any kind, as TOML writes it.
fn toml_value() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "open", "closed", "critical", "high", "cy", "zed", "M1", "", "R-1"
        ])
        .prop_map(|text| format!("{text:?}")),
        (-5i64..5).prop_map(|n| n.to_string()),
        prop::sample::select(vec!["0.5", "1.5", "-0.25", "2.0"]).prop_map(str::to_owned),
        any::<bool>().prop_map(|b| b.to_string()),
        (1u8..28, 1u8..13).prop_map(|(day, month)| format!("2026-{month:02}-{day:02}")),
        prop::sample::select(vec!["\"2026-12-24\"", "\"soon\"", "\"2 weeks\""])
            .prop_map(str::to_owned),
        prop::collection::vec(prop::sample::select(vec!["x", "y", ""]), 0..3)
            .prop_map(|items| format!("{items:?}")),
        Just("{ note = \"n\" }".to_owned()),
    ]
}

const KEYS: [&str; 11] = [
    "id",
    "type",
    "status",
    "severity",
    "owner",
    "due",
    "tags",
    "score",
    "ratio",
    "flag",
    "milestone",
];

fn toml_plan() -> impl Strategy<Value = String> {
    let entry = prop::collection::vec((prop::sample::select(KEYS.to_vec()), toml_value()), 0..8);
    prop::collection::vec(entry, 1..4).prop_map(|entries| {
        let mut text = String::from(
            "[people]\ndelivery_lead = \"ana\"\nteam = [\"cy\"]\n[[milestones]]\nid = \"M1\"\n[[backlog]]\nid = \"B1\"\nmilestone = \"M1\"\n",
        );
        for entry in entries {
            text.push_str("[[raid]]\n");
            let mut seen = std::collections::BTreeSet::new();
            for (key, value) in entry {
                // TOML refuses a repeated key; the plan's parser is not what is tested here.
                if seen.insert(key) {
                    text.push_str(&format!("{key} = {value}\n"));
                }
            }
        }
        text
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn on_random_plans_the_fast_path_and_cel_agree(text in toml_plan()) {
        let arena = plan_model::value::Arena::new();
        let document = plan_model::parse_toml(&text, &arena).unwrap();
        agree(&document);
    }
}
