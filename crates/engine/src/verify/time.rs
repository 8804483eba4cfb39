//! Time: deadlines and typical durations form a simple temporal network. Durations give lower
//! bounds along prerequisites (`end(v) ≥ end(p) + min(v)`), a deadline an upper bound between its
//! anchor and its step (`end(v) ≤ end(anchor) + N`). A negative cycle is a deadline shorter than
//! the minimum durations that must fit inside it; prerequisites form a DAG, so every such cycle
//! holds exactly one deadline edge and is found by a longest-path pass from the deadline's
//! anchor, over the nodes between the anchor and the step only.
//!
//! Units are converted so that no consistent network is ever reported: minimum durations with
//! the shortest reading (a month ≥ 28 days), deadlines with the longest (a month ≤ 31 days).

use super::Context;
use cpts_diag::{Diagnostic, codes};
use cpts_lang::model::{Cond, NodeId};
use cpts_lang::syntax::Unit;
use std::collections::{BTreeMap, BTreeSet};

/// Fewest days `amount unit` can last.
fn min_days(amount: u32, unit: Unit) -> i64 {
    let n = i64::from(amount);
    match unit {
        Unit::Days | Unit::WorkingDays => n,
        Unit::Weeks => 7 * n,
        Unit::Months => 28 * n,
        Unit::Years => 365 * n,
    }
}

/// Most days `amount unit` can last (working days: weekends plus up to 13 public holidays a year).
fn max_days(amount: u32, unit: Unit) -> i64 {
    let n = i64::from(amount);
    match unit {
        Unit::Days => n,
        Unit::WorkingDays => (n * 7 + 4) / 5 + 2 + 13 * (n / 250 + 1),
        Unit::Weeks => 7 * n,
        Unit::Months => 31 * n,
        Unit::Years => 366 * n,
    }
}

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let position = &cx.position;
    // Deadlines grouped by anchor: one longest-path pass per anchor.
    let mut by_anchor: BTreeMap<NodeId, Vec<(NodeId, usize)>> = BTreeMap::new();
    for (v, node) in cx.model.nodes.iter().enumerate() {
        for (i, d) in node.deadlines.iter().enumerate() {
            if d.anchor.node != v
                && cx.live(v)
                && position[v] != usize::MAX
                && position[d.anchor.node] != usize::MAX
            {
                by_anchor.entry(d.anchor.node).or_default().push((v, i));
            }
        }
    }
    for (anchor, deadlines) in by_anchor {
        let window = window(cx, position, anchor, deadlines.iter().map(|(v, _)| *v));
        let (earliest, via) = longest(cx, position, anchor, &window);
        for (v, i) in deadlines {
            let d = &cx.model.nodes[v].deadlines[i];
            // How the deadline is named in a finding (only built for one).
            let describe = || {
                let name = d.name.as_ref().map_or(String::new(), |n| format!("`{n}` "));
                let from = format!(
                    "`{}`",
                    cx.event(anchor, d.anchor.outcome)
                        .replace(" [", ".")
                        .replace(']', "")
                );
                let what = format!("{} after {from}", d.unit.quantity(d.amount));
                (name, from, what)
            };
            // Counted from an event that can only happen after the step itself.
            if cx.is_ancestor(v, anchor) {
                let (name, from, what) = describe();
                out.push(
                    Diagnostic::new(
                        &codes::INCONSISTENT_DEADLINE,
                        format!("deadline {name}of `{}` ({what}) counts from an event that comes after the step", cx.model.nodes[v].name),
                    )
                    .at_with(d.span, "starts after the step it limits")
                    .note(format!("`{}` comes before {from}: the deadline could only be checked once it is too late", cx.model.nodes[v].name))
                    .help("count the deadline from an event that precedes the step"),
                );
                continue;
            }
            let Some(least) = earliest.get(&v).copied() else {
                continue;
            };
            let limit = max_days(d.amount, d.unit);
            if least <= limit {
                continue;
            }
            let (name, _, what) = describe();
            let chain = chain(cx, anchor, v, &via);
            let mut diag = Diagnostic::new(
                &codes::INCONSISTENT_DEADLINE,
                format!(
                    "deadline {name}of `{}` ({what}) cannot be met: the typical durations in between take at least {least} days",
                    cx.model.nodes[v].name,
                ),
            )
            .at_with(d.span, format!("at most {limit} days"))
            .note(format!("constraints in the cycle: {chain} ≤ {} (deadline)", d.unit.quantity(d.amount)))
            .help("lengthen the deadline, shorten the minimum typical durations, or check the anchor event");
            if let Some(o) = d.on_expiry {
                diag = diag.note(format!(
                    "on expiry the decision takes `{}` by itself: its typical duration contradicts the deadline",
                    cx.model.nodes[v].outcomes[o].name
                ));
            }
            out.push(diag);
        }
    }
}

/// Nodes between `anchor` and the targets in prerequisite order, that lead to a target.
fn window(
    cx: &Context,
    position: &[usize],
    anchor: NodeId,
    targets: impl Iterator<Item = NodeId>,
) -> BTreeSet<NodeId> {
    let floor = position[anchor];
    let mut seen = BTreeSet::new();
    let mut stack: Vec<NodeId> = targets.collect();
    while let Some(v) = stack.pop() {
        if position[v] == usize::MAX || position[v] < floor || !seen.insert(v) {
            continue;
        }
        stack.extend(cx.deps[v].iter().copied());
    }
    seen
}

/// Earliest completion of each window node after `anchor` completes, in days, and the
/// prerequisite that sets it.
fn longest(
    cx: &Context,
    position: &[usize],
    anchor: NodeId,
    window: &BTreeSet<NodeId>,
) -> (BTreeMap<NodeId, i64>, BTreeMap<NodeId, NodeId>) {
    let mut earliest = BTreeMap::from([(anchor, 0)]);
    let mut via = BTreeMap::new();
    // The window in prerequisite order (sorting it, not scanning the whole order per anchor).
    let mut in_order: Vec<NodeId> = window.iter().copied().filter(|&v| v != anchor).collect();
    in_order.sort_unstable_by_key(|&v| position[v]);
    for v in in_order {
        let Some(cond) = &cx.model.nodes[v].after else {
            continue;
        };
        let Some((start, from)) = bound(cond, &earliest) else {
            continue;
        };
        let own = cx.model.nodes[v]
            .typical
            .as_ref()
            .map_or(0, |t| min_days(t.min, t.unit));
        earliest.insert(v, start + own);
        via.insert(v, from);
    }
    (earliest, via)
}

/// Lower bound on when `cond` holds, relative to the anchor: the latest of an all-of, the
/// earliest of an any-of (unknown when an alternative does not follow the anchor).
fn bound(cond: &Cond, earliest: &BTreeMap<NodeId, i64>) -> Option<(i64, NodeId)> {
    match cond {
        Cond::Done(n) | Cond::Outcome(n, _) => earliest.get(n).map(|&t| (t, *n)),
        Cond::All(cs) => cs
            .iter()
            .filter_map(|c| bound(c, earliest))
            .max_by_key(|(t, _)| *t),
        Cond::Any(cs) => {
            let bounds: Option<Vec<(i64, NodeId)>> =
                cs.iter().map(|c| bound(c, earliest)).collect();
            bounds?.into_iter().min_by_key(|(t, _)| *t)
        }
    }
}

fn chain(cx: &Context, anchor: NodeId, v: NodeId, via: &BTreeMap<NodeId, NodeId>) -> String {
    let mut steps = Vec::new();
    let mut current = v;
    while current != anchor {
        let node = &cx.model.nodes[current];
        steps.push(match &node.typical {
            Some(t) => format!("{} (at least {})", node.name, t.unit.quantity(t.min)),
            None => node.name.clone(),
        });
        match via.get(&current) {
            Some(&p) => current = p,
            None => break,
        }
    }
    steps.push(cx.model.nodes[anchor].name.clone());
    steps.reverse();
    steps.join(" → ")
}
