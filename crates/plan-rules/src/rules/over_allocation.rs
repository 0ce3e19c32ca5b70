//! `over-allocation` (PL017): nobody is allocated more than full time on any day, over all
//! plans in the run.

use crate::summary::FULL_TIME;
use crate::{Check, Finding, Portfolio, Rule, Severity};
use foldhash::{HashMap, HashMapExt as _};
use jiff::civil::Date;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::fmt::Write as _;

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
    // Grouped through a hash index, then put in name order (a tree of 3,000 names costs a
    // dozen string comparisons per allocation at 10,000 plans).
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut by_person: Vec<(&str, Vec<Allocation>)> = Vec::new();
    for (plan, summary) in portfolio.plans.iter().enumerate() {
        for (entry, resource) in summary.resources.iter().enumerate() {
            let person = index.entry(&resource.person).or_insert_with(|| {
                by_person.push((&resource.person, Vec::new()));
                by_person.len() - 1
            });
            by_person[*person].1.push(Allocation {
                plan,
                entry,
                share: resource.share,
                from: resource.from,
                until: resource.until,
            });
        }
    }
    by_person.sort_unstable_by_key(|(person, _)| *person);
    // Each person's days are independent of everyone else's: the sweeps run in parallel,
    // then every finding (one per person and plan) is built in parallel straight into its
    // place in one vector, so the largest part of a big run's findings is never copied.
    let over: Vec<OverAllocated<'_>> = by_person
        .par_iter()
        .filter_map(|(person, allocations)| {
            let over = over_allocated(allocations)?;
            Some(OverAllocated::new(person, allocations, &over))
        })
        .collect();
    let findings: Vec<(usize, usize)> = over
        .iter()
        .enumerate()
        .flat_map(|(person, over)| (0..over.plans.len()).map(move |plan| (person, plan)))
        .collect();
    let mut found = Vec::new();
    findings
        .par_iter()
        .map(|&(person, plan)| over[person].finding(portfolio, plan))
        .collect_into_vec(&mut found);
    if out.is_empty() {
        *out = found;
    } else {
        out.append(&mut found);
    }
}

/// The first day the sum exceeds full time, and every allocation active on some such day.
struct Over {
    first_day: Option<Date>,
    peak: i64,
    involved: Vec<usize>,
}

/// Sweep the allocations' start and end days in order, keeping the running sum, and collect
/// the stretches of days on which it exceeds full time; then an allocation is involved when
/// its own days meet one of those stretches (a binary search). O(n log n) throughout, however
/// many allocations overlap at once.
fn over_allocated(allocations: &[Allocation]) -> Option<Over> {
    // (day, is_end, index): an allocation without a start counts from the start of time; one
    // ending on day D stops counting on D + 1; ends are applied before starts on the same day.
    let mut events: Vec<(Date, bool, usize)> = Vec::with_capacity(allocations.len() * 2);
    for (index, allocation) in allocations.iter().enumerate() {
        events.push((allocation.start(), false, index));
        if let Some(end) = allocation.end() {
            events.push((end, true, index));
        }
    }
    events.sort_unstable_by_key(|&(day, is_end, index)| (day, !is_end, index));
    // Disjoint, in order: [start, end) stretches over full time.
    let mut stretches: Vec<(Date, Date)> = Vec::new();
    let mut first_day = None;
    let mut peak = 0;
    let mut sum = 0;
    let mut i = 0;
    while i < events.len() {
        let day = events[i].0;
        while i < events.len() && events[i].0 == day {
            let (_, is_end, index) = events[i];
            let share = allocations[index].share;
            sum += if is_end { -share } else { share };
            i += 1;
        }
        if sum > FULL_TIME {
            let until = events.get(i).map_or(Date::MAX, |event| event.0);
            match stretches.last_mut() {
                Some(last) if last.1 == day => last.1 = until,
                _ => stretches.push((day, until)),
            }
            first_day.get_or_insert(day);
            peak = peak.max(sum);
        }
    }
    let first_day = first_day?;
    let involved = allocations
        .iter()
        .enumerate()
        .filter(|(_, allocation)| {
            let (start, end) = (allocation.start(), allocation.end().unwrap_or(Date::MAX));
            // The first stretch ending after this allocation starts is the only one that can
            // meet it first.
            let next = stretches.partition_point(|&(_, until)| until <= start);
            stretches.get(next).is_some_and(|&(from, _)| from < end)
        })
        .map(|(index, _)| index)
        .collect();
    Some(Over {
        first_day: (first_day != Date::MIN).then_some(first_day),
        peak,
        involved,
    })
}

impl Allocation {
    /// The first day counted: an allocation without a start counts from the start of time.
    fn start(&self) -> Date {
        self.from.unwrap_or(Date::MIN)
    }

    /// The first day no longer counted, if there is one.
    fn end(&self) -> Option<Date> {
        self.until.and_then(|until| until.tomorrow().ok())
    }
}

/// How many other plans a finding names, and points at, before it says "and N more": one
/// finding per plan naming every other plan would grow with the square of the plans.
const MAX_NAMED: usize = 5;

/// Someone allocated more than full time: when, and the involved entries of each plan.
struct OverAllocated<'a> {
    person: &'a str,
    /// `from 2026-05-18`, or `at all times`.
    when: String,
    peak: i64,
    /// (plan, its involved entries in entry order), in plan order.
    plans: Vec<(usize, Vec<usize>)>,
}

impl<'a> OverAllocated<'a> {
    fn new(person: &'a str, allocations: &[Allocation], over: &Over) -> Self {
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
        OverAllocated {
            person,
            when: over
                .first_day
                .map(|day| format!("from {day}"))
                .unwrap_or_else(|| "at all times".to_owned()),
            peak: over.peak,
            plans: by_plan.into_iter().collect(),
        }
    }

    /// The finding at the first involved entry of the `index`-th plan.
    fn finding(&self, portfolio: &Portfolio, index: usize) -> Finding {
        let resource = |plan: usize, entry: usize| &portfolio.plans[plan].resources[entry];
        let (plan, entries) = &self.plans[index];
        let plan = *plan;
        let summary = &portfolio.plans[plan];
        // Every plan listed has at least one involved entry.
        let (entry, same_plan) = entries
            .split_first()
            .map_or((0, &[][..]), |(e, rest)| (*e, rest));
        let first = resource(plan, entry);
        // Only the plans named are visited: a person in k plans would otherwise cost k².
        let others = || {
            self.plans
                .iter()
                .filter(move |(p, _)| *p != plan)
                .take(MAX_NAMED)
                .map(|(p, entries)| (*p, entries[0]))
        };
        let other_count = self.plans.len() - 1;
        let named_count = other_count.min(MAX_NAMED);
        // One buffer per message, given back what it does not use (shrinking in place): at
        // portfolio scale this rule builds most of a run's findings, each kept to the end.
        let mut message = String::with_capacity(96 + 160 * named_count);
        let _ = write!(
            message,
            "`{}` is allocated {}% of full time {}",
            self.person,
            self.peak / 100,
            self.when
        );
        for (index, (other, _)) in others().enumerate() {
            message.push_str(if index == 0 { ", with " } else { ", " });
            portfolio.plans[other].write_name(&mut message);
        }
        if other_count > MAX_NAMED {
            let _ = write!(message, ", {} more plans", other_count - MAX_NAMED);
        }
        message.shrink_to_fit();
        let mut finding = Finding::located(
            &RULE,
            summary.file,
            first.at,
            first.path.clone(),
            message,
        )
        .with_help("lower the allocations, or move their dates apart, so that they add up to at most 1.0 on every day");
        // Exact sizes: at portfolio scale these findings are most of what a run holds.
        finding.labels.reserve_exact(same_plan.len());
        finding.related.reserve_exact(named_count);
        for &other_entry in same_plan {
            finding = finding.with_label(resource(plan, other_entry).at, "also allocated");
        }
        for (other, first) in others() {
            finding = finding.with_related(
                portfolio.plans[other].file,
                resource(other, first).at,
                "also allocated here",
            );
        }
        finding
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn allocation(share: i64, from: Option<Date>, until: Option<Date>) -> Allocation {
        Allocation {
            plan: 0,
            entry: 0,
            share,
            from,
            until,
        }
    }

    const HALF: i64 = FULL_TIME / 2;

    #[test]
    fn only_allocations_meeting_an_over_allocated_day_are_involved() {
        let allocations = [
            allocation(HALF, Some(date(2026, 1, 1)), Some(date(2026, 1, 31))),
            allocation(HALF + 1, Some(date(2026, 1, 20)), Some(date(2026, 2, 10))),
            // Ends the day before the overlap starts: never over with the others.
            allocation(HALF, Some(date(2025, 12, 1)), Some(date(2026, 1, 19))),
            // Starts the day after the overlap ends.
            allocation(HALF, Some(date(2026, 2, 11)), None),
        ];
        let over = over_allocated(&allocations).expect("over-allocated");
        assert_eq!(over.first_day, Some(date(2026, 1, 20)));
        assert_eq!(over.peak, FULL_TIME + 1);
        assert_eq!(over.involved, vec![0, 1]);
    }

    #[test]
    fn an_allocation_ending_on_a_day_still_counts_that_day() {
        let allocations = [
            allocation(HALF + 1, None, Some(date(2026, 3, 1))),
            allocation(HALF, Some(date(2026, 3, 1)), None),
        ];
        let over = over_allocated(&allocations).expect("over-allocated on 1 March");
        assert_eq!(over.first_day, Some(date(2026, 3, 1)));
        assert_eq!(over.involved, vec![0, 1]);
    }

    #[test]
    fn undated_allocations_are_over_at_all_times() {
        let allocations = [allocation(FULL_TIME, None, None), allocation(1, None, None)];
        let over = over_allocated(&allocations).expect("over-allocated");
        assert_eq!(over.first_day, None);
        assert_eq!(over.involved, vec![0, 1]);
    }

    #[test]
    fn separate_stretches_each_involve_their_own_allocations() {
        let allocations = [
            allocation(FULL_TIME, None, None),
            allocation(1, Some(date(2026, 1, 1)), Some(date(2026, 1, 2))),
            allocation(1, Some(date(2026, 6, 1)), Some(date(2026, 6, 2))),
        ];
        let over = over_allocated(&allocations).expect("over-allocated");
        assert_eq!(over.first_day, Some(date(2026, 1, 1)));
        assert_eq!(over.involved, vec![0, 1, 2]);
        let exactly_full = [allocation(HALF, None, None), allocation(HALF, None, None)];
        assert!(over_allocated(&exactly_full).is_none());
    }
}
