//! The typed Implementation Plan (see PLAN-FORMAT.md). Every part keeps where it was written.
//!
//! A [`Plan<'a>`](Plan) lives in the arena its file was read into: strings borrow from the
//! file's text, lists and logical paths are arena slices. Nothing in it needs freeing, and a
//! rule that keeps something past the file (a summary, a finding) copies it.
//!
//! Each key is a [`Field`], which tells a rule not only the value but whether the key was
//! absent, blank, or held something the schema rejected. Rules fire on *absent or blank*
//! only: a value already reported as `invalid-value` is not reported a second time as missing.

use crate::{Span, Spanned};
use jiff::civil::Date;

/// A value of the format chosen from a fixed list of names (`zone = "design"`).
pub trait Choice: Copy + 'static {
    /// Each name as written in a plan, with its value.
    const CHOICES: &'static [(&'static str, Self)];
}

/// Declare how an enum's variants are written in a plan: once, for the reader, the messages
/// and the published JSON Schema alike.
macro_rules! choices {
    ($ty:ident: $($name:literal => $variant:ident),+ $(,)?) => {
        impl Choice for $ty {
            const CHOICES: &'static [(&'static str, $ty)] = &[$(($name, $ty::$variant)),+];
        }
        impl $ty {
            /// The names this value is written as, in the format's order.
            pub const NAMES: &'static [&'static str] = &[$($name),+];

            /// How this value is written in a plan.
            pub fn name(self) -> &'static str {
                match self {
                    $($ty::$variant => $name),+
                }
            }
        }
    };
}

/// One key of a table, as the schema found it.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Field<T> {
    /// The key is not there.
    #[default]
    Absent,
    /// The key holds an empty or whitespace-only string, which counts as absent. `span`
    /// covers the key and its value.
    Blank { span: Span },
    /// The key holds a value the schema rejected (already reported).
    Invalid { span: Span },
    /// The value, with a span from the start of its key to the end of the value.
    Valid(Spanned<T>),
}

impl<T> Field<T> {
    pub fn get(&self) -> Option<&T> {
        match self {
            Field::Valid(spanned) => Some(&spanned.value),
            _ => None,
        }
    }

    pub fn spanned(&self) -> Option<&Spanned<T>> {
        match self {
            Field::Valid(spanned) => Some(spanned),
            _ => None,
        }
    }

    /// Absent or blank: what the rules mean by "missing".
    pub fn is_missing(&self) -> bool {
        matches!(self, Field::Absent | Field::Blank { .. })
    }

    pub fn is_absent(&self) -> bool {
        matches!(self, Field::Absent)
    }

    /// Where the key is written, when it is.
    pub fn span(&self) -> Option<Span> {
        match self {
            Field::Absent => None,
            Field::Blank { span } | Field::Invalid { span } => Some(*span),
            Field::Valid(spanned) => Some(spanned.span),
        }
    }

    /// Where to point for this key: the key itself, else `fallback` (its table or entry).
    pub fn span_or(&self, fallback: Span) -> Span {
        self.span().unwrap_or(fallback)
    }
}

impl<'a, T> Field<&'a [T]> {
    /// The items of a list-valued key; none when the key is absent, blank or invalid.
    pub fn items(&self) -> &'a [T] {
        self.get().copied().unwrap_or_default()
    }
}

/// A whole plan file.
#[derive(Debug, Clone, Default)]
pub struct Plan<'a> {
    pub version: Field<i64>,
    pub plan: Field<PlanInfo<'a>>,
    pub people: Field<People<'a>>,
    pub health: Field<Health<'a>>,
    pub review: Field<Review<'a>>,
    pub mechanisms: Field<&'a [Mechanism<'a>]>,
    pub raci: Field<&'a [RaciEntry<'a>]>,
    pub timeline: Field<Timeline<'a>>,
    pub milestones: Field<&'a [Milestone<'a>]>,
    pub backlog: Field<&'a [BacklogItem<'a>]>,
    pub resources: Field<&'a [Resource<'a>]>,
    pub raid: Field<&'a [RaidEntry<'a>]>,
    /// `[lint]`: suppressions written as data, the only form JSON has.
    pub lint: Field<Lint<'a>>,
    /// The whole document's value tree: where fixes add a table.
    pub document: Option<&'a crate::value::Value<'a>>,
}

/// Where a table or array entry is, and its logical path (`raid[R-3]`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Place<'a> {
    /// The table header, key or opening brace: where a finding about the whole table points.
    pub anchor: Span,
    /// The logical path of the table in the plan, such as `people` or `raid[R-3]`.
    pub path: &'a str,
    /// The table itself, with the spans of its keys: where fixes add a key.
    pub table: Option<&'a crate::value::Value<'a>>,
}

impl<'a> Place<'a> {
    /// The value of a key of this table, as written.
    pub fn value(&self, key: &str) -> Option<&'a crate::value::Value<'a>> {
        let crate::value::Kind::Table(table) = &self.table?.kind else {
            return None;
        };
        table
            .entries
            .iter()
            .find(|entry| entry.key == key)
            .map(|entry| &entry.value)
    }

    /// The logical path of a key in this table: `raid[R-3].mitigation`.
    pub fn child(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_owned()
        } else {
            // `concat` allocates once; `format!` grows the string piece by piece, and this
            // runs for every key of every plan.
            [self.path, ".", key].concat()
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    Design,
    Implementation,
}

choices!(Zone: "design" => Design, "implementation" => Implementation);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanStatus {
    Draft,
    Active,
    Closed,
}

choices!(PlanStatus: "draft" => Draft, "active" => Active, "closed" => Closed);

#[derive(Debug, Clone, PartialEq, Default)]
pub struct PlanInfo<'a> {
    pub place: Place<'a>,
    pub id: Field<&'a str>,
    pub title: Field<&'a str>,
    pub problem: Field<&'a str>,
    pub zone: Field<Zone>,
    pub status: Field<PlanStatus>,
    pub design_plan: Field<&'a str>,
    pub location: Field<&'a str>,
}

/// A list of people's names, each with its own span.
pub type Names<'a> = &'a [Spanned<&'a str>];

#[derive(Debug, Clone, PartialEq, Default)]
pub struct People<'a> {
    pub place: Place<'a>,
    pub delivery_lead: Field<&'a str>,
    pub problem_owner: Field<&'a str>,
    pub team: Field<Names<'a>>,
    pub stakeholders: Field<Names<'a>>,
    /// The names written under keys the format does not know (each an `unknown-field`
    /// finding): `problem_ownr = "sam"` names sam, whom no rule should call a stranger.
    pub names_under_unknown_keys: &'a [&'a str],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Rag {
    Green,
    Amber,
    Red,
}

choices!(Rag: "green" => Green, "amber" => Amber, "red" => Red);

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Health<'a> {
    pub place: Place<'a>,
    pub rag: Field<Rag>,
    pub as_of: Field<Date>,
    pub note: Field<&'a str>,
    /// Ids of RAID entries that act on the health.
    pub actions: Field<&'a [Spanned<&'a str>]>,
}

/// A review interval or other length of time, in calendar units.
#[derive(Debug, Clone, Copy)]
pub struct Duration(pub jiff::Span);

impl PartialEq for Duration {
    /// Equal when written with the same units (`2 weeks` and `14d` differ), which is what
    /// comparing two parsed plans needs.
    fn eq(&self, other: &Self) -> bool {
        self.0.fieldwise() == other.0.fieldwise()
    }
}

impl Duration {
    /// The date `self` after `date`, or `None` past the end of the calendar.
    pub fn after(self, date: Date) -> Option<Date> {
        date.checked_add(self.0).ok()
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Review<'a> {
    pub place: Place<'a>,
    pub cadence: Field<Duration>,
    pub last: Field<Date>,
    pub next: Field<Date>,
    pub triggers: Field<&'a [Spanned<&'a str>]>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MechanismKind {
    Planning,
    StatusReport,
    Review,
    Other,
}

choices!(MechanismKind: "planning" => Planning, "status-report" => StatusReport, "review" => Review, "other" => Other);

/// `accountable` as written: one name is right; an array (even of one name) is reported by
/// the `accountable-owner` rule, so the schema accepts both shapes.
#[derive(Debug, Clone, PartialEq)]
pub enum Accountable<'a> {
    One(&'a str),
    Many(Names<'a>),
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Mechanism<'a> {
    pub place: Place<'a>,
    pub name: Field<&'a str>,
    pub kind: Field<MechanismKind>,
    pub cadence: Field<Duration>,
    pub artefact: Field<&'a str>,
    pub responsible: Field<Names<'a>>,
    pub accountable: Field<Accountable<'a>>,
    pub consulted: Field<Names<'a>>,
    pub informed: Field<Names<'a>>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct RaciEntry<'a> {
    pub place: Place<'a>,
    pub activity: Field<&'a str>,
    pub responsible: Field<Names<'a>>,
    pub accountable: Field<Accountable<'a>>,
    pub consulted: Field<Names<'a>>,
    pub informed: Field<Names<'a>>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Timeline<'a> {
    pub place: Place<'a>,
    pub start: Field<Date>,
    pub end: Field<Date>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MilestoneStatus {
    Planned,
    Done,
    AtRisk,
    Missed,
}

choices!(MilestoneStatus: "planned" => Planned, "done" => Done, "at-risk" => AtRisk, "missed" => Missed);

/// A milestone named in `depends_on`: `M2` in this plan, or `other-plan#M2`. A plan holds its
/// references as `&str`s; summaries, which outlive the plan, as `String`s.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MilestoneRef<S = String> {
    pub plan: Option<S>,
    pub milestone: S,
}

impl MilestoneRef<&str> {
    /// The reference, with strings of its own.
    pub fn to_owned(&self) -> MilestoneRef {
        MilestoneRef {
            plan: self.plan.map(str::to_owned),
            milestone: self.milestone.to_owned(),
        }
    }
}

impl<S: AsRef<str>> std::fmt::Display for MilestoneRef<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.plan {
            Some(plan) => write!(f, "{}#{}", plan.as_ref(), self.milestone.as_ref()),
            None => f.write_str(self.milestone.as_ref()),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Milestone<'a> {
    pub place: Place<'a>,
    pub id: Field<&'a str>,
    pub title: Field<&'a str>,
    pub due: Field<Date>,
    pub status: Field<MilestoneStatus>,
    pub depends_on: Field<&'a [Spanned<MilestoneRef<&'a str>>]>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BacklogStatus {
    Todo,
    Doing,
    Done,
}

choices!(BacklogStatus: "todo" => Todo, "doing" => Doing, "done" => Done);

#[derive(Debug, Clone, PartialEq, Default)]
pub struct BacklogItem<'a> {
    pub place: Place<'a>,
    pub id: Field<&'a str>,
    pub title: Field<&'a str>,
    pub priority: Field<i64>,
    pub status: Field<BacklogStatus>,
    pub milestone: Field<&'a str>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Resource<'a> {
    pub place: Place<'a>,
    pub person: Field<&'a str>,
    pub role: Field<&'a str>,
    /// Share of full time, in (0, 1], exactly.
    pub allocation: Field<Share>,
    pub from: Field<Date>,
    pub until: Field<Date>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RaidType {
    Risk,
    Assumption,
    Issue,
    Dependency,
}

choices!(RaidType: "risk" => Risk, "assumption" => Assumption, "issue" => Issue, "dependency" => Dependency);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RaidStatus {
    Open,
    Closed,
}

choices!(RaidStatus: "open" => Open, "closed" => Closed);

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Low,
    Medium,
    High,
    Critical,
}

choices!(Severity: "low" => Low, "medium" => Medium, "high" => High, "critical" => Critical);

#[derive(Debug, Clone, PartialEq, Default)]
pub struct RaidEntry<'a> {
    pub place: Place<'a>,
    pub id: Field<&'a str>,
    pub kind: Field<RaidType>,
    pub title: Field<&'a str>,
    pub owner: Field<&'a str>,
    pub status: Field<RaidStatus>,
    pub severity: Field<Severity>,
    pub mitigation: Field<&'a str>,
    pub due: Field<Date>,
}

/// `[lint]` (`"lint"` in JSON): settings for plan-lint kept in the plan itself.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Lint<'a> {
    pub place: Place<'a>,
    pub allow: Field<&'a [Allow<'a>]>,
}

/// One suppression in `lint.allow`: silence `rule` at `at` (the whole file when absent), for
/// `reason`, until `until`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Allow<'a> {
    pub place: Place<'a>,
    /// A rule name or code, as written; the rules crate knows which exist.
    pub rule: Field<&'a str>,
    pub at: Field<AllowTarget<'a>>,
    pub reason: Field<&'a str>,
    pub until: Field<Date>,
}

/// Where a suppression applies: as written (a JSON pointer such as `/raid/2`, or a logical path
/// such as `raid[R-3]`), and the logical path it names, which findings are matched against.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AllowTarget<'a> {
    pub written: &'a str,
    pub path: &'a str,
}

impl<'a> Plan<'a> {
    /// The plan's id, when it has a valid one.
    pub fn id(&self) -> Option<&'a str> {
        self.plan.get()?.id.get().copied()
    }

    pub fn status(&self) -> Option<PlanStatus> {
        self.plan.get()?.status.get().copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A plan lives in its arena and frees nothing: no string, list or path of its own.
    #[test]
    fn a_plan_has_nothing_to_free() {
        assert!(!std::mem::needs_drop::<Plan<'static>>());
    }
}

/// A share of one person's full time, exactly: a count of 1/10,000 (0.01%), in (0, 10,000].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Share(pub u32);

impl Share {
    pub const FULL: Share = Share(10_000);
}
