//! The fast path: an expression evaluated directly over the plan's parsed document, typed as
//! it is read ([`Datum`]), with no value tree built.
//!
//! It knows what house rules are made of: field reads and `has()`, comparisons, `in`, `&&`,
//! `||`, `!`, `?:`, arithmetic, the macros over lists, dates and durations, `size` and the
//! string tests, and plan-lint's helpers. For anything else, and for every error, it
//! [`Defer`]s: cel's interpreter, the reference, evaluates that expression on that entry
//! instead, so an error is always worded by cel and a construct the fast path does not know
//! is never guessed at. The tests compare the two on every answer the fast path gives.

use crate::values::{Datum, Timestamp};
use cel::IdedExpr;
use cel::common::ast::{Expr, LiteralValue};
use plan_model::format::PLAN_FILE;
use plan_model::value::Value;
use std::borrow::Cow;
use std::cell::{OnceCell, RefCell};
use std::cmp::Ordering;
use std::rc::Rc;

/// The fast path cannot answer: ask cel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Defer;

type Answer<T> = Result<T, Defer>;

/// An expression compiled for the fast path: cel's syntax tree with each function resolved
/// to the operation it is, so evaluating matches no names.
#[derive(Debug)]
pub(crate) enum Node {
    Null,
    Bool(bool),
    Int(i64),
    UInt(u64),
    Double(f64),
    Text(Box<str>),
    Plan,
    Entry,
    Today,
    /// A variable a macro binds.
    Local(Box<str>),
    /// `plan.<key>` (or `has(plan.<key>)`) for a top-level key of the format: the
    /// `at`th of [`PLAN_FILE`]'s fields, found once per plan however many rules read it.
    PlanField {
        at: usize,
        test: bool,
    },
    /// `operand.field`, or `has(operand.field)` when `test`.
    Select {
        operand: Box<Node>,
        field: Box<str>,
        test: bool,
    },
    List(Vec<Node>),
    /// What the macros (`all`, `exists`, `map`, `filter`, …) expand to.
    Comprehension(Box<Comprehension>),
    /// An operation on its operands; a method's target is its first.
    Call(Op, Vec<Node>),
}

#[derive(Debug)]
pub(crate) struct Comprehension {
    range: Node,
    variable: Box<str>,
    accumulator: Box<str>,
    init: Node,
    condition: Node,
    step: Node,
    result: Node,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    And,
    Or,
    Not,
    Conditional,
    NotStrictlyFalse,
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    Add,
    Subtract,
    Multiply,
    Divide,
    Remainder,
    Negate,
    Index,
    In,
    Size,
    Contains,
    StartsWith,
    EndsWith,
    Duration,
    Timestamp,
    DaysBetween,
    HasPerson,
    EntryById,
    HasEntry,
}

impl Op {
    /// The operation a call is, from its function's name, whether it is a method, and its
    /// number of arguments; `None` for a call the fast path leaves to cel.
    fn of(name: &str, method: bool, arguments: usize) -> Option<Op> {
        use Op::*;
        let op = match (name, method, arguments) {
            ("_&&_", false, 2) => And,
            ("_||_", false, 2) => Or,
            ("!_", false, 1) => Not,
            ("_?_:_", false, 3) => Conditional,
            ("@not_strictly_false", false, 1) => NotStrictlyFalse,
            ("_==_", false, 2) => Equal,
            ("_!=_", false, 2) => NotEqual,
            ("_<_", false, 2) => Less,
            ("_<=_", false, 2) => LessOrEqual,
            ("_>_", false, 2) => Greater,
            ("_>=_", false, 2) => GreaterOrEqual,
            ("_+_", false, 2) => Add,
            ("_-_", false, 2) => Subtract,
            ("_*_", false, 2) => Multiply,
            ("_/_", false, 2) => Divide,
            ("_%_", false, 2) => Remainder,
            ("-_", false, 1) => Negate,
            ("_[_]", false, 2) => Index,
            ("@in", false, 2) => In,
            ("size", true, 0) | ("size", false, 1) => Size,
            ("contains", true, 1) => Contains,
            ("startsWith", true, 1) => StartsWith,
            ("endsWith", true, 1) => EndsWith,
            ("duration", false, 1) => Duration,
            ("timestamp", false, 1) => Timestamp,
            ("days_between", false, 2) => DaysBetween,
            ("has_person", false, 1) => HasPerson,
            ("entry_by_id", false, 2) => EntryById,
            ("has_entry", false, 3) => HasEntry,
            _ => return None,
        };
        Some(op)
    }
}

/// Compile an expression for the fast path; `None` when any part of it is one the fast path
/// leaves to cel (a function it does not know, bytes, map literals, optional syntax).
pub(crate) fn compile(expr: &IdedExpr) -> Option<Node> {
    compile_in(expr, &mut Vec::new())
}

/// `bound`: the variables the enclosing macros bind.
fn compile_in<'e>(expr: &'e IdedExpr, bound: &mut Vec<&'e str>) -> Option<Node> {
    Some(match &expr.expr {
        Expr::Literal(literal) => match literal {
            LiteralValue::Boolean(b) => Node::Bool(*b.inner()),
            LiteralValue::Int(n) => Node::Int(*n.inner()),
            LiteralValue::UInt(n) => Node::UInt(*n.inner()),
            LiteralValue::Double(x) => Node::Double(*x.inner()),
            LiteralValue::String(text) => Node::Text(text.inner().into()),
            LiteralValue::Null => Node::Null,
            LiteralValue::Bytes(_) => return None,
        },
        Expr::Ident(name) if bound.contains(&name.as_str()) => Node::Local(name.as_str().into()),
        Expr::Ident(name) => match name.as_str() {
            "plan" => Node::Plan,
            "entry" => Node::Entry,
            "today" => Node::Today,
            _ => return None,
        },
        Expr::Select(select) if is_plan(&select.operand, bound) => {
            let key = select.field.as_str();
            match PLAN_FILE.fields.iter().position(|field| field.key == key) {
                Some(at) => Node::PlanField {
                    at,
                    test: select.test,
                },
                None => Node::Select {
                    operand: Box::new(Node::Plan),
                    field: key.into(),
                    test: select.test,
                },
            }
        }
        Expr::Select(select) => Node::Select {
            operand: Box::new(compile_in(&select.operand, bound)?),
            field: select.field.as_str().into(),
            test: select.test,
        },
        Expr::List(list) if list.optional_indices.is_empty() => {
            let elements = list.elements.iter();
            Node::List(
                elements
                    .map(|e| compile_in(e, bound))
                    .collect::<Option<_>>()?,
            )
        }
        Expr::Comprehension(c) if c.iter_var2.is_none() => {
            let range = compile_in(&c.iter_range, bound)?;
            let init = compile_in(&c.accu_init, bound)?;
            let depth = bound.len();
            bound.extend([c.iter_var.as_str(), c.accu_var.as_str()]);
            let inner = (|| {
                Some((
                    compile_in(&c.loop_cond, bound)?,
                    compile_in(&c.loop_step, bound)?,
                    compile_in(&c.result, bound)?,
                ))
            })();
            bound.truncate(depth);
            let (condition, step, result) = inner?;
            Node::Comprehension(Box::new(Comprehension {
                range,
                variable: c.iter_var.as_str().into(),
                accumulator: c.accu_var.as_str().into(),
                init,
                condition,
                step,
                result,
            }))
        }
        Expr::Call(call) => {
            let op = Op::of(&call.func_name, call.target.is_some(), call.args.len())?;
            let operands = call
                .target
                .as_deref()
                .into_iter()
                .chain(&call.args)
                .map(|operand| compile_in(operand, bound))
                .collect::<Option<_>>()?;
            Node::Call(op, operands)
        }
        _ => return None,
    })
}

/// `plan`, the variable, not a macro's variable of that name.
fn is_plan(expr: &IdedExpr, bound: &[&str]) -> bool {
    matches!(&expr.expr, Expr::Ident(name) if name == "plan" && !bound.contains(&name.as_str()))
}

/// What the expressions of one plan see: the variables, and the helpers' indexes, made on
/// first use.
pub(crate) struct PlanView<'a> {
    plan: Datum<'a>,
    today: Datum<'a>,
    today_date: jiff::civil::Date,
    /// Sorted: looked up by binary search, which no choice of names can slow down.
    people: OnceCell<Vec<&'a str>>,
    /// The plan's value at each of [`PLAN_FILE`]'s keys, found on first read.
    top: Box<[OnceCell<Option<Datum<'a>>>]>,
    /// A few per plan (one per collection and key the helpers are called with): looked up
    /// without making a key.
    indexes: RefCell<Vec<(String, String, Rc<Index<'a>>)>>,
}

impl<'a> PlanView<'a> {
    pub(crate) fn new(document: &'a Value<'a>, today: jiff::civil::Date) -> PlanView<'a> {
        PlanView {
            plan: Datum::plan(document),
            today: crate::values::timestamp(today).map_or(Datum::Null, Datum::Timestamp),
            today_date: today,
            people: OnceCell::new(),
            top: PLAN_FILE.fields.iter().map(|_| OnceCell::new()).collect(),
            indexes: RefCell::new(Vec::new()),
        }
    }

    pub(crate) fn today(&self) -> jiff::civil::Date {
        self.today_date
    }

    /// The entries of a collection, each as expressions see it and as written; `None` when
    /// the plan's value there is not a list of the document.
    pub(crate) fn entries(
        &self,
        collection: &str,
    ) -> Option<impl Iterator<Item = (Datum<'a>, &'a Value<'a>)> + use<'a>> {
        let at = PLAN_FILE
            .fields
            .iter()
            .position(|field| field.key == collection);
        let found = match at {
            Some(at) => self.top_field(at),
            None => self.plan.field(collection, self.today_date),
        };
        let Datum::Array(items, spec) = found? else {
            return None;
        };
        Some(
            items
                .iter()
                .map(move |item| (Datum::entry(item, spec), item)),
        )
    }

    /// The plan's value at the `at`th of [`PLAN_FILE`]'s keys.
    fn top_field(&self, at: usize) -> Option<Datum<'a>> {
        self.top[at]
            .get_or_init(|| self.plan.field(PLAN_FILE.fields[at].key, self.today_date))
            .clone()
    }

    /// Everyone `[people]` names, as `has_person` reads them.
    fn people(&self) -> &[&'a str] {
        self.people.get_or_init(|| {
            let mut people = Vec::new();
            let at = PLAN_FILE
                .fields
                .iter()
                .position(|field| field.key == "people");
            let Some(table) = at.and_then(|at| self.top_field(at)) else {
                return people;
            };
            for key in ["delivery_lead", "problem_owner", "team", "stakeholders"] {
                match table.field(key, self.today_date) {
                    Some(Datum::Text(Cow::Borrowed(name))) => people.push(name),
                    Some(list) => {
                        for name in list.iter().into_iter().flatten() {
                            if let Datum::Text(Cow::Borrowed(name)) = name {
                                people.push(name);
                            }
                        }
                    }
                    None => {}
                }
            }
            people.sort_unstable();
            people.dedup();
            people
        })
    }

    fn has_person(&self, name: &str) -> bool {
        self.people().binary_search(&name).is_ok()
    }

    /// The first entry of `collection` whose `key` is the text `value`.
    fn first(&self, collection: &str, key: &str, value: &str) -> Option<Datum<'a>> {
        let made = self
            .indexes
            .borrow()
            .iter()
            .find(|(made_for, by, _)| made_for == collection && by == key)
            .map(|(.., index)| index.clone());
        let index = made.unwrap_or_else(|| {
            let mut index = Vec::new();
            for (entry, _) in self.entries(collection).into_iter().flatten() {
                if let Some(Datum::Text(Cow::Borrowed(text))) = entry.field(key, self.today_date) {
                    index.push((text, entry));
                }
            }
            // Stable: of the entries with one text, the first stays first, and is kept.
            index.sort_by_key(|(text, _)| *text);
            index.dedup_by(|(later, _), (earlier, _)| later == earlier);
            let index = Rc::new(index);
            self.indexes
                .borrow_mut()
                .push((collection.to_owned(), key.to_owned(), index.clone()));
            index
        });
        let at = index
            .binary_search_by(|(text, _)| (*text).cmp(value))
            .ok()?;
        Some(index[at].1.clone())
    }
}

/// The first entry with each text at a key, sorted by the text: found by binary search.
type Index<'a> = Vec<(&'a str, Datum<'a>)>;

/// A variable a macro binds.
struct Local<'a> {
    name: &'a str,
    value: Option<Datum<'a>>,
    /// The accumulator while a step reads it: read once, it is moved rather than copied, so
    /// `map` and `filter` grow their list in place instead of copying it at every element.
    moves: bool,
}

/// Evaluates the expressions of one entry (or of the plan, with no entry).
pub(crate) struct Evaluation<'v, 'a> {
    view: &'v PlanView<'a>,
    entry: Option<Datum<'a>>,
    locals: Vec<Local<'a>>,
}

impl<'v, 'a> Evaluation<'v, 'a> {
    pub(crate) fn new(view: &'v PlanView<'a>, entry: Option<Datum<'a>>) -> Evaluation<'v, 'a> {
        Evaluation {
            view,
            entry,
            locals: Vec::new(),
        }
    }

    pub(crate) fn eval(&mut self, node: &'a Node) -> Answer<Datum<'a>> {
        match node {
            Node::Null => Ok(Datum::Null),
            Node::Bool(b) => Ok(Datum::Bool(*b)),
            Node::Int(n) => Ok(Datum::Int(*n)),
            Node::UInt(n) => Ok(Datum::UInt(*n)),
            Node::Double(x) => Ok(Datum::Double(*x)),
            Node::Text(text) => Ok(Datum::Text(Cow::Borrowed(text))),
            Node::Plan => Ok(self.view.plan.clone()),
            Node::Today => Ok(self.view.today.clone()),
            Node::Entry => self.entry.clone().ok_or(Defer),
            Node::Local(name) => self.local(name),
            Node::PlanField { at, test } => {
                let found = self.view.top_field(*at);
                match (test, &self.view.plan) {
                    (true, Datum::Table(..)) => Ok(Datum::Bool(found.is_some())),
                    (false, _) => found.ok_or(Defer),
                    (true, _) => Err(Defer),
                }
            }
            Node::Select {
                operand,
                field,
                test,
            } => {
                let operand = self.eval(operand)?;
                let found = operand.field(field, self.view.today_date);
                match (test, &operand) {
                    (true, Datum::Table(..)) => Ok(Datum::Bool(found.is_some())),
                    (false, _) => found.ok_or(Defer),
                    (true, _) => Err(Defer),
                }
            }
            Node::List(elements) => {
                let items = elements
                    .iter()
                    .map(|element| self.eval(element))
                    .collect::<Answer<Vec<_>>>()?;
                Ok(Datum::List(Rc::new(items)))
            }
            Node::Comprehension(c) => self.comprehension(c),
            Node::Call(op, operands) => self.call(*op, operands),
        }
    }

    fn comprehension(&mut self, c: &'a Comprehension) -> Answer<Datum<'a>> {
        let range = self.eval(&c.range)?;
        let items = range.iter().ok_or(Defer)?;
        let accumulator = self.eval(&c.init)?;
        self.locals.push(Local {
            name: &c.accumulator,
            value: Some(accumulator),
            moves: false,
        });
        let accu = self.locals.len() - 1;
        for item in items {
            self.locals.push(Local {
                name: &c.variable,
                value: Some(item),
                moves: false,
            });
            let go_on = self.truth(&c.condition)?;
            if go_on {
                self.locals[accu].moves = true;
                let step = self.eval(&c.step)?;
                self.locals[accu] = Local {
                    name: &c.accumulator,
                    value: Some(step),
                    moves: false,
                };
            }
            self.locals.pop();
            if !go_on {
                break;
            }
        }
        let result = self.eval(&c.result)?;
        self.locals.pop();
        Ok(result)
    }

    /// A variable a macro binds, the innermost of its name.
    fn local(&mut self, name: &str) -> Answer<Datum<'a>> {
        let local = self
            .locals
            .iter_mut()
            .rev()
            .find(|local| local.name == name);
        let local = local.ok_or(Defer)?;
        if local.moves {
            local.value.take().ok_or(Defer)
        } else {
            local.value.clone().ok_or(Defer)
        }
    }

    fn truth(&mut self, node: &'a Node) -> Answer<bool> {
        match self.eval(node)? {
            Datum::Bool(b) => Ok(b),
            _ => Err(Defer),
        }
    }

    fn text(&mut self, node: &'a Node) -> Answer<Cow<'a, str>> {
        match self.eval(node)? {
            Datum::Text(text) => Ok(text),
            _ => Err(Defer),
        }
    }

    fn call(&mut self, op: Op, operands: &'a [Node]) -> Answer<Datum<'a>> {
        let bool = |b| Ok(Datum::Bool(b));
        // `Op::of` made each operation with its number of operands.
        let operand = |at: usize| operands.get(at).ok_or(Defer);
        match op {
            Op::And => match self.truth(operand(0)?)? {
                false => bool(false),
                true => self.truth(operand(1)?).map(Datum::Bool),
            },
            Op::Or => match self.truth(operand(0)?)? {
                true => bool(true),
                false => self.truth(operand(1)?).map(Datum::Bool),
            },
            Op::Not => self.truth(operand(0)?).map(|b| Datum::Bool(!b)),
            Op::Conditional => match self.truth(operand(0)?)? {
                true => self.eval(operand(1)?),
                false => self.eval(operand(2)?),
            },
            Op::NotStrictlyFalse => self.truth(operand(0)?).map(Datum::Bool),
            Op::Equal | Op::NotEqual => {
                let (left, right) = (self.eval(operand(0)?)?, self.eval(operand(1)?)?);
                bool(equal(&left, &right)? == (op == Op::Equal))
            }
            Op::Less | Op::LessOrEqual | Op::Greater | Op::GreaterOrEqual => {
                let (left, right) = (self.eval(operand(0)?)?, self.eval(operand(1)?)?);
                let order = compare(&left, &right)?;
                bool(match op {
                    Op::Less => order == Ordering::Less,
                    Op::LessOrEqual => order != Ordering::Greater,
                    Op::Greater => order == Ordering::Greater,
                    _ => order != Ordering::Less,
                })
            }
            Op::Add | Op::Subtract | Op::Multiply | Op::Divide | Op::Remainder => {
                let (left, right) = (self.eval(operand(0)?)?, self.eval(operand(1)?)?);
                arithmetic(op, left, right)
            }
            Op::Negate => match self.eval(operand(0)?)? {
                Datum::Int(n) => n.checked_neg().map(Datum::Int).ok_or(Defer),
                Datum::Double(x) => Ok(Datum::Double(-x)),
                _ => Err(Defer),
            },
            Op::Index => {
                let (container, index) = (self.eval(operand(0)?)?, self.eval(operand(1)?)?);
                match (&container, &index) {
                    (Datum::Table(..), Datum::Text(key)) => {
                        container.field(key, self.view.today_date).ok_or(Defer)
                    }
                    (Datum::Array(..) | Datum::List(_), Datum::Int(at)) => {
                        let at = usize::try_from(*at).map_err(|_| Defer)?;
                        container.iter().ok_or(Defer)?.nth(at).ok_or(Defer)
                    }
                    _ => Err(Defer),
                }
            }
            Op::In => {
                let item = self.eval(operand(0)?)?;
                if let Node::List(elements) = operand(1)? {
                    // `entry.severity in ['high', 'critical']`: compared element by element,
                    // with no list made. Every element is evaluated, as cel makes the list
                    // whole first: one that fails fails the expression.
                    let mut found = false;
                    for element in elements {
                        let element = self.eval(element)?;
                        found = found || equal(&item, &element)?;
                    }
                    return bool(found);
                }
                let container = self.eval(operand(1)?)?;
                match (&item, &container) {
                    (Datum::Text(key), Datum::Table(..)) => {
                        bool(container.field(key, self.view.today_date).is_some())
                    }
                    (_, Datum::Array(..) | Datum::List(_)) => {
                        for element in container.iter().ok_or(Defer)? {
                            if equal(&item, &element)? {
                                return bool(true);
                            }
                        }
                        bool(false)
                    }
                    _ => Err(Defer),
                }
            }
            Op::Size => {
                let size = match self.eval(operand(0)?)? {
                    Datum::Text(text) => text.chars().count(),
                    table @ Datum::Table(..) => table.keys().ok_or(Defer)?.len(),
                    list => list.iter().ok_or(Defer)?.len(),
                };
                i64::try_from(size).map(Datum::Int).map_err(|_| Defer)
            }
            Op::Contains | Op::StartsWith | Op::EndsWith => {
                let (text, part) = (self.text(operand(0)?)?, self.text(operand(1)?)?);
                bool(match op {
                    Op::Contains => text.contains(&*part),
                    Op::StartsWith => text.starts_with(&*part),
                    _ => text.ends_with(&*part),
                })
            }
            Op::Duration => cel_duration(&self.text(operand(0)?)?).map(Datum::Duration),
            Op::Timestamp => chrono::DateTime::parse_from_rfc3339(&self.text(operand(0)?)?)
                .ok()
                .filter(in_range)
                .map(Datum::Timestamp)
                .ok_or(Defer),
            Op::DaysBetween => match (self.eval(operand(0)?)?, self.eval(operand(1)?)?) {
                (Datum::Timestamp(from), Datum::Timestamp(to)) => {
                    Ok(Datum::Int((to - from).num_days()))
                }
                _ => Err(Defer),
            },
            Op::HasPerson => {
                let name = self.text(operand(0)?)?;
                bool(self.view.has_person(&name))
            }
            Op::EntryById => {
                let (collection, id) = (self.text(operand(0)?)?, self.text(operand(1)?)?);
                Ok(self
                    .view
                    .first(&collection, "id", &id)
                    .unwrap_or(Datum::Null))
            }
            Op::HasEntry => {
                let collection = self.text(operand(0)?)?;
                let key = self.text(operand(1)?)?;
                let value = self.text(operand(2)?)?;
                bool(self.view.first(&collection, &key, &value).is_some())
            }
        }
    }
}

/// CEL's equality. Numbers of different types, and tables, are left to cel; values of
/// different kinds are unequal.
fn equal(left: &Datum<'_>, right: &Datum<'_>) -> Answer<bool> {
    use Datum::*;
    Ok(match (left, right) {
        (Null, Null) => true,
        (Bool(a), Bool(b)) => a == b,
        (Int(a), Int(b)) => a == b,
        (UInt(a), UInt(b)) => a == b,
        (Double(a), Double(b)) => a == b,
        (Text(a), Text(b)) => a == b,
        (Timestamp(a), Timestamp(b)) => a == b,
        (Duration(a), Duration(b)) => a == b,
        (Array(..) | List(_), Array(..) | List(_)) => {
            let (a, b) = (left.iter().ok_or(Defer)?, right.iter().ok_or(Defer)?);
            if a.len() != b.len() {
                return Ok(false);
            }
            for (a, b) in a.zip(b) {
                if !equal(&a, &b)? {
                    return Ok(false);
                }
            }
            true
        }
        (Int(_) | UInt(_) | Double(_), Int(_) | UInt(_) | Double(_)) => return Err(Defer),
        (Table(..), Table(..)) => return Err(Defer),
        _ => false,
    })
}

/// CEL's ordering of two values of the same type.
fn compare(left: &Datum<'_>, right: &Datum<'_>) -> Answer<Ordering> {
    use Datum::*;
    match (left, right) {
        (Bool(a), Bool(b)) => Ok(a.cmp(b)),
        (Int(a), Int(b)) => Ok(a.cmp(b)),
        (UInt(a), UInt(b)) => Ok(a.cmp(b)),
        (Double(a), Double(b)) => a.partial_cmp(b).ok_or(Defer),
        (Text(a), Text(b)) => Ok(a.cmp(b)),
        (Timestamp(a), Timestamp(b)) => Ok(a.cmp(b)),
        (Duration(a), Duration(b)) => Ok(a.cmp(b)),
        _ => Err(Defer),
    }
}

fn arithmetic<'a>(operator: Op, left: Datum<'a>, right: Datum<'a>) -> Answer<Datum<'a>> {
    use Datum::*;
    use Op::{
        Add as Plus, Divide as Over, Multiply as Times, Remainder as Modulo, Subtract as Minus,
    };
    let result = match (operator, left, right) {
        (Plus, Int(a), Int(b)) => a.checked_add(b).map(Int),
        (Minus, Int(a), Int(b)) => a.checked_sub(b).map(Int),
        (Times, Int(a), Int(b)) => a.checked_mul(b).map(Int),
        (Over, Int(a), Int(b)) => a.checked_div(b).map(Int),
        (Modulo, Int(a), Int(b)) => a.checked_rem(b).map(Int),
        (Plus, UInt(a), UInt(b)) => a.checked_add(b).map(UInt),
        (Minus, UInt(a), UInt(b)) => a.checked_sub(b).map(UInt),
        (Times, UInt(a), UInt(b)) => a.checked_mul(b).map(UInt),
        (Over, UInt(a), UInt(b)) => a.checked_div(b).map(UInt),
        (Modulo, UInt(a), UInt(b)) => a.checked_rem(b).map(UInt),
        (Plus, Double(a), Double(b)) => Some(Double(a + b)),
        (Minus, Double(a), Double(b)) => Some(Double(a - b)),
        (Times, Double(a), Double(b)) => Some(Double(a * b)),
        // Division by zero is whatever cel makes of it.
        (Over, Double(a), Double(b)) if b != 0.0 => Some(Double(a / b)),
        (Plus, Text(a), Text(b)) => Some(Text(Cow::Owned(format!("{a}{b}")))),
        (Plus, Timestamp(at), Duration(length)) | (Plus, Duration(length), Timestamp(at)) => at
            .checked_add_signed(length)
            .filter(in_range)
            .map(Timestamp),
        (Minus, Timestamp(at), Duration(length)) => at
            .checked_sub_signed(length)
            .filter(in_range)
            .map(Timestamp),
        (Minus, Timestamp(a), Timestamp(b)) => Some(Duration(a - b)).filter(duration_in_range),
        (Plus, Duration(a), Duration(b)) => a.checked_add(&b).map(Duration),
        (Minus, Duration(a), Duration(b)) => a.checked_sub(&b).map(Duration),
        (Plus, List(mut items), right @ (Array(..) | List(_))) => {
            // The accumulator of `map` and `filter` is this list's only owner: it grows here.
            Rc::make_mut(&mut items).extend(right.iter().into_iter().flatten());
            Some(List(items))
        }
        (Plus, left @ Array(..), right @ (Array(..) | List(_))) => {
            let mut items: Vec<_> = left.iter().into_iter().flatten().collect();
            items.extend(right.iter().into_iter().flatten());
            Some(List(Rc::new(items)))
        }
        _ => None,
    };
    result.filter(duration_in_range).ok_or(Defer)
}

/// Timestamps CEL represents: years 1 to 9999.
fn in_range(at: &Timestamp) -> bool {
    use chrono::Datelike;
    (1..=9999).contains(&at.year())
}

/// Durations CEL represents: about ten thousand years either way; other values pass.
fn duration_in_range(datum: &Datum<'_>) -> bool {
    const LIMIT_SECONDS: i64 = 315_576_000_000;
    match datum {
        Datum::Duration(length) => length.num_seconds().abs() <= LIMIT_SECONDS,
        _ => true,
    }
}

/// CEL's own duration text, in whole units: `"336h"`, `"1h30m"`, `"1209600s"`, `"-5s"`.
/// Anything else (fractions, other units) is left to cel.
fn cel_duration(text: &str) -> Answer<chrono::Duration> {
    let (negative, mut rest) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    if rest.is_empty() {
        return Err(Defer);
    }
    let mut total = chrono::Duration::zero();
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let amount: i64 = rest[..digits].parse().map_err(|_| Defer)?;
        rest = &rest[digits..];
        let unit = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
        let seconds = match &rest[..unit] {
            "h" => 3_600,
            "m" => 60,
            "s" => 1,
            _ => return Err(Defer),
        };
        rest = &rest[unit..];
        let part = amount
            .checked_mul(seconds)
            .and_then(chrono::Duration::try_seconds)
            .ok_or(Defer)?;
        total = total.checked_add(&part).ok_or(Defer)?;
    }
    let total = if negative { -total } else { total };
    match duration_in_range(&Datum::Duration(total)) {
        true => Ok(total),
        false => Err(Defer),
    }
}

/// A value in a message, added to it: dates as the plan writes them. Tables are left to cel.
pub(crate) fn show(datum: &Datum<'_>, text: &mut String) -> Answer<()> {
    use std::fmt::Write as _;
    // Writing to a `String` cannot fail.
    let _ = match datum {
        Datum::Text(value) => {
            text.push_str(value);
            Ok(())
        }
        Datum::Int(n) => write!(text, "{n}"),
        Datum::UInt(n) => write!(text, "{n}"),
        Datum::Double(x) => write!(text, "{x}"),
        Datum::Bool(b) => write!(text, "{b}"),
        Datum::Timestamp(at) => write!(text, "{}", at.format("%Y-%m-%d")),
        Datum::Duration(length) => write!(text, "{} days", length.num_days()),
        Datum::Null => write!(text, "null"),
        Datum::Array(..) | Datum::List(_) => {
            for (at, item) in datum.iter().into_iter().flatten().enumerate() {
                if at > 0 {
                    text.push_str(", ");
                }
                show(&item, text)?;
            }
            Ok(())
        }
        Datum::Table(..) => return Err(Defer),
    };
    Ok(())
}

#[cfg(test)]
#[path = "direct_tests.rs"]
mod tests;
