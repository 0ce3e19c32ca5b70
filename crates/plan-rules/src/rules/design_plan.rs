//! `design-plan` (PL007): an implementation plan follows a Design Plan that can be found.

use crate::{Check, DesignPlanLookup, Finding, Fixability, PlanContext, Rule, Severity};
use plan_model::Zone;

pub static RULE: Rule = Rule {
    code: "PL007",
    name: "design-plan",
    default_severity: Severity::Error,
    time_based: false,
    fix: Fixability::None,
    page: include_str!("../../../../rules/design-plan.md"),
    check: Check::Plan(check),
};

fn check(cx: &PlanContext<'_>, out: &mut Vec<Finding>) {
    let Some(info) = cx.plan.plan.get() else {
        return;
    };
    let design_plan = &info.design_plan;
    if info.zone.get() == Some(&Zone::Implementation) && design_plan.is_missing() {
        out.push(
            cx.finding(&RULE, design_plan.span_or(info.place.anchor), info.place.child("design_plan"), "the implementation plan names no design plan")
                .with_help("add `design_plan = \"…\"`: a path relative to this file, or the URL of the Design Plan it follows"),
        );
        return;
    }
    let (Some(path), Some(lookup)) = (design_plan.spanned(), cx.design_plan) else {
        return;
    };
    let (message, help) = match lookup {
        DesignPlanLookup::Found => return,
        DesignPlanLookup::Missing => (
            format!(
                "the design plan `{}` does not exist (the path is relative to this plan's folder)",
                path.value
            ),
            "correct the path, or give the Design Plan's URL",
        ),
        DesignPlanLookup::Absolute => (
            format!(
                "the design plan `{}` is an absolute path; it was not looked up",
                path.value
            ),
            "give the path relative to this plan's folder, so that it holds wherever the repository is checked out",
        ),
        DesignPlanLookup::OutsideRepository => (
            format!(
                "the design plan `{}` lies outside the repository; it was not looked up",
                path.value
            ),
            "keep the Design Plan in the repository and give its path relative to this plan's folder, or give its URL",
        ),
    };
    out.push(
        cx.finding(&RULE, path.span, info.place.child("design_plan"), message)
            .with_help(help),
    );
}
