//! Syntax tree to [`Node`]: names resolved the way [`Env`](crate::Env) resolves them (locals,
//! then declared facts, then parameters, then computed values), literals evaluated once, record
//! fields located in the shape of the base's type, and each item's direct dependencies noted.

use super::node::{Agg, Arg, Kind, Node, Step};
use super::val::{Interner, Rec, Seq, Shape, Val};
use cpts_lang::model::{Model, NodeId};
use cpts_lang::syntax::{self, BinOp, Expr, ExprKind};
use cpts_lang::types::Type;
use rustc_hash::FxHashMap;
use std::collections::BTreeSet;
use std::sync::Arc;

/// What one item reads directly (before closing over the values it reads).
#[derive(Clone, Debug, Default)]
pub(crate) struct Direct {
    pub facts: BTreeSet<usize>,
    pub nodes: BTreeSet<NodeId>,
    pub named: BTreeSet<u32>,
    pub today: bool,
    pub plugins: bool,
}

/// The compiler of one model's expressions.
pub(crate) struct Compiler<'m> {
    model: &'m Model,
    pub interner: Interner,
    facts: FxHashMap<&'m str, usize>,
    nodes: FxHashMap<&'m str, NodeId>,
    /// Memo slot of each parameter and value name (parameters first, as `Env::named` looks).
    named: FxHashMap<&'m str, u32>,
    /// Names of enums read as `name.variant`, whose key in the facts decides.
    pub enum_keys: Vec<String>,
    /// Locals in scope, innermost last, with their type when known.
    locals: Vec<(&'m str, Option<Type>)>,
    deps: Direct,
}

impl<'m> Compiler<'m> {
    pub fn new(model: &'m Model) -> Compiler<'m> {
        let mut named = FxHashMap::default();
        for (i, p) in model.params.iter().enumerate() {
            named.entry(p.name.as_str()).or_insert(i as u32);
        }
        let base = model.params.len();
        for (i, v) in model.values.iter().enumerate() {
            named.entry(v.name.as_str()).or_insert((base + i) as u32);
        }
        let mut facts = FxHashMap::default();
        for (i, (name, _)) in model.facts.iter().enumerate() {
            facts.entry(name.as_str()).or_insert(i);
        }
        let mut nodes = FxHashMap::default();
        for (i, n) in model.nodes.iter().enumerate() {
            // `Env` keeps the last node of a name.
            nodes.insert(n.name.as_str(), i);
        }
        let mut compiler = Compiler {
            model,
            interner: Interner::default(),
            facts,
            nodes,
            named,
            enum_keys: Vec::new(),
            locals: Vec::new(),
            deps: Direct::default(),
        };
        // Every record type the facts, parameters, values and plugins declare gets its shape,
        // so that converted facts and compiled accesses share them.
        let types: Vec<&Type> = model
            .facts
            .iter()
            .map(|(_, t)| t)
            .chain(model.params.iter().map(|p| &p.ty))
            .chain(model.values.iter().map(|v| &v.ty))
            .chain(
                model
                    .plugins
                    .iter()
                    .flat_map(|p| p.functions.iter().map(|f| &f.ret)),
            )
            .collect();
        for t in types {
            compiler.shapes_of(t);
        }
        for (name, variants) in &model.enums {
            compiler.interner.text(name);
            for v in variants {
                compiler.interner.text(v);
            }
        }
        compiler
    }

    fn shapes_of(&mut self, t: &Type) {
        match t {
            Type::Record(r) => {
                self.record_shape(r);
                for (_, f) in &r.fields {
                    self.shapes_of(f);
                }
            }
            Type::List(t) | Type::Set(t) | Type::Optional(t) => self.shapes_of(t),
            _ => {}
        }
    }

    fn record_shape(&mut self, r: &cpts_lang::types::RecordType) -> Arc<Shape> {
        let mut names: Vec<Arc<str>> = r
            .fields
            .iter()
            .map(|(n, _)| self.interner.text(n))
            .collect();
        names.sort();
        names.dedup();
        self.interner.shape(names)
    }

    /// Compiles `e` (no locals in scope) and returns it with what it reads directly.
    pub fn item(&mut self, e: &'m Expr) -> (Node, Direct) {
        self.locals.clear();
        let node = self.expr(e);
        (node, std::mem::take(&mut self.deps))
    }

    /// The arguments of a `check`'s call: `Ok((plugin, function, args, plain))`, or the error
    /// `Env::validate` gives before evaluating anything.
    pub fn check(&mut self, e: &'m Expr) -> (CheckCall, Direct) {
        self.locals.clear();
        let ExprKind::Call(call) = &e.kind else {
            return (
                Err("a check calls a plugin validation function".into()),
                Direct::default(),
            );
        };
        let found = call.plugin.as_ref().and_then(|alias| {
            let p = self
                .model
                .plugins
                .iter()
                .position(|p| p.alias == alias.name)?;
            let f = self.model.plugins[p]
                .functions
                .iter()
                .position(|f| f.name == call.function.name)?;
            Some((p, f))
        });
        let Some((p, f)) = found.filter(|&(p, f)| self.model.plugins[p].functions[f].validation)
        else {
            return (
                Err(format!(
                    "`{}` is not a plugin validation function",
                    call.function.name
                )),
                Direct::default(),
            );
        };
        let (args, plain) = self.plain_args(&call.args);
        self.deps.plugins = true;
        (Ok((p, f, args, plain)), std::mem::take(&mut self.deps))
    }

    fn plain_args(&mut self, args: &'m [syntax::Arg]) -> (Vec<Node>, bool) {
        let mut out = Vec::with_capacity(args.len());
        for a in args {
            match a {
                syntax::Arg::Expr(a) => out.push(self.expr(a)),
                syntax::Arg::Comprehension(_) => return (out, false),
            }
        }
        (out, true)
    }

    fn local(&self, name: &str) -> Option<usize> {
        self.locals.iter().rposition(|(l, _)| *l == name)
    }

    fn expr(&mut self, e: &'m Expr) -> Node {
        let span = e.span;
        let kind = self.kind(e);
        Node { kind, span }
    }

    fn boxed(&mut self, e: &'m Expr) -> Box<Node> {
        Box::new(self.expr(e))
    }

    fn kind(&mut self, e: &'m Expr) -> Kind {
        match &e.kind {
            ExprKind::Int(i) => Kind::Const(Val::Int(*i)),
            ExprKind::Decimal(d) => match d.parse() {
                Ok(x) => Kind::Const(Val::Dec(x)),
                Err(_) => Kind::Fail(format!("`{d}` is not a number")),
            },
            ExprKind::Text(t) => Kind::Const(Val::Text(self.interner.text(t))),
            ExprKind::Bool(b) => Kind::Const(Val::Bool(*b)),
            ExprKind::None => Kind::Const(Val::None),
            ExprKind::Date { year, month, day } => {
                match chrono::NaiveDate::from_ymd_opt(*year, *month, *day) {
                    Some(d) => Kind::Const(Val::Date(d)),
                    None => Kind::Fail("not a calendar date".into()),
                }
            }
            ExprKind::Duration(n, u) => Kind::Const(Val::Dur(*n, *u)),
            ExprKind::Today => {
                self.deps.today = true;
                Kind::Today
            }
            ExprKind::Name(n) => self.name(&n.name),
            ExprKind::Member(base, field) => {
                if let ExprKind::Name(n) = &base.kind
                    && self.local(&n.name).is_none()
                    && self.model.enums.contains_key(&n.name)
                {
                    let key = match self.enum_keys.iter().position(|k| *k == n.name) {
                        Some(k) => k,
                        None => {
                            self.enum_keys.push(n.name.clone());
                            self.enum_keys.len() - 1
                        }
                    };
                    if let Some(&f) = self.facts.get(n.name.as_str()) {
                        self.deps.facts.insert(f);
                    }
                    let variant = Val::Enum(self.interner.text(&field.name));
                    let field = Box::new(self.field(e, base, field));
                    return Kind::EnumMember {
                        key: key as u32,
                        variant,
                        field,
                    };
                }
                self.field(e, base, field).kind
            }
            ExprKind::Index(b, i) => Kind::Index(self.boxed(b), self.boxed(i)),
            ExprKind::Not(inner) => Kind::Not(self.boxed(inner)),
            ExprKind::Neg(inner) => Kind::Neg(self.boxed(inner)),
            ExprKind::Binary(op, l, r) => {
                let (l, r) = (self.boxed(l), self.boxed(r));
                match op {
                    BinOp::And | BinOp::Or | BinOp::Implies => Kind::Logic(*op, l, r),
                    BinOp::Coalesce => Kind::Coalesce(l, r),
                    _ => Kind::Binary(*op, l, r),
                }
            }
            ExprKind::List(items) => {
                let items: Vec<Node> = items.iter().map(|i| self.expr(i)).collect();
                match constant_list(&items) {
                    Some(vals) => Kind::Const(Val::List(Arc::new(Seq::new(vals)))),
                    None => Kind::List(items),
                }
            }
            ExprKind::Record(fields) => {
                let mut names: Vec<Arc<str>> = fields
                    .iter()
                    .map(|(k, _)| self.interner.text(&k.name))
                    .collect();
                names.sort();
                names.dedup();
                let shape = self.interner.shape(names);
                let fields = fields
                    .iter()
                    .map(|(k, v)| {
                        let at = shape.position(&k.name).unwrap_or(0) as u32;
                        (at, self.expr(v))
                    })
                    .collect();
                Kind::Record(shape, fields)
            }
            ExprKind::Call(call) => self.call(call),
        }
    }

    fn field(&mut self, e: &'m Expr, base: &'m Expr, field: &'m syntax::Ident) -> Node {
        let hint = match self.infer(base).map(strip) {
            Some(Type::Record(r)) => {
                let shape = self.record_shape(&r);
                shape
                    .position(&field.name)
                    .map(|at| (shape.clone(), at as u32))
            }
            _ => None,
        };
        let base = self.expr(base);
        let step = Step {
            name: self.interner.text(&field.name),
            hint,
            span: e.span,
        };
        let kind = match base.kind {
            Kind::Path { root, steps } => {
                let mut steps = steps.into_vec();
                steps.push(step);
                Kind::Path {
                    root,
                    steps: steps.into_boxed_slice(),
                }
            }
            Kind::Local(_) | Kind::Fact(_) | Kind::Named(_) => Kind::Path {
                root: Box::new(base),
                steps: Box::new([step]),
            },
            _ => Kind::Field {
                base: Box::new(base),
                name: step.name,
                hint: step.hint,
            },
        };
        Node { kind, span: e.span }
    }

    fn name(&mut self, name: &str) -> Kind {
        if let Some(at) = self.local(name) {
            return Kind::Local((self.locals.len() - 1 - at) as u32);
        }
        if let Some(&f) = self.facts.get(name) {
            self.deps.facts.insert(f);
            return Kind::Fact(f as u32);
        }
        match self.named.get(name) {
            Some(&slot) => {
                self.deps.named.insert(slot);
                Kind::Named(slot)
            }
            None => Kind::Fail(format!("`{name}` has no value")),
        }
    }

    fn call(&mut self, call: &'m syntax::Call) -> Kind {
        let f = call.function.name.as_str();
        if let Some(alias) = &call.plugin {
            let found = self
                .model
                .plugins
                .iter()
                .position(|p| p.alias == alias.name)
                .and_then(|p| {
                    let at = self.model.plugins[p]
                        .functions
                        .iter()
                        .position(|x| x.name == f)?;
                    Some((p, at))
                });
            let Some((plugin, function)) = found else {
                return Kind::Fail(format!(
                    "no plugin function `{}.{}` in this model",
                    alias.name, f
                ));
            };
            self.deps.plugins = true;
            let (args, plain) = self.plain_args(&call.args);
            return Kind::Plugin {
                plugin,
                function,
                args,
                plain,
            };
        }
        if let (
            "done" | "date_of",
            Some(syntax::Arg::Expr(Expr {
                kind: ExprKind::Name(step),
                ..
            })),
        ) = (f, call.args.first())
        {
            return match self.nodes.get(step.name.as_str()) {
                Some(&node) => {
                    self.deps.nodes.insert(node);
                    if f == "done" {
                        Kind::Done(node)
                    } else {
                        Kind::DateOf(node)
                    }
                }
                None => Kind::Fail(format!("no step `{}` in this version", step.name)),
            };
        }
        let agg = match f {
            "count" => Agg::Count,
            "sum" => Agg::Sum,
            "min" => Agg::Min,
            "max" => Agg::Max,
            "all" => Agg::All,
            "any" => Agg::Any,
            "distinct" => Agg::Distinct,
            other => Agg::Unknown(other.to_owned()),
        };
        let arg = match call.args.first() {
            Some(syntax::Arg::Expr(a)) => Arg::Expr(self.expr(a)),
            Some(syntax::Arg::Comprehension(c)) => {
                let collection = self.expr(&c.collection);
                let element_ty = self
                    .infer(&c.collection)
                    .and_then(|t| strip(t).element().cloned());
                self.locals.push((c.var.name.as_str(), element_ty));
                let filter = c.filter.as_deref().map(|w| self.expr(w));
                let element = c.element.as_deref().map(|el| self.expr(el));
                self.locals.pop();
                Arg::Comp {
                    element,
                    collection,
                    filter,
                    collection_span: c.collection.span,
                }
            }
            None => return Kind::Fail(format!("`{f}` needs an argument")),
        };
        Kind::Agg(agg, Box::new(arg))
    }

    /// The type of `e`, when it matters and is known: enough to locate record fields.
    fn infer(&self, e: &Expr) -> Option<Type> {
        match &e.kind {
            ExprKind::Name(n) => {
                if let Some(at) = self.local(&n.name) {
                    return self.locals[at].1.clone();
                }
                if let Some(&f) = self.facts.get(n.name.as_str()) {
                    return Some(self.model.facts[f].1.clone());
                }
                let slot = *self.named.get(n.name.as_str())? as usize;
                let params = self.model.params.len();
                Some(if slot < params {
                    self.model.params[slot].ty.clone()
                } else {
                    self.model.values[slot - params].ty.clone()
                })
            }
            ExprKind::Member(base, field) => match self.infer(base).map(strip)? {
                Type::Record(r) => r.field(&field.name).cloned(),
                _ => None,
            },
            ExprKind::Index(base, _) => self.infer(base).map(strip)?.element().cloned(),
            ExprKind::Binary(BinOp::Coalesce, l, _) => self.infer(l).map(strip),
            ExprKind::Call(call) => {
                if let Some(alias) = &call.plugin {
                    let p = self.model.plugins.iter().find(|p| p.alias == alias.name)?;
                    return Some(p.function(&call.function.name)?.ret.clone());
                }
                match (call.function.name.as_str(), call.args.first()?) {
                    ("min" | "max", syntax::Arg::Expr(a)) => {
                        self.infer(a).map(strip)?.element().cloned()
                    }
                    _ => None,
                }
            }
            _ => None,
        }
    }
}

/// A check's compiled call: plugin, function, arguments, whether all are plain; or the error.
pub(crate) type CheckCall = Result<(usize, usize, Vec<Node>, bool), String>;

fn strip(t: Type) -> Type {
    match t {
        Type::Optional(inner) => *inner,
        t => t,
    }
}

/// The values of a list literal whose items are all constant scalars other than booleans (a
/// boolean item is recorded in the coverage each time the list is evaluated).
fn constant_list(items: &[Node]) -> Option<Vec<Val>> {
    items
        .iter()
        .map(|n| match &n.kind {
            Kind::Const(
                v @ (Val::Int(_)
                | Val::Dec(_)
                | Val::Text(_)
                | Val::Date(_)
                | Val::Dur(..)
                | Val::Enum(_)
                | Val::None),
            ) => Some(v.clone()),
            _ => None,
        })
        .collect()
}

/// A record literal's value once its fields are evaluated.
pub(crate) fn record(shape: &Arc<Shape>, vals: Vec<Val>) -> Val {
    Val::Rec(Arc::new(Rec {
        shape: shape.clone(),
        vals: vals.into_boxed_slice(),
    }))
}
