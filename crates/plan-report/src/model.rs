//! The status report as data: every number the page, the Markdown and the JSON show, computed
//! once from a check run's [`Report`] and the plans' [`PlanFacts`]. The renderers only lay it
//! out, so the three formats cannot disagree.

use crate::dates::{days_between, opt_date};
use crate::people::{self, PersonLoad};
use crate::source_url::SourceUrl;
use jiff::civil::Date;
use plan_engine::facts::{MilestoneFacts, PlanFacts};
use plan_engine::load::CheckedFile;
use plan_engine::report::Report;
use plan_model::{MilestoneStatus, PlanStatus, Rag, RaidStatus, RaidType, Severity};
use plan_rules::Severity as FindingSeverity;
use serde::Serialize;

/// How far ahead the review calendar looks.
pub const CALENDAR_DAYS: i32 = 42;

/// Where and when the report was made.
#[derive(Debug, Clone)]
pub struct Context {
    pub today: Date,
    /// When the page was generated (`None` leaves it out: snapshots must be stable).
    pub generated_at: Option<String>,
    /// The commit checked out, and whether the work tree had changes beside it.
    pub commit: Option<(String, bool)>,
    /// Links to each finding's source line.
    pub source_url: Option<SourceUrl>,
}

#[derive(Debug, Serialize)]
pub struct StatusReport {
    #[serde(serialize_with = "crate::dates::date")]
    pub today: Date,
    pub generated_at: Option<String>,
    pub commit: Option<String>,
    /// The work tree had changes the commit does not hold.
    pub uncommitted_changes: bool,
    pub totals: Totals,
    pub plans: Vec<PlanRow>,
    pub raid: RaidView,
    pub people: Vec<PersonLoad>,
    /// Allocations with no dates of their own and no timeline to take them from.
    pub undated_allocations: usize,
    pub calendar: Calendar,
    /// The rules that found something, for their pages.
    pub rules: Vec<RuleRef>,
    /// Paths that could not be read, with why.
    pub errors: Vec<String>,
}

#[derive(Debug, Default, Serialize, PartialEq, Eq)]
pub struct Totals {
    pub plans: usize,
    pub rag: RagCounts,
    pub open_risks: usize,
    pub open_issues: usize,
    pub overdue_reviews: usize,
    pub late_milestones: usize,
    pub at_risk_milestones: usize,
    pub findings: FindingCounts,
    /// Findings the baseline knows, not counted above (as `check` does not report them).
    pub known_to_baseline: usize,
    /// Findings silenced by suppressions, not counted above.
    pub suppressed: usize,
    pub over_allocated_people: usize,
}

#[derive(Debug, Default, Serialize, Clone, Copy, PartialEq, Eq)]
pub struct RagCounts {
    pub green: usize,
    pub amber: usize,
    pub red: usize,
    /// No valid `health.rag`.
    pub unknown: usize,
}

#[derive(Debug, Default, Serialize, Clone, Copy, PartialEq, Eq)]
pub struct FindingCounts {
    pub error: usize,
    pub warning: usize,
    pub note: usize,
}

impl FindingCounts {
    pub fn total(&self) -> usize {
        self.error + self.warning + self.note
    }
}

/// Open entries of one RAID type by severity.
#[derive(Debug, Default, Serialize, Clone, Copy, PartialEq, Eq)]
pub struct SeverityCounts {
    pub critical: usize,
    pub high: usize,
    pub medium: usize,
    pub low: usize,
    /// No valid `severity`.
    pub unrated: usize,
}

impl SeverityCounts {
    pub fn total(&self) -> usize {
        self.critical + self.high + self.medium + self.low + self.unrated
    }

    fn add(&mut self, severity: Option<Severity>) {
        *match severity {
            Some(Severity::Critical) => &mut self.critical,
            Some(Severity::High) => &mut self.high,
            Some(Severity::Medium) => &mut self.medium,
            Some(Severity::Low) => &mut self.low,
            None => &mut self.unrated,
        } += 1;
    }

    /// Each severity with its count, most severe first.
    pub fn by_severity(&self) -> [(&'static str, usize); 5] {
        [
            ("critical", self.critical),
            ("high", self.high),
            ("medium", self.medium),
            ("low", self.low),
            ("unrated", self.unrated),
        ]
    }
}

/// One plan file: a row of the overview, and its details.
#[derive(Debug, Serialize)]
pub struct PlanRow {
    /// The file's index in the run; `anchor` is built from it.
    #[serde(skip)]
    pub file: usize,
    pub path: String,
    pub id: Option<String>,
    pub title: Option<String>,
    pub delivery_lead: Option<String>,
    pub problem_owner: Option<String>,
    pub zone: Option<&'static str>,
    pub status: Option<&'static str>,
    pub rag: Option<&'static str>,
    #[serde(serialize_with = "opt_date")]
    pub as_of: Option<Date>,
    pub health_note: Option<String>,
    #[serde(serialize_with = "opt_date")]
    pub last_review: Option<Date>,
    #[serde(serialize_with = "opt_date")]
    pub next_review: Option<Date>,
    /// When the cadence puts the next review (`review.last` plus `review.cadence`).
    #[serde(serialize_with = "opt_date")]
    pub cadence_due: Option<Date>,
    /// `review.next` has passed, or the cadence's date has, as `review-overdue` reckons it
    /// (closed plans are never overdue).
    pub review_overdue: bool,
    pub cadence: Option<String>,
    #[serde(serialize_with = "opt_date")]
    pub start: Option<Date>,
    #[serde(serialize_with = "opt_date")]
    pub end: Option<Date>,
    pub open_risks: SeverityCounts,
    pub open_issues: SeverityCounts,
    pub milestones: Vec<MilestoneRow>,
    pub findings: FindingCounts,
    /// This plan's findings, in the order `check` reports them.
    pub finding_list: Vec<FindingRow>,
    /// Where stakeholders read the plan, when it says.
    pub location: Option<String>,
    /// The plan could not be read as a plan (a syntax error): only its findings are known.
    pub unreadable: bool,
}

impl PlanRow {
    /// How the report names the plan: its id, else its file.
    pub fn name(&self) -> &str {
        self.id.as_deref().unwrap_or(&self.path)
    }

    /// The id of its details on the page.
    pub fn anchor(&self) -> String {
        format!("plan-{}", self.file + 1)
    }

    fn is_closed(&self) -> bool {
        self.status == Some(PlanStatus::Closed.name())
    }
}

#[derive(Debug, Serialize, Clone)]
pub struct MilestoneRow {
    pub id: Option<String>,
    pub title: Option<String>,
    #[serde(serialize_with = "opt_date")]
    pub due: Option<Date>,
    pub status: Option<&'static str>,
    /// Not done and due before today, whatever its status says.
    pub late: bool,
    pub depends_on: Vec<String>,
    pub line: usize,
}

#[derive(Debug, Serialize, Clone)]
pub struct FindingRow {
    pub severity: &'static str,
    pub code: &'static str,
    pub rule: &'static str,
    pub message: String,
    pub line: usize,
    pub column: usize,
    /// The finding's source line, from `--source-url`.
    pub url: Option<String>,
    /// The rule's page on the documentation site (built-in rules).
    pub rule_url: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct RaidView {
    /// Open entries counted by type (risk, assumption, issue, dependency, untyped) and severity.
    pub heat: Vec<HeatRow>,
    /// Every open entry, overdue ones first (earliest due first), then by severity (most
    /// severe first) and due date.
    pub open: Vec<RaidRow>,
}

#[derive(Debug, Serialize)]
pub struct HeatRow {
    pub kind: &'static str,
    pub counts: SeverityCounts,
}

#[derive(Debug, Serialize, Clone)]
pub struct RaidRow {
    /// The plan's position in [`StatusReport::plans`].
    pub plan: usize,
    pub id: Option<String>,
    pub kind: Option<&'static str>,
    pub severity: Option<&'static str>,
    pub title: Option<String>,
    pub owner: Option<String>,
    #[serde(serialize_with = "opt_date")]
    pub due: Option<Date>,
    pub overdue: bool,
    pub mitigation: Option<String>,
    /// An open risk or issue needs a mitigation (`raid-mitigation`).
    pub mitigation_required: bool,
    pub line: usize,
}

#[derive(Debug, Serialize, Default)]
pub struct Calendar {
    /// Reviews whose date has passed, earliest first.
    pub overdue: Vec<ReviewDue>,
    /// Reviews due from today to [`CALENDAR_DAYS`] days ahead, earliest first.
    pub upcoming: Vec<ReviewDue>,
    /// Triggers that fired: a red health, a milestone missed or past due.
    pub triggers: Vec<Trigger>,
}

#[derive(Debug, Serialize, Clone)]
pub struct ReviewDue {
    pub plan: usize,
    #[serde(serialize_with = "crate::dates::date")]
    pub date: Date,
    /// Days from today (negative: that many days ago).
    pub in_days: i32,
}

#[derive(Debug, Serialize, Clone)]
pub struct Trigger {
    pub plan: usize,
    /// `health-red` or `milestone-missed`.
    pub trigger: &'static str,
    /// What fired it: the health's note, the milestone.
    pub what: String,
    /// Since when: the health's `as_of`, the milestone's due date.
    #[serde(serialize_with = "opt_date")]
    pub since: Option<Date>,
    /// The plan lists the trigger in `review.triggers`.
    pub declared: bool,
    /// The last review was on or after `since`.
    pub reviewed_since: bool,
}

#[derive(Debug, Serialize)]
pub struct RuleRef {
    pub code: &'static str,
    pub name: &'static str,
    pub findings: usize,
    /// The rule's page (Markdown).
    #[serde(skip)]
    pub page: &'static str,
    /// Its page on the documentation site (built-in rules).
    pub help_uri: Option<String>,
}

/// A user's text as the report shows it: control and bidirectional characters made visible
/// (`\u{1b}`), so that none reaches a terminal the report is printed to, or reorders what a
/// reader of the page sees.
pub fn shown(text: &str) -> String {
    plan_engine::text::visible(text).into_owned()
}

pub fn build(report: &Report<'_>, context: &Context) -> StatusReport {
    let today = context.today;
    let mut plans: Vec<PlanRow> = report
        .files
        .iter()
        .enumerate()
        .map(|(index, file)| plan_row(index, file, today))
        .collect();
    for finding in report.findings {
        let row = &mut plans[finding.file];
        *match finding.severity {
            FindingSeverity::Error => &mut row.findings.error,
            FindingSeverity::Warning => &mut row.findings.warning,
            FindingSeverity::Note => &mut row.findings.note,
        } += 1;
        let url = context.source_url.as_ref().and_then(|template| {
            let file = &report.files[finding.file];
            template.link(file, finding.start.line as usize)
        });
        row.finding_list.push(FindingRow {
            severity: finding.severity.as_str(),
            code: finding.rule.code,
            rule: finding.rule.name,
            message: shown(&finding.message),
            line: finding.start.line as usize,
            column: finding.start.column as usize,
            url,
            rule_url: finding.rule.help_uri(),
        });
    }

    let facts: Vec<Option<&PlanFacts>> = report.files.iter().map(|f| f.facts.as_deref()).collect();
    let raid = raid_view(&facts, today);
    let (people, undated_allocations) = people::loads(&facts);
    let calendar = calendar(&plans, &facts, today);
    let mut totals = totals(&plans, &people);
    totals.known_to_baseline = report.known().len();
    totals.suppressed = report.suppressed.len();
    let rules = rules(report);
    StatusReport {
        today,
        generated_at: context.generated_at.clone(),
        commit: context.commit.as_ref().map(|(commit, _)| commit.clone()),
        uncommitted_changes: context.commit.as_ref().is_some_and(|(_, dirty)| *dirty),
        totals,
        plans,
        raid,
        people,
        undated_allocations,
        calendar,
        rules,
        errors: report
            .errors
            .iter()
            .map(|error| shown(&error.describe()))
            .collect(),
    }
}

fn plan_row(index: usize, file: &CheckedFile, today: Date) -> PlanRow {
    let empty = PlanFacts::default();
    let facts = file.facts.as_deref().unwrap_or(&empty);
    let mut open_risks = SeverityCounts::default();
    let mut open_issues = SeverityCounts::default();
    for entry in facts
        .raid
        .iter()
        .filter(|e| e.status == Some(RaidStatus::Open))
    {
        match entry.kind {
            Some(RaidType::Risk) => open_risks.add(entry.severity),
            Some(RaidType::Issue) => open_issues.add(entry.severity),
            _ => {}
        }
    }
    let closed = facts.status == Some(PlanStatus::Closed);
    PlanRow {
        file: index,
        path: shown(&file.path),
        id: file.plan_id.as_deref().map(shown),
        title: facts.title.as_deref().map(shown),
        delivery_lead: facts.delivery_lead.as_deref().map(shown),
        problem_owner: facts.problem_owner.as_deref().map(shown),
        zone: facts.zone.map(|z| z.name()),
        status: facts.status.map(|s| s.name()),
        rag: facts.rag.map(|r| r.name()),
        as_of: facts.as_of,
        health_note: facts.health_note.as_deref().map(shown),
        last_review: facts.last_review,
        next_review: facts.next_review,
        cadence_due: facts.cadence_due,
        review_overdue: !closed
            && match facts.next_review {
                Some(next) => next < today,
                None => facts.cadence_due.is_some_and(|due| due < today),
            },
        cadence: facts.cadence.clone(),
        start: facts.start,
        end: facts.end,
        open_risks,
        open_issues,
        milestones: facts
            .milestones
            .iter()
            .map(|m| milestone_row(m, today, closed))
            .collect(),
        findings: FindingCounts::default(),
        finding_list: Vec::new(),
        location: facts.location.as_deref().map(shown),
        unreadable: file.facts.is_none(),
    }
}

fn milestone_row(milestone: &MilestoneFacts, today: Date, closed: bool) -> MilestoneRow {
    MilestoneRow {
        id: milestone.id.as_deref().map(shown),
        title: milestone.title.as_deref().map(shown),
        due: milestone.due,
        status: milestone.status.map(|s| s.name()),
        late: !closed
            && milestone.status != Some(MilestoneStatus::Done)
            && milestone.due.is_some_and(|due| due < today),
        depends_on: milestone
            .depends_on
            .iter()
            .map(|r| shown(&r.to_string()))
            .collect(),
        line: milestone.line,
    }
}

const RAID_TYPES: [(RaidType, &str); 4] = [
    (RaidType::Risk, "risk"),
    (RaidType::Assumption, "assumption"),
    (RaidType::Issue, "issue"),
    (RaidType::Dependency, "dependency"),
];

fn raid_view(facts: &[Option<&PlanFacts>], today: Date) -> RaidView {
    let mut heat: Vec<HeatRow> = RAID_TYPES
        .iter()
        .map(|&(_, kind)| HeatRow {
            kind,
            counts: SeverityCounts::default(),
        })
        .chain(std::iter::once(HeatRow {
            kind: "untyped",
            counts: SeverityCounts::default(),
        }))
        .collect();
    let mut open = Vec::new();
    for (plan, facts) in facts.iter().enumerate() {
        let Some(facts) = facts else { continue };
        let closed = facts.status == Some(PlanStatus::Closed);
        for entry in facts
            .raid
            .iter()
            .filter(|e| e.status == Some(RaidStatus::Open))
        {
            let row = entry
                .kind
                .and_then(|kind| RAID_TYPES.iter().position(|&(k, _)| k == kind))
                .unwrap_or(RAID_TYPES.len());
            heat[row].counts.add(entry.severity);
            open.push(RaidRow {
                plan,
                id: entry.id.as_deref().map(shown),
                kind: entry.kind.map(|k| k.name()),
                severity: entry.severity.map(|s| s.name()),
                title: entry.title.as_deref().map(shown),
                owner: entry.owner.as_deref().map(shown),
                due: entry.due,
                overdue: !closed && entry.due.is_some_and(|due| due < today),
                mitigation: entry.mitigation.as_deref().map(shown),
                mitigation_required: matches!(entry.kind, Some(RaidType::Risk | RaidType::Issue)),
                line: entry.line,
            });
        }
    }
    let rank = |severity: Option<&str>| {
        Severity::NAMES
            .iter()
            .position(|name| Some(*name) == severity)
            .map_or(0, |i| i + 1)
    };
    // Overdue first, earliest first; then most severe, then soonest due (undated last).
    open.sort_by(|a, b| {
        b.overdue
            .cmp(&a.overdue)
            .then_with(|| {
                if a.overdue {
                    a.due.cmp(&b.due)
                } else {
                    std::cmp::Ordering::Equal
                }
            })
            .then_with(|| rank(b.severity).cmp(&rank(a.severity)))
            .then_with(|| match (a.due, b.due) {
                (Some(x), Some(y)) => x.cmp(&y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            })
            .then_with(|| a.plan.cmp(&b.plan))
            .then_with(|| a.line.cmp(&b.line))
    });
    RaidView { heat, open }
}

fn calendar(plans: &[PlanRow], facts: &[Option<&PlanFacts>], today: Date) -> Calendar {
    let mut calendar = Calendar::default();
    for (index, plan) in plans.iter().enumerate() {
        if plan.is_closed() {
            continue;
        }
        if let Some(date) = plan.next_review.or(plan.cadence_due) {
            let in_days = days_between(today, date);
            let due = ReviewDue {
                plan: index,
                date,
                in_days,
            };
            if in_days < 0 {
                calendar.overdue.push(due);
            } else if in_days <= CALENDAR_DAYS {
                calendar.upcoming.push(due);
            }
        }
        let Some(facts) = facts[index] else { continue };
        let declared = |trigger: &str| facts.triggers.iter().any(|t| t == trigger);
        let reviewed_since = |since: Option<Date>| matches!((facts.last_review, since), (Some(last), Some(since)) if last >= since);
        if facts.rag == Some(Rag::Red) {
            calendar.triggers.push(Trigger {
                plan: index,
                trigger: "health-red",
                what: facts
                    .health_note
                    .as_deref()
                    .map(shown)
                    .unwrap_or_else(|| "the plan's health is red".to_owned()),
                since: facts.as_of,
                declared: declared("health-red"),
                reviewed_since: reviewed_since(facts.as_of),
            });
        }
        for milestone in plan
            .milestones
            .iter()
            .filter(|m| m.late || m.status == Some(MilestoneStatus::Missed.name()))
        {
            let name = match (&milestone.id, &milestone.title) {
                (Some(id), Some(title)) => format!("{id} {title}"),
                (Some(id), None) => id.clone(),
                (None, Some(title)) => title.clone(),
                (None, None) => format!("the milestone on line {}", milestone.line),
            };
            calendar.triggers.push(Trigger {
                plan: index,
                trigger: "milestone-missed",
                what: name,
                since: milestone.due,
                declared: declared("milestone-missed"),
                reviewed_since: reviewed_since(milestone.due),
            });
        }
    }
    let by_date = |a: &ReviewDue, b: &ReviewDue| a.date.cmp(&b.date).then(a.plan.cmp(&b.plan));
    calendar.overdue.sort_by(by_date);
    calendar.upcoming.sort_by(by_date);
    calendar
        .triggers
        .sort_by(|a, b| a.since.cmp(&b.since).then(a.plan.cmp(&b.plan)));
    calendar
}

fn totals(plans: &[PlanRow], people: &[PersonLoad]) -> Totals {
    let mut totals = Totals {
        plans: plans.len(),
        ..Totals::default()
    };
    for plan in plans {
        *match plan.rag {
            Some("green") => &mut totals.rag.green,
            Some("amber") => &mut totals.rag.amber,
            Some("red") => &mut totals.rag.red,
            _ => &mut totals.rag.unknown,
        } += 1;
        totals.open_risks += plan.open_risks.total();
        totals.open_issues += plan.open_issues.total();
        totals.overdue_reviews += usize::from(plan.review_overdue);
        totals.late_milestones += plan.milestones.iter().filter(|m| m.late).count();
        totals.at_risk_milestones += plan
            .milestones
            .iter()
            .filter(|m| m.status == Some(MilestoneStatus::AtRisk.name()))
            .count();
        totals.findings.error += plan.findings.error;
        totals.findings.warning += plan.findings.warning;
        totals.findings.note += plan.findings.note;
    }
    totals.over_allocated_people = people.iter().filter(|p| p.over_days > 0).count();
    totals
}

fn rules(report: &Report<'_>) -> Vec<RuleRef> {
    let mut rules: std::collections::BTreeMap<&'static str, RuleRef> = Default::default();
    for finding in report.findings {
        rules
            .entry(finding.rule.code)
            .or_insert_with(|| RuleRef {
                code: finding.rule.code,
                name: finding.rule.name,
                findings: 0,
                page: finding.rule.page,
                help_uri: finding.rule.help_uri(),
            })
            .findings += 1;
    }
    rules.into_values().collect()
}
