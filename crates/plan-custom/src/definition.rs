//! A custom rule's definition, read from a `[[custom_rules]]` table of the config.

use crate::expression::{Expression, ExpressionProblem, Template, TemplatePart};
use plan_model::Span;
use plan_model::value::{Entry, Kind, Table, Value};
use plan_rules::Severity;
use std::collections::BTreeSet;

/// What a rule is checked over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ForEach {
    Plan,
    Raid,
    Milestones,
    Backlog,
    Resources,
    Raci,
    Mechanisms,
}

impl ForEach {
    pub const ALL: [(&'static str, ForEach); 7] = [
        ("plan", ForEach::Plan),
        ("raid", ForEach::Raid),
        ("milestones", ForEach::Milestones),
        ("backlog", ForEach::Backlog),
        ("resources", ForEach::Resources),
        ("raci", ForEach::Raci),
        ("mechanisms", ForEach::Mechanisms),
    ];

    /// The collection a rule over entries goes through (`raid`), or `None` for the plan.
    pub fn collection(self) -> Option<&'static str> {
        ForEach::ALL
            .iter()
            .find(|(_, each)| *each == self && self != ForEach::Plan)
            .map(|(name, _)| *name)
    }

    /// The variables its expressions see.
    pub fn variables(self) -> &'static [&'static str] {
        match self {
            ForEach::Plan => &["plan", "today"],
            _ => &["plan", "entry", "today"],
        }
    }
}

/// A custom rule, checked and compiled.
#[derive(Debug)]
pub struct CustomRule {
    pub code: String,
    pub name: String,
    pub severity: Severity,
    pub summary: String,
    pub description: Option<String>,
    pub why: Option<String>,
    pub for_each: ForEach,
    pub when: Option<Expression>,
    pub assert: Expression,
    /// The key to point at, in the entry (or the plan's table); the entry itself when absent.
    pub at: Option<String>,
    pub message: Template,
    pub help: Option<Template>,
    /// `[[custom_rules.examples]]`: plans and the findings the rule must make in them.
    pub examples: Vec<Example>,
    /// Where the rule's table is in the config.
    pub span: Span,
}

/// An example of a rule: a plan (TOML text) and the findings it must produce (`expect = []`
/// for a plan the rule passes).
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    pub name: Option<String>,
    pub plan: String,
    /// The date the example is checked on; the run's when absent.
    pub today: Option<jiff::civil::Date>,
    pub expect: Vec<Expected>,
    /// Where the example's table is in the config.
    pub span: Span,
}

/// A finding an example expects: its logical path (`raid[R-1].due`), and its message when
/// given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expected {
    pub path: String,
    pub message: Option<String>,
}

impl CustomRule {
    /// The plan's top-level tables its expressions read, or `None` when they may read any.
    pub fn plan_keys(&self) -> Option<BTreeSet<String>> {
        let mut keys = BTreeSet::new();
        keys.extend(self.for_each.collection().map(str::to_owned));
        let templates = std::iter::once(&self.message).chain(self.help.as_ref());
        let parts = templates
            .flat_map(|template| &template.parts)
            .filter_map(|part| match part {
                TemplatePart::Expression(expression, _) => Some(expression),
                TemplatePart::Text(_) => None,
            });
        for expression in self.when.iter().chain([&self.assert]).chain(parts) {
            keys.extend(expression.plan_keys.clone()?);
        }
        Some(keys)
    }
}

/// The plan's top-level tables any of `rules` reads, or `None` when one may read any.
pub fn plan_keys<'r>(rules: impl IntoIterator<Item = &'r CustomRule>) -> Option<BTreeSet<String>> {
    let mut keys = BTreeSet::new();
    for rule in rules {
        keys.extend(rule.plan_keys()?);
    }
    Some(keys)
}

/// What is wrong with a rule's definition, at its place in the config file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub span: Span,
    pub message: String,
    pub label: &'static str,
    pub help: Option<String>,
}

const EXAMPLE_KEYS: [&str; 4] = ["name", "plan", "today", "expect"];

const KEYS: [&str; 13] = [
    "code",
    "name",
    "severity",
    "summary",
    "description",
    "why",
    "for_each",
    "when",
    "assert",
    "at",
    "message",
    "help",
    "examples",
];

/// Read a `custom_rules` array (`text` is its file's text, for placing problems inside
/// expressions). Codes and names must differ from the built-in rules', from each other's and
/// from those of `earlier` rules (read from other files). Every rule is checked, so one run
/// shows every problem.
pub fn read_custom_rules(
    entry: &Entry<'_>,
    text: &str,
    earlier: &[&CustomRule],
) -> (Vec<CustomRule>, Vec<Problem>) {
    let mut reader = Reader {
        text,
        problems: Vec::new(),
    };
    let Kind::Array(tables) = &entry.value.kind else {
        reader.problem(
            entry.value.span,
            format!(
                "`custom_rules` must be an array of tables, found {}",
                entry.value.kind.describe()
            ),
            "not an array of tables",
            Some("write each rule as a `[[custom_rules]]` table".into()),
        );
        return (Vec::new(), reader.problems);
    };
    let mut rules: Vec<CustomRule> = Vec::new();
    for value in tables.iter() {
        let Some(rule) = reader.rule(value) else {
            continue;
        };
        let others = || earlier.iter().copied().chain(&rules);
        let code_taken = others().any(|other| other.code == rule.code)
            || plan_rules::rule_by_name_or_code(&rule.code).is_some();
        let name_taken = others().any(|other| other.name == rule.name)
            || plan_rules::rule_by_name_or_code(&rule.name).is_some();
        if code_taken {
            let at = key_span(value, "code");
            reader.problem(
                at,
                format!("the rule code `{}` is already used", rule.code),
                "used twice",
                Some("every rule has its own code".into()),
            );
        }
        if name_taken {
            let at = key_span(value, "name");
            reader.problem(
                at,
                format!("the rule name `{}` is already used", rule.name),
                "used twice",
                Some("every rule, built-in or custom, has its own name".into()),
            );
        }
        if !code_taken && !name_taken {
            rules.push(rule);
        }
    }
    (rules, reader.problems)
}

fn key_span(value: &Value<'_>, key: &str) -> Span {
    match &value.kind {
        Kind::Table(table) => get(table, key).map_or(value.span, |entry| entry.value.span),
        _ => value.span,
    }
}

fn get<'t>(table: &'t Table<'t>, key: &str) -> Option<&'t Entry<'t>> {
    table.entries.iter().find(|entry| entry.key == key)
}

struct Reader<'t> {
    text: &'t str,
    problems: Vec<Problem>,
}

impl Reader<'_> {
    fn problem(&mut self, span: Span, message: String, label: &'static str, help: Option<String>) {
        self.problems.push(Problem {
            span,
            message,
            label,
            help,
        });
    }

    fn rule(&mut self, value: &Value<'_>) -> Option<CustomRule> {
        let Kind::Table(table) = &value.kind else {
            self.problem(
                value.span,
                format!("a custom rule is a table, found {}", value.kind.describe()),
                "not a table",
                None,
            );
            return None;
        };
        let before = self.problems.len();
        for entry in table.entries {
            if !KEYS.contains(&entry.key) {
                let help = plan_model::unknown_key_help(entry.key, &KEYS);
                self.problem(
                    entry.key_span,
                    format!("unknown key `{}` in a custom rule", entry.key),
                    "unknown key",
                    Some(help),
                );
            }
        }
        let code = self.required_string(table, value.span, "code", "`code = \"ORG001\"`");
        let name = self.required_string(
            table,
            value.span,
            "name",
            "`name = \"critical-risk-weekly\"`",
        );
        let summary = self.required_string(
            table,
            value.span,
            "summary",
            "a one-line summary, as `plan-lint rules` lists it",
        );
        let description = self.optional_string(table, "description");
        let why = self.optional_string(table, "why");
        if let (Some(code), Some(entry)) = (&code, get(table, "code")) {
            self.check_code(code, entry.value.span);
        }
        if let (Some(name), Some(entry)) = (&name, get(table, "name")) {
            self.check_name(name, entry.value.span);
        }
        let severity = match get(table, "severity") {
            None => Some(Severity::Warning),
            Some(entry) => match &entry.value.kind {
                Kind::String(text) if Severity::parse(text).is_some() => Severity::parse(text),
                _ => {
                    self.problem(
                        entry.value.span,
                        "`severity` must be \"error\", \"warning\" or \"note\"".into(),
                        "not a severity",
                        None,
                    );
                    None
                }
            },
        };
        let for_each = match get(table, "for_each") {
            None => Some(ForEach::Plan),
            Some(entry) => {
                let found = match &entry.value.kind {
                    Kind::String(text) => ForEach::ALL
                        .iter()
                        .find(|(name, _)| name == text)
                        .map(|(_, each)| *each),
                    _ => None,
                };
                if found.is_none() {
                    let names: Vec<&str> = ForEach::ALL.iter().map(|(name, _)| *name).collect();
                    let help = match &entry.value.kind {
                        Kind::String(text) => plan_model::did_you_mean(text, names.iter().copied())
                            .map(|close| format!("did you mean `{close}`?")),
                        _ => None,
                    }
                    .unwrap_or_else(|| {
                        format!(
                            "one of {}",
                            names
                                .iter()
                                .map(|n| format!("\"{n}\""))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    });
                    self.problem(
                        entry.value.span,
                        "`for_each` names what the rule is checked over".into(),
                        "not a collection",
                        Some(help),
                    );
                }
                found
            }
        };
        let variables = for_each.unwrap_or(ForEach::Raid).variables();
        let when = get(table, "when").and_then(|entry| self.expression(entry, variables));
        let assert = match get(table, "assert") {
            Some(entry) => self.expression(entry, variables),
            None => {
                self.problem(
                    value.span,
                    "a custom rule needs `assert`, the CEL expression that must be true".into(),
                    "no `assert`",
                    Some("for example `assert = \"has(entry.mitigation)\"`".into()),
                );
                None
            }
        };
        let at = self.optional_string(table, "at");
        let message = match get(table, "message") {
            Some(entry) => self.template(entry, variables),
            None => {
                self.problem(
                    value.span,
                    "a custom rule needs `message`, what its findings say".into(),
                    "no `message`",
                    Some("for example `message = \"{{entry.id}} has no mitigation\"`".into()),
                );
                None
            }
        };
        let help = get(table, "help").and_then(|entry| self.template(entry, variables));
        let examples = get(table, "examples")
            .map(|entry| self.examples(entry))
            .unwrap_or_default();
        if self.problems.len() > before {
            return None;
        }
        Some(CustomRule {
            code: code?,
            name: name?,
            severity: severity?,
            summary: summary?,
            description,
            why,
            for_each: for_each?,
            when,
            assert: assert?,
            at,
            message: message?,
            help,
            examples,
            span: value.span,
        })
    }

    fn examples(&mut self, entry: &Entry<'_>) -> Vec<Example> {
        let Kind::Array(tables) = &entry.value.kind else {
            self.problem(
                entry.value.span,
                "`examples` must be an array of tables".into(),
                "not an array of tables",
                Some("write each example as a `[[custom_rules.examples]]` table".into()),
            );
            return Vec::new();
        };
        tables
            .iter()
            .filter_map(|value| self.example(value))
            .collect()
    }

    fn example(&mut self, value: &Value<'_>) -> Option<Example> {
        let Kind::Table(table) = &value.kind else {
            self.problem(
                value.span,
                format!("an example is a table, found {}", value.kind.describe()),
                "not a table",
                None,
            );
            return None;
        };
        for entry in table.entries {
            if !EXAMPLE_KEYS.contains(&entry.key) {
                let help = plan_model::unknown_key_help(entry.key, &EXAMPLE_KEYS);
                self.problem(
                    entry.key_span,
                    format!("unknown key `{}` in an example", entry.key),
                    "unknown key",
                    Some(help),
                );
            }
        }
        let name = self.optional_string(table, "name");
        let plan = self.required_string(
            table,
            value.span,
            "plan",
            "the plan as TOML text, in a multi-line string",
        )?;
        let today = match get(table, "today").map(|entry| (entry, &entry.value.kind)) {
            None => None,
            Some((_, Kind::Date(date))) => Some(*date),
            Some((entry, _)) => {
                self.problem(
                    entry.value.span,
                    "`today` must be a date such as 2026-12-02".into(),
                    "not a date",
                    None,
                );
                return None;
            }
        };
        let Some(expect) = get(table, "expect") else {
            self.problem(value.span, "an example needs `expect`, the findings the rule must make".into(), "no `expect`", Some("write `expect = []` for a plan the rule passes, or the findings' paths, such as `expect = [\"raid[R-1].due\"]`".into()));
            return None;
        };
        let Kind::Array(items) = &expect.value.kind else {
            self.problem(
                expect.value.span,
                "`expect` must be a list of findings".into(),
                "not a list",
                None,
            );
            return None;
        };
        let mut expected = Vec::new();
        for item in items.iter() {
            match &item.kind {
                Kind::String(path) => expected.push(Expected {
                    path: (*path).to_owned(),
                    message: None,
                }),
                Kind::Table(finding) => {
                    let path = match get(finding, "path").map(|entry| &entry.value.kind) {
                        Some(Kind::String(path)) => (*path).to_owned(),
                        _ => {
                            self.problem(item.span, "an expected finding needs its `path`".into(), "no `path`", Some("for example `{ path = \"raid[R-1].due\", message = \"R-1 is critical\" }`".into()));
                            continue;
                        }
                    };
                    let message = match get(finding, "message").map(|entry| &entry.value.kind) {
                        Some(Kind::String(message)) => Some((*message).to_owned()),
                        _ => None,
                    };
                    expected.push(Expected { path, message });
                }
                other => self.problem(
                    item.span,
                    format!(
                        "an expected finding is a path or a table, found {}",
                        other.describe()
                    ),
                    "not a finding",
                    None,
                ),
            }
        }
        Some(Example {
            name,
            plan,
            today,
            expect: expected,
            span: value.span,
        })
    }

    fn required_string(
        &mut self,
        table: &Table<'_>,
        table_span: Span,
        key: &str,
        example: &str,
    ) -> Option<String> {
        match get(table, key) {
            Some(entry) => match &entry.value.kind {
                Kind::String(text) if !text.trim().is_empty() => Some((*text).to_owned()),
                other => {
                    self.problem(
                        entry.value.span,
                        format!(
                            "`{key}` must be a non-empty string, found {}",
                            other.describe()
                        ),
                        "not a string",
                        Some(format!("write {example}")),
                    );
                    None
                }
            },
            None => {
                self.problem(
                    table_span,
                    format!("a custom rule needs `{key}`"),
                    "incomplete rule",
                    Some(format!("write {example}")),
                );
                None
            }
        }
    }

    fn optional_string(&mut self, table: &Table<'_>, key: &str) -> Option<String> {
        let entry = get(table, key)?;
        match &entry.value.kind {
            Kind::String(text) => Some((*text).to_owned()),
            other => {
                self.problem(
                    entry.value.span,
                    format!("`{key}` must be a string, found {}", other.describe()),
                    "not a string",
                    None,
                );
                None
            }
        }
    }

    fn check_code(&mut self, code: &str, span: Span) {
        let letters = code.bytes().take_while(u8::is_ascii_uppercase).count();
        let well_formed = letters >= 2
            && code.len() > letters
            && code.bytes().skip(letters).all(|b| b.is_ascii_digit());
        if !well_formed {
            self.problem(
                span,
                format!("`{code}` is not a rule code"),
                "not a rule code",
                Some("a code is capital letters then digits, such as `ORG001`".into()),
            );
        } else if code.starts_with("PL") {
            self.problem(span, format!("`{code}` is in plan-lint's own range"), "a built-in code", Some("codes starting with `PL` are plan-lint's; give your rules your own prefix, such as `ORG001`".into()));
        }
    }

    fn check_name(&mut self, name: &str, span: Span) {
        let kebab = name.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        }) && name.starts_with(|c: char| c.is_ascii_lowercase());
        if !kebab {
            self.problem(
                span,
                format!("`{name}` is not a rule name"),
                "not kebab-case",
                Some(
                    "a name is lower-case words joined by `-`, such as `critical-risk-weekly`"
                        .into(),
                ),
            );
        }
    }

    fn expression(&mut self, entry: &Entry<'_>, variables: &[&str]) -> Option<Expression> {
        let Kind::String(source) = &entry.value.kind else {
            self.problem(
                entry.value.span,
                format!(
                    "`{}` must be a CEL expression in a string, found {}",
                    entry.key,
                    entry.value.kind.describe()
                ),
                "not a string",
                None,
            );
            return None;
        };
        match Expression::compile(source, variables) {
            Ok(expression) => Some(expression),
            Err(problem) => {
                self.expression_problem(entry, &problem);
                None
            }
        }
    }

    fn template(&mut self, entry: &Entry<'_>, variables: &[&str]) -> Option<Template> {
        let Kind::String(text) = &entry.value.kind else {
            self.problem(
                entry.value.span,
                format!(
                    "`{}` must be a string, found {}",
                    entry.key,
                    entry.value.kind.describe()
                ),
                "not a string",
                None,
            );
            return None;
        };
        match Template::compile(text, variables) {
            Ok(template) => Some(template),
            Err(problem) => {
                self.expression_problem(entry, &problem);
                None
            }
        }
    }

    /// A problem inside a string value, placed in the config's text where the string's
    /// characters are written as they are read (no escapes); else at the whole string.
    fn expression_problem(&mut self, entry: &Entry<'_>, problem: &ExpressionProblem) {
        let span = entry.value.span;
        let decoded = match &entry.value.kind {
            Kind::String(text) => *text,
            _ => "",
        };
        let raw = self.text.get(span.start..span.end).unwrap_or("");
        let quote = ["\"\"\"", "'''", "\"", "'"].into_iter().find(|quote| {
            raw.starts_with(quote) && raw.ends_with(quote) && raw.len() >= 2 * quote.len()
        });
        let inner = quote.map(|quote| (quote.len(), &raw[quote.len()..raw.len() - quote.len()]));
        let at = match inner {
            // A multi-line string's first newline is not part of its value.
            Some((open, inner)) if inner == decoded => Span {
                start: span.start + open + problem.range.start,
                end: span.start + open + problem.range.end,
            },
            Some((open, inner)) if inner.strip_prefix('\n') == Some(decoded) => Span {
                start: span.start + open + 1 + problem.range.start,
                end: span.start + open + 1 + problem.range.end,
            },
            _ => span,
        };
        self.problem(at, problem.message.clone(), "here", problem.help.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(config: &str) -> (Vec<CustomRule>, Vec<Problem>) {
        let arena = plan_model::value::Arena::new();
        let value = plan_model::parse_toml(config, &arena).unwrap();
        let Kind::Table(table) = &value.kind else {
            panic!("not a table")
        };
        read_custom_rules(get(table, "custom_rules").unwrap(), config, &[])
    }

    fn only_problem(config: &str) -> (Problem, String) {
        let (rules, problems) = read(config);
        assert!(rules.is_empty(), "{rules:?}");
        assert_eq!(problems.len(), 1, "{problems:?}");
        let problem = problems[0].clone();
        let at = config[problem.span.start..problem.span.end].to_owned();
        (problem, at)
    }

    const GOOD: &str = r#"
[[custom_rules]]
code = "ORG001"
name = "critical-risk-weekly"
severity = "error"
summary = "Critical risks are reviewed weekly"
for_each = "raid"
when = "entry.type == 'risk' && entry.severity == 'critical'"
assert = "has(entry.due) && days_between(today, entry.due) <= 7"
at = "due"
message = "{{entry.id}} is critical but due {{entry.due}}"
"#;

    #[test]
    fn a_rule_is_read_with_its_expressions_compiled() {
        let (rules, problems) = read(GOOD);
        assert_eq!(problems, vec![]);
        let rule = &rules[0];
        assert_eq!(
            (rule.code.as_str(), rule.name.as_str()),
            ("ORG001", "critical-risk-weekly")
        );
        assert_eq!(
            (rule.severity, rule.for_each),
            (Severity::Error, ForEach::Raid)
        );
        assert!(rule.when.is_some());
        assert_eq!(rule.at.as_deref(), Some("due"));
        assert_eq!(rule.message.parts.len(), 3);
    }

    #[test]
    fn a_syntax_error_points_at_its_column_in_the_config() {
        let config = GOOD.replace("<= 7\"", "<= \"");
        let (problem, at) = only_problem(&config);
        assert!(
            problem.message.starts_with("CEL syntax error"),
            "{problem:?}"
        );
        // The end of the expression: just before its closing quote.
        assert_eq!(at, "");
        assert_eq!(&config[problem.span.start..problem.span.start + 1], "\"");
        assert!(config[..problem.span.start].ends_with("<= "));
    }

    #[test]
    fn an_unknown_variable_or_function_is_shown_at_its_name() {
        let (problem, at) = only_problem(&GOOD.replace("entry.severity", "entri.severity"));
        assert_eq!(
            (problem.message.as_str(), at.as_str()),
            ("unknown variable `entri`", "entri")
        );
        let (problem, at) = only_problem(&GOOD.replace("days_between(", "days_betwen("));
        assert_eq!(at, "days_betwen");
        assert_eq!(
            problem.help.as_deref(),
            Some("did you mean `days_between`?")
        );
        let (problem, at) = only_problem(&GOOD.replace("{{entry.id}}", "{{entry.id + nope}}"));
        assert_eq!(
            (problem.message.as_str(), at.as_str()),
            ("unknown variable `nope`", "nope")
        );
        // A rule over the whole plan sees no `entry`: each expression says so.
        let (rules, problems) = read(&GOOD.replace("for_each = \"raid\"", "for_each = \"plan\""));
        assert!(rules.is_empty());
        let messages: Vec<&str> = problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(messages, ["unknown variable `entry`"; 3]);
    }

    #[test]
    fn codes_names_and_for_each_are_checked() {
        let (problem, at) = only_problem(&GOOD.replace("ORG001", "PL999"));
        assert_eq!(
            (problem.label, at.as_str()),
            ("a built-in code", "\"PL999\"")
        );
        let (problem, _) = only_problem(&GOOD.replace("ORG001", "org-1"));
        assert_eq!(problem.label, "not a rule code");
        let (problem, _) = only_problem(&GOOD.replace("critical-risk-weekly", "Critical Risk"));
        assert_eq!(problem.label, "not kebab-case");
        let (problem, _) = only_problem(&GOOD.replace("critical-risk-weekly", "raid-mitigation"));
        assert_eq!(
            problem.message,
            "the rule name `raid-mitigation` is already used"
        );
        let (problem, at) = only_problem(&GOOD.replace("\"raid\"", "\"raids\""));
        assert_eq!(
            (problem.help.as_deref(), at.as_str()),
            (Some("did you mean `raid`?"), "\"raids\"")
        );
        let (problem, at) = only_problem(&GOOD.replace("at = ", "att = "));
        assert_eq!((problem.label, at.as_str()), ("unknown key", "att"));
    }

    #[test]
    fn two_rules_with_one_code_or_name_are_a_problem_at_the_second() {
        let twice = format!(
            "{GOOD}{}",
            GOOD.replace("critical-risk-weekly", "another-rule")
        );
        let (rules, problems) = read(&twice);
        assert_eq!(rules.len(), 1);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(
            problems[0].message,
            "the rule code `ORG001` is already used"
        );
        assert!(problems[0].span.start > GOOD.len());
    }

    #[test]
    fn a_rule_without_assert_or_message_says_so() {
        let config = GOOD
            .replace("assert = ", "# assert = ")
            .replace("message = ", "# message = ");
        let (rules, problems) = read(&config);
        assert!(rules.is_empty());
        let labels: Vec<&str> = problems.iter().map(|p| p.label).collect();
        assert_eq!(labels, ["no `assert`", "no `message`"]);
    }
}
