//! The compiled evaluator. [`Program::new`] compiles, once per model, every parameter, computed
//! value, rule and `check` argument into nodes whose names are resolved to slots (facts by
//! index in the model's fact list, parameters and values by memo slot, comprehension variables
//! by depth, record fields by position in their shape, steps by [`NodeId`]); [`Facts::new`]
//! converts a project's facts once into the evaluator's values ([`val::Val`]: shared strings,
//! records by position, lists and sets with a membership index). [`status_with`](crate::status_with)
//! evaluates them; its semantics are [`Env`](crate::Env)'s, which stays as the oracle of the
//! differential tests and computes the explanation of a false rule.
//!
//! Each item also knows what it reads ([`Deps`]), transitively through the values and
//! parameters it reads: facts, `today`, steps through `done()`/`date_of()`, plugins.

mod compile;
mod node;
mod run;
#[cfg(test)]
mod tests;
pub mod val;

use crate::value::Value;
use compile::{CheckCall, Compiler, Direct};
use cpts_lang::model::{Model, NodeId};
use node::Node;
pub(crate) use run::Ctx;
use std::collections::BTreeMap;
use std::sync::Arc;
use val::{Interner, Val};

/// What a compiled item reads, transitively through the parameters and values it reads.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Deps {
    /// Facts, by index in the model's fact list (sorted).
    pub facts: Vec<usize>,
    /// Steps and decisions read through `done()` or `date_of()` (sorted).
    pub nodes: Vec<NodeId>,
    /// Whether it reads `today`.
    pub today: bool,
    /// Whether it calls a plugin function.
    pub plugins: bool,
}

/// A rule or a `check` of a model: a workflow-level one, or one of a node.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ItemRef {
    /// `model.rules[i]` (or `model.checks[i]`).
    Workflow(usize),
    /// `model.nodes[node].rules[i]` (or `.checks[i]`).
    Node(NodeId, usize),
}

#[derive(Debug)]
pub(crate) struct Item {
    pub node: Node,
    pub deps: Deps,
}

#[derive(Debug)]
pub(crate) struct CheckItem {
    pub call: CheckCall,
    pub deps: Deps,
}

/// A model compiled for evaluation. Built once per model; `Send + Sync`, to share in an `Arc`.
#[derive(Debug)]
pub struct Program {
    model: Arc<Model>,
    pub(crate) interner: Interner,
    pub(crate) enum_keys: Vec<String>,
    /// Parameters, then computed values (memo slots).
    pub(crate) named: Vec<Item>,
    pub(crate) rules: Vec<Item>,
    pub(crate) node_rules: Vec<Vec<Item>>,
    pub(crate) checks: Vec<CheckItem>,
    pub(crate) node_checks: Vec<Vec<CheckItem>>,
}

impl Program {
    /// Compiles `model` (a copy of it is kept, for the status and explanations).
    pub fn new(model: &Model) -> Program {
        Program::shared(Arc::new(model.clone()))
    }

    /// Compiles a shared model.
    pub fn shared(model: Arc<Model>) -> Program {
        Program::build(model, &[]).0
    }

    /// Compiles a model and `extra` expressions over it (as if each were a rule).
    pub(crate) fn build(
        model: Arc<Model>,
        extra: &[&cpts_lang::syntax::Expr],
    ) -> (Program, Vec<Node>) {
        let m: &Model = &model;
        let mut c = Compiler::new(m);
        let extra: Vec<Node> = extra.iter().map(|e| c.item(e).0).collect();
        let mut named: Vec<(Node, Direct)> = Vec::new();
        for p in &m.params {
            named.push(c.item(&p.value));
        }
        for v in &m.values {
            named.push(c.item(&v.expr));
        }
        let rules: Vec<(Node, Direct)> = m.rules.iter().map(|r| c.item(&r.expect)).collect();
        let node_rules: Vec<Vec<(Node, Direct)>> = m
            .nodes
            .iter()
            .map(|n| n.rules.iter().map(|r| c.item(&r.expect)).collect())
            .collect();
        let checks: Vec<(CheckCall, Direct)> = m.checks.iter().map(|k| c.check(&k.call)).collect();
        let node_checks: Vec<Vec<(CheckCall, Direct)>> = m
            .nodes
            .iter()
            .map(|n| n.checks.iter().map(|k| c.check(&k.call)).collect())
            .collect();
        let direct: Vec<&Direct> = named.iter().map(|(_, d)| d).collect();
        let closed = close(&direct);
        let deps = |d: &Direct| {
            let mut all = d.clone();
            for &s in &d.named {
                merge(&mut all, &closed[s as usize]);
            }
            finish(all)
        };
        let item = |(node, d): (Node, Direct)| Item {
            deps: deps(&d),
            node,
        };
        let check = |(call, d): (CheckCall, Direct)| CheckItem {
            deps: deps(&d),
            call,
        };
        let named = named.into_iter().map(item).collect();
        let rules = rules.into_iter().map(item).collect();
        let node_rules = node_rules
            .into_iter()
            .map(|rs| rs.into_iter().map(item).collect())
            .collect();
        let checks = checks.into_iter().map(check).collect();
        let node_checks = node_checks
            .into_iter()
            .map(|cs| cs.into_iter().map(check).collect())
            .collect();
        let program = Program {
            interner: c.interner,
            enum_keys: c.enum_keys,
            named,
            rules,
            node_rules,
            checks,
            node_checks,
            model: model.clone(),
        };
        (program, extra)
    }

    /// The model it was compiled from.
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// What a rule reads.
    pub fn rule_deps(&self, rule: ItemRef) -> Option<&Deps> {
        match rule {
            ItemRef::Workflow(i) => self.rules.get(i),
            ItemRef::Node(n, i) => self.node_rules.get(n)?.get(i),
        }
        .map(|r| &r.deps)
    }

    /// What a `check` reads (its arguments; `plugins` is always set).
    pub fn check_deps(&self, check: ItemRef) -> Option<&Deps> {
        match check {
            ItemRef::Workflow(i) => self.checks.get(i),
            ItemRef::Node(n, i) => self.node_checks.get(n)?.get(i),
        }
        .map(|c| &c.deps)
    }

    /// What parameter `i` of the model reads.
    pub fn param_deps(&self, i: usize) -> Option<&Deps> {
        self.named
            .get(i)
            .filter(|_| i < self.model.params.len())
            .map(|p| &p.deps)
    }

    /// What computed value `i` of the model reads.
    pub fn value_deps(&self, i: usize) -> Option<&Deps> {
        self.named.get(self.model.params.len() + i).map(|v| &v.deps)
    }

    /// The memo slot `Env::named` would read for `name` (parameters first).
    pub(crate) fn slot(&self, name: &str) -> Option<u32> {
        let m = &self.model;
        m.params
            .iter()
            .position(|p| p.name == name)
            .or_else(|| {
                m.values
                    .iter()
                    .position(|v| v.name == name)
                    .map(|i| m.params.len() + i)
            })
            .map(|s| s as u32)
    }
}

/// The transitive dependencies of each parameter and value (a cycle, which the checker rejects,
/// just stops the walk).
fn close(direct: &[&Direct]) -> Vec<Direct> {
    fn visit(s: usize, direct: &[&Direct], out: &mut Vec<Option<Direct>>, on: &mut [bool]) {
        if out[s].is_some() || on[s] {
            return;
        }
        on[s] = true;
        let mut all = direct[s].clone();
        for &t in &direct[s].named {
            let t = t as usize;
            if t < direct.len() {
                visit(t, direct, out, on);
                if let Some(d) = &out[t] {
                    merge(&mut all, &d.clone());
                }
            }
        }
        on[s] = false;
        out[s] = Some(all);
    }
    let mut out = vec![None; direct.len()];
    let mut on = vec![false; direct.len()];
    for s in 0..direct.len() {
        visit(s, direct, &mut out, &mut on);
    }
    out.into_iter().map(Option::unwrap_or_default).collect()
}

fn merge(into: &mut Direct, from: &Direct) {
    into.facts.extend(from.facts.iter().copied());
    into.nodes.extend(from.nodes.iter().copied());
    into.named.extend(from.named.iter().copied());
    into.today |= from.today;
    into.plugins |= from.plugins;
}

fn finish(d: Direct) -> Deps {
    Deps {
        facts: d.facts.into_iter().collect(),
        nodes: d.nodes.into_iter().collect(),
        today: d.today,
        plugins: d.plugins,
    }
}

/// A project's facts converted for one [`Program`] (fact indices are that program's): done
/// once per set of facts, shared by every status computed from them.
#[derive(Debug)]
pub struct Facts {
    source: Arc<BTreeMap<String, Value>>,
    pub(crate) vals: Vec<Val>,
    /// Per enum name read as `name.variant`: whether the facts hold a key of that name.
    pub(crate) enum_keys: Vec<bool>,
}

impl Facts {
    /// Converts `facts` (a copy is kept for explanations).
    pub fn new(program: &Program, facts: &BTreeMap<String, Value>) -> Facts {
        Facts::shared(program, Arc::new(facts.clone()))
    }

    /// Converts shared `facts` (kept, not copied, for explanations).
    pub fn shared(program: &Program, facts: Arc<BTreeMap<String, Value>>) -> Facts {
        let mut local = Interner::default();
        let vals = program
            .model
            .facts
            .iter()
            .map(|(name, _)| match facts.get(name) {
                Some(v) => local.convert(&program.interner, v),
                None => Val::None,
            })
            .collect();
        let enum_keys = program
            .enum_keys
            .iter()
            .map(|k| facts.contains_key(k))
            .collect();
        Facts {
            source: facts,
            vals,
            enum_keys,
        }
    }

    /// The facts as given.
    pub fn source(&self) -> &Arc<BTreeMap<String, Value>> {
        &self.source
    }
}
