//! Data flow: a fact or document a step needs (`requires`, or read by one of its rules) must be
//! produced on every path that reaches the step — unless no step produces it, which makes it an
//! initial project fact. Testing presence (`x != none`, `x == none`, `x ?? fallback`) is not a read.

use super::Context;
use cpts_diag::{Diagnostic, Span, codes};
use cpts_lang::model::{Cond, NodeId};
use cpts_lang::syntax::{Arg, BinOp, DataRef, Expr, ExprKind};
use fixedbitset::FixedBitSet;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Bound;
use std::rc::Rc;

/// What is available before a node: shared (not copied) by a node that waits for a single node
/// producing nothing, which is most of them.
type Available = Option<Rc<FixedBitSet>>;

/// A read of a fact path or document by a node.
struct Read<'m> {
    key: String,
    span: Span,
    by_rule: Option<&'m str>,
    /// The computed value the fact is read through.
    through: Option<String>,
}

/// `document `x`` or `` `a.b` ``, as users write them.
fn shown(key: &str) -> String {
    match key.strip_prefix("document:") {
        Some(doc) => format!("document `{doc}`"),
        None => format!("`{}`", key.trim_start_matches("fact:")),
    }
}

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    // Every produced key gets a bit; a node's products are a bit set.
    let mut keys: BTreeMap<String, usize> = BTreeMap::new();
    let mut producers: BTreeMap<usize, Vec<NodeId>> = BTreeMap::new();
    let mut products = vec![FixedBitSet::new(); cx.model.nodes.len()];
    for (v, node) in cx.model.nodes.iter().enumerate() {
        for p in &node.produces {
            let k = key(p);
            let next = keys.len();
            let bit = *keys.entry(k).or_insert(next);
            producers.entry(bit).or_default().push(v);
            products[v].grow(bit + 1);
            products[v].insert(bit);
        }
    }
    if keys.is_empty() {
        return;
    }
    // Sets of different lengths combine as if padded with zeros: only producers' sets hold bits.
    let width = keys.len();
    // Available before each node: union over all-of, intersection over any-of.
    let mut before: Vec<Available> = vec![None; cx.model.nodes.len()];
    for &v in &cx.order {
        if !cx.live(v) {
            continue;
        }
        let set = match &cx.model.nodes[v].after {
            // After one node that produces nothing, what was available before it.
            Some(Cond::Done(n) | Cond::Outcome(n, _)) if products[*n].is_clear() => {
                match &before[*n] {
                    Some(set) => Rc::clone(set),
                    None => Rc::new(FixedBitSet::with_capacity(width)),
                }
            }
            after => {
                let mut set = FixedBitSet::with_capacity(width);
                if let Some(c) = after {
                    available(c, &before, &products, &mut set);
                }
                Rc::new(set)
            }
        };
        before[v] = Some(set);
    }
    let values = ValueReads::new(cx);
    let facts: HashSet<&str> = cx.model.facts.iter().map(|(n, _)| n.as_str()).collect();
    // Many rules read the same facts: the related keys of each read key are looked up once.
    let mut related: HashMap<String, Vec<usize>> = HashMap::default();
    for &v in &cx.order {
        let Some(avail) = &before[v] else { continue };
        let mut reported = BTreeSet::new();
        for read in reads(cx, v, &values, &facts) {
            if !related.contains_key(&read.key) {
                related.insert(read.key.clone(), related_keys(&keys, &read.key));
            }
            let relevant = &related[&read.key];
            if relevant.is_empty() {
                continue; // initial project data
            }
            let own = read.by_rule.is_some() && relevant.iter().any(|&b| products[v].contains(b));
            if own
                || relevant.iter().any(|&b| avail.contains(b))
                || !reported.insert(read.key.clone())
            {
                continue;
            }
            let names: BTreeSet<&str> = relevant
                .iter()
                .flat_map(|b| &producers[b])
                .map(|&p| cx.model.nodes[p].name.as_str())
                .collect();
            let names: Vec<&str> = names.into_iter().collect();
            let node = &cx.model.nodes[v];
            let who = match &read.by_rule {
                Some(rule) => format!("rule `{rule}` of `{}`", node.name),
                None => format!("`{}`", node.name),
            };
            let through = read
                .through
                .as_ref()
                .map_or(String::new(), |v| format!(" (through value `{v}`)"));
            let path = path_avoiding(cx, v, relevant, &before, &products);
            out.push(
                Diagnostic::new(
                    &codes::READ_BEFORE_WRITE,
                    format!("{who} reads {}{through}, which may not be produced yet", shown(&read.key)),
                )
                .at_with(read.span, "read here")
                .label(node.span, "in this step")
                .note(format!("produced by: {}", names.join(", ")))
                .note(format!("a run reaching `{}` without it: {}", node.name, path))
                .help(format!("make `{}` wait for {}, or stop producing it there if it is initial project data", node.name, names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(" or "))),
            );
        }
    }
    global_rules(cx, &keys, &products, &before, &values, &facts, out);
}

/// Workflow-level rules hold at any time, from the start of a project: reading data that a step
/// produces needs a guard (`done(step) implies …`, `not done(step) or …`) naming a step after
/// which the data exists.
fn global_rules(
    cx: &Context,
    keys: &BTreeMap<String, usize>,
    products: &[FixedBitSet],
    before: &[Available],
    values: &ValueReads,
    facts: &HashSet<&str>,
    out: &mut Vec<Diagnostic>,
) {
    let rules = cx.model.rules.iter().map(|r| (&r.expect, &r.name, r.span));
    let checks = cx.model.checks.iter().map(|c| (&c.call, &c.name, c.span));
    for (expr, name, rule_span) in rules.chain(checks) {
        let mut paths = Vec::new();
        let mut names = Vec::new();
        expr_reads(expr, facts, &mut Vec::new(), &mut paths, &mut names);
        for name in &names {
            for p in values.reads.get(name).into_iter().flatten() {
                paths.push((p.clone(), rule_span));
            }
        }
        let mut guards = Vec::new();
        collect_guards(expr, &mut guards);
        let guards: Vec<NodeId> = guards
            .iter()
            .filter_map(|g| cx.model.nodes.iter().position(|n| n.name == *g))
            .collect();
        let mut reported = BTreeSet::new();
        for (path, span) in paths {
            let key = format!("fact:{path}");
            let relevant = related_keys(keys, &key);
            if relevant.is_empty() {
                continue;
            }
            let guarded = guards.iter().any(|&g| {
                let mut avail = before[g].as_deref().cloned().unwrap_or_default();
                avail.union_with(&products[g]);
                relevant.iter().any(|&b| avail.contains(b))
            });
            if guarded || !reported.insert(key.clone()) {
                continue;
            }
            let mut producers: Vec<&str> = cx
                .model
                .nodes
                .iter()
                .enumerate()
                .filter(|(i, _)| relevant.iter().any(|&b| products[*i].contains(b)))
                .map(|(_, n)| n.name.as_str())
                .collect();
            producers.sort_unstable();
            out.push(
                Diagnostic::new(
                    &codes::READ_BEFORE_WRITE,
                    format!("workflow rule `{name}` reads {}, which no step has produced when a project starts", shown(&key)),
                )
                .at_with(span, "read here")
                .note(format!("produced by: {}", producers.join(", ")))
                .note("a workflow rule applies from the start of a project, before any step is done")
                .help(format!("guard it, e.g. `done({}) implies …`, or move the rule into the step that needs the data", producers.first().copied().unwrap_or("step"))),
            );
        }
    }
}

/// Steps a rule's condition only concerns once done: `done(x) implies …`, `not done(x) or …`.
fn collect_guards(e: &Expr, out: &mut Vec<String>) {
    match &e.kind {
        ExprKind::Binary(BinOp::Implies, lhs, _) => positive_done(lhs, out),
        ExprKind::Binary(BinOp::Or, a, b) => {
            for side in [a, b] {
                match &side.kind {
                    ExprKind::Not(inner) => positive_done(inner, out),
                    _ => collect_guards(side, out),
                }
            }
        }
        _ => {}
    }
}

fn positive_done(e: &Expr, out: &mut Vec<String>) {
    match &e.kind {
        ExprKind::Call(call) if call.plugin.is_none() && call.function.name == "done" => {
            if let Some(Arg::Expr(Expr {
                kind: ExprKind::Name(n),
                ..
            })) = call.args.first()
            {
                out.push(n.name.clone());
            }
        }
        ExprKind::Binary(BinOp::And, a, b) => {
            positive_done(a, out);
            positive_done(b, out);
        }
        _ => {}
    }
}

fn data_span(d: &DataRef) -> Option<Span> {
    match d {
        DataRef::Document(name) => Some(name.span),
        DataRef::Fact(path) => Some(path.first()?.span.to(path.last()?.span)),
    }
}

fn key(d: &DataRef) -> String {
    match d {
        DataRef::Document(name) => format!("document:{}", name.name),
        DataRef::Fact(path) => format!(
            "fact:{}",
            path.iter()
                .map(|i| i.name.as_str())
                .collect::<Vec<_>>()
                .join(".")
        ),
    }
}

/// The bits of the produced keys related to `read`: `fact:a.b` and `fact:a.b.c` concern the same
/// data; so do `fact:a` and `fact:a.b`. Looks up the read's own prefixes and the range of keys
/// under it, not every key: O(depth · log keys) per read.
fn related_keys(keys: &BTreeMap<String, usize>, read: &str) -> Vec<usize> {
    let mut out = Vec::new();
    // The read itself and the keys it lies under (`fact:a` for `fact:a.b`).
    for (i, _) in read.match_indices('.') {
        out.extend(keys.get(&read[..i]));
    }
    out.extend(keys.get(read));
    // The keys that lie under the read (`fact:a.b` for `fact:a`).
    let under = format!("{read}.");
    out.extend(
        keys.range::<str, _>((Bound::Included(under.as_str()), Bound::Unbounded))
            .take_while(|(k, _)| k.starts_with(&under))
            .map(|(_, &b)| b),
    );
    out
}

/// Adds to `acc` what is available once `cond` holds; false when `cond` can never hold (then
/// `acc` is unchanged). Union over all-of, intersection over any-of.
fn available(
    cond: &Cond,
    before: &[Available],
    products: &[FixedBitSet],
    acc: &mut FixedBitSet,
) -> bool {
    match cond {
        Cond::Done(n) | Cond::Outcome(n, _) => match &before[*n] {
            Some(set) => {
                acc.union_with(set);
                acc.union_with(&products[*n]);
                true
            }
            None => false,
        },
        Cond::All(cs) => {
            for c in cs {
                available(c, before, products, acc);
            }
            true
        }
        Cond::Any(cs) => {
            let mut common: Option<FixedBitSet> = None;
            for c in cs {
                let mut set = FixedBitSet::with_capacity(acc.len());
                if available(c, before, products, &mut set) {
                    match &mut common {
                        None => common = Some(set),
                        Some(common) => common.intersect_with(&set),
                    }
                }
            }
            common.is_some_and(|common| {
                acc.union_with(&common);
                true
            })
        }
    }
}

/// A run from a start to `v` in which none of `bits` is produced.
fn path_avoiding(
    cx: &Context,
    v: NodeId,
    bits: &[usize],
    before: &[Available],
    products: &[FixedBitSet],
) -> String {
    let lacks = |n: NodeId| {
        let mut s = before[n].as_deref().cloned().unwrap_or_default();
        s.union_with(&products[n]);
        !bits.iter().any(|&b| s.contains(b))
    };
    let mut events = vec![cx.model.nodes[v].name.clone()];
    let mut current = v;
    for _ in 0..cx.model.nodes.len() {
        let Some(cond) = &cx.model.nodes[current].after else {
            break;
        };
        let mut stack = vec![cond];
        let mut next = None;
        while let Some(c) = stack.pop() {
            match c {
                Cond::Done(n) if lacks(*n) => next = Some((*n, None)),
                Cond::Outcome(n, o) if lacks(*n) => next = Some((*n, Some(*o))),
                Cond::All(cs) | Cond::Any(cs) => stack.extend(cs.iter().rev()),
                _ => continue,
            }
            if next.is_some() {
                break;
            }
        }
        let Some((n, o)) = next else { break };
        events.push(cx.event(n, o));
        current = n;
    }
    events.reverse();
    events.join(" → ")
}

/// The fact paths each computed value reads, transitively through other values.
struct ValueReads {
    reads: BTreeMap<String, Vec<String>>,
}

impl ValueReads {
    fn new(cx: &Context) -> ValueReads {
        let facts: HashSet<&str> = cx.model.facts.iter().map(|(n, _)| n.as_str()).collect();
        let direct: BTreeMap<&str, (Vec<String>, Vec<String>)> = cx
            .model
            .values
            .iter()
            .map(|v| {
                let mut paths = Vec::new();
                let mut names = Vec::new();
                expr_reads(&v.expr, &facts, &mut Vec::new(), &mut paths, &mut names);
                (
                    v.name.as_str(),
                    (paths.into_iter().map(|(p, _)| p).collect(), names),
                )
            })
            .collect();
        let mut reads = BTreeMap::new();
        for &name in direct.keys() {
            let mut all = BTreeSet::new();
            let mut seen = BTreeSet::new();
            let mut stack = vec![name];
            while let Some(n) = stack.pop() {
                if !seen.insert(n) {
                    continue;
                }
                if let Some((paths, names)) = direct.get(n) {
                    all.extend(paths.iter().cloned());
                    stack.extend(names.iter().map(String::as_str));
                }
            }
            reads.insert(name.to_owned(), all.into_iter().collect());
        }
        ValueReads { reads }
    }
}

fn reads<'m>(
    cx: &Context<'m>,
    v: NodeId,
    values: &ValueReads,
    facts: &HashSet<&str>,
) -> Vec<Read<'m>> {
    let node = &cx.model.nodes[v];
    let mut out: Vec<Read> = node
        .requires
        .iter()
        .map(|r| Read {
            key: key(r),
            span: data_span(r).unwrap_or(node.span),
            by_rule: None,
            through: None,
        })
        .collect();
    // What rules read, and what checks pass to their validation functions.
    let rules = node.rules.iter().map(|r| (&r.expect, &r.name, r.span));
    let checks = node.checks.iter().map(|c| (&c.call, &c.name, c.span));
    for (expr, rule, rule_span) in rules.chain(checks) {
        let mut paths = Vec::new();
        let mut names = Vec::new();
        expr_reads(expr, facts, &mut Vec::new(), &mut paths, &mut names);
        for (p, span) in paths {
            out.push(Read {
                key: format!("fact:{p}"),
                span,
                by_rule: Some(rule),
                through: None,
            });
        }
        for name in names {
            for p in values.reads.get(&name).into_iter().flatten() {
                out.push(Read {
                    key: format!("fact:{p}"),
                    span: rule_span,
                    by_rule: Some(rule),
                    through: Some(name.clone()),
                });
            }
        }
    }
    out
}

/// Collects fact paths read by `e` (with spans) and the other names it uses (values).
fn expr_reads(
    e: &Expr,
    facts: &HashSet<&str>,
    locals: &mut Vec<String>,
    paths: &mut Vec<(String, Span)>,
    names: &mut Vec<String>,
) {
    let mut reader = Reader {
        facts,
        locals,
        guarded: Vec::new(),
        paths,
        names,
    };
    reader.read(e);
}

/// Walks an expression for what it reads. Comprehension variables are `locals`; paths proved
/// present by a guard (`x != none implies …`) are `guarded`: reading them tolerates absence.
struct Reader<'r, 'f> {
    facts: &'r HashSet<&'f str>,
    locals: &'r mut Vec<String>,
    guarded: Vec<String>,
    paths: &'r mut Vec<(String, Span)>,
    names: &'r mut Vec<String>,
}

impl Reader<'_, '_> {
    fn read(&mut self, e: &Expr) {
        if let Some(path) = fact_path(e, self.facts, self.locals) {
            if !self.guarded.contains(&path) {
                self.paths.push((path, e.span));
            }
            return;
        }
        match &e.kind {
            ExprKind::Name(n) if !self.locals.contains(&n.name) => self.names.push(n.name.clone()),
            ExprKind::Member(base, _) | ExprKind::Not(base) | ExprKind::Neg(base) => {
                self.read(base)
            }
            ExprKind::Index(a, b) => {
                self.read(a);
                self.read(b);
            }
            // Presence tests do not need the value.
            ExprKind::Binary(BinOp::Eq | BinOp::Ne, a, b)
                if matches!(b.kind, ExprKind::None) || matches!(a.kind, ExprKind::None) => {}
            ExprKind::Binary(BinOp::Coalesce, _, fallback) => self.read(fallback),
            ExprKind::Binary(op @ (BinOp::Implies | BinOp::And | BinOp::Or), a, b) => {
                self.read(a);
                let before = self.guarded.len();
                let mut present = Vec::new();
                presence(a, *op == BinOp::Or, self.facts, &mut present);
                self.guarded.extend(present);
                self.read(b);
                self.guarded.truncate(before);
            }
            ExprKind::Binary(_, a, b) => {
                self.read(a);
                self.read(b);
            }
            ExprKind::List(items) => items.iter().for_each(|i| self.read(i)),
            ExprKind::Record(fields) => fields.iter().for_each(|(_, f)| self.read(f)),
            ExprKind::Call(call) => {
                // `done(step)` and `date_of(step)` read the journal, not facts.
                if call.plugin.is_none()
                    && matches!(call.function.name.as_str(), "done" | "date_of")
                {
                    return;
                }
                for arg in &call.args {
                    match arg {
                        Arg::Expr(e) => self.read(e),
                        Arg::Comprehension(c) => {
                            self.read(&c.collection);
                            self.locals.push(c.var.name.clone());
                            if let Some(el) = &c.element {
                                self.read(el);
                            }
                            if let Some(f) = &c.filter {
                                self.read(f);
                            }
                            self.locals.pop();
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

/// Fact paths that `e` proves present when true (`negated`: when false), as the type checker
/// narrows them.
fn presence(e: &Expr, negated: bool, facts: &HashSet<&str>, out: &mut Vec<String>) {
    match &e.kind {
        ExprKind::Binary(op @ (BinOp::Ne | BinOp::Eq), a, b) if (*op == BinOp::Ne) != negated => {
            let tested = match (&a.kind, &b.kind) {
                (_, ExprKind::None) => a,
                (ExprKind::None, _) => b,
                _ => return,
            };
            out.extend(fact_path(tested, facts, &[]));
        }
        ExprKind::Binary(BinOp::And, a, b) if !negated => {
            presence(a, false, facts, out);
            presence(b, false, facts, out);
        }
        ExprKind::Binary(BinOp::Or, a, b) if negated => {
            presence(a, true, facts, out);
            presence(b, true, facts, out);
        }
        ExprKind::Not(inner) => presence(inner, !negated, facts, out),
        _ => {}
    }
}

/// `a.b.c` when `a` is a fact (not shadowed by a comprehension variable).
fn fact_path(e: &Expr, facts: &HashSet<&str>, locals: &[String]) -> Option<String> {
    match &e.kind {
        ExprKind::Name(n) if facts.contains(n.name.as_str()) && !locals.contains(&n.name) => {
            Some(n.name.clone())
        }
        ExprKind::Member(base, field) => Some(format!(
            "{}.{}",
            fact_path(base, facts, locals)?,
            field.name
        )),
        _ => None,
    }
}
