//! The plan format (PLAN-FORMAT.md), declared once: every table, its keys, which are required,
//! and the shape of each value. The schema reader enforces this declaration (a key it reads
//! must be declared here, and the keys declared are the only ones allowed), and
//! `plan-lint schema` publishes it as a JSON Schema for editors. So the two cannot drift.

use crate::plan::*;

/// A table of the format: the top level, `[plan]`, or the entries of `[[raid]]`.
#[derive(Debug)]
pub struct TableSpec {
    pub description: &'static str,
    pub fields: &'static [FieldSpec],
}

/// One key of a table.
#[derive(Debug)]
pub struct FieldSpec {
    pub key: &'static str,
    /// Absent or blank is a `missing-field` finding.
    pub required: bool,
    pub shape: Shape,
    pub description: &'static str,
}

/// What a value looks like.
#[derive(Debug)]
pub enum Shape {
    /// The format version: 1.
    Version,
    /// Text; when required, not blank.
    Text,
    /// `[a-z0-9][a-z0-9-]*`.
    PlanId,
    /// `[A-Za-z0-9][A-Za-z0-9._-]*`.
    EntryId,
    /// A calendar date, `YYYY-MM-DD` (a TOML local date, or a string).
    Date,
    /// A length of time in days or longer: `"2 weeks"`, `"14d"`, `"1 month"`, `"P2W"`.
    Duration,
    /// A whole number from 1.
    Rank,
    /// A share of full time in (0, 1], or a percentage string such as `"50%"`.
    Allocation,
    /// One of these names.
    OneOf(&'static [&'static str]),
    /// A list of people's names.
    Names,
    /// One person's name.
    Person,
    /// `accountable`: one person's name. A list is read too, so that `accountable-owner`
    /// can say why it is wrong.
    Accountable,
    /// A list of entry ids.
    EntryIds,
    /// A list of free-text values.
    Texts,
    /// A list of milestone references: `M2`, or `other-plan#M2`.
    MilestoneRefs,
    /// Where a suppression applies: a JSON pointer or a logical path.
    Target,
    Table(&'static TableSpec),
    Entries(&'static TableSpec),
}

impl TableSpec {
    /// The keys of the table, in the format's order.
    pub fn keys(&self) -> impl Iterator<Item = &'static str> {
        self.fields.iter().map(|field| field.key)
    }
}

const fn key(key: &'static str, shape: Shape, description: &'static str) -> FieldSpec {
    FieldSpec {
        key,
        required: false,
        shape,
        description,
    }
}

const fn required(key: &'static str, shape: Shape, description: &'static str) -> FieldSpec {
    FieldSpec {
        key,
        required: true,
        shape,
        description,
    }
}

pub static PLAN_FILE: TableSpec = TableSpec {
    description: "An Implementation Plan: its governance artefacts (status reporting, RACI) and implementation artefacts (backlog, timeline, milestones, resourcing, RAID log)",
    fields: &[
        key(
            "$schema",
            Shape::Text,
            "The JSON Schema the file follows, for editors (VS Code, JetBrains); plan-lint ignores it",
        ),
        key("version", Shape::Version, "Format version; optional, 1"),
        required("plan", Shape::Table(&PLAN), "What the plan is about"),
        key(
            "people",
            Shape::Table(&PEOPLE),
            "Who is accountable, responsible, on the team, and a stakeholder",
        ),
        key(
            "health",
            Shape::Table(&HEALTH),
            "The plan's health (RAG) and what acts on it",
        ),
        key(
            "review",
            Shape::Table(&REVIEW),
            "When the plan is reviewed: a cadence, triggers, or both",
        ),
        key(
            "mechanisms",
            Shape::Entries(&MECHANISM),
            "How planning and status reporting happen",
        ),
        key(
            "raci",
            Shape::Entries(&RACI),
            "Responsibility matrix for delivery activities",
        ),
        key(
            "timeline",
            Shape::Table(&TIMELINE),
            "The delivery schedule's start and end",
        ),
        key(
            "milestones",
            Shape::Entries(&MILESTONE),
            "The milestone plan",
        ),
        key(
            "backlog",
            Shape::Entries(&BACKLOG_ITEM),
            "The prioritised backlog",
        ),
        key(
            "resources",
            Shape::Entries(&RESOURCE),
            "The detailed resourcing plan",
        ),
        key(
            "raid",
            Shape::Entries(&RAID_ENTRY),
            "The RAID log (risks, assumptions, issues, dependencies) and mitigation plan",
        ),
        key(
            "lint",
            Shape::Table(&LINT),
            "Settings for plan-lint kept in the plan: suppressions",
        ),
    ],
};

pub static PLAN: TableSpec = TableSpec {
    description: "What the plan is about",
    fields: &[
        required(
            "id",
            Shape::PlanId,
            "Unique in the repository; other plans refer to it (`id#M2`)",
        ),
        required("title", Shape::Text, "The plan's title"),
        key("problem", Shape::Text, "The problem the plan solves"),
        key(
            "zone",
            Shape::OneOf(Zone::NAMES),
            "\"design\" or \"implementation\" (default \"design\")",
        ),
        key(
            "status",
            Shape::OneOf(PlanStatus::NAMES),
            "\"draft\", \"active\" or \"closed\" (default \"active\")",
        ),
        key(
            "design_plan",
            Shape::Text,
            "The Design Plan this plan follows: a path relative to this file, or an http(s) URL",
        ),
        key("location", Shape::Text, "Where stakeholders read the plan"),
    ],
};

pub static PEOPLE: TableSpec = TableSpec {
    description: "Who is accountable, responsible, on the team, and a stakeholder",
    fields: &[
        key(
            "delivery_lead",
            Shape::Person,
            "Accountable for the plan and its upkeep",
        ),
        key(
            "problem_owner",
            Shape::Person,
            "Responsible for the plan, with the team",
        ),
        key(
            "team",
            Shape::Names,
            "Delivery team members assigned to the problem",
        ),
        key(
            "stakeholders",
            Shape::Names,
            "People and groups who may only be consulted or informed",
        ),
    ],
};

pub static HEALTH: TableSpec = TableSpec {
    description: "The plan's health (RAG) and what acts on it",
    fields: &[
        key(
            "rag",
            Shape::OneOf(Rag::NAMES),
            "\"green\", \"amber\" or \"red\"",
        ),
        key("as_of", Shape::Date, "When the health was last assessed"),
        key("note", Shape::Text, "Why the health is what it is"),
        key(
            "actions",
            Shape::EntryIds,
            "Ids of RAID entries that act on the health",
        ),
    ],
};

pub static REVIEW: TableSpec = TableSpec {
    description: "When the plan is reviewed: a cadence, triggers, or both",
    fields: &[
        key(
            "cadence",
            Shape::Duration,
            "The regular review interval, such as \"2 weeks\"",
        ),
        key("last", Shape::Date, "When the plan was last reviewed"),
        key("next", Shape::Date, "The next scheduled review"),
        key(
            "triggers",
            Shape::Texts,
            "Events that force a review: health-red, approach-change, milestone-missed, scope-change, or free text",
        ),
    ],
};

pub static MECHANISM: TableSpec = TableSpec {
    description: "A planning or status reporting mechanism",
    fields: &[
        required("name", Shape::Text, "The mechanism's name"),
        key(
            "kind",
            Shape::OneOf(MechanismKind::NAMES),
            "\"planning\", \"status-report\", \"review\" or \"other\"",
        ),
        key("cadence", Shape::Duration, "How often it happens"),
        key("artefact", Shape::Text, "What it produces"),
        key("responsible", Shape::Names, "Who runs it"),
        key("accountable", Shape::Accountable, "Exactly one person"),
        key("consulted", Shape::Names, "May be [] but must be present"),
        key("informed", Shape::Names, "May be [] but must be present"),
    ],
};

pub static RACI: TableSpec = TableSpec {
    description: "A delivery activity and who is responsible, accountable, consulted and informed",
    fields: &[
        required("activity", Shape::Text, "The delivery activity"),
        key("responsible", Shape::Names, "Who does the work"),
        key("accountable", Shape::Accountable, "Exactly one person"),
        key("consulted", Shape::Names, "Who is consulted"),
        key("informed", Shape::Names, "Who is informed"),
    ],
};

pub static TIMELINE: TableSpec = TableSpec {
    description: "The delivery schedule's start and end",
    fields: &[
        key("start", Shape::Date, "When delivery starts"),
        key("end", Shape::Date, "When delivery ends"),
    ],
};

pub static MILESTONE: TableSpec = TableSpec {
    description: "A milestone of the milestone plan",
    fields: &[
        required(
            "id",
            Shape::EntryId,
            "Unique within the plan, such as \"M1\"",
        ),
        required("title", Shape::Text, "What is reached"),
        required("due", Shape::Date, "When it is due"),
        key(
            "status",
            Shape::OneOf(MilestoneStatus::NAMES),
            "\"planned\", \"done\", \"at-risk\" or \"missed\"",
        ),
        key(
            "depends_on",
            Shape::MilestoneRefs,
            "Milestone ids; \"other-plan-id#M2\" for another plan's",
        ),
    ],
};

pub static BACKLOG_ITEM: TableSpec = TableSpec {
    description: "An item of the prioritised backlog",
    fields: &[
        required(
            "id",
            Shape::EntryId,
            "Unique within the plan, such as \"B-1\"",
        ),
        required("title", Shape::Text, "The work"),
        key(
            "priority",
            Shape::Rank,
            "Rank, 1 = most important; unique within the plan",
        ),
        key(
            "status",
            Shape::OneOf(BacklogStatus::NAMES),
            "\"todo\", \"doing\" or \"done\"",
        ),
        key("milestone", Shape::EntryId, "The milestone it delivers"),
    ],
};

pub static RESOURCE: TableSpec = TableSpec {
    description: "A person's allocation in the resourcing plan",
    fields: &[
        required("person", Shape::Person, "Who"),
        key("role", Shape::Text, "Their role on the plan"),
        required(
            "allocation",
            Shape::Allocation,
            "Share of full time, 0 < a <= 1, or a percentage such as \"50%\"",
        ),
        key(
            "from",
            Shape::Date,
            "From this day (default: the plan's timeline)",
        ),
        key(
            "until",
            Shape::Date,
            "Until this day, inclusive (default: the plan's timeline)",
        ),
    ],
};

pub static RAID_ENTRY: TableSpec = TableSpec {
    description: "An entry of the RAID log",
    fields: &[
        required(
            "id",
            Shape::EntryId,
            "Unique within the plan, such as \"R-1\"",
        ),
        required(
            "type",
            Shape::OneOf(RaidType::NAMES),
            "\"risk\", \"assumption\", \"issue\" or \"dependency\"",
        ),
        required("title", Shape::Text, "What it is"),
        key("owner", Shape::Person, "Who carries it"),
        required(
            "status",
            Shape::OneOf(RaidStatus::NAMES),
            "\"open\" or \"closed\"",
        ),
        key(
            "severity",
            Shape::OneOf(Severity::NAMES),
            "\"low\", \"medium\", \"high\" or \"critical\"",
        ),
        key(
            "mitigation",
            Shape::Text,
            "How it is reduced or resolved; every open risk and issue has one",
        ),
        key("due", Shape::Date, "When the mitigation is due"),
    ],
};

pub static LINT: TableSpec = TableSpec {
    description: "Settings for plan-lint kept in the plan",
    fields: &[key(
        "allow",
        Shape::Entries(&ALLOW),
        "Suppressions: findings accepted, with a reason",
    )],
};

pub static ALLOW: TableSpec = TableSpec {
    description: "A suppression: silence a rule's findings at a place, for a reason",
    fields: &[
        required(
            "rule",
            Shape::Text,
            "A rule name or code, such as \"raid-mitigation\" or \"PL002\"",
        ),
        key(
            "at",
            Shape::Target,
            "Where: a JSON pointer (\"/raid/2\") or a logical path (\"raid[R-3]\"); the whole file when absent",
        ),
        key(
            "reason",
            Shape::Text,
            "Why the finding is accepted, and who accepted it",
        ),
        key("until", Shape::Date, "The last day the suppression applies"),
    ],
};
