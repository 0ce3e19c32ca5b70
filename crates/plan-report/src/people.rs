//! Each person's allocation over time, across every plan: a sweep over the days their
//! allocations start and end (O(k log k) for k allocations), the same arithmetic as the
//! `over-allocation` rule (exact shares, inclusive dates; an entry without dates takes its
//! plan's timeline).

use crate::dates::{days_between, next_day};
use jiff::civil::Date;
use plan_engine::facts::PlanFacts;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// Full time, in the unit of a share (hundredths of a percent).
pub const FULL_TIME: u64 = 10_000;

/// How many people get a chart; the rest are listed.
pub const CHARTED_PEOPLE: usize = 24;

/// How many plans a chart shows apart; a person's other plans are drawn as one band.
pub const CHARTED_PLANS: usize = 6;

#[derive(Debug, Serialize)]
pub struct PersonLoad {
    pub person: String,
    /// The plans (positions in the report's plans) the person is allocated to, in order.
    pub plans: Vec<usize>,
    /// The highest total allocation on any day, in hundredths of a percent.
    pub peak: u64,
    /// Days on which the total is over full time.
    pub over_days: i64,
    /// The periods over full time, with the total in each.
    pub over_periods: Vec<Period>,
    /// For charted people: the allocation over time, one segment per change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chart: Option<Chart>,
}

#[derive(Debug, Serialize, Clone, PartialEq, Eq)]
pub struct Period {
    #[serde(serialize_with = "crate::dates::date")]
    pub from: Date,
    /// Inclusive.
    #[serde(serialize_with = "crate::dates::date")]
    pub until: Date,
    pub total: u64,
}

#[derive(Debug, Serialize)]
pub struct Chart {
    /// The plans drawn apart (positions in the report's plans), largest first; `other`
    /// holds the rest.
    pub bands: Vec<usize>,
    pub segments: Vec<Segment>,
}

#[derive(Debug, Serialize)]
pub struct Segment {
    #[serde(serialize_with = "crate::dates::date")]
    pub from: Date,
    #[serde(serialize_with = "crate::dates::date")]
    pub until: Date,
    /// The share of each band, in `bands` order, then the other plans' together.
    pub shares: Vec<u64>,
    pub total: u64,
}

struct Allocation {
    plan: usize,
    share: u32,
    from: Date,
    until: Date,
}

/// Every person's load, over-allocated people first (most days over first), then by peak and
/// name; the first [`CHARTED_PEOPLE`] with a chart. Also: how many allocations had no dates.
pub fn loads(facts: &[Option<&PlanFacts>]) -> (Vec<PersonLoad>, usize) {
    let mut undated = 0;
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut people: Vec<(&str, Vec<Allocation>)> = Vec::new();
    for (plan, facts) in facts.iter().enumerate() {
        let Some(facts) = facts else { continue };
        for resource in &facts.resources {
            let (Some(from), Some(until)) = (resource.from, resource.until) else {
                undated += 1;
                continue;
            };
            if until < from {
                // `schedule-order` reports it; it is allocated on no day.
                continue;
            }
            let slot = *index.entry(&resource.person).or_insert_with(|| {
                people.push((&resource.person, Vec::new()));
                people.len() - 1
            });
            people[slot].1.push(Allocation {
                plan,
                share: resource.share,
                from,
                until,
            });
        }
    }
    let mut loads: Vec<(PersonLoad, Vec<Allocation>)> = people
        .into_iter()
        .map(|(person, allocations)| (load(person, &allocations), allocations))
        .collect();
    loads.sort_by(|(a, _), (b, _)| {
        b.over_days
            .cmp(&a.over_days)
            .then(b.peak.cmp(&a.peak))
            .then_with(|| a.person.cmp(&b.person))
    });
    let loads = loads
        .into_iter()
        .enumerate()
        .map(|(rank, (mut load, allocations))| {
            if rank < CHARTED_PEOPLE {
                load.chart = Some(chart(&allocations));
            }
            load
        })
        .collect();
    (loads, undated)
}

/// The days on which the total changes: +share on `from`, -share the day after `until`.
fn changes(allocations: &[Allocation]) -> Vec<(Date, usize, bool)> {
    let mut changes: Vec<(Date, usize, bool)> = Vec::with_capacity(allocations.len() * 2);
    for (i, a) in allocations.iter().enumerate() {
        changes.push((a.from, i, true));
        changes.push((next_day(a.until), i, false));
    }
    changes.sort_unstable_by_key(|&(date, i, _)| (date, i));
    changes
}

/// Walk the changes in date order, calling `segment` for each stretch of days between two
/// change days on which someone is allocated, with the allocations active in it.
fn sweep(allocations: &[Allocation], mut segment: impl FnMut(Date, Date, u64)) {
    let changes = changes(allocations);
    let mut active = 0usize;
    let mut total: u64 = 0;
    let mut i = 0;
    while i < changes.len() {
        let day = changes[i].0;
        while i < changes.len() && changes[i].0 == day {
            let (_, entry, starts) = changes[i];
            if starts {
                active += 1;
                total += u64::from(allocations[entry].share);
            } else {
                active -= 1;
                total -= u64::from(allocations[entry].share);
            }
            i += 1;
        }
        if let Some(&(next, _, _)) = changes.get(i)
            && active > 0
        {
            // The stretch runs to the day before the next change.
            let until = next.yesterday().unwrap_or(next);
            segment(day, until, total);
        }
    }
}

fn load(person: &str, allocations: &[Allocation]) -> PersonLoad {
    let mut plans: Vec<usize> = allocations.iter().map(|a| a.plan).collect();
    plans.sort_unstable();
    plans.dedup();
    let mut peak = 0;
    let mut over_days = 0i64;
    let mut over_periods: Vec<Period> = Vec::new();
    sweep(allocations, |from, until, total| {
        peak = peak.max(total);
        if total > FULL_TIME {
            over_days += i64::from(days_between(from, until)) + 1;
            match over_periods.last_mut() {
                // Contiguous stretches at the same total read as one period.
                Some(last) if last.total == total && next_day(last.until) == from => {
                    last.until = until;
                }
                _ => over_periods.push(Period { from, until, total }),
            }
        }
    });
    PersonLoad {
        person: crate::model::shown(person),
        plans,
        peak,
        over_days,
        over_periods,
        chart: None,
    }
}

fn chart(allocations: &[Allocation]) -> Chart {
    // The plans with the most allocated share-days are drawn apart.
    let mut weight: BTreeMap<usize, i64> = BTreeMap::new();
    for a in allocations {
        *weight.entry(a.plan).or_default() +=
            i64::from(a.share) * (i64::from(days_between(a.from, a.until)) + 1);
    }
    let mut by_weight: Vec<(usize, i64)> = weight.into_iter().collect();
    by_weight.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let bands: Vec<usize> = by_weight
        .iter()
        .take(CHARTED_PLANS)
        .map(|&(plan, _)| plan)
        .collect();
    // Each allocation's band (the last one is "other plans"): O(1) per active allocation
    // below, and at most CHARTED_PLANS + 1 shares per segment.
    let band_of: Vec<usize> = allocations
        .iter()
        .map(|a| {
            bands
                .iter()
                .position(|&p| p == a.plan)
                .unwrap_or(bands.len())
        })
        .collect();
    let mut segments: Vec<Segment> = Vec::new();
    let mut shares = vec![0u64; bands.len() + 1];
    sweep(allocations, |from, until, total| {
        segments.push(Segment {
            from,
            until,
            shares: Vec::new(),
            total,
        });
    });
    // A second pass for the shares per band, kept as running sums by band.
    let changes = changes(allocations);
    let mut next = 0;
    for segment in &mut segments {
        while next < changes.len() && changes[next].0 <= segment.from {
            let (_, entry, starts) = changes[next];
            let band = band_of[entry];
            if starts {
                shares[band] += u64::from(allocations[entry].share);
            } else {
                shares[band] -= u64::from(allocations[entry].share);
            }
            next += 1;
        }
        segment.shares = shares.clone();
    }
    Chart { bands, segments }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn alloc(plan: usize, share: u32, from: Date, until: Date) -> Allocation {
        Allocation {
            plan,
            share,
            from,
            until,
        }
    }

    /// The day-by-day count the sweep must agree with.
    fn brute_force(allocations: &[Allocation]) -> (u64, i64) {
        let first = allocations.iter().map(|a| a.from).min().unwrap();
        let last = allocations.iter().map(|a| a.until).max().unwrap();
        let (mut peak, mut over) = (0, 0);
        let mut day = first;
        while day <= last {
            let total: u64 = allocations
                .iter()
                .filter(|a| a.from <= day && day <= a.until)
                .map(|a| u64::from(a.share))
                .sum();
            peak = peak.max(total);
            over += i64::from(total > FULL_TIME);
            day = next_day(day);
        }
        (peak, over)
    }

    #[test]
    fn peaks_and_days_over_full_time_match_a_day_by_day_count() {
        let cases = vec![
            vec![
                alloc(0, 6_000, date(2026, 1, 1), date(2026, 3, 31)),
                alloc(1, 5_000, date(2026, 3, 1), date(2026, 6, 30)),
            ],
            vec![
                alloc(0, 10_000, date(2026, 1, 1), date(2026, 1, 1)),
                alloc(1, 1, date(2026, 1, 1), date(2026, 1, 1)),
            ],
            vec![
                alloc(0, 5_000, date(2026, 1, 1), date(2026, 12, 31)),
                alloc(1, 5_000, date(2026, 1, 1), date(2026, 12, 31)),
                alloc(2, 2_500, date(2026, 2, 28), date(2028, 2, 29)),
                alloc(0, 3_000, date(2026, 6, 1), date(2026, 6, 10)),
            ],
        ];
        for allocations in cases {
            let load = load("alice", &allocations);
            assert_eq!((load.peak, load.over_days), brute_force(&allocations));
            let period_days: i64 = load
                .over_periods
                .iter()
                .map(|p| i64::from(days_between(p.from, p.until)) + 1)
                .sum();
            assert_eq!(period_days, load.over_days);
        }
    }

    #[test]
    fn a_chart_stacks_each_plan_and_its_segments_add_up() {
        let allocations = vec![
            alloc(3, 6_000, date(2026, 1, 1), date(2026, 3, 31)),
            alloc(5, 5_000, date(2026, 3, 1), date(2026, 4, 30)),
        ];
        let chart = chart(&allocations);
        assert_eq!(chart.bands, vec![3, 5]);
        let shares: Vec<(Date, Vec<u64>)> = chart
            .segments
            .iter()
            .map(|s| (s.from, s.shares.clone()))
            .collect();
        assert_eq!(
            shares,
            vec![
                (date(2026, 1, 1), vec![6_000, 0, 0]),
                (date(2026, 3, 1), vec![6_000, 5_000, 0]),
                (date(2026, 4, 1), vec![0, 5_000, 0]),
            ]
        );
        for segment in &chart.segments {
            assert_eq!(segment.shares.iter().sum::<u64>(), segment.total);
        }
    }
}
