//! `cpts` end to end.

use super::{cpts, root};

fn path(rel: &str) -> String {
    root().join(rel).to_string_lossy().into_owned()
}

#[test]
fn real_rules_check_clean() {
    let (status, out) = cpts(&["check", &path("rules")]);
    assert_eq!(status, 0, "{out}");
    assert!(out.contains("0 errors"), "{out}");
}

#[test]
fn several_independent_errors_are_all_reported() {
    let case = path("tests/corpus/check/many-independent-errors.cpts");
    let (status, out) = cpts(&["check", &case, "--format", "json"]);
    assert_eq!(status, 1, "{out}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let codes: Vec<&str> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert!(codes.len() >= 4, "{codes:?}");
    assert_eq!(json["schema"], "cpts-check/2");
    assert!(json["diagnostics"][0]["span"]["line"].as_u64().unwrap() >= 1);
}

#[test]
fn a_syntax_error_does_not_hide_other_files() {
    let (status, out) = cpts(&[
        "check",
        &path("tests/corpus/check/syntax-error-other-files"),
    ]);
    assert_eq!(status, 1);
    assert!(out.contains("E0001"), "{out}");
    assert!(out.contains("E0103"), "{out}");
}

#[test]
fn missing_path_is_a_usage_error() {
    let (status, out) = cpts(&["check", &path("no/such/folder")]);
    assert_eq!(status, 2, "{out}");
    assert!(out.contains("E0010"), "{out}");
}

#[test]
fn folder_without_rules_is_a_usage_error() {
    let (status, out) = cpts(&["check", &path("crates/cli/src")]);
    assert_eq!(status, 2, "{out}");
    assert!(out.contains("E0012"), "{out}");
}

#[test]
fn bad_arguments_exit_2() {
    assert_eq!(cpts(&["check"]).0, 2);
    assert_eq!(cpts(&["check", "rules", "--format", "yaml"]).0, 2);
    assert_eq!(cpts(&["frobnicate"]).0, 2);
    assert_eq!(cpts(&["--help"]).0, 0);
}

#[test]
fn explain_prints_the_registry_doc() {
    let (status, out) = cpts(&["explain", "E0103"]);
    assert_eq!(status, 0);
    assert!(out.starts_with("E0103 unknown-step (error)"), "{out}");
    assert!(out.contains("## How to fix"), "{out}");
    let (status, by_name) = cpts(&["explain", "unknown-step"]);
    assert_eq!((status, by_name), (0, out));
    let (status, out) = cpts(&["explain", "E0130"]);
    assert_eq!(status, 2);
    assert!(out.contains("did you mean"), "{out}");
}

#[test]
fn every_code_is_documented() {
    for code in cpts_diag::codes::ALL {
        for section in [
            "## What it means",
            "## Why it matters",
            "## Example",
            "## How to fix",
        ] {
            assert!(code.doc.contains(section), "{} lacks `{section}`", code.id);
        }
        let (status, _) = cpts(&["explain", code.id]);
        assert_eq!(status, 0);
    }
    let ids: std::collections::BTreeSet<_> = cpts_diag::codes::ALL.iter().map(|c| c.id).collect();
    assert_eq!(
        ids.len(),
        cpts_diag::codes::ALL.len(),
        "code ids are unique"
    );
}

#[test]
fn the_binary_runs_and_colours_only_on_request() {
    let bin = env!("CARGO_BIN_EXE_cpts");
    let case = path("tests/corpus/check/many-independent-errors.cpts");
    let plain = std::process::Command::new(bin)
        .args(["check", &case])
        .output()
        .unwrap();
    assert_eq!(plain.status.code(), Some(1));
    assert!(!String::from_utf8_lossy(&plain.stdout).contains('\u{1b}'));
    let coloured = std::process::Command::new(bin)
        .args(["check", &case, "--color", "always"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&coloured.stdout).contains('\u{1b}'));
}

#[test]
fn every_example_checks_clean_with_the_national_rules() {
    let examples = root().join("examples");
    let mut count = 0;
    for entry in std::fs::read_dir(&examples).unwrap() {
        let dir = entry.unwrap().path();
        if !dir.is_dir()
            || !std::fs::read_dir(&dir)
                .unwrap()
                .any(|f| f.unwrap().path().extension().is_some_and(|e| e == "cpts"))
        {
            continue;
        }
        let (status, out) = cpts(&["check", &path("rules"), &dir.to_string_lossy()]);
        assert_eq!(status, 0, "{}: {out}", dir.display());
        count += 1;
    }
    assert!(count >= 1, "no rules example found under examples/");
}

#[test]
fn info_flag_lists_uncertain_values() {
    let (status, out) = cpts(&["check", &path("rules"), "--info"]);
    assert_eq!(status, 0);
    assert!(out.contains("I0404 uncertain-value"), "{out}");
    assert!(out.contains("seuils_taille"), "{out}");
}

#[test]
fn unknown_region_is_a_usage_error() {
    let (status, out) = cpts(&["check", &path("rules"), "--region", "occitanie"]);
    assert_eq!(status, 2, "{out}");
    assert!(out.contains("E0116"), "{out}");
    let (status, out) = cpts(&["check", &path("rules"), "--region", "bfc"]);
    assert_eq!(status, 0, "{out}");
}

#[test]
fn schema_of_project_files_is_generated_from_the_rules() {
    let rules = path("rules");
    let (status, out) = cpts(&[
        "schema",
        "--workflow",
        "creation",
        "--region",
        "bfc",
        "--rules",
        &rules,
    ]);
    assert_eq!(status, 0, "{out}");
    let schema: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    let step = &schema["properties"]["journal"]["items"]["properties"]["step"]["enum"];
    assert!(
        step.as_array()
            .unwrap()
            .iter()
            .any(|s| s == "courrier_validation_conjoint"),
        "regional steps are journal steps"
    );
    assert_eq!(
        cpts(&["schema", "--workflow", "inconnu", "--rules", &rules]).0,
        2
    );
    assert_eq!(
        cpts(&[
            "schema",
            "--workflow",
            "creation",
            "--version",
            "aci-2030",
            "--rules",
            &rules
        ])
        .0,
        2
    );
}
