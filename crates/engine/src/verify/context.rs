//! What every check needs: dependencies, a topological order, cycles, forward outcomes, and the
//! liveness of each node with the outcomes it requires.

use cpts_lang::model::{Cond, Model, NodeId};
use cpts_lang::syntax::NodeKind;
use fixedbitset::FixedBitSet;
use petgraph::algo::tarjan_scc;
use petgraph::graph::{DiGraph, NodeIndex};
use rustc_hash::FxHashMap;
use std::rc::Rc;

/// Alternative outcome sets of a condition, shared between a node and the nodes that merely wait
/// for it (most of them), instead of copied.
type Terms = Rc<TermList>;

/// A list of outcome sets of `width` 64-bit words each (bit `b` of a set: bit `b % 64` of word
/// `b / 64`), stored one after the other: combining alternatives allocates no set of its own.
#[derive(Clone)]
struct TermList {
    width: usize,
    words: Vec<u64>,
}

impl TermList {
    fn new(width: usize) -> TermList {
        TermList {
            width,
            words: Vec::new(),
        }
    }

    fn len(&self) -> usize {
        self.words.len() / self.width
    }

    fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    fn iter(&self) -> std::slice::ChunksExact<'_, u64> {
        self.words.chunks_exact(self.width)
    }

    fn contains(&self, set: &[u64]) -> bool {
        self.iter().any(|t| t == set)
    }

    fn push(&mut self, set: &[u64]) {
        self.words.extend_from_slice(set);
    }
}

/// Joins already combined, by the addresses of the two lists combined (both kept here, so that an
/// address is not reused while cached), with the result (`None`: more than `TERMS` sets).
/// Parallel branches mostly carry the very list of the step they fork from, so joins combine the
/// same two lists again and again.
type Combined = FxHashMap<(usize, usize), (Terms, Terms, Option<Terms>)>;

/// The most alternative outcome sets kept per condition (past it, the summary is used).
const TERMS: usize = 16;

/// `list` without repeated sets (first occurrences, in order): what the first part of a join
/// contributes, each of its sets being free of conflict already. Shared when nothing repeats.
fn distinct(list: Terms) -> Terms {
    let repeats = list
        .iter()
        .enumerate()
        .any(|(i, t)| list.iter().take(i).any(|u| u == t));
    if !repeats {
        return list;
    }
    let mut out = TermList::new(list.width);
    for t in list.iter() {
        if !out.contains(t) {
            out.push(t);
        }
    }
    Rc::new(out)
}

/// The bits set in `words`, in increasing order (as [`FixedBitSet::ones`]).
fn ones(words: &[u64]) -> impl Iterator<Item = usize> + '_ {
    words.iter().enumerate().flat_map(|(i, &word)| {
        let mut rest = word;
        std::iter::from_fn(move || {
            (rest != 0).then(|| {
                let bit = rest.trailing_zeros() as usize;
                rest &= rest - 1;
                i * 64 + bit
            })
        })
    })
}

/// Why a node can never be enabled.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Death {
    /// It waits for this dead node.
    Upstream(NodeId),
    /// It sits on a prerequisite cycle.
    Cycle,
    /// Two of its prerequisites need different forward outcomes of one decision.
    Conflict {
        decision: NodeId,
        first: usize,
        second: usize,
    },
    /// It waits for an outcome that loops back.
    LoopingOutcome { decision: NodeId, outcome: usize },
    /// It waits for a decision every outcome of which loops back.
    Livelock(NodeId),
    /// `any()` with no live alternative left.
    EmptyAny,
}

/// The analysis context of one model.
pub(crate) struct Context<'m> {
    pub model: &'m Model,
    /// Nodes each node's condition mentions.
    pub deps: Vec<Vec<NodeId>>,
    /// Nodes whose condition mentions each node.
    pub dependents: Vec<Vec<NodeId>>,
    /// Prerequisite order; nodes on cycles are left out.
    pub order: Vec<NodeId>,
    /// Strongly connected components that are cycles.
    pub cycles: Vec<Vec<NodeId>>,
    /// Per node, its forward outcome indices.
    pub forward: Vec<Vec<usize>>,
    /// Per node and outcome, its bit among branching outcomes (decisions with ≥ 2 forward outcomes).
    pub bit: Vec<Vec<Option<usize>>>,
    /// Number of branching-outcome bits.
    pub bits: usize,
    /// The (decision, outcome) of each bit.
    pub bit_owner: Vec<(NodeId, usize)>,
    /// Per node: the branching outcomes every run enabling it has taken, or why it is dead.
    pub must: Vec<Result<FixedBitSet, Death>>,
    /// Position of each node in `order` (`usize::MAX` for nodes on cycles).
    pub position: Vec<usize>,
    /// Per node: some condition (or the end) waits for it being done, whatever its outcome.
    pub waited_done: Vec<bool>,
}

impl<'m> Context<'m> {
    pub(crate) fn new(model: &'m Model) -> Context<'m> {
        let n = model.nodes.len();
        let mut deps = vec![Vec::new(); n];
        let mut dependents = vec![Vec::new(); n];
        for (i, node) in model.nodes.iter().enumerate() {
            if let Some(after) = &node.after {
                after.nodes(&mut deps[i]);
                deps[i].sort_unstable();
                deps[i].dedup();
                for &d in &deps[i] {
                    dependents[d].push(i);
                }
            }
        }
        let mut g: DiGraph<(), ()> = DiGraph::with_capacity(n, n);
        for _ in 0..n {
            g.add_node(());
        }
        for (i, ds) in deps.iter().enumerate() {
            for &d in ds {
                g.add_edge(NodeIndex::new(d), NodeIndex::new(i), ());
            }
        }
        // tarjan_scc yields components in reverse topological order.
        let mut order = Vec::with_capacity(n);
        let mut cycles = Vec::new();
        for scc in tarjan_scc(&g).into_iter().rev() {
            let first = scc[0].index();
            if scc.len() > 1 || deps[first].contains(&first) {
                // By name, so that what is reported does not depend on declaration order.
                let mut members: Vec<NodeId> = scc.iter().map(|i| i.index()).collect();
                members.sort_by(|a, b| model.nodes[*a].name.cmp(&model.nodes[*b].name));
                cycles.push(members);
            } else {
                order.push(first);
            }
        }
        cycles.sort_by(|a, b| model.nodes[a[0]].name.cmp(&model.nodes[b[0]].name));
        let forward: Vec<Vec<usize>> = model
            .nodes
            .iter()
            .map(|node| {
                (0..node.outcomes.len())
                    .filter(|&o| node.outcomes[o].route.is_none())
                    .collect()
            })
            .collect();
        let mut bits = 0;
        let bit: Vec<Vec<Option<usize>>> = model
            .nodes
            .iter()
            .enumerate()
            .map(|(i, node)| {
                (0..node.outcomes.len())
                    .map(|o| {
                        (forward[i].len() >= 2 && forward[i].contains(&o)).then(|| {
                            bits += 1;
                            bits - 1
                        })
                    })
                    .collect()
            })
            .collect();
        let mut bit_owner = vec![(0, 0); bits];
        for (d, outcomes) in bit.iter().enumerate() {
            for (o, b) in outcomes.iter().enumerate() {
                if let Some(b) = b {
                    bit_owner[*b] = (d, o);
                }
            }
        }
        let mut position = vec![usize::MAX; n];
        for (i, &v) in order.iter().enumerate() {
            position[v] = i;
        }
        let mut cx = Context {
            model,
            deps,
            dependents,
            order,
            cycles,
            forward,
            bit,
            bits,
            bit_owner,
            must: Vec::new(),
            position,
            waited_done: waited_done(model),
        };
        cx.must = cx.liveness();
        cx
    }

    /// Liveness with required outcomes. Each node's requirement is kept as a disjunction of
    /// outcome sets (at most `TERMS` of them), so that a join whose every combination of
    /// alternatives conflicts is found dead; past that bound, the intersection summary is used,
    /// which never declares a live node dead.
    fn liveness(&self) -> Vec<Result<FixedBitSet, Death>> {
        let n = self.model.nodes.len();
        let mut must: Vec<Result<FixedBitSet, Death>> = vec![Err(Death::Cycle); n];
        let mut terms: Vec<Option<Terms>> = vec![None; n];
        let mut combined = Combined::default();
        for &v in &self.order {
            let (summary, exact) = match &self.model.nodes[v].after {
                None => (
                    Ok(FixedBitSet::with_capacity(self.bits)),
                    Some(Rc::new(self.nothing_required())),
                ),
                Some(cond) => {
                    let summary = self.requirement(cond, &must);
                    let exact = summary
                        .as_ref()
                        .ok()
                        .and_then(|_| self.alternatives(cond, &must, &terms, &mut combined));
                    (summary, exact)
                }
            };
            must[v] = match (summary, &exact) {
                (Ok(_), Some(alts)) if alts.is_empty() => {
                    Err(self.explain_conflict(self.model.nodes[v].after.as_ref(), &must))
                }
                (s, _) => s,
            };
            terms[v] = exact.filter(|alts| !alts.is_empty());
        }
        must
    }

    /// One alternative requiring no outcome.
    fn nothing_required(&self) -> TermList {
        let mut list = TermList::new(self.bits.div_ceil(64).max(1));
        list.words.resize(list.width, 0);
        list
    }

    /// The outcome sets under which `cond` holds, each free of conflict; `None` when there would
    /// be more than `TERMS` of them (or a part is only known by its summary).
    fn alternatives(
        &self,
        cond: &Cond,
        must: &[Result<FixedBitSet, Death>],
        terms: &[Option<Terms>],
        combined: &mut Combined,
    ) -> Option<Terms> {
        match cond {
            Cond::Done(n) => {
                must[*n].as_ref().ok()?;
                terms[*n].clone()
            }
            Cond::Outcome(d, o) => {
                let shared = terms[*d].clone()?;
                let Some(b) = self.bit[*d][*o] else {
                    return Some(shared);
                };
                let mut alts = TermList::new(shared.width);
                let mut t = vec![0; shared.width];
                for set in shared.iter() {
                    t.copy_from_slice(set);
                    t[b / 64] |= 1 << (b % 64);
                    if self.first_conflict(ones(&t)).is_none() {
                        alts.push(&t);
                    }
                }
                Some(Rc::new(alts))
            }
            Cond::All(cs) => {
                // `None`: no part yet, nothing required.
                let mut acc: Option<Terms> = None;
                for c in cs {
                    let alts = self.alternatives(c, must, terms, combined)?;
                    acc = Some(match acc {
                        None => distinct(alts),
                        Some(acc) => self.combine(&acc, &alts, combined)?,
                    });
                }
                Some(acc.unwrap_or_else(|| Rc::new(self.nothing_required())))
            }
            Cond::Any(cs) => {
                let mut acc = TermList::new(self.bits.div_ceil(64).max(1));
                for c in cs {
                    if self.requirement(c, must).is_err() {
                        continue;
                    }
                    for t in self.alternatives(c, must, terms, combined)?.iter() {
                        if !acc.contains(t) {
                            acc.push(t);
                        }
                    }
                    if acc.len() > TERMS {
                        return None;
                    }
                }
                Some(Rc::new(acc))
            }
        }
    }

    /// [`Context::unions`] of two lists, remembered in `combined`.
    fn combine(&self, acc: &Terms, alts: &Terms, combined: &mut Combined) -> Option<Terms> {
        let key = (Rc::as_ptr(acc) as usize, Rc::as_ptr(alts) as usize);
        if let Some((_, _, result)) = combined.get(&key) {
            return result.clone();
        }
        // A join of branches that took no branching outcome gives back the list they forked
        // with: keep sharing it, so that the next join finds this pair in `combined` again.
        let result = self.unions(acc, alts).map(|list| {
            if list.words == acc.words {
                Rc::clone(acc)
            } else if list.words == alts.words {
                Rc::clone(alts)
            } else {
                Rc::new(list)
            }
        });
        combined.insert(key, (Rc::clone(acc), Rc::clone(alts), result.clone()));
        result
    }

    /// Every union of a set of `acc` with a set of `alts` that is free of conflict, each once, in
    /// that order; `None` when there are more than `TERMS`.
    fn unions(&self, acc: &TermList, alts: &TermList) -> Option<TermList> {
        let mut next = TermList::new(acc.width);
        let mut t = vec![0; acc.width];
        for a in acc.iter() {
            for b in alts.iter() {
                for ((t, a), b) in t.iter_mut().zip(a).zip(b) {
                    *t = a | b;
                }
                if self.first_conflict(ones(&t)).is_none() && !next.contains(&t) {
                    next.push(&t);
                }
            }
        }
        (next.len() <= TERMS).then_some(next)
    }

    /// A representative conflict for a condition none of whose alternatives is possible.
    fn explain_conflict(&self, cond: Option<&Cond>, must: &[Result<FixedBitSet, Death>]) -> Death {
        // Gather every outcome some part of the condition may need, through the conditions of
        // the steps it waits for, and name two that clash.
        let mut all = FixedBitSet::with_capacity(self.bits);
        let mut seen = vec![false; self.model.nodes.len()];
        let mut stack: Vec<&Cond> = cond.into_iter().collect();
        while let Some(c) = stack.pop() {
            match c {
                Cond::Done(n) | Cond::Outcome(n, _) => {
                    if let Ok(set) = &must[*n] {
                        all.union_with(set);
                    }
                    if let Cond::Outcome(d, o) = c
                        && let Some(b) = self.bit[*d][*o]
                    {
                        all.insert(b);
                    }
                    if !std::mem::replace(&mut seen[*n], true)
                        && let Some(after) = &self.model.nodes[*n].after
                    {
                        stack.push(after);
                    }
                }
                Cond::All(cs) | Cond::Any(cs) => stack.extend(cs),
            }
        }
        match self.conflict(&all) {
            Some((decision, first, second)) => Death::Conflict {
                decision,
                first,
                second,
            },
            None => Death::EmptyAny,
        }
    }

    /// The branching outcomes `cond` requires, or why it can never hold.
    pub(crate) fn requirement(
        &self,
        cond: &Cond,
        must: &[Result<FixedBitSet, Death>],
    ) -> Result<FixedBitSet, Death> {
        match cond {
            Cond::Done(n) => {
                let base = must[*n].as_ref().map_err(|_| Death::Upstream(*n))?;
                if self.model.nodes[*n].kind == NodeKind::Decision && self.forward[*n].is_empty() {
                    return Err(Death::Livelock(*n));
                }
                Ok(base.clone())
            }
            Cond::Outcome(d, o) => {
                let mut base = must[*d].as_ref().map_err(|_| Death::Upstream(*d))?.clone();
                if self.model.nodes[*d].outcomes[*o].route.is_some() {
                    return Err(Death::LoopingOutcome {
                        decision: *d,
                        outcome: *o,
                    });
                }
                if let Some(b) = self.bit[*d][*o] {
                    base.insert(b);
                }
                Ok(base)
            }
            Cond::All(cs) => {
                let mut union = FixedBitSet::with_capacity(self.bits);
                for c in cs {
                    union.union_with(&self.requirement(c, must)?);
                }
                match self.conflict(&union) {
                    Some((decision, first, second)) => Err(Death::Conflict {
                        decision,
                        first,
                        second,
                    }),
                    None => Ok(union),
                }
            }
            Cond::Any(cs) => {
                let mut common: Option<FixedBitSet> = None;
                let mut first_death = None;
                for c in cs {
                    match self.requirement(c, must) {
                        Ok(set) => match &mut common {
                            None => common = Some(set),
                            Some(acc) => acc.intersect_with(&set),
                        },
                        Err(d) => {
                            first_death.get_or_insert(d);
                        }
                    }
                }
                common.ok_or(first_death.unwrap_or(Death::EmptyAny))
            }
        }
    }

    /// Two different forward outcomes of one decision in `set` (of the decision first by name
    /// when several conflict, so that the finding does not depend on declaration order).
    pub(crate) fn conflict(&self, set: &FixedBitSet) -> Option<(NodeId, usize, usize)> {
        self.first_conflict(set.ones())
    }

    /// [`Context::conflict`] over the bits of a set, in increasing order.
    fn first_conflict(&self, ones: impl Iterator<Item = usize>) -> Option<(NodeId, usize, usize)> {
        let mut seen: Option<(NodeId, usize)> = None;
        let mut found: Option<(NodeId, usize, usize)> = None;
        for b in ones {
            let (d, o) = self.outcome_of_bit(b);
            match seen {
                Some((sd, so)) if sd == d => {
                    let better = found.is_none_or(|(f, _, _)| {
                        self.model.nodes[d].name < self.model.nodes[f].name
                    });
                    if better && found.is_none_or(|(f, _, _)| f != d) {
                        found = Some((d, so, o));
                    }
                }
                _ => seen = Some((d, o)),
            }
        }
        found
    }

    /// The (decision, outcome) of a branching bit. Bits are numbered in node order, so the bits
    /// of one decision are consecutive.
    pub(crate) fn outcome_of_bit(&self, b: usize) -> (NodeId, usize) {
        self.bit_owner[b]
    }

    /// Whether `a` is a (transitive) prerequisite of `b`. Only nodes placed between the two in
    /// the prerequisite order can be on such a path, which keeps local questions cheap; around
    /// cycles, the whole graph is searched.
    pub(crate) fn is_ancestor(&self, a: NodeId, b: NodeId) -> bool {
        let (pa, pb) = (self.position[a], self.position[b]);
        let ordered = pa != usize::MAX && pb != usize::MAX;
        if ordered && pa >= pb {
            return false;
        }
        // `seen` covers the window between the two (indexed by position), not the whole graph:
        // the question is asked for every rework route and deadline, and a window is small.
        let (len, slot): (usize, &dyn Fn(NodeId) -> usize) = if ordered {
            (pb - pa - 1, &|p| self.position[p] - pa - 1)
        } else {
            (self.model.nodes.len(), &|p| p)
        };
        let mut seen = vec![false; len];
        let mut stack = vec![b];
        while let Some(v) = stack.pop() {
            for &p in &self.deps[v] {
                if p == a {
                    return true;
                }
                // A prerequisite comes before what waits for it, so one inside the window is
                // placed before `b` too.
                let in_range =
                    !ordered || (self.position[p] != usize::MAX && self.position[p] > pa);
                if in_range && !std::mem::replace(&mut seen[slot(p)], true) {
                    stack.push(p);
                }
            }
        }
        false
    }

    /// Every `(decision, outcome)` some condition (or the end) waits for.
    pub(crate) fn referenced_outcomes(&self) -> std::collections::BTreeSet<(NodeId, usize)> {
        let mut out = std::collections::BTreeSet::new();
        let conds = self
            .model
            .nodes
            .iter()
            .filter_map(|n| n.after.as_ref())
            .chain(self.model.end.as_ref());
        let mut stack: Vec<&Cond> = conds.collect();
        while let Some(c) = stack.pop() {
            match c {
                Cond::Outcome(d, o) => {
                    out.insert((*d, *o));
                }
                Cond::All(cs) | Cond::Any(cs) => stack.extend(cs),
                Cond::Done(_) => {}
            }
        }
        out
    }

    /// Whether some condition (or the end) waits for `node` being done, whatever its outcome.
    pub(crate) fn done_referenced(&self, node: NodeId) -> bool {
        self.waited_done[node]
    }

    /// True when `v` is enabled in some run.
    pub(crate) fn live(&self, v: NodeId) -> bool {
        self.must[v].is_ok()
    }

    /// `name` or `name [outcome]`.
    pub(crate) fn event(&self, node: NodeId, outcome: Option<usize>) -> String {
        let n = &self.model.nodes[node];
        match outcome {
            Some(o) => format!("{} [{}]", n.name, n.outcomes[o].name),
            None => n.name.clone(),
        }
    }
}

/// Per node: whether some condition (or the end) waits for it with `Done`.
fn waited_done(model: &Model) -> Vec<bool> {
    let mut waited = vec![false; model.nodes.len()];
    let mut stack: Vec<&Cond> = model
        .nodes
        .iter()
        .filter_map(|n| n.after.as_ref())
        .chain(model.end.as_ref())
        .collect();
    while let Some(c) = stack.pop() {
        match c {
            Cond::Done(n) => waited[*n] = true,
            Cond::All(cs) | Cond::Any(cs) => stack.extend(cs),
            Cond::Outcome(..) => {}
        }
    }
    waited
}
