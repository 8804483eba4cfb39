//! Graphviz DOT.

use super::{Drawing, EdgeKind};
use cpts_lang::syntax::NodeKind;
use std::fmt::Write;

fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

pub(crate) fn render(d: &Drawing) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "digraph {} {{", quote(&d.model.workflow));
    let _ = writeln!(
        s,
        "  label={};",
        quote(&format!("{} — version {}", d.model.label, d.model.version))
    );
    let _ = writeln!(
        s,
        "  rankdir=TB; node [fontname=\"Helvetica\", shape=box, style=rounded]; edge [fontname=\"Helvetica\", fontsize=10];"
    );
    let node_line = |s: &mut String, i: usize| {
        let shape = match d.model.nodes.get(i).map(|n| n.kind) {
            Some(NodeKind::Decision) => "shape=diamond, style=\"\"",
            Some(NodeKind::Step) if d.model.nodes[i].optional => "style=\"rounded,dashed\"",
            Some(NodeKind::Step) => "",
            None => "shape=doublecircle",
        };
        let _ = writeln!(
            s,
            "    {} [label={}{}{}];",
            quote(d.id(i)),
            quote(d.label(i)),
            if shape.is_empty() { "" } else { ", " },
            shape
        );
    };
    for i in d.all().filter(|&i| d.region_of(i).is_none()) {
        node_line(&mut s, i);
    }
    if let Some((name, label)) = &d.model.region {
        let _ = writeln!(s, "  subgraph {} {{", quote(&format!("cluster_{name}")));
        let _ = writeln!(
            s,
            "    label={}; style=filled; fillcolor=\"#eef5ff\";",
            quote(&format!("Région : {label}"))
        );
        for i in d.all().filter(|&i| d.region_of(i).is_some()) {
            node_line(&mut s, i);
        }
        let _ = writeln!(s, "  }}");
    }
    for e in &d.edges {
        let style = match e.kind {
            EdgeKind::After | EdgeKind::Outcome => "",
            EdgeKind::Route => ", style=dashed, constraint=false",
            EdgeKind::Deadline => {
                ", style=dotted, color=\"#b03030\", fontcolor=\"#b03030\", constraint=false"
            }
        };
        let _ = writeln!(
            s,
            "  {} -> {} [label={}{style}];",
            quote(d.id(e.from)),
            quote(d.id(e.to)),
            quote(&e.label)
        );
    }
    s.push_str("}\n");
    s
}
