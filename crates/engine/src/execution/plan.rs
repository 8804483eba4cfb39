//! What an execution needs to know of a model, computed once per model and shared by every
//! execution of it: the prerequisite order, what each node's rules read, and the reverse links
//! an entry or a clock change follows to what it affects.

use crate::compiled::{Deps, ItemRef, Program};
use crate::exec::Links;
use cpts_lang::model::{Model, NodeId};
use std::sync::Arc;

/// A model prepared for executions.
#[derive(Debug)]
pub struct Plan {
    model: Arc<Model>,
    program: Program,
    links: Links,
    order: Vec<NodeId>,
    position: Vec<usize>,
    reads: Vec<Deps>,
    read_by: Vec<Vec<NodeId>>,
    anchored_on: Vec<Vec<NodeId>>,
    reading_today: Vec<NodeId>,
    reading_facts: Vec<NodeId>,
    with_deadlines: Vec<NodeId>,
    sinks: Vec<NodeId>,
    names: rustc_hash::FxHashMap<Box<str>, NodeId>,
}

impl Plan {
    /// Prepares `model`.
    pub fn new(model: Arc<Model>) -> Plan {
        let n = model.nodes.len();
        let links = Links::new(&model);
        let order = prerequisite_order(&model, &links);
        let mut position = vec![0; n];
        for (p, &v) in order.iter().enumerate() {
            position[v] = p;
        }
        let program = Program::shared(Arc::clone(&model));
        let reads: Vec<Deps> = (0..n)
            .map(|v| {
                let node = &model.nodes[v];
                let rules =
                    (0..node.rules.len()).filter_map(|k| program.rule_deps(ItemRef::Node(v, k)));
                let checks =
                    (0..node.checks.len()).filter_map(|k| program.check_deps(ItemRef::Node(v, k)));
                let mut all = Deps::default();
                for d in rules.chain(checks) {
                    all.facts.extend_from_slice(&d.facts);
                    all.nodes.extend_from_slice(&d.nodes);
                    all.today |= d.today;
                    all.plugins |= d.plugins;
                }
                all.facts.sort_unstable();
                all.facts.dedup();
                all.nodes.sort_unstable();
                all.nodes.dedup();
                all
            })
            .collect();
        let mut read_by = vec![Vec::new(); n];
        let mut anchored_on = vec![Vec::new(); n];
        for (v, node) in model.nodes.iter().enumerate() {
            for &m in &reads[v].nodes {
                read_by[m].push(v);
            }
            for d in &node.deadlines {
                if !anchored_on[d.anchor.node].contains(&v) {
                    anchored_on[d.anchor.node].push(v);
                }
            }
        }
        let which = |f: &dyn Fn(NodeId) -> bool| (0..n).filter(|&v| f(v)).collect::<Vec<_>>();
        let reading_today = which(&|v| reads[v].today);
        let reading_facts = which(&|v| !reads[v].facts.is_empty());
        let with_deadlines = which(&|v| !model.nodes[v].deadlines.is_empty());
        let sinks = crate::graph::sinks(&model);
        let names = model
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (Box::from(n.name.as_str()), i))
            .collect();
        Plan {
            program,
            names,
            links,
            order,
            position,
            reads,
            read_by,
            anchored_on,
            reading_today,
            reading_facts,
            with_deadlines,
            sinks,
            model,
        }
    }

    /// The model.
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// The model, shared.
    pub fn shared_model(&self) -> &Arc<Model> {
        &self.model
    }

    /// The node named `name`.
    pub fn node(&self, name: &str) -> Option<NodeId> {
        self.names.get(name).copied()
    }

    /// What folding a journal needs.
    pub fn links(&self) -> &Links {
        &self.links
    }

    /// The model compiled for evaluation.
    pub fn program(&self) -> &Program {
        &self.program
    }

    /// What the rules and checks of `node` read, together.
    pub fn reads(&self, node: NodeId) -> &Deps {
        &self.reads[node]
    }

    pub(crate) fn order(&self) -> &[NodeId] {
        &self.order
    }

    pub(crate) fn position(&self, node: NodeId) -> usize {
        self.position[node]
    }

    pub(crate) fn read_by(&self, node: NodeId) -> &[NodeId] {
        &self.read_by[node]
    }

    pub(crate) fn anchored_on(&self, node: NodeId) -> &[NodeId] {
        &self.anchored_on[node]
    }

    pub(crate) fn reading_today(&self) -> &[NodeId] {
        &self.reading_today
    }

    pub(crate) fn reading_facts(&self) -> &[NodeId] {
        &self.reading_facts
    }

    pub(crate) fn with_deadlines(&self) -> &[NodeId] {
        &self.with_deadlines
    }

    pub(crate) fn sinks(&self) -> &[NodeId] {
        &self.sinks
    }
}

/// The nodes in an order where every node comes after those its prerequisites name (Kahn's
/// algorithm, smallest index first). Nodes on a prerequisite cycle (which the checks report)
/// come last, in index order: their state is then computed from what came before.
fn prerequisite_order(model: &Model, links: &Links) -> Vec<NodeId> {
    let n = model.nodes.len();
    let mut waiting = vec![0usize; n];
    let mut mentioned = Vec::new();
    for (v, node) in model.nodes.iter().enumerate() {
        if let Some(after) = &node.after {
            mentioned.clear();
            after.nodes(&mut mentioned);
            mentioned.sort_unstable();
            mentioned.dedup();
            waiting[v] = mentioned.len();
        }
    }
    let mut ready: std::collections::BinaryHeap<std::cmp::Reverse<NodeId>> = (0..n)
        .filter(|&v| waiting[v] == 0)
        .map(std::cmp::Reverse)
        .collect();
    let mut order = Vec::with_capacity(n);
    let mut placed = vec![false; n];
    while let Some(std::cmp::Reverse(v)) = ready.pop() {
        order.push(v);
        placed[v] = true;
        let mut seen: Vec<NodeId> = links.dependents[v].clone();
        seen.sort_unstable();
        seen.dedup();
        for d in seen {
            waiting[d] -= 1;
            if waiting[d] == 0 {
                ready.push(std::cmp::Reverse(d));
            }
        }
    }
    order.extend((0..n).filter(|&v| !placed[v]));
    order
}
