//! Structure: steps from which the end can never be reached, decision outcomes nothing follows,
//! rework routes that do not go back. (Unreachable islands are found with the cycles.)

use super::Context;
use cpts_diag::{Diagnostic, codes};
use cpts_lang::model::NodeId;
use std::collections::BTreeSet;

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    dead_ends(cx, out);
    outcomes_leading_nowhere(cx, out);
    routes_not_upstream(cx, out);
}

/// Nodes the end waits for, directly or not.
pub(crate) fn reaches_end(cx: &Context) -> Vec<bool> {
    let mut reaches = vec![false; cx.model.nodes.len()];
    let mut stack = Vec::new();
    match &cx.model.end {
        Some(end) => end.nodes(&mut stack),
        None => stack.extend(crate::graph::sinks(cx.model)),
    }
    while let Some(v) = stack.pop() {
        if !std::mem::replace(&mut reaches[v], true) {
            stack.extend(cx.deps[v].iter().copied());
        }
    }
    reaches
}

fn dead_ends(cx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(end_span) = cx.model.end_span else {
        return;
    };
    let reaches = reaches_end(cx);
    for v in 0..cx.model.nodes.len() {
        let optional = cx.model.nodes[v].optional;
        if reaches[v]
            || optional
            || !cx.live(v)
            || cx.deps[v]
                .iter()
                .any(|&d| !reaches[d] && !cx.model.nodes[d].optional)
        {
            continue;
        }
        // `v` starts a region the end does not wait for: list what follows it there.
        let mut downstream = BTreeSet::new();
        let mut stack = cx.dependents[v].clone();
        while let Some(n) = stack.pop() {
            if !reaches[n] && downstream.insert(n) {
                stack.extend(cx.dependents[n].iter().copied());
            }
        }
        let node = &cx.model.nodes[v];
        let mut d = Diagnostic::new(
            &codes::DEAD_END_STEP,
            format!("the end of the workflow never waits for `{}`", node.name),
        )
        .at_with(node.span, "leads nowhere")
        .label(end_span, "the end waits for other steps")
        .help("make a later step (or `end`) wait for it, or remove it");
        if !downstream.is_empty() {
            let names: Vec<&str> = downstream
                .iter()
                .map(|&n| cx.model.nodes[n].name.as_str())
                .collect();
            d = d.note(format!("nor for what follows it: {}", names.join(", ")));
        }
        out.push(d);
    }
}

fn outcomes_leading_nowhere(cx: &Context, out: &mut Vec<Diagnostic>) {
    let referenced = cx.referenced_outcomes();
    let sinks: BTreeSet<NodeId> = if cx.model.end.is_none() {
        crate::graph::sinks(cx.model).into_iter().collect()
    } else {
        BTreeSet::new()
    };
    for (d, node) in cx.model.nodes.iter().enumerate() {
        if !cx.live(d) || sinks.contains(&d) || cx.done_referenced(d) {
            continue;
        }
        for &o in &cx.forward[d] {
            if referenced.contains(&(d, o)) {
                continue;
            }
            let outcome = &node.outcomes[o];
            out.push(
                Diagnostic::new(
                    &codes::OUTCOME_LEADS_NOWHERE,
                    format!(
                        "outcome `{}` of `{}` leads nowhere",
                        outcome.name, node.name
                    ),
                )
                .at_with(outcome.span, "no step waits for it")
                .note(format!(
                    "in a run where `{}` takes `{}`, nothing follows the decision",
                    node.name, outcome.name
                ))
                .help(format!(
                    "make a step wait for `{}.{}`, loop it back with `-> step`, or remove it",
                    node.name, outcome.name
                )),
            );
        }
    }
}

fn routes_not_upstream(cx: &Context, out: &mut Vec<Diagnostic>) {
    for (d, node) in cx.model.nodes.iter().enumerate() {
        for outcome in &node.outcomes {
            let Some(target) = outcome.route else {
                continue;
            };
            if target == d || cx.is_ancestor(target, d) {
                continue;
            }
            out.push(
                Diagnostic::new(
                    &codes::ROUTE_NOT_UPSTREAM,
                    format!("outcome `{}` of `{}` goes back to `{}`, which does not come before it", outcome.name, node.name, cx.model.nodes[target].name),
                )
                .at_with(outcome.span, "not a rework loop")
                .label(cx.model.nodes[target].span, "not a prerequisite of the decision, even indirectly")
                .help("route rework to a step the decision waits for; to go forward, make later steps wait for the outcome"),
            );
        }
    }
}
