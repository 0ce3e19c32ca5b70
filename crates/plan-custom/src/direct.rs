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
use plan_model::value::Value;
use std::borrow::Cow;
use std::cell::{OnceCell, RefCell};
use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

/// The fast path cannot answer: ask cel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Defer;

type Answer<T> = Result<T, Defer>;

/// The functions and operators the fast path evaluates; an expression calling any other is
/// left to cel whole.
const KNOWN: [&str; 29] = [
    "_&&_",
    "_||_",
    "!_",
    "_?_:_",
    "@not_strictly_false",
    "_==_",
    "_!=_",
    "_<_",
    "_<=_",
    "_>_",
    "_>=_",
    "_+_",
    "_-_",
    "_*_",
    "_/_",
    "_%_",
    "-_",
    "_[_]",
    "@in",
    "size",
    "contains",
    "startsWith",
    "endsWith",
    "duration",
    "timestamp",
    "days_between",
    "has_person",
    "entry_by_id",
    "has_entry",
];

/// Whether every part of `expr` is one the fast path evaluates.
pub(crate) fn supports(expr: &IdedExpr) -> bool {
    let here = match &expr.expr {
        Expr::Literal(LiteralValue::Bytes(_)) | Expr::Map(_) | Expr::Struct(_) => false,
        Expr::Unspecified => false,
        Expr::List(list) => list.optional_indices.is_empty(),
        Expr::Comprehension(c) => c.iter_var2.is_none(),
        Expr::Call(call) => KNOWN.contains(&call.func_name.as_str()),
        Expr::Literal(_) | Expr::Ident(_) | Expr::Select(_) => true,
    };
    let mut all = here;
    crate::expression::for_each_child(expr, &mut |child| all = all && supports(child));
    all
}

/// What the expressions of one plan see: the variables, and the helpers' indexes, made on
/// first use.
pub(crate) struct PlanView<'a> {
    plan: Datum<'a>,
    today: Datum<'a>,
    today_date: jiff::civil::Date,
    people: OnceCell<HashSet<&'a str>>,
    /// (collection, key) → the first entry with each text at that key.
    indexes: RefCell<HashMap<(String, String), Rc<Index<'a>>>>,
}

impl<'a> PlanView<'a> {
    pub(crate) fn new(document: &'a Value<'a>, today: jiff::civil::Date) -> PlanView<'a> {
        PlanView {
            plan: Datum::plan(document),
            today: crate::values::timestamp(today).map_or(Datum::Null, Datum::Timestamp),
            today_date: today,
            people: OnceCell::new(),
            indexes: RefCell::new(HashMap::new()),
        }
    }

    pub(crate) fn today(&self) -> jiff::civil::Date {
        self.today_date
    }

    /// The entries of a collection (`None` when the plan's value there is not a list).
    pub(crate) fn entries(&self, collection: &str) -> Option<Vec<Datum<'a>>> {
        let entries = self.plan.field(collection, self.today_date)?;
        Some(entries.iter()?.collect())
    }

    /// Everyone `[people]` names, as `has_person` reads them.
    fn people(&self) -> &HashSet<&'a str> {
        self.people.get_or_init(|| {
            let mut people = HashSet::new();
            let Some(table) = self.plan.field("people", self.today_date) else {
                return people;
            };
            for key in ["delivery_lead", "problem_owner", "team", "stakeholders"] {
                match table.field(key, self.today_date) {
                    Some(Datum::Text(Cow::Borrowed(name))) => {
                        people.insert(name);
                    }
                    Some(list) => {
                        for name in list.iter().into_iter().flatten() {
                            if let Datum::Text(Cow::Borrowed(name)) = name {
                                people.insert(name);
                            }
                        }
                    }
                    None => {}
                }
            }
            people
        })
    }

    /// The first entry of `collection` whose `key` is the text `value`.
    fn first(&self, collection: &str, key: &str, value: &str) -> Option<Datum<'a>> {
        let made = self
            .indexes
            .borrow()
            .get(&(collection.to_owned(), key.to_owned()))
            .cloned();
        let index = made.unwrap_or_else(|| {
            let mut index = HashMap::new();
            for entry in self.entries(collection).unwrap_or_default() {
                if let Some(Datum::Text(Cow::Borrowed(text))) = entry.field(key, self.today_date) {
                    index.entry(text).or_insert(entry);
                }
            }
            let index = Rc::new(index);
            self.indexes
                .borrow_mut()
                .insert((collection.to_owned(), key.to_owned()), index.clone());
            index
        });
        index.get(value).cloned()
    }
}

/// The first entry with each text at a key.
type Index<'a> = HashMap<&'a str, Datum<'a>>;

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

    pub(crate) fn eval(&mut self, expr: &'a IdedExpr) -> Answer<Datum<'a>> {
        match &expr.expr {
            Expr::Literal(literal) => literal_value(literal),
            Expr::Ident(name) => self.variable(name),
            Expr::Select(select) => {
                let operand = self.eval(&select.operand)?;
                let found = operand.field(&select.field, self.view.today_date);
                match (select.test, &operand) {
                    (true, Datum::Table(..)) => Ok(Datum::Bool(found.is_some())),
                    (false, _) => found.ok_or(Defer),
                    (true, _) => Err(Defer),
                }
            }
            Expr::List(list) => {
                let items = list
                    .elements
                    .iter()
                    .map(|element| self.eval(element))
                    .collect::<Answer<Vec<_>>>()?;
                Ok(Datum::List(Rc::new(items)))
            }
            Expr::Comprehension(c) => {
                let range = self.eval(&c.iter_range)?;
                let items = range.iter().ok_or(Defer)?;
                let accumulator = self.eval(&c.accu_init)?;
                self.locals.push(Local {
                    name: &c.accu_var,
                    value: Some(accumulator),
                    moves: false,
                });
                let accu = self.locals.len() - 1;
                for item in items {
                    self.locals.push(Local {
                        name: &c.iter_var,
                        value: Some(item),
                        moves: false,
                    });
                    let go_on = match self.eval(&c.loop_cond)? {
                        Datum::Bool(go_on) => go_on,
                        _ => return Err(Defer),
                    };
                    if go_on {
                        self.locals[accu].moves = true;
                        let step = self.eval(&c.loop_step)?;
                        self.locals[accu] = Local {
                            name: &c.accu_var,
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
            Expr::Call(call) => self.call(&call.func_name, call.target.as_deref(), &call.args),
            Expr::Map(_) | Expr::Struct(_) | Expr::Unspecified => Err(Defer),
        }
    }

    fn variable(&mut self, name: &str) -> Answer<Datum<'a>> {
        if let Some(local) = self
            .locals
            .iter_mut()
            .rev()
            .find(|local| local.name == name)
        {
            return if local.moves {
                local.value.take().ok_or(Defer)
            } else {
                local.value.clone().ok_or(Defer)
            };
        }
        match name {
            "plan" => Ok(self.view.plan.clone()),
            "today" => Ok(self.view.today.clone()),
            "entry" => self.entry.clone().ok_or(Defer),
            _ => Err(Defer),
        }
    }

    fn truth(&mut self, expr: &'a IdedExpr) -> Answer<bool> {
        match self.eval(expr)? {
            Datum::Bool(b) => Ok(b),
            _ => Err(Defer),
        }
    }

    fn call(
        &mut self,
        function: &str,
        target: Option<&'a IdedExpr>,
        args: &'a [IdedExpr],
    ) -> Answer<Datum<'a>> {
        let bool = |b| Ok(Datum::Bool(b));
        match (function, target, args) {
            ("_&&_", None, [left, right]) => match self.truth(left)? {
                false => bool(false),
                true => self.truth(right).map(Datum::Bool),
            },
            ("_||_", None, [left, right]) => match self.truth(left)? {
                true => bool(true),
                false => self.truth(right).map(Datum::Bool),
            },
            ("!_", None, [operand]) => self.truth(operand).map(|b| Datum::Bool(!b)),
            ("_?_:_", None, [condition, then, otherwise]) => match self.truth(condition)? {
                true => self.eval(then),
                false => self.eval(otherwise),
            },
            ("@not_strictly_false", None, [operand]) => self.truth(operand).map(Datum::Bool),
            ("_==_" | "_!=_", None, [left, right]) => {
                let equal = equal(&self.eval(left)?, &self.eval(right)?)?;
                bool(equal == (function == "_==_"))
            }
            ("_<_" | "_<=_" | "_>_" | "_>=_", None, [left, right]) => {
                let order = compare(&self.eval(left)?, &self.eval(right)?)?;
                bool(match function {
                    "_<_" => order == Ordering::Less,
                    "_<=_" => order != Ordering::Greater,
                    "_>_" => order == Ordering::Greater,
                    _ => order != Ordering::Less,
                })
            }
            ("_+_" | "_-_" | "_*_" | "_/_" | "_%_", None, [left, right]) => {
                let (left, right) = (self.eval(left)?, self.eval(right)?);
                arithmetic(function, left, right)
            }
            ("-_", None, [operand]) => match self.eval(operand)? {
                Datum::Int(n) => n.checked_neg().map(Datum::Int).ok_or(Defer),
                Datum::Double(x) => Ok(Datum::Double(-x)),
                _ => Err(Defer),
            },
            ("_[_]", None, [container, index]) => {
                let (container, index) = (self.eval(container)?, self.eval(index)?);
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
            ("@in", None, [item, container]) => {
                let item = self.eval(item)?;
                if let Expr::List(list) = &container.expr {
                    // `entry.severity in ['high', 'critical']`: compared element by element,
                    // with no list made. Every element is evaluated, as cel makes the list
                    // whole first: one that fails fails the expression.
                    let mut found = false;
                    for element in &list.elements {
                        let element = self.eval(element)?;
                        found = found || equal(&item, &element)?;
                    }
                    return bool(found);
                }
                let container = self.eval(container)?;
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
            ("size", Some(operand), []) | ("size", None, [operand]) => {
                let size = match self.eval(operand)? {
                    Datum::Text(text) => text.chars().count(),
                    table @ Datum::Table(..) => table.keys().ok_or(Defer)?.len(),
                    list => list.iter().ok_or(Defer)?.len(),
                };
                i64::try_from(size).map(Datum::Int).map_err(|_| Defer)
            }
            ("contains" | "startsWith" | "endsWith", Some(text), [part]) => {
                let (text, part) = (self.eval(text)?, self.eval(part)?);
                let (Some(text), Some(part)) = (text.as_text(), part.as_text()) else {
                    return Err(Defer);
                };
                bool(match function {
                    "contains" => text.contains(part),
                    "startsWith" => text.starts_with(part),
                    _ => text.ends_with(part),
                })
            }
            ("duration", None, [text]) => match self.eval(text)? {
                Datum::Text(text) => cel_duration(&text).map(Datum::Duration),
                _ => Err(Defer),
            },
            ("timestamp", None, [text]) => match self.eval(text)? {
                Datum::Text(text) => chrono::DateTime::parse_from_rfc3339(&text)
                    .ok()
                    .filter(in_range)
                    .map(Datum::Timestamp)
                    .ok_or(Defer),
                _ => Err(Defer),
            },
            ("days_between", None, [from, to]) => match (self.eval(from)?, self.eval(to)?) {
                (Datum::Timestamp(from), Datum::Timestamp(to)) => {
                    Ok(Datum::Int((to - from).num_days()))
                }
                _ => Err(Defer),
            },
            ("has_person", None, [name]) => {
                let name = self.eval(name)?;
                let name = name.as_text().ok_or(Defer)?;
                bool(self.view.people().contains(name))
            }
            ("entry_by_id", None, [collection, id]) => {
                let (collection, id) = (self.eval(collection)?, self.eval(id)?);
                let (Some(collection), Some(id)) = (collection.as_text(), id.as_text()) else {
                    return Err(Defer);
                };
                Ok(self.view.first(collection, "id", id).unwrap_or(Datum::Null))
            }
            ("has_entry", None, [collection, key, value]) => {
                let collection = self.eval(collection)?;
                let key = self.eval(key)?;
                let value = self.eval(value)?;
                let (Some(collection), Some(key), Some(value)) =
                    (collection.as_text(), key.as_text(), value.as_text())
                else {
                    return Err(Defer);
                };
                bool(self.view.first(collection, key, value).is_some())
            }
            _ => Err(Defer),
        }
    }
}

fn literal_value<'a>(literal: &'a LiteralValue) -> Answer<Datum<'a>> {
    Ok(match literal {
        LiteralValue::Boolean(b) => Datum::Bool(*b.inner()),
        LiteralValue::Int(n) => Datum::Int(*n.inner()),
        LiteralValue::UInt(n) => Datum::UInt(*n.inner()),
        LiteralValue::Double(x) => Datum::Double(*x.inner()),
        LiteralValue::String(text) => Datum::Text(Cow::Borrowed(text.inner())),
        LiteralValue::Null => Datum::Null,
        LiteralValue::Bytes(_) => return Err(Defer),
    })
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

fn arithmetic<'a>(operator: &str, left: Datum<'a>, right: Datum<'a>) -> Answer<Datum<'a>> {
    use Datum::*;
    let result = match (operator, left, right) {
        ("_+_", Int(a), Int(b)) => a.checked_add(b).map(Int),
        ("_-_", Int(a), Int(b)) => a.checked_sub(b).map(Int),
        ("_*_", Int(a), Int(b)) => a.checked_mul(b).map(Int),
        ("_/_", Int(a), Int(b)) => a.checked_div(b).map(Int),
        ("_%_", Int(a), Int(b)) => a.checked_rem(b).map(Int),
        ("_+_", UInt(a), UInt(b)) => a.checked_add(b).map(UInt),
        ("_-_", UInt(a), UInt(b)) => a.checked_sub(b).map(UInt),
        ("_*_", UInt(a), UInt(b)) => a.checked_mul(b).map(UInt),
        ("_/_", UInt(a), UInt(b)) => a.checked_div(b).map(UInt),
        ("_%_", UInt(a), UInt(b)) => a.checked_rem(b).map(UInt),
        ("_+_", Double(a), Double(b)) => Some(Double(a + b)),
        ("_-_", Double(a), Double(b)) => Some(Double(a - b)),
        ("_*_", Double(a), Double(b)) => Some(Double(a * b)),
        // Division by zero is whatever cel makes of it.
        ("_/_", Double(a), Double(b)) if b != 0.0 => Some(Double(a / b)),
        ("_+_", Text(a), Text(b)) => Some(Text(Cow::Owned(format!("{a}{b}")))),
        ("_+_", Timestamp(at), Duration(length)) | ("_+_", Duration(length), Timestamp(at)) => at
            .checked_add_signed(length)
            .filter(in_range)
            .map(Timestamp),
        ("_-_", Timestamp(at), Duration(length)) => at
            .checked_sub_signed(length)
            .filter(in_range)
            .map(Timestamp),
        ("_-_", Timestamp(a), Timestamp(b)) => Some(Duration(a - b)).filter(duration_in_range),
        ("_+_", Duration(a), Duration(b)) => a.checked_add(&b).map(Duration),
        ("_-_", Duration(a), Duration(b)) => a.checked_sub(&b).map(Duration),
        ("_+_", List(mut items), right @ (Array(..) | List(_))) => {
            // The accumulator of `map` and `filter` is this list's only owner: it grows here.
            Rc::make_mut(&mut items).extend(right.iter().into_iter().flatten());
            Some(List(items))
        }
        ("_+_", left @ Array(..), right @ (Array(..) | List(_))) => {
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

/// A value in a message: dates as the plan writes them. Tables are left to cel.
pub(crate) fn shown(datum: &Datum<'_>) -> Answer<String> {
    Ok(match datum {
        Datum::Text(text) => text.to_string(),
        Datum::Int(n) => n.to_string(),
        Datum::UInt(n) => n.to_string(),
        Datum::Double(x) => x.to_string(),
        Datum::Bool(b) => b.to_string(),
        Datum::Timestamp(at) => at.format("%Y-%m-%d").to_string(),
        Datum::Duration(length) => format!("{} days", length.num_days()),
        Datum::Null => "null".into(),
        Datum::Array(..) | Datum::List(_) => datum
            .iter()
            .into_iter()
            .flatten()
            .map(|item| shown(&item))
            .collect::<Answer<Vec<_>>>()?
            .join(", "),
        Datum::Table(..) => return Err(Defer),
    })
}

#[cfg(test)]
#[path = "direct_tests.rs"]
mod tests;
