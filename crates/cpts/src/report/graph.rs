//! `cpts graph --format json`: schema `cpts-graph/1`; and the arrows every drawing of a
//! workflow shows ([`drawn_edges`]).

use cpts_engine::{GraphEdge, GraphNode};
use cpts_lang::model::{Model, Origin};
use cpts_lang::syntax::{NodeKind, Unit};
use schemars::JsonSchema;
use serde::Serialize;

/// A workflow as boxes and labelled arrows: schema `cpts-graph/1`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct GraphReport {
    /// `cpts-graph/1`.
    #[schemars(extend("const" = GraphReport::SCHEMA))]
    pub schema: &'static str,
    /// The workflow.
    pub workflow: String,
    /// Its French label.
    pub label: String,
    /// The version drawn.
    pub version: String,
    /// The regional overlay drawn, if any.
    pub region: Option<RegionRef>,
    /// Steps and decisions in model order, then the end (`id` `end`).
    pub nodes: Vec<GraphNodeReport>,
    /// Arrows between node ids.
    pub edges: Vec<GraphEdgeReport>,
}

/// A region: its name and label.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct RegionRef {
    /// Its name (`bfc`).
    pub name: String,
    /// Its label.
    pub label: String,
}

/// What a box is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum NodeKindName {
    /// A step.
    Step,
    /// A decision.
    Decision,
    /// The workflow's end.
    End,
}

/// A typical duration range.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct TypicalReport {
    /// Shortest.
    pub min: u32,
    /// Longest.
    pub max: u32,
    /// `days`, `working days`, `weeks`, `months` or `years`.
    pub unit: &'static str,
}

/// A box.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct GraphNodeReport {
    /// Its id (`end` for the end).
    pub id: String,
    /// Its French label.
    pub label: String,
    /// Step, decision or end.
    pub kind: NodeKindName,
    /// `national` or the region that adds it.
    pub origin: String,
    /// Whether it is optional.
    pub optional: bool,
    /// Who does it.
    pub actors: Vec<String>,
    /// How long it typically takes.
    pub typical: Option<TypicalReport>,
}

/// What an arrow means.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum EdgeKind {
    /// A prerequisite.
    After,
    /// An outcome leading forward.
    Outcome,
    /// An outcome sending the project back (rework).
    Route,
    /// A deadline, from its anchor to the step it constrains.
    Deadline,
}

/// An arrow.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct GraphEdgeReport {
    /// The id it starts from.
    pub from: String,
    /// The id it goes to.
    pub to: String,
    /// What it means.
    pub kind: EdgeKind,
    /// Its French label (outcome, deadline), may be empty.
    pub label: String,
}

/// An arrow between node indices of a model (`model.nodes.len()` is the end).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DrawnEdge {
    /// Index it starts from.
    pub from: usize,
    /// Index it goes to.
    pub to: usize,
    /// What it means.
    pub kind: EdgeKind,
    /// Its French label.
    pub label: String,
}

/// The arrows of `model`'s graph, sorted (by ends, kind, label): prerequisites, outcomes
/// (labelled, with their probability), rework routes (`… (reprise)`) and deadlines
/// (`≤ 2 mois, sinon « … »`).
pub fn drawn_edges(model: &Model) -> Vec<DrawnEdge> {
    let graph = cpts_engine::Graph::new(model);
    let end = model.nodes.len();
    let index = |n| match graph.graph[n] {
        GraphNode::Step(i) | GraphNode::Decision(i) => Some(i),
        GraphNode::End => Some(end),
        GraphNode::Deadline { .. } => None,
    };
    let mut edges = Vec::new();
    for e in graph.graph.edge_indices() {
        let Some((a, b)) = graph.graph.edge_endpoints(e) else {
            continue;
        };
        let edge = match (&graph.graph[e], index(a), index(b)) {
            (GraphEdge::After, Some(from), Some(to)) => DrawnEdge {
                from,
                to,
                kind: EdgeKind::After,
                label: String::new(),
            },
            (GraphEdge::Outcome(o), Some(from), Some(to)) => DrawnEdge {
                from,
                to,
                kind: EdgeKind::Outcome,
                label: outcome_label(model, from, *o),
            },
            (GraphEdge::Route(o), Some(from), Some(to)) => DrawnEdge {
                from,
                to,
                kind: EdgeKind::Route,
                label: format!("{} (reprise)", outcome_label(model, from, *o)),
            },
            (GraphEdge::Constrains, None, Some(to)) => {
                let GraphNode::Deadline { owner, index } = graph.graph[a] else {
                    continue;
                };
                let d = &model.nodes[owner].deadlines[index];
                let mut label = format!("≤ {} {}", d.amount, french_unit(d.amount, d.unit));
                if let Some(o) = d.on_expiry {
                    label.push_str(&format!(
                        ", sinon « {} »",
                        model.nodes[owner].outcomes[o].name
                    ));
                }
                DrawnEdge {
                    from: d.anchor.node,
                    to,
                    kind: EdgeKind::Deadline,
                    label,
                }
            }
            _ => continue,
        };
        edges.push(edge);
    }
    edges.sort_by(|x, y| (x.from, x.to, x.kind, &x.label).cmp(&(y.from, y.to, y.kind, &y.label)));
    edges
}

fn outcome_label(model: &Model, node: usize, o: usize) -> String {
    let outcome = &model.nodes[node].outcomes[o];
    let mut label = outcome
        .label
        .clone()
        .unwrap_or_else(|| outcome.name.clone());
    if let Some(p) = outcome.probability {
        label.push_str(&format!(" (p = {p})"));
    }
    label
}

fn french_unit(amount: u32, unit: Unit) -> &'static str {
    use Unit::*;
    let plural = amount > 1;
    match unit {
        Days if plural => "jours",
        Days => "jour",
        WorkingDays if plural => "jours ouvrés",
        WorkingDays => "jour ouvré",
        Weeks if plural => "semaines",
        Weeks => "semaine",
        Months => "mois",
        Years if plural => "ans",
        Years => "an",
    }
}

impl GraphReport {
    /// The schema name and version.
    pub const SCHEMA: &'static str = "cpts-graph/1";

    /// The label of the end box.
    pub const END_LABEL: &'static str = "Fin";

    /// `model` drawn.
    pub fn new(model: &Model) -> GraphReport {
        let id = |i: usize| {
            model
                .nodes
                .get(i)
                .map_or("end", |n| n.name.as_str())
                .to_owned()
        };
        let mut nodes: Vec<GraphNodeReport> = model
            .nodes
            .iter()
            .map(|n| GraphNodeReport {
                id: n.name.clone(),
                label: n.label.clone(),
                kind: match n.kind {
                    NodeKind::Decision => NodeKindName::Decision,
                    _ => NodeKindName::Step,
                },
                origin: match &n.origin {
                    Origin::National => "national".to_owned(),
                    Origin::Region(r) => r.clone(),
                },
                optional: n.optional,
                actors: n.actors.clone(),
                typical: n.typical.as_ref().map(|t| TypicalReport {
                    min: t.min,
                    max: t.max,
                    unit: t.unit.keyword(),
                }),
            })
            .collect();
        nodes.push(GraphNodeReport {
            id: "end".to_owned(),
            label: GraphReport::END_LABEL.to_owned(),
            kind: NodeKindName::End,
            origin: "national".to_owned(),
            optional: false,
            actors: Vec::new(),
            typical: None,
        });
        GraphReport {
            schema: GraphReport::SCHEMA,
            workflow: model.workflow.clone(),
            label: model.label.clone(),
            version: model.version.clone(),
            region: model.region.as_ref().map(|(name, label)| RegionRef {
                name: name.clone(),
                label: label.clone(),
            }),
            nodes,
            edges: drawn_edges(model)
                .into_iter()
                .map(|e| GraphEdgeReport {
                    from: id(e.from),
                    to: id(e.to),
                    kind: e.kind,
                    label: e.label,
                })
                .collect(),
        }
    }
}
