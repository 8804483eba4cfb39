//! `cpts graph`: every format of a small workflow with a region, as snapshots; the real rules in
//! every format without error.

use super::{cpts, root};

fn path(rel: &str) -> String {
    root().join(rel).to_string_lossy().into_owned()
}

const FORMATS: &[&str] = &["dot", "mermaid", "json", "svg"];

#[test]
fn small_workflow_with_region_in_every_format() {
    let dir = path("tests/corpus/graph/petit");
    for format in FORMATS {
        let (status, out) = cpts(&["graph", &dir, "--region", "sud", "--format", format]);
        assert_eq!(status, 0, "{out}");
        insta::assert_snapshot!(format!("graph__petit_{format}"), out);
    }
}

#[test]
fn real_rules_draw_in_every_format_version_and_region() {
    for (workflow, version, region) in [
        ("creation", "aci-2019", None),
        ("creation", "aci-2022", Some("bfc")),
        ("creation", "aci-2022", Some("cvl")),
        ("creation_cts", "cts-2016", Some("cvl_cts")),
    ] {
        for format in FORMATS {
            let rules = path("rules");
            let mut args = vec![
                "graph",
                rules.as_str(),
                "--workflow",
                workflow,
                "--version",
                version,
                "--format",
                format,
            ];
            if let Some(r) = region {
                args.extend(["--region", r]);
            }
            let (status, out) = cpts(&args);
            assert_eq!(status, 0, "{args:?}: {out}");
            match *format {
                "json" => {
                    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
                    assert_eq!(doc["schema"], "cpts-graph/1");
                    assert!(doc["nodes"].as_array().unwrap().len() > 10);
                }
                "svg" => {
                    assert!(out.starts_with("<svg ") && out.trim_end().ends_with("</svg>"));
                    assert_eq!(out.matches("<text").count(), out.matches("</text>").count());
                }
                _ => assert!(out.contains("signature_aci") || out.contains("signature_contrat")),
            }
        }
    }
}

#[test]
fn graph_usage_errors() {
    let rules = path("rules");
    let (status, out) = cpts(&["graph", &rules]);
    assert_eq!(status, 2, "several workflows need --workflow: {out}");
    assert!(out.contains("--workflow"));
    let (status, _) = cpts(&["graph", &rules, "--region", "nulle-part"]);
    assert_eq!(status, 2);
    let (status, _) = cpts(&[
        "graph",
        &rules,
        "--workflow",
        "creation",
        "--version",
        "aci-2030",
    ]);
    assert_eq!(status, 2);
    let (status, _) = cpts(&["graph", &rules, "--workflow", "creation", "--format", "png"]);
    assert_eq!(status, 2);
}
