//! CEL expressions and `{{…}}` message templates, compiled once and checked for what they
//! refer to.

use cel::common::ast::{Expr, SourceInfo};
use cel::{IdedExpr, Program};
use std::collections::BTreeSet;
use std::ops::Range;

/// The functions an expression may call: the CEL standard library's (operators are spelled
/// `_==_`, `!_`, `@in` and are not names a rule writes) and plan-lint's helpers.
const STANDARD_FUNCTIONS: [&str; 28] = [
    "size",
    "contains",
    "startsWith",
    "endsWith",
    "matches",
    "int",
    "uint",
    "double",
    "string",
    "bytes",
    "bool",
    "type",
    "dyn",
    "duration",
    "timestamp",
    "max",
    "min",
    "getFullYear",
    "getMonth",
    "getDate",
    "getDayOfMonth",
    "getDayOfWeek",
    "getDayOfYear",
    "getHours",
    "getMinutes",
    "getSeconds",
    "getMilliseconds",
    "has",
];

/// plan-lint's own helpers (docs/custom-rules.md), as `evaluate::add_helpers` defines them.
pub const HELPERS: [&str; 3] = ["days_between", "has_person", "entry_by_id"];

/// A compiled CEL expression and the text it was compiled from.
pub struct Expression {
    pub source: String,
    pub program: Program,
    /// The plan's top-level tables it reads (`plan.raid…` reads `raid`), or `None` when it
    /// may read any: only those are turned into CEL values.
    pub plan_keys: Option<BTreeSet<String>>,
}

impl std::fmt::Debug for Expression {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Expression").field(&self.source).finish()
    }
}

/// What is wrong with an expression, at a byte range of its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpressionProblem {
    pub range: Range<usize>,
    pub message: String,
    pub help: Option<String>,
}

impl Expression {
    /// Compile `source`, whose free variables must be among `variables`.
    pub fn compile(source: &str, variables: &[&str]) -> Result<Expression, ExpressionProblem> {
        let (tree, info) = cel::parser::Parser::default()
            .parse_with_source_info(source)
            .map_err(|errors| syntax_problem(source, &errors))?;
        let mut bound = Vec::new();
        check_references(source, &tree, &info, variables, &mut bound)?;
        let program = Program::compile(source).map_err(|errors| syntax_problem(source, &errors))?;
        let mut plan_keys = Some(BTreeSet::new());
        reads(&tree, &mut plan_keys);
        Ok(Expression {
            source: source.to_owned(),
            program,
            plan_keys,
        })
    }
}

/// Add the plan's top-level keys `expr` reads to `keys`; `None` once it may read any (the
/// bare `plan`, `plan[key]`, or `entry_by_id`, whose collection is a value).
fn reads(expr: &IdedExpr, keys: &mut Option<BTreeSet<String>>) {
    let mut read = |key: &str| {
        if let Some(keys) = keys.as_mut() {
            keys.insert(key.to_owned());
        }
    };
    match &expr.expr {
        Expr::Ident(name) if name == "plan" => *keys = None,
        Expr::Select(select) => match &select.operand.expr {
            Expr::Ident(name) if name == "plan" => read(&select.field),
            _ => reads(&select.operand, keys),
        },
        Expr::Call(call) => {
            match call.func_name.as_str() {
                "has_person" => read("people"),
                "entry_by_id" => *keys = None,
                _ => {}
            }
            if let Some(target) = &call.target {
                reads(target, keys);
            }
            for argument in &call.args {
                reads(argument, keys);
            }
        }
        Expr::Comprehension(comprehension) => {
            for part in [
                &comprehension.iter_range,
                &comprehension.accu_init,
                &comprehension.loop_cond,
                &comprehension.loop_step,
                &comprehension.result,
            ] {
                reads(part, keys);
            }
        }
        Expr::List(list) => list
            .elements
            .iter()
            .for_each(|element| reads(element, keys)),
        Expr::Map(map) => {
            for entry in &map.entries {
                match &entry.expr {
                    cel::common::ast::EntryExpr::MapEntry(entry) => {
                        reads(&entry.key, keys);
                        reads(&entry.value, keys);
                    }
                    cel::common::ast::EntryExpr::StructField(field) => reads(&field.value, keys),
                }
            }
        }
        Expr::Ident(_) | Expr::Struct(_) | Expr::Literal(_) | Expr::Unspecified => {}
    }
}

/// The first syntax error, at its place.
fn syntax_problem(source: &str, errors: &cel::ParseErrors) -> ExpressionProblem {
    let Some(error) = errors.errors.first() else {
        return ExpressionProblem {
            range: 0..source.len(),
            message: "not a valid CEL expression".into(),
            help: None,
        };
    };
    // Lines count from 1, columns from 1 in characters.
    let (line, column) = error.pos;
    let line_start: usize = source
        .split_inclusive('\n')
        .take(usize::try_from(line - 1).unwrap_or(0))
        .map(str::len)
        .sum();
    let line_text = source[line_start..].split('\n').next().unwrap_or("");
    let at = line_start
        + line_text
            .char_indices()
            .nth(usize::try_from(column - 1).unwrap_or(0))
            .map_or(line_text.len(), |(offset, _)| offset);
    let end = source[at..]
        .chars()
        .next()
        .map_or(at, |c| at + c.len_utf8());
    ExpressionProblem {
        range: at..end,
        message: format!(
            "CEL syntax error: {}",
            error.msg.trim_start_matches("Syntax error: ")
        ),
        help: Some("see docs/custom-rules.md for what an expression may say".into()),
    }
}

/// Every identifier must be a variable the rule sees or one a macro binds (`r` in
/// `plan.raid.all(r, …)`), and every function a known one.
fn check_references(
    source: &str,
    expr: &IdedExpr,
    info: &SourceInfo,
    variables: &[&str],
    bound: &mut Vec<String>,
) -> Result<(), ExpressionProblem> {
    let span_of = |id: u64| {
        info.offset_for(id)
            .map(|(start, stop)| start as usize..(stop as usize + 1).min(source.len()))
            .unwrap_or(0..source.len())
    };
    match &expr.expr {
        Expr::Ident(name) => {
            if name.starts_with('@')
                || bound.iter().any(|b| b == name)
                || variables.contains(&name.as_str())
            {
                return Ok(());
            }
            let mut known: Vec<&str> = variables.to_vec();
            known.extend(bound.iter().map(String::as_str));
            Err(ExpressionProblem {
                range: span_of(expr.id),
                message: format!("unknown variable `{name}`"),
                help: Some(variable_help(name, &known)),
            })
        }
        Expr::Call(call) => {
            let internal = call.func_name.starts_with('_')
                || call.func_name.starts_with('@')
                || call.func_name.ends_with('_');
            if !internal
                && !STANDARD_FUNCTIONS.contains(&call.func_name.as_str())
                && !HELPERS.contains(&call.func_name.as_str())
            {
                let known: Vec<&str> = STANDARD_FUNCTIONS.iter().chain(&HELPERS).copied().collect();
                let help = match plan_model::did_you_mean(&call.func_name, known.iter().copied()) {
                    Some(close) => format!("did you mean `{close}`?"),
                    None => format!("plan-lint's helpers are {}", list(&HELPERS)),
                };
                return Err(ExpressionProblem {
                    range: function_name_range(source, span_of(expr.id).start, &call.func_name),
                    message: format!("unknown function `{}`", call.func_name),
                    help: Some(help),
                });
            }
            if let Some(target) = &call.target {
                check_references(source, target, info, variables, bound)?;
            }
            for argument in &call.args {
                check_references(source, argument, info, variables, bound)?;
            }
            Ok(())
        }
        Expr::Select(select) => check_references(source, &select.operand, info, variables, bound),
        Expr::Comprehension(comprehension) => {
            check_references(source, &comprehension.iter_range, info, variables, bound)?;
            let depth = bound.len();
            bound.push(comprehension.iter_var.clone());
            bound.extend(comprehension.iter_var2.clone());
            bound.push(comprehension.accu_var.clone());
            let inner = [
                &comprehension.accu_init,
                &comprehension.loop_cond,
                &comprehension.loop_step,
                &comprehension.result,
            ];
            let checked = inner
                .into_iter()
                .try_for_each(|part| check_references(source, part, info, variables, bound));
            bound.truncate(depth);
            checked
        }
        Expr::List(list) => list
            .elements
            .iter()
            .try_for_each(|element| check_references(source, element, info, variables, bound)),
        Expr::Map(map) => map.entries.iter().try_for_each(|entry| match &entry.expr {
            cel::common::ast::EntryExpr::MapEntry(entry) => {
                check_references(source, &entry.key, info, variables, bound)?;
                check_references(source, &entry.value, info, variables, bound)
            }
            cel::common::ast::EntryExpr::StructField(field) => {
                check_references(source, &field.value, info, variables, bound)
            }
        }),
        Expr::Struct(_) | Expr::Literal(_) | Expr::Unspecified => Ok(()),
    }
}

/// A call's offset is its opening parenthesis: the name is the word before it.
fn function_name_range(source: &str, paren: usize, name: &str) -> Range<usize> {
    let before = source.get(..paren).unwrap_or("").trim_end();
    match before.strip_suffix(name) {
        Some(rest) => rest.len()..rest.len() + name.len(),
        None => paren..(paren + 1).min(source.len()),
    }
}

fn variable_help(name: &str, known: &[&str]) -> String {
    match plan_model::did_you_mean(name, known.iter().copied()) {
        Some(close) => format!("did you mean `{close}`?"),
        None => format!("this rule's expressions see {}", list(known)),
    }
}

fn list(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|name| format!("`{name}`")).collect();
    quoted.join(", ")
}

/// A message or help text with `{{expression}}` parts.
#[derive(Debug)]
pub struct Template {
    pub parts: Vec<TemplatePart>,
}

#[derive(Debug)]
pub enum TemplatePart {
    Text(String),
    /// An expression, and where it starts in the template's text.
    Expression(Expression, usize),
}

impl Template {
    pub fn compile(text: &str, variables: &[&str]) -> Result<Template, ExpressionProblem> {
        let mut parts = Vec::new();
        let mut rest = 0;
        while let Some(open) = text[rest..].find("{{").map(|at| rest + at) {
            if open > rest {
                parts.push(TemplatePart::Text(text[rest..open].to_owned()));
            }
            let start = open + 2;
            let Some(close) = text[start..].find("}}").map(|at| start + at) else {
                return Err(ExpressionProblem {
                    range: open..start,
                    message: "`{{` is not closed by `}}`".into(),
                    help: Some("write `{{entry.id}}` to put a value in the message".into()),
                });
            };
            let source = &text[start..close];
            let expression =
                Expression::compile(source, variables).map_err(|problem| ExpressionProblem {
                    range: problem.range.start + start..problem.range.end + start,
                    ..problem
                })?;
            parts.push(TemplatePart::Expression(expression, start));
            rest = close + 2;
        }
        if rest < text.len() {
            parts.push(TemplatePart::Text(text[rest..].to_owned()));
        }
        Ok(Template { parts })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(source: &str) -> ExpressionProblem {
        Expression::compile(source, &["plan", "entry", "today"]).unwrap_err()
    }

    fn at<'a>(source: &'a str, problem: &ExpressionProblem) -> &'a str {
        &source[problem.range.clone()]
    }

    #[test]
    fn valid_expressions_compile() {
        for source in [
            "has(entry.mitigation) && entry.mitigation != ''",
            "plan.raid.all(r, r.owner != '')",
            "plan.milestones.exists(m, days_between(today, m.due) <= 90)",
            "[1, 2].map(x, x * 2).size() == 2 && {'a': entry}.size() == 1",
        ] {
            Expression::compile(source, &["plan", "entry", "today"]).unwrap();
        }
    }

    #[test]
    fn a_syntax_error_is_at_its_column_counting_characters() {
        let source = "'é' == entry.id &&";
        let found = problem(source);
        assert!(found.message.starts_with("CEL syntax error"), "{found:?}");
        assert_eq!(found.range.start, source.len());
        let source = "entry.id ==\n  )";
        let found = problem(source);
        assert_eq!(at(source, &found), ")");
    }

    #[test]
    fn an_unknown_variable_is_at_its_name_with_a_suggestion() {
        let source = "'é' == entri.id";
        let found = problem(source);
        assert_eq!(found.message, "unknown variable `entri`");
        assert_eq!(at(source, &found), "entri");
        assert_eq!(found.help.as_deref(), Some("did you mean `entry`?"));
        // A macro's variable is known inside the macro only.
        let source = "plan.raid.all(r, r.owner != '') && r.id == ''";
        assert_eq!(problem(source).message, "unknown variable `r`");
        // `entry` is not seen by a rule over the whole plan.
        let found = Expression::compile("entry.id == ''", &["plan", "today"]).unwrap_err();
        assert_eq!(found.message, "unknown variable `entry`");
    }

    #[test]
    fn an_unknown_function_is_at_its_name() {
        let source = "plan.raid.size() > 0 && days_betwen(today, entry.due) < 7";
        let found = problem(source);
        assert_eq!(found.message, "unknown function `days_betwen`");
        assert_eq!(at(source, &found), "days_betwen");
        assert_eq!(found.help.as_deref(), Some("did you mean `days_between`?"));
        let source = "entry.due.frobnicate()";
        assert_eq!(at(source, &problem(source)), "frobnicate");
    }

    #[test]
    fn an_expression_knows_which_tables_of_the_plan_it_reads() {
        let keys = |source: &str| {
            Expression::compile(source, &["plan", "entry", "today"])
                .unwrap()
                .plan_keys
                .map(|keys| keys.into_iter().collect::<Vec<_>>())
        };
        let read = |names: &[&str]| Some(names.iter().map(|n| n.to_string()).collect::<Vec<_>>());
        assert_eq!(keys("entry.due < today"), read(&[]));
        assert_eq!(
            keys(
                "plan.raid.all(r, has(r.due)) && has(plan.review.cadence) && has_person(entry.owner)"
            ),
            read(&["people", "raid", "review"])
        );
        assert_eq!(keys("size(plan) > 0"), None);
        assert_eq!(
            keys("entry_by_id('milestones', entry.milestone) != null"),
            None
        );
    }

    #[test]
    fn templates_compile_their_parts_and_place_their_problems() {
        let template = Template::compile("{{entry.id}} is due {{entry.due}}.", &["entry"]).unwrap();
        assert_eq!(template.parts.len(), 4);
        let text = "risk {{entry.idd + }} open";
        let found = Template::compile(text, &["entry"]).unwrap_err();
        assert!(found.range.start > text.find("{{").unwrap(), "{found:?}");
        let text = "risk {{entri.id}}";
        let found = Template::compile(text, &["entry"]).unwrap_err();
        assert_eq!(&text[found.range.clone()], "entri");
        let found = Template::compile("risk {{entry.id", &["entry"]).unwrap_err();
        assert_eq!(found.message, "`{{` is not closed by `}}`");
    }
}
