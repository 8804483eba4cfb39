//! What an expression reads: facts, `today`, and the steps it asks `done`/`date_of` about,
//! through the parameters and computed values it names. An over-approximation is safe (a verdict
//! is recomputed when it need not be); missing a read is not.

use cpts_lang::model::{Model, NodeId};
use cpts_lang::syntax::{Arg, Expr, ExprKind};
use rustc_hash::FxHashMap;

/// The inputs an expression's value depends on.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Reads {
    /// It reads facts.
    pub facts: bool,
    /// It reads `today`.
    pub today: bool,
    /// The steps it reads with `done(…)` or `date_of(…)`, sorted, without repeats.
    pub nodes: Vec<NodeId>,
}

impl Reads {
    /// Adds what `other` reads.
    pub fn merge(&mut self, other: &Reads) {
        self.facts |= other.facts;
        self.today |= other.today;
        self.nodes.extend_from_slice(&other.nodes);
        self.nodes.sort_unstable();
        self.nodes.dedup();
    }
}

/// Computes [`Reads`] of expressions of one model, remembering those of parameters and values.
pub(crate) struct Reader<'m> {
    model: &'m Model,
    steps: FxHashMap<&'m str, NodeId>,
    facts: FxHashMap<&'m str, ()>,
    named: FxHashMap<&'m str, &'m Expr>,
    memo: FxHashMap<&'m str, Reads>,
    /// Names being computed (a value that names itself reads nothing more through itself).
    visiting: Vec<&'m str>,
}

impl<'m> Reader<'m> {
    pub(crate) fn new(model: &'m Model) -> Reader<'m> {
        let steps = model
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.name.as_str(), i))
            .collect();
        let facts = model.facts.iter().map(|(f, _)| (f.as_str(), ())).collect();
        let mut named: FxHashMap<&str, &Expr> = FxHashMap::default();
        for v in &model.values {
            named.insert(&v.name, &v.expr);
        }
        // Parameters win over values of the same name, as in `Env::named`.
        for p in &model.params {
            named.insert(&p.name, &p.value);
        }
        Reader {
            model,
            steps,
            facts,
            named,
            memo: FxHashMap::default(),
            visiting: Vec::new(),
        }
    }

    /// What `e` reads.
    pub(crate) fn reads(&mut self, e: &'m Expr) -> Reads {
        let mut out = Reads::default();
        self.walk(e, &mut out);
        out.nodes.sort_unstable();
        out.nodes.dedup();
        out
    }

    fn walk(&mut self, e: &'m Expr, out: &mut Reads) {
        match &e.kind {
            ExprKind::Today => out.today = true,
            ExprKind::Name(n) => self.name(&n.name, out),
            ExprKind::Member(base, _) => self.walk(base, out),
            ExprKind::Index(a, b) | ExprKind::Binary(_, a, b) => {
                self.walk(a, out);
                self.walk(b, out);
            }
            ExprKind::Not(x) | ExprKind::Neg(x) => self.walk(x, out),
            ExprKind::List(items) => items.iter().for_each(|i| self.walk(i, out)),
            ExprKind::Record(fields) => fields.iter().for_each(|(_, v)| self.walk(v, out)),
            ExprKind::Call(call) => {
                let f = call.function.name.as_str();
                if call.plugin.is_none()
                    && matches!(f, "done" | "date_of")
                    && let Some(Arg::Expr(Expr {
                        kind: ExprKind::Name(step),
                        ..
                    })) = call.args.first()
                    && let Some(&node) = self.steps.get(step.name.as_str())
                {
                    out.nodes.push(node);
                    return;
                }
                for arg in &call.args {
                    match arg {
                        Arg::Expr(a) => self.walk(a, out),
                        Arg::Comprehension(c) => {
                            self.walk(&c.collection, out);
                            if let Some(x) = &c.element {
                                self.walk(x, out);
                            }
                            if let Some(x) = &c.filter {
                                self.walk(x, out);
                            }
                        }
                    }
                }
            }
            ExprKind::Int(_)
            | ExprKind::Decimal(_)
            | ExprKind::Text(_)
            | ExprKind::Bool(_)
            | ExprKind::None
            | ExprKind::Date { .. }
            | ExprKind::Duration(..) => {}
        }
    }

    fn name(&mut self, name: &str, out: &mut Reads) {
        // A loop variable or an enum name reads nothing; taking it for a fact is safe.
        if self.facts.contains_key(name) {
            out.facts = true;
            return;
        }
        let Some((&key, &expr)) = self.named.get_key_value(name) else {
            if !self.model.enums.contains_key(name) {
                out.facts = true;
            }
            return;
        };
        if let Some(r) = self.memo.get(key) {
            out.merge(&r.clone());
            return;
        }
        if self.visiting.contains(&key) {
            return;
        }
        self.visiting.push(key);
        let r = self.reads(expr);
        self.visiting.pop();
        out.merge(&r);
        self.memo.insert(key, r);
    }
}
