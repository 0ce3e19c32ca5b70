//! The report's charts as inline SVG: the portfolio's timeline (a Gantt chart of plans and
//! milestones) and each person's allocation over time. Every chart has a title and a
//! description for assistive technology, every mark a tooltip, and what a chart shows is
//! also in a table beside it: nothing is said by colour or by the picture alone.

use crate::dates::{days_between, next_day};
use crate::model::{MilestoneRow, PlanRow, StatusReport};
use crate::people::{FULL_TIME, PersonLoad};
use jiff::civil::Date;
use maud::{Markup, html};
use plan_engine::text::truncated;
use std::collections::HashMap;

/// How many plans the timeline draws (the rest are in the overview and the plans' details).
pub const TIMELINE_ROWS: usize = 40;

const WIDTH: f64 = 960.0;
const LABEL: f64 = 230.0;
const ROW: f64 = 30.0;
const AXIS: f64 = 34.0;

/// A linear scale from dates to x positions.
#[derive(Clone, Copy)]
struct Scale {
    first: Date,
    days: f64,
    left: f64,
    width: f64,
}

impl Scale {
    fn new(first: Date, last: Date, left: f64, width: f64) -> Scale {
        Scale {
            first,
            days: f64::from(days_between(first, last).max(1)),
            left,
            width,
        }
    }

    fn x(&self, date: Date) -> f64 {
        round(self.left + f64::from(days_between(self.first, date)) / self.days * self.width)
    }
}

/// Tick dates: the first of every n-th month after `first`, n chosen for at most 12 ticks.
fn ticks(first: Date, last: Date) -> Vec<Date> {
    let month_number = |date: Date| i32::from(date.year()) * 12 + i32::from(date.month()) - 1;
    let (start, end) = (month_number(first), month_number(last));
    let step = ((end - start) / 12 + 1).max(1);
    (1..)
        .map(|k| start + k * step)
        .take_while(|&month| month <= end)
        .filter_map(|month| {
            let year = i16::try_from(month / 12).ok()?;
            let month = i8::try_from(month % 12 + 1).ok()?;
            Date::new(year, month, 1).ok()
        })
        .collect()
}

/// `Mar`, or `Mar 2027` where the year is to be said.
fn tick_label(date: Date, with_year: bool) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = MONTHS[usize::try_from(date.month() - 1).unwrap_or(0)];
    if with_year {
        format!("{month} {}", date.year())
    } else {
        month.to_owned()
    }
}

/// The status a milestone is drawn with: late milestones as missed.
pub fn drawn_status(milestone: &MilestoneRow) -> &'static str {
    match milestone.status {
        Some("done") => "done",
        _ if milestone.late => "missed",
        Some("missed") => "missed",
        Some("at-risk") => "at-risk",
        _ => "planned",
    }
}

/// A milestone marker: its shape tells the status as its colour does.
fn marker(status: &str, x: f64, y: f64, tip: &str) -> Markup {
    let class = format!("ms ms-{status}");
    html! {
        @match status {
            "done" => circle class=(class) cx=(x) cy=(y) r="6" { title { (tip) } },
            "missed" => path class=(class) d=(format!("M{} {}l10 10m0 -10l-10 10", x - 5.0, y - 5.0)) { title { (tip) } },
            "at-risk" => path class=(class) d=(format!("M{x} {}l7 12h-14z", y - 7.0)) { title { (tip) } },
            _ => path class=(class) d=(format!("M{x} {}l6 6l-6 6l-6 -6z", y - 6.0)) { title { (tip) } },
        }
    }
}

/// The legend of milestone markers, for the timeline and its table.
pub fn legend() -> Markup {
    let items = [
        ("planned", "planned"),
        ("at-risk", "at risk"),
        ("missed", "missed or past due"),
        ("done", "done"),
    ];
    html! {
        ul.legend aria-label="Timeline markers" {
            @for (status, label) in items {
                li {
                    svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" focusable="false" {
                        (marker(status, 8.0, 8.0, label))
                    }
                    " " (label)
                }
            }
            li {
                svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" focusable="false" {
                    line.today x1="8" x2="8" y1="0" y2="16" {}
                }
                " today"
            }
        }
    }
}

/// The timeline of the plans in `rows` (positions in `report.plans`).
pub fn timeline(report: &StatusReport, rows: &[usize]) -> Option<Markup> {
    let plans: Vec<&PlanRow> = rows.iter().map(|&i| &report.plans[i]).collect();
    let dates = plans.iter().flat_map(|plan| {
        [plan.start, plan.end]
            .into_iter()
            .chain(plan.milestones.iter().map(|m| m.due))
            .flatten()
    });
    let (mut first, mut last) = (None::<Date>, None::<Date>);
    for date in dates.chain(std::iter::once(report.today)) {
        first = Some(first.map_or(date, |f| f.min(date)));
        last = Some(last.map_or(date, |l| l.max(date)));
    }
    let (first, last) = (first?, last?);
    if plans.is_empty() {
        return None;
    }
    let scale = Scale::new(first, next_day(last), LABEL, WIDTH - LABEL - 20.0);
    let height = AXIS + ROW * plans.len() as f64 + 10.0;
    // Where each drawn milestone is, for the arrows between plans.
    let mut at: HashMap<(&str, &str), (f64, f64)> = HashMap::new();
    for (row, plan) in plans.iter().enumerate() {
        let y = AXIS + ROW * row as f64 + ROW / 2.0;
        if let Some(id) = &plan.id {
            for m in &plan.milestones {
                if let (Some(mid), Some(due)) = (&m.id, m.due) {
                    at.entry((id, mid)).or_insert((scale.x(due), y));
                }
            }
        }
    }
    let mut arrows = Vec::new();
    for (row, plan) in plans.iter().enumerate() {
        let y = AXIS + ROW * row as f64 + ROW / 2.0;
        for m in &plan.milestones {
            let Some(due) = m.due else { continue };
            for reference in &m.depends_on {
                let Some((other, milestone)) = reference.split_once('#') else {
                    continue;
                };
                if plan.id.as_deref() == Some(other) {
                    continue;
                }
                if let Some(&(x, from_y)) = at.get(&(other, milestone)) {
                    arrows.push((
                        x,
                        from_y,
                        scale.x(due),
                        y,
                        format!(
                            "{} depends on {reference}",
                            m.id.as_deref().unwrap_or("a milestone")
                        ),
                    ));
                }
            }
        }
    }
    let today = scale.x(report.today);
    Some(html! {
        svg.timeline viewBox=(format!("0 0 {WIDTH} {height}")) role="img" aria-labelledby="timeline-title timeline-desc" {
            title #timeline-title { "Timeline of " (plans.len()) " plans" }
            desc #timeline-desc {
                "Each plan's span from its timeline's start to its end, its milestones as markers by status, a line at today ("
                (report.today) ") and arrows for dependencies between plans. The same facts are in the tables below."
            }
            defs {
                marker #arrow viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse" {
                    path.arrow-head d="M0 0L10 5L0 10z" {}
                }
            }
            g.axis {
                @let ticks = ticks(first, last);
                @for (i, tick) in ticks.iter().enumerate() {
                    line.grid x1=(scale.x(*tick)) x2=(scale.x(*tick)) y1=(AXIS - 6.0) y2=(height - 10.0) {}
                    text.tick x=(scale.x(*tick) + 3.0) y=(AXIS - 12.0) {
                        (tick_label(*tick, i == 0 || ticks[i - 1].year() != tick.year()))
                    }
                }
            }
            @for (row, plan) in plans.iter().enumerate() {
                @let y = AXIS + ROW * row as f64;
                g.row {
                    @if row % 2 == 0 {
                        rect.stripe x="0" y=(y) width=(WIDTH) height=(ROW) {}
                    }
                    // Plain text: a picture (role img) holds no links; the tables do.
                    text.label x="8" y=(y + ROW / 2.0 + 4.0) {
                        (truncated(plan.name(), 30))
                        title { (plan.name()) }
                    }
                    @if let (Some(start), Some(end)) = (plan.start, plan.end) {
                        @if start <= end {
                            rect class=(format!("span rag-{}", plan.rag.unwrap_or("unknown"))) x=(scale.x(start)) y=(y + 9.0)
                                width=(round(scale.x(next_day(end)) - scale.x(start))) height=(ROW - 18.0) rx="3" {
                                title { (plan.name()) ": " (start) " to " (end) }
                            }
                        }
                    }
                    @for m in &plan.milestones {
                        @if let Some(due) = m.due {
                            (marker(drawn_status(m), scale.x(due), y + ROW / 2.0, &milestone_tip(m, due)))
                        }
                    }
                }
            }
            @for (x1, y1, x2, y2, tip) in &arrows {
                path.dependency d=(format!("M{x1} {y1}C{} {y1} {} {y2} {x2} {y2}", (x1 + x2) / 2.0, (x1 + x2) / 2.0)) marker-end="url(#arrow)" {
                    title { (tip) }
                }
            }
            line.today x1=(today) x2=(today) y1=(AXIS - 20.0) y2=(height - 4.0) {}
            text.today-label x=(today + 4.0) y="12" { "today " (report.today) }
        }
    })
}

fn milestone_tip(m: &MilestoneRow, due: Date) -> String {
    let mut tip = String::new();
    if let Some(id) = &m.id {
        tip.push_str(id);
        tip.push(' ');
    }
    if let Some(title) = &m.title {
        tip.push_str(title);
    }
    tip.push_str(&format!(", due {due}, {}", m.status.unwrap_or("no status")));
    if m.late {
        tip.push_str(" (past due)");
    }
    tip
}

/// One person's allocation over time: a band per plan, stacked, with full time marked and
/// the days over it shaded.
pub fn allocation(person: &PersonLoad, report: &StatusReport, id: &str) -> Option<Markup> {
    let chart = person.chart.as_ref()?;
    let first = chart.segments.first()?.from;
    let last = chart.segments.last()?.until;
    let (width, height, top, left) = (640.0, 150.0, 10.0, 44.0);
    let plot = height - top - 24.0;
    let scale = Scale::new(first, next_day(last), left, width - left - 10.0);
    let ceiling = person.peak.max(FULL_TIME) as f64;
    let y = |share: u64| round(top + plot - share as f64 / ceiling * plot);
    let full = y(FULL_TIME);
    let band_name = |band: usize| match chart.bands.get(band) {
        Some(&plan) => report.plans[plan].name().to_owned(),
        None => "other plans".to_owned(),
    };
    Some(html! {
        svg.allocation viewBox=(format!("0 0 {width} {height}")) role="img" aria-labelledby=(format!("{id}-title")) {
            title id=(format!("{id}-title")) {
                "Allocation of " (person.person) " over time, stacked by plan; the table beside it lists the plans and the days over full time"
            }
            @for period in &person.over_periods {
                rect.over x=(scale.x(period.from)) y=(top) width=(round(scale.x(next_day(period.until)) - scale.x(period.from))) height=(plot) {
                    title { "over-allocated " (period.from) " to " (period.until) ": " (percent(period.total)) }
                }
            }
            @for segment in &chart.segments {
                @let x = scale.x(segment.from);
                @let w = round(scale.x(next_day(segment.until)) - x);
                @for (band, share, low, high) in stack(&segment.shares) {
                    rect class=(format!("band band-{band}")) x=(x) y=(y(high)) width=(w) height=(round(y(low) - y(high))) {
                        title { (band_name(band)) ": " (percent(share)) ", " (segment.from) " to " (segment.until) }
                    }
                }
            }
            // The share above full time, drawn over the bands.
            @for period in &person.over_periods {
                rect.excess x=(scale.x(period.from)) y=(y(period.total)) width=(round(scale.x(next_day(period.until)) - scale.x(period.from))) height=(round(full - y(period.total))) {
                    title { (percent(period.total - FULL_TIME)) " over full time, " (period.from) " to " (period.until) }
                }
            }
            line.full x1=(left) x2=(width - 10.0) y1=(full) y2=(full) {}
            text.tick x="2" y=(full + 4.0) { "100%" }
            text.tick x="2" y=(top + plot + 4.0) { "0%" }
            text.tick x=(left) y=(height - 6.0) { (first) }
            text.tick x=(width - 10.0) y=(height - 6.0) text-anchor="end" { (last) }
        }
    })
}

/// Each band with a share, with where it starts and ends stacked on the ones before it.
fn stack(shares: &[u64]) -> Vec<(usize, u64, u64, u64)> {
    let mut low = 0;
    shares
        .iter()
        .enumerate()
        .filter(|&(_, &share)| share > 0)
        .map(|(band, &share)| {
            let high = low + share;
            let bar = (band, share, low, high);
            low = high;
            bar
        })
        .collect()
}

/// A length rounded to a tenth of a pixel: smaller files, stable snapshots.
fn round(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// A share (hundredths of a percent) as a percentage: `50%`, `12.5%`.
pub fn percent(share: u64) -> String {
    let whole = share / 100;
    let rest = share % 100;
    if rest == 0 {
        format!("{whole}%")
    } else if rest.is_multiple_of(10) {
        format!("{whole}.{}%", rest / 10)
    } else {
        format!("{whole}.{rest:02}%")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn percentages_are_exact() {
        assert_eq!(percent(5_000), "50%");
        assert_eq!(percent(1_250), "12.5%");
        assert_eq!(percent(3_333), "33.33%");
        assert_eq!(percent(13_005), "130.05%");
    }

    #[test]
    fn ticks_are_firsts_of_months_and_never_too_many() {
        assert_eq!(
            ticks(date(2026, 10, 15), date(2027, 1, 10)),
            vec![date(2026, 11, 1), date(2026, 12, 1), date(2027, 1, 1)]
        );
        assert!(ticks(date(1, 1, 1), date(9999, 12, 31)).len() <= 25);
    }
}
