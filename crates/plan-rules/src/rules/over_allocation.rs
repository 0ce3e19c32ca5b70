//! `over-allocation` (PL017): nobody is allocated more than full time on any day, over all
//! plans in the run.

use crate::summary::FULL_TIME;
use crate::{Check, Finding, Fixability, Portfolio, Rule, Severity};
use foldhash::{HashMap, HashMapExt as _};
use jiff::civil::Date;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

pub static RULE: Rule = Rule {
    code: "PL017",
    name: "over-allocation",
    default_severity: Severity::Error,
    time_based: false,
    fix: Fixability::None,
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
    // Only people with an allocation in a plan whose findings are wanted can be found in it.
    let wanted = |plan: usize| portfolio.in_focus(portfolio.plans[plan].file);
    by_person.retain(|(_, allocations)| allocations.iter().any(|a| wanted(a.plan)));
    by_person.sort_unstable_by_key(|(person, _)| *person);
    // Each person's days are independent of everyone else's: the sweeps run in parallel,
    // then every finding (one per person and plan) is built in parallel straight into its
    // place in one vector, so the largest part of a big run's findings is never copied.
    let over: Vec<OverAllocated<'_>> = by_person
        .par_iter()
        .filter_map(|(person, allocations)| {
            let over = over_allocated(allocations)?;
            Some(OverAllocated::new(person, allocations, over))
        })
        .collect();
    let findings: Vec<(usize, usize)> = over
        .iter()
        .enumerate()
        .flat_map(|(person, over)| {
            over.plans
                .iter()
                .enumerate()
                .filter(|(_, (plan, _))| wanted(*plan))
                .map(move |(index, _)| (person, index))
        })
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

/// A stretch of days on which one person's total is the same and more than full time.
struct Segment {
    from: Date,
    /// The first day after it; `Date::MAX` when it never ends.
    until: Date,
    sum: i64,
    /// Which run of consecutive over-allocated days it belongs to (0, 1, …).
    run: usize,
    /// How many plans have an allocation on these days.
    plans: usize,
    /// The first `MAX_NAMED + 1` of those plans, in plan order, each with its first allocation
    /// active here (an index into the person's allocations).
    first: Vec<(usize, usize)>,
}

/// One person's over-allocation: every stretch of days over full time, and every allocation
/// active on some such day.
struct Over {
    segments: Vec<Segment>,
    /// Per run: its first and one-past-last segment.
    runs: Vec<(usize, usize)>,
    extremes: RangeExtremes,
    involved: Vec<usize>,
}

/// Sweep the allocations' start and end days in order, keeping the running sum and the plans
/// active, and record the segments over full time; then an allocation is involved when its own
/// days meet one of them (a binary search). O(n log n) throughout, however many allocations
/// overlap at once: each segment keeps at most `MAX_NAMED + 1` plans by name.
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
    // (plan, allocation) active now, and how many allocations of each plan are.
    let mut active: BTreeSet<(usize, usize)> = BTreeSet::new();
    let mut per_plan: HashMap<usize, usize> = HashMap::new();
    let mut segments: Vec<Segment> = Vec::new();
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut sum = 0;
    let mut i = 0;
    while i < events.len() {
        let day = events[i].0;
        while i < events.len() && events[i].0 == day {
            let (_, is_end, index) = events[i];
            let allocation = &allocations[index];
            let plan = allocation.plan;
            if is_end {
                sum -= allocation.share;
                active.remove(&(plan, index));
                if let Some(count) = per_plan.get_mut(&plan) {
                    *count -= 1;
                    if *count == 0 {
                        per_plan.remove(&plan);
                    }
                }
            } else {
                sum += allocation.share;
                active.insert((plan, index));
                *per_plan.entry(plan).or_default() += 1;
            }
            i += 1;
        }
        if sum > FULL_TIME {
            let until = events.get(i).map_or(Date::MAX, |event| event.0);
            let continues = segments.last().is_some_and(|last| last.until == day);
            if !continues {
                runs.push((segments.len(), segments.len()));
            }
            let run = runs.len() - 1;
            runs[run].1 = segments.len() + 1;
            segments.push(Segment {
                from: day,
                until,
                sum,
                run,
                plans: per_plan.len(),
                first: first_plans(&active, MAX_NAMED + 1),
            });
        }
    }
    if segments.is_empty() {
        return None;
    }
    let involved = allocations
        .iter()
        .enumerate()
        .filter(|(_, allocation)| {
            let (from, to) = segment_range(&segments, allocation);
            from < to
        })
        .map(|(index, _)| index)
        .collect();
    let extremes = RangeExtremes::new(&segments.iter().map(|s| s.sum).collect::<Vec<_>>());
    Some(Over {
        segments,
        runs,
        extremes,
        involved,
    })
}

/// The first `count` distinct plans of the active set, each with its first active allocation.
fn first_plans(active: &BTreeSet<(usize, usize)>, count: usize) -> Vec<(usize, usize)> {
    let mut first = Vec::with_capacity(count);
    let mut next = active.iter().next().copied();
    while let Some((plan, allocation)) = next {
        first.push((plan, allocation));
        if first.len() == count {
            break;
        }
        next = active.range((plan + 1, 0)..).next().copied();
    }
    first
}

/// The segments (as an index range) an allocation's days meet.
fn segment_range(segments: &[Segment], allocation: &Allocation) -> (usize, usize) {
    let (start, end) = (allocation.start(), allocation.end().unwrap_or(Date::MAX));
    let from = segments.partition_point(|segment| segment.until <= start);
    let to = segments.partition_point(|segment| segment.from < end);
    (from, to.max(from))
}

/// The largest and smallest value of any index range in O(1), after O(n log n) (sparse tables):
/// each finding asks for the peak of its allocation's days.
struct RangeExtremes {
    /// `max[k][i]`: the index of the first largest value in `i .. i + 2^k`.
    max: Vec<Vec<usize>>,
    /// `min[k][i]`: the smallest value in `i .. i + 2^k`; `min[0]` is the values themselves.
    min: Vec<Vec<i64>>,
}

impl RangeExtremes {
    fn new(values: &[i64]) -> Self {
        let mut max = vec![(0..values.len()).collect::<Vec<_>>()];
        let mut min = vec![values.to_vec()];
        let mut width = 1;
        while width * 2 <= values.len() {
            let (last_max, last_min) = (&max[max.len() - 1], &min[min.len() - 1]);
            let count = values.len() - width * 2 + 1;
            let next_max = (0..count)
                .map(|i| {
                    let (a, b) = (last_max[i], last_max[i + width]);
                    if values[b] > values[a] { b } else { a }
                })
                .collect();
            let next_min = (0..count)
                .map(|i| last_min[i].min(last_min[i + width]))
                .collect();
            max.push(next_max);
            min.push(next_min);
            width *= 2;
        }
        RangeExtremes { max, min }
    }

    /// The index of the first largest value in `from..to`, and the smallest value there;
    /// `from < to`.
    fn query(&self, from: usize, to: usize) -> (usize, i64) {
        let level = (to - from).ilog2() as usize;
        let width = 1 << level;
        let (a, b) = (self.max[level][from], self.max[level][to - width]);
        // Ties go to the earlier index: the first day the peak is reached.
        let values = &self.min[0];
        let first_max = if values[b] > values[a] { b } else { a };
        (
            first_max,
            self.min[level][from].min(self.min[level][to - width]),
        )
    }
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

/// Someone allocated more than full time: the stretches of days, and the involved entries of
/// each plan.
struct OverAllocated<'a> {
    person: &'a str,
    allocations: &'a [Allocation],
    /// (plan, its involved allocations in entry order), in plan order.
    plans: Vec<(usize, Vec<usize>)>,
    /// For each plan (same order), what its finding says. The sweep's segments and tables
    /// are dropped once these are known: every over-allocated person is held until the
    /// findings are built, and at portfolio scale the segments would be tens of MiB.
    facts: Vec<PlanFacts>,
}

/// What one plan's finding says.
struct PlanFacts {
    stretch: Stretch,
    /// How many other plans allocate the person on the peak's first day.
    other_count: usize,
    /// The first `MAX_NAMED` of them, each with its allocation active that day.
    others: Vec<(usize, usize)>,
}

/// What a finding says about its entry's days: the peak, the run of over-allocated days it is
/// first reached in (within the entry's own days), the plans sharing that peak, and how many
/// other runs the entry meets.
struct Stretch {
    peak: i64,
    constant: bool,
    from: Date,
    /// The first day after it; `Date::MAX` when it never ends.
    until: Date,
    peak_segment: usize,
    other_runs: usize,
}

impl<'a> OverAllocated<'a> {
    fn new(person: &'a str, allocations: &'a [Allocation], over: Over) -> Self {
        let mut by_plan: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for &index in &over.involved {
            by_plan
                .entry(allocations[index].plan)
                .or_default()
                .push(index);
        }
        for entries in by_plan.values_mut() {
            entries.sort_unstable_by_key(|&index| allocations[index].entry);
        }
        let plans: Vec<(usize, Vec<usize>)> = by_plan.into_iter().collect();
        let facts = plans
            .iter()
            .map(|(plan, entries)| {
                // Every plan listed has at least one involved entry.
                let stretch = stretch(&over, &allocations[entries[0]]);
                let peak = &over.segments[stretch.peak_segment];
                PlanFacts {
                    stretch,
                    other_count: peak.plans - 1,
                    others: peak
                        .first
                        .iter()
                        .filter(|(p, _)| p != plan)
                        .take(MAX_NAMED)
                        .copied()
                        .collect(),
                }
            })
            .collect();
        OverAllocated {
            person,
            allocations,
            plans,
            facts,
        }
    }
}

/// The facts of an involved allocation's days.
fn stretch(over: &Over, allocation: &Allocation) -> Stretch {
    let segments = &over.segments;
    // An involved allocation meets at least one segment.
    let (from, to) = segment_range(segments, allocation);
    let (peak_segment, _) = over.extremes.query(from, to);
    let (run_from, run_to) = over.runs[segments[peak_segment].run];
    let (lo, hi) = (run_from.max(from), run_to.min(to));
    let (_, least) = over.extremes.query(lo, hi);
    let peak = segments[peak_segment].sum;
    let end = allocation.end().unwrap_or(Date::MAX);
    Stretch {
        peak,
        constant: least == peak,
        from: segments[lo].from.max(allocation.start()),
        until: segments[hi - 1].until.min(end),
        peak_segment,
        other_runs: segments[to - 1].run - segments[from].run,
    }
}

impl OverAllocated<'_> {
    /// The finding at the first involved entry of the `index`-th plan.
    fn finding(&self, portfolio: &Portfolio, index: usize) -> Finding {
        let resource = |allocation: usize| {
            let allocation = &self.allocations[allocation];
            &portfolio.plans[allocation.plan].resources[allocation.entry]
        };
        let (plan, entries) = &self.plans[index];
        let summary = &portfolio.plans[*plan];
        // Every plan listed has at least one involved entry.
        let (first, same_plan) = entries
            .split_first()
            .map_or((0, &[][..]), |(e, rest)| (*e, rest));
        let PlanFacts {
            stretch,
            other_count,
            others,
        } = &self.facts[index];
        // The other plans allocating this person on the peak's first day.
        let others = || others.iter().copied();
        let other_count = *other_count;
        let named_count = other_count.min(MAX_NAMED);
        // One buffer per message, given back what it does not use (shrinking in place): at
        // portfolio scale this rule builds most of a run's findings, each kept to the end.
        let mut message = String::with_capacity(128 + 160 * named_count);
        // Pushed piece by piece, not through `write!`: this message is built tens of thousands
        // of times in a large run, and the formatting machinery was a fifth of this rule.
        message.push('`');
        message.push_str(self.person);
        message.push_str("` is allocated ");
        if !stretch.constant {
            message.push_str("up to ");
        }
        push_percent(&mut message, stretch.peak);
        message.push_str(" of full time ");
        push_days(&mut message, stretch.from, stretch.until);
        for (index, (other, _)) in others().enumerate() {
            message.push_str(if index == 0 { ", with " } else { ", " });
            portfolio.plans[other].write_name(&mut message);
        }
        if other_count > MAX_NAMED {
            message.push_str(", ");
            message.push_str(itoa::Buffer::new().format(other_count - MAX_NAMED));
            message.push_str(" more plans");
        }
        match stretch.other_runs {
            0 => {}
            1 => message.push_str("; and over full time on 1 other stretch of days"),
            n => {
                message.push_str("; and over full time on ");
                message.push_str(itoa::Buffer::new().format(n));
                message.push_str(" other stretches of days");
            }
        }
        message.shrink_to_fit();
        let at = resource(first);
        let mut finding = Finding::located(&RULE, summary.file, at.at, at.path.clone(), message)
            .with_help("lower the allocations, or move their dates apart, so that they add up to at most 1.0 on every day");
        // Exact sizes: at portfolio scale these findings are most of what a run holds.
        finding.labels.reserve_exact(same_plan.len());
        finding.related.reserve_exact(named_count);
        for &other_entry in same_plan {
            finding = finding.with_label(resource(other_entry).at, "also allocated");
        }
        for (other, allocation) in others() {
            finding = finding.with_related(
                portfolio.plans[other].file,
                resource(allocation).at,
                "also allocated here",
            );
        }
        finding
    }
}

/// A share of full time as a percentage: `120%`, `100.5%`, `100.01%`.
fn push_percent(out: &mut String, share: i64) {
    let (whole, hundredths) = (share / 100, share % 100);
    out.push_str(itoa::Buffer::new().format(whole));
    match hundredths {
        0 => {}
        h if h % 10 == 0 => {
            out.push('.');
            out.push(digit(h / 10));
        }
        h => {
            out.push('.');
            out.push(digit(h / 10));
            out.push(digit(h % 10));
        }
    }
    out.push('%');
}

/// The ASCII digit of `n` (0 to 9).
fn digit(n: i64) -> char {
    char::from(b'0' + (n.rem_euclid(10) as u8))
}

/// A day as `YYYY-MM-DD`, as jiff writes it.
fn push_date(out: &mut String, day: Date) {
    let year = i64::from(day.year());
    if !(0..=9999).contains(&year) {
        // Beyond four digits jiff writes a sign and six digits: rare enough for `write!`.
        let _ = write!(out, "{day}");
        return;
    }
    for n in [year / 1000, year / 100, year / 10, year] {
        out.push(digit(n));
    }
    for n in [i64::from(day.month()), i64::from(day.day())] {
        out.push('-');
        out.push(digit(n / 10));
        out.push(digit(n));
    }
}

/// The days `from .. until` (exclusive) as a message says them.
fn push_days(out: &mut String, from: Date, until: Date) {
    let last = (until != Date::MAX).then(|| until.yesterday().unwrap_or(until));
    match (from == Date::MIN, last) {
        (true, None) => out.push_str("at all times"),
        (true, Some(last)) => {
            out.push_str("until ");
            push_date(out, last);
        }
        (false, None) => {
            out.push_str("from ");
            push_date(out, from);
        }
        (false, Some(last)) if last == from => {
            out.push_str("on ");
            push_date(out, from);
        }
        (false, Some(last)) => {
            out.push_str("from ");
            push_date(out, from);
            out.push_str(" to ");
            push_date(out, last);
        }
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

    /// (first day, first day after, sum) of each segment over full time.
    fn segments(over: &Over) -> Vec<(Date, Date, i64)> {
        over.segments
            .iter()
            .map(|s| (s.from, s.until, s.sum))
            .collect()
    }

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
        assert_eq!(
            segments(&over),
            [(date(2026, 1, 20), date(2026, 2, 1), FULL_TIME + 1)]
        );
        assert_eq!(over.involved, vec![0, 1]);
    }

    #[test]
    fn an_allocation_ending_on_a_day_still_counts_that_day() {
        let allocations = [
            allocation(HALF + 1, None, Some(date(2026, 3, 1))),
            allocation(HALF, Some(date(2026, 3, 1)), None),
        ];
        let over = over_allocated(&allocations).expect("over-allocated on 1 March");
        assert_eq!(
            segments(&over),
            [(date(2026, 3, 1), date(2026, 3, 2), FULL_TIME + 1)]
        );
        assert_eq!(over.involved, vec![0, 1]);
    }

    #[test]
    fn undated_allocations_are_over_at_all_times() {
        let allocations = [allocation(FULL_TIME, None, None), allocation(1, None, None)];
        let over = over_allocated(&allocations).expect("over-allocated");
        assert_eq!(segments(&over), [(Date::MIN, Date::MAX, FULL_TIME + 1)]);
        assert_eq!(over.involved, vec![0, 1]);
    }

    #[test]
    fn separate_stretches_each_involve_their_own_allocations() {
        let allocations = [
            allocation(FULL_TIME, None, None),
            allocation(1, Some(date(2026, 1, 1)), Some(date(2026, 1, 2))),
            allocation(2, Some(date(2026, 6, 1)), Some(date(2026, 6, 2))),
        ];
        let over = over_allocated(&allocations).expect("over-allocated");
        assert_eq!(over.runs, [(0, 1), (1, 2)]);
        assert_eq!(over.involved, vec![0, 1, 2]);
        let found = stretch(&over, &allocations[0]);
        assert_eq!(found.peak, FULL_TIME + 2, "the higher of the two");
        assert_eq!(
            (found.from, found.until),
            (date(2026, 6, 1), date(2026, 6, 3))
        );
        assert_eq!(found.other_runs, 1);
        let exactly_full = [allocation(HALF, None, None), allocation(HALF, None, None)];
        assert!(over_allocated(&exactly_full).is_none());
    }

    #[test]
    fn range_extremes_agree_with_a_scan() {
        let values = [3, 9, 2, 9, 4, 1, 7, 7, 0, 5, 8];
        let extremes = RangeExtremes::new(&values);
        for from in 0..values.len() {
            for to in from + 1..=values.len() {
                let max = *values[from..to].iter().max().unwrap();
                let first = from + values[from..to].iter().position(|&v| v == max).unwrap();
                let min = *values[from..to].iter().min().unwrap();
                assert_eq!(extremes.query(from, to), (first, min), "{from}..{to}");
            }
        }
    }

    fn percent(share: i64) -> String {
        let mut out = String::new();
        push_percent(&mut out, share);
        out
    }

    fn days(from: Date, until: Date) -> String {
        let mut out = String::new();
        push_days(&mut out, from, until);
        out
    }

    #[test]
    fn percentages_and_days_read_as_written() {
        assert_eq!(percent(12_000), "120%");
        assert_eq!(percent(10_050), "100.5%");
        assert_eq!(percent(10_001), "100.01%");
        assert_eq!(days(Date::MIN, Date::MAX), "at all times");
        assert_eq!(
            days(date(2026, 11, 1), date(2026, 12, 1)),
            "from 2026-11-01 to 2026-11-30"
        );
        assert_eq!(days(date(2026, 11, 1), date(2026, 11, 2)), "on 2026-11-01");
        assert_eq!(days(date(2026, 11, 1), Date::MAX), "from 2026-11-01");
        assert_eq!(days(Date::MIN, date(2026, 11, 2)), "until 2026-11-01");
    }

    #[test]
    fn percentages_agree_with_the_formatter() {
        for share in (0..=100_000).chain([1_000_000, 123_456_789]) {
            let (whole, hundredths) = (share / 100, share % 100);
            let expected = match hundredths {
                0 => format!("{whole}%"),
                h if h % 10 == 0 => format!("{whole}.{}%", h / 10),
                h => format!("{whole}.{h:02}%"),
            };
            assert_eq!(percent(share), expected, "{share}");
        }
    }

    #[test]
    fn dates_are_written_as_jiff_writes_them() {
        let mut days: Vec<Date> = Vec::new();
        // Every day of the years plans are written for, and the first and last days of the
        // years where the digits roll over; the years jiff writes with a sign.
        let mut day = date(1999, 1, 1);
        while day <= date(2032, 12, 31) {
            days.push(day);
            day = day.tomorrow().expect("within jiff's range");
        }
        for year in [0, 1, 9, 10, 99, 100, 999, 1000, 9999, -1, -9999] {
            days.extend([date(year, 1, 1), date(year, 12, 31)]);
        }
        days.extend([Date::MIN, Date::MAX]);
        for day in days {
            let mut written = String::new();
            push_date(&mut written, day);
            assert_eq!(written, day.to_string());
        }
    }
}
