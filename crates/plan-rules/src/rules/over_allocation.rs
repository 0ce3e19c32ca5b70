//! `over-allocation` (PL017): nobody is allocated more than full time on any day, over all
//! plans in the run.

use crate::summary::FULL_TIME;
use crate::{Check, Finding, Portfolio, Rule, Severity};
use jiff::civil::Date;
use std::collections::{BTreeMap, BTreeSet};

pub static RULE: Rule = Rule {
    code: "PL017",
    name: "over-allocation",
    default_severity: Severity::Error,
    time_based: false,
    page: include_str!("../../../../rules/over-allocation.md"),
    check: Check::Portfolio(check),
};

/// One resource entry: which plan's, which entry of its summary, how much, when.
struct Allocation {
    plan: usize,
    entry: usize,
    share: i64,
    from: Option<Date>,
    until: Option<Date>,
}

fn check(portfolio: &Portfolio, out: &mut Vec<Finding>) {
    let mut by_person: BTreeMap<&str, Vec<Allocation>> = BTreeMap::new();
    for (plan, summary) in portfolio.plans.iter().enumerate() {
        for (entry, resource) in summary.resources.iter().enumerate() {
            by_person
                .entry(&resource.person)
                .or_default()
                .push(Allocation {
                    plan,
                    entry,
                    share: resource.share,
                    from: resource.from,
                    until: resource.until,
                });
        }
    }
    for (person, allocations) in by_person {
        if let Some(over) = over_allocated(&allocations) {
            report(portfolio, person, &allocations, &over, out);
        }
    }
}

/// The first day the sum exceeds full time, and every allocation active on some such day.
struct Over {
    first_day: Option<Date>,
    peak: i64,
    involved: BTreeSet<usize>,
}

/// Sweep the allocations' start and end days in order, keeping the running sum:
/// O(n log n) for sorting plus the active set at each over-allocated boundary.
fn over_allocated(allocations: &[Allocation]) -> Option<Over> {
    // (day, is_end, index): `None` sorts first, as the start of time; an allocation ending on
    // day D stops counting on D + 1, and ends are applied before starts on the same day.
    let mut events: Vec<(Option<Date>, bool, usize)> = Vec::with_capacity(allocations.len() * 2);
    for (index, allocation) in allocations.iter().enumerate() {
        events.push((allocation.from, false, index));
        if let Some(until) = allocation.until
            && let Ok(after) = until.tomorrow()
        {
            events.push((Some(after), true, index));
        }
    }
    events.sort_by_key(|&(day, is_end, index)| (day, !is_end, index));
    let mut active: BTreeSet<usize> = BTreeSet::new();
    let mut sum = 0;
    let mut over: Option<Over> = None;
    let mut i = 0;
    while i < events.len() {
        let day = events[i].0;
        while i < events.len() && events[i].0 == day {
            let (_, is_end, index) = events[i];
            if is_end {
                active.remove(&index);
                sum -= allocations[index].share;
            } else {
                active.insert(index);
                sum += allocations[index].share;
            }
            i += 1;
        }
        if sum > FULL_TIME {
            let over = over.get_or_insert(Over {
                first_day: day,
                peak: sum,
                involved: BTreeSet::new(),
            });
            over.peak = over.peak.max(sum);
            over.involved.extend(active.iter().copied());
        }
    }
    over
}

/// How many other plans a finding names, and points at, before it says "and N more": one
/// finding per plan naming every other plan would grow with the square of the plans.
const MAX_NAMED: usize = 5;

fn report(
    portfolio: &Portfolio,
    person: &str,
    allocations: &[Allocation],
    over: &Over,
    out: &mut Vec<Finding>,
) {
    // The involved entries of each plan, in entry order.
    let mut by_plan: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for &index in &over.involved {
        by_plan
            .entry(allocations[index].plan)
            .or_default()
            .push(allocations[index].entry);
    }
    for entries in by_plan.values_mut() {
        entries.sort_unstable();
    }
    let when = over
        .first_day
        .map(|day| format!("from {day}"))
        .unwrap_or_else(|| "at all times".to_owned());
    let resource = |plan: usize, entry: usize| &portfolio.plans[plan].resources[entry];
    for (&plan, entries) in &by_plan {
        let summary = &portfolio.plans[plan];
        let Some((&entry, same_plan)) = entries.split_first() else {
            continue;
        };
        let first = resource(plan, entry);
        let others: Vec<usize> = by_plan.keys().copied().filter(|&p| p != plan).collect();
        let mut named: Vec<String> = others
            .iter()
            .take(MAX_NAMED)
            .map(|&p| portfolio.plans[p].name())
            .collect();
        if others.len() > MAX_NAMED {
            named.push(format!("{} more plans", others.len() - MAX_NAMED));
        }
        let elsewhere = if named.is_empty() {
            String::new()
        } else {
            format!(", with {}", named.join(", "))
        };
        let mut finding = Finding::located(
            &RULE,
            summary.file,
            first.at,
            first.path.clone(),
            format!(
                "`{person}` is allocated {}% of full time {when}{elsewhere}",
                over.peak / 100
            ),
        )
        .with_help("lower the allocations, or move their dates apart, so that they add up to at most 1.0 on every day");
        for &other_entry in same_plan {
            finding = finding.with_label(resource(plan, other_entry).at, "also allocated");
        }
        for &other in others.iter().take(MAX_NAMED) {
            let first = by_plan[&other][0];
            finding = finding.with_related(
                portfolio.plans[other].file,
                resource(other, first).at,
                "also allocated here",
            );
        }
        out.push(finding);
    }
}
