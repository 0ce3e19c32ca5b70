//! `raid-mitigation` (PL002): every open risk and issue in the RAID log has a mitigation and
//! an owner.

use super::describe;
use crate::{Check, Finding, Fixability, PlanContext, Rule, Severity};
use plan_model::{RaidStatus, RaidType};

pub static RULE: Rule = Rule {
    code: "PL002",
    name: "raid-mitigation",
    default_severity: Severity::Error,
    time_based: false,
    fix: Fixability::None,
    page: include_str!("../../../../rules/raid-mitigation.md"),
    check: Check::Plan(check),
};

fn check(cx: &PlanContext<'_>, out: &mut Vec<Finding>) {
    for entry in cx.plan.raid.items() {
        let kind = match entry.kind.get() {
            Some(RaidType::Risk) => "risk",
            Some(RaidType::Issue) => "issue",
            _ => continue,
        };
        if entry.status.get() != Some(&RaidStatus::Open) {
            continue;
        }
        let name = describe::entry(&entry.id, &entry.place);
        if entry.mitigation.is_missing() {
            let help = match kind {
                "risk" => "add `mitigation = \"…\"` describing how the risk is reduced",
                _ => "add `mitigation = \"…\"` describing how the issue is being resolved",
            };
            out.push(
                cx.finding(
                    &RULE,
                    entry.mitigation.span_or(entry.place.anchor),
                    entry.place.child("mitigation"),
                    format!("open {kind} {name} has no mitigation"),
                )
                .with_help(help),
            );
        }
        if entry.owner.is_missing() {
            out.push(
                cx.finding(
                    &RULE,
                    entry.owner.span_or(entry.place.anchor),
                    entry.place.child("owner"),
                    format!("open {kind} {name} has no owner"),
                )
                .with_help(format!(
                    "add `owner = \"…\"` naming the team member who carries the {kind}"
                )),
            );
        }
    }
}
