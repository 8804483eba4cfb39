//! Evaluating rule conditions, parameters and computed values over a project's facts, and
//! explaining why a condition is false: which sub-condition, where in the rules, and the values
//! that made it false.

use crate::calendar::Calendar;
use crate::coverage::Coverage;
use crate::plugins::{NoPlugins, PluginCall, PluginFinding, Plugins};
use crate::value::Value;
use chrono::NaiveDate;
use cpts_diag::Span;
use cpts_lang::model::{Model, NodeId};
use cpts_lang::syntax::{Arg, BinOp, Call, Comprehension, Expr, ExprKind, Unit};
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;

/// What evaluation needs from the journal.
pub trait Journal {
    /// Whether the node is done (for a decision: a forward outcome taken).
    fn done(&self, node: NodeId) -> bool;
    /// When the node was last done, if it is done now (not sent back by a rework).
    fn date_of(&self, node: NodeId) -> Option<NaiveDate>;
}

/// A journal where nothing happened yet.
pub struct EmptyJournal;

impl Journal for EmptyJournal {
    fn done(&self, _: NodeId) -> bool {
        false
    }
    fn date_of(&self, _: NodeId) -> Option<NaiveDate> {
        None
    }
}

/// Why an expression could not be evaluated.
#[derive(Clone, Debug, PartialEq)]
pub struct EvalError {
    /// The sub-expression that failed.
    pub span: Span,
    /// What went wrong (English, lowercase).
    pub message: String,
    /// Whether a plugin call failed (rather than the rules' own expression).
    pub from_plugin: bool,
}

/// Why a condition is false: the false sub-condition and the values around it.
#[derive(Clone, Debug, PartialEq)]
pub struct Explanation {
    /// The sub-condition that is false.
    pub span: Span,
    /// Spans of the values that made it false, with the values (`= 1`).
    pub values: Vec<(Span, String)>,
}

/// The evaluation environment of one project under one model: a tree walker over syntax trees,
/// names looked up as it goes. The status evaluates rules with the compiled evaluator
/// ([`crate::compiled`]); `Env` explains false rules, evaluates arbitrary expressions for tools,
/// and is the **oracle** of the compiled evaluator: the differential tests require both to agree
/// (values, errors and spans, coverage), so a change of semantics is made in both.
pub struct Env<'a> {
    model: &'a Model,
    facts: &'a BTreeMap<String, Value>,
    journal: &'a dyn Journal,
    today: NaiveDate,
    calendar: Calendar,
    /// Step names to nodes, built the first time `done`/`date_of` is evaluated.
    nodes: std::cell::OnceCell<BTreeMap<&'a str, NodeId>>,
    cache: RefCell<BTreeMap<String, Result<Value, EvalError>>>,
    plugins: &'a dyn Plugins,
    coverage: Option<&'a Coverage>,
    /// Set while explaining: explanation evaluates operands normal evaluation skips.
    explaining: Cell<bool>,
}

type Locals = Vec<(String, Value)>;
type Result_ = Result<Value, EvalError>;

impl<'a> Env<'a> {
    /// An environment over `facts` and `journal`, on `today`.
    pub fn new(
        model: &'a Model,
        facts: &'a BTreeMap<String, Value>,
        journal: &'a dyn Journal,
        today: NaiveDate,
        calendar: Calendar,
    ) -> Env<'a> {
        Env {
            model,
            facts,
            journal,
            today,
            calendar,
            nodes: std::cell::OnceCell::new(),
            cache: RefCell::new(BTreeMap::new()),
            plugins: &NoPlugins,
            coverage: None,
            explaining: Cell::new(false),
        }
    }

    /// The same environment, recording in `coverage` what every boolean expression evaluates to.
    pub fn with_coverage(self, coverage: &'a Coverage) -> Env<'a> {
        Env {
            coverage: Some(coverage),
            ..self
        }
    }

    /// The same environment, calling plugin functions through `plugins`.
    pub fn with_plugins(self, plugins: &'a dyn Plugins) -> Env<'a> {
        Env { plugins, ..self }
    }

    /// Records in the coverage, if any, that the expression at `span` was seen `value`.
    pub(crate) fn record(&self, span: cpts_diag::Span, value: bool) {
        if let Some(coverage) = self.coverage {
            coverage.record(span, value);
        }
    }

    /// The plugins it calls.
    pub fn plugins(&self) -> &'a dyn Plugins {
        self.plugins
    }

    /// The value of parameter or computed value `name`.
    pub fn named(&self, name: &str) -> Option<Result_> {
        if let Some(hit) = self.cache.borrow().get(name) {
            return Some(hit.clone());
        }
        let expr = self
            .model
            .params
            .iter()
            .find(|p| p.name == name)
            .map(|p| &p.value)
            .or_else(|| {
                self.model
                    .values
                    .iter()
                    .find(|v| v.name == name)
                    .map(|v| &v.expr)
            })?;
        let result = self.eval(expr);
        // Not while explaining: coverage is not recorded then, and a value first computed for an
        // explanation must still be recorded when a rule reads it afterwards.
        if !self.explaining.get() {
            self.cache
                .borrow_mut()
                .insert(name.to_owned(), result.clone());
        }
        Some(result)
    }

    /// Evaluates an expression.
    pub fn eval(&self, e: &Expr) -> Result_ {
        self.eval_in(e, &mut Vec::new())
    }

    /// Whether a condition holds; an evaluation error is returned as such.
    pub fn holds(&self, e: &Expr) -> Result<bool, EvalError> {
        match self.eval(e)? {
            Value::Bool(b) => Ok(b),
            other => Err(EvalError {
                from_plugin: false,
                span: e.span,
                message: format!("a condition evaluated to `{other}`"),
            }),
        }
    }

    fn eval_in(&self, e: &Expr, locals: &mut Locals) -> Result_ {
        let result = self.eval_kind(e, locals);
        if let (Some(coverage), Ok(Value::Bool(b))) = (self.coverage, &result)
            && !self.explaining.get()
        {
            coverage.record(e.span, *b);
        }
        result
    }

    fn eval_kind(&self, e: &Expr, locals: &mut Locals) -> Result_ {
        let fail = |message: String| EvalError {
            from_plugin: false,
            span: e.span,
            message,
        };
        Ok(match &e.kind {
            ExprKind::Int(i) => Value::Int(*i),
            ExprKind::Decimal(d) => Value::Decimal(
                d.parse()
                    .map_err(|_| fail(format!("`{d}` is not a number")))?,
            ),
            ExprKind::Text(t) => Value::Text(t.clone()),
            ExprKind::Bool(b) => Value::Bool(*b),
            ExprKind::None => Value::None,
            ExprKind::Date { year, month, day } => Value::Date(
                NaiveDate::from_ymd_opt(*year, *month, *day)
                    .ok_or_else(|| fail("not a calendar date".into()))?,
            ),
            ExprKind::Duration(n, unit) => Value::Duration(*n, *unit),
            ExprKind::Today => Value::Date(self.today),
            ExprKind::Name(n) => self
                .name(&n.name, locals)
                .ok_or_else(|| fail(format!("`{}` has no value", n.name)))??,
            ExprKind::Member(base, field) => {
                if let ExprKind::Name(n) = &base.kind
                    && self.is_enum(&n.name, locals)
                {
                    return Ok(Value::Enum(field.name.clone()));
                }
                match self.eval_in(base, locals)? {
                    Value::Record(fields) => {
                        fields.get(&field.name).cloned().unwrap_or(Value::None)
                    }
                    Value::None => Value::None,
                    other => return Err(fail(format!("`{other}` has no field `{}`", field.name))),
                }
            }
            ExprKind::Index(base, index) => {
                let list = self.eval_in(base, locals)?;
                let i = self.eval_in(index, locals)?;
                match (&list, i) {
                    (Value::List(items), Value::Int(i)) => items
                        .get(usize::try_from(i).unwrap_or(usize::MAX))
                        .cloned()
                        .ok_or_else(|| {
                            fail(format!("index {i} is outside a list of {}", items.len()))
                        })?,
                    _ => return Err(fail("cannot index this value".into())),
                }
            }
            ExprKind::Not(inner) => match self.eval_in(inner, locals)? {
                Value::Bool(b) => Value::Bool(!b),
                other => return Err(fail(format!("`not` of `{other}`"))),
            },
            ExprKind::Neg(inner) => match self.eval_in(inner, locals)? {
                Value::Int(i) => {
                    Value::Int(i.checked_neg().ok_or_else(|| fail("overflow".into()))?)
                }
                Value::Decimal(d) => Value::Decimal(-d),
                Value::Duration(n, u) => {
                    Value::Duration(n.checked_neg().ok_or_else(|| fail("overflow".into()))?, u)
                }
                other => return Err(fail(format!("`-` of `{other}`"))),
            },
            ExprKind::Binary(op, l, r) => self.binary(*op, l, r, e, locals)?,
            ExprKind::List(items) => Value::List(
                items
                    .iter()
                    .map(|i| self.eval_in(i, locals))
                    .collect::<Result<_, _>>()?,
            ),
            ExprKind::Record(fields) => Value::Record(
                fields
                    .iter()
                    .map(|(k, v)| Ok((k.name.clone(), self.eval_in(v, locals)?)))
                    .collect::<Result<_, EvalError>>()?,
            ),
            ExprKind::Call(call) => self.call(call, e, locals)?,
        })
    }

    fn is_enum(&self, name: &str, locals: &Locals) -> bool {
        !locals.iter().any(|(l, _)| l == name)
            && !self.facts.contains_key(name)
            && self.model.enums.contains_key(name)
    }

    fn name(&self, name: &str, locals: &Locals) -> Option<Result_> {
        if let Some((_, v)) = locals.iter().rev().find(|(l, _)| l == name) {
            return Some(Ok(v.clone()));
        }
        if self.model.facts.iter().any(|(f, _)| f == name) {
            return Some(Ok(self.facts.get(name).cloned().unwrap_or(Value::None)));
        }
        self.named(name)
    }

    fn binary(&self, op: BinOp, l: &Expr, r: &Expr, e: &Expr, locals: &mut Locals) -> Result_ {
        let fail = |message: String| EvalError {
            from_plugin: false,
            span: e.span,
            message,
        };
        // Short-circuit logic first: the right side may not be evaluable when the left decides.
        match op {
            BinOp::And | BinOp::Or | BinOp::Implies => {
                let left = self.boolean(l, locals)?;
                return Ok(Value::Bool(match (op, left) {
                    (BinOp::And, false) => false,
                    (BinOp::Or, true) => true,
                    (BinOp::Implies, false) => true,
                    _ => self.boolean(r, locals)?,
                }));
            }
            BinOp::Coalesce => {
                let left = self.eval_in(l, locals)?;
                return if left == Value::None {
                    self.eval_in(r, locals)
                } else {
                    Ok(left)
                };
            }
            _ => {}
        }
        let a = self.eval_in(l, locals)?;
        let b = self.eval_in(r, locals)?;
        use Value::*;
        Ok(match op {
            BinOp::Eq => Bool(equal(&a, &b)),
            BinOp::Ne => Bool(!equal(&a, &b)),
            BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
                if matches!(a, None) || matches!(b, None) {
                    return Err(fail(format!("cannot compare `{a}` and `{b}`")));
                }
                let ord = a.order(&b);
                Bool(match op {
                    BinOp::Lt => ord.is_lt(),
                    BinOp::Le => ord.is_le(),
                    BinOp::Gt => ord.is_gt(),
                    _ => ord.is_ge(),
                })
            }
            BinOp::In | BinOp::NotIn => {
                let items = b
                    .elements()
                    .ok_or_else(|| fail(format!("`{b}` is not a list or set")))?;
                let found = items.iter().any(|x| equal(x, &a));
                Bool(found == (op == BinOp::In))
            }
            BinOp::Add | BinOp::Sub => match (&a, &b) {
                (Int(x), Int(y)) => Int(if op == BinOp::Add {
                    x.checked_add(*y)
                } else {
                    x.checked_sub(*y)
                }
                .ok_or_else(|| fail("overflow".into()))?),
                (Date(d), Duration(n, u)) => Date(self.calendar.add(
                    *d,
                    if op == BinOp::Add {
                        *n
                    } else {
                        n.checked_neg().ok_or_else(|| fail("overflow".into()))?
                    },
                    *u,
                )),
                (Duration(n, u), Date(d)) if op == BinOp::Add => {
                    Date(self.calendar.add(*d, *n, *u))
                }
                (Date(x), Date(y)) if op == BinOp::Sub => Int((*x - *y).num_days()),
                (Duration(x, u), Duration(y, v)) if u == v => Duration(
                    if op == BinOp::Add {
                        x.checked_add(*y)
                    } else {
                        x.checked_sub(*y)
                    }
                    .ok_or_else(|| fail("overflow".into()))?,
                    *u,
                ),
                (Text(x), Text(y)) if op == BinOp::Add => Text(format!("{x}{y}")),
                _ => match (a.number(), b.number()) {
                    (Some(x), Some(y)) => Decimal(if op == BinOp::Add { x + y } else { x - y }),
                    _ => return Err(fail(format!("cannot combine `{a}` and `{b}`"))),
                },
            },
            BinOp::Mul => match (&a, &b) {
                (Int(x), Int(y)) => {
                    Int(x.checked_mul(*y).ok_or_else(|| fail("overflow".into()))?)
                }
                (Duration(n, u), Int(k)) | (Int(k), Duration(n, u)) => Duration(
                    n.checked_mul(*k).ok_or_else(|| fail("overflow".into()))?,
                    *u,
                ),
                _ => Decimal(
                    a.number()
                        .zip(b.number())
                        .map(|(x, y)| x * y)
                        .ok_or_else(|| fail(format!("cannot multiply `{a}` by `{b}`")))?,
                ),
            },
            BinOp::Div => {
                let (x, y) = a
                    .number()
                    .zip(b.number())
                    .ok_or_else(|| fail(format!("cannot divide `{a}` by `{b}`")))?;
                if y == 0.0 {
                    return Err(fail("division by zero".into()));
                }
                Decimal(x / y)
            }
            BinOp::Rem => match (&a, &b) {
                (Int(_), Int(0)) => return Err(fail("division by zero".into())),
                (Int(x), Int(y)) => Int(x
                    .checked_rem_euclid(*y)
                    .ok_or_else(|| fail("overflow".into()))?),
                _ => return Err(fail(format!("`%` of `{a}` and `{b}`"))),
            },
            BinOp::And | BinOp::Or | BinOp::Implies | BinOp::Coalesce => {
                unreachable!("handled above")
            }
        })
    }

    fn boolean(&self, e: &Expr, locals: &mut Locals) -> Result<bool, EvalError> {
        match self.eval_in(e, locals)? {
            Value::Bool(b) => Ok(b),
            other => Err(EvalError {
                from_plugin: false,
                span: e.span,
                message: format!("expected a boolean, found `{other}`"),
            }),
        }
    }

    fn call(&self, call: &Call, e: &Expr, locals: &mut Locals) -> Result_ {
        let fail = |message: String| EvalError {
            from_plugin: false,
            span: e.span,
            message,
        };
        if let Some(alias) = &call.plugin {
            return self.plugin_call(alias, call, e, locals);
        }
        let f = call.function.name.as_str();
        if let (
            "done" | "date_of",
            Some(Arg::Expr(Expr {
                kind: ExprKind::Name(step),
                ..
            })),
        ) = (f, call.args.first())
        {
            let model = self.model;
            let nodes = self.nodes.get_or_init(|| {
                model
                    .nodes
                    .iter()
                    .enumerate()
                    .map(|(i, n)| (n.name.as_str(), i))
                    .collect()
            });
            let node = *nodes
                .get(step.name.as_str())
                .ok_or_else(|| fail(format!("no step `{}` in this version", step.name)))?;
            return Ok(if f == "done" {
                Value::Bool(self.journal.done(node))
            } else {
                self.journal.date_of(node).map_or(Value::None, Value::Date)
            });
        }
        let items = match call.args.first() {
            Some(Arg::Expr(arg)) => match self.eval_in(arg, locals)? {
                Value::List(v) | Value::Set(v) => v,
                other => return Err(fail(format!("`{f}` needs a list or set, found `{other}`"))),
            },
            Some(Arg::Comprehension(c)) => self.comprehension(f, c, locals)?,
            None => return Err(fail(format!("`{f}` needs an argument"))),
        };
        Ok(match f {
            "count" => Value::Int(items.len() as i64),
            "sum" => {
                if items.iter().all(|v| matches!(v, Value::Int(_))) {
                    Value::Int(
                        items
                            .iter()
                            .map(|v| if let Value::Int(i) = v { *i } else { 0 })
                            .try_fold(0i64, |a, b| a.checked_add(b))
                            .ok_or_else(|| fail("overflow".into()))?,
                    )
                } else {
                    Value::Decimal(items.iter().filter_map(Value::number).sum())
                }
            }
            "min" => items
                .iter()
                .min_by(|a, b| a.order(b))
                .cloned()
                .unwrap_or(Value::None),
            "max" => items
                .iter()
                .max_by(|a, b| a.order(b))
                .cloned()
                .unwrap_or(Value::None),
            "all" => Value::Bool(items.iter().all(|v| *v == Value::Bool(true))),
            "any" => Value::Bool(items.contains(&Value::Bool(true))),
            "distinct" => Value::set(items),
            other => return Err(fail(format!("unknown function `{other}`"))),
        })
    }

    /// What a comprehension yields to `f`: elements (filtered, mapped), or for `all`/`any` in
    /// the short form, the truth of the `where` condition for each element.
    fn comprehension(
        &self,
        f: &str,
        c: &Comprehension,
        locals: &mut Locals,
    ) -> Result<Vec<Value>, EvalError> {
        let collection = self.eval_in(&c.collection, locals)?;
        let items = collection
            .elements()
            .ok_or_else(|| EvalError {
                from_plugin: false,
                span: c.collection.span,
                message: format!("`{collection}` is not a list or set"),
            })?
            .to_vec();
        let test_only = c.element.is_none() && matches!(f, "all" | "any");
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            locals.push((c.var.name.clone(), item.clone()));
            let result = (|| -> Result<Option<Value>, EvalError> {
                let pass = match &c.filter {
                    Some(w) => self.boolean(w, locals)?,
                    None => true,
                };
                if test_only {
                    return Ok(Some(Value::Bool(pass)));
                }
                if !pass {
                    return Ok(None);
                }
                Ok(Some(match &c.element {
                    Some(el) => self.eval_in(el, locals)?,
                    None => item.clone(),
                }))
            })();
            locals.pop();
            if let Some(v) = result? {
                out.push(v);
            }
        }
        Ok(out)
    }

    /// Why `e`, a condition that evaluates to false, is false.
    pub fn explain(&self, e: &Expr) -> Explanation {
        let was = self.explaining.replace(true);
        let why = self.explain_in(e, &mut Vec::new());
        self.explaining.set(was);
        why
    }

    fn explain_in(&self, e: &Expr, locals: &mut Locals) -> Explanation {
        let value_of = |x: &Expr, locals: &mut Locals| match self.eval_in(x, locals) {
            Ok(v) => format!("= {v}"),
            Err(err) => format!("cannot be evaluated: {}", err.message),
        };
        let is_false = |x: &Expr, locals: &mut Locals| {
            matches!(self.eval_in(x, locals), Ok(Value::Bool(false)))
        };
        match &e.kind {
            ExprKind::Binary(BinOp::And, a, b) => {
                if is_false(a, locals) {
                    self.explain_in(a, locals)
                } else {
                    self.explain_in(b, locals)
                }
            }
            ExprKind::Binary(BinOp::Implies, _, b) => self.explain_in(b, locals),
            ExprKind::Binary(BinOp::Or, a, b) => {
                let mut x = Explanation {
                    span: e.span,
                    values: Vec::new(),
                };
                for side in [a, b] {
                    let inner = self.explain_in(side, locals);
                    x.values.push((inner.span, "false".into()));
                    x.values.extend(inner.values);
                }
                x
            }
            ExprKind::Not(inner) => Explanation {
                span: e.span,
                values: vec![(inner.span, "holds".into())],
            },
            ExprKind::Binary(_, a, b) => {
                let mut values = Vec::new();
                for side in [a, b] {
                    if !is_literal(side) {
                        values.push((side.span, value_of(side, locals)));
                    }
                }
                Explanation {
                    span: e.span,
                    values,
                }
            }
            ExprKind::Call(call)
                if call.plugin.is_none()
                    && matches!(call.function.name.as_str(), "all" | "any") =>
            {
                self.explain_quantifier(call, e, locals)
            }
            _ => Explanation {
                span: e.span,
                values: vec![(e.span, value_of(e, locals))],
            },
        }
    }

    /// `alias.function(args)`: evaluated arguments to the plugin host, its result checked
    /// against the declared type.
    fn plugin_args(
        &self,
        call: &Call,
        e: &Expr,
        locals: &mut Locals,
    ) -> Result<Vec<Value>, EvalError> {
        let mut args = Vec::with_capacity(call.args.len());
        for arg in &call.args {
            match arg {
                Arg::Expr(a) => args.push(self.eval_in(a, locals)?),
                Arg::Comprehension(_) => {
                    return Err(EvalError {
                        from_plugin: false,
                        span: e.span,
                        message: "plugin functions take plain arguments".into(),
                    });
                }
            }
        }
        Ok(args)
    }

    /// The findings of a `check`'s call of a plugin validation function.
    pub fn validate(&self, e: &Expr) -> Result<Vec<PluginFinding>, EvalError> {
        let fail = |message: String, from_plugin: bool| EvalError {
            from_plugin,
            span: e.span,
            message,
        };
        let ExprKind::Call(call) = &e.kind else {
            return Err(fail(
                "a check calls a plugin validation function".into(),
                false,
            ));
        };
        let found = call.plugin.as_ref().and_then(|alias| {
            let plugin = self.model.plugins.iter().find(|p| p.alias == alias.name)?;
            Some((plugin, plugin.function(&call.function.name)?))
        });
        let Some((plugin, function)) = found.filter(|(_, f)| f.validation) else {
            return Err(fail(
                format!(
                    "`{}` is not a plugin validation function",
                    call.function.name
                ),
                false,
            ));
        };
        let args = self.plugin_args(call, e, &mut Vec::new())?;
        let request = PluginCall {
            plugin,
            function,
            args: &args,
            span: e.span,
        };
        self.plugins
            .validate(&request)
            .map_err(|f| fail(f.message, true))
    }

    fn plugin_call(
        &self,
        alias: &cpts_lang::syntax::Ident,
        call: &Call,
        e: &Expr,
        locals: &mut Locals,
    ) -> Result_ {
        let fail = |message: String| EvalError {
            from_plugin: false,
            span: e.span,
            message,
        };
        let (plugin, function) = self
            .model
            .plugins
            .iter()
            .find(|p| p.alias == alias.name)
            .and_then(|p| Some((p, p.function(&call.function.name)?)))
            .ok_or_else(|| {
                fail(format!(
                    "no plugin function `{}.{}` in this model",
                    alias.name, call.function.name
                ))
            })?;
        let args = self.plugin_args(call, e, locals)?;
        let request = PluginCall {
            plugin,
            function,
            args: &args,
            span: e.span,
        };
        let from_plugin = |message: String| EvalError {
            from_plugin: true,
            ..fail(message)
        };
        let value = self
            .plugins
            .call(&request)
            .map_err(|f| from_plugin(f.message))?;
        crate::value::conforms(&value, &function.ret, &self.model.enums).map_err(|why| {
            from_plugin(format!(
                "plugin `{}`, function `{}`: malformed result: {why}",
                plugin.package, function.name
            ))
        })?;
        Ok(value)
    }

    /// `all(x in xs where p)`: the first element failing `p`, and why; `any(…)`: how many were tried.
    fn explain_quantifier(&self, call: &Call, e: &Expr, locals: &mut Locals) -> Explanation {
        let Some(Arg::Comprehension(c)) = call.args.first() else {
            return Explanation {
                span: e.span,
                values: vec![],
            };
        };
        let Ok(collection) = self.eval_in(&c.collection, locals) else {
            return Explanation {
                span: e.span,
                values: vec![],
            };
        };
        let items = collection.elements().unwrap_or_default().to_vec();
        if call.function.name == "any" {
            return Explanation {
                span: e.span,
                values: vec![(c.collection.span, format!("= {collection}: none qualifies"))],
            };
        }
        let condition = c.element.as_deref().or(c.filter.as_deref());
        for item in items {
            locals.push((c.var.name.clone(), item.clone()));
            let failing = condition
                .is_some_and(|p| matches!(self.eval_in(p, locals), Ok(Value::Bool(false))));
            if failing {
                let mut inner = self.explain_in(condition.unwrap(), locals);
                inner.values.insert(
                    0,
                    (c.var.span, format!("fails for `{}` = {item}", c.var.name)),
                );
                locals.pop();
                return Explanation {
                    span: e.span,
                    values: inner.values,
                };
            }
            locals.pop();
        }
        Explanation {
            span: e.span,
            values: vec![],
        }
    }

    /// The model this environment evaluates.
    pub fn model(&self) -> &Model {
        self.model
    }

    /// Today's date in this environment.
    pub fn today(&self) -> NaiveDate {
        self.today
    }

    /// The calendar in use.
    pub fn calendar(&self) -> &Calendar {
        &self.calendar
    }

    /// `amount unit` after `date`, on this environment's calendar.
    pub fn add(&self, date: NaiveDate, amount: u32, unit: Unit) -> NaiveDate {
        self.calendar.add(date, i64::from(amount), unit)
    }
}

fn is_literal(e: &Expr) -> bool {
    matches!(
        e.kind,
        ExprKind::Int(_)
            | ExprKind::Decimal(_)
            | ExprKind::Text(_)
            | ExprKind::Bool(_)
            | ExprKind::None
            | ExprKind::Date { .. }
            | ExprKind::Duration(..)
    )
}

/// Equality across int and decimal, and sets regardless of order.
fn equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Int(_) | Value::Decimal(_), Value::Int(_) | Value::Decimal(_)) => {
            a.number() == b.number()
        }
        _ => a == b,
    }
}
