//! Counterexamples a reader can follow: runs from a start to a node, written as
//! `emergence → lettre_intention → validation_li [validee] → agc`.

use super::Context;
use cpts_lang::model::{Cond, NodeId};

/// A run from a start node to `target`, through the branch that requires branching outcome `bit`
/// when given. Only live nodes are walked.
pub(crate) fn run_to(cx: &Context, target: NodeId, bit: Option<usize>) -> Vec<String> {
    let mut events = vec![cx.event(target, None)];
    let mut current = target;
    for _ in 0..cx.model.nodes.len() {
        let Some(cond) = &cx.model.nodes[current].after else {
            break;
        };
        let Some((next, outcome)) = pick(cx, cond, bit) else {
            break;
        };
        events.push(cx.event(next, outcome));
        current = next;
    }
    events.reverse();
    events
}

/// A run that ends by satisfying `cond` (through `bit` when given).
pub(crate) fn run_through(cx: &Context, cond: &Cond, bit: Option<usize>) -> Vec<String> {
    match pick(cx, cond, bit) {
        Some((node, outcome)) => {
            let mut run = run_to(cx, node, bit);
            if let Some(last) = run.last_mut() {
                *last = cx.event(node, outcome);
            }
            run
        }
        None => Vec::new(),
    }
}

/// The predecessor to walk back to from `cond`: the first live component, preferring one that
/// requires `bit`.
fn pick(cx: &Context, cond: &Cond, bit: Option<usize>) -> Option<(NodeId, Option<usize>)> {
    let requires = |c: &Cond| match bit {
        None => cx.requirement(c, &cx.must).is_ok(),
        Some(b) => cx.requirement(c, &cx.must).is_ok_and(|set| set.contains(b)),
    };
    match cond {
        Cond::Done(n) => Some((*n, None)),
        Cond::Outcome(d, o) => Some((*d, Some(*o))),
        Cond::All(cs) | Cond::Any(cs) => {
            let chosen = cs
                .iter()
                .find(|c| requires(c))
                .or_else(|| cs.iter().find(|c| cx.requirement(c, &cx.must).is_ok()))?;
            pick(cx, chosen, bit)
        }
    }
}

/// Joins events with arrows.
pub(crate) fn show(events: &[String]) -> String {
    events.join(" → ")
}
