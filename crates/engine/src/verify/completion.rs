//! Option to complete and proper completion. A run is determined by its scenario (the forward
//! outcome each decision takes), so candidate scenarios are simulated in prerequisite order:
//! the baseline (every decision takes its first forward outcome), every scenario that changes one
//! decision, and a scenario found by a bounded backtracking search that tries to make the end
//! impossible. A finding is reported only with a simulated run that shows it.

use super::Context;
use super::paths::{run_to, show};
use super::structure::reaches_end;
use cpts_diag::{Diagnostic, codes};
use cpts_lang::model::{Cond, NodeId};
use cpts_lang::syntax::NodeKind;
use needs::Needs;
use std::collections::BTreeSet;

mod needs;

/// A simulated run: what got done, and the outcome each decision took.
struct Run {
    done: Vec<bool>,
    choice: Vec<Option<usize>>,
}

impl Run {
    fn holds(&self, cond: &Cond) -> bool {
        match cond {
            Cond::Done(n) => self.done[*n],
            Cond::Outcome(d, o) => self.done[*d] && self.choice[*d] == Some(*o),
            Cond::All(cs) => cs.iter().all(|c| self.holds(c)),
            Cond::Any(cs) => cs.iter().any(|c| self.holds(c)),
        }
    }
}

/// Whether live node `v` gets done in `run`, given what precedes it.
fn completes(cx: &Context, run: &Run, v: NodeId) -> bool {
    let node = &cx.model.nodes[v];
    let enabled = node.after.as_ref().is_none_or(|c| run.holds(c));
    enabled && (node.kind == NodeKind::Step || !cx.forward[v].is_empty())
}

fn simulate(cx: &Context, choice: Vec<Option<usize>>) -> Run {
    let mut run = Run {
        done: vec![false; cx.model.nodes.len()],
        choice,
    };
    for &v in &cx.order {
        if cx.live(v) {
            run.done[v] = completes(cx, &run, v);
        }
    }
    run
}

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let baseline: Vec<Option<usize>> = cx.forward.iter().map(|f| f.first().copied()).collect();
    let mut deviations = Vec::new();
    for (d, forward) in cx.forward.iter().enumerate() {
        if forward.len() >= 2 && cx.live(d) {
            deviations.extend(forward[1..].iter().map(|&o| (d, o)));
        }
    }
    let mut searched = None;
    if let Some(end) = &cx.model.end {
        let mut search = Search {
            cx,
            choice: vec![None; cx.model.nodes.len()],
            trail: Vec::new(),
            budget: 20_000,
            depth: 0,
            chosen: choice_dependent(cx),
        };
        if search.falsify(end) {
            // The baseline with the choices the search made.
            let changes: Vec<(NodeId, usize)> = (0..search.choice.len())
                .filter_map(|d| Some((d, search.choice[d]?)))
                .filter(|&(d, o)| baseline[d] != Some(o))
                .collect();
            searched = Some(changes);
        }
    }
    let mut scenarios = Scenarios {
        cx,
        baseline: &baseline,
        referenced: cx.referenced_outcomes(),
        reaches: reaches_end(cx),
        reported: BTreeSet::new(),
        improper_reported: false,
        needs: None,
        out,
    };
    // The baseline, then each deviation from it: simulated from the decision onward, as far as
    // something changes, on a working copy that is put back afterwards.
    let base = simulate(cx, baseline.clone());
    scenarios.examine(&base, None);
    scenarios.needs = scenarios.needs_in_baseline(&base);
    let mut run = Run {
        done: base.done.clone(),
        choice: base.choice.clone(),
    };
    for (d, o) in deviations {
        scenarios.deviate(&base, &mut run, &[(d, o)], Some((d, o)));
    }
    // The scenario of the search changes several decisions at once.
    if let Some(changes) = searched {
        scenarios.deviate(&base, &mut run, &changes, None);
    }
}

/// A scenario that changes some decisions of the baseline.
struct Deviation<'a> {
    /// The decision and outcome named in findings (none for the search's scenario).
    named: Option<(NodeId, usize)>,
    base: &'a Run,
    /// Nodes whose condition was evaluated again.
    visited: &'a [NodeId],
    /// Nodes done in one of the two runs only.
    changed: &'a [NodeId],
}

/// Re-simulates `run` (the baseline) with each decision `d` of `changes` taking its `o`: only
/// the nodes waiting for these decisions, then those waiting for a node whose state changed, in
/// prerequisite order (which gives what a whole simulation gives). Returns the nodes visited and
/// those whose state changed.
fn deviate(cx: &Context, run: &mut Run, changes: &[(NodeId, usize)]) -> (Vec<NodeId>, Vec<NodeId>) {
    let mut queue: BTreeSet<usize> = BTreeSet::new();
    let enqueue = |queue: &mut BTreeSet<usize>, v: NodeId| {
        if cx.position[v] != usize::MAX && cx.live(v) {
            queue.insert(cx.position[v]);
        }
    };
    for &(d, o) in changes {
        run.choice[d] = Some(o);
        for &w in &cx.dependents[d] {
            enqueue(&mut queue, w);
        }
    }
    let (mut visited, mut changed) = (Vec::new(), Vec::new());
    while let Some(p) = queue.pop_first() {
        let v = cx.order[p];
        visited.push(v);
        let done = completes(cx, run, v);
        if done != run.done[v] {
            run.done[v] = done;
            changed.push(v);
            for &w in &cx.dependents[v] {
                enqueue(&mut queue, w);
            }
        }
    }
    (visited, changed)
}

/// Findings of each scenario, reported once.
struct Scenarios<'a, 'm> {
    cx: &'a Context<'m>,
    baseline: &'a [Option<usize>],
    referenced: BTreeSet<(NodeId, usize)>,
    reaches: Vec<bool>,
    reported: BTreeSet<(NodeId, usize)>,
    improper_reported: bool,
    /// What the end needs in the baseline, when the baseline completes properly.
    needs: Option<Needs>,
    out: &'a mut Vec<Diagnostic>,
}

impl Scenarios<'_, '_> {
    /// Examines the baseline `base` changed by `changes`, on `run` (a copy of `base`), then puts
    /// `run` back.
    fn deviate(
        &mut self,
        base: &Run,
        run: &mut Run,
        changes: &[(NodeId, usize)],
        named: Option<(NodeId, usize)>,
    ) {
        let (visited, changed) = deviate(self.cx, run, changes);
        self.examine(
            run,
            Some(Deviation {
                named,
                base,
                visited: &visited,
                changed: &changed,
            }),
        );
        for &(d, _) in changes {
            run.choice[d] = base.choice[d];
        }
        for v in changed {
            run.done[v] = !run.done[v];
        }
    }

    fn examine(&mut self, run: &Run, deviation: Option<Deviation>) {
        let cx = self.cx;
        match &cx.model.end {
            Some(end) if !run.holds(end) => {
                if let Some(d) = no_completion(
                    cx,
                    run,
                    end,
                    self.baseline,
                    &self.referenced,
                    &mut self.reported,
                ) {
                    self.out.push(d);
                }
            }
            Some(_) => {
                if self.improper_reported {
                    return;
                }
                // Only a deviation whose needs leave something running needs the full walk.
                if let (Some(dev), Some(needs)) = (&deviation, &mut self.needs)
                    && needs.proper_after(
                        cx,
                        dev.base,
                        run,
                        dev.visited,
                        dev.changed,
                        &self.reaches,
                    )
                {
                    return;
                }
                let scenario = deviation.and_then(|d| d.named);
                if let Some(d) = improper(cx, run, scenario, &self.reaches) {
                    self.improper_reported = true;
                    self.out.push(d);
                }
            }
            None => {
                for v in stuck_joins(cx, run) {
                    if self.reported.insert((v, usize::MAX))
                        && let Some(d) = stuck(cx, run, v)
                    {
                        self.out.push(d);
                    }
                }
            }
        }
    }

    /// What the end needs in the baseline, if the baseline completes with nothing left running.
    fn needs_in_baseline(&self, base: &Run) -> Option<Needs> {
        let end = self.cx.model.end.as_ref()?;
        if self.improper_reported || !base.holds(end) {
            return None;
        }
        Some(Needs::new(self.cx, base))
    }
}

/// A bounded depth-first search for decision choices under which a condition can never hold.
/// Bounded in calls and in depth (it follows prerequisite chains), it may give up; what it finds
/// is checked by simulation before anything is reported.
struct Search<'c, 'm> {
    cx: &'c Context<'m>,
    choice: Vec<Option<usize>>,
    /// Previous values of the choices made, most recent last, to undo them.
    trail: Vec<(NodeId, Option<usize>)>,
    budget: usize,
    depth: usize,
    /// Per node: whether some decision choice can keep it from being done.
    chosen: Vec<bool>,
}

/// Nodes whose completion depends on a decision's choice: those waiting, directly or not, for
/// an outcome of a decision with several forward outcomes.
fn choice_dependent(cx: &Context) -> Vec<bool> {
    let mut depends = vec![false; cx.model.nodes.len()];
    for &v in &cx.order {
        let Some(cond) = &cx.model.nodes[v].after else {
            continue;
        };
        let mut stack = vec![cond];
        while let Some(c) = stack.pop() {
            match c {
                Cond::Done(n) => depends[v] |= depends[*n],
                Cond::Outcome(d, _) => depends[v] |= depends[*d] || cx.forward[*d].len() >= 2,
                Cond::All(cs) | Cond::Any(cs) => stack.extend(cs),
            }
        }
    }
    depends
}

impl Search<'_, '_> {
    /// Tries to extend `choice` so that `cond` fails; leaves `choice` unchanged when it cannot.
    fn falsify(&mut self, cond: &Cond) -> bool {
        if self.budget == 0 || self.depth > 200 {
            return false;
        }
        self.budget -= 1;
        self.depth += 1;
        let found = self.falsify_inner(cond);
        self.depth -= 1;
        found
    }

    fn choose(&mut self, d: NodeId, o: usize) {
        self.trail.push((d, self.choice[d]));
        self.choice[d] = Some(o);
    }

    /// Undoes the choices made since the trail had `mark` entries.
    fn undo_to(&mut self, mark: usize) {
        while self.trail.len() > mark {
            if let Some((d, previous)) = self.trail.pop() {
                self.choice[d] = previous;
            }
        }
    }

    fn falsify_inner(&mut self, cond: &Cond) -> bool {
        let cx = self.cx;
        match cond {
            // Done in every run whatever the decisions take.
            Cond::Done(n) if !self.chosen[*n] => false,
            Cond::Outcome(d, _) if !self.chosen[*d] && cx.forward[*d].len() < 2 => false,
            Cond::Done(n) => match &cx.model.nodes[*n].after {
                Some(after) => self.falsify(after),
                None => false,
            },
            Cond::Outcome(d, o) => {
                match self.choice[*d] {
                    Some(taken) if taken != *o => return true,
                    Some(_) => {}
                    None => {
                        if let Some(&other) = cx.forward[*d].iter().find(|&&x| x != *o) {
                            self.choose(*d, other);
                            return true;
                        }
                    }
                }
                let mark = self.trail.len();
                match &cx.model.nodes[*d].after {
                    Some(after) => {
                        if self.falsify(after) {
                            return true;
                        }
                        self.undo_to(mark);
                        false
                    }
                    None => false,
                }
            }
            // One conjunct failing is enough; try each in turn.
            Cond::All(cs) => {
                for c in cs {
                    let mark = self.trail.len();
                    if self.falsify(c) {
                        return true;
                    }
                    self.undo_to(mark);
                }
                false
            }
            // Every alternative must fail under the same choices.
            Cond::Any(cs) => {
                let mark = self.trail.len();
                for c in cs {
                    if !self.falsify(c) {
                        self.undo_to(mark);
                        return false;
                    }
                }
                true
            }
        }
    }
}

/// Why `cond` does not hold in this run: the decision whose outcome blocks it, the outcome
/// wanted, the outcome taken, and the node left waiting (if any).
fn blocker(cx: &Context, run: &Run, cond: &Cond) -> Option<(NodeId, usize, usize, Option<NodeId>)> {
    let mut current = cond;
    let mut waiting = None;
    for _ in 0..=cx.model.nodes.len() {
        match current {
            Cond::Done(n) => {
                waiting = Some(*n);
                current = cx.model.nodes[*n].after.as_ref()?;
            }
            Cond::Outcome(d, o) if run.done[*d] => return Some((*d, *o, run.choice[*d]?, waiting)),
            Cond::Outcome(d, _) => {
                waiting = Some(*d);
                current = cx.model.nodes[*d].after.as_ref()?;
            }
            Cond::All(cs) | Cond::Any(cs) => current = cs.iter().find(|c| !run.holds(c))?,
        }
    }
    None
}

fn no_completion(
    cx: &Context,
    run: &Run,
    end: &Cond,
    baseline: &[Option<usize>],
    referenced: &BTreeSet<(NodeId, usize)>,
    reported: &mut BTreeSet<(NodeId, usize)>,
) -> Option<Diagnostic> {
    let (d, wanted, taken, waiting) = blocker(cx, run, end)?;
    // An outcome nothing follows is already reported as leading nowhere.
    if !referenced.contains(&(d, taken)) && !cx.done_referenced(d) {
        return None;
    }
    if !reported.insert((d, taken)) {
        return None;
    }
    let dec = &cx.model.nodes[d];
    let mut events = run_to(cx, d, cx.bit[d][taken]);
    if let Some(last) = events.last_mut() {
        *last = cx.event(d, Some(taken));
    }
    let who = waiting.map_or_else(
        || "the end".to_owned(),
        |w| format!("`{}`", cx.model.nodes[w].name),
    );
    let alternatives = if matches!(end, Cond::Any(_)) {
        " (and no other alternative of the end holds)"
    } else {
        ""
    };
    // Every decision that takes another outcome than usual in this run.
    let mut choices: Vec<String> = (0..cx.model.nodes.len())
        .filter(|&n| run.done[n] && run.choice[n] != baseline[n] && n != d)
        .filter_map(|n| {
            run.choice[n].map(|o| {
                format!(
                    "`{}` takes `{}`",
                    cx.model.nodes[n].name, cx.model.nodes[n].outcomes[o].name
                )
            })
        })
        .collect();
    choices.sort();
    let together = if choices.is_empty() {
        String::new()
    } else {
        format!(" and {}", choices.join(" and "))
    };
    let mut diag = Diagnostic::new(
        &codes::NO_OPTION_TO_COMPLETE,
        format!("when `{}` takes `{}`{together}, the workflow can never complete", dec.name, dec.outcomes[taken].name),
    )
    .at_with(dec.outcomes[taken].span, "a run taking this outcome never ends")
    .note(format!(
        "run: {} — then {who} waits for `{}.{}` forever{alternatives}",
        show(&events),
        dec.name,
        dec.outcomes[wanted].name
    ))
    .help("make something follow this outcome up to the end, loop it back with `-> step`, or let the end accept it with `any(…)`");
    if let Some(span) = cx.model.end_span {
        diag = diag.label(span, "the end needs another outcome");
    }
    Some(diag)
}

/// Live nodes never enabled in this run although a part of their all-of prerequisites is done
/// that does not merely come before the decision that blocks them.
fn stuck_joins(cx: &Context, run: &Run) -> Vec<NodeId> {
    cx.order
        .iter()
        .copied()
        .filter(|&v| cx.live(v) && !run.done[v])
        .filter(|&v| {
            let Some(cond @ Cond::All(cs)) = &cx.model.nodes[v].after else {
                return false;
            };
            let Some((d, ..)) = blocker(cx, run, cond) else {
                return false;
            };
            cs.iter().filter(|c| run.holds(c)).any(|c| {
                let mut nodes = Vec::new();
                c.nodes(&mut nodes);
                nodes.iter().all(|&n| n != d && !cx.is_ancestor(n, d))
            })
        })
        .collect()
}

fn stuck(cx: &Context, run: &Run, v: NodeId) -> Option<Diagnostic> {
    let node = &cx.model.nodes[v];
    let cond = node.after.as_ref()?;
    let (d, wanted, taken, _) = blocker(cx, run, cond)?;
    let dec = &cx.model.nodes[d];
    let Cond::All(cs) = cond else { return None };
    let mut done_part: Vec<String> = Vec::new();
    for c in cs.iter().filter(|c| run.holds(c)) {
        let mut nodes = Vec::new();
        c.nodes(&mut nodes);
        done_part.extend(
            nodes
                .iter()
                .map(|&n| format!("`{}`", cx.model.nodes[n].name)),
        );
    }
    let mut events = run_to(cx, d, cx.bit[d][taken]);
    if let Some(last) = events.last_mut() {
        *last = cx.event(d, Some(taken));
    }
    Some(
        Diagnostic::new(
            &codes::NO_OPTION_TO_COMPLETE,
            format!(
                "`{}` can be left waiting forever: it needs `{}.{}`, but a run may take `{}`",
                node.name, dec.name, dec.outcomes[wanted].name, dec.outcomes[taken].name
            ),
        )
        .at_with(node.span, "stuck in some runs")
        .label(dec.outcomes[taken].span, "a run taking this outcome")
        .note(format!(
            "run: {} — {} is done, but `{}` also waits for `{}.{}`, which never comes",
            show(&events),
            done_part.join(", "),
            node.name,
            dec.name,
            dec.outcomes[wanted].name
        ))
        .help("split the step by branch, or wait with `any(…)` for what each branch provides"),
    )
}

fn improper(
    cx: &Context,
    run: &Run,
    deviation: Option<(NodeId, usize)>,
    reaches: &[bool],
) -> Option<Diagnostic> {
    let end = cx.model.end.as_ref()?;
    let needed = needed(cx, run, end);
    // Steps the end never waits for are dead ends, reported as such.
    let mut late: Vec<NodeId> = (0..cx.model.nodes.len())
        .filter(|&v| left_running(cx, run, &needed, reaches, v))
        .collect();
    late.sort_by(|a, b| cx.model.nodes[*a].name.cmp(&cx.model.nodes[*b].name));
    let first = *late.first()?;
    let names: Vec<&str> = late
        .iter()
        .map(|&v| cx.model.nodes[v].name.as_str())
        .collect();
    let scenario = match deviation {
        Some((d, o)) => format!(
            " (run where `{}` takes `{}`)",
            cx.model.nodes[d].name, cx.model.nodes[d].outcomes[o].name
        ),
        None => String::new(),
    };
    Some(
        Diagnostic::new(
            &codes::IMPROPER_COMPLETION,
            format!("the workflow can be complete while `{}` may still be running", cx.model.nodes[first].name),
        )
        .at_with(cx.model.nodes[first].span, "not needed by the end in some runs")
        .note(format!("the end holds through another alternative of its `any(…)`{scenario}; not needed: {}", names.join(", ")))
        .help("make the end wait for these steps too, or make the alternatives of its `any(…)` exclusive"),
    )
}

/// A node done in this run that the end does not need although it leads to the end (steps the
/// end never waits for are dead ends, reported as such).
fn left_running(cx: &Context, run: &Run, needed: &[bool], reaches: &[bool], v: NodeId) -> bool {
    run.done[v] && !needed[v] && reaches[v] && !cx.model.nodes[v].optional
}

/// What the end needs in this run: all of an all-of, the first satisfied alternative of an any-of,
/// and what those wait for.
fn needed(cx: &Context, run: &Run, end: &Cond) -> Vec<bool> {
    let mut needed = vec![false; cx.model.nodes.len()];
    let mut stack = vec![end];
    while let Some(c) = stack.pop() {
        match c {
            Cond::Done(n) | Cond::Outcome(n, _) => {
                if !std::mem::replace(&mut needed[*n], true)
                    && let Some(after) = &cx.model.nodes[*n].after
                {
                    stack.push(after);
                }
            }
            Cond::All(cs) => stack.extend(cs),
            Cond::Any(cs) => stack.extend(cs.iter().find(|c| run.holds(c))),
        }
    }
    needed
}
