//! `dependency-cycle` (PL014): milestones never depend on themselves, directly or through
//! others, within a plan or across plans.

use crate::{Check, Finding, Fixability, Location, MilestoneSummary, Portfolio, Rule, Severity};

pub static RULE: Rule = Rule {
    code: "PL014",
    name: "dependency-cycle",
    default_severity: Severity::Error,
    time_based: false,
    fix: Fixability::None,
    page: include_str!("../../../../rules/dependency-cycle.md"),
    check: Check::Portfolio(check),
};

fn check(portfolio: &Portfolio, out: &mut Vec<Finding>) {
    let graph = Graph::new(portfolio);
    // Iterative depth-first search: a back edge to a node still on the path closes a cycle.
    // Every node is finished once, so the search is linear in milestones plus references.
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        New,
        OnPath,
        Done,
    }
    let mut state = vec![State::New; graph.node_count()];
    let mut path: Vec<(usize, usize)> = Vec::new(); // (node, next edge to follow)
    for root in 0..graph.node_count() {
        if state[root] != State::New {
            continue;
        }
        state[root] = State::OnPath;
        path.push((root, 0));
        while let Some(&mut (node, ref mut next_edge)) = path.last_mut() {
            let Some(&(target, reference)) = graph.edge(node, *next_edge) else {
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
                    out.push(report(&graph, &cycle, node, reference));
                }
                State::Done => {}
            }
        }
    }
}

/// Every milestone of the run is a node, numbered plan by plan in entry order; a milestone
/// whose id repeats an earlier one in its plan stands for nothing (references and its own
/// `depends_on` go to the first). Edges are kept in one flat array, node by node, so the
/// graph of 10,000 plans is a handful of allocations and no hashing of ids.
struct Graph<'a> {
    portfolio: &'a Portfolio,
    /// `first_node[plan]`: the node of the plan's first milestone; one more entry at the end.
    first_node: Vec<usize>,
    /// Each plan's nodes sorted by (id, node), for finding a milestone by id.
    by_id: Vec<usize>,
    /// `edges[first_edge[node]..first_edge[node + 1]]`: (target node, the reference).
    first_edge: Vec<usize>,
    edges: Vec<(usize, Location)>,
}

impl<'a> Graph<'a> {
    fn new(portfolio: &'a Portfolio) -> Self {
        let mut first_node = Vec::with_capacity(portfolio.plans.len() + 1);
        let mut nodes = 0;
        for plan in &portfolio.plans {
            first_node.push(nodes);
            nodes += plan.milestones.len();
        }
        first_node.push(nodes);
        let mut by_id: Vec<usize> = (0..nodes).collect();
        for (plan, summary) in portfolio.plans.iter().enumerate() {
            let base = first_node[plan];
            by_id[base..first_node[plan + 1]]
                .sort_unstable_by_key(|&node| (summary.milestones[node - base].id.as_str(), node));
        }
        let mut graph = Graph {
            portfolio,
            first_node,
            by_id,
            first_edge: Vec::new(),
            edges: Vec::new(),
        };
        // (from, to, reference) in the order the references are written; a stable sort by
        // `from` then keeps each node's edges in that order.
        let mut found: Vec<(usize, usize, Location)> = Vec::new();
        for (plan_index, plan) in portfolio.plans.iter().enumerate() {
            for milestone in &plan.milestones {
                let Some(from) = graph.find(plan_index, &milestone.id) else {
                    continue;
                };
                for (reference, at) in &milestone.depends_on {
                    let target_plan = match &reference.plan {
                        None => Some(plan_index),
                        Some(id) => portfolio.index_of(id),
                    };
                    if let Some(to) = target_plan.and_then(|p| graph.find(p, &reference.milestone))
                    {
                        found.push((from, to, *at));
                    }
                }
            }
        }
        found.sort_by_key(|&(from, _, _)| from);
        graph.first_edge = Vec::with_capacity(nodes + 1);
        let mut next = 0;
        for node in 0..=nodes {
            while next < found.len() && found[next].0 < node {
                next += 1;
            }
            graph.first_edge.push(next);
        }
        graph.edges = found.into_iter().map(|(_, to, at)| (to, at)).collect();
        graph
    }

    fn node_count(&self) -> usize {
        self.by_id.len()
    }

    /// The node of the first milestone with this id in a plan.
    fn find(&self, plan: usize, id: &str) -> Option<usize> {
        let base = self.first_node[plan];
        let milestones = &self.portfolio.plans[plan].milestones;
        let id_of = |node: usize| milestones[node - base].id.as_str();
        let nodes = &self.by_id[base..self.first_node[plan + 1]];
        let first = nodes.partition_point(|&node| id_of(node) < id);
        nodes.get(first).copied().filter(|&node| id_of(node) == id)
    }

    fn edge(&self, node: usize, index: usize) -> Option<&(usize, Location)> {
        self.edges[self.first_edge[node]..self.first_edge[node + 1]].get(index)
    }

    /// The plan a node belongs to.
    fn plan(&self, node: usize) -> usize {
        self.first_node.partition_point(|&first| first <= node) - 1
    }

    fn milestone(&self, node: usize) -> &'a MilestoneSummary {
        let plan = self.plan(node);
        &self.portfolio.plans[plan].milestones[node - self.first_node[plan]]
    }
}

fn report(graph: &Graph<'_>, cycle: &[usize], closing: usize, reference: Location) -> Finding {
    let portfolio = graph.portfolio;
    let closing_plan = graph.plan(closing);
    let across = cycle.iter().any(|&n| graph.plan(n) != closing_plan);
    let name = |n: usize| {
        let id = &graph.milestone(n).id;
        match portfolio.plans[graph.plan(n)].id() {
            Some(plan_id) if across => format!("{plan_id}#{id}"),
            _ => id.to_owned(),
        }
    };
    let mut listed: Vec<String> = cycle.iter().map(|&n| name(n)).collect();
    listed.push(name(cycle[0]));
    let plan = &portfolio.plans[closing_plan];
    let path = format!("{}.depends_on", graph.milestone(closing).path());
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
        let other = &portfolio.plans[graph.plan(n)];
        let at = graph.milestone(n).at;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::PlanSummary;
    use plan_model::MilestoneRef;

    fn milestone(id: &str, depends_on: &[&str]) -> MilestoneSummary {
        MilestoneSummary {
            id: id.to_owned(),
            at: Location::default(),
            depends_on: depends_on
                .iter()
                .map(|reference| {
                    let (plan, milestone) = match reference.split_once('#') {
                        Some((plan, milestone)) => (Some(plan.to_owned()), milestone),
                        None => (None, *reference),
                    };
                    let milestone = milestone.to_owned();
                    (MilestoneRef { plan, milestone }, Location::default())
                })
                .collect(),
        }
    }

    fn plan(file: usize, id: &str, milestones: Vec<MilestoneSummary>) -> PlanSummary {
        PlanSummary {
            file,
            path: format!("{id}.plan.toml"),
            id: Some((id.to_owned(), Location::default())),
            milestones,
            milestone_ids_complete: true,
            resources: Vec::new(),
            rag: None,
            next_review: None,
        }
    }

    fn cycles(plans: Vec<PlanSummary>) -> Vec<String> {
        let portfolio = Portfolio::new(
            plans.into_iter().map(std::sync::Arc::new).collect(),
            jiff::civil::date(2026, 6, 1),
        );
        let mut found = Vec::new();
        check(&portfolio, &mut found);
        found.into_iter().map(|finding| finding.message).collect()
    }

    #[test]
    fn a_repeated_id_stands_for_the_first_milestone_with_it() {
        // The second `M2` depends on `M1`: as references to `M2` reach the first one, so
        // do its dependencies leave from it, closing M1 → M2 → M1.
        let found = cycles(vec![plan(
            0,
            "a",
            vec![
                milestone("M1", &["M2"]),
                milestone("M2", &[]),
                milestone("M2", &["M1"]),
            ],
        )]);
        assert_eq!(
            found,
            ["milestones depend on each other in a cycle: M1 → M2 → M1"]
        );
    }

    #[test]
    fn cycles_across_plans_and_plans_without_milestones() {
        let found = cycles(vec![
            plan(0, "a", vec![milestone("M1", &["b#M9"])]),
            plan(1, "empty", Vec::new()),
            plan(
                2,
                "b",
                vec![milestone("M8", &[]), milestone("M9", &["a#M1"])],
            ),
        ]);
        assert_eq!(
            found,
            ["milestones depend on each other in a cycle: a#M1 → b#M9 → a#M1"]
        );
        let acyclic = cycles(vec![
            plan(
                0,
                "a",
                vec![milestone("M1", &["b#M9", "M2"]), milestone("M2", &[])],
            ),
            plan(1, "b", vec![milestone("M9", &["a#M2", "nowhere#M1"])]),
        ]);
        assert!(acyclic.is_empty(), "{acyclic:?}");
    }
}
