//! Declarations and checks shared by workflows and regions: facts, parameters, values, steps,
//! decisions, deadlines and rules.

use super::scope::{NodeInfo, RuleInfo, Scope, TypeDecl, duplicate, missing, unknown};
use super::typeck::Typer;
use crate::syntax::*;
use crate::types::Type;
use cpts_diag::{Diagnostic, Severity, Span, codes};
use std::collections::{BTreeMap, BTreeSet};

/// A checked workflow: its scope and what its rules (and its regions' rules) used.
pub(crate) struct CheckedWorkflow<'a> {
    pub scope: Scope<'a>,
    pub used: BTreeSet<String>,
    pub called: BTreeSet<String>,
    /// Parameters and values declared by the workflow and its regions.
    pub declared: Vec<(String, Span, &'static str)>,
    /// Plugin functions declared by its regions, as `alias.fn`.
    pub plugin_fns: Vec<(String, Span)>,
}

pub(crate) fn check_workflow<'a>(
    base: &Scope<'a>,
    wf: &'a Workflow,
    out: &mut Vec<Diagnostic>,
) -> CheckedWorkflow<'a> {
    let mut scope = base.clone();
    let mut seen: BTreeMap<&str, Span> = BTreeMap::new();
    for v in &wf.versions {
        if let Some(prev) = seen.insert(&v.id.value, v.id.span) {
            out.push(
                Diagnostic::new(
                    &codes::DUPLICATE_DEFINITION,
                    format!("version `{}` is declared twice", v.id.value),
                )
                .at_with(v.id.span, "declared again here")
                .label(prev, "first declared here")
                .help("each version id is declared once, oldest first"),
            );
        } else {
            scope.versions.push(v.id.value.clone());
        }
    }
    if wf.versions.is_empty() {
        out.push(
            Diagnostic::new(
                &codes::MISSING_VERSION,
                format!("workflow `{}` declares no version", wf.name.name),
            )
            .at_with(wf.name.span, "no `version` inside")
            .help("add `version \"id\" \"label\" source \"…\"`; project files pin this id"),
        );
    }
    require_source(&wf.attrs, "workflow", &wf.name, out);
    if wf.attrs.source.is_none()
        && let Some(version) = wf.versions.iter().rev().find(|v| v.attrs.source.is_some())
        && let Some(last) = out.last_mut()
    {
        let source = version.attrs.source.as_ref().unwrap();
        last.labels.push(cpts_diag::Label {
            span: source.span,
            message: format!("this `source` belongs to version `{}`", version.id.value),
        });
        last.help = Some(
            "a `source` right after a `version` is the version's own; give the workflow its own `source`".into(),
        );
    }
    let mut checked = CheckedWorkflow {
        scope,
        used: BTreeSet::new(),
        called: BTreeSet::new(),
        declared: Vec::new(),
        plugin_fns: Vec::new(),
    };
    declare_body(&mut checked, &wf.body, out);
    check_body(&mut checked, &wf.body, false, out);
    for (i, end) in wf.ends.iter().enumerate() {
        let this = Ident {
            name: String::new(),
            span: end.span,
        };
        check_prereq(&checked.scope, &end.after, &this, out);
        checked.scope.check_versions(&end.attrs, out);
        let present = checked.scope.presence(&end.attrs);
        if let Some(previous) = wf.ends[..i].iter().find(|p| {
            checked
                .scope
                .presence(&p.attrs)
                .iter()
                .zip(&present)
                .any(|(a, b)| *a && *b)
        }) {
            out.push(
                Diagnostic::new(&codes::DUPLICATE_DEFINITION, "two `end` declarations apply to the same version")
                    .at_with(end.span, "declared again here")
                    .label(previous.span, "first declared here")
                    .help("one `end` per version: limit them with `since`/`until`, or combine them with `all(…)`"),
            );
        }
    }
    checked
}

/// The resolved types of what `body` declares (facts, parameters, values).
pub(crate) fn declared_types(scope: &Scope, body: &Body) -> crate::check::ScopeTypes {
    let mut types = crate::check::ScopeTypes::new();
    let names = body
        .facts
        .iter()
        .map(|f| &f.name)
        .chain(body.params.iter().map(|p| &p.name));
    for name in names.chain(body.values.iter().map(|v| &v.name)) {
        let found = scope
            .facts
            .get(&name.name)
            .or_else(|| scope.params.get(&name.name))
            .or_else(|| scope.values.get(&name.name));
        if let Some((ty, _)) = found {
            types.insert(name.name.clone(), ty.clone());
        }
    }
    types
}

pub(crate) fn check_enum(e: &EnumDecl, out: &mut Vec<Diagnostic>) {
    let mut seen: BTreeMap<&str, Span> = BTreeMap::new();
    for v in &e.variants {
        if let Some(prev) = seen.insert(&v.name.name, v.name.span) {
            out.push(duplicate("variant", &v.name, prev));
        }
        if let Some(label) = &v.label {
            require_label(label, out);
        }
    }
}

/// Reports a missing `source` on `what` named `name`.
pub(crate) fn require_source(attrs: &Attrs, what: &str, name: &Ident, out: &mut Vec<Diagnostic>) {
    match &attrs.source {
        None => out.push(
            Diagnostic::new(
                &codes::MISSING_SOURCE,
                format!("{what} `{}` has no source", name.name),
            )
            .at_with(name.span, "needs `source \"…\"`")
            .help("cite the legal or conventional reference, e.g. `source \"CSP art. L1434-12\"`"),
        ),
        Some(s) if s.value.trim().is_empty() => out.push(
            Diagnostic::new(
                &codes::MISSING_SOURCE,
                format!("{what} `{}` has an empty source", name.name),
            )
            .at_with(s.span, "empty")
            .help("cite the legal or conventional reference"),
        ),
        Some(_) => {}
    }
}

/// A step without `source` whose last rule or deadline has one: that `source` was probably meant
/// for the step (after a rule or deadline, one `source` belongs to it). Say so on the diagnostic.
fn explain_taken_source(node: &Node, what: &str, out: &mut [Diagnostic]) {
    let inner = node
        .rules
        .iter()
        .map(|r| (&r.attrs, r.span, format!("rule `{}`", r.name.name)))
        .chain(
            node.deadlines
                .iter()
                .map(|d| (&d.attrs, d.span, "this deadline".to_owned())),
        );
    let Some((attrs, _, owner)) = inner.max_by_key(|(_, span, _)| span.end) else {
        return;
    };
    let (Some(source), Some(last)) = (&attrs.source, out.last_mut()) else {
        return;
    };
    if last.code == &codes::MISSING_SOURCE {
        last.labels.push(cpts_diag::Label {
            span: source.span,
            message: format!("this `source` belongs to {owner}"),
        });
        last.help = Some(format!(
            "a `source` right after a rule or deadline is that item's own; give {owner} its own `source`, or move the {what}'s `source` above its rules and deadlines"
        ));
    }
}

fn require_label(label: &Str, out: &mut Vec<Diagnostic>) {
    if label.value.trim().is_empty() {
        out.push(
            Diagnostic::new(&codes::EMPTY_MESSAGE, "empty label")
                .at_with(label.span, "says nothing")
                .help("write the French label users will read"),
        );
    }
}

/// Declares a fact, value or parameter name; they share one namespace.
fn declare_name(
    scope: &mut Scope,
    what: &'static str,
    name: &Ident,
    ty: Type,
    out: &mut Vec<Diagnostic>,
) -> bool {
    let n = name.name.as_str();
    let previous = scope
        .facts
        .get(n)
        .or_else(|| scope.values.get(n))
        .or_else(|| scope.params.get(n));
    if let Some((_, prev)) = previous {
        out.push(duplicate(what, name, *prev));
        return false;
    }
    let map = match what {
        "fact" => &mut scope.facts,
        "value" => &mut scope.values,
        _ => &mut scope.params,
    };
    map.insert(n.to_owned(), (ty, name.span));
    true
}

/// Adds a body's declarations to the scope, reporting duplicates.
pub(crate) fn declare_body<'a>(
    checked: &mut CheckedWorkflow<'a>,
    body: &'a Body,
    out: &mut Vec<Diagnostic>,
) {
    let scope = &mut checked.scope;
    for e in &body.enums {
        scope.declare_type(&e.name, TypeDecl::Enum(e), out);
        check_enum(e, out);
    }
    for r in &body.records {
        scope.declare_type(&r.name, TypeDecl::Record(r), out);
    }
    for block in &body.documents {
        if !scope.type_decls.contains_key("document") {
            scope
                .type_decls
                .insert("document".into(), TypeDecl::Enum(block));
        }
        declare_variants(&mut scope.documents, block, "document", out);
        scope
            .enums
            .insert("document".into(), scope.documents.keys().cloned().collect());
    }
    for block in &body.actors {
        declare_variants(&mut scope.actors, block, "actor", out);
    }
    for f in &body.facts {
        let ty = scope.resolve(&f.ty, out);
        declare_name(scope, "fact", &f.name, ty, out);
    }
    for p in &body.params {
        let ty = scope.resolve(&p.ty, out);
        if declare_name(scope, "parameter", &p.name, ty, out) {
            checked
                .declared
                .push((p.name.name.clone(), p.name.span, "parameter"));
        }
    }
    let scope = &mut checked.scope;
    for v in &body.values {
        let ty = scope.resolve(&v.ty, out);
        // Values are outputs too (shown by `status`), so an unread value is not reported.
        declare_name(scope, "value", &v.name, ty, out);
    }
    let scope = &mut checked.scope;
    for node in &body.nodes {
        if let Some(prev) = scope.nodes.get(node.name.name.as_str()) {
            let d = if prev.national {
                Diagnostic::new(
                    &codes::DUPLICATE_DEFINITION,
                    format!(
                        "step `{}` is already defined by the extended workflow",
                        node.name.name
                    ),
                )
                .at_with(node.name.span, "defined again here")
                .label(prev.span, "national definition")
                .help("to change a national step use `tighten`; to add one, choose a new name")
            } else {
                duplicate("step", &node.name, prev.span)
            };
            out.push(d);
            continue;
        }
        let info = NodeInfo {
            kind: node.kind,
            outcomes: node.outcomes.iter().map(|o| o.name.name.as_str()).collect(),
            span: node.name.span,
            present: scope.presence(&node.attrs),
            national: false,
        };
        scope.nodes.insert(&node.name.name, info);
    }
    let rules = body.nodes.iter().flat_map(|n| &n.rules).chain(&body.rules);
    for rule in rules {
        declare_rule(scope, rule, out);
    }
}

pub(crate) fn declare_rule<'a>(scope: &mut Scope<'a>, rule: &'a Rule, out: &mut Vec<Diagnostic>) {
    if let Some(prev) = scope.rules.get(rule.name.name.as_str()) {
        out.push(duplicate("rule", &rule.name, prev.span));
        return;
    }
    let info = RuleInfo {
        severity: rule.severity,
        span: rule.name.span,
        present: scope.presence(&rule.attrs),
    };
    scope.rules.insert(&rule.name.name, info);
}

fn declare_variants(
    map: &mut BTreeMap<String, Span>,
    block: &EnumDecl,
    what: &str,
    out: &mut Vec<Diagnostic>,
) {
    for v in &block.variants {
        if let Some(prev) = map.get(&v.name.name) {
            out.push(duplicate(what, &v.name, *prev));
        } else {
            map.insert(v.name.name.clone(), v.name.span);
        }
        if let Some(label) = &v.label {
            require_label(label, out);
        }
    }
}

/// Checks everything in a body against the (complete) scope.
pub(crate) fn check_body(
    checked: &mut CheckedWorkflow,
    body: &Body,
    in_region: bool,
    out: &mut Vec<Diagnostic>,
) {
    let CheckedWorkflow {
        scope,
        used,
        called,
        ..
    } = checked;
    let scope = &*scope;
    for r in &body.records {
        scope.check_record(r, out);
    }
    // What each parameter and value reads, for the cycle check.
    let mut reads: BTreeMap<&str, (Span, BTreeSet<String>)> = BTreeMap::new();
    for p in &body.params {
        let ty = scope
            .params
            .get(&p.name.name)
            .map_or(Type::Error, |(t, _)| t.clone());
        let mut read = BTreeSet::new();
        check_param_values(scope, &p.name, &ty, &p.values, &mut read, called, out);
        used.extend(read.iter().cloned());
        reads.insert(&p.name.name, (p.name.span, read));
    }
    for v in &body.values {
        let ty = scope
            .values
            .get(&v.name.name)
            .map_or(Type::Error, |(t, _)| t.clone());
        let context = format!("value `{}`", v.name.name);
        let mut read = BTreeSet::new();
        Typer::new(scope, out, &mut read, called).expect(&v.expr, &ty, &context);
        used.extend(read.iter().cloned());
        reads.insert(&v.name.name, (v.name.span, read));
        require_source(&v.attrs, "value", &v.name, out);
        scope.check_versions(&v.attrs, out);
        uncertain(&v.attrs, &v.name, out);
    }
    report_cycles(&reads, out);
    for node in &body.nodes {
        check_node(scope, node, in_region, used, called, out);
    }
    for rule in &body.rules {
        check_rule(scope, rule, used, called, out);
    }
    for c in &body.checks {
        check_check(scope, c, used, called, out);
    }
}

/// Reports each cycle among values and parameters once, at its first member in name order.
fn report_cycles(reads: &BTreeMap<&str, (Span, BTreeSet<String>)>, out: &mut Vec<Diagnostic>) {
    let mut reported: BTreeSet<&str> = BTreeSet::new();
    for &start in reads.keys() {
        if reported.contains(start) {
            continue;
        }
        // Depth-first search for a path from `start` back to itself.
        let mut stack: Vec<(&str, Vec<&str>)> = vec![(start, vec![start])];
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        while let Some((name, path)) = stack.pop() {
            let Some((_, next)) = reads.get(name) else {
                continue;
            };
            if next.contains(start) {
                reported.extend(path.iter().copied());
                let cycle = path.iter().chain([&start]).copied().collect::<Vec<_>>();
                out.push(
                    Diagnostic::new(
                        &codes::CYCLIC_DEFINITION,
                        format!("`{start}` is defined in terms of itself"),
                    )
                    .at_with(reads[start].0, "part of a cycle")
                    .note(format!("cycle: {}", cycle.join(" → ")))
                    .help(if cycle.len() == 2 {
                        "a value cannot be computed from itself: use facts or parameters"
                    } else {
                        "compute one of them from facts or parameters only"
                    }),
                );
                break;
            }
            for n in next.iter().rev() {
                if let Some((key, _)) = reads.get_key_value(n.as_str())
                    && seen.insert(key)
                {
                    let mut p = path.clone();
                    p.push(key);
                    stack.push((key, p));
                }
            }
        }
    }
}

fn uncertain(attrs: &Attrs, name: &Ident, out: &mut Vec<Diagnostic>) {
    if let Some(u) = &attrs.uncertain {
        out.push(
            Diagnostic::new(
                &codes::UNCERTAIN_VALUE,
                format!("`{}` is uncertain: {}", name.name, u.value),
            )
            .at_with(u.span, "marked uncertain"),
        );
    }
}

/// Checks the values of a parameter (or of a region's override of it).
pub(crate) fn check_param_values(
    scope: &Scope,
    name: &Ident,
    ty: &Type,
    values: &[ParamValue],
    used: &mut BTreeSet<String>,
    called: &mut BTreeSet<String>,
    out: &mut Vec<Diagnostic>,
) {
    let mut starts: BTreeMap<usize, Span> = BTreeMap::new();
    for value in values {
        let context = format!("the value of parameter `{}`", name.name);
        Typer::new(scope, out, used, called).expect(&value.expr, ty, &context);
        if value.attrs.source.is_none() {
            out.push(
                Diagnostic::new(
                    &codes::MISSING_SOURCE,
                    format!("a value of parameter `{}` has no source", name.name),
                )
                .at_with(value.span, "needs `source \"…\"`")
                .help("each value cites its own reference, e.g. the ACI article or the avenant"),
            );
        }
        uncertain(&value.attrs, name, out);
        scope.check_versions(&value.attrs, out);
        let start = match &value.attrs.since {
            None => 0,
            Some(s) => match scope.versions.iter().position(|v| *v == s.value) {
                Some(i) => i,
                None => continue,
            },
        };
        if let Some(prev) = starts.insert(start, value.span) {
            let version = scope
                .versions
                .get(start)
                .map_or("the first version", String::as_str);
            out.push(
                Diagnostic::new(
                    &codes::PARAM_VERSION,
                    format!("parameter `{}` has two values for `{version}`", name.name),
                )
                .at_with(value.span, "second value for the same version")
                .label(prev, "first value")
                .help("tag each value with the version it starts at: `since \"…\"`"),
            );
        }
    }
    if !values.is_empty()
        && !scope.versions.is_empty()
        && !starts.contains_key(&0)
        && !starts.is_empty()
    {
        out.push(
            Diagnostic::new(
                &codes::PARAM_VERSION,
                format!("parameter `{}` has no value for version `{}`", name.name, scope.versions[0]),
            )
            .at_with(name.span, "no value for the first version")
            .help("give a value without `since` (it applies from the first version), or one `since` it"),
        );
    }
}

fn check_node(
    scope: &Scope,
    node: &Node,
    in_region: bool,
    used: &mut BTreeSet<String>,
    called: &mut BTreeSet<String>,
    out: &mut Vec<Diagnostic>,
) {
    let what = if node.kind == NodeKind::Decision {
        "decision"
    } else {
        "step"
    };
    require_label(&node.label, out);
    require_source(&node.attrs, what, &node.name, out);
    if node.attrs.source.is_none() {
        explain_taken_source(node, what, out);
    }
    scope.check_versions(&node.attrs, out);
    for p in &node.after {
        check_prereq(scope, p, &node.name, out);
    }
    for target in &node.before {
        if !in_region {
            out.push(
                Diagnostic::new(
                    &codes::BEFORE_OUTSIDE_OVERLAY,
                    "`before` is only for region overlays",
                )
                .at_with(target.span, "in a national workflow")
                .help(format!(
                    "write `after {}` in step `{}` instead",
                    node.name.name, target.name
                )),
            );
        } else if !scope.nodes.contains_key(target.name.as_str())
            && !scope.broken.contains(&target.name)
        {
            out.push(unknown(
                &codes::OVERLAY_UNKNOWN_TARGET,
                "step",
                target,
                scope.node_names(),
            ));
        }
    }
    for actor in &node.actors {
        if !scope.actors.contains_key(&actor.name) {
            let mut d = unknown(
                &codes::UNKNOWN_ACTOR,
                "actor",
                actor,
                scope.actors.keys().map(String::as_str),
            );
            if d.help.is_none() {
                d = d.help("declare it in the workflow's `actors { … }` block");
            }
            out.push(d);
        }
    }
    if let Some(t) = &node.typical
        && t.min > t.max
    {
        out.push(
            Diagnostic::new(
                &codes::INVALID_RANGE,
                format!(
                    "typical duration {}..{} has its bounds reversed",
                    t.min, t.max
                ),
            )
            .at_with(t.span, "min is greater than max")
            .help(format!(
                "write `typical {}..{} {}`",
                t.max,
                t.min,
                t.unit.keyword()
            )),
        );
    }
    for d in node.produces.iter().chain(&node.requires) {
        check_data_ref(scope, d, out);
    }
    check_outcomes(scope, node, out);
    for d in &node.deadlines {
        let outcomes: Vec<&str> = node.outcomes.iter().map(|o| o.name.name.as_str()).collect();
        check_deadline(scope, d, node.kind, &node.name, &outcomes, out);
    }
    for rule in &node.rules {
        check_rule(scope, rule, used, called, out);
    }
    for c in &node.checks {
        check_check(scope, c, used, called, out);
    }
}

fn check_outcomes(scope: &Scope, node: &Node, out: &mut Vec<Diagnostic>) {
    if node.kind != NodeKind::Decision {
        return;
    }
    let mut seen: BTreeMap<&str, Span> = BTreeMap::new();
    for o in &node.outcomes {
        if let Some(prev) = seen.insert(&o.name.name, o.name.span) {
            out.push(duplicate("outcome", &o.name, prev));
        }
        if let Some(route) = &o.route
            && !scope.nodes.contains_key(route.name.as_str())
            && !scope.broken.contains(&route.name)
        {
            out.push(unknown(
                &codes::UNKNOWN_STEP,
                "step",
                route,
                scope.node_names(),
            ));
        }
        if let Some(label) = &o.label {
            require_label(label, out);
        }
    }
    if node.outcomes.len() < 2 {
        out.push(
            Diagnostic::new(
                &codes::DECISION_WITHOUT_OUTCOMES,
                format!(
                    "decision `{}` has {} outcome{}",
                    node.name.name,
                    node.outcomes.len(),
                    if node.outcomes.len() == 1 { "" } else { "s" }
                ),
            )
            .at_with(node.name.span, "needs at least two outcomes")
            .help("add the other outcomes (e.g. `outcome a_reprendre -> …`) or make it a `step`"),
        );
    }
    let given: Vec<_> = node.outcomes.iter().filter_map(|o| o.probability).collect();
    for (p, span) in &given {
        if !(0.0..=1.0).contains(p) {
            out.push(
                Diagnostic::new(
                    &codes::INVALID_PROBABILITY,
                    format!("probability {p} is not between 0 and 1"),
                )
                .at_with(*span, "out of range")
                .help("probabilities are written as decimals, e.g. `p 0.9`"),
            );
            return;
        }
    }
    if !given.is_empty() && given.len() < node.outcomes.len() {
        let missing = node
            .outcomes
            .iter()
            .find(|o| o.probability.is_none())
            .unwrap();
        out.push(
            Diagnostic::new(
                &codes::INVALID_PROBABILITY,
                format!("outcome `{}` has no probability", missing.name.name),
            )
            .at_with(missing.name.span, "missing `p …`")
            .help("give every outcome of the decision a probability, or none of them"),
        );
    } else if !given.is_empty() {
        let total: f64 = given.iter().map(|(p, _)| p).sum();
        if (total - 1.0).abs() > 1e-9 {
            out.push(
                Diagnostic::new(
                    &codes::INVALID_PROBABILITY,
                    format!(
                        "outcome probabilities of `{}` sum to {total}, not 1",
                        node.name.name
                    ),
                )
                .at_with(node.name.span, "probabilities do not sum to 1")
                .help("adjust the figures so that they sum to 1"),
            );
        }
    }
}

pub(crate) fn check_prereq(scope: &Scope, p: &Prereq, this: &Ident, out: &mut Vec<Diagnostic>) {
    match p {
        Prereq::Ref(r) => check_node_ref(scope, r, this, out),
        Prereq::All(items, span) | Prereq::Any(items, span) => {
            if items.is_empty() {
                let which = if matches!(p, Prereq::All(..)) {
                    "all"
                } else {
                    "any"
                };
                out.push(
                    Diagnostic::new(
                        &codes::EMPTY_ANY,
                        format!("`{which}()` lists no prerequisite"),
                    )
                    .at_with(*span, "empty")
                    .help("list the prerequisites, or remove `after` for a start step"),
                );
            }
            for item in items {
                check_prereq(scope, item, this, out);
            }
        }
    }
}

fn check_node_ref(scope: &Scope, r: &NodeRef, this: &Ident, out: &mut Vec<Diagnostic>) {
    if r.node.name == this.name {
        out.push(
            Diagnostic::new(
                &codes::SELF_PREREQUISITE,
                format!("`{}` depends on itself", this.name),
            )
            .at_with(r.node.span, "the step being defined")
            .help("name the step that really comes before"),
        );
        return;
    }
    let Some(info) = scope.nodes.get(r.node.name.as_str()) else {
        if !scope.broken.contains(&r.node.name) {
            out.push(unknown(
                &codes::UNKNOWN_STEP,
                "step",
                &r.node,
                scope.node_names(),
            ));
        }
        return;
    };
    if let Some(outcome) = &r.outcome {
        if info.kind != NodeKind::Decision {
            out.push(
                Diagnostic::new(
                    &codes::UNKNOWN_OUTCOME,
                    format!(
                        "`{}` is a step, not a decision: it has no outcome `{}`",
                        r.node.name, outcome.name
                    ),
                )
                .at_with(outcome.span, "steps have no outcomes")
                .help(format!("write `after {}`", r.node.name)),
            );
        } else if !info.outcomes.contains(&outcome.name.as_str()) {
            let message = format!(
                "decision `{}` has no outcome `{}`",
                r.node.name, outcome.name
            );
            let mut d = missing(
                &codes::UNKNOWN_OUTCOME,
                message,
                outcome,
                info.outcomes.iter().copied(),
            );
            d = d.note(format!("its outcomes are: {}", info.outcomes.join(", ")));
            out.push(d);
        }
    }
}

pub(crate) fn check_deadline(
    scope: &Scope,
    d: &Deadline,
    kind: NodeKind,
    owner: &Ident,
    outcomes: &[&str],
    out: &mut Vec<Diagnostic>,
) {
    check_node_ref(scope, &d.after, owner, out);
    if d.attrs.source.is_none() {
        out.push(
            Diagnostic::new(
                &codes::MISSING_SOURCE,
                format!("a deadline of `{}` has no source", owner.name),
            )
            .at_with(
                Span::new(
                    d.span.file,
                    d.span.start as usize,
                    d.span.start as usize + "deadline".len(),
                ),
                "needs `source \"…\"`",
            )
            .help("deadlines come from a text: cite it, e.g. `source \"CSP art. L1434-12\"`"),
        );
    }
    scope.check_versions(&d.attrs, out);
    uncertain(&d.attrs, d.name.as_ref().unwrap_or(owner), out);
    if let Some(effect) = &d.on_expiry {
        if kind != NodeKind::Decision {
            out.push(
                Diagnostic::new(&codes::INVALID_EXPIRY, "`on expiry` is only for decisions")
                    .at_with(effect.span, format!("`{}` is a step", owner.name))
                    .help("move the deadline into the decision whose outcome it sets, or drop `on expiry`"),
            );
        } else if !outcomes.contains(&effect.name.as_str()) {
            let message = format!(
                "decision `{}` has no outcome `{}` to take on expiry",
                owner.name, effect.name
            );
            let d = missing(
                &codes::INVALID_EXPIRY,
                message,
                effect,
                outcomes.iter().copied(),
            );
            out.push(d);
        }
    }
}

pub(crate) fn check_data_ref(scope: &Scope, d: &DataRef, out: &mut Vec<Diagnostic>) {
    match d {
        DataRef::Document(name) => {
            if !scope.documents.contains_key(&name.name) {
                let mut d = unknown(
                    &codes::UNKNOWN_DOCUMENT,
                    "document",
                    name,
                    scope.documents.keys().map(String::as_str),
                );
                if d.help.is_none() {
                    d = d.help("declare it in the workflow's `documents { … }` block");
                }
                out.push(d);
            }
        }
        DataRef::Fact(path) => {
            let Some((first, rest)) = path.split_first() else {
                return;
            };
            let Some((mut ty, _)) = scope.facts.get(&first.name).cloned() else {
                if !scope.broken.contains(&first.name) {
                    out.push(unknown(
                        &codes::UNKNOWN_NAME,
                        "fact",
                        first,
                        scope.facts.keys().map(String::as_str),
                    ));
                }
                return;
            };
            for segment in rest {
                let record = match &ty {
                    Type::Record(r) => r.clone(),
                    Type::Optional(inner) if matches!(**inner, Type::Record(_)) => match &**inner {
                        Type::Record(r) => r.clone(),
                        _ => unreachable!(),
                    },
                    Type::Error => return,
                    other => {
                        out.push(
                            Diagnostic::new(
                                &codes::NOT_A_RECORD,
                                format!("`{other}` has no fields"),
                            )
                            .at_with(segment.span, "no such field")
                            .help("a fact path follows record fields only"),
                        );
                        return;
                    }
                };
                match record.field(&segment.name) {
                    Some(t) => ty = t.clone(),
                    None => {
                        let so_far = path.iter().take_while(|p| !std::ptr::eq(*p, segment));
                        let so_far = so_far
                            .map(|p| p.name.as_str())
                            .collect::<Vec<_>>()
                            .join(".");
                        let message = format!("`{so_far}` has no field `{}`", segment.name);
                        out.push(missing(
                            &codes::UNKNOWN_FIELD,
                            message,
                            segment,
                            record.fields.iter().map(|(n, _)| n.as_str()),
                        ));
                        return;
                    }
                }
            }
        }
    }
}

pub(crate) fn check_rule(
    scope: &Scope,
    rule: &Rule,
    used: &mut BTreeSet<String>,
    called: &mut BTreeSet<String>,
    out: &mut Vec<Diagnostic>,
) {
    if rule.message.value.trim().is_empty() {
        out.push(
            Diagnostic::new(&codes::EMPTY_MESSAGE, format!("rule `{}` has an empty message", rule.name.name))
                .at_with(rule.message.span, "says nothing")
                .help("write, in French, what must hold, e.g. \"La CPTS doit réunir au moins deux professions\""),
        );
    }
    require_source(&rule.attrs, "rule", &rule.name, out);
    scope.check_versions(&rule.attrs, out);
    uncertain(&rule.attrs, &rule.name, out);
    Typer::new(scope, out, used, called).expect(&rule.expect, &Type::Bool, "a rule condition");
}

/// A `check`: its source, its versions, and a call of a plugin validation function.
pub(crate) fn check_check(
    scope: &Scope,
    check: &Check,
    used: &mut BTreeSet<String>,
    called: &mut BTreeSet<String>,
    out: &mut Vec<Diagnostic>,
) {
    if let Some(rule) = scope.rules.get(check.name.name.as_str()) {
        out.push(duplicate("check", &check.name, rule.span));
    }
    require_source(&check.attrs, "check", &check.name, out);
    scope.check_versions(&check.attrs, out);
    Typer::new(scope, out, used, called).validation(&check.call);
}

pub(crate) fn report_unused(checked: &CheckedWorkflow, out: &mut Vec<Diagnostic>) {
    for (name, span, what) in &checked.declared {
        if !checked.used.contains(name) {
            out.push(
                Diagnostic::new(
                    &codes::UNUSED_PARAM,
                    format!("{what} `{name}` is never used"),
                )
                .at_with(*span, "declared here")
                .help("use it in the rule that needs it, or delete it")
                .severity(Severity::Warning),
            );
        }
    }
    for (key, span) in &checked.plugin_fns {
        if !checked.called.contains(key) {
            out.push(
                Diagnostic::new(
                    &codes::UNUSED_PLUGIN_FUNCTION,
                    format!("plugin function `{key}` is never called"),
                )
                .at_with(*span, "declared here")
                .help("call it from a rule of the region, or remove the declaration"),
            );
        }
    }
}
