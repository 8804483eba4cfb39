//! Evaluation of compiled nodes over converted facts: the semantics of
//! [`Env`](crate::Env)'s tree walk, node for node (the same operands evaluated in the same
//! order, the same errors at the same spans, the same coverage records), with values read by
//! reference where the tree walker cloned them.

use super::Facts;
use super::Program;
use super::compile::{CheckCall, record};
use super::node::{Agg, Arg, Kind, Node};
use super::val::{self, Interner, Seq, Val, equal, number, order, same};
use crate::calendar::Calendar;
use crate::coverage::Coverage;
use crate::eval::{EvalError, Journal};
use crate::plugins::{PluginCall, PluginFinding, Plugins};
use crate::value::Value;
use chrono::NaiveDate;
use cpts_diag::Span;
use cpts_lang::syntax::BinOp;
use std::borrow::Borrow;
use std::cell::{Cell, OnceCell, RefCell};
use std::ops::Deref;
use std::sync::Arc;

/// A value read in place, or made by the evaluation.
pub(crate) enum V<'a> {
    R(&'a Val),
    O(Val),
}

impl Deref for V<'_> {
    type Target = Val;
    fn deref(&self) -> &Val {
        match self {
            V::R(v) => v,
            V::O(v) => v,
        }
    }
}

impl Borrow<Val> for V<'_> {
    fn borrow(&self) -> &Val {
        self
    }
}

impl V<'_> {
    pub fn into_owned(self) -> Val {
        match self {
            V::R(v) => v.clone(),
            V::O(v) => v,
        }
    }
}

type Res<'a> = Result<V<'a>, Error>;

/// The comprehension variables in scope, innermost first.
pub(crate) struct Scope<'a> {
    val: &'a Val,
    up: Option<&'a Scope<'a>>,
}

/// Errors are boxed inside the evaluator: a `Result` of a value and an unboxed error is moved
/// byte-wise on every return (the error's fields fill the value's tag word).
type Error = Box<EvalError>;

fn fail(span: Span, message: String) -> Error {
    Box::new(EvalError {
        from_plugin: false,
        span,
        message,
    })
}

/// One evaluation context: a program, facts, a journal and a day. Computed values and
/// parameters are evaluated at most once in it.
pub(crate) struct Ctx<'r> {
    pub program: &'r Program,
    pub facts: &'r Facts,
    pub journal: &'r dyn Journal,
    pub today: NaiveDate,
    pub calendar: Calendar,
    pub plugins: &'r dyn Plugins,
    pub coverage: Option<&'r Coverage>,
    memo: Box<[OnceCell<Result<Val, Error>>]>,
    busy: Box<[Cell<bool>]>,
    /// Strings and shapes of plugin results.
    interner: RefCell<Interner>,
}

impl<'r> Ctx<'r> {
    pub fn new(
        program: &'r Program,
        facts: &'r Facts,
        journal: &'r dyn Journal,
        today: NaiveDate,
        calendar: Calendar,
        plugins: &'r dyn Plugins,
        coverage: Option<&'r Coverage>,
    ) -> Ctx<'r> {
        let n = program.named.len();
        Ctx {
            program,
            facts,
            journal,
            today,
            calendar,
            plugins,
            coverage,
            memo: (0..n).map(|_| OnceCell::new()).collect(),
            busy: (0..n).map(|_| Cell::new(false)).collect(),
            interner: RefCell::new(Interner::default()),
        }
    }

    /// The value of parameter or computed value `slot`, evaluated on first use.
    pub fn named(&self, slot: u32) -> Result<&Val, Error> {
        let s = slot as usize;
        let cell = &self.memo[s];
        if let Some(hit) = cell.get() {
            return hit.as_ref().map_err(Clone::clone);
        }
        let item = &self.program.named[s];
        if self.busy[s].replace(true) {
            return Err(fail(
                item.node.span,
                "a value that depends on itself".into(),
            ));
        }
        let result = self.eval(&item.node, None).map(V::into_owned);
        self.busy[s].set(false);
        cell.get_or_init(|| result).as_ref().map_err(Clone::clone)
    }

    /// Whether a condition holds.
    pub fn holds(&self, n: &Node) -> Result<bool, Error> {
        match &*self.eval(n, None)? {
            Val::Bool(b) => Ok(*b),
            other => Err(fail(
                n.span,
                format!("a condition evaluated to `{}`", other.show()),
            )),
        }
    }

    /// Records in the coverage, if any, that the expression at `span` was seen `value`.
    pub fn record(&self, span: Span, value: bool) {
        if let Some(c) = self.coverage {
            c.record(span, value);
        }
    }

    /// Evaluates `n`, recording a boolean result in the coverage.
    pub fn eval<'a>(&'a self, n: &'a Node, sc: Option<&'a Scope<'a>>) -> Res<'a> {
        let result = self.kind(n, sc);
        if let (Some(c), Ok(v)) = (self.coverage, &result)
            && let Val::Bool(b) = **v
        {
            c.record(n.span, b);
        }
        result
    }

    fn boolean<'a>(&'a self, n: &'a Node, sc: Option<&'a Scope<'a>>) -> Result<bool, Error> {
        match &*self.eval(n, sc)? {
            Val::Bool(b) => Ok(*b),
            other => Err(fail(
                n.span,
                format!("expected a boolean, found `{}`", other.show()),
            )),
        }
    }

    fn kind<'a>(&'a self, n: &'a Node, sc: Option<&'a Scope<'a>>) -> Res<'a> {
        let span = n.span;
        Ok(match &n.kind {
            Kind::Const(v) => V::R(v),
            Kind::Fail(message) => return Err(fail(span, message.clone())),
            Kind::Today => V::O(Val::Date(self.today)),
            Kind::Fact(i) => V::R(&self.facts.vals[*i as usize]),
            Kind::Named(slot) => V::R(self.named(*slot)?),
            Kind::Local(depth) => {
                let mut at = sc;
                for _ in 0..*depth {
                    at = at.and_then(|s| s.up);
                }
                match at {
                    Some(s) => V::R(s.val),
                    None => return Err(fail(span, "a variable out of scope".into())),
                }
            }
            Kind::EnumMember {
                key,
                variant,
                field,
            } => {
                if self.facts.enum_keys[*key as usize] {
                    return self.kind(field, sc);
                }
                V::R(variant)
            }
            Kind::Field { base, name, hint } => {
                let b = self.eval(base, sc)?;
                match b {
                    V::R(v) => field(v, name, hint, span)?.map_or(V::O(Val::None), V::R),
                    V::O(v) => V::O(field(&v, name, hint, span)?.cloned().unwrap_or(Val::None)),
                }
            }
            Kind::Path { root, steps } => {
                let mut at = self.eval(root, sc)?;
                let last = steps.len() - 1;
                for (i, step) in steps.iter().enumerate() {
                    at = match at {
                        V::R(v) => field(v, &step.name, &step.hint, step.span)?
                            .map_or(V::O(Val::None), V::R),
                        V::O(v) => V::O(
                            field(&v, &step.name, &step.hint, step.span)?
                                .cloned()
                                .unwrap_or(Val::None),
                        ),
                    };
                    if i < last
                        && let (Some(c), Val::Bool(b)) = (self.coverage, &*at)
                    {
                        c.record(step.span, *b);
                    }
                }
                at
            }
            Kind::Index(base, index) => {
                let list = self.eval(base, sc)?;
                let i = self.eval(index, sc)?;
                match list {
                    V::R(v) => V::R(element(v, &i, span)?),
                    V::O(v) => V::O(element(&v, &i, span)?.clone()),
                }
            }
            Kind::Not(inner) => match &*self.eval(inner, sc)? {
                Val::Bool(b) => V::O(Val::Bool(!b)),
                other => return Err(fail(span, format!("`not` of `{}`", other.show()))),
            },
            Kind::Neg(inner) => {
                let overflow = || fail(span, "overflow".into());
                V::O(match &*self.eval(inner, sc)? {
                    Val::Int(i) => Val::Int(i.checked_neg().ok_or_else(overflow)?),
                    Val::Dec(d) => Val::Dec(-d),
                    Val::Dur(n, u) => Val::Dur(n.checked_neg().ok_or_else(overflow)?, *u),
                    other => return Err(fail(span, format!("`-` of `{}`", other.show()))),
                })
            }
            Kind::Logic(op, l, r) => {
                let left = self.boolean(l, sc)?;
                V::O(Val::Bool(match (op, left) {
                    (BinOp::And, false) => false,
                    (BinOp::Or, true) => true,
                    (BinOp::Implies, false) => true,
                    _ => self.boolean(r, sc)?,
                }))
            }
            Kind::Coalesce(l, r) => {
                let left = self.eval(l, sc)?;
                if matches!(*left, Val::None) {
                    return self.eval(r, sc);
                }
                left
            }
            Kind::Binary(op, l, r) => {
                let a = self.eval(l, sc)?;
                let b = self.eval(r, sc)?;
                V::O(self.binary(*op, &a, &b, span)?)
            }
            Kind::List(items) => {
                let mut out = Vec::with_capacity(items.len());
                for i in items {
                    out.push(self.eval(i, sc)?.into_owned());
                }
                V::O(Val::List(Arc::new(Seq::new(out))))
            }
            Kind::Record(shape, fields) => {
                let mut vals = vec![Val::None; shape.names.len()];
                for (at, e) in fields {
                    vals[*at as usize] = self.eval(e, sc)?.into_owned();
                }
                V::O(record(shape, vals))
            }
            Kind::Done(node) => V::O(Val::Bool(self.journal.done(*node))),
            Kind::DateOf(node) => V::O(self.journal.date_of(*node).map_or(Val::None, Val::Date)),
            Kind::Agg(agg, arg) => V::O(self.agg(agg, arg, span, sc)?),
            Kind::Plugin {
                plugin,
                function,
                args,
                plain,
            } => V::O(self.plugin(*plugin, *function, args, *plain, span, sc)?),
        })
    }

    fn binary(&self, op: BinOp, a: &Val, b: &Val, span: Span) -> Result<Val, Error> {
        use Val::*;
        let err = |message: String| Err(fail(span, message));
        let overflow = || fail(span, "overflow".into());
        Ok(match op {
            BinOp::Eq => Bool(equal(a, b)),
            BinOp::Ne => Bool(!equal(a, b)),
            BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
                if matches!(a, None) || matches!(b, None) {
                    return err(format!("cannot compare `{}` and `{}`", a.show(), b.show()));
                }
                let ord = order(a, b, false);
                Bool(match op {
                    BinOp::Lt => ord.is_lt(),
                    BinOp::Le => ord.is_le(),
                    BinOp::Gt => ord.is_gt(),
                    _ => ord.is_ge(),
                })
            }
            BinOp::In | BinOp::NotIn => {
                let found = match b {
                    List(s) | Set(s) => s.contains(a),
                    _ => return err(format!("`{}` is not a list or set", b.show())),
                };
                Bool(found == (op == BinOp::In))
            }
            BinOp::Add | BinOp::Sub => {
                let add = op == BinOp::Add;
                match (a, b) {
                    (Int(x), Int(y)) => Int(if add {
                        x.checked_add(*y)
                    } else {
                        x.checked_sub(*y)
                    }
                    .ok_or_else(overflow)?),
                    (Date(d), Dur(n, u)) => {
                        let n = if add {
                            *n
                        } else {
                            n.checked_neg().ok_or_else(overflow)?
                        };
                        Date(self.calendar.add(*d, n, *u))
                    }
                    (Dur(n, u), Date(d)) if add => Date(self.calendar.add(*d, *n, *u)),
                    (Date(x), Date(y)) if !add => Int((*x - *y).num_days()),
                    (Dur(x, u), Dur(y, v)) if u == v => Dur(
                        if add {
                            x.checked_add(*y)
                        } else {
                            x.checked_sub(*y)
                        }
                        .ok_or_else(overflow)?,
                        *u,
                    ),
                    (Text(x), Text(y)) if add => Text(Arc::from(format!("{x}{y}"))),
                    _ => match (number(a), number(b)) {
                        (Some(x), Some(y)) => Dec(if add { x + y } else { x - y }),
                        _ => {
                            return err(format!(
                                "cannot combine `{}` and `{}`",
                                a.show(),
                                b.show()
                            ));
                        }
                    },
                }
            }
            BinOp::Mul => match (a, b) {
                (Int(x), Int(y)) => Int(x.checked_mul(*y).ok_or_else(overflow)?),
                (Dur(n, u), Int(k)) | (Int(k), Dur(n, u)) => {
                    Dur(n.checked_mul(*k).ok_or_else(overflow)?, *u)
                }
                _ => match number(a).zip(number(b)) {
                    Some((x, y)) => Dec(x * y),
                    Option::None => {
                        return err(format!("cannot multiply `{}` by `{}`", a.show(), b.show()));
                    }
                },
            },
            BinOp::Div => {
                let Some((x, y)) = number(a).zip(number(b)) else {
                    return err(format!("cannot divide `{}` by `{}`", a.show(), b.show()));
                };
                if y == 0.0 {
                    return err("division by zero".into());
                }
                Dec(x / y)
            }
            BinOp::Rem => match (a, b) {
                (Int(_), Int(0)) => return err("division by zero".into()),
                (Int(x), Int(y)) => Int(x.checked_rem_euclid(*y).ok_or_else(overflow)?),
                _ => return err(format!("`%` of `{}` and `{}`", a.show(), b.show())),
            },
            BinOp::And | BinOp::Or | BinOp::Implies | BinOp::Coalesce => {
                return err("a connective compiled as an operator".into());
            }
        })
    }

    fn agg<'a>(
        &'a self,
        agg: &Agg,
        arg: &'a Arg,
        span: Span,
        sc: Option<&'a Scope<'a>>,
    ) -> Result<Val, Error> {
        let f = agg.name();
        let (element, collection, filter, collection_span) = match arg {
            Arg::Expr(a) => {
                let v = self.eval(a, sc)?;
                let items = match &*v {
                    Val::List(s) | Val::Set(s) => &s.items[..],
                    other => {
                        return Err(fail(
                            span,
                            format!("`{f}` needs a list or set, found `{}`", other.show()),
                        ));
                    }
                };
                return finish(agg, items, span);
            }
            Arg::Comp {
                element,
                collection,
                filter,
                collection_span,
            } => (element, collection, filter, *collection_span),
        };
        let coll = self.eval(collection, sc)?;
        let Some(items) = coll.elements() else {
            return Err(fail(
                collection_span,
                format!("`{}` is not a list or set", coll.show()),
            ));
        };
        let test_only = element.is_none() && matches!(agg, Agg::All | Agg::Any);
        let pass = |item: &Val| -> Result<bool, Error> {
            match filter {
                Some(w) => self.boolean(w, Some(&Scope { val: item, up: sc })),
                None => Ok(true),
            }
        };
        match (agg, element) {
            (Agg::Count, _) if element.is_none() => {
                let mut n = 0i64;
                for item in items {
                    n += i64::from(pass(item)?);
                }
                return Ok(Val::Int(n));
            }
            (Agg::All | Agg::Any, None) if test_only => {
                let (mut all, mut any) = (true, false);
                for item in items {
                    let p = pass(item)?;
                    all &= p;
                    any |= p;
                }
                return Ok(Val::Bool(if *agg == Agg::All { all } else { any }));
            }
            _ => {}
        }
        let mut out: Vec<Val> = Vec::new();
        for item in items {
            if !pass(item)? {
                continue;
            }
            match element {
                Some(el) => {
                    let scope = Scope { val: item, up: sc };
                    out.push(self.eval(el, Some(&scope))?.into_owned());
                }
                None => out.push(item.clone()),
            }
        }
        finish(agg, &out, span)
    }

    fn plain_args<'a>(
        &'a self,
        args: &'a [Node],
        plain: bool,
        span: Span,
        sc: Option<&'a Scope<'a>>,
    ) -> Result<Vec<Value>, Error> {
        let mut out = Vec::with_capacity(args.len());
        for a in args {
            out.push(self.eval(a, sc)?.to_value());
        }
        if !plain {
            return Err(fail(span, "plugin functions take plain arguments".into()));
        }
        Ok(out)
    }

    fn plugin<'a>(
        &'a self,
        p: usize,
        f: usize,
        args: &'a [Node],
        plain: bool,
        span: Span,
        sc: Option<&'a Scope<'a>>,
    ) -> Result<Val, Error> {
        let model = self.program.model();
        let (plugin, function) = (&model.plugins[p], &model.plugins[p].functions[f]);
        let args = self.plain_args(args, plain, span, sc)?;
        let request = PluginCall {
            plugin,
            function,
            args: &args,
            span,
        };
        let from_plugin = |message: String| {
            Box::new(EvalError {
                from_plugin: true,
                span,
                message,
            })
        };
        let value = self
            .plugins
            .call(&request)
            .map_err(|f| from_plugin(f.message))?;
        crate::value::conforms(&value, &function.ret, &model.enums).map_err(|why| {
            from_plugin(format!(
                "plugin `{}`, function `{}`: malformed result: {why}",
                plugin.package, function.name
            ))
        })?;
        Ok(self
            .interner
            .borrow_mut()
            .convert(&self.program.interner, &value))
    }

    /// The findings of a `check`'s call.
    pub fn validate(&self, call: &CheckCall, span: Span) -> Result<Vec<PluginFinding>, Error> {
        let (p, f, args, plain) = call.as_ref().map_err(|m| fail(span, m.clone()))?;
        let model = self.program.model();
        let args = self.plain_args(args, *plain, span, None)?;
        let request = PluginCall {
            plugin: &model.plugins[*p],
            function: &model.plugins[*p].functions[*f],
            args: &args,
            span,
        };
        self.plugins.validate(&request).map_err(|f| {
            Box::new(EvalError {
                from_plugin: true,
                span,
                message: f.message,
            })
        })
    }
}

/// Field `name` of record `v` (`None` for an absent field or an absent record).
fn field<'v>(
    v: &'v Val,
    name: &str,
    hint: &Option<(Arc<super::val::Shape>, u32)>,
    span: Span,
) -> Result<Option<&'v Val>, Error> {
    match v {
        Val::Rec(r) => Ok(match hint {
            Some((shape, at)) if Arc::ptr_eq(shape, &r.shape) => r.vals.get(*at as usize),
            _ => r.shape.position(name).and_then(|at| r.vals.get(at)),
        }),
        Val::None => Ok(None),
        other => Err(fail(
            span,
            format!("`{}` has no field `{name}`", other.show()),
        )),
    }
}

/// `v[i]`.
fn element<'v>(v: &'v Val, i: &Val, span: Span) -> Result<&'v Val, Error> {
    match (v, i) {
        (Val::List(s), Val::Int(i)) => s
            .items
            .get(usize::try_from(*i).unwrap_or(usize::MAX))
            .ok_or_else(|| {
                fail(
                    span,
                    format!("index {i} is outside a list of {}", s.items.len()),
                )
            }),
        _ => Err(fail(span, "cannot index this value".into())),
    }
}

/// A collection function over its (filtered, mapped) elements.
fn finish<T: Borrow<Val>>(agg: &Agg, items: &[T], span: Span) -> Result<Val, Error> {
    let vals = || items.iter().map(Borrow::borrow);
    Ok(match agg {
        Agg::Count => Val::Int(items.len() as i64),
        Agg::Sum => {
            if vals().all(|v| matches!(v, Val::Int(_))) {
                Val::Int(
                    vals()
                        .map(|v| if let Val::Int(i) = v { *i } else { 0 })
                        .try_fold(0i64, |a, b| a.checked_add(b))
                        .ok_or_else(|| fail(span, "overflow".into()))?,
                )
            } else {
                Val::Dec(vals().filter_map(number).sum())
            }
        }
        Agg::Min => vals()
            .min_by(|a, b| order(a, b, false))
            .cloned()
            .unwrap_or(Val::None),
        Agg::Max => vals()
            .max_by(|a, b| order(a, b, false))
            .cloned()
            .unwrap_or(Val::None),
        Agg::All => Val::Bool(vals().all(|v| same(v, &Val::Bool(true)))),
        Agg::Any => Val::Bool(vals().any(|v| same(v, &Val::Bool(true)))),
        Agg::Distinct => val::set(vals().cloned().collect()),
        Agg::Unknown(f) => return Err(fail(span, format!("unknown function `{f}`"))),
    })
}
