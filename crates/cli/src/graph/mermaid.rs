//! Mermaid flowchart.

use super::{Drawing, EdgeKind};
use cpts_lang::syntax::NodeKind;
use std::fmt::Write;

/// Mermaid accepts `#quot;` for quotes inside labels.
fn text(s: &str) -> String {
    s.replace('"', "#quot;")
}

/// Node ids are prefixed: Mermaid reserves words such as `end`.
fn id(d: &Drawing, i: usize) -> String {
    format!("n_{}", d.id(i))
}

pub(crate) fn render(d: &Drawing) -> String {
    let mut s = String::from("flowchart TD\n");
    let node = |s: &mut String, i: usize| {
        let (open, close) = match d.model.nodes.get(i).map(|n| n.kind) {
            Some(NodeKind::Decision) => ("{", "}"),
            Some(NodeKind::Step) => ("(", ")"),
            None => ("((", "))"),
        };
        let _ = writeln!(s, "    {}{open}\"{}\"{close}", id(d, i), text(d.label(i)));
    };
    for i in d.all().filter(|&i| d.region_of(i).is_none()) {
        node(&mut s, i);
    }
    if let Some((name, label)) = &d.model.region {
        let _ = writeln!(s, "  subgraph region_{name}[\"Région : {}\"]", text(label));
        for i in d.all().filter(|&i| d.region_of(i).is_some()) {
            node(&mut s, i);
        }
        s.push_str("  end\n");
    }
    for e in &d.edges {
        let arrow = match e.kind {
            EdgeKind::After | EdgeKind::Outcome => "-->",
            EdgeKind::Route | EdgeKind::Deadline => "-.->",
        };
        if e.label.is_empty() {
            let _ = writeln!(s, "    {} {arrow} {}", id(d, e.from), id(d, e.to));
        } else {
            let _ = writeln!(
                s,
                "    {} {arrow}|\"{}\"| {}",
                id(d, e.from),
                text(&e.label),
                id(d, e.to)
            );
        }
    }
    s.push_str("  classDef optional stroke-dasharray: 5 5\n  classDef regional fill:#e8f1ff,stroke:#2f6fc0\n");
    for (i, node) in d.model.nodes.iter().enumerate() {
        if node.optional {
            let _ = writeln!(s, "  class {} optional", id(d, i));
        }
        if d.region_of(i).is_some() {
            let _ = writeln!(s, "  class {} regional", id(d, i));
        }
    }
    s
}
