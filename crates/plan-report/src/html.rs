//! The status report as one self-contained HTML page: inline CSS and SVG, no network, and a
//! little JavaScript that only adds sorting and filtering to the overview (the page reads in
//! full without it). Every piece of a plan's text goes through maud, which escapes it.

use crate::dates::days_between;
use crate::model::{FindingCounts, PlanRow, RaidRow, SeverityCounts, StatusReport, Trigger};
use crate::people::FULL_TIME;
use crate::svg::{self, percent};
use maud::{DOCTYPE, Markup, PreEscaped, html};
use plan_engine::report::plural;
use plan_engine::text::truncated;

/// How many plans get their details and findings on the page; the rest are in the overview
/// (and the JSON report). Chosen in order of need: red first, then by errors, late
/// milestones, overdue reviews.
pub const DETAILED_PLANS: usize = 500;

/// How many open RAID entries the RAID view lists (each plan's are in its details).
pub const LISTED_RAID: usize = 200;

const STYLE: &str = include_str!("report.css");
const SCRIPT: &str = include_str!("report.js");

pub fn render(report: &StatusReport) -> String {
    let attention = attention_order(report);
    let detailed: Vec<usize> = attention.iter().copied().take(DETAILED_PLANS).collect();
    let mut is_detailed = vec![false; report.plans.len()];
    for &plan in &detailed {
        is_detailed[plan] = true;
    }
    let mut detailed_in_order = detailed.clone();
    detailed_in_order.sort_unstable();
    let title = format!("Status report: {}", plural(report.plans.len(), "plan"));
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="generator" content=(concat!("plan-lint ", env!("CARGO_PKG_VERSION")));
                title { (title) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                a.skip href="#overview" { "Skip to the overview" }
                header {
                    h1 { "Implementation plans: status report" }
                    (provenance(report))
                    nav aria-label="Sections" {
                        ul {
                            li { a href="#summary" { "Summary" } }
                            li { a href="#overview" { "Overview" } }
                            li { a href="#timeline" { "Timeline" } }
                            li { a href="#raid" { "RAID log" } }
                            li { a href="#people" { "People" } }
                            li { a href="#calendar" { "Review calendar" } }
                            li { a href="#plans" { "Plans" } }
                            li { a href="#findings" { "Lint findings" } }
                        }
                    }
                }
                main {
                    (summary(report))
                    (overview(report, &is_detailed, &attention))
                    (timeline(report, &attention))
                    (raid(report, &is_detailed))
                    (people(report))
                    (calendar(report, &is_detailed))
                    (plans(report, &detailed_in_order))
                    (findings(report, &detailed_in_order))
                    (rules(report))
                }
                footer {
                    p { "Made by plan-lint " (env!("CARGO_PKG_VERSION")) " from the same run as " code { "plan-lint check" } "." }
                }
                script { (PreEscaped(SCRIPT)) }
            }
        }
    };
    page.into_string()
}

/// Plans in the order they need attention: red, amber, no health, green; then most errors,
/// most late milestones, an overdue review; then path.
fn attention_order(report: &StatusReport) -> Vec<usize> {
    let rank = |plan: &PlanRow| match plan.rag {
        Some("red") => 0,
        Some("amber") => 1,
        Some("green") => 3,
        _ => 2,
    };
    let mut order: Vec<usize> = (0..report.plans.len()).collect();
    order.sort_by_key(|&i| {
        let plan = &report.plans[i];
        (
            rank(plan),
            std::cmp::Reverse(plan.findings.error),
            std::cmp::Reverse(plan.milestones.iter().filter(|m| m.late).count()),
            !plan.review_overdue,
            i,
        )
    });
    order
}

fn provenance(report: &StatusReport) -> Markup {
    html! {
        p.meta {
            "As of " time datetime=(report.today) { (report.today) }
            @if let Some(at) = &report.generated_at {
                " · generated " time datetime=(at) { (at) }
            }
            @if let Some(commit) = &report.commit {
                " · from commit " code { (truncated(commit, 12)) }
                @if report.uncommitted_changes { " with uncommitted changes" }
            }
            " · " (plural(report.plans.len(), "plan"))
        }
        @if !report.errors.is_empty() {
            div.errors role="alert" {
                p { strong { (plural(report.errors.len(), "path")) " could not be read:" } }
                ul { @for error in &report.errors { li { (error) } } }
            }
        }
    }
}

fn summary(report: &StatusReport) -> Markup {
    let t = &report.totals;
    html! {
        section #summary aria-labelledby="summary-title" {
            h2 #summary-title { "Summary" }
            ul.tiles {
                li.tile.tile-wide {
                    span.figure { (t.plans) } span.caption { "plans" }
                    ul.rag-counts {
                        li { (rag_badge(Some("red"))) " " (t.rag.red) }
                        li { (rag_badge(Some("amber"))) " " (t.rag.amber) }
                        li { (rag_badge(Some("green"))) " " (t.rag.green) }
                        @if t.rag.unknown > 0 { li { (rag_badge(None)) " " (t.rag.unknown) } }
                    }
                }
                li.tile { span.figure { (t.open_risks) } span.caption { "open risks" } }
                li.tile { span.figure { (t.open_issues) } span.caption { "open issues" } }
                li.tile.(if t.overdue_reviews > 0 { "tile-alert" } else { "" }) {
                    span.figure { (t.overdue_reviews) } span.caption { "overdue reviews" }
                }
                li.tile.(if t.late_milestones > 0 { "tile-alert" } else { "" }) {
                    span.figure { (t.late_milestones) } span.caption { "milestones past due" }
                    span.detail { (t.at_risk_milestones) " at risk" }
                }
                li.tile.(if t.over_allocated_people > 0 { "tile-alert" } else { "" }) {
                    span.figure { (t.over_allocated_people) } span.caption { "people over-allocated" }
                }
                li.tile {
                    span.figure { (t.findings.total()) } span.caption { "lint findings" }
                    span.detail { (finding_counts(&t.findings)) }
                    @if t.suppressed > 0 { span.detail { (t.suppressed) " suppressed" } }
                    @if t.known_to_baseline > 0 { span.detail { (t.known_to_baseline) " known to the baseline" } }
                }
            }
        }
    }
}

/// The health as a badge: a shape and a word as well as a colour.
fn rag_badge(rag: Option<&str>) -> Markup {
    let (class, symbol, word) = match rag {
        Some("red") => ("rag-red", "▲", "Red"),
        Some("amber") => ("rag-amber", "◆", "Amber"),
        Some("green") => ("rag-green", "●", "Green"),
        _ => ("rag-unknown", "○", "No health"),
    };
    html! { span class=(format!("badge {class}")) { span aria-hidden="true" { (symbol) } " " (word) } }
}

fn finding_counts(counts: &FindingCounts) -> Markup {
    html! {
        @if counts.total() == 0 {
            "none"
        } @else {
            @let parts = [(counts.error, "error"), (counts.warning, "warning"), (counts.note, "note")];
            @for (i, (n, word)) in parts.iter().filter(|(n, _)| *n > 0).enumerate() {
                @if i > 0 { ", " }
                span class=(format!("sev sev-{word}")) { (plural(*n, word)) }
            }
        }
    }
}

fn severity_counts(counts: &SeverityCounts) -> Markup {
    html! {
        @if counts.total() == 0 {
            span.muted { "0" }
        } @else {
            strong { (counts.total()) }
            " ("
            @for (i, (word, n)) in counts.by_severity().iter().filter(|(_, n)| *n > 0).enumerate() {
                @if i > 0 { ", " }
                span class=(format!("raid-{word}")) { (n) " " (word) }
            }
            ")"
        }
    }
}

fn or_dash(value: Option<&str>) -> Markup {
    html! {
        @match value {
            Some(value) => (value),
            None => span.muted { "—" },
        }
    }
}

fn overview(report: &StatusReport, is_detailed: &[bool], attention: &[usize]) -> Markup {
    let paged = report.plans.len() > PAGE;
    // A large portfolio's first table holds the plans that most need attention; every plan
    // is in the pages below it, collapsed, which a browser lays out only when opened.
    let first: Vec<usize> = if paged {
        attention.iter().copied().take(PAGE).collect()
    } else {
        (0..report.plans.len()).collect()
    };
    html! {
        section #overview aria-labelledby="overview-title" {
            h2 #overview-title { "Overview" }
            p.hint {
                "One row per plan file. Health is shown as a word and a shape as well as a colour."
                @if paged {
                    " The " (PAGE) " of " (report.plans.len()) " plans that most need attention (red first, then by errors, late milestones and overdue reviews); every plan is in the pages below."
                }
            }
            div.scroll {
                table #overview-table.data.sortable {
                    caption.visually-hidden { "Plans: who leads each, its health and reviews, open risks and issues, lint findings" }
                    (overview_head())
                    tbody { @for &plan in &first { (overview_row(&report.plans[plan], is_detailed)) } }
                }
            }
            @if paged {
                h3 { "Every plan, in file order" }
                @for (page, plans) in report.plans.chunks(PAGE).enumerate() {
                    details.page {
                        summary {
                            "Plans " (page * PAGE + 1) "–" (page * PAGE + plans.len()) ": "
                            code { (plans[0].path) } " to " code { (plans[plans.len() - 1].path) }
                        }
                        div.scroll {
                            table.data {
                                (overview_head())
                                tbody { @for plan in plans { (overview_row(plan, is_detailed)) } }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Rows per table before a table is paged.
pub const PAGE: usize = 500;

fn overview_head() -> Markup {
    html! {
        thead {
            tr {
                th scope="col" { "Plan" }
                th scope="col" { "Delivery Lead" }
                th scope="col" { "Problem owner" }
                th scope="col" { "Zone, status" }
                th scope="col" { "Health" }
                th scope="col" { "Next review" }
                th scope="col" data-type="number" { "Open risks" }
                th scope="col" data-type="number" { "Open issues" }
                th scope="col" data-type="number" { "Findings" }
            }
        }
    }
}

fn overview_row(plan: &PlanRow, is_detailed: &[bool]) -> Markup {
    html! {
        tr {
            th scope="row" data-sort=(plan.name()) {
                @if is_detailed[plan.file] {
                    a href=(format!("#{}", plan.anchor())) { (plan_title(plan)) }
                } @else {
                    (plan_title(plan))
                }
                br;
                span.path { (plan.path) }
            }
            td { (or_dash(plan.delivery_lead.as_deref())) }
            td { (or_dash(plan.problem_owner.as_deref())) }
            td { (or_dash(plan.zone)) br; (or_dash(plan.status)) }
            td data-sort=(rag_rank(plan.rag)) {
                (rag_badge(plan.rag))
                @if let Some(as_of) = plan.as_of { br; span.small.nowrap { "as of " (as_of) } }
            }
            td data-sort=(plan.next_review.map(|d| d.to_string()).unwrap_or_default()) {
                (or_dash(plan.next_review.map(|d| d.to_string()).as_deref()))
                @if plan.review_overdue { " " span.flag { "overdue" } }
            }
            td data-sort=(plan.open_risks.total()) { (severity_counts(&plan.open_risks)) }
            td data-sort=(plan.open_issues.total()) { (severity_counts(&plan.open_issues)) }
            td data-sort=(plan.findings.total()) {
                @if plan.findings.total() > 0 && is_detailed[plan.file] {
                    a href=(format!("#findings-{}", plan.anchor())) { (finding_counts(&plan.findings)) }
                } @else {
                    (finding_counts(&plan.findings))
                }
            }
        }
    }
}

fn rag_rank(rag: Option<&str>) -> u8 {
    match rag {
        Some("red") => 0,
        Some("amber") => 1,
        Some("green") => 2,
        _ => 3,
    }
}

fn plan_title(plan: &PlanRow) -> Markup {
    html! {
        @match (&plan.title, &plan.id) {
            (Some(title), Some(id)) => { (title) " " span.id { "(" (id) ")" } },
            (Some(title), None) => (title),
            (None, Some(id)) => (id),
            (None, None) => (plan.path),
        }
    }
}

fn timeline(report: &StatusReport, attention: &[usize]) -> Markup {
    let drawn: Vec<usize> = attention
        .iter()
        .copied()
        .filter(|&i| {
            let plan = &report.plans[i];
            plan.start.is_some() || plan.milestones.iter().any(|m| m.due.is_some())
        })
        .take(svg::TIMELINE_ROWS)
        .collect();
    let callouts: Vec<(usize, &crate::model::MilestoneRow)> = report
        .plans
        .iter()
        .enumerate()
        .flat_map(|(i, plan)| plan.milestones.iter().map(move |m| (i, m)))
        .filter(|(_, m)| matches!(svg::drawn_status(m), "missed" | "at-risk"))
        .collect();
    let shown = callouts.len().min(LISTED_RAID);
    html! {
        section #timeline aria-labelledby="timeline-title-h" {
            h2 #timeline-title-h { "Timeline" }
            @let with_dates = report.plans.iter().filter(|p| p.start.is_some() || p.milestones.iter().any(|m| m.due.is_some())).count();
            @if drawn.len() < with_dates {
                p.hint { "The " (drawn.len()) " of " (with_dates) " plans with dates that most need attention; every plan's milestones are in its details." }
            }
            @if let Some(chart) = svg::timeline(report, &drawn) {
                (svg::legend())
                div.scroll { (chart) }
            } @else {
                p { "No plan has a timeline or a dated milestone." }
            }
            h3 { "Milestones missed, past due or at risk" }
            @if callouts.is_empty() {
                p { "None." }
            } @else {
                @if shown < callouts.len() { p.hint { "The first " (shown) " of " (callouts.len()) "." } }
                div.scroll {
                    table.data {
                        thead { tr { th scope="col" { "Plan" } th scope="col" { "Milestone" } th scope="col" { "Due" } th scope="col" { "Status" } } }
                        tbody {
                            @for (plan, m) in callouts.iter().take(shown) {
                                tr {
                                    td { (report.plans[*plan].name()) }
                                    td { (or_dash(m.id.as_deref())) " " (m.title.as_deref().unwrap_or("")) }
                                    td { (or_dash(m.due.map(|d| d.to_string()).as_deref())) }
                                    td {
                                        span class=(format!("ms-text ms-text-{}", svg::drawn_status(m))) {
                                            @match (m.status, m.late) {
                                                (Some(status), true) => { (status) ", past due" },
                                                (None, true) => "past due",
                                                (Some(status), false) => (status),
                                                (None, false) => "—",
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn heat_class(count: usize, max: usize) -> &'static str {
    if count == 0 {
        return "heat-0";
    }
    // Four steps of the largest count.
    match (count * 4).div_ceil(max.max(1)) {
        0 | 1 => "heat-1",
        2 => "heat-2",
        3 => "heat-3",
        _ => "heat-4",
    }
}

fn raid(report: &StatusReport, is_detailed: &[bool]) -> Markup {
    let max = report
        .raid
        .heat
        .iter()
        .flat_map(|row| row.counts.by_severity().map(|(_, n)| n))
        .max()
        .unwrap_or(0);
    let open = &report.raid.open;
    html! {
        section #raid aria-labelledby="raid-title" {
            h2 #raid-title { "RAID log" }
            h3 { "Open entries by type and severity" }
            table.heat {
                caption.visually-hidden { "How many open RAID entries there are of each type and severity" }
                thead {
                    tr {
                        th scope="col" { "Type" }
                        @for (word, _) in SeverityCounts::default().by_severity() { th scope="col" { (word) } }
                        th scope="col" { "all" }
                    }
                }
                tbody {
                    @for row in report.raid.heat.iter().filter(|row| row.kind != "untyped" || row.counts.total() > 0) {
                        tr {
                            th scope="row" { (row.kind) }
                            @for (_, n) in row.counts.by_severity() {
                                td class=(heat_class(n, max)) { (n) }
                            }
                            td { strong { (row.counts.total()) } }
                        }
                    }
                }
            }
            h3 { "Open entries, overdue first" }
            @if open.is_empty() {
                p { "No open entries." }
            } @else {
                @if open.len() > LISTED_RAID {
                    p.hint { "The first " (LISTED_RAID) " of " (open.len()) " open entries; each plan's are in its details." }
                }
                div.scroll { (raid_table(report, open.iter().take(LISTED_RAID), true, is_detailed)) }
            }
        }
    }
}

/// A plan's name, linked to its details when they are on the page.
fn plan_link(plan: &PlanRow, is_detailed: &[bool]) -> Markup {
    html! {
        @if is_detailed[plan.file] {
            a href=(format!("#{}", plan.anchor())) { (plan.name()) }
        } @else {
            (plan.name())
        }
    }
}

fn raid_table<'a>(
    report: &StatusReport,
    rows: impl IntoIterator<Item = &'a RaidRow>,
    with_plan: bool,
    is_detailed: &[bool],
) -> Markup {
    html! {
        table.data {
            thead {
                tr {
                    @if with_plan { th scope="col" { "Plan" } }
                    th scope="col" { "Entry" }
                    th scope="col" { "Type" }
                    th scope="col" { "Severity" }
                    th scope="col" { "Owner" }
                    th scope="col" { "Due" }
                    th scope="col" { "Mitigation" }
                }
            }
            tbody {
                @for row in rows {
                    tr {
                        @if with_plan {
                            td { (plan_link(&report.plans[row.plan], is_detailed)) }
                        }
                        td { (or_dash(row.id.as_deref())) " " (row.title.as_deref().unwrap_or("")) }
                        td { (or_dash(row.kind)) }
                        td { @match row.severity { Some(s) => span class=(format!("raid-{s}")) { (s) }, None => span.muted { "unrated" } } }
                        td { (or_dash(row.owner.as_deref())) }
                        td {
                            (or_dash(row.due.map(|d| d.to_string()).as_deref()))
                            @if row.overdue { " " span.flag { "overdue" } }
                        }
                        td {
                            @match &row.mitigation {
                                Some(m) => (m),
                                None if row.mitigation_required => span.flag { "no mitigation" },
                                None => span.muted { "—" },
                            }
                        }
                    }
                }
            }
        }
    }
}

fn people(report: &StatusReport) -> Markup {
    html! {
        section #people aria-labelledby="people-title" {
            h2 #people-title { "People" }
            @if report.people.is_empty() {
                p { "No resourcing plan allocates anyone." }
            } @else {
                p.hint {
                    "Each person's share of full time across every plan, day by day. Over-allocated stretches are shaded and listed."
                    @if report.undated_allocations > 0 {
                        " " (plural(report.undated_allocations, "allocation")) " with no dates and no plan timeline are not counted."
                    }
                }
                div.people {
                    @for (i, person) in report.people.iter().enumerate().filter(|(_, p)| p.chart.is_some()) {
                        @let id = format!("person-{}", i + 1);
                        figure.person id=(id) {
                            figcaption {
                                strong { (person.person) }
                                " · peak " (percent(person.peak))
                                @if person.over_days > 0 {
                                    " · " span.flag { "over full time on " (plural(person.over_days as usize, "day")) }
                                }
                            }
                            @if let Some(chart) = svg::allocation(person, report, &id) { (chart) }
                            @if let Some(chart) = &person.chart {
                                ul.bands {
                                    @for (band, plan) in chart.bands.iter().enumerate() {
                                        li { span class=(format!("swatch band-{band}")) aria-hidden="true" {} " " (report.plans[*plan].name()) }
                                    }
                                    @if person.plans.len() > chart.bands.len() {
                                        li { span class=(format!("swatch band-{}", chart.bands.len())) aria-hidden="true" {} " " (person.plans.len() - chart.bands.len()) " other plans" }
                                    }
                                }
                            }
                            @if !person.over_periods.is_empty() {
                                ul.periods {
                                    @for period in &person.over_periods {
                                        li { (period.from) " to " (period.until) ": " strong { (percent(period.total)) } }
                                    }
                                }
                            }
                        }
                    }
                }
                h3 { "Everyone allocated" }
                @if report.people.len() > PAGE {
                    p.hint { "Over-allocated people first, then by peak; in pages of " (PAGE) "." }
                }
                @for (page, people) in report.people.chunks(PAGE).enumerate() {
                    @if page == 0 {
                        div.scroll { (people_table(report, people)) }
                    } @else {
                        details.page {
                            summary { "People " (page * PAGE + 1) "–" (page * PAGE + people.len()) }
                            div.scroll { (people_table(report, people)) }
                        }
                    }
                }
            }
        }
    }
}

fn people_table(report: &StatusReport, people: &[crate::people::PersonLoad]) -> Markup {
    html! {
        table.data {
            thead { tr { th scope="col" { "Person" } th scope="col" { "Plans" } th scope="col" { "Peak" } th scope="col" { "Days over full time" } } }
            tbody {
                @for person in people {
                    tr {
                        th scope="row" { (person.person) }
                        td {
                            @for (i, plan) in person.plans.iter().take(8).enumerate() {
                                @if i > 0 { ", " }
                                (report.plans[*plan].name())
                            }
                            @if person.plans.len() > 8 { " and " (person.plans.len() - 8) " more" }
                        }
                        td { (percent(person.peak)) @if person.peak > FULL_TIME { " " span.flag { "over" } } }
                        td { (person.over_days) }
                    }
                }
            }
        }
    }
}

fn calendar(report: &StatusReport, is_detailed: &[bool]) -> Markup {
    let calendar = &report.calendar;
    let plan_link = |plan: usize| plan_link(&report.plans[plan], is_detailed);
    html! {
        section #calendar aria-labelledby="calendar-title" {
            h2 #calendar-title { "Review calendar" }
            h3 { "Overdue reviews" }
            @if calendar.overdue.is_empty() { p { "None." } } @else {
                ul.dates {
                    @for due in calendar.overdue.iter().take(LISTED_RAID) {
                        li { time datetime=(due.date) { (due.date) } " " (plan_link(due.plan)) " " span.flag { (plural((-due.in_days) as usize, "day")) " overdue" } }
                    }
                }
                @if calendar.overdue.len() > LISTED_RAID { p.hint { "and " (calendar.overdue.len() - LISTED_RAID) " more." } }
            }
            h3 { "Reviews in the next " (crate::model::CALENDAR_DAYS / 7) " weeks" }
            @if calendar.upcoming.is_empty() { p { "None." } } @else {
                ul.dates {
                    @for due in calendar.upcoming.iter().take(LISTED_RAID) {
                        li {
                            time datetime=(due.date) { (due.date) } " " (plan_link(due.plan)) " "
                            span.small { @if due.in_days == 0 { "today" } @else { "in " (plural(due.in_days as usize, "day")) } }
                        }
                    }
                }
                @if calendar.upcoming.len() > LISTED_RAID { p.hint { "and " (calendar.upcoming.len() - LISTED_RAID) " more." } }
            }
            h3 { "Triggers that fired" }
            @if calendar.triggers.is_empty() { p { "None: no plan is red and no milestone is missed." } } @else {
                div.scroll {
                    table.data {
                        thead { tr { th scope="col" { "Plan" } th scope="col" { "Trigger" } th scope="col" { "What" } th scope="col" { "Since" } th scope="col" { "Reviewed since" } } }
                        tbody {
                            @for trigger in calendar.triggers.iter().take(LISTED_RAID) {
                                (trigger_row(trigger, plan_link(trigger.plan)))
                            }
                        }
                    }
                }
                @if calendar.triggers.len() > LISTED_RAID { p.hint { "The first " (LISTED_RAID) " of " (calendar.triggers.len()) "." } }
            }
        }
    }
}

fn trigger_row(trigger: &Trigger, plan: Markup) -> Markup {
    html! {
        tr {
            td { (plan) }
            td {
                code { (trigger.trigger) }
                @if !trigger.declared { br; span.small { "not in the plan's review triggers" } }
            }
            td { (trigger.what) }
            td { (or_dash(trigger.since.map(|d| d.to_string()).as_deref())) }
            td { @if trigger.reviewed_since { "yes" } @else { span.flag { "no" } } }
        }
    }
}

fn plans(report: &StatusReport, detailed: &[usize]) -> Markup {
    // Each plan's open entries, found once.
    let mut raid_of: Vec<Vec<&RaidRow>> = vec![Vec::new(); report.plans.len()];
    for row in &report.raid.open {
        raid_of[row.plan].push(row);
    }
    let open_details = report.plans.len() <= 3;
    html! {
        section #plans aria-labelledby="plans-title" {
            h2 #plans-title { "Plans" }
            @if detailed.len() < report.plans.len() {
                p.hint { "Details of the " (detailed.len()) " of " (report.plans.len()) " plans that most need attention; " code { "plan-lint report --format json" } " has every plan." }
            }
            @for &index in detailed {
                @let plan = &report.plans[index];
                details.plan id=(plan.anchor()) open[open_details] {
                    summary { (plan_title(plan)) " " (rag_badge(plan.rag)) }
                    dl.facts {
                        dt { "File" } dd { code { (plan.path) } }
                        @if let Some(location) = &plan.location { dt { "Read by stakeholders at" } dd { (location) } }
                        dt { "Delivery Lead" } dd { (or_dash(plan.delivery_lead.as_deref())) }
                        dt { "Problem owner" } dd { (or_dash(plan.problem_owner.as_deref())) }
                        dt { "Zone, status" } dd { (or_dash(plan.zone)) ", " (or_dash(plan.status)) }
                        dt { "Health" } dd {
                            (rag_badge(plan.rag))
                            @if let Some(as_of) = plan.as_of { " as of " (as_of) }
                            @if let Some(note) = &plan.health_note { ": " (note) }
                        }
                        dt { "Reviews" } dd {
                            "last " (or_dash(plan.last_review.map(|d| d.to_string()).as_deref()))
                            ", next " (or_dash(plan.next_review.map(|d| d.to_string()).as_deref()))
                            @if plan.review_overdue { " " span.flag { "overdue" } }
                            @if let Some(cadence) = &plan.cadence { ", every " (cadence) }
                        }
                        dt { "Timeline" } dd {
                            (or_dash(plan.start.map(|d| d.to_string()).as_deref())) " to " (or_dash(plan.end.map(|d| d.to_string()).as_deref()))
                            @if let (Some(start), Some(end)) = (plan.start, plan.end) {
                                @if start <= end { " (" (plural((days_between(start, end) + 1) as usize, "day")) ")" }
                            }
                        }
                        dt { "Findings" } dd {
                            @if plan.findings.total() > 0 {
                                a href=(format!("#findings-{}", plan.anchor())) { (finding_counts(&plan.findings)) }
                            } @else { "none" }
                        }
                    }
                    @if plan.unreadable {
                        p.flag { "The file could not be read as a plan; its findings say why." }
                    }
                    @if !plan.milestones.is_empty() {
                        h4 { "Milestones" }
                        div.scroll {
                            table.data {
                                thead { tr { th scope="col" { "Milestone" } th scope="col" { "Due" } th scope="col" { "Status" } th scope="col" { "Depends on" } } }
                                tbody {
                                    @for m in &plan.milestones {
                                        tr {
                                            td { (or_dash(m.id.as_deref())) " " (m.title.as_deref().unwrap_or("")) }
                                            td { (or_dash(m.due.map(|d| d.to_string()).as_deref())) }
                                            td {
                                                span class=(format!("ms-text ms-text-{}", svg::drawn_status(m))) { (m.status.unwrap_or("—")) }
                                                @if m.late { " " span.flag { "past due" } }
                                            }
                                            td { @if m.depends_on.is_empty() { span.muted { "—" } } @else { (m.depends_on.join(", ")) } }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    @if !raid_of[index].is_empty() {
                        h4 { "Open RAID entries" }
                        div.scroll { (raid_table(report, raid_of[index].iter().copied(), false, &[])) }
                    }
                }
            }
        }
    }
}

fn findings(report: &StatusReport, detailed: &[usize]) -> Markup {
    let with_findings: Vec<usize> = detailed
        .iter()
        .copied()
        .filter(|&i| report.plans[i].findings.total() > 0)
        .collect();
    html! {
        section #findings aria-labelledby="findings-title" {
            h2 #findings-title { "Lint findings" }
            p.hint { "What " code { "plan-lint check" } " reports, grouped by plan; each links to its rule's page below." }
            @if with_findings.is_empty() {
                p { "No findings." }
            }
            @for index in with_findings {
                @let plan = &report.plans[index];
                section.plan-findings id=(format!("findings-{}", plan.anchor())) aria-label=(format!("Findings in {}", plan.name())) {
                    h3 { (plan.name()) " " span.small { code { (plan.path) } " · " (finding_counts(&plan.findings)) } }
                    ul.findings {
                        @for finding in &plan.finding_list {
                            li {
                                span class=(format!("sev sev-{}", finding.severity)) { (finding.severity) }
                                " "
                                a href=(format!("#rule-{}", finding.rule)) { code { (finding.code) " " (finding.rule) } }
                                " "
                                (finding.message)
                                " "
                                @match &finding.url {
                                    Some(url) => a.line href=(url) { "line " (finding.line) },
                                    None => span.line { "line " (finding.line) },
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn rules(report: &StatusReport) -> Markup {
    html! {
        @if !report.rules.is_empty() {
            section #rules aria-labelledby="rules-title" {
                h2 #rules-title { "Rules that found something" }
                @for rule in &report.rules {
                    details.rule id=(format!("rule-{}", rule.name)) {
                        summary { code { (rule.code) " " (rule.name) } " · " (plural(rule.findings, "finding")) }
                        @if let Some(uri) = &rule.help_uri {
                            p { a href=(uri) { "This page on the documentation site" } }
                        }
                        div.page { (PreEscaped(page_html(rule.page))) }
                    }
                }
            }
        }
    }
}

/// A rule's page as HTML. Headings move down to fit under the rule's summary, and any raw HTML
/// in the page (a custom rule's description is the project's text) is shown as text.
fn page_html(page: &str) -> String {
    use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
    let lower = |level: HeadingLevel| match level {
        HeadingLevel::H1 | HeadingLevel::H2 => HeadingLevel::H4,
        HeadingLevel::H3 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    };
    let events = Parser::new_ext(page, Options::ENABLE_TABLES).map(|event| match event {
        Event::Html(text) | Event::InlineHtml(text) => Event::Text(text),
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) => Event::Start(Tag::Heading {
            level: lower(level),
            id,
            classes,
            attrs,
        }),
        Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(lower(level))),
        // Links in a page are relative to the rules folder, which the page does not have.
        Event::Start(Tag::Link { .. }) | Event::End(TagEnd::Link) => Event::Text("".into()),
        Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => Event::Text("".into()),
        other => other,
    });
    let mut out = String::new();
    pulldown_cmark::html::push_html(&mut out, events);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_in_a_rule_page_is_text() {
        let html =
            page_html("# Title\n\n<script>alert(1)</script>\n\nok <b>x</b> [link](javascript:x)");
        assert!(!html.contains("<script"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(html.contains("<h4>Title</h4>"), "{html}");
    }

    #[test]
    fn heat_steps_grow_with_the_count() {
        assert_eq!(heat_class(0, 10), "heat-0");
        assert_eq!(heat_class(1, 10), "heat-1");
        assert_eq!(heat_class(5, 10), "heat-2");
        assert_eq!(heat_class(10, 10), "heat-4");
    }
}
