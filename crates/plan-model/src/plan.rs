//! The typed Implementation Plan (see PLAN-FORMAT.md). Every part keeps where it was written.
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

/// A whole plan file.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub version: Field<i64>,
    pub plan: Field<PlanInfo>,
    pub people: Field<People>,
    pub health: Field<Health>,
    pub review: Field<Review>,
    pub mechanisms: Field<Vec<Mechanism>>,
    pub raci: Field<Vec<RaciEntry>>,
    pub timeline: Field<Timeline>,
    pub milestones: Field<Vec<Milestone>>,
    pub backlog: Field<Vec<BacklogItem>>,
    pub resources: Field<Vec<Resource>>,
    pub raid: Field<Vec<RaidEntry>>,
    /// `[lint]`: suppressions written as data, the only form JSON has.
    pub lint: Field<Lint>,
}

/// Where a table or array entry is, and its logical path (`raid[R-3]`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Place {
    /// The table header, key or opening brace: where a finding about the whole table points.
    pub anchor: Span,
    /// The logical path of the table in the plan, such as `people` or `raid[R-3]`.
    pub path: String,
}

impl Place {
    /// The logical path of a key in this table: `raid[R-3].mitigation`.
    pub fn child(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_owned()
        } else {
            // `concat` allocates once; `format!` grows the string piece by piece, and this
            // runs for every key of every plan.
            [self.path.as_str(), ".", key].concat()
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
pub struct PlanInfo {
    pub place: Place,
    pub id: Field<String>,
    pub title: Field<String>,
    pub problem: Field<String>,
    pub zone: Field<Zone>,
    pub status: Field<PlanStatus>,
    pub design_plan: Field<String>,
    pub location: Field<String>,
}

/// A list of people's names, each with its own span.
pub type Names = Vec<Spanned<String>>;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct People {
    pub place: Place,
    pub delivery_lead: Field<String>,
    pub problem_owner: Field<String>,
    pub team: Field<Names>,
    pub stakeholders: Field<Names>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Rag {
    Green,
    Amber,
    Red,
}

choices!(Rag: "green" => Green, "amber" => Amber, "red" => Red);

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Health {
    pub place: Place,
    pub rag: Field<Rag>,
    pub as_of: Field<Date>,
    pub note: Field<String>,
    /// Ids of RAID entries that act on the health.
    pub actions: Field<Vec<Spanned<String>>>,
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
pub struct Review {
    pub place: Place,
    pub cadence: Field<Duration>,
    pub last: Field<Date>,
    pub next: Field<Date>,
    pub triggers: Field<Vec<Spanned<String>>>,
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
pub enum Accountable {
    One(String),
    Many(Names),
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Mechanism {
    pub place: Place,
    pub name: Field<String>,
    pub kind: Field<MechanismKind>,
    pub cadence: Field<Duration>,
    pub artefact: Field<String>,
    pub responsible: Field<Names>,
    pub accountable: Field<Accountable>,
    pub consulted: Field<Names>,
    pub informed: Field<Names>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct RaciEntry {
    pub place: Place,
    pub activity: Field<String>,
    pub responsible: Field<Names>,
    pub accountable: Field<Accountable>,
    pub consulted: Field<Names>,
    pub informed: Field<Names>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Timeline {
    pub place: Place,
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

/// A milestone named in `depends_on`: `M2` in this plan, or `other-plan#M2`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MilestoneRef {
    pub plan: Option<String>,
    pub milestone: String,
}

impl std::fmt::Display for MilestoneRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.plan {
            Some(plan) => write!(f, "{plan}#{}", self.milestone),
            None => f.write_str(&self.milestone),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Milestone {
    pub place: Place,
    pub id: Field<String>,
    pub title: Field<String>,
    pub due: Field<Date>,
    pub status: Field<MilestoneStatus>,
    pub depends_on: Field<Vec<Spanned<MilestoneRef>>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BacklogStatus {
    Todo,
    Doing,
    Done,
}

choices!(BacklogStatus: "todo" => Todo, "doing" => Doing, "done" => Done);

#[derive(Debug, Clone, PartialEq, Default)]
pub struct BacklogItem {
    pub place: Place,
    pub id: Field<String>,
    pub title: Field<String>,
    pub priority: Field<i64>,
    pub status: Field<BacklogStatus>,
    pub milestone: Field<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Resource {
    pub place: Place,
    pub person: Field<String>,
    pub role: Field<String>,
    /// Share of full time, in (0, 1].
    pub allocation: Field<f64>,
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
pub struct RaidEntry {
    pub place: Place,
    pub id: Field<String>,
    pub kind: Field<RaidType>,
    pub title: Field<String>,
    pub owner: Field<String>,
    pub status: Field<RaidStatus>,
    pub severity: Field<Severity>,
    pub mitigation: Field<String>,
    pub due: Field<Date>,
}

/// `[lint]` (`"lint"` in JSON): settings for plan-lint kept in the plan itself.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Lint {
    pub place: Place,
    pub allow: Field<Vec<Allow>>,
}

/// One suppression in `lint.allow`: silence `rule` at `at` (the whole file when absent), for
/// `reason`, until `until`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Allow {
    pub place: Place,
    /// A rule name or code, as written; the rules crate knows which exist.
    pub rule: Field<String>,
    pub at: Field<AllowTarget>,
    pub reason: Field<String>,
    pub until: Field<Date>,
}

/// Where a suppression applies: as written (a JSON pointer such as `/raid/2`, or a logical path
/// such as `raid[R-3]`), and the logical path it names, which findings are matched against.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AllowTarget {
    pub written: String,
    pub path: String,
}

impl Plan {
    /// The plan's id, when it has a valid one.
    pub fn id(&self) -> Option<&str> {
        self.plan.get()?.id.get().map(String::as_str)
    }

    pub fn status(&self) -> Option<PlanStatus> {
        self.plan.get()?.status.get().copied()
    }

    /// Entries of an array-of-tables key; none when the key is absent or invalid.
    pub fn entries<T>(field: &Field<Vec<T>>) -> &[T] {
        field.get().map(Vec::as_slice).unwrap_or_default()
    }
}
