//! `dangling-reference` (PL013): every id the plan refers to exists, in this plan or, for
//! `other-plan#M2`, in the other plan.

use crate::{Check, Finding, Fixability, PlanContext, Portfolio, Rule, Severity};
use foldhash::HashSet;
use plan_model::{Field, Plan, Span};
use std::cell::OnceCell;

pub static RULE: Rule = Rule {
    code: "PL013",
    name: "dangling-reference",
    default_severity: Severity::Error,
    time_based: false,
    fix: Fixability::None,
    page: include_str!("../../../../rules/dangling-reference.md"),
    check: Check::PlanAndPortfolio(check_plan, check_across_plans),
};

fn milestone_ids<'a>(plan: &Plan<'a>) -> HashSet<&'a str> {
    plan.milestones
        .items()
        .iter()
        .filter_map(|m| m.id.get().copied())
        .collect()
}

/// Whether every entry of a collection has a valid id. When one does not (its id is missing
/// or invalid, each reported where it is), a reference to an id the plan lacks may well mean
/// that entry: one mistake, one finding.
fn ids_complete<T>(collection: &Field<&[T]>, items: &[T], id: impl Fn(&T) -> &Field<&str>) -> bool {
    !matches!(collection, Field::Invalid { .. })
        && items.iter().all(|item| id(item).get().is_some())
}

/// References within the plan: `depends_on = ["M2"]`, `backlog.milestone`, `health.actions`.
fn check_plan(cx: &PlanContext<'_>, out: &mut Vec<Finding>) {
    let plan = cx.plan;
    let milestones = milestone_ids(plan);
    let milestones_known = ids_complete(&plan.milestones, plan.milestones.items(), |m| &m.id);
    let raid_known = ids_complete(&plan.raid, plan.raid.items(), |r| &r.id);
    let raid: HashSet<&str> = plan
        .raid
        .items()
        .iter()
        .filter_map(|r| r.id.get().copied())
        .collect();
    let missing =
        |span: Span, path: String, message: String| cx.finding(&RULE, span, path, message);
    let (milestone_misses, raid_misses) = (OnceCell::new(), OnceCell::new());
    let milestone_help = |id: &str| {
        milestone_misses
            .get_or_init(|| NearMisses::new(&milestones))
            .help(id)
    };

    for milestone in plan.milestones.items() {
        for dependency in milestone.depends_on.items() {
            let reference = &dependency.value;
            // `own-id#M2` is a local reference written in full; another plan's milestone is
            // checked across plans.
            let local = reference.plan.is_none_or(|id| Some(id) == plan.id());
            if local && milestones_known && !milestones.contains(reference.milestone) {
                out.push(
                    missing(
                        dependency.span,
                        milestone.place.child("depends_on"),
                        format!(
                            "depends on milestone `{}`, which this plan does not have",
                            reference.milestone
                        ),
                    )
                    .with_help(milestone_help(reference.milestone)),
                );
            }
        }
    }
    for item in plan.backlog.items() {
        if let Some(milestone) = item.milestone.spanned()
            && milestones_known
            && !milestones.contains(milestone.value)
        {
            out.push(
                missing(
                    milestone.span,
                    item.place.child("milestone"),
                    format!(
                        "delivers milestone `{}`, which this plan does not have",
                        milestone.value
                    ),
                )
                .with_help(milestone_help(milestone.value)),
            );
        }
    }
    if let Some(health) = plan.health.get() {
        for action in health.actions.items() {
            if raid_known && !raid.contains(action.value) {
                out.push(
                    missing(
                        action.span,
                        health.place.child("actions"),
                        format!(
                            "names RAID entry `{}`, which this plan does not have",
                            action.value
                        ),
                    )
                    .with_help(
                        raid_misses
                            .get_or_init(|| NearMisses::new(&raid))
                            .help(action.value),
                    ),
                );
            }
        }
    }
}

/// References to other plans' milestones: `depends_on = ["other-plan#M2"]`.
fn check_across_plans(portfolio: &Portfolio, out: &mut Vec<Finding>) {
    // A plan whose id is missing or broken may be the plan a reference names.
    let every_plan_named = portfolio.plans.iter().all(|plan| plan.id.is_some());
    // Each referred-to plan's milestone ids, gathered once: a plan may be referred to by
    // thousands of milestones.
    let mut ids_of: foldhash::HashMap<usize, (HashSet<&str>, OnceCell<NearMisses>)> =
        foldhash::HashMap::default();
    for plan in portfolio
        .plans
        .iter()
        .filter(|plan| portfolio.in_focus(plan.file))
    {
        for milestone in &plan.milestones {
            for (reference, at) in &milestone.depends_on {
                let Some(other_id) = reference
                    .plan
                    .as_deref()
                    .filter(|&id| Some(id) != plan.id())
                else {
                    continue;
                };
                let path = format!("{}.depends_on", milestone.path());
                match portfolio.plan_with_id(other_id) {
                    Some(other)
                        if other.milestone_ids_complete
                            && !ids_of
                                .entry(other.file)
                                .or_insert_with(|| {
                                    let ids = other.milestones.iter().map(|m| m.id.as_str());
                                    (ids.collect(), OnceCell::new())
                                })
                                .0
                                .contains(reference.milestone.as_str()) =>
                    {
                        let (ids, misses) = &ids_of[&other.file];
                        let help = misses
                            .get_or_init(|| NearMisses::new(ids))
                            .help(&reference.milestone);
                        let other_at = other.id.as_ref().map(|(_, at)| *at).unwrap_or_default();
                        out.push(
                            Finding::located(
                                &RULE,
                                plan.file,
                                *at,
                                path,
                                format!(
                                    "depends on `{reference}`, but plan {} has no milestone `{}`",
                                    other.name(),
                                    reference.milestone
                                ),
                            )
                            .with_related(other.file, other_at, "the plan referred to")
                            .with_help(help),
                        );
                    }
                    Some(_) => {}
                    None if !every_plan_named => {}
                    None => out.push(
                        Finding::located(
                            &RULE,
                            plan.file,
                            *at,
                            path,
                            format!(
                                "depends on `{reference}`, but no plan `{other_id}` is in this run"
                            ),
                        )
                        .with_severity(Severity::Warning)
                        .with_help("lint the other plan in the same run, or correct the plan id"),
                    ),
                }
            }
        }
    }
}

/// The most ids a help text lists.
const LISTED_IDS: usize = 10;

/// What to suggest for an id a set of ids lacks, made ready once for every reference to them.
struct NearMisses<'a> {
    count: usize,
    /// The ids in order, when there are few enough to compare with and to list.
    sorted: Vec<&'a str>,
    suggestions: plan_model::Suggestions<'a>,
}

impl<'a> NearMisses<'a> {
    fn new(known: &HashSet<&'a str>) -> Self {
        let mut sorted = Vec::new();
        // Beyond that, neither compared nor listed: that would cost every dangling reference a
        // pass over thousands of ids, and say nothing readable.
        if known.len() <= plan_model::MAX_SUGGESTION_CANDIDATES {
            sorted.extend(known.iter().copied());
            sorted.sort_unstable();
        }
        NearMisses {
            count: known.len(),
            suggestions: plan_model::Suggestions::new(sorted.iter().copied()),
            sorted,
        }
    }

    /// The help for a reference to `id`, which the ids lack.
    fn help(&self, id: &str) -> String {
        if self.count > plan_model::MAX_SUGGESTION_CANDIDATES {
            return format!("there are {} ids here; check the spelling", self.count);
        }
        match self.suggestions.closest(id) {
            Some(close) => format!("did you mean `{close}`?"),
            None if self.sorted.is_empty() => "there are no ids to refer to here".to_owned(),
            None => {
                let mut listed: Vec<String> = self
                    .sorted
                    .iter()
                    .take(LISTED_IDS)
                    .map(|id| format!("`{id}`"))
                    .collect();
                if self.sorted.len() > LISTED_IDS {
                    listed.push(format!("{} more", self.sorted.len() - LISTED_IDS));
                }
                format!("the ids here are {}", listed.join(", "))
            }
        }
    }
}
