//! Project files: the corpus of bad project files (expected codes and rendered diagnostics), and
//! `status` / `next` of every example project, as snapshots a referent can review.

use super::root;
use std::path::PathBuf;
use std::process::Command;

/// Runs the `cpts` binary from the repository root, so that paths in its output are relative.
pub(crate) fn cpts_at_root(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_cpts"))
        .args(args)
        .current_dir(root())
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
    )
}

fn files(dir: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    v.sort();
    v
}

fn relative(p: &std::path::Path) -> String {
    p.strip_prefix(root())
        .unwrap()
        .to_string_lossy()
        .replace('\\', "/")
}

/// The codes a project case must produce: its first line, `# expect: CODE…`.
pub(crate) fn expected(path: &std::path::Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap();
    let header = text.lines().next().unwrap_or_default();
    let list = header
        .strip_prefix("# expect:")
        .unwrap_or_else(|| panic!("{}: first line must be `# expect: CODE…`", path.display()));
    let mut codes: Vec<String> = list.split_whitespace().map(str::to_owned).collect();
    codes.sort();
    codes
}

pub(crate) fn corpus() -> Vec<PathBuf> {
    files("tests/corpus/projects")
}

#[test]
fn bad_project_files_yield_their_codes_and_snapshots() {
    let mut failures = Vec::new();
    for case in corpus() {
        let name = case.file_stem().unwrap().to_string_lossy().into_owned();
        let rel = relative(&case);
        let (status, json) = cpts_at_root(&["status", &rel, "--format", "json"]);
        let doc: serde_json::Value =
            serde_json::from_str(&json).unwrap_or_else(|e| panic!("{name}: {e}\n{json}"));
        let list = doc
            .get("diagnostics")
            .or_else(|| doc.get("findings"))
            .and_then(|d| d.as_array())
            .cloned()
            .unwrap_or_default();
        let mut codes: Vec<String> = list
            .iter()
            .map(|d| d["code"].as_str().unwrap().to_owned())
            .collect();
        codes.sort();
        if codes != expected(&case) {
            failures.push(format!(
                "{name}: expected {:?}, found {codes:?}",
                expected(&case)
            ));
        }
        assert_ne!(
            status, 2,
            "{name}: a bad project file is a finding, not a usage error"
        );
        let (_, human) = cpts_at_root(&["status", &rel]);
        insta::assert_snapshot!(format!("project__{name}"), human);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_example_project_has_a_status_a_referent_can_read() {
    let examples = files("examples/projects");
    assert!(
        examples.len() >= 7,
        "the seven cases of the domain reference"
    );
    for project in examples {
        let name = project.file_stem().unwrap().to_string_lossy().into_owned();
        let rel = relative(&project);
        let (status, out) = cpts_at_root(&["status", &rel]);
        assert_eq!(status, 0, "{name}: {out}");
        insta::assert_snapshot!(format!("status__{name}"), out);
        let (status, out) = cpts_at_root(&["next", &rel]);
        assert_eq!(status, 0, "{name}: {out}");
        insta::assert_snapshot!(format!("next__{name}"), out);
        let (_, json) = cpts_at_root(&["status", &rel, "--format", "json"]);
        let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(doc["schema"], "cpts-status/2");
        assert!(
            doc["steps"]
                .as_array()
                .unwrap()
                .iter()
                .any(|s| s["state"] == "done"),
            "{name}: a replayed case has done steps"
        );
        // Values are data: whole lists, numbers as numbers, no display text.
        for v in doc["values"].as_array().unwrap() {
            assert!(!v["value"].is_string(), "{name}: {v}");
        }
    }
}

/// The status of one example as JSON, reviewed as a snapshot: typed values (numbers, `null`,
/// whole lists), deadlines with their state, findings naming their rule, step and source.
#[test]
fn a_status_as_json_is_data() {
    let (_, json) = cpts_at_root(&[
        "status",
        "examples/projects/bfc-mi-parcours.toml",
        "--format",
        "json",
    ]);
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    let value = |id: &str| {
        doc["values"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["id"] == id)
            .unwrap()["value"]
            .clone()
    };
    assert_eq!(value("taille"), 2);
    assert!(value("plafond_annuel").is_null());
    assert!(value("ids_membres").is_array());
    let finding = &doc["findings"][0];
    assert_eq!(finding["rule"], "groupes_comptes_rendus");
    assert_eq!(finding["step"], "groupes_travail");
    assert!(finding["source"].is_string());
    insta::assert_snapshot!("status_json__bfc-mi-parcours", json);
}

#[test]
fn two_months_of_ars_silence_validate_the_projet() {
    let rel = "examples/projects/projet-oppose.toml";
    let (_, before) = cpts_at_root(&["status", rel, "--format", "json", "--today", "2024-01-23"]);
    let (_, after) = cpts_at_root(&["status", rel, "--format", "json", "--today", "2024-02-01"]);
    let step = |json: &str, id: &str| -> serde_json::Value {
        let doc: serde_json::Value = serde_json::from_str(json).unwrap();
        doc["steps"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(step(&before, "validation_projet")["state"], "enabled");
    let v = step(&after, "validation_projet");
    assert_eq!(
        (
            v["state"].as_str(),
            v["outcome"].as_str(),
            v["by_expiry"].as_bool()
        ),
        (Some("done"), Some("valide"), Some(true))
    );
    assert_eq!(
        v["date"], "2024-01-24",
        "two months after the second transmission (2023-11-24)"
    );
    assert_eq!(step(&after, "signature_aci")["state"], "enabled");
}

#[test]
fn status_usage_errors() {
    assert_eq!(
        cpts_at_root(&["status", "examples/projects/nulle-part.toml"]).0,
        2
    );
    assert_eq!(
        cpts_at_root(&[
            "status",
            "examples/projects/sud-28.toml",
            "--today",
            "2018-13-01"
        ])
        .0,
        2
    );
    assert_eq!(
        cpts_at_root(&[
            "status",
            "examples/projects/sud-28.toml",
            "--rules",
            "nulle-part"
        ])
        .0,
        2
    );
}
