//! The workflow as a petgraph graph: steps, decisions, deadlines and the end are nodes;
//! prerequisites, decision outcomes, rework routes and deadline anchors are edges.

use cpts_lang::model::{Cond, Model, NodeId};
use cpts_lang::syntax::NodeKind;
use petgraph::graph::{DiGraph, NodeIndex};

/// What a graph node stands for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GraphNode {
    /// A step of the model.
    Step(NodeId),
    /// A decision of the model.
    Decision(NodeId),
    /// Deadline `index` of model node `owner`.
    Deadline {
        /// The constrained node.
        owner: NodeId,
        /// Index in its deadlines.
        index: usize,
    },
    /// The workflow's end.
    End,
}

/// What a graph edge stands for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GraphEdge {
    /// The target waits for the source to be done.
    After,
    /// The target waits for the source decision to take this outcome.
    Outcome(usize),
    /// Rework: this outcome of the source decision sends the workflow back to the target.
    Route(usize),
    /// A deadline counts from the source event.
    Anchor,
    /// The deadline constrains the target node.
    Constrains,
}

/// The compiled graph. `nodes[i]` is the graph index of model node `i`.
#[derive(Debug)]
pub struct Graph {
    /// The petgraph graph.
    pub graph: DiGraph<GraphNode, GraphEdge>,
    /// Graph index of each model node.
    pub nodes: Vec<NodeIndex>,
    /// The end node.
    pub end: NodeIndex,
}

impl Graph {
    /// Compiles a model.
    pub fn new(model: &Model) -> Graph {
        let mut graph = DiGraph::with_capacity(model.nodes.len() + 1, model.nodes.len() * 2);
        let nodes: Vec<NodeIndex> = model
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| {
                graph.add_node(match n.kind {
                    NodeKind::Step => GraphNode::Step(i),
                    NodeKind::Decision => GraphNode::Decision(i),
                })
            })
            .collect();
        let end = graph.add_node(GraphNode::End);
        for (i, node) in model.nodes.iter().enumerate() {
            if let Some(after) = &node.after {
                add_prereq_edges(&mut graph, &nodes, after, nodes[i]);
            }
            for (o, outcome) in node.outcomes.iter().enumerate() {
                if let Some(route) = outcome.route {
                    graph.add_edge(nodes[i], nodes[route], GraphEdge::Route(o));
                }
            }
            for (d, deadline) in node.deadlines.iter().enumerate() {
                let dl = graph.add_node(GraphNode::Deadline { owner: i, index: d });
                graph.add_edge(nodes[deadline.anchor.node], dl, GraphEdge::Anchor);
                graph.add_edge(dl, nodes[i], GraphEdge::Constrains);
            }
        }
        match &model.end {
            Some(cond) => add_prereq_edges(&mut graph, &nodes, cond, end),
            None => {
                for sink in sinks(model) {
                    graph.add_edge(nodes[sink], end, GraphEdge::After);
                }
            }
        }
        Graph { graph, nodes, end }
    }
}

fn add_prereq_edges(
    graph: &mut DiGraph<GraphNode, GraphEdge>,
    nodes: &[NodeIndex],
    cond: &Cond,
    to: NodeIndex,
) {
    match cond {
        Cond::Done(n) => {
            graph.add_edge(nodes[*n], to, GraphEdge::After);
        }
        Cond::Outcome(n, o) => {
            graph.add_edge(nodes[*n], to, GraphEdge::Outcome(*o));
        }
        Cond::All(cs) | Cond::Any(cs) => {
            for c in cs {
                add_prereq_edges(graph, nodes, c, to);
            }
        }
    }
}

/// Nodes nothing waits for: the end when the workflow declares none.
pub fn sinks(model: &Model) -> Vec<NodeId> {
    let mut waited = vec![false; model.nodes.len()];
    let mut mentioned = Vec::new();
    for node in &model.nodes {
        if let Some(after) = &node.after {
            mentioned.clear();
            after.nodes(&mut mentioned);
            for &m in &mentioned {
                waited[m] = true;
            }
        }
    }
    (0..model.nodes.len()).filter(|&i| !waited[i]).collect()
}
