//! The model: one workflow, resolved for one version, with at most one region overlay applied.
//! References are indices; items absent from the version are gone; `before`, `tighten`,
//! `override` and `drop` are applied. This is what the engine compiles and executes.
//!
//! Build models only from a [`Checked`] without errors: references are assumed to resolve.

use crate::check::Checked;
use crate::syntax::{
    self, Attrs, DataRef, Expr, Item, NodeKind, Prereq, RuleSeverity, Typical, Unit,
};
use crate::types::Type;
use cpts_diag::{Diagnostic, Span, codes};
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Where an item comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// The national workflow.
    National,
    /// The region overlay of that name.
    Region(String),
}

/// A resolved workflow.
#[derive(Clone, Debug)]
pub struct Model {
    /// Workflow name.
    pub workflow: String,
    /// Workflow label.
    pub label: String,
    /// The version it is resolved for.
    pub version: String,
    /// The region overlay applied, with its label.
    pub region: Option<(String, String)>,
    /// Steps and decisions; indices are [`NodeId`]s.
    pub nodes: Vec<Node>,
    /// When the workflow is complete (`None`: every node nothing waits for).
    pub end: Option<Cond>,
    /// Where `end` is declared.
    pub end_span: Option<Span>,
    /// Rules not tied to a step.
    pub rules: Vec<Rule>,
    /// Plugin validation checks not tied to a step.
    pub checks: Vec<Check>,
    /// Parameters with the value for this version.
    pub params: Vec<Param>,
    /// Computed values.
    pub values: Vec<Value>,
    /// The facts schema.
    pub facts: Vec<(String, Type)>,
    /// Declared documents with labels.
    pub documents: Vec<(String, Option<String>)>,
    /// Every enum visible to the workflow (`document` included) with its variants.
    pub enums: BTreeMap<String, Vec<String>>,
    /// Declared actors with their labels.
    pub actors: Vec<(String, Option<String>)>,
    /// Plugins the region overlay declares, with their functions' resolved signatures.
    pub plugins: Vec<PluginDecl>,
}

/// `plugin alias "package" version "req" { fn … }`, resolved.
#[derive(Clone, Debug, PartialEq)]
pub struct PluginDecl {
    /// How rules call it (`bfc`).
    pub alias: String,
    /// Its package name (`bourgogne-franche-comte`).
    pub package: String,
    /// The version requirement (`^0.1`).
    pub version: String,
    /// Where the requirement is written.
    pub version_span: Span,
    /// The whole declaration.
    pub span: Span,
    /// Declared functions.
    pub functions: Vec<PluginFunction>,
}

/// A declared plugin function.
#[derive(Clone, Debug, PartialEq)]
pub struct PluginFunction {
    /// Its name.
    pub name: String,
    /// Parameters, with resolved types.
    pub params: Vec<(String, Type)>,
    /// The result type (`Type::Error` for a validation).
    pub ret: Type,
    /// Declared `-> findings`: a validation, called by `check` items.
    pub validation: bool,
    /// Where it is declared.
    pub span: Span,
}

impl PluginDecl {
    /// The function called `name`.
    pub fn function(&self, name: &str) -> Option<&PluginFunction> {
        self.functions.iter().find(|f| f.name == name)
    }
}

/// Index of a node in [`Model::nodes`].
pub type NodeId = usize;

/// A prerequisite condition over nodes and outcomes.
#[derive(Clone, Debug, PartialEq)]
pub enum Cond {
    /// The node is done (for a decision: one of its forward outcomes was taken).
    Done(NodeId),
    /// The decision took this outcome (index into its outcomes).
    Outcome(NodeId, usize),
    /// All of them.
    All(Vec<Cond>),
    /// At least one of them.
    Any(Vec<Cond>),
}

impl Cond {
    /// Every node the condition mentions.
    pub fn nodes(&self, out: &mut Vec<NodeId>) {
        match self {
            Cond::Done(n) | Cond::Outcome(n, _) => out.push(*n),
            Cond::All(cs) | Cond::Any(cs) => cs.iter().for_each(|c| c.nodes(out)),
        }
    }
}

/// A step or decision.
#[derive(Clone, Debug)]
pub struct Node {
    /// Name.
    pub name: String,
    /// French label.
    pub label: String,
    /// Step or decision.
    pub kind: NodeKind,
    /// Prerequisites (`None`: a start node).
    pub after: Option<Cond>,
    /// Actors.
    pub actors: Vec<String>,
    /// Typical duration.
    pub typical: Option<Typical>,
    /// Produced documents and facts.
    pub produces: Vec<DataRef>,
    /// Required documents and facts.
    pub requires: Vec<DataRef>,
    /// Outcomes (decisions).
    pub outcomes: Vec<Outcome>,
    /// Deadlines.
    pub deadlines: Vec<Deadline>,
    /// Rules that must hold before the node is done.
    pub rules: Vec<Rule>,
    /// Its plugin validation checks.
    pub checks: Vec<Check>,
    /// Source.
    pub source: Option<String>,
    /// National or regional.
    pub origin: Origin,
    /// The process may skip it.
    pub optional: bool,
    /// Where the name is declared.
    pub span: Span,
}

/// A decision outcome.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// Name.
    pub name: String,
    /// Label.
    pub label: Option<String>,
    /// Probability.
    pub probability: Option<f64>,
    /// Rework: the node the workflow goes back to.
    pub route: Option<NodeId>,
    /// Where.
    pub span: Span,
}

/// The event a deadline counts from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Event {
    /// The node.
    pub node: NodeId,
    /// The outcome, for decisions.
    pub outcome: Option<usize>,
}

/// A deadline on a node.
#[derive(Clone, Debug)]
pub struct Deadline {
    /// Name.
    pub name: Option<String>,
    /// How many units.
    pub amount: u32,
    /// Unit.
    pub unit: Unit,
    /// From when.
    pub anchor: Event,
    /// Outcome taken on expiry.
    pub on_expiry: Option<usize>,
    /// Source.
    pub source: Option<String>,
    /// National or regional.
    pub origin: Origin,
    /// Where.
    pub span: Span,
}

/// A rule.
#[derive(Clone, Debug)]
pub struct Rule {
    /// Id.
    pub name: String,
    /// Severity.
    pub severity: RuleSeverity,
    /// French message.
    pub message: String,
    /// The condition that must hold (shared with the syntax tree).
    pub expect: Arc<Expr>,
    /// Source.
    pub source: Option<String>,
    /// National or regional (a regional override is regional).
    pub origin: Origin,
    /// Where.
    pub span: Span,
}

/// A plugin validation check resolved for the version: its findings are verdicts.
#[derive(Clone, Debug)]
pub struct Check {
    /// Id.
    pub name: String,
    /// The call of the validation function (shared with the syntax tree).
    pub call: Arc<Expr>,
    /// Source.
    pub source: Option<String>,
    /// National or regional.
    pub origin: Origin,
    /// Where.
    pub span: Span,
}

/// A parameter resolved for the version.
#[derive(Clone, Debug)]
pub struct Param {
    /// Name.
    pub name: String,
    /// Label.
    pub label: Option<String>,
    /// Type.
    pub ty: Type,
    /// The value for this version (shared with the syntax tree).
    pub value: Arc<Expr>,
    /// Its source.
    pub source: Option<String>,
    /// Why it is uncertain.
    pub uncertain: Option<String>,
    /// National or regional (a regional override is regional).
    pub origin: Origin,
}

/// A computed value.
#[derive(Clone, Debug)]
pub struct Value {
    /// Name.
    pub name: String,
    /// Label.
    pub label: Option<String>,
    /// Type.
    pub ty: Type,
    /// How it is computed (shared with the syntax tree).
    pub expr: Arc<Expr>,
    /// Source.
    pub source: Option<String>,
    /// National or regional.
    pub origin: Origin,
}

/// A (workflow, version, region) a model can be built for.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Target {
    /// Workflow name.
    pub workflow: String,
    /// Version id.
    pub version: String,
    /// Region name.
    pub region: Option<String>,
}

/// Every target of the checked program: each workflow version, alone and with each region that
/// applies to it.
pub fn targets(checked: &Checked) -> Vec<Target> {
    let mut out = Vec::new();
    let (workflows, regions) = items(checked);
    for wf in workflows.values() {
        for v in &wf.versions {
            out.push(Target {
                workflow: wf.name.name.clone(),
                version: v.id.value.clone(),
                region: None,
            });
            for r in regions.values().filter(|r| r.extends.name == wf.name.name) {
                if r.versions.is_empty() || r.versions.iter().any(|rv| rv.value == v.id.value) {
                    out.push(Target {
                        workflow: wf.name.name.clone(),
                        version: v.id.value.clone(),
                        region: Some(r.name.name.clone()),
                    });
                }
            }
        }
    }
    out
}

type Items<'a> = (
    BTreeMap<&'a str, &'a syntax::Workflow>,
    BTreeMap<&'a str, &'a syntax::Region>,
);

fn items(checked: &Checked) -> Items<'_> {
    let mut workflows = BTreeMap::new();
    let mut regions = BTreeMap::new();
    for (_, file) in &checked.files {
        for item in &file.items {
            match item {
                Item::Workflow(w) => {
                    workflows.entry(w.name.name.as_str()).or_insert(&**w);
                }
                Item::Region(r) => {
                    regions.entry(r.name.name.as_str()).or_insert(&**r);
                }
                _ => {}
            }
        }
    }
    (workflows, regions)
}

/// Builds the model of `target`. Returns it with the problems found while resolving versions
/// (a present item waiting for an absent one); an unknown target is an error.
pub fn build(
    checked: &Checked,
    target: &Target,
) -> Result<(Model, Vec<Diagnostic>), Box<Diagnostic>> {
    let (workflows, regions) = items(checked);
    let wf = workflows.get(target.workflow.as_str()).ok_or_else(|| {
        Diagnostic::new(
            &codes::UNKNOWN_WORKFLOW,
            format!("unknown workflow `{}`", target.workflow),
        )
        .note(format!(
            "workflows: {}",
            workflows.keys().copied().collect::<Vec<_>>().join(", ")
        ))
    })?;
    let versions: Vec<String> = wf.versions.iter().map(|v| v.id.value.clone()).collect();
    let version = versions
        .iter()
        .position(|v| *v == target.version)
        .ok_or_else(|| {
            Diagnostic::new(
                &codes::UNKNOWN_VERSION,
                format!("unknown version `{}`", target.version),
            )
            .note(format!(
                "versions of `{}`: {}",
                target.workflow,
                versions.join(", ")
            ))
        })?;
    let region = match &target.region {
        None => None,
        Some(name) => Some(
            *regions
                .get(name.as_str())
                .filter(|r| r.extends.name == wf.name.name)
                .ok_or_else(|| {
                    Diagnostic::new(
                        &codes::UNKNOWN_REGION,
                        format!("no region `{name}` extends `{}`", target.workflow),
                    )
                    .note(format!(
                        "regions: {}",
                        regions.keys().copied().collect::<Vec<_>>().join(", ")
                    ))
                })?,
        ),
    };
    let types = checked.types.get(&target.workflow);
    let region_types = target.region.as_ref().and_then(|r| checked.types.get(r));
    let mut enums: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let variants = |e: &syntax::EnumDecl| {
        e.variants
            .iter()
            .map(|v| v.name.name.clone())
            .collect::<Vec<_>>()
    };
    for (_, file) in &checked.files {
        for item in &file.items {
            if let Item::Enum(e) = item {
                enums.insert(e.name.name.clone(), variants(e));
            }
        }
    }
    let mut actors = Vec::new();
    for body in std::iter::once(&wf.body).chain(region.map(|r| &r.body)) {
        for block in &body.actors {
            actors.extend(block.variants.iter().map(|v| {
                (
                    v.name.name.clone(),
                    v.label.as_ref().map(|l| l.value.clone()),
                )
            }));
        }
        for e in &body.enums {
            enums.insert(e.name.name.clone(), variants(e));
        }
        for d in &body.documents {
            enums
                .entry("document".into())
                .or_default()
                .extend(variants(d));
        }
    }
    let mut builder = Builder {
        versions: &versions,
        version,
        nodes: FxHashMap::default(),
        outcomes: FxHashMap::default(),
        types: [types, region_types].into_iter().flatten().collect(),
        problems: Vec::new(),
    };
    let (mut model, problems) = builder.build(wf, region, target);
    model.enums = enums;
    model.actors = actors;
    model.plugins = target
        .region
        .as_ref()
        .and_then(|r| checked.plugins.get(r))
        .cloned()
        .unwrap_or_default();
    Ok((model, problems))
}

struct Builder<'a> {
    versions: &'a [String],
    version: usize,
    /// Every node present by name (a hash map: references are looked up once per condition).
    nodes: FxHashMap<&'a str, NodeId>,
    /// Outcomes of every node present, to resolve `decision.outcome`.
    outcomes: FxHashMap<&'a str, &'a [syntax::Outcome]>,
    /// Resolved types of the workflow's (and region's) facts, parameters and values.
    types: Vec<&'a crate::check::ScopeTypes>,
    problems: Vec<Diagnostic>,
}

impl<'a> Builder<'a> {
    fn present(&self, attrs: &Attrs) -> bool {
        let index = |s: &Option<syntax::Str>| {
            s.as_ref()
                .and_then(|s| self.versions.iter().position(|v| *v == s.value))
        };
        let since = index(&attrs.since).unwrap_or(0);
        let until = index(&attrs.until).unwrap_or(usize::MAX);
        since <= self.version && self.version <= until
    }

    fn build(
        &mut self,
        wf: &'a syntax::Workflow,
        region: Option<&'a syntax::Region>,
        target: &Target,
    ) -> (Model, Vec<Diagnostic>) {
        let regional = || Origin::Region(region.map(|r| r.name.name.clone()).unwrap_or_default());
        // Nodes first, so that references resolve to indices.
        let mut declared: Vec<(&'a syntax::Node, Origin)> = Vec::new();
        for n in wf.body.nodes.iter().filter(|n| self.present(&n.attrs)) {
            declared.push((n, Origin::National));
        }
        for n in region
            .iter()
            .flat_map(|r| &r.body.nodes)
            .filter(|n| self.present(&n.attrs))
        {
            declared.push((n, regional()));
        }
        self.nodes.reserve(declared.len());
        self.outcomes.reserve(declared.len());
        for (i, (n, _)) in declared.iter().enumerate() {
            self.nodes.insert(&n.name.name, i);
            self.outcomes.insert(&n.name.name, &n.outcomes);
        }
        let mut nodes: Vec<Node> = declared
            .iter()
            .map(|(n, origin)| self.node(n, origin.clone()))
            .collect();

        let mut rules: Vec<Rule> = self.rules(&wf.body.rules, &Origin::National);
        let mut checks: Vec<Check> = self.checks(&wf.body.checks, &Origin::National);
        let mut params: Vec<Param> = wf
            .body
            .params
            .iter()
            .filter_map(|p| self.param(p, &p.values, Origin::National))
            .collect();
        let mut values: Vec<Value> = self.values(&wf.body.values, Origin::National);
        let mut facts = Vec::new();
        let mut documents = Vec::new();
        let mut bodies = vec![&wf.body];
        if let Some(r) = region {
            bodies.push(&r.body);
            rules.extend(self.rules(&r.body.rules, &regional()));
            checks.extend(self.checks(&r.body.checks, &regional()));
            params.extend(
                r.body
                    .params
                    .iter()
                    .filter_map(|p| self.param(p, &p.values, regional())),
            );
            values.extend(self.values(&r.body.values, regional()));
            self.apply(r, &mut nodes, &mut rules, &mut params, regional());
        }
        for body in bodies {
            for f in &body.facts {
                facts.push((f.name.name.clone(), self.type_of(&f.name.name)));
            }
            for block in &body.documents {
                documents.extend(block.variants.iter().map(|v| {
                    (
                        v.name.name.clone(),
                        v.label.as_ref().map(|l| l.value.clone()),
                    )
                }));
            }
        }
        let declared_end = wf.ends.iter().find(|e| self.present(&e.attrs));
        let end = declared_end.and_then(|e| self.cond(&e.after));
        let model = Model {
            workflow: target.workflow.clone(),
            label: wf.label.value.clone(),
            version: target.version.clone(),
            region: region.map(|r| (r.name.name.clone(), r.label.value.clone())),
            nodes,
            end,
            end_span: declared_end.map(|e| e.span),
            rules,
            checks,
            params,
            values,
            facts,
            documents,
            enums: BTreeMap::new(),
            actors: Vec::new(),
            plugins: Vec::new(),
        };
        (model, std::mem::take(&mut self.problems))
    }

    /// `before`, `tighten`, `override`, `drop`.
    fn apply(
        &mut self,
        r: &'a syntax::Region,
        nodes: &mut [Node],
        rules: &mut Vec<Rule>,
        params: &mut [Param],
        origin: Origin,
    ) {
        for n in r.body.nodes.iter().filter(|n| self.present(&n.attrs)) {
            let inserted = self.nodes[n.name.name.as_str()];
            for target in &n.before {
                if let Some(&t) = self.nodes.get(target.name.as_str()) {
                    let after = nodes[t].after.take();
                    nodes[t].after = Some(match after {
                        None => Cond::Done(inserted),
                        Some(Cond::All(mut all)) => {
                            all.push(Cond::Done(inserted));
                            Cond::All(all)
                        }
                        Some(other) => Cond::All(vec![other, Cond::Done(inserted)]),
                    });
                }
            }
        }
        for t in &r.tightens {
            let Some(&target) = self.nodes.get(t.target.name.as_str()) else {
                continue;
            };
            let added = self.rules(&t.rules, &origin);
            nodes[target].rules.extend(added);
            let added = self.checks(&t.checks, &origin);
            nodes[target].checks.extend(added);
            nodes[target].requires.extend(t.requires.iter().cloned());
            let outcomes = self.outcomes[t.target.name.as_str()];
            let deadlines: Vec<Deadline> = t
                .deadlines
                .iter()
                .filter_map(|d| self.deadline(d, outcomes, origin.clone()))
                .collect();
            nodes[target].deadlines.extend(deadlines);
        }
        for o in &r.param_overrides {
            let Some(p) = params.iter_mut().find(|p| p.name == o.target.name) else {
                continue;
            };
            if let Some(value) = self.pick(&o.values) {
                p.value = value.expr.clone();
                p.source = value.attrs.source.as_ref().map(|s| s.value.clone());
                p.uncertain = value.attrs.uncertain.as_ref().map(|s| s.value.clone());
                p.origin = origin.clone();
            }
        }
        let all_rules =
            |nodes: &mut [Node], rules: &mut Vec<Rule>, f: &mut dyn FnMut(&mut Vec<Rule>)| {
                f(rules);
                for n in nodes.iter_mut() {
                    f(&mut n.rules);
                }
            };
        for o in r.rule_overrides.iter().filter(|o| self.present(&o.attrs)) {
            let replacement = self.rules(std::slice::from_ref(o), &origin);
            all_rules(nodes, rules, &mut |list| {
                for rule in list.iter_mut().filter(|rule| rule.name == o.name.name) {
                    *rule = replacement[0].clone();
                }
            });
        }
        for d in &r.drops {
            all_rules(nodes, rules, &mut |list| {
                list.retain(|rule| rule.name != d.target.name)
            });
        }
    }

    fn pick<'v>(&self, values: &'v [syntax::ParamValue]) -> Option<&'v syntax::ParamValue> {
        values
            .iter()
            .filter(|v| {
                let since = v
                    .attrs
                    .since
                    .as_ref()
                    .and_then(|s| self.versions.iter().position(|x| *x == s.value))
                    .unwrap_or(0);
                since <= self.version
            })
            .max_by_key(|v| {
                v.attrs
                    .since
                    .as_ref()
                    .and_then(|s| self.versions.iter().position(|x| *x == s.value))
                    .unwrap_or(0)
            })
    }

    fn param(
        &self,
        p: &syntax::Param,
        values: &[syntax::ParamValue],
        origin: Origin,
    ) -> Option<Param> {
        let value = self.pick(values)?;
        Some(Param {
            name: p.name.name.clone(),
            label: p.label.as_ref().map(|l| l.value.clone()),
            ty: self.type_of(&p.name.name),
            value: value.expr.clone(),
            source: value.attrs.source.as_ref().map(|s| s.value.clone()),
            uncertain: value.attrs.uncertain.as_ref().map(|s| s.value.clone()),
            origin,
        })
    }

    fn values(&self, values: &[syntax::ValueDecl], origin: Origin) -> Vec<Value> {
        values
            .iter()
            .filter(|v| self.present(&v.attrs))
            .map(|v| Value {
                name: v.name.name.clone(),
                label: v.label.as_ref().map(|l| l.value.clone()),
                ty: self.type_of(&v.name.name),
                expr: v.expr.clone(),
                source: v.attrs.source.as_ref().map(|s| s.value.clone()),
                origin: origin.clone(),
            })
            .collect()
    }

    fn rules(&self, rules: &[syntax::Rule], origin: &Origin) -> Vec<Rule> {
        rules
            .iter()
            .filter(|r| self.present(&r.attrs))
            .map(|r| Rule {
                name: r.name.name.clone(),
                severity: r.severity,
                message: r.message.value.clone(),
                expect: r.expect.clone(),
                source: r.attrs.source.as_ref().map(|s| s.value.clone()),
                origin: origin.clone(),
                span: r.name.span,
            })
            .collect()
    }

    fn checks(&self, checks: &[syntax::Check], origin: &Origin) -> Vec<Check> {
        checks
            .iter()
            .filter(|c| self.present(&c.attrs))
            .map(|c| Check {
                name: c.name.name.clone(),
                call: c.call.clone(),
                source: c.attrs.source.as_ref().map(|s| s.value.clone()),
                origin: origin.clone(),
                span: c.name.span,
            })
            .collect()
    }

    fn node(&mut self, n: &syntax::Node, origin: Origin) -> Node {
        let after = match n.after.as_slice() {
            [] => None,
            [one] => self.cond(one),
            many => Some(self.all(many)),
        };
        let outcomes: Vec<Outcome> = n
            .outcomes
            .iter()
            .map(|o| Outcome {
                name: o.name.name.clone(),
                label: o.label.as_ref().map(|l| l.value.clone()),
                probability: o.probability.map(|(p, _)| p),
                route: o.route.as_ref().and_then(|r| self.reference(r)),
                span: o.name.span,
            })
            .collect();
        let present: Vec<&syntax::Deadline> = n
            .deadlines
            .iter()
            .filter(|d| self.present(&d.attrs))
            .collect();
        let deadlines = present
            .into_iter()
            .filter_map(|d| self.deadline(d, &n.outcomes, origin.clone()))
            .collect();
        Node {
            name: n.name.name.clone(),
            label: n.label.value.clone(),
            kind: n.kind,
            after,
            actors: n.actors.iter().map(|a| a.name.clone()).collect(),
            typical: n.typical.clone(),
            produces: n.produces.clone(),
            requires: n.requires.clone(),
            outcomes,
            deadlines,
            rules: self.rules(&n.rules, &origin),
            checks: self.checks(&n.checks, &origin),
            source: n.attrs.source.as_ref().map(|s| s.value.clone()),
            origin,
            optional: n.optional,
            span: n.name.span,
        }
    }

    fn deadline(
        &mut self,
        d: &syntax::Deadline,
        outcomes: &[syntax::Outcome],
        origin: Origin,
    ) -> Option<Deadline> {
        let node = self.reference(&d.after.node)?;
        Some(Deadline {
            name: d.name.as_ref().map(|n| n.name.clone()),
            amount: d.amount,
            unit: d.unit,
            anchor: Event {
                node,
                outcome: d
                    .after
                    .outcome
                    .as_ref()
                    .and_then(|o| self.outcome_index(&d.after.node.name, &o.name)),
            },
            on_expiry: d
                .on_expiry
                .as_ref()
                .and_then(|e| outcomes.iter().position(|o| o.name.name == e.name)),
            source: d.attrs.source.as_ref().map(|s| s.value.clone()),
            origin,
            span: d.span,
        })
    }

    fn outcome_index(&self, node: &str, outcome: &str) -> Option<usize> {
        self.outcomes
            .get(node)?
            .iter()
            .position(|o| o.name.name == outcome)
    }

    fn type_of(&self, name: &str) -> Type {
        self.types
            .iter()
            .find_map(|t| t.get(name))
            .cloned()
            .unwrap_or(Type::Error)
    }

    /// A node reference; a node absent from this version is reported and dropped.
    fn reference(&mut self, name: &syntax::Ident) -> Option<NodeId> {
        match self.nodes.get(name.name.as_str()) {
            Some(&id) => Some(id),
            None => {
                self.problems.push(
                    Diagnostic::new(
                        &codes::ABSENT_IN_VERSION,
                        format!("`{}` does not exist in version `{}`", name.name, self.versions[self.version]),
                    )
                    .at_with(name.span, "absent from this version")
                    .help("limit the referring item with the same `since`/`until`, or the region with `versions`"),
                );
                None
            }
        }
    }

    /// All of `items` (those absent from this version left out).
    fn all(&mut self, items: &[Prereq]) -> Cond {
        Cond::All(items.iter().filter_map(|i| self.cond(i)).collect())
    }

    fn cond(&mut self, p: &Prereq) -> Option<Cond> {
        match p {
            Prereq::Ref(r) => {
                let node = self.reference(&r.node)?;
                match &r.outcome {
                    None => Some(Cond::Done(node)),
                    Some(o) => Some(Cond::Outcome(
                        node,
                        self.outcome_index(&r.node.name, &o.name)?,
                    )),
                }
            }
            Prereq::All(items, _) => Some(self.all(items)),
            Prereq::Any(items, _) => {
                // An alternative absent from this version is normal (one version's step replaces
                // another's) as long as another remains; with none left, each absence is reported.
                let reported = self.problems.len();
                let alternatives: Vec<Cond> = items.iter().filter_map(|i| self.cond(i)).collect();
                if !alternatives.is_empty() {
                    self.problems.truncate(reported);
                }
                Some(Cond::Any(alternatives))
            }
        }
    }
}
