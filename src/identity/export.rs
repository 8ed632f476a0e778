//! The identity graph as DOT (Graphviz), GraphML (yEd, Gephi) or JSON (the UI).
//! Labels carry masked previews and short fingerprints only.

use super::{Edge, IdentityGraph, Node};
use petgraph::visit::EdgeRef;
use std::io::Write;

fn node_label(n: &Node) -> (String, &'static str) {
    match n {
        Node::Credential {
            fingerprint,
            masked,
            category,
        } => (
            format!(
                "{masked} [{}] {category}",
                &fingerprint[..fingerprint.len().min(8)]
            ),
            "credential",
        ),
        Node::Account { name } => (name.clone(), "account"),
        Node::System { name } => (name.clone(), "system"),
        Node::Zone { name, criticality } => (format!("{name} (criticality {criticality})"), "zone"),
        Node::Source { path } => (path.clone(), "source"),
    }
}

fn edge_label(e: Edge) -> &'static str {
    match e {
        Edge::Exposes => "exposes",
        Edge::Unlocks => "unlocks",
        Edge::BelongsTo => "belongs-to",
        Edge::LocatedIn => "located-in",
    }
}

fn dot_escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

pub fn dot(g: &IdentityGraph, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "digraph identity {{")?;
    writeln!(out, "  rankdir=LR;")?;
    for i in g.graph.node_indices() {
        let (label, kind) = node_label(&g.graph[i]);
        let shape = match kind {
            "credential" => "diamond",
            "account" => "ellipse",
            "system" => "box",
            "zone" => "doubleoctagon",
            _ => "note",
        };
        writeln!(
            out,
            "  n{} [label=\"{}\", shape={shape}, kind={kind}];",
            i.index(),
            dot_escape(&label)
        )?;
    }
    for e in g.graph.edge_references() {
        writeln!(
            out,
            "  n{} -> n{} [label=\"{}\"];",
            e.source().index(),
            e.target().index(),
            edge_label(*e.weight())
        )?;
    }
    writeln!(out, "}}")
}

pub fn graphml(g: &IdentityGraph, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<graphml xmlns="http://graphml.graphdrawing.org/xmlns">"#
    )?;
    writeln!(
        out,
        r#"  <key id="label" for="node" attr.name="label" attr.type="string"/>"#
    )?;
    writeln!(
        out,
        r#"  <key id="kind" for="node" attr.name="kind" attr.type="string"/>"#
    )?;
    writeln!(
        out,
        r#"  <key id="rel" for="edge" attr.name="relation" attr.type="string"/>"#
    )?;
    writeln!(out, r#"  <graph id="identity" edgedefault="directed">"#)?;
    for i in g.graph.node_indices() {
        let (label, kind) = node_label(&g.graph[i]);
        writeln!(
            out,
            r#"    <node id="n{}"><data key="label">{}</data><data key="kind">{kind}</data></node>"#,
            i.index(),
            xml_escape(&label)
        )?;
    }
    for (k, e) in g.graph.edge_references().enumerate() {
        writeln!(
            out,
            r#"    <edge id="e{k}" source="n{}" target="n{}"><data key="rel">{}</data></edge>"#,
            e.source().index(),
            e.target().index(),
            edge_label(*e.weight())
        )?;
    }
    writeln!(out, "  </graph>\n</graphml>")
}

pub fn json(g: &IdentityGraph, out: &mut dyn Write) -> std::io::Result<()> {
    let nodes: Vec<serde_json::Value> = g
        .graph
        .node_indices()
        .map(|i| {
            let mut v = serde_json::to_value(&g.graph[i]).expect("node serialises");
            v["id"] = serde_json::json!(format!("n{}", i.index()));
            v
        })
        .collect();
    let edges: Vec<serde_json::Value> = g
        .graph
        .edge_references()
        .map(|e| {
            serde_json::json!({
                "source": format!("n{}", e.source().index()),
                "target": format!("n{}", e.target().index()),
                "relation": edge_label(*e.weight()),
            })
        })
        .collect();
    let doc = serde_json::json!({
        "nodes": nodes,
        "edges": edges,
        "metrics": g.analysis.metrics,
        "cross_boundary": g.analysis.cross_boundary,
        "credentials": g.analysis.credentials,
    });
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}
