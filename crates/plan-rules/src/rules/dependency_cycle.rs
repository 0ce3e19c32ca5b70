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
    // Where each node on the path is on it: a cycle starts there, found without a search.
    let mut place_on_path = vec![0; graph.node_count()];
    // (node, next edge to follow, where on the path the plans last changed): a cycle from
    // place `p` crosses plans when they changed after `p`.
    let mut path: Vec<(usize, usize, usize)> = Vec::new();
    for root in 0..graph.node_count() {
        if state[root] != State::New {
            continue;
        }
        state[root] = State::OnPath;
        path.push((root, 0, 0));
        while let Some(&mut (node, ref mut next_edge, changed)) = path.last_mut() {
            let Some(&(target, reference)) = graph.edge(node, *next_edge) else {
                state[node] = State::Done;
                path.pop();
                continue;
            };
            *next_edge += 1;
            match state[target] {
                State::New => {
                    state[target] = State::OnPath;
                    place_on_path[target] = path.len();
                    let changed = if graph.plan(target) == graph.plan(node) {
                        changed
                    } else {
                        path.len()
                    };
                    path.push((target, 0, changed));
                }
                State::OnPath => {
                    let start = place_on_path[target];
                    let cycle = Cycle {
                        nodes: &path[start..],
                        across: changed > start,
                    };
                    out.push(report(&graph, cycle, node, reference));
                }
                State::Done => {}
            }
        }
    }
}

/// A cycle: the path's nodes from where it starts to the one that refers back to the first.
struct Cycle<'p> {
    nodes: &'p [(usize, usize, usize)],
    /// Whether its milestones are in more than one plan.
    across: bool,
}

/// A cycle of more milestones than this is listed by its first and last ones, with the count
/// of those between: each finding costs the same however long its cycle, so that a plan of
/// n milestones closing n cycles of up to n each is not n² of report.
const LISTED_WHOLE: usize = 30;
const LISTED_FIRST: usize = 15;
const LISTED_LAST: usize = 14;

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

/// The longest id a cycle shows whole, in characters. The ids of a cycle are written in every
/// finding of each cycle through them, not once each as a reference is: long ones are cut.
const LONGEST_ID_SHOWN: usize = 40;

/// `id`, cut to [`LONGEST_ID_SHOWN`] characters with `…` when it is longer.
fn shortened(id: &str) -> std::borrow::Cow<'_, str> {
    let mut chars = id.char_indices();
    // The character at the limit: when another follows it, the id is cut before it, to make
    // room for `…`.
    match chars.nth(LONGEST_ID_SHOWN - 1) {
        Some((cut, _)) if chars.next().is_some() => format!("{}…", &id[..cut]).into(),
        _ => id.into(),
    }
}

/// The finding for a cycle, at the reference from `closing` that closes it.
fn report(graph: &Graph<'_>, cycle: Cycle<'_>, closing: usize, reference: Location) -> Finding {
    let portfolio = graph.portfolio;
    let closing_plan = graph.plan(closing);
    let (nodes, across) = (cycle.nodes, cycle.across);
    let (first, last, left_out) = if nodes.len() <= LISTED_WHOLE {
        (nodes, &nodes[..0], 0)
    } else {
        let last = &nodes[nodes.len() - LISTED_LAST..];
        let left_out = nodes.len() - LISTED_FIRST - LISTED_LAST;
        (&nodes[..LISTED_FIRST], last, left_out)
    };
    let cycle: Vec<usize> = first.iter().chain(last).map(|&(n, ..)| n).collect();
    let name = |n: usize| {
        let id = shortened(&graph.milestone(n).id);
        match portfolio.plans[graph.plan(n)].id() {
            Some(plan_id) if across => format!("{}#{id}", shortened(plan_id)),
            _ => id.into_owned(),
        }
    };
    let mut listed: Vec<String> = cycle.iter().map(|&n| name(n)).collect();
    if left_out > 0 {
        listed.insert(LISTED_FIRST, format!("({left_out} more)"));
    }
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
    for &n in &cycle {
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

    /// A chain `M0 ← M1 ← … ← M(n-1) ← M0` of `n` milestones in plan `a`: one cycle, which the
    /// search walks from M0 down (M0, M(n-1), …, M1).
    fn chain(n: usize, id: impl Fn(usize) -> String) -> Vec<MilestoneSummary> {
        (0..n)
            .map(|i| {
                let previous = id(if i == 0 { n - 1 } else { i - 1 });
                milestone(&id(i), &[previous.as_str()])
            })
            .collect()
    }

    /// The message for a cycle listing `names` (the first again at the end).
    fn message(names: &[String]) -> String {
        let mut listed = names.to_vec();
        listed.push(names[0].clone());
        format!(
            "milestones depend on each other in a cycle: {}",
            listed.join(" → ")
        )
    }

    #[test]
    fn a_long_cycle_is_listed_by_its_first_and_last_milestones() {
        let id = |i: usize| format!("M{i}");
        // The order walked: M0, then down from the last.
        let walked =
            |n: usize| -> Vec<String> { std::iter::once(0).chain((1..n).rev()).map(id).collect() };
        // Up to 30, whole.
        for n in [2, 29, 30] {
            let found = cycles(vec![plan(0, "a", chain(n, id))]);
            assert_eq!(found, [message(&walked(n))], "{n} milestones");
        }
        for n in [31, 100, 5_000] {
            let all = walked(n);
            let mut shown = all[..15].to_vec();
            shown.push(format!("({} more)", n - 29));
            shown.extend_from_slice(&all[n - 14..]);
            let found = cycles(vec![plan(0, "a", chain(n, id))]);
            assert_eq!(found, [message(&shown)], "{n} milestones");
        }
    }

    #[test]
    fn a_cycle_crossing_plans_only_where_it_is_not_listed_still_names_the_plans() {
        // a#M0 → … a#M19 → b#X → a#M20 → … → a#M39 → a#M0, walked from a#M0 along its
        // dependencies; b's milestone is in the part left out.
        let mut a: Vec<MilestoneSummary> = (0..40)
            .map(|i| {
                let next = match i {
                    19 => "b#X".to_owned(),
                    39 => "M0".to_owned(),
                    _ => format!("M{}", i + 1),
                };
                milestone(&format!("M{i}"), &[next.as_str()])
            })
            .collect();
        a.push(milestone("M99", &[]));
        let b = vec![milestone("X", &["a#M20"])];
        let found = cycles(vec![plan(0, "a", a), plan(1, "b", b)]);
        let mut shown: Vec<String> = (0..15).map(|i| format!("a#M{i}")).collect();
        shown.push("(12 more)".to_owned());
        shown.extend((26..40).map(|i| format!("a#M{i}")));
        assert_eq!(found, [message(&shown)]);
    }

    #[test]
    fn long_ids_in_a_cycle_are_cut() {
        let long = |i: usize| format!("{i}{}", "é".repeat(60));
        let found = cycles(vec![plan(0, "a", chain(2, long))]);
        let cut = |i: usize| format!("{i}{}…", "é".repeat(38));
        assert_eq!(found, [message(&[cut(0), cut(1)])]);
        // Forty characters are shown whole.
        let forty = |i: usize| format!("{i}{}", "x".repeat(39));
        let found = cycles(vec![plan(0, "a", chain(2, forty))]);
        assert_eq!(found, [message(&[forty(0), forty(1)])]);
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
