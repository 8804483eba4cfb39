//! Soundness in the workflow-net sense: prerequisite cycles, deadlocks (an all-of join fed by
//! mutually exclusive outcomes), livelocks (a decision no outcome leaves) and dead steps. Each
//! problem is reported once, at its root cause; the steps it kills are listed in a note.

use super::Context;
use super::context::Death;
use super::paths::{run_through, show};
use cpts_diag::{Diagnostic, codes};
use cpts_lang::model::{Cond, NodeId};
use std::collections::BTreeMap;

/// The node whose problem explains why `v` is dead (itself for a root cause).
pub(crate) fn root(cx: &Context, mut v: NodeId) -> NodeId {
    for _ in 0..cx.model.nodes.len() {
        match &cx.must[v] {
            Err(Death::Upstream(u)) => v = *u,
            Err(Death::Livelock(d)) => return *d,
            _ => return v,
        }
    }
    v
}

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    // Dead nodes grouped under the node that explains them.
    let mut killed: BTreeMap<NodeId, Vec<NodeId>> = BTreeMap::new();
    let cycle_of: BTreeMap<NodeId, usize> = cx
        .cycles
        .iter()
        .enumerate()
        .flat_map(|(i, c)| c.iter().map(move |&n| (n, i)))
        .collect();
    for v in 0..cx.model.nodes.len() {
        if cx.live(v) {
            continue;
        }
        let r = root(cx, v);
        let r = cycle_of.get(&r).map_or(r, |&c| cx.cycles[c][0]);
        if r != v {
            killed.entry(r).or_default().push(v);
        }
    }
    let mut livelocked: Vec<NodeId> = (0..cx.model.nodes.len())
        .filter(|&d| {
            cx.live(d) && !cx.model.nodes[d].outcomes.is_empty() && cx.forward[d].is_empty()
        })
        .collect();
    livelocked.sort_unstable();
    for cycle in &cx.cycles {
        out.push(with_killed(
            cx,
            cycle_diagnostic(cx, cycle),
            cycle[0],
            &killed,
            cycle,
        ));
    }
    for &d in &livelocked {
        out.push(with_killed(cx, livelock(cx, d), d, &killed, &[]));
    }
    for v in 0..cx.model.nodes.len() {
        let d = match &cx.must[v] {
            Err(Death::Conflict {
                decision,
                first,
                second,
            }) => deadlock(cx, v, *decision, *first, *second),
            Err(Death::LoopingOutcome { decision, outcome }) => looping(cx, v, *decision, *outcome),
            Err(Death::EmptyAny) => Diagnostic::new(
                &codes::DEAD_STEP,
                format!(
                    "`{}` can never start: none of its alternatives exists",
                    cx.model.nodes[v].name
                ),
            )
            .at_with(cx.model.nodes[v].span, "never enabled")
            .help("its `any(…)` lists only steps absent from this version or region"),
            _ => continue,
        };
        out.push(with_killed(cx, d, v, &killed, &[]));
    }
}

fn with_killed(
    cx: &Context,
    mut d: Diagnostic,
    root: NodeId,
    killed: &BTreeMap<NodeId, Vec<NodeId>>,
    skip: &[NodeId],
) -> Diagnostic {
    if let Some(list) = killed.get(&root) {
        let mut names: Vec<&str> = list
            .iter()
            .filter(|v| !skip.contains(v))
            .map(|&v| cx.model.nodes[v].name.as_str())
            .collect();
        names.sort_unstable();
        if !names.is_empty() {
            d = d.note(format!(
                "never enabled because of it: {}",
                abbreviate(&names)
            ));
        }
    }
    d
}

fn abbreviate(names: &[&str]) -> String {
    if names.len() <= 8 {
        names.join(", ")
    } else {
        format!("{} and {} more", names[..8].join(", "), names.len() - 8)
    }
}

fn cycle_diagnostic(cx: &Context, cycle: &[NodeId]) -> Diagnostic {
    let first = cycle[0];
    // Walk the cycle from its first member for a readable order.
    let mut path = vec![first];
    let mut current = first;
    for _ in 0..cycle.len() {
        let next = cx.dependents[current]
            .iter()
            .copied()
            .filter(|n| cycle.contains(n))
            .min_by(|a, b| cx.model.nodes[*a].name.cmp(&cx.model.nodes[*b].name));
        match next {
            Some(n) if n == first => break,
            Some(n) if !path.contains(&n) => {
                path.push(n);
                current = n;
            }
            _ => break,
        }
    }
    path.push(first);
    let names: Vec<String> = path
        .iter()
        .map(|&n| cx.model.nodes[n].name.clone())
        .collect();
    let entered = cycle
        .iter()
        .any(|&m| cx.deps[m].iter().any(|d| !cycle.contains(d)));
    let node = &cx.model.nodes[first];
    let (code, message, help) = if entered {
        (
            &codes::PREREQUISITE_CYCLE,
            format!(
                "`{}` waits for itself through a cycle of prerequisites",
                node.name
            ),
            "each step of the cycle waits for the previous one, so none can start: break the cycle, or make the rework a decision outcome (`outcome … -> step`)",
        )
    } else {
        (
            &codes::UNREACHABLE_STEP,
            format!("`{}` cannot be reached from any start step", node.name),
            "these steps only wait for each other: make one of them wait for a step of the workflow",
        )
    };
    let mut d = Diagnostic::new(code, message)
        .at_with(node.span, "on the cycle")
        .note(format!("cycle: {}", names.join(" → ")))
        .help(help);
    for &m in cycle.iter().skip(1) {
        d = d.label(cx.model.nodes[m].span, "also on the cycle");
    }
    d
}

fn livelock(cx: &Context, d: NodeId) -> Diagnostic {
    let node = &cx.model.nodes[d];
    let mut diag = Diagnostic::new(
        &codes::LIVELOCK,
        format!(
            "every outcome of `{}` loops back: the decision can never be left",
            node.name
        ),
    )
    .at_with(node.span, "no way out");
    for outcome in &node.outcomes {
        if let Some(route) = outcome.route {
            diag = diag.label(
                outcome.span,
                format!("goes back to `{}`", cx.model.nodes[route].name),
            );
            let mut path = forward_path(cx, route, d);
            path.pop();
            path.push(format!("{} [{}]", node.name, outcome.name));
            path.push(cx.model.nodes[route].name.clone());
            diag = diag.note(format!("loop: {}", show(&path)));
        }
    }
    diag.help("give the decision an outcome without `->` (e.g. `outcome valide`) that later steps can wait for")
}

/// The names along a shortest prerequisite path from `from` to `to` (both included).
fn forward_path(cx: &Context, from: NodeId, to: NodeId) -> Vec<String> {
    let mut parent = vec![usize::MAX; cx.model.nodes.len()];
    let mut queue = std::collections::VecDeque::from([from]);
    parent[from] = from;
    while let Some(v) = queue.pop_front() {
        if v == to {
            break;
        }
        for &w in &cx.dependents[v] {
            if parent[w] == usize::MAX {
                parent[w] = v;
                queue.push_back(w);
            }
        }
    }
    let mut names = Vec::new();
    let mut v = to;
    if parent[to] == usize::MAX {
        return vec![
            cx.model.nodes[from].name.clone(),
            cx.model.nodes[to].name.clone(),
        ];
    }
    while v != from {
        names.push(cx.model.nodes[v].name.clone());
        v = parent[v];
    }
    names.push(cx.model.nodes[from].name.clone());
    names.reverse();
    names
}

fn deadlock(cx: &Context, v: NodeId, decision: NodeId, first: usize, second: usize) -> Diagnostic {
    let node = &cx.model.nodes[v];
    let dec = &cx.model.nodes[decision];
    let (a, b) = (&dec.outcomes[first].name, &dec.outcomes[second].name);
    let mut d = Diagnostic::new(
        &codes::DEADLOCK,
        format!(
            "`{}` waits for both `{}.{a}` and `{}.{b}`, which exclude each other",
            node.name, dec.name, dec.name
        ),
    )
    .at_with(node.span, "can never start")
    .label(dec.outcomes[first].span, "one run takes this outcome")
    .label(dec.outcomes[second].span, "or this one, never both");
    if let Some(cond) = &node.after {
        for o in [first, second] {
            let bit = cx.bit[decision][o];
            if let Some(branch) = branch_requiring(cx, cond, bit) {
                d = d.note(format!(
                    "needs {}: {}",
                    cx.event(decision, Some(o)),
                    show(&run_through(cx, branch, bit))
                ));
            }
        }
    }
    d.help(format!("wait for `any(…)` of the two branches, or for one outcome only; a run of `{}` ends with one outcome", dec.name))
}

/// The first component of an all-of requiring `bit`.
fn branch_requiring<'c>(cx: &Context, cond: &'c Cond, bit: Option<usize>) -> Option<&'c Cond> {
    let b = bit?;
    match cond {
        Cond::All(cs) => cs
            .iter()
            .find(|c| cx.requirement(c, &cx.must).is_ok_and(|s| s.contains(b))),
        other => Some(other),
    }
}

fn looping(cx: &Context, v: NodeId, decision: NodeId, outcome: usize) -> Diagnostic {
    let node = &cx.model.nodes[v];
    let dec = &cx.model.nodes[decision];
    let o = &dec.outcomes[outcome];
    let target = o
        .route
        .map_or(String::new(), |r| cx.model.nodes[r].name.clone());
    Diagnostic::new(
        &codes::DEAD_STEP,
        format!(
            "`{}` waits for `{}.{}`, an outcome that sends the workflow back to `{target}`",
            node.name, dec.name, o.name
        ),
    )
    .at_with(node.span, "never enabled")
    .label(o.span, format!("loops back to `{target}`"))
    .note("taking a looping outcome undoes its target and everything after it, this step included")
    .help(format!(
        "wait for a forward outcome of `{}`, or make this step part of the rework",
        dec.name
    ))
}
