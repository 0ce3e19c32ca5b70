//! `over-allocation` (PL017): nobody is allocated more than full time on any day, over all
//! plans in the run.

use crate::{Check, Finding, Portfolio, Rule, Severity};
use jiff::civil::Date;
use plan_model::Plan;
use std::collections::{BTreeMap, BTreeSet};

pub static RULE: Rule = Rule {
    code: "PL017",
    name: "over-allocation",
    default_severity: Severity::Error,
    time_based: false,
    page: include_str!("../../../../rules/over-allocation.md"),
    check: Check::Portfolio(check),
};

/// Allocations are summed in hundredths of a percent, so that 0.5 + 0.3 + 0.2 is exactly full
/// time (in floating point it is not).
const FULL_TIME: i64 = 10_000;

/// One resource entry: whose, how much, when (both ends inclusive; `None` is open-ended).
struct Allocation {
    plan: usize,
    entry: usize,
    share: i64,
    from: Option<Date>,
    until: Option<Date>,
}

fn check(portfolio: &Portfolio<'_>, out: &mut Vec<Finding>) {
    let mut by_person: BTreeMap<&str, Vec<Allocation>> = BTreeMap::new();
    for (plan, cx) in portfolio.plans.iter().enumerate() {
        let timeline = cx.plan.timeline.get();
        let (start, end) = (
            timeline.and_then(|t| t.start.get().copied()),
            timeline.and_then(|t| t.end.get().copied()),
        );
        for (entry, resource) in Plan::entries(&cx.plan.resources).iter().enumerate() {
            let (Some(person), Some(share)) = (resource.person.get(), resource.allocation.get())
            else {
                continue;
            };
            by_person.entry(person).or_default().push(Allocation {
                plan,
                entry,
                share: (share * FULL_TIME as f64).round() as i64,
                // Entries without dates cover the plan's timeline; with no timeline, all time.
                from: resource.from.get().copied().or(start),
                until: resource.until.get().copied().or(end),
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

fn report(
    portfolio: &Portfolio<'_>,
    person: &str,
    allocations: &[Allocation],
    over: &Over,
    out: &mut Vec<Finding>,
) {
    let plans: BTreeSet<usize> = over.involved.iter().map(|&i| allocations[i].plan).collect();
    let when = over
        .first_day
        .map(|day| format!("from {day}"))
        .unwrap_or_else(|| "at all times".to_owned());
    for &plan in &plans {
        let cx = &portfolio.plans[plan];
        let first_entry = over
            .involved
            .iter()
            .map(|&i| &allocations[i])
            .filter(|a| a.plan == plan)
            .map(|a| a.entry)
            .min();
        let Some(entry) = first_entry else { continue };
        let Some(resource) = Plan::entries(&cx.plan.resources).get(entry) else {
            continue;
        };
        let others: Vec<String> = plans
            .iter()
            .filter(|&&p| p != plan)
            .map(|&p| portfolio.plans[p].name())
            .collect();
        let elsewhere = if others.is_empty() {
            String::new()
        } else {
            format!(", with {}", others.join(", "))
        };
        let mut finding = cx
            .finding(
                &RULE,
                resource.allocation.span_or(resource.place.anchor),
                resource.place.child("allocation"),
                format!("`{person}` is allocated {}% of full time {when}{elsewhere}", over.peak / 100),
            )
            .with_help("lower the allocations, or move their dates apart, so that they add up to at most 1.0 on every day");
        for &index in &over.involved {
            let other = &allocations[index];
            let other_cx = &portfolio.plans[other.plan];
            let Some(other_resource) = Plan::entries(&other_cx.plan.resources).get(other.entry)
            else {
                continue;
            };
            let span = other_resource
                .allocation
                .span_or(other_resource.place.anchor);
            if other.plan != plan {
                finding = finding.with_related(
                    other_cx.file,
                    span,
                    format!("`{person}` is also allocated here"),
                );
            } else if other.entry != entry {
                finding = finding.with_label(span, "also allocated");
            }
        }
        out.push(finding);
    }
}
