//! What the status report (`plan-lint report`) shows of a plan: who leads it, its health, its
//! review dates, its timeline, milestones, RAID log and resourcing, copied out of the plan
//! while its text is in memory. Only values the schema accepted are kept; a key that is
//! missing or invalid is `None` here and a finding in the report's lint section.

use jiff::civil::Date;
use plan_model::{
    Field, MilestoneStatus, Plan, PlanStatus, Rag, RaidStatus, RaidType, Severity, SourceFile,
    Span, Zone,
};

#[derive(Debug, Clone, Default)]
pub struct PlanFacts {
    pub title: Option<String>,
    pub zone: Option<Zone>,
    pub status: Option<PlanStatus>,
    /// Where stakeholders read the plan (`plan.location`).
    pub location: Option<String>,
    pub delivery_lead: Option<String>,
    pub problem_owner: Option<String>,
    pub rag: Option<Rag>,
    pub as_of: Option<Date>,
    pub health_note: Option<String>,
    pub last_review: Option<Date>,
    pub next_review: Option<Date>,
    /// When the cadence puts the next review: `review.last` plus `review.cadence` (as
    /// `review-overdue` reckons it).
    pub cadence_due: Option<Date>,
    /// `review.cadence`, written out (`2 weeks`).
    pub cadence: Option<String>,
    pub triggers: Vec<String>,
    pub start: Option<Date>,
    pub end: Option<Date>,
    pub milestones: Vec<MilestoneFacts>,
    pub raid: Vec<RaidFacts>,
    pub resources: Vec<ResourceFacts>,
}

#[derive(Debug, Clone)]
pub struct MilestoneFacts {
    pub id: Option<String>,
    pub title: Option<String>,
    pub due: Option<Date>,
    pub status: Option<MilestoneStatus>,
    /// As written: `M2`, or `other-plan#M2`.
    pub depends_on: Vec<plan_model::MilestoneRef>,
    /// 1-based line of the entry.
    pub line: usize,
}

#[derive(Debug, Clone)]
pub struct RaidFacts {
    pub id: Option<String>,
    pub kind: Option<RaidType>,
    pub title: Option<String>,
    pub owner: Option<String>,
    pub status: Option<RaidStatus>,
    pub severity: Option<Severity>,
    pub mitigation: Option<String>,
    pub due: Option<Date>,
    pub line: usize,
}

#[derive(Debug, Clone)]
pub struct ResourceFacts {
    pub person: String,
    pub role: Option<String>,
    /// Share of full time in hundredths of a percent (10,000 = full time).
    pub share: u32,
    /// Inclusive; the plan's timeline when the entry has no dates; `None` when neither has.
    pub from: Option<Date>,
    pub until: Option<Date>,
    pub line: usize,
}

fn text(field: &Field<&str>) -> Option<String> {
    field.get().map(|value| (*value).to_owned())
}

fn line(source: &SourceFile, span: Span) -> usize {
    source.line(span.start)
}

impl PlanFacts {
    pub fn of(plan: &Plan, source: &SourceFile) -> PlanFacts {
        let info = plan.plan.get();
        let people = plan.people.get();
        let health = plan.health.get();
        let review = plan.review.get();
        let timeline = plan.timeline.get();
        let start = timeline.and_then(|t| t.start.get().copied());
        let end = timeline.and_then(|t| t.end.get().copied());
        PlanFacts {
            title: info.and_then(|i| text(&i.title)),
            zone: info.and_then(|i| i.zone.get().copied()),
            status: info.and_then(|i| i.status.get().copied()),
            location: info.and_then(|i| text(&i.location)),
            delivery_lead: people.and_then(|p| text(&p.delivery_lead)),
            problem_owner: people.and_then(|p| text(&p.problem_owner)),
            rag: health.and_then(|h| h.rag.get().copied()),
            as_of: health.and_then(|h| h.as_of.get().copied()),
            health_note: health.and_then(|h| text(&h.note)),
            last_review: review.and_then(|r| r.last.get().copied()),
            next_review: review.and_then(|r| r.next.get().copied()),
            cadence_due: review.and_then(|r| r.cadence.get()?.after(r.last.get().copied()?)),
            cadence: review.and_then(|r| r.cadence.get()).map(|cadence| {
                use jiff::fmt::friendly::{Designator, SpanPrinter};
                SpanPrinter::new()
                    .designator(Designator::Verbose)
                    .spacing(jiff::fmt::friendly::Spacing::BetweenUnitsAndDesignators)
                    .span_to_string(&cadence.0)
            }),
            triggers: review.map_or_else(Vec::new, |r| {
                r.triggers
                    .items()
                    .iter()
                    .map(|t| t.value.to_owned())
                    .collect()
            }),
            start,
            end,
            milestones: plan
                .milestones
                .items()
                .iter()
                .map(|m| MilestoneFacts {
                    id: text(&m.id),
                    title: text(&m.title),
                    due: m.due.get().copied(),
                    status: m.status.get().copied(),
                    depends_on: m
                        .depends_on
                        .items()
                        .iter()
                        .map(|r| r.value.to_owned())
                        .collect(),
                    line: line(source, m.place.anchor),
                })
                .collect(),
            raid: plan
                .raid
                .items()
                .iter()
                .map(|r| RaidFacts {
                    id: text(&r.id),
                    kind: r.kind.get().copied(),
                    title: text(&r.title),
                    owner: text(&r.owner),
                    status: r.status.get().copied(),
                    severity: r.severity.get().copied(),
                    mitigation: text(&r.mitigation),
                    due: r.due.get().copied(),
                    line: line(source, r.place.anchor),
                })
                .collect(),
            resources: plan
                .resources
                .items()
                .iter()
                .filter_map(|r| {
                    Some(ResourceFacts {
                        person: (*r.person.get()?).to_owned(),
                        role: text(&r.role),
                        share: r.allocation.get()?.0,
                        from: r.from.get().copied().or(start),
                        until: r.until.get().copied().or(end),
                        line: line(source, r.place.anchor),
                    })
                })
                .collect(),
        }
    }
}
