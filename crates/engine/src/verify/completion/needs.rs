//! What the end needs, kept incrementally from the baseline to each deviation.
//!
//! In a run where the end holds, the end *needs* the nodes its condition reaches: all of an
//! all-of, the first alternative of an any-of that holds, and (for a needed node) what its own
//! condition reaches. The baseline's needs are computed once, counting for each node how many
//! needs point at it. A deviation only changes the conditions of the nodes it visited (their
//! any-of picks may differ) and of the end: their new needs are added, then their old ones
//! removed, and a node is needed as long as its count is positive. Needs only go from later to
//! earlier nodes and only through nodes done in the run, so counting is exact (no cycle can keep
//! itself alive). Everything is put back afterwards.

use super::{Run, left_running};
use crate::verify::Context;
use cpts_lang::model::{Cond, NodeId};

/// The needs of the baseline, with the bookkeeping to derive a deviation's.
pub(super) struct Needs {
    /// Per node, and the end last: whether the end needs it.
    pub(super) needed: Vec<bool>,
    /// Per node: how many counted needs point at it.
    count: Vec<u32>,
    /// Per node: its needs as in the baseline are counted.
    base_counted: Vec<bool>,
    /// Per node: its needs as in the deviation are counted.
    dev_counted: Vec<bool>,
    /// Previous state of each entry changed for a deviation, to put it back.
    undo: Vec<(usize, bool, u32, bool, bool)>,
}

/// The condition of node `u`, or the end's for the extra index.
fn condition<'m>(cx: &Context<'m>, u: usize) -> Option<&'m Cond> {
    let model = cx.model;
    match model.nodes.get(u) {
        Some(node) => node.after.as_ref(),
        None => model.end.as_ref(),
    }
}

/// The nodes `u`'s condition needs in `run` (with repetitions).
fn needs_of(cx: &Context, u: usize, run: &Run) -> Vec<NodeId> {
    let mut out = Vec::new();
    let mut stack: Vec<&Cond> = condition(cx, u).into_iter().collect();
    while let Some(c) = stack.pop() {
        match c {
            Cond::Done(n) | Cond::Outcome(n, _) => out.push(*n),
            Cond::All(cs) => stack.extend(cs),
            Cond::Any(cs) => stack.extend(cs.iter().find(|c| run.holds(c))),
        }
    }
    out
}

impl Needs {
    /// The needs of `base`, a run in which the end holds.
    pub(super) fn new(cx: &Context, base: &Run) -> Needs {
        let n = cx.model.nodes.len();
        let mut needs = Needs {
            needed: vec![false; n + 1],
            count: vec![0; n + 1],
            base_counted: vec![false; n + 1],
            dev_counted: vec![false; n + 1],
            undo: Vec::new(),
        };
        needs.needed[n] = true;
        needs.base_counted[n] = true;
        let mut stack = vec![n];
        while let Some(u) = stack.pop() {
            for v in needs_of(cx, u, base) {
                needs.count[v] += 1;
                if !needs.needed[v] {
                    needs.needed[v] = true;
                    needs.base_counted[v] = true;
                    stack.push(v);
                }
            }
        }
        needs.undo.clear();
        needs
    }

    fn save(&mut self, v: usize) {
        let entry = (
            v,
            self.needed[v],
            self.count[v],
            self.base_counted[v],
            self.dev_counted[v],
        );
        self.undo.push(entry);
    }

    /// Whether the deviation `run` of `base` (which visited `visited` and changed the state of
    /// `changed`), in which the end holds, leaves no node running that the end does not need.
    pub(super) fn proper_after(
        &mut self,
        cx: &Context,
        base: &Run,
        run: &Run,
        visited: &[NodeId],
        changed: &[NodeId],
        reaches: &[bool],
    ) -> bool {
        let end = cx.model.nodes.len();
        let affected: Vec<usize> = visited.iter().copied().chain([end]).collect();
        let mut sorted = affected.clone();
        sorted.sort_unstable();
        // New needs first, so that no count drops to zero on the way.
        for &u in &affected {
            if self.needed[u] && (u == end || run.done[u]) && !self.dev_counted[u] {
                self.save(u);
                self.dev_counted[u] = true;
                self.add(cx, run, u, &sorted);
            }
        }
        // Then the old needs of those conditions.
        let mut removed = Vec::new();
        for &u in &affected {
            if self.base_counted[u] {
                self.save(u);
                self.base_counted[u] = false;
                let old = needs_of(cx, u, base);
                self.remove(cx, base, run, old, &mut removed);
            }
        }
        debug_assert_eq!(
            self.needed[..end],
            super::needed(cx, run, cx.model.end.as_ref().expect("the end holds"))[..],
            "incremental needs differ from a full walk"
        );
        let proper = !changed
            .iter()
            .chain(&removed)
            .any(|&v| left_running(cx, run, &self.needed, reaches, v));
        while let Some((v, needed, count, base_counted, dev_counted)) = self.undo.pop() {
            self.needed[v] = needed;
            self.count[v] = count;
            self.base_counted[v] = base_counted;
            self.dev_counted[v] = dev_counted;
        }
        proper
    }

    /// Counts `u`'s needs in `run`, and those of every node that becomes needed (only nodes done
    /// in `run` can be). `affected` (sorted) are the nodes whose condition may need otherwise.
    fn add(&mut self, cx: &Context, run: &Run, u: usize, affected: &[usize]) {
        let mut stack = vec![u];
        while let Some(u) = stack.pop() {
            for v in needs_of(cx, u, run) {
                self.save(v);
                self.count[v] += 1;
                if !self.needed[v] && run.done[v] {
                    self.needed[v] = true;
                    // A node whose condition did not change needs the same in both runs.
                    if affected.binary_search(&v).is_ok() {
                        self.dev_counted[v] = true;
                    } else {
                        self.base_counted[v] = true;
                    }
                    stack.push(v);
                }
            }
        }
    }

    /// Uncounts `old` needs; a node no longer needed uncounts its own, recorded in `removed`.
    fn remove(
        &mut self,
        cx: &Context,
        base: &Run,
        run: &Run,
        old: Vec<NodeId>,
        removed: &mut Vec<NodeId>,
    ) {
        let mut stack = old;
        while let Some(v) = stack.pop() {
            self.save(v);
            self.count[v] -= 1;
            if self.count[v] > 0 || !self.needed[v] {
                continue;
            }
            self.needed[v] = false;
            removed.push(v);
            if std::mem::replace(&mut self.base_counted[v], false) {
                stack.extend(needs_of(cx, v, base));
            }
            if std::mem::replace(&mut self.dev_counted[v], false) {
                stack.extend(needs_of(cx, v, run));
            }
        }
    }
}
