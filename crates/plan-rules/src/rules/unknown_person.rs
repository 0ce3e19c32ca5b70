//! `unknown-person` (PL011): everyone the plan names is on the team, the delivery lead or the
//! problem owner (or, when only consulted or informed, a stakeholder).

use crate::{Check, Finding, Fixability, PlanContext, Rule, Severity};
use plan_model::{Accountable, Field, Place, Span};
use std::collections::BTreeSet;

pub static RULE: Rule = Rule {
    code: "PL011",
    name: "unknown-person",
    default_severity: Severity::Error,
    time_based: false,
    fix: Fixability::None,
    page: include_str!("../../../../rules/unknown-person.md"),
    check: Check::Plan(check),
};

fn check(cx: &PlanContext<'_>, out: &mut Vec<Finding>) {
    let plan = cx.plan;
    let Some(people) = plan.people.get() else {
        return;
    };
    // Checked only when the team is listed: without it there is nothing to check against.
    let Some(team) = people.team.get() else {
        return;
    };
    let mut members: BTreeSet<&str> = team.iter().map(|name| name.value).collect();
    members.extend(people.delivery_lead.get().copied());
    members.extend(people.problem_owner.get().copied());
    let mut audience = members.clone();
    if let Some(stakeholders) = people.stakeholders.get() {
        audience.extend(stakeholders.iter().map(|name| name.value));
    }

    let mut names: Vec<NameUse<'_>> = Vec::new();
    for (place, responsible, consulted, informed) in plan
        .raci
        .items()
        .iter()
        .map(|r| (&r.place, &r.responsible, &r.consulted, &r.informed))
        .chain(
            plan.mechanisms
                .items()
                .iter()
                .map(|m| (&m.place, &m.responsible, &m.consulted, &m.informed)),
        )
    {
        add_list(&mut names, responsible, (place, "responsible"), false);
        add_list(&mut names, consulted, (place, "consulted"), true);
        add_list(&mut names, informed, (place, "informed"), true);
    }
    let accountables = plan
        .raci
        .items()
        .iter()
        .map(|r| (&r.place, &r.accountable))
        .chain(
            plan.mechanisms
                .items()
                .iter()
                .map(|m| (&m.place, &m.accountable)),
        );
    for (place, accountable) in accountables {
        match accountable.spanned() {
            Some(spanned) => match &spanned.value {
                Accountable::One(name) => {
                    names.push((name, spanned.span, (place, "accountable"), false))
                }
                Accountable::Many(many) => names.extend(
                    many.iter()
                        .map(|n| (n.value, n.span, (place, "accountable"), false)),
                ),
            },
            None => continue,
        }
    }
    for entry in plan.raid.items() {
        if let Some(owner) = entry.owner.spanned() {
            names.push((owner.value, owner.span, (&entry.place, "owner"), false));
        }
    }
    for resource in plan.resources.items() {
        if let Some(person) = resource.person.spanned() {
            names.push((
                person.value,
                person.span,
                (&resource.place, "person"),
                false,
            ));
        }
    }

    // A name held by a misspelt `[people]` key is that key's finding (`unknown-field`, with its
    // "did you mean"), not a stranger's.
    let under_unknown_keys: foldhash::HashSet<&str> =
        people.names_under_unknown_keys.iter().copied().collect();
    // The "did you mean" names of each group, made ready once for all the plan's names.
    let (mut members_close, mut audience_close) = (None, None);
    for (name, span, (place, key), audience_only) in names {
        let known = if audience_only { &audience } else { &members };
        if known.contains(name) || under_unknown_keys.contains(name) {
            continue;
        }
        let (message, help) = if audience_only {
            (
                format!("`{name}` is not on the team nor a stakeholder"),
                format!("add `{name}` to `people.stakeholders`"),
            )
        } else if audience.contains(name) {
            (
                format!("`{name}` is a stakeholder, not a member of the delivery team"),
                "only team members, the delivery lead and the problem owner can be responsible, accountable or own work".to_owned(),
            )
        } else {
            (
                format!("`{name}` is not on the team"),
                format!("add `{name}` to `people.team`, or correct the name"),
            )
        };
        let close = if audience_only {
            &mut audience_close
        } else {
            &mut members_close
        };
        let close =
            close.get_or_insert_with(|| plan_model::Suggestions::new(known.iter().copied()));
        let help = match close.closest(name) {
            Some(close) => format!("did you mean `{close}`? Otherwise {help}"),
            None => help,
        };
        out.push(
            cx.finding(&RULE, span, place.child(key), message)
                .with_help(help),
        );
    }
}

/// A name to check: the name, where it is, its logical path, and whether it is only consulted
/// or informed (and so may be a stakeholder).
/// A name, where it is written, the table and key it is under (the logical path is built only
/// for the few names reported), and whether stakeholders may be named there.
type NameUse<'a> = (&'a str, Span, (&'a Place<'a>, &'static str), bool);

fn add_list<'a>(
    names: &mut Vec<NameUse<'a>>,
    field: &'a Field<plan_model::Names>,
    at: (&'a Place, &'static str),
    audience_only: bool,
) {
    for name in field.items() {
        names.push((name.value, name.span, at, audience_only));
    }
}
