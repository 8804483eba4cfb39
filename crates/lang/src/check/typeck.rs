//! Expression typing: every expression gets a [`Type`]; every misuse a diagnostic.

use super::scope::{Scope, missing, unknown};
use crate::syntax::*;
use crate::types::{RecordType, Type};
use cpts_diag::{Diagnostic, codes};
use std::collections::BTreeSet;
use std::sync::Arc;

/// Builtin functions the language knows.
pub(crate) const BUILTIN_FUNCTIONS: &[&str] = &[
    "count", "sum", "min", "max", "all", "any", "distinct", "done", "date_of",
];

pub(crate) struct Typer<'s, 'a> {
    pub scope: &'s Scope<'a>,
    pub out: &'s mut Vec<Diagnostic>,
    /// Values and parameters read, for the unused check.
    pub used: &'s mut BTreeSet<String>,
    /// Plugin functions called, as `alias.fn`.
    pub called: &'s mut BTreeSet<String>,
    locals: Vec<(String, Type)>,
    /// Paths known present here (`x != none implies …`, `x != none and …`, `x == none or …`).
    narrowed: Vec<String>,
    /// Typing a `check`'s call: the one place a validation function may be called.
    in_check: bool,
}

impl<'s, 'a> Typer<'s, 'a> {
    pub(crate) fn new(
        scope: &'s Scope<'a>,
        out: &'s mut Vec<Diagnostic>,
        used: &'s mut BTreeSet<String>,
        called: &'s mut BTreeSet<String>,
    ) -> Self {
        Typer {
            scope,
            out,
            used,
            called,
            locals: Vec::new(),
            narrowed: Vec::new(),
            in_check: false,
        }
    }

    /// Checks that `e` has a type assignable to `expected`.
    pub(crate) fn expect(&mut self, e: &Expr, expected: &Type, context: &str) -> Type {
        let t = self.infer(e);
        if !t.assignable_to(expected) {
            let (code, help) = match (&t, expected) {
                (Type::Optional(inner), _) if inner.assignable_to(expected) => (
                    &codes::OPTIONAL_MISUSE,
                    "the value may be absent: give a fallback with `??` or guard with `!= none implies …`",
                ),
                _ => (
                    &codes::TYPE_MISMATCH,
                    "change the expression or the declared type",
                ),
            };
            self.out.push(
                Diagnostic::new(code, format!("{context} must be `{expected}`, found `{t}`"))
                    .at_with(e.span, format!("this is `{t}`"))
                    .help(help),
            );
        }
        t
    }

    pub(crate) fn infer(&mut self, e: &Expr) -> Type {
        match &e.kind {
            ExprKind::Int(_) => Type::Int,
            ExprKind::Decimal(_) => Type::Decimal,
            ExprKind::Text(_) => Type::Text,
            ExprKind::Bool(_) => Type::Bool,
            ExprKind::None => Type::None,
            ExprKind::Date { .. } | ExprKind::Today => Type::Date,
            ExprKind::Duration(..) => Type::Duration,
            ExprKind::Name(name) => {
                let t = self.name(name);
                self.narrow(e, t)
            }
            ExprKind::Member(base, field) => {
                let t = self.member(base, field);
                self.narrow(e, t)
            }
            ExprKind::Index(base, index) => {
                let t = self.infer(base);
                self.expect(index, &Type::Int, "an index");
                match t {
                    Type::List(el) => *el,
                    Type::Error => Type::Error,
                    Type::Optional(_) => self.optional_misuse(base, &t),
                    other => {
                        self.out.push(
                            Diagnostic::new(
                                &codes::NOT_A_COLLECTION,
                                format!("cannot index a `{other}`"),
                            )
                            .at_with(base.span, "not a list")
                            .help("only lists can be indexed, as `list[0]`"),
                        );
                        Type::Error
                    }
                }
            }
            ExprKind::Not(inner) => {
                self.operand(inner, "not", |t| matches!(t, Type::Bool), "bool");
                Type::Bool
            }
            ExprKind::Neg(inner) => {
                let t = self.operand(inner, "-", Type::is_numeric_or_duration, "a number");
                if matches!(t, Type::Duration) {
                    Type::Duration
                } else if t == Type::Decimal {
                    t
                } else {
                    Type::Int
                }
            }
            ExprKind::Binary(op, l, r) => self.binary(*op, l, r, e),
            ExprKind::List(items) => {
                let mut element = Type::Error;
                for item in items {
                    let t = self.infer(item);
                    element = match (&element, &t) {
                        (Type::Error, _) => t,
                        (Type::None, other) | (other, Type::None) => other.clone().optional(),
                        (a, b) if b.assignable_to(a) => element,
                        (a, b) if a.assignable_to(b) => t,
                        _ => {
                            self.out.push(
                                Diagnostic::new(
                                    &codes::TYPE_MISMATCH,
                                    format!("list elements must have one type, found `{element}` and `{t}`"),
                                )
                                .at_with(item.span, format!("this is `{t}`"))
                                .help("write every element with the same type"),
                            );
                            element
                        }
                    };
                }
                Type::List(Box::new(element))
            }
            ExprKind::Record(fields) => {
                let mut seen = BTreeSet::new();
                let mut typed = Vec::new();
                for (name, value) in fields {
                    let t = self.infer(value);
                    if !seen.insert(name.name.clone()) {
                        self.out.push(
                            Diagnostic::new(
                                &codes::DUPLICATE_DEFINITION,
                                format!("field `{}` is given twice", name.name),
                            )
                            .at_with(name.span, "again here")
                            .help("give each field once"),
                        );
                        continue;
                    }
                    typed.push((name.name.clone(), t));
                }
                Type::Record(Arc::new(RecordType {
                    name: None,
                    fields: typed,
                }))
            }
            ExprKind::Call(call) => self.call(call, e),
        }
    }

    /// A path proved present is no longer optional.
    fn narrow(&self, e: &Expr, t: Type) -> Type {
        match t {
            Type::Optional(inner) if path_text(e).is_some_and(|p| self.narrowed.contains(&p)) => {
                *inner
            }
            t => t,
        }
    }

    fn name(&mut self, name: &Ident) -> Type {
        let n = name.name.as_str();
        if let Some((_, t)) = self.locals.iter().rev().find(|(l, _)| l == n) {
            return t.clone();
        }
        if let Some((t, _)) = self.scope.facts.get(n) {
            return t.clone();
        }
        if let Some((t, _)) = self
            .scope
            .values
            .get(n)
            .or_else(|| self.scope.params.get(n))
        {
            // Most rules read the same few parameters: no copy of a name already recorded.
            if !self.used.contains(n) {
                self.used.insert(n.to_owned());
            }
            return t.clone();
        }
        if self.scope.broken.contains(n) {
            return Type::Error;
        }
        let mut d = if self.scope.enums.contains_key(n) {
            Diagnostic::new(&codes::UNKNOWN_NAME, format!("enum `{n}` is not a value"))
                .at_with(name.span, "an enum, not a value")
                .help(format!(
                    "name one of its variants: `{n}.{}`",
                    self.scope.enums[n]
                        .first()
                        .map_or("variant", |v| v.as_str())
                ))
        } else {
            unknown(&codes::UNKNOWN_NAME, "name", name, self.candidates())
        };
        if d.help.is_none() {
            d = d.help("declare it as a fact, a `value` or a `param`");
        }
        self.out.push(d);
        Type::Error
    }

    fn candidates(&self) -> Vec<&str> {
        let mut c: Vec<&str> = self.locals.iter().map(|(n, _)| n.as_str()).collect();
        c.extend(self.scope.facts.keys().map(String::as_str));
        c.extend(self.scope.values.keys().map(String::as_str));
        c.extend(self.scope.params.keys().map(String::as_str));
        c
    }

    fn is_shadowed(&self, n: &str) -> bool {
        self.locals.iter().any(|(l, _)| l == n)
            || self.scope.facts.contains_key(n)
            || self.scope.values.contains_key(n)
            || self.scope.params.contains_key(n)
    }

    fn member(&mut self, base: &Expr, field: &Ident) -> Type {
        if let ExprKind::Name(enum_name) = &base.kind
            && let Some(variants) = self.scope.enums.get(&enum_name.name)
            && !self.is_shadowed(&enum_name.name)
        {
            if !variants.contains(&field.name) {
                let message = format!("enum `{}` has no variant `{}`", enum_name.name, field.name);
                self.out.push(missing(
                    &codes::UNKNOWN_VARIANT,
                    message,
                    field,
                    variants.iter().map(String::as_str),
                ));
            }
            return Type::Enum(enum_name.name.as_str().into());
        }
        let t = self.infer(base);
        let (record, optional) = match &t {
            Type::Record(r) => (r.clone(), false),
            Type::Optional(inner) => match &**inner {
                Type::Record(r) => (r.clone(), true),
                _ => return self.not_a_record(base, &t),
            },
            Type::Error => return Type::Error,
            _ => return self.not_a_record(base, &t),
        };
        match record.field(&field.name) {
            Some(ft) => {
                if optional {
                    ft.clone().optional()
                } else {
                    ft.clone()
                }
            }
            None => {
                // Anonymous record types are long: name the path instead when there is one.
                let shown = match (&record.name, path_text(base)) {
                    (None, Some(path)) => path,
                    _ => t.to_string(),
                };
                let message = format!("`{shown}` has no field `{}`", field.name);
                let names = record.fields.iter().map(|(n, _)| n.as_str());
                self.out
                    .push(missing(&codes::UNKNOWN_FIELD, message, field, names));
                Type::Error
            }
        }
    }

    fn not_a_record(&mut self, base: &Expr, t: &Type) -> Type {
        self.out.push(
            Diagnostic::new(
                &codes::NOT_A_RECORD,
                format!("cannot read a field of {} `{t}`", article(t)),
            )
            .at_with(base.span, format!("this is `{t}`"))
            .help("fields are read from records; enum values are written `enum_name.variant`"),
        );
        Type::Error
    }

    fn optional_misuse(&mut self, e: &Expr, t: &Type) -> Type {
        self.out.push(
            Diagnostic::new(&codes::OPTIONAL_MISUSE, format!("`{t}` may be absent here"))
                .at_with(e.span, "may be `none`")
                .help("give a fallback with `??` or guard with `!= none implies …`"),
        );
        Type::Error
    }

    /// Types an operand that must satisfy `ok`.
    fn operand(&mut self, e: &Expr, op: &str, ok: impl Fn(&Type) -> bool, wanted: &str) -> Type {
        let t = self.infer(e);
        if matches!(t, Type::Error) || ok(&t) {
            return t;
        }
        if let Type::Optional(inner) = &t
            && ok(inner)
        {
            return self.optional_misuse(e, &t);
        }
        self.out.push(
            Diagnostic::new(
                &codes::INVALID_OPERANDS,
                format!("`{op}` needs {wanted}, found `{t}`"),
            )
            .at_with(e.span, format!("this is `{t}`"))
            .help(format!("`{op}` works on {wanted}")),
        );
        Type::Error
    }

    fn binary(&mut self, op: BinOp, l: &Expr, r: &Expr, whole: &Expr) -> Type {
        use BinOp::*;
        let sym = op.symbol();
        match op {
            Implies | Or | And => {
                self.operand(l, sym, |t| *t == Type::Bool, "bool");
                // What the left side proves present holds while the right side is evaluated.
                let mut present = Vec::new();
                presence(l, op == Or, &mut present);
                let before = self.narrowed.len();
                self.narrowed.extend(present);
                self.operand(r, sym, |t| *t == Type::Bool, "bool");
                self.narrowed.truncate(before);
                Type::Bool
            }
            Eq | Ne => {
                let (lt, rt) = (self.infer(l), self.infer(r));
                if !lt.comparable(&rt) {
                    self.mismatch(whole, sym, &lt, &rt);
                }
                Type::Bool
            }
            Lt | Le | Gt | Ge => {
                let lt = self.operand(l, sym, Type::is_ordered, "a number, date, duration or text");
                let rt = self.operand(r, sym, Type::is_ordered, "a number, date, duration or text");
                if !(lt.comparable(&rt) || lt.is_numeric() && rt.is_numeric()) {
                    self.mismatch(whole, sym, &lt, &rt);
                }
                Type::Bool
            }
            In | NotIn => {
                let lt = self.infer(l);
                let rt = self.infer(r);
                match &rt {
                    Type::List(el) | Type::Set(el) => {
                        if !lt.comparable(el) {
                            self.mismatch(whole, sym, &lt, &rt);
                        }
                    }
                    Type::Error => {}
                    Type::Optional(_) => {
                        self.optional_misuse(r, &rt);
                    }
                    _ => self.out.push(
                        Diagnostic::new(
                            &codes::INVALID_OPERANDS,
                            format!("`{sym}` needs a list or set on its right, found `{rt}`"),
                        )
                        .at_with(r.span, format!("this is `{rt}`"))
                        .help("membership tests a value against a list or set"),
                    ),
                }
                Type::Bool
            }
            Coalesce => {
                let lt = self.infer(l);
                let rt = self.infer(r);
                match &lt {
                    Type::Optional(inner) => {
                        if !rt.assignable_to(inner) {
                            self.mismatch(whole, sym, &lt, &rt);
                        }
                        (**inner).clone()
                    }
                    Type::Error => rt,
                    // Proved present by a guard: the fallback is redundant, not wrong.
                    _ if path_text(l).is_some_and(|p| self.narrowed.contains(&p)) => lt,
                    _ => {
                        self.out.push(
                            Diagnostic::new(
                                &codes::INVALID_OPERANDS,
                                format!("`??` needs an optional value on its left, found `{lt}`"),
                            )
                            .at_with(l.span, "never absent")
                            .help("remove `??` and its fallback"),
                        );
                        lt
                    }
                }
            }
            Add | Sub | Mul | Div | Rem => self.arithmetic(op, l, r, whole),
        }
    }

    fn arithmetic(&mut self, op: BinOp, l: &Expr, r: &Expr, whole: &Expr) -> Type {
        use Type::*;
        let sym = op.symbol();
        let lt = self.operand(
            l,
            sym,
            |t| t.is_numeric() || matches!(t, Date | Duration | Text),
            "numbers, dates or durations",
        );
        let rt = self.operand(
            r,
            sym,
            |t| t.is_numeric() || matches!(t, Date | Duration | Text),
            "numbers, dates or durations",
        );
        match (op, &lt, &rt) {
            (_, Error, _) | (_, _, Error) => Error,
            (BinOp::Div, a, b) if a.is_numeric() && b.is_numeric() => Decimal,
            (BinOp::Rem, Int, Int) => Int,
            (BinOp::Rem, ..) => self.mismatch(whole, sym, &lt, &rt),
            (_, Int, Int) => Int,
            (_, a, b) if a.is_numeric() && b.is_numeric() => Decimal,
            (BinOp::Add | BinOp::Sub, Date, Duration) => Date,
            (BinOp::Add, Duration, Date) => Date,
            (BinOp::Sub, Date, Date) => Int,
            (BinOp::Add | BinOp::Sub, Duration, Duration) => Duration,
            (BinOp::Mul, Duration, Int) | (BinOp::Mul, Int, Duration) => Duration,
            (BinOp::Add, Text, Text) => Text,
            _ => self.mismatch(whole, sym, &lt, &rt),
        }
    }

    fn mismatch(&mut self, whole: &Expr, sym: &str, lt: &Type, rt: &Type) -> Type {
        self.out.push(
            Diagnostic::new(
                &codes::INVALID_OPERANDS,
                format!("`{sym}` cannot combine `{lt}` and `{rt}`"),
            )
            .at_with(whole.span, format!("`{lt}` {sym} `{rt}`"))
            .help("both sides must have compatible types"),
        );
        Type::Error
    }

    fn call(&mut self, call: &Call, whole: &Expr) -> Type {
        if let Some(alias) = &call.plugin {
            return self.plugin_call(alias, call, whole);
        }
        let f = call.function.name.as_str();
        if !BUILTIN_FUNCTIONS.contains(&f) {
            let mut d = unknown(
                &codes::UNKNOWN_FUNCTION,
                "function",
                &call.function,
                BUILTIN_FUNCTIONS.iter().copied(),
            );
            if d.help.is_none() {
                d = d.help(format!(
                    "builtins are {}; plugin functions are called as `plugin.function(…)`",
                    BUILTIN_FUNCTIONS.join(", ")
                ));
            }
            self.out.push(d);
            for a in &call.args {
                if let Arg::Expr(e) = a {
                    self.infer(e);
                }
            }
            return Type::Error;
        }
        if call.args.len() != 1 {
            self.out.push(
                Diagnostic::new(
                    &codes::WRONG_ARITY,
                    format!("`{f}` takes 1 argument, {} given", call.args.len()),
                )
                .at_with(whole.span, "wrong number of arguments")
                .help(format!(
                    "write `{f}(collection)` or `{f}(x in collection where condition)`"
                )),
            );
            return Type::Error;
        }
        if matches!(f, "done" | "date_of") {
            return self.step_function(f, &call.args[0]);
        }
        let element = match &call.args[0] {
            Arg::Expr(e) => self.collection(e),
            Arg::Comprehension(c) => self.comprehension(f, c),
        };
        let arg_span = match &call.args[0] {
            Arg::Expr(e) => e.span,
            Arg::Comprehension(c) => c.span,
        };
        if matches!(element, Type::Error) {
            return match f {
                "count" => Type::Int,
                "all" | "any" => Type::Bool,
                _ => Type::Error,
            };
        }
        let bad = |this: &mut Self, wanted: &str| {
            this.out.push(
                Diagnostic::new(
                    &codes::ARGUMENT_TYPE,
                    format!("`{f}` needs {wanted}, found elements of type `{element}`"),
                )
                .at_with(arg_span, format!("elements are `{element}`"))
                .help(format!("pass a collection of {wanted}")),
            );
            Type::Error
        };
        match f {
            "count" => Type::Int,
            "sum" if element.is_numeric() => element,
            "sum" => bad(self, "numbers"),
            "min" | "max" if element.is_ordered() => element.optional(),
            "min" | "max" => bad(self, "ordered values"),
            "all" | "any" if element == Type::Bool => Type::Bool,
            "all" | "any" => bad(self, "booleans"),
            _ => Type::Set(Box::new(element)),
        }
    }

    /// The element type of a collection argument.
    fn collection(&mut self, e: &Expr) -> Type {
        let t = self.infer(e);
        match t {
            Type::List(el) | Type::Set(el) => *el,
            Type::Error => Type::Error,
            Type::Optional(_) => self.optional_misuse(e, &t),
            other => {
                self.out.push(
                    Diagnostic::new(
                        &codes::NOT_A_COLLECTION,
                        format!("expected a list or set, found `{other}`"),
                    )
                    .at_with(e.span, format!("this is `{other}`"))
                    .help("collection functions take a list or set, or `x in collection where …`"),
                );
                Type::Error
            }
        }
    }

    /// Types a comprehension; returns the type of what it yields to the function.
    fn comprehension(&mut self, f: &str, c: &Comprehension) -> Type {
        let element = self.collection(&c.collection);
        self.locals.push((c.var.name.clone(), element.clone()));
        let filter = c
            .filter
            .as_ref()
            .map(|w| self.expect(w, &Type::Bool, "a `where` condition"));
        let yielded = match &c.element {
            Some(e) => self.infer(e),
            // `all(x in xs where p)` / `any(…)`: the condition is what is tested.
            None if matches!(f, "all" | "any") => filter.map_or(Type::Bool, |_| Type::Bool),
            None => element,
        };
        self.locals.pop();
        yielded
    }

    fn step_function(&mut self, f: &str, arg: &Arg) -> Type {
        let result = if f == "done" {
            Type::Bool
        } else {
            Type::Date.optional()
        };
        let name = match arg {
            Arg::Expr(Expr {
                kind: ExprKind::Name(n),
                ..
            }) => n,
            Arg::Expr(e) => {
                self.out.push(
                    Diagnostic::new(
                        &codes::ARGUMENT_TYPE,
                        format!("`{f}` takes the name of a step"),
                    )
                    .at_with(e.span, "not a step name")
                    .help(format!("write `{f}(step_name)`")),
                );
                return result;
            }
            Arg::Comprehension(c) => {
                self.out.push(
                    Diagnostic::new(
                        &codes::ARGUMENT_TYPE,
                        format!("`{f}` takes the name of a step"),
                    )
                    .at_with(c.span, "not a step name"),
                );
                return result;
            }
        };
        if !self.scope.nodes.contains_key(name.name.as_str())
            && !self.scope.broken.contains(&name.name)
        {
            let d = unknown(&codes::UNKNOWN_STEP, "step", name, self.scope.node_names());
            self.out.push(d);
        }
        result
    }

    /// Types the call of a `check` item: a plugin validation function with typed arguments.
    pub(crate) fn validation(&mut self, e: &Expr) {
        match &e.kind {
            ExprKind::Call(call) if call.plugin.is_some() => {
                self.in_check = true;
                self.infer(e);
                self.in_check = false;
            }
            _ => {
                self.infer(e);
                self.out.push(
                    Diagnostic::new(
                        &codes::VALIDATION_MISUSE,
                        "a `check` calls a plugin validation function",
                    )
                    .at_with(e.span, "not a plugin call")
                    .help("write `check name alias.function(arguments)`; conditions go in a rule's `expect`"),
                );
            }
        }
    }

    fn plugin_call(&mut self, alias: &Ident, call: &Call, whole: &Expr) -> Type {
        let Some(functions) = self.scope.plugins.get(&alias.name) else {
            let mut d = unknown(
                &codes::UNKNOWN_PLUGIN,
                "plugin",
                alias,
                self.scope.plugins.keys().map(String::as_str),
            );
            if self.scope.plugins.is_empty() {
                d = d.help("declare it in the region: `plugin alias \"package\" version \"^0.1\" { fn … }`");
            }
            self.out.push(d);
            return Type::Error;
        };
        let Some(sig) = functions.get(&call.function.name).cloned() else {
            let message = format!(
                "plugin `{}` declares no function `{}`",
                alias.name, call.function.name
            );
            let mut d = missing(
                &codes::UNKNOWN_FUNCTION,
                message,
                &call.function,
                functions.keys().map(String::as_str),
            );
            if d.help.is_none() {
                d = d.help("declare it in the plugin block with its signature");
            }
            self.out.push(d);
            return Type::Error;
        };
        self.called
            .insert(format!("{}.{}", alias.name, call.function.name));
        if sig.validation != std::mem::take(&mut self.in_check) {
            let name = format!("{}.{}", alias.name, call.function.name);
            self.out.push(if sig.validation {
                Diagnostic::new(
                    &codes::VALIDATION_MISUSE,
                    format!("`{name}` is a validation: it returns findings, not a value"),
                )
                .at_with(whole.span, "called in an expression")
                .help(format!("call it from a `check` item: `check name {name}(…)`"))
            } else {
                Diagnostic::new(
                    &codes::VALIDATION_MISUSE,
                    format!("a `check` calls `{name}`, which is not a validation"),
                )
                .at_with(whole.span, format!("returns `{}`, not findings", sig.ret))
                .help("declare the plugin function `-> findings`, or test its value in a rule's `expect`")
            });
        }
        let signature = sig
            .params
            .iter()
            .map(|(n, t)| format!("{n}: {t}"))
            .collect::<Vec<_>>()
            .join(", ");
        if call.args.len() != sig.params.len() {
            self.out.push(
                Diagnostic::new(
                    &codes::WRONG_ARITY,
                    format!(
                        "`{}.{}` takes {} argument{}, {} given",
                        alias.name,
                        call.function.name,
                        sig.params.len(),
                        if sig.params.len() == 1 { "" } else { "s" },
                        call.args.len()
                    ),
                )
                .at_with(whole.span, "wrong number of arguments")
                .help(format!(
                    "the declared signature is `{}({signature}) -> {}`",
                    call.function.name, sig.ret
                )),
            );
        }
        if call.args.len() != sig.params.len() {
            // Positions no longer match parameters: type the arguments, report nothing more.
            for arg in &call.args {
                if let Arg::Expr(e) = arg {
                    self.infer(e);
                }
            }
            return sig.ret;
        }
        for (arg, (pname, ptype)) in call.args.iter().zip(&sig.params) {
            match arg {
                Arg::Expr(e) => {
                    let t = self.infer(e);
                    if !t.assignable_to(ptype) {
                        self.out.push(
                            Diagnostic::new(
                                &codes::ARGUMENT_TYPE,
                                format!(
                                    "argument `{pname}` of `{}.{}` must be `{ptype}`, found `{t}`",
                                    alias.name, call.function.name
                                ),
                            )
                            .at_with(e.span, format!("this is `{t}`"))
                            .help(format!(
                                "the declared signature is `{}({signature}) -> {}`",
                                call.function.name, sig.ret
                            )),
                        );
                    }
                }
                Arg::Comprehension(c) => self.out.push(
                    Diagnostic::new(
                        &codes::ARGUMENT_TYPE,
                        format!("argument `{pname}` cannot be a comprehension"),
                    )
                    .at_with(c.span, "not a value")
                    .help("pass a fact or a value; filter inside a `value` declaration first"),
                ),
            }
        }
        for arg in call.args.iter().skip(sig.params.len()) {
            if let Arg::Expr(e) = arg {
                self.infer(e);
            }
        }
        sig.ret
    }
}

impl Type {
    fn is_numeric_or_duration(&self) -> bool {
        self.is_numeric() || matches!(self, Type::Duration)
    }
}

/// "a" or "an" before a type name as it is printed.
fn article(t: &Type) -> &'static str {
    let shown = t.to_string();
    if shown.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// `a.b.c` for a chain of names and fields, as written.
fn path_text(e: &Expr) -> Option<String> {
    match &e.kind {
        ExprKind::Name(n) => Some(n.name.clone()),
        ExprKind::Member(base, field) => Some(format!("{}.{}", path_text(base)?, field.name)),
        _ => None,
    }
}

/// Paths that `e` proves present when it is true (`negated`: when it is false).
fn presence(e: &Expr, negated: bool, out: &mut Vec<String>) {
    match &e.kind {
        ExprKind::Binary(BinOp::Ne, a, b) | ExprKind::Binary(BinOp::Eq, a, b) => {
            let is_ne = matches!(e.kind, ExprKind::Binary(BinOp::Ne, ..));
            // `x != none` proves `x` when true; `x == none` proves it when false.
            if is_ne != negated {
                let path = match (&a.kind, &b.kind) {
                    (_, ExprKind::None) => path_text(a),
                    (ExprKind::None, _) => path_text(b),
                    _ => None,
                };
                out.extend(path);
            }
        }
        ExprKind::Binary(BinOp::And, a, b) if !negated => {
            presence(a, false, out);
            presence(b, false, out);
        }
        ExprKind::Binary(BinOp::Or, a, b) if negated => {
            presence(a, true, out);
            presence(b, true, out);
        }
        ExprKind::Not(inner) => presence(inner, !negated, out),
        _ => {}
    }
}
