//! `dependency-cycle` (PL014): milestones never depend on themselves, directly or through
//! others, within a plan or across plans.

use crate::{Check, Finding, Location, Portfolio, Rule, Severity};
use std::collections::HashMap;

pub static RULE: Rule = Rule {
    code: "PL014",
    name: "dependency-cycle",
    default_severity: Severity::Error,
    time_based: false,
    page: include_str!("../../../../rules/dependency-cycle.md"),
    check: Check::Portfolio(check),
};

/// A milestone of the run.
struct Node<'a> {
    /// Index in `portfolio.plans`.
    plan: usize,
    /// Index in that plan's milestones.
    milestone: usize,
    id: &'a str,
    /// (target node, the reference in `depends_on`)
    edges: Vec<(usize, Location)>,
}

fn check(portfolio: &Portfolio, out: &mut Vec<Finding>) {
    let nodes = graph(portfolio);
    // Iterative depth-first search: a back edge to a node still on the path closes a cycle.
    // Every node is finished once, so the search is linear in milestones plus references.
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        New,
        OnPath,
        Done,
    }
    let mut state = vec![State::New; nodes.len()];
    let mut path: Vec<(usize, usize)> = Vec::new(); // (node, next edge to follow)
    for root in 0..nodes.len() {
        if state[root] != State::New {
            continue;
        }
        state[root] = State::OnPath;
        path.push((root, 0));
        while let Some(&mut (node, ref mut next_edge)) = path.last_mut() {
            let Some(&(target, reference)) = nodes[node].edges.get(*next_edge) else {
                state[node] = State::Done;
                path.pop();
                continue;
            };
            *next_edge += 1;
            match state[target] {
                State::New => {
                    state[target] = State::OnPath;
                    path.push((target, 0));
                }
                State::OnPath => {
                    let start = path.iter().position(|&(n, _)| n == target).unwrap_or(0);
                    let cycle: Vec<usize> = path[start..].iter().map(|&(n, _)| n).collect();
                    out.push(report(portfolio, &nodes, &cycle, node, reference));
                }
                State::Done => {}
            }
        }
    }
}

/// Every milestone with an id, and its `depends_on` references that resolve.
fn graph(portfolio: &Portfolio) -> Vec<Node<'_>> {
    let mut nodes = Vec::new();
    let mut index: HashMap<(usize, &str), usize> = HashMap::new();
    for (plan_index, plan) in portfolio.plans.iter().enumerate() {
        for (milestone_index, milestone) in plan.milestones.iter().enumerate() {
            index
                .entry((plan_index, milestone.id.as_str()))
                .or_insert_with(|| {
                    nodes.push(Node {
                        plan: plan_index,
                        milestone: milestone_index,
                        id: &milestone.id,
                        edges: Vec::new(),
                    });
                    nodes.len() - 1
                });
        }
    }
    let plan_index_by_id: HashMap<&str, usize> = portfolio
        .plans
        .iter()
        .enumerate()
        .rev()
        .filter_map(|(i, plan)| Some((plan.id()?, i)))
        .collect();
    for (plan_index, plan) in portfolio.plans.iter().enumerate() {
        for milestone in &plan.milestones {
            let Some(&from) = index.get(&(plan_index, milestone.id.as_str())) else {
                continue;
            };
            for (reference, at) in &milestone.depends_on {
                let target_plan = match &reference.plan {
                    None => Some(plan_index),
                    Some(id) => plan_index_by_id.get(id.as_str()).copied(),
                };
                if let Some(&to) =
                    target_plan.and_then(|p| index.get(&(p, reference.milestone.as_str())))
                {
                    nodes[from].edges.push((to, *at));
                }
            }
        }
    }
    nodes
}

fn report(
    portfolio: &Portfolio,
    nodes: &[Node<'_>],
    cycle: &[usize],
    closing: usize,
    reference: Location,
) -> Finding {
    let across = cycle.iter().any(|&n| nodes[n].plan != nodes[closing].plan);
    let name = |n: usize| {
        let node = &nodes[n];
        match portfolio.plans[node.plan].id() {
            Some(plan_id) if across => format!("{plan_id}#{}", node.id),
            _ => node.id.to_owned(),
        }
    };
    let mut listed: Vec<String> = cycle.iter().map(|&n| name(n)).collect();
    listed.push(name(cycle[0]));
    let plan = &portfolio.plans[nodes[closing].plan];
    let path = format!(
        "{}.depends_on",
        plan.milestones[nodes[closing].milestone].path()
    );
    let mut finding = Finding::located(
        &RULE,
        plan.file,
        reference,
        path,
        format!(
            "milestones depend on each other in a cycle: {}",
            listed.join(" → ")
        ),
    )
    .with_help("a milestone cannot wait for itself: remove one of these dependencies");
    for &n in cycle {
        let node = &nodes[n];
        let other = &portfolio.plans[node.plan];
        let at = other.milestones[node.milestone].at;
        if other.file != plan.file {
            finding = finding.with_related(
                other.file,
                at,
                format!("`{}` is part of the cycle", name(n)),
            );
        } else if n != closing {
            finding = finding.with_label(at, "part of the cycle");
        }
    }
    finding
}
