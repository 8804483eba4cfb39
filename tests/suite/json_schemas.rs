//! Every JSON document the commands print conforms to the JSON Schema `cpts schema --output`
//! prints for it (draft 2020-12, generated from the result types of `cpts::report`): each
//! command is run on the examples (`examples/projects/`, `rules/`, the corpora) and its output
//! validated; a document changed by hand in the ways a drift would change it is rejected.

use super::{cpts, root};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};

fn path(rel: &str) -> String {
    root().join(rel).to_string_lossy().into_owned()
}

/// The schema `cpts schema --output NAME` prints, compiled (formats such as `date` checked).
pub(crate) fn validator(name: &str) -> jsonschema::Validator {
    let (status, out) = cpts(&["schema", "--output", name]);
    assert_eq!(status, 0, "{out}");
    let schema: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        schema["$schema"], "https://json-schema.org/draft/2020-12/schema",
        "{name}"
    );
    assert_eq!(Some(schema.clone()), cpts_cli::output_schema(name));
    jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap_or_else(|e| panic!("the schema of `{name}` does not compile: {e}"))
}

/// The `--output` name of the schema a document names (`cpts-status/2` → `status`).
fn output_of(doc: &Value) -> String {
    let schema = doc["schema"].as_str().expect("a `schema` field");
    let name = schema
        .trim_start_matches("cpts-")
        .split('/')
        .next()
        .unwrap();
    name.to_owned()
}

fn errors(v: &jsonschema::Validator, doc: &Value) -> Vec<String> {
    v.iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

/// Copies an example project to a scratch folder (for `advance`, which writes).
fn scratch(example: &str) -> (std::path::PathBuf, String) {
    let dir = std::env::temp_dir().join(format!("cpts-json-schemas-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("projet.toml");
    std::fs::copy(path(example), &file).unwrap();
    (dir, file.to_string_lossy().into_owned())
}

#[test]
fn every_command_output_conforms_to_its_schema() {
    let rules = path("rules");
    let missing = path("tests/corpus/missing");
    let projects: Vec<String> = {
        let mut v: Vec<String> = std::fs::read_dir(root().join("examples/projects"))
            .unwrap()
            .map(|e| e.unwrap().path().to_string_lossy().into_owned())
            .filter(|p| p.ends_with(".toml"))
            .collect();
        v.sort();
        v
    };
    let (dir, copy) = scratch("examples/projects/projet-oppose.toml");
    let new_plugin = dir.join("plugin").to_string_lossy().into_owned();
    let bundled = dir.join("bfc.wasm");
    std::fs::write(
        &bundled,
        cpts_plugins::bundled("bourgogne-franche-comte").unwrap(),
    )
    .unwrap();
    let bundled = bundled.to_string_lossy().into_owned();
    let mut runs: Vec<(&str, Vec<String>)> = Vec::new();
    let owned = |args: &[&str]| args.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    for p in &projects {
        runs.push(("status", owned(&["status", p, "--rules", &rules])));
        runs.push(("next", owned(&["next", p, "--rules", &rules])));
        runs.push((
            "simulate",
            owned(&["simulate", p, "--rules", &rules, "--runs", "20"]),
        ));
    }
    let corpus = path("tests/corpus/check/many-independent-errors.cpts");
    let mini = path("tests/corpus/scenarios/mini.test.toml");
    let bad = path("tests/corpus/scenarios/bad");
    let mini_rules = path("tests/corpus/scenarios/mini.cpts");
    runs.extend([
        ("check", owned(&["check", &rules, "--info"])),
        ("check", owned(&["check", &corpus])),
        ("check", owned(&["check", &missing])),
        (
            "check",
            owned(&["status", &projects[0], "--rules", &corpus]),
        ),
        ("graph", owned(&["graph", &rules, "--workflow", "creation"])),
        (
            "graph",
            owned(&["graph", &rules, "--workflow", "creation_cts"]),
        ),
        ("graph", owned(&["graph", &rules, "--region", "bfc"])),
        ("graph", owned(&["graph", &rules, "--region", "cvl"])),
        // Refused (the outcome is not one of the decision's), then recorded.
        (
            "advance",
            owned(&[
                "advance",
                &copy,
                "--rules",
                &rules,
                "--step",
                "validation_projet",
                "--outcome",
                "acceptee",
            ]),
        ),
        (
            "advance",
            owned(&[
                "advance",
                &copy,
                "--rules",
                &rules,
                "--step",
                "validation_projet",
                "--outcome",
                "valide",
                "--date",
                "2024-01-09",
            ]),
        ),
        ("test", owned(&["test", &rules])),
        (
            "test",
            owned(&["test", &mini, "--coverage", "--mutants", "rules"]),
        ),
        ("test", owned(&["test", &bad, "--rules", &mini_rules])),
        ("fmt", owned(&["fmt", "--check", &rules, &path("examples")])),
        ("fmt", owned(&["fmt", "--check", &missing])),
        (
            "error",
            owned(&[
                "simulate",
                &projects[0],
                "--rules",
                &rules,
                "--until",
                "nulle_part",
            ]),
        ),
    ]);
    runs.extend([
        ("explain", owned(&["explain"])),
        ("explain", owned(&["explain", "E0103"])),
        (
            "plugin-new",
            owned(&["plugin", "new", "demo-region", "--dir", &new_plugin]),
        ),
        ("plugin", owned(&["plugin", "inspect", &bundled])),
    ]);
    let mut validators: BTreeMap<String, jsonschema::Validator> = BTreeMap::new();
    let mut validated = BTreeSet::new();
    for (output, args) in &runs {
        let mut args: Vec<&str> = args.iter().map(String::as_str).collect();
        args.extend(["--format", "json"]);
        let (status, out) = cpts(&args);
        let doc: Value = serde_json::from_str(&out)
            .unwrap_or_else(|e| panic!("{args:?} (exit {status}) is not JSON: {e}\n{out}"));
        let named = output_of(&doc);
        // `next` writes the status document; the schemas of both are the same.
        let expected = if *output == "next" { "status" } else { output };
        assert_eq!(named, expected, "{args:?} wrote {}", doc["schema"]);
        let v = validators
            .entry(output.to_string())
            .or_insert_with(|| validator(output));
        let found = errors(v, &doc);
        assert!(found.is_empty(), "{args:?}: {found:#?}\n{out}");
        validated.insert(output.to_string());
    }
    // `plugin build` runs a child cargo: `plugins::a_new_plugin_builds_and_loads_with_no_edit`
    // validates its document.
    let names: BTreeSet<String> = cpts_cli::output_names()
        .into_iter()
        .filter(|n| n != "plugin-build")
        .collect();
    assert_eq!(
        validated, names,
        "every document is validated on a real output"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_document_that_drifts_from_its_schema_is_rejected() {
    let rules = path("rules");
    let project = path("examples/projects/asclepios.toml");
    let (status, out) = cpts(&["status", &project, "--rules", &rules, "--format", "json"]);
    assert!(status <= 1, "{out}");
    let good: Value = serde_json::from_str(&out).unwrap();
    let v = validator("status");
    assert!(errors(&v, &good).is_empty());
    type Drift = Box<dyn Fn(&mut Value)>;
    let drifts: Vec<(&str, Drift)> = vec![
        (
            "an older version",
            Box::new(|d| d["schema"] = json!("cpts-status/1")),
        ),
        (
            "an unknown state",
            Box::new(|d| d["steps"][0]["state"] = json!("finished")),
        ),
        (
            "a date that is no date",
            Box::new(|d| d["today"] = json!("10/01/2024")),
        ),
        (
            "a count as text",
            Box::new(|d| d["steps"][0]["passages"] = json!("1")),
        ),
        (
            "a missing field",
            Box::new(|d| {
                d["steps"][0].as_object_mut().unwrap().remove("state");
            }),
        ),
        (
            "a label that is not text",
            Box::new(|d| d["values"][0]["label"] = json!(3)),
        ),
        (
            "a finding's span without its file",
            Box::new(|d| {
                d["findings"] = json!([{ "code": "E0701", "name": "rule-failed",
                    "severity": "error", "message": "m", "label": "", "labels": [], "notes": [],
                    "span": { "start": 0, "end": 1, "line": 1, "column": 1, "end_line": 1,
                        "end_column": 2 } }]);
            }),
        ),
        (
            "a finding without its code",
            Box::new(|d| {
                d["findings"] = json!([{ "severity": "error", "message": "x" }]);
            }),
        ),
    ];
    for (what, drift) in drifts {
        let mut doc = good.clone();
        drift(&mut doc);
        assert!(!v.is_valid(&doc), "{what} is accepted");
    }
    let check = validator("check");
    let wrong = json!({ "schema": "cpts-check/2", "summary": { "files": 1, "errors": 0, "warnings": 0, "infos": 0 },
        "diagnostics": [{ "code": "E0103", "name": "unknown-step", "severity": "fatal", "message": "m",
            "rule": null, "step": null, "source": null, "span": null, "label": "", "labels": [], "help": null, "notes": [] }] });
    assert!(!check.is_valid(&wrong), "a severity `fatal` is accepted");
}
