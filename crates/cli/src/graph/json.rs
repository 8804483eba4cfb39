//! JSON, schema `cpts-graph/1`:
//! `{ "schema", "workflow", "label", "version", "region": {name,label}|null,
//!    "nodes": [{ "id", "label", "kind": "step"|"decision"|"end", "origin": "national"|region,
//!                "optional", "actors", "typical": {min,max,unit}|null }],
//!    "edges": [{ "from", "to", "kind": "after"|"outcome"|"route"|"deadline", "label" }] }`

use super::Drawing;
use cpts_lang::model::Origin;
use cpts_lang::syntax::NodeKind;
use serde_json::{Value, json};

pub(crate) fn render(d: &Drawing) -> String {
    let mut nodes: Vec<Value> = d
        .model
        .nodes
        .iter()
        .map(|n| {
            json!({
                "id": n.name,
                "label": n.label,
                "kind": if n.kind == NodeKind::Decision { "decision" } else { "step" },
                "origin": match &n.origin { Origin::National => "national".to_owned(), Origin::Region(r) => r.clone() },
                "optional": n.optional,
                "actors": n.actors,
                "typical": n.typical.as_ref().map(|t| json!({ "min": t.min, "max": t.max, "unit": t.unit.keyword() })),
            })
        })
        .collect();
    nodes.push(json!({ "id": "end", "label": d.end_label, "kind": "end", "origin": "national", "optional": false, "actors": [], "typical": null }));
    let edges: Vec<Value> = d
        .edges
        .iter()
        .map(|e| json!({ "from": d.id(e.from), "to": d.id(e.to), "kind": e.kind.name(), "label": e.label }))
        .collect();
    let doc = json!({
        "schema": "cpts-graph/1",
        "workflow": d.model.workflow,
        "label": d.model.label,
        "version": d.model.version,
        "region": d.model.region.as_ref().map(|(n, l)| json!({ "name": n, "label": l })),
        "nodes": nodes,
        "edges": edges,
    });
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}
