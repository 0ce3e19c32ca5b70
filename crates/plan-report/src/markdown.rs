//! The status report as Markdown, for a wiki page, a pull request or a job summary: the
//! page's sections as tables and lists (no charts). User text is escaped as in every
//! Markdown output of plan-lint.

use crate::html::{DETAILED_PLANS, LISTED_RAID};
use crate::model::{FindingCounts, PlanRow, SeverityCounts, StatusReport};
use crate::svg::percent;
use plan_engine::markdown::{LONG_NAME, LONG_TEXT, Place, code, text};
use plan_engine::report::plural;
use std::fmt::Write;

fn opt(value: Option<&str>) -> String {
    value.map_or_else(|| "—".to_owned(), |v| text(v, LONG_NAME))
}

fn date(value: Option<jiff::civil::Date>) -> String {
    value.map_or_else(|| "—".to_owned(), |d| d.to_string())
}

fn rag(rag: Option<&str>) -> &'static str {
    match rag {
        Some("red") => "🔴 red",
        Some("amber") => "🟠 amber",
        Some("green") => "🟢 green",
        _ => "— no health",
    }
}

fn name(plan: &PlanRow) -> String {
    code(plan.name(), Place::TableCell)
}

fn findings(counts: &FindingCounts) -> String {
    let parts: Vec<String> = [
        (counts.error, "error"),
        (counts.warning, "warning"),
        (counts.note, "note"),
    ]
    .iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, word)| plural(*n, word))
    .collect();
    if parts.is_empty() {
        "none".to_owned()
    } else {
        parts.join(", ")
    }
}

fn severities(counts: &SeverityCounts) -> String {
    if counts.total() == 0 {
        return "0".to_owned();
    }
    let parts: Vec<String> = counts
        .by_severity()
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(word, n)| format!("{n} {word}"))
        .collect();
    format!("{} ({})", counts.total(), parts.join(", "))
}

pub fn render(report: &StatusReport) -> String {
    let mut out = String::new();
    let t = &report.totals;
    let _ = writeln!(out, "# Implementation plans: status report\n");
    let _ = write!(out, "As of {}", report.today);
    if let Some(at) = &report.generated_at {
        // Written by plan-lint, not by a user: shown as it is.
        let _ = write!(out, " · generated {at}");
    }
    if let Some(commit) = &report.commit {
        let _ = write!(out, " · from commit {}", code(commit, Place::Text));
        if report.uncommitted_changes {
            out.push_str(" with uncommitted changes");
        }
    }
    let _ = writeln!(out, " · {}\n", plural(t.plans, "plan"));
    for error in &report.errors {
        let _ = writeln!(out, "> could not be read: {}", text(error, LONG_TEXT));
    }

    out.push_str("## Summary\n\n");
    let _ = writeln!(
        out,
        "- {}: {} red, {} amber, {} green, {} with no health",
        plural(t.plans, "plan"),
        t.rag.red,
        t.rag.amber,
        t.rag.green,
        t.rag.unknown
    );
    let _ = writeln!(
        out,
        "- {}, {}",
        plural(t.open_risks, "open risk"),
        plural(t.open_issues, "open issue")
    );
    let _ = writeln!(out, "- {}", plural(t.overdue_reviews, "overdue review"));
    let _ = writeln!(
        out,
        "- {} past due, {} at risk",
        plural(t.late_milestones, "milestone"),
        t.at_risk_milestones
    );
    let people = match t.over_allocated_people {
        1 => "1 person".to_owned(),
        n => format!("{n} people"),
    };
    let _ = writeln!(out, "- {people} over-allocated");
    let _ = write!(out, "- lint findings: {}", findings(&t.findings));
    if t.suppressed > 0 {
        let _ = write!(out, " ({} suppressed)", t.suppressed);
    }
    if t.known_to_baseline > 0 {
        let _ = write!(out, " ({} known to the baseline)", t.known_to_baseline);
    }
    out.push_str("\n\n");

    out.push_str("## Overview\n\n");
    out.push_str("| plan | Delivery Lead | problem owner | zone | status | health | next review | open risks | open issues | findings |\n");
    out.push_str("|---|---|---|---|---|---|---|---|---|---|\n");
    for plan in &report.plans {
        let as_of = plan
            .as_of
            .map(|d| format!(" (as of {d})"))
            .unwrap_or_default();
        let overdue = if plan.review_overdue {
            " **overdue**"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {}{as_of} | {}{overdue} | {} | {} | {} |",
            name(plan),
            opt(plan.delivery_lead.as_deref()),
            opt(plan.problem_owner.as_deref()),
            opt(plan.zone),
            opt(plan.status),
            rag(plan.rag),
            date(plan.next_review),
            severities(&plan.open_risks),
            severities(&plan.open_issues),
            findings(&plan.findings),
        );
    }

    out.push_str("\n## Timeline: milestones missed, past due or at risk\n\n");
    let mut callouts = 0;
    for plan in &report.plans {
        for m in &plan.milestones {
            let drawn = crate::svg::drawn_status(m);
            if !matches!(drawn, "missed" | "at-risk") {
                continue;
            }
            callouts += 1;
            if callouts <= LISTED_RAID {
                let late = if m.late { ", past due" } else { "" };
                let _ = writeln!(
                    out,
                    "- {} {} {}: due {}, {}{late}",
                    code(plan.name(), Place::Text),
                    opt(m.id.as_deref()),
                    m.title
                        .as_deref()
                        .map(|t| text(t, LONG_NAME))
                        .unwrap_or_default(),
                    date(m.due),
                    m.status.unwrap_or("no status"),
                );
            }
        }
    }
    if callouts == 0 {
        out.push_str("None.\n");
    } else if callouts > LISTED_RAID {
        let _ = writeln!(out, "- and {} more", callouts - LISTED_RAID);
    }

    out.push_str("\n## RAID log\n\n| type | critical | high | medium | low | unrated | all |\n|---|---:|---:|---:|---:|---:|---:|\n");
    for row in report
        .raid
        .heat
        .iter()
        .filter(|r| r.kind != "untyped" || r.counts.total() > 0)
    {
        let c = &row.counts;
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} |",
            row.kind,
            c.critical,
            c.high,
            c.medium,
            c.low,
            c.unrated,
            c.total()
        );
    }
    if !report.raid.open.is_empty() {
        out.push_str("\n### Open entries, overdue first\n\n| plan | entry | type | severity | owner | due | mitigation |\n|---|---|---|---|---|---|---|\n");
        for row in report.raid.open.iter().take(LISTED_RAID) {
            let overdue = if row.overdue { " **overdue**" } else { "" };
            let entry = match (&row.id, &row.title) {
                (Some(id), Some(title)) => {
                    format!("{} {}", code(id, Place::TableCell), text(title, LONG_NAME))
                }
                (Some(id), None) => code(id, Place::TableCell),
                (None, title) => opt(title.as_deref()),
            };
            let _ = writeln!(
                out,
                "| {} | {entry} | {} | {} | {} | {}{overdue} | {} |",
                name(&report.plans[row.plan]),
                opt(row.kind),
                row.severity.unwrap_or("unrated"),
                opt(row.owner.as_deref()),
                date(row.due),
                match (&row.mitigation, row.mitigation_required) {
                    (Some(m), _) => text(m, LONG_TEXT),
                    (None, true) => "**no mitigation**".to_owned(),
                    (None, false) => "—".to_owned(),
                },
            );
        }
        if report.raid.open.len() > LISTED_RAID {
            let _ = writeln!(
                out,
                "\nThe first {LISTED_RAID} of {} open entries.",
                report.raid.open.len()
            );
        }
    }

    out.push_str("\n## People\n\n");
    if report.people.is_empty() {
        out.push_str("No resourcing plan allocates anyone.\n");
    } else {
        out.push_str("| person | plans | peak | days over full time | over-allocated |\n|---|---:|---:|---:|---|\n");
        for person in &report.people {
            let periods: Vec<String> = person
                .over_periods
                .iter()
                .take(5)
                .map(|p| format!("{} to {}: {}", p.from, p.until, percent(p.total)))
                .collect();
            let more = person.over_periods.len().saturating_sub(5);
            let more = if more > 0 {
                format!("; and {more} more")
            } else {
                String::new()
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {}{more} |",
                code(&person.person, Place::TableCell),
                person.plans.len(),
                percent(person.peak),
                person.over_days,
                if periods.is_empty() {
                    "—".to_owned()
                } else {
                    periods.join("; ")
                },
            );
        }
    }

    out.push_str("\n## Review calendar\n\n");
    let calendar = &report.calendar;
    for due in calendar.overdue.iter().take(LISTED_RAID) {
        let _ = writeln!(
            out,
            "- {} {} **{} overdue**",
            due.date,
            code(report.plans[due.plan].name(), Place::Text),
            plural(due.in_days.unsigned_abs() as usize, "day")
        );
    }
    for due in calendar.upcoming.iter().take(LISTED_RAID) {
        let _ = writeln!(
            out,
            "- {} {} (in {})",
            due.date,
            code(report.plans[due.plan].name(), Place::Text),
            plural(due.in_days.unsigned_abs() as usize, "day")
        );
    }
    if calendar.overdue.is_empty() && calendar.upcoming.is_empty() {
        let _ = writeln!(
            out,
            "No review is due in the next {} weeks.",
            crate::model::CALENDAR_DAYS / 7
        );
    }
    if !calendar.triggers.is_empty() {
        out.push_str("\n### Triggers that fired\n\n| plan | trigger | what | since | reviewed since |\n|---|---|---|---|---|\n");
        for trigger in calendar.triggers.iter().take(LISTED_RAID) {
            let _ = writeln!(
                out,
                "| {} | `{}`{} | {} | {} | {} |",
                name(&report.plans[trigger.plan]),
                trigger.trigger,
                if trigger.declared {
                    ""
                } else {
                    " (not in the plan's triggers)"
                },
                text(&trigger.what, LONG_NAME),
                date(trigger.since),
                if trigger.reviewed_since {
                    "yes"
                } else {
                    "**no**"
                },
            );
        }
    }

    out.push_str("\n## Lint findings\n\n");
    if report.rules.is_empty() {
        out.push_str("No findings.\n");
    } else {
        out.push_str("| rule | findings |\n|---|---:|\n");
        for rule in &report.rules {
            let _ = writeln!(out, "| `{}` {} | {} |", rule.code, rule.name, rule.findings);
        }
        let mut listed = 0;
        for plan in report.plans.iter().filter(|p| p.findings.total() > 0) {
            listed += 1;
            if listed > DETAILED_PLANS {
                let _ = writeln!(out, "\nFindings in the other plans: `plan-lint check`.");
                break;
            }
            let _ = writeln!(out, "\n### {}\n", code(plan.name(), Place::Text));
            for finding in &plan.finding_list {
                let line = match &finding.url {
                    Some(url) => format!("[line {}](<{}>)", finding.line, url),
                    None => format!("line {}", finding.line),
                };
                let rule = match &finding.rule_url {
                    Some(uri) => format!("[{}]({uri})", finding.rule),
                    None => text(finding.rule, LONG_NAME),
                };
                let _ = writeln!(
                    out,
                    "- **{}** `{}` {rule}: {} ({line})",
                    finding.severity,
                    finding.code,
                    text(&finding.message, LONG_TEXT),
                );
            }
        }
    }
    out
}
