//! What the portfolio rules need of a plan, kept once the plan's text and model are gone: a
//! few ids, references, allocations and dates, each with its located place. Built once per
//! plan, so a run over thousands of plans holds thousands of small summaries, not thousands
//! of parsed files.

use crate::Location;
use jiff::civil::Date;
use plan_model::{MilestoneRef, Plan, Rag, SourceFile, Span};

#[derive(Debug, Clone)]
pub struct PlanSummary {
    /// Index of the file in the run.
    pub file: usize,
    /// The file as users see it.
    pub path: String,
    /// `plan.id`, where it is written.
    pub id: Option<(String, Location)>,
    pub milestones: Vec<MilestoneSummary>,
    /// Whether every milestone has a valid id (a broken one is reported where it is; what it
    /// names cannot be known, so references to the plan's milestones are not checked).
    pub milestone_ids_complete: bool,
    pub resources: Vec<ResourceSummary>,
    /// For reports that list plans.
    pub rag: Option<Rag>,
    pub next_review: Option<Date>,
}

#[derive(Debug, Clone)]
pub struct MilestoneSummary {
    pub id: String,
    /// The milestone's `id`.
    pub at: Location,
    pub depends_on: Vec<(MilestoneRef, Location)>,
}

/// One `[[resources]]` entry with a person and an allocation.
#[derive(Debug, Clone)]
pub struct ResourceSummary {
    pub person: String,
    /// Share of full time in hundredths of a percent (10,000 = full time), so that sums are
    /// exact: 0.5 + 0.3 + 0.2 is not 1.0 in floating point.
    pub share: i64,
    /// Inclusive; `None` is open-ended. Entries without dates take the plan's timeline.
    pub from: Option<Date>,
    pub until: Option<Date>,
    /// The `allocation` key (else the entry).
    pub at: Location,
    /// Its logical path, `resources[2].allocation`.
    pub path: String,
}

/// Full time, in the unit of [`ResourceSummary::share`].
pub const FULL_TIME: i64 = 10_000;

impl MilestoneSummary {
    /// Its logical path, `milestones[M2]`: a milestone with a valid id is named by it.
    pub fn path(&self) -> String {
        format!("milestones[{}]", self.id)
    }
}

impl PlanSummary {
    pub fn of(plan: &Plan, source: &SourceFile, file: usize) -> PlanSummary {
        let at = |span: Span| Location::in_file(span, source);
        let info = plan.plan.get();
        let id = info
            .and_then(|info| info.id.spanned())
            .map(|id| (id.value.to_owned(), at(id.span)));
        // Sized exactly: at portfolio scale the summaries are much of what a run holds, and a
        // vector collected through `filter_map` would start at four and grow by doubling.
        let entries = plan.milestones.items();
        let entries_with_ids = entries.len();
        let mut milestones = Vec::with_capacity(entries.len());
        milestones.extend(entries.iter().filter_map(|milestone| {
            let id = milestone.id.spanned()?;
            Some(MilestoneSummary {
                id: id.value.to_owned(),
                at: at(id.span),
                depends_on: milestone
                    .depends_on
                    .items()
                    .iter()
                    .map(|reference| (reference.value.to_owned(), at(reference.span)))
                    .collect(),
            })
        }));
        let timeline = plan.timeline.get();
        let (start, end) = (
            timeline.and_then(|t| t.start.get().copied()),
            timeline.and_then(|t| t.end.get().copied()),
        );
        let entries = plan.resources.items();
        let mut resources = Vec::with_capacity(entries.len());
        resources.extend(entries.iter().filter_map(|resource| {
            let person = resource.person.get()?;
            let share = resource.allocation.get()?;
            Some(ResourceSummary {
                person: (*person).to_owned(),
                share: i64::from(share.0),
                from: resource.from.get().copied().or(start),
                until: resource.until.get().copied().or(end),
                at: at(resource.allocation.span_or(resource.place.anchor)),
                path: resource.place.child("allocation"),
            })
        }));
        PlanSummary {
            file,
            path: source.path.clone(),
            id,
            milestone_ids_complete: !matches!(plan.milestones, plan_model::Field::Invalid { .. })
                && milestones.len() == entries_with_ids,
            milestones,
            resources,
            rag: plan.health.get().and_then(|h| h.rag.get().copied()),
            next_review: plan.review.get().and_then(|r| r.next.get().copied()),
        }
    }

    pub fn id(&self) -> Option<&str> {
        self.id.as_ref().map(|(id, _)| id.as_str())
    }

    /// How a message names this plan for readers of another: its id and file, else its file.
    pub fn name(&self) -> String {
        let mut name = String::new();
        self.write_name(&mut name);
        name
    }

    /// [`name`](Self::name), appended to `out`.
    pub fn write_name(&self, out: &mut String) {
        out.push('`');
        match self.id() {
            Some(id) => {
                out.push_str(id);
                out.push_str("` (");
                out.push_str(&self.path);
                out.push(')');
            }
            None => {
                out.push_str(&self.path);
                out.push('`');
            }
        }
    }
}
