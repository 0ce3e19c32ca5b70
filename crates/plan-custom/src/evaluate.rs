//! Checking a plan against a custom rule: each entry of its collection (or the plan once),
//! `when` then `assert`, and the message of each entry that fails.
//!
//! Each entry is checked first by plan-lint's fast path (`direct`), over the parsed
//! document; what it defers, cel's interpreter checks, over CEL values of the plan built only
//! then: a plan whose entries the fast path answers builds no CEL value at all.

use crate::definition::CustomRule;
use crate::direct::{Defer, Evaluation, PlanView};
use crate::expression::{Expression, Template, TemplatePart};
use crate::values::Datum;
use cel::common::types::{CelList, CelMap, CelMapKey};
use cel::common::value::{CowVal, Val};
use cel::context::VariableResolver;
use cel::objects::KeyRef;
use cel::{Context, Value as Cel};
use plan_model::Span;
use plan_model::value::{Kind, Value};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

/// What checking one entry found.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The assertion is false: the rule's finding.
    Failed(Hit),
    /// An expression could not be evaluated on this entry (a type error on odd data): a
    /// `custom-rule-error` finding, the run goes on.
    Error(Hit),
}

/// Where and what.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub span: Span,
    /// The logical path: `raid[R-3].due`, or `plan` for a rule over the whole plan.
    pub path: String,
    pub message: String,
    pub help: Option<String>,
}

/// How an example went: what the rule found that it did not expect, and what it expected
/// that the rule did not find. It passes when both are empty.
#[derive(Debug, Clone, PartialEq)]
pub struct ExampleResult {
    pub unexpected: Vec<Outcome>,
    pub missing: Vec<crate::definition::Expected>,
}

impl ExampleResult {
    pub fn passed(&self) -> bool {
        self.unexpected.is_empty() && self.missing.is_empty()
    }
}

/// Check a rule's example: its plan, parsed as TOML, on its own date (else `today`). An error
/// evaluating the rule is always unexpected; a plan that is not valid TOML is an `Err`.
pub fn run_example(
    rule: &CustomRule,
    example: &crate::definition::Example,
    today: jiff::civil::Date,
) -> Result<ExampleResult, String> {
    let arena = plan_model::value::Arena::new();
    let document = plan_model::parse_toml(&example.plan, &arena)
        .map_err(|error| format!("the example's plan is not valid TOML: {}", error.message))?;
    let today = example.today.unwrap_or(today);
    let mut missing = example.expect.clone();
    let mut unexpected = Vec::new();
    for outcome in check(rule, &document, today) {
        let hit = match &outcome {
            Outcome::Failed(hit) => Some(hit),
            Outcome::Error(_) => None,
        };
        let matched = hit.and_then(|hit| {
            missing.iter().position(|expected| {
                expected.path == hit.path
                    && expected
                        .message
                        .as_ref()
                        .is_none_or(|message| *message == hit.message)
            })
        });
        match matched {
            Some(index) => {
                missing.remove(index);
            }
            None => unexpected.push(outcome),
        }
    }
    Ok(ExampleResult {
        unexpected,
        missing,
    })
}

/// Check one plan (its document's value tree) against one rule, on `today`.
pub fn check(rule: &CustomRule, document: &Value<'_>, today: jiff::civil::Date) -> Vec<Outcome> {
    check_all(&[rule], document, today, None)
        .pop()
        .unwrap_or_default()
}

/// What checking a target came to, in order: a finding, or a target left to cel. Targets
/// with nothing to report leave nothing.
enum Slot<'a> {
    Found(Outcome),
    Deferred(Target<'a>),
}

/// What a rule is checked on: an entry of its collection, or the plan.
struct Target<'a> {
    /// The entry as expressions see it; `None` for the plan.
    entry: Option<Datum<'a>>,
    /// Its place in the collection.
    index: usize,
    /// The entry (or the plan) as written, for locations.
    written: &'a Value<'a>,
    /// The collection, for the entry's logical path.
    collection: Option<&'a str>,
    today: jiff::civil::Date,
}

impl Target<'_> {
    /// `raid[R-3]` (`raid[2]` for an entry without an id); empty for the plan, as built-in
    /// rules have it for the whole file. Made only for an outcome.
    fn path(&self) -> String {
        let id = self
            .entry
            .as_ref()
            .and_then(|entry| entry.field("id", self.today));
        match (self.collection, id) {
            (None, _) => String::new(),
            (Some(collection), Some(Datum::Text(id))) => format!("{collection}[{id}]"),
            (Some(collection), _) => format!("{collection}[{}]", self.index),
        }
    }
}

/// Check one plan against several rules: the outcomes of each, in order. `keys`: the plan's
/// top-level tables the rules read (`plan_keys`), or `None` for all; only those become CEL
/// values if cel's interpreter is needed.
pub fn check_all<'a>(
    rules: &[&'a CustomRule],
    document: &'a Value<'a>,
    today: jiff::civil::Date,
    keys: Option<&BTreeSet<String>>,
) -> Vec<Vec<Outcome>> {
    check_all_by(Evaluator::FastPathFirst, rules, document, today, keys)
}

/// Which evaluator checks a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Evaluator {
    /// The fast path, and cel for what it defers: how plans are checked.
    FastPathFirst,
    /// Cel alone: the reference the tests hold the fast path to.
    #[cfg_attr(not(test), allow(dead_code))]
    CelOnly,
}

fn check_all_by<'a>(
    evaluator: Evaluator,
    rules: &[&'a CustomRule],
    document: &'a Value<'a>,
    today: jiff::civil::Date,
    keys: Option<&BTreeSet<String>>,
) -> Vec<Vec<Outcome>> {
    let view = PlanView::new(document, today);
    let mut deferred = false;
    let mut slots: Vec<Vec<Slot<'a>>> = rules
        .iter()
        .map(|rule| {
            let mut slots = Vec::new();
            for target in targets(rule, &view, document) {
                let answer = match evaluator {
                    Evaluator::FastPathFirst => check_directly(rule, &view, &target),
                    Evaluator::CelOnly => Err(Defer),
                };
                match answer {
                    Ok(None) => {}
                    Ok(Some(outcome)) => slots.push(Slot::Found(outcome)),
                    Err(Defer) => {
                        deferred = true;
                        slots.push(Slot::Deferred(target));
                    }
                }
            }
            slots
        })
        .collect();
    if deferred {
        check_with_cel(rules, &mut slots, document, today, keys);
    }
    slots
        .into_iter()
        .map(|slots| {
            slots
                .into_iter()
                .filter_map(|slot| match slot {
                    Slot::Found(outcome) => Some(outcome),
                    Slot::Deferred(_) => None,
                })
                .collect()
        })
        .collect()
}

/// The entries of a rule's collection, or the plan.
fn targets<'v, 'a>(
    rule: &CustomRule,
    view: &'v PlanView<'a>,
    document: &'a Value<'a>,
) -> impl Iterator<Item = Target<'a>> + 'v {
    let today = view.today();
    let (collection, entries) = match rule.for_each.collection() {
        None => (None, None),
        Some(collection) => (Some(collection), view.entries(collection)),
    };
    let plan = collection.is_none().then_some(Target {
        entry: None,
        index: 0,
        written: document,
        collection: None,
        today,
    });
    let entries =
        entries
            .into_iter()
            .flatten()
            .enumerate()
            .map(move |(index, (entry, written))| Target {
                entry: Some(entry),
                index,
                written,
                collection,
                today,
            });
    plan.into_iter().chain(entries)
}

/// The fast path's outcome for one target, or `Defer` when cel must say.
fn check_directly<'a>(
    rule: &'a CustomRule,
    view: &PlanView<'a>,
    target: &Target<'a>,
) -> Result<Option<Outcome>, Defer> {
    let mut evaluation = Evaluation::new(view, target.entry.clone());
    let mut truth = |expression: &'a Expression| match &expression.direct {
        Some(node) => match evaluation.eval(node)? {
            Datum::Bool(b) => Ok(b),
            _ => Err(Defer),
        },
        None => Err(Defer),
    };
    if let Some(when) = &rule.when
        && !truth(when)?
    {
        return Ok(None);
    }
    if truth(&rule.assert)? {
        return Ok(None);
    }
    let mut render = |template: &'a Template| {
        let mut text = String::new();
        for part in &template.parts {
            match part {
                TemplatePart::Text(literal) => text.push_str(literal),
                TemplatePart::Expression(expression, _) => {
                    let node = expression.direct.as_ref().ok_or(Defer)?;
                    crate::direct::show(&evaluation.eval(node)?, &mut text)?;
                }
            }
        }
        Ok(text)
    };
    let message = render(&rule.message)?;
    let help = rule.help.as_ref().map(&mut render).transpose()?;
    Ok(Some(failure(rule, target, message, help)))
}

/// The finding of a rule whose assertion is false on a target.
fn failure(
    rule: &CustomRule,
    target: &Target<'_>,
    message: String,
    help: Option<String>,
) -> Outcome {
    let entry = target.written;
    let at = rule.at.as_deref();
    let path = target.path();
    let path = match at {
        Some(key) if key_path(entry, key).is_some() && path.is_empty() => key.to_owned(),
        Some(key) if key_path(entry, key).is_some() => format!("{path}.{key}"),
        _ => path,
    };
    Outcome::Failed(Hit {
        span: place(entry, at),
        path,
        message,
        help,
    })
}

/// Answer what the fast path deferred with cel's interpreter.
///
/// The plan is turned into the interpreter's values once, and every variable is lent to the
/// expressions by a resolver rather than bound by copy: binding `entry` by value would copy
/// the entry for every rule, and the plan for every plan, into new maps.
fn check_with_cel<'a>(
    rules: &[&'a CustomRule],
    slots: &mut [Vec<Slot<'a>>],
    document: &'a Value<'a>,
    today: jiff::civil::Date,
    keys: Option<&BTreeSet<String>>,
) {
    let scope = PlanScope::new(document, today, keys);
    let (Ok(plan), Ok(today)) = (
        Box::<dyn Val>::try_from(scope.plan.clone()),
        Box::<dyn Val>::try_from(scope.today.clone()),
    ) else {
        return;
    };
    let variables = PlanVariables {
        plan: &*plan,
        today: &*today,
    };
    let mut context = Context::with_env(standard_library());
    context.set_variable_resolver(&variables);
    add_helpers(&mut context, &scope);
    // Each collection's entries as the interpreter sees them, borrowed from `plan`.
    let mut collections: HashMap<&str, Vec<EntryVariable<'_>>> = HashMap::new();
    for (rule, slots) in rules.iter().zip(slots) {
        for slot in slots.iter_mut() {
            let Slot::Deferred(target) = slot else {
                continue;
            };
            let outcome = match rule.for_each.collection() {
                None => check_one(rule, &context, target),
                Some(collection) => {
                    let entries = collections
                        .entry(collection)
                        .or_insert_with(|| entry_variables(&*plan, collection));
                    entries.get(target.index).and_then(|entry| {
                        let mut inner = context.new_inner_scope();
                        inner.set_variable_resolver(entry);
                        check_one(rule, &inner, target)
                    })
                }
            };
            if let Some(outcome) = outcome {
                *slot = Slot::Found(outcome);
            }
        }
    }
}

/// The variables every expression of a plan sees in cel's interpreter.
struct PlanScope {
    plan: Cel,
    today: Cel,
    /// Everyone the plan names in `[people]`, for `has_person`.
    people: Arc<HashSet<String>>,
}

impl PlanScope {
    fn new(
        document: &Value<'_>,
        today: jiff::civil::Date,
        keys: Option<&BTreeSet<String>>,
    ) -> PlanScope {
        let plan = crate::values::plan_value(document, today, keys);
        let mut people = HashSet::new();
        if let Some(Cel::Map(table)) = field(&plan, "people") {
            for key in ["delivery_lead", "problem_owner", "team", "stakeholders"] {
                match table.get(&KeyRef::String(key)) {
                    Some(Cel::String(name)) => {
                        people.insert(name.to_string());
                    }
                    Some(Cel::List(names)) => {
                        people.extend(names.iter().filter_map(|name| match name {
                            Cel::String(name) => Some(name.to_string()),
                            _ => None,
                        }))
                    }
                    _ => {}
                }
            }
        }
        let today = crate::values::timestamp(today).map_or(Cel::Null, Cel::Timestamp);
        PlanScope {
            plan,
            today,
            people: Arc::new(people),
        }
    }
}

/// A key of a CEL map.
fn field<'c>(map: &'c Cel, key: &str) -> Option<&'c Cel> {
    match map {
        // Looked up by reference: no key is allocated.
        Cel::Map(map) => map.get(&KeyRef::String(key)),
        _ => None,
    }
}

/// CEL's standard library, built once: building it takes longer than checking a plan.
fn standard_library() -> Arc<cel::Env> {
    static LIBRARY: std::sync::LazyLock<Arc<cel::Env>> =
        std::sync::LazyLock::new(|| Arc::new(cel::Env::stdlib()));
    LIBRARY.clone()
}

/// `plan` and `today`, lent to every expression of a plan.
struct PlanVariables<'s> {
    plan: &'s dyn Val,
    today: &'s dyn Val,
}

impl VariableResolver for PlanVariables<'_> {
    fn resolve<'b>(&'b self, variable: &str) -> Option<CowVal<'b, 'b>> {
        match variable {
            "plan" => Some(CowVal::Borrowed(self.plan)),
            "today" => Some(CowVal::Borrowed(self.today)),
            _ => None,
        }
    }
}

/// `entry`, lent to the expressions of a rule over one entry.
struct EntryVariable<'s>(&'s dyn Val);

impl VariableResolver for EntryVariable<'_> {
    fn resolve<'b>(&'b self, variable: &str) -> Option<CowVal<'b, 'b>> {
        (variable == "entry").then_some(CowVal::Borrowed(self.0))
    }
}

/// The entries of one of the plan's collections, borrowed from the plan's value.
fn entry_variables<'s>(plan: &'s dyn Val, collection: &'s str) -> Vec<EntryVariable<'s>> {
    let Some(map) = plan.downcast_ref::<CelMap>() else {
        return Vec::new();
    };
    let Some(list) = map
        .inner()
        .get(&CelMapKey::from(collection))
        .and_then(|entries| entries.downcast_ref::<CelList>())
    else {
        return Vec::new();
    };
    list.inner()
        .iter()
        .map(|entry| EntryVariable(&**entry))
        .collect()
}

fn check_one(rule: &CustomRule, context: &Context<'_, '_>, target: &Target<'_>) -> Option<Outcome> {
    let entry = target.written;
    let path = target.path();
    let error = |expression: &str, why: String| {
        Some(Outcome::Error(Hit {
            span: place(entry, None),
            path: path.clone(),
            message: format!(
                "custom rule `{}` could not be checked here: `{expression}` {why}",
                rule.name
            ),
            help: Some(
                "make the expression handle this value (`has()`, `type()`), or correct the plan"
                    .into(),
            ),
        }))
    };
    if let Some(when) = &rule.when {
        match truth(when, context) {
            Ok(true) => {}
            Ok(false) => return None,
            Err(why) => return error(&when.source, why),
        }
    }
    match truth(&rule.assert, context) {
        Ok(true) => None,
        Ok(false) => {
            let message = match render(&rule.message, context) {
                Ok(message) => message,
                Err(why) => return error("message", why),
            };
            let help = match rule
                .help
                .as_ref()
                .map(|help| render(help, context))
                .transpose()
            {
                Ok(help) => help,
                Err(why) => return error("help", why),
            };
            Some(failure(rule, target, message, help))
        }
        Err(why) => error(&rule.assert.source, why),
    }
}

fn truth(expression: &Expression, context: &Context<'_, '_>) -> Result<bool, String> {
    match expression.program.execute(context) {
        Ok(Cel::Bool(value)) => Ok(value),
        Ok(other) => Err(format!(
            "gave {} where true or false was needed",
            describe(&other)
        )),
        Err(error) => Err(format!("failed: {error}")),
    }
}

fn render(template: &Template, context: &Context<'_, '_>) -> Result<String, String> {
    let mut text = String::new();
    for part in &template.parts {
        match part {
            TemplatePart::Text(literal) => text.push_str(literal),
            TemplatePart::Expression(expression, _) => match expression.program.execute(context) {
                Ok(value) => text.push_str(&shown(&value)),
                Err(error) => {
                    return Err(format!(
                        "failed in `{{{{{}}}}}`: {error}",
                        expression.source
                    ));
                }
            },
        }
    }
    Ok(text)
}

/// A value in a message: dates as the plan writes them.
fn shown(value: &Cel) -> String {
    match value {
        Cel::String(text) => text.to_string(),
        Cel::Int(n) => n.to_string(),
        Cel::UInt(n) => n.to_string(),
        Cel::Float(x) => x.to_string(),
        Cel::Bool(b) => b.to_string(),
        Cel::Timestamp(at) => at.format("%Y-%m-%d").to_string(),
        Cel::Duration(length) => format!("{} days", length.num_days()),
        Cel::Null => "null".into(),
        Cel::List(items) => items.iter().map(shown).collect::<Vec<_>>().join(", "),
        other => describe(other),
    }
}

fn describe(value: &Cel) -> String {
    format!("{:?}", value.type_of()).to_lowercase()
}

/// plan-lint's helpers (docs/custom-rules.md); `expression::HELPERS` lists them.
fn add_helpers(context: &mut Context<'_, '_>, scope: &PlanScope) {
    type Timestamp = chrono::DateTime<chrono::FixedOffset>;
    // Whole days from the first date to the second (negative when the second is earlier).
    let _ = context.add_function("days_between", |from: Timestamp, to: Timestamp| -> i64 {
        (to - from).num_days()
    });
    // Whether the plan's `[people]` names this person.
    let people = scope.people.clone();
    let _ = context.add_function("has_person", move |name: Arc<String>| -> bool {
        people.contains(name.as_str())
    });
    // The entry of a collection with this id (the first, if ids repeat), or null. Looked up
    // in an index made on the first call for the plan: a rule calling it for every entry costs
    // in proportion to the plan, not its square.
    let index = Arc::new(Index::new(scope.plan.clone()));
    let by_id = index.clone();
    let _ = context.add_function(
        "entry_by_id",
        move |collection: Arc<String>, id: Arc<String>| -> Cel {
            by_id.first(&collection, "id", &id).unwrap_or(Cel::Null)
        },
    );
    // Whether an entry of a collection has this value at this key: `has_entry('backlog',
    // 'milestone', entry.id)`. Indexed as `entry_by_id` is.
    let _ = context.add_function(
        "has_entry",
        move |collection: Arc<String>, key: Arc<String>, value: Arc<String>| -> bool {
            index.first(&collection, &key, &value).is_some()
        },
    );
}

/// The entries of a plan's collections by the text at one of their keys, made for each
/// (collection, key) on first use.
struct Index {
    plan: Cel,
    made: std::sync::Mutex<HashMap<(String, String), HashMap<String, Cel>>>,
}

impl Index {
    fn new(plan: Cel) -> Index {
        Index {
            plan,
            made: std::sync::Mutex::new(HashMap::new()),
        }
    }

    /// The first entry of `collection` whose `key` is `value`.
    fn first(&self, collection: &str, key: &str, value: &str) -> Option<Cel> {
        let mut made = self
            .made
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let entries = made
            .entry((collection.to_owned(), key.to_owned()))
            .or_insert_with(|| {
                let mut entries = HashMap::new();
                if let Some(Cel::List(list)) = field(&self.plan, collection) {
                    for entry in list.iter() {
                        if let Some(Cel::String(text)) = field(entry, key) {
                            entries
                                .entry(text.to_string())
                                .or_insert_with(|| entry.clone());
                        }
                    }
                }
                entries
            });
        entries.get(value).cloned()
    }
}

fn key_value<'v>(table: &'v Value<'v>, key: &str) -> Option<&'v Value<'v>> {
    match &table.kind {
        Kind::Table(table) => table
            .entries
            .iter()
            .find(|entry| entry.key == key)
            .map(|entry| &entry.value),
        _ => None,
    }
}

/// The value at a dotted key (`people.problem_owner`) inside a table.
fn key_path<'v>(table: &'v Value<'v>, dotted: &str) -> Option<&'v Value<'v>> {
    dotted
        .split('.')
        .try_fold(table, |value, key| key_value(value, key))
}

/// The `at` key's value when the entry has it, else the entry (its header, or the opening
/// brace of an object, as built-in rules point at an entry).
fn place(entry: &Value<'_>, at: Option<&str>) -> Span {
    at.and_then(|key| key_path(entry, key))
        .map_or(entry.anchor(), |value| value.span)
}

/// One expression evaluated by cel's interpreter alone, on the plan or on one entry of a
/// collection: the reference the fast path is tested against.
#[cfg(test)]
pub(crate) fn cel_evaluate(
    expression: &Expression,
    document: &Value<'_>,
    today: jiff::civil::Date,
    entry: Option<(&str, usize)>,
) -> Result<Cel, String> {
    let scope = PlanScope::new(document, today, None);
    let plan = Box::<dyn Val>::try_from(scope.plan.clone()).map_err(|e| e.to_string())?;
    let today = Box::<dyn Val>::try_from(scope.today.clone()).map_err(|e| e.to_string())?;
    let variables = PlanVariables {
        plan: &*plan,
        today: &*today,
    };
    let mut context = Context::with_env(standard_library());
    context.set_variable_resolver(&variables);
    add_helpers(&mut context, &scope);
    let result = match entry {
        None => expression.program.execute(&context),
        Some((collection, index)) => {
            let entries = entry_variables(&*plan, collection);
            let mut inner = context.new_inner_scope();
            inner.set_variable_resolver(&entries[index]);
            expression.program.execute(&inner)
        }
    };
    result.map_err(|error| error.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULE: &str = r#"
[[custom_rules]]
code = "ORG001"
name = "critical-risk-weekly"
summary = "Critical risks are due within a week"
for_each = "raid"
when = "entry.severity == 'critical'"
assert = "has(entry.due) && days_between(today, entry.due) <= 7"
at = "due"
message = "{{entry.id}} is critical but due {{has(entry.due) ? entry.due : 'never'}}"
help = "bring {{entry.id}} forward"
"#;

    const PLAN: &str = r#"
[[raid]]
id = "R-1"
severity = "critical"
due = 2026-12-20

[[raid]]
id = "R-2"
severity = "critical"
due = 2026-12-05

[[raid]]
id = "R-3"
severity = "low"
due = 2027-06-01

[[raid]]
id = "R-4"
severity = "critical"

[[raid]]
id = "R-5"
severity = "critical"
due = "soon"
"#;

    fn rule() -> CustomRule {
        let mut rules = crate::rules_of(RULE);
        rules.remove(0)
    }

    #[test]
    fn each_entry_is_checked_when_it_applies_and_failures_point_at_the_key() {
        let arena = plan_model::value::Arena::new();
        let document = plan_model::parse_toml(PLAN, &arena).unwrap();
        let today = jiff::civil::date(2026, 12, 2);
        let outcomes = check(&rule(), &document, today);
        let text = |span: Span| &PLAN[span.start..span.end];
        let [Outcome::Failed(r1), Outcome::Failed(r4), Outcome::Error(r5)] = outcomes.as_slice()
        else {
            panic!("{outcomes:#?}")
        };
        // 18 days away: too late.
        assert_eq!(r1.message, "R-1 is critical but due 2026-12-20");
        assert_eq!(r1.help.as_deref(), Some("bring R-1 forward"));
        assert_eq!(
            (r1.path.as_str(), text(r1.span)),
            ("raid[R-1].due", "2026-12-20")
        );
        // No `due` to point at: the entry, at its header as built-in rules do.
        assert_eq!(r4.message, "R-4 is critical but due never");
        assert_eq!(r4.path, "raid[R-4]");
        let fourth_header = PLAN.match_indices("[[raid]]").nth(3).unwrap().0;
        assert_eq!((text(r4.span), r4.span.start), ("[[raid]]", fourth_header));
        // A string where a date is expected: the rule cannot be checked on this entry.
        assert_eq!(r5.path, "raid[R-5]");
        assert!(
            r5.message
                .starts_with("custom rule `critical-risk-weekly` could not be checked here"),
            "{}",
            r5.message
        );
    }

    const EXAMPLES: &str = r#"
[[custom_rules.examples]]
name = "a critical risk due in three weeks"
today = 2026-12-02
plan = """
[[raid]]
id = "R-1"
severity = "critical"
due = 2026-12-23
"""
expect = [{ path = "raid[R-1].due", message = "R-1 is critical but due 2026-12-23" }]

[[custom_rules.examples]]
plan = """
[[raid]]
id = "R-2"
severity = "low"
"""
expect = []

[[custom_rules.examples]]
plan = """
[[raid]]
id = "R-3"
severity = "critical"
"""
expect = ["raid[R-9]"]
"#;

    #[test]
    fn examples_pass_when_the_rule_finds_exactly_what_they_expect() {
        let config = format!("{RULE}{EXAMPLES}");
        let rules = crate::rules_of(&config);
        let rule = &rules[0];
        assert_eq!(rule.examples.len(), 3);
        let today = jiff::civil::date(2027, 1, 1);
        let results: Vec<ExampleResult> = rule
            .examples
            .iter()
            .map(|example| run_example(rule, example, today).unwrap())
            .collect();
        assert!(results[0].passed(), "{:?}", results[0]);
        assert!(results[1].passed(), "{:?}", results[1]);
        // R-3 is found (no due date) where R-9 was expected.
        assert!(!results[2].passed());
        assert_eq!(results[2].missing[0].path, "raid[R-9]");
        let [Outcome::Failed(found)] = results[2].unexpected.as_slice() else {
            panic!("{:?}", results[2])
        };
        assert_eq!(found.path, "raid[R-3]");
    }

    #[test]
    fn the_helpers_see_the_plan() {
        let arena = plan_model::value::Arena::new();
        let text = "[people]\ndelivery_lead = \"ana\"\nteam = [\"bo\"]\n[review]\ncadence = \"2 weeks\"\n[[milestones]]\nid = \"M1\"\ntitle = \"Pilot\"\n";
        let document = plan_model::parse_toml(text, &arena).unwrap();
        let scope = PlanScope::new(&document, jiff::civil::date(2026, 12, 2), None);
        let mut context = Context::default();
        add_helpers(&mut context, &scope);
        context.add_variable_from_value("plan", scope.plan.clone());
        let eval = |source: &str| {
            cel::Program::compile(source)
                .unwrap()
                .execute(&context)
                .unwrap()
        };
        assert_eq!(
            eval("has_person('ana') && has_person('bo') && !has_person('cy')"),
            Cel::Bool(true)
        );
        assert_eq!(
            eval("entry_by_id('milestones', 'M1').title"),
            Cel::String(Arc::new("Pilot".into()))
        );
        assert_eq!(
            eval("entry_by_id('milestones', 'M9') == null"),
            Cel::Bool(true)
        );
        assert_eq!(
            eval(
                "days_between(timestamp('2026-12-02T00:00:00Z'), timestamp('2026-11-25T00:00:00Z'))"
            ),
            Cel::Int(-7)
        );
        assert_eq!(
            eval("plan.review.cadence == duration('336h')"),
            Cel::Bool(true)
        );
    }

    #[test]
    fn a_rule_over_the_plan_is_checked_once() {
        let config = RULE
            .replace("for_each = \"raid\"", "for_each = \"plan\"")
            .replace("when = \"entry.severity == 'critical'\"", "")
            .replace(
                "assert = \"has(entry.due) && days_between(today, entry.due) <= 7\"",
                "assert = \"plan.raid.all(r, has(r.due))\"",
            )
            .replace(
                "{{entry.id}} is critical but due {{has(entry.due) ? entry.due : 'never'}}",
                "{{plan.raid.filter(r, !has(r.due)).map(r, r.id)}} lack a due date",
            )
            .replace("bring {{entry.id}} forward", "give every entry a due date");
        let rules = crate::rules_of(&config);
        let arena = plan_model::value::Arena::new();
        let document = plan_model::parse_toml(PLAN, &arena).unwrap();
        let outcomes = check(&rules[0], &document, jiff::civil::date(2026, 12, 2));
        let [Outcome::Failed(hit)] = outcomes.as_slice() else {
            panic!("{outcomes:#?}")
        };
        assert_eq!(
            (hit.message.as_str(), hit.path.as_str()),
            ("R-4 lack a due date", "")
        );
    }

    #[test]
    fn a_scope_of_only_the_tables_the_rule_reads_gives_the_same_outcomes() {
        let arena = plan_model::value::Arena::new();
        let text = format!("[timeline]\nstart = 2026-01-05\n{PLAN}");
        let document = plan_model::parse_toml(&text, &arena).unwrap();
        let today = jiff::civil::date(2026, 12, 2);
        let rule = rule();
        let keys = rule.plan_keys();
        assert_eq!(keys.iter().flatten().collect::<Vec<_>>(), ["raid"]);
        let narrow = PlanScope::new(&document, today, keys.as_ref());
        assert!(field(&narrow.plan, "timeline").is_none());
        assert!(field(&narrow.plan, "raid").is_some());
        let whole = PlanScope::new(&document, today, None);
        assert!(field(&whole.plan, "timeline").is_some());
        assert_eq!(
            check_all(&[&rule], &document, today, keys.as_ref()),
            check_all(&[&rule], &document, today, None)
        );
    }

    const SHOWING: &str = r#"
[[custom_rules]]
code = "TST001"
name = "shows-dates-and-lengths"
summary = "s"
for_each = "raid"
assert = "false"
message = "{{entry.id}} due {{has(entry.due) ? entry.due : 'never'}}, {{has(entry.due) ? entry.due - today : duration('0s')}} away; review every {{has(plan.review.cadence) ? plan.review.cadence : 'when asked'}}, next {{has(plan.review.next) ? plan.review.next : 'never'}}"
help = "{{has(entry.owner) ? entry.owner : null}}: {{[1, 2.5, true, 'x']}}"

[[custom_rules]]
code = "TST002"
name = "shows-lists-and-shares"
summary = "s"
for_each = "resources"
when = "has(entry.allocation)"
assert = "entry.allocation > 2.0"
message = "{{entry.person}} at {{entry.allocation}} of {{plan.people.team}} ({{size(plan.people.team)}})"
"#;

    /// The starter pack's rules on the example plans: the same outcomes, to the letter,
    /// whether the fast path answers or cel alone does.
    #[test]
    fn the_starter_pack_finds_the_same_with_or_without_the_fast_path() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
        let mut rules = Vec::new();
        for file in std::fs::read_dir(root.join("rules")).unwrap() {
            let text = std::fs::read_to_string(file.unwrap().path()).unwrap();
            rules.extend(crate::rules_of(&text));
        }
        assert_eq!(rules.len(), 7);
        // And messages showing values of every kind.
        rules.extend(crate::rules_of(SHOWING));
        let rules: Vec<&CustomRule> = rules.iter().collect();
        let mut found = 0;
        for file in std::fs::read_dir(&root).unwrap() {
            let path = file.unwrap().path();
            let format = match path.extension().and_then(|e| e.to_str()) {
                Some("toml") if path.to_string_lossy().ends_with(".plan.toml") => {
                    plan_model::Format::Toml
                }
                Some("json") => plan_model::Format::Json,
                _ => continue,
            };
            let text = std::fs::read_to_string(&path).unwrap();
            let arena = plan_model::value::Arena::new();
            let parsed = plan_model::parse("plan", format, text, &arena);
            let document = parsed.plan.as_ref().and_then(|plan| plan.document).unwrap();
            for today in [
                jiff::civil::date(2026, 11, 25),
                jiff::civil::date(2027, 6, 1),
            ] {
                let fast = check_all(&rules, document, today, None);
                let reference = check_all_by(Evaluator::CelOnly, &rules, document, today, None);
                assert_eq!(fast, reference, "{}", path.display());
                found += fast.iter().map(Vec::len).sum::<usize>();
                // The messages are the fast path's, not cel's twice over.
                let view = PlanView::new(document, today);
                for rule in &rules[7..] {
                    let shown = targets(rule, &view, document)
                        .filter(|target| matches!(check_directly(rule, &view, target), Ok(Some(_))))
                        .count();
                    assert!(shown > 0, "{} on {}", rule.name, path.display());
                }
            }
        }
        assert!(found > 5, "the rules fire on the examples: {found}");
    }
}
