//! `dependency-cycle` (PL014): milestones never depend on themselves, directly or through
//! others, within a plan or across plans.

use crate::{Check, Finding, Portfolio, Rule, Severity};
use plan_model::{Plan, Span};
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
    id: &'a str,
    id_span: Span,
    /// (target node, span of the reference in `depends_on`)
    edges: Vec<(usize, Span)>,
}

fn check(portfolio: &Portfolio<'_>, out: &mut Vec<Finding>) {
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
fn graph<'a>(portfolio: &'a Portfolio<'_>) -> Vec<Node<'a>> {
    let mut nodes = Vec::new();
    let mut index: HashMap<(usize, &str), usize> = HashMap::new();
    for (plan_index, cx) in portfolio.plans.iter().enumerate() {
        for milestone in Plan::entries(&cx.plan.milestones) {
            let Some(id) = milestone.id.spanned() else {
                continue;
            };
            index
                .entry((plan_index, id.value.as_str()))
                .or_insert_with(|| {
                    nodes.push(Node {
                        plan: plan_index,
                        id: &id.value,
                        id_span: id.span,
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
        .filter_map(|(i, cx)| Some((cx.plan.id()?, i)))
        .collect();
    for (plan_index, cx) in portfolio.plans.iter().enumerate() {
        for milestone in Plan::entries(&cx.plan.milestones) {
            let Some(&from) = milestone
                .id
                .get()
                .and_then(|id| index.get(&(plan_index, id.as_str())))
            else {
                continue;
            };
            for dependency in milestone.depends_on.get().into_iter().flatten() {
                let target_plan = match &dependency.value.plan {
                    None => Some(plan_index),
                    Some(id) => plan_index_by_id.get(id.as_str()).copied(),
                };
                if let Some(&to) =
                    target_plan.and_then(|p| index.get(&(p, dependency.value.milestone.as_str())))
                {
                    nodes[from].edges.push((to, dependency.span));
                }
            }
        }
    }
    nodes
}

fn report(
    portfolio: &Portfolio<'_>,
    nodes: &[Node<'_>],
    cycle: &[usize],
    closing: usize,
    reference: Span,
) -> Finding {
    let across = cycle.iter().any(|&n| nodes[n].plan != nodes[closing].plan);
    let name = |n: usize| {
        let node = &nodes[n];
        match portfolio.plans[node.plan].plan.id() {
            Some(plan_id) if across => format!("{plan_id}#{}", node.id),
            _ => node.id.to_owned(),
        }
    };
    let mut listed: Vec<String> = cycle.iter().map(|&n| name(n)).collect();
    listed.push(name(cycle[0]));
    let cx = &portfolio.plans[nodes[closing].plan];
    let milestone = Plan::entries(&cx.plan.milestones)
        .iter()
        .find(|m| m.id.get().map(String::as_str) == Some(nodes[closing].id));
    let path = milestone
        .map(|m| m.place.child("depends_on"))
        .unwrap_or_else(|| "milestones".to_owned());
    let mut finding = cx
        .finding(
            &RULE,
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
        let file = portfolio.plans[node.plan].file;
        if file != cx.file {
            finding = finding.with_related(
                file,
                node.id_span,
                format!("`{}` is part of the cycle", name(n)),
            );
        } else if n != closing {
            finding = finding.with_label(node.id_span, "part of the cycle");
        }
    }
    finding
}
