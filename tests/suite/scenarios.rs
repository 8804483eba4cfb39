//! `cpts test`: scenario files run against rules, failures shown as differences, coverage,
//! thresholds and mutants; and the real `rules/` suites: every scenario passes, every rule is
//! covered both ways, and negating any rule makes a scenario fail.

use super::projects::cpts_at_root;

const MINI: &str = "tests/corpus/scenarios/mini.test.toml";

#[test]
fn a_passing_suite_with_full_coverage_and_no_surviving_mutant() {
    let (status, out) = cpts_at_root(&[
        "test",
        MINI,
        "--coverage",
        "--threshold",
        "100",
        "--mutants",
        "conditions",
    ]);
    assert_eq!(status, 0, "{out}");
    insta::assert_snapshot!("test__mini", out);
}

#[test]
fn failures_are_differences_and_bad_files_are_diagnostics() {
    let (status, out) = cpts_at_root(&[
        "test",
        "tests/corpus/scenarios/bad",
        "--rules",
        "tests/corpus/scenarios/mini.cpts",
    ]);
    assert_eq!(status, 1, "{out}");
    insta::assert_snapshot!("test__bad", out);
}

#[test]
fn json_output_has_a_schema_and_every_failure() {
    let (status, out) = cpts_at_root(&[
        "test",
        "tests/corpus/scenarios/bad/failing.test.toml",
        "--rules",
        "tests/corpus/scenarios/mini.cpts",
        "--format",
        "json",
        "--coverage",
    ]);
    assert_eq!(status, 1, "{out}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["schema"], "cpts-test/2");
    assert_eq!(json["summary"]["scenarios"], 3);
    assert_eq!(json["summary"]["passed"], 2);
    let failures = json["files"][0]["scenarios"][0]["failures"]
        .as_array()
        .unwrap();
    let what: Vec<&str> = failures
        .iter()
        .map(|f| f["what"].as_str().unwrap())
        .collect();
    assert_eq!(
        what,
        [
            "states.constitution",
            "enabled",
            "violations",
            "values.double",
            "complete"
        ]
    );
    assert_eq!(failures[1]["unexpected"], serde_json::json!(["validation"]));
    assert_eq!(failures[3]["expected"], "5");
    // What was computed is data: a number, a boolean, not their display text.
    assert_eq!(failures[3]["found"], 4);
    assert!(failures[4]["found"].is_boolean(), "{:#}", failures[4]);
    assert_eq!(json["coverage"]["groups"][0]["rules"]["total"], 2);
}

#[test]
fn below_the_threshold_fails_and_names_what_is_not_covered() {
    let (status, out) = cpts_at_root(&["test", MINI, "--filter", "rien", "--threshold", "100"]);
    assert_eq!(status, 1, "{out}");
    assert!(out.contains("below the threshold"), "{out}");
    assert!(
        out.contains("rule `president_connu` never seen false"),
        "{out}"
    );
    assert!(
        out.contains("rule `membres_suffisants` never evaluated"),
        "{out}"
    );
    let (status, out) = cpts_at_root(&["test", MINI, "--filter", "rien", "--threshold", "50"]);
    assert_eq!(
        status, 1,
        "only one rule of two seen both ways is 0 %: {out}"
    );
}

#[test]
fn a_mutant_no_scenario_notices_is_reported() {
    // These scenarios look only at enabled steps: negating either rule changes nothing they see.
    let dir = tempdir();
    let scenarios = r#"
[defaults]
workflow = "mini"
version = "v1"
today = 2024-03-01
facts = { membres = 2 }

[[scenario]]
name = "rien n'est fait"
expect = { enabled = ["constitution"] }

[[scenario]]
name = "constituée"
extends = "rien n'est fait"
journal = [{ step = "constitution", date = 2024-01-10 }]
expect = { enabled = ["validation"] }
"#;
    std::fs::write(dir.join("mini.test.toml"), scenarios).unwrap();
    std::fs::copy(
        super::root().join("tests/corpus/scenarios/mini.cpts"),
        dir.join("mini.cpts"),
    )
    .unwrap();
    let (status, out) = super::cpts(&["test", &dir.to_string_lossy(), "--mutants", "rules"]);
    assert_eq!(status, 1, "{out}");
    assert!(out.contains("2 scenarios: 2 passed, 0 failed"), "{out}");
    assert!(
        out.contains("mutants: 2 made, 0 killed, 2 survived, 0 invalid"),
        "{out}"
    );
    assert!(
        out.contains("rule `president_connu`: condition negated"),
        "{out}"
    );
}

#[test]
fn no_scenario_file_is_a_usage_error() {
    let (status, out) = cpts_at_root(&["test", "crates/cli/src"]);
    assert_eq!(status, 2, "{out}");
    assert!(out.contains("no scenario file"), "{out}");
}

/// A fresh folder under the target directory (kept small; removed at the next run).
fn tempdir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("cpts-scenarios-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn the_suites_of_rules_pass_with_every_rule_covered_both_ways() {
    let (status, out) = cpts_at_root(&["test", "rules", "--threshold", "100"]);
    assert_eq!(status, 0, "{out}");
    assert!(!out.contains("FAIL"), "{out}");
    for group in ["national", "bfc", "bretagne", "cvl", "cvl_cts"] {
        let line = out
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{group} ")))
            .unwrap_or_else(|| panic!("no coverage line for {group}: {out}"));
        assert_eq!(line.matches("100.0 %").count(), 2, "{line}");
    }
}

/// The mutation check of issue 6: negating any rule of `rules/` makes a scenario fail.
#[test]
fn negating_any_rule_of_rules_makes_a_scenario_fail() {
    let (status, out) = cpts_at_root(&["test", "rules", "--mutants", "rules", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let mutants = json["mutants"].as_array().unwrap();
    let survivors: Vec<String> = mutants
        .iter()
        .filter(|m| m["killed_by"].is_null())
        .map(|m| format!("{} ({})", m["rule"], m["change"]))
        .collect();
    assert!(mutants.len() >= 48, "{}", mutants.len());
    assert_eq!(survivors, Vec::<String>::new());
    assert_eq!(status, 0);
}

#[test]
fn the_example_regions_suite_covers_its_rule() {
    let (status, out) = cpts_at_root(&["test", "examples/nouvelle-region", "--coverage"]);
    assert_eq!(status, 0, "{out}");
    let line = out
        .lines()
        .find(|l| l.trim_start().starts_with("nouvelle_aquitaine "))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(line.contains("1/1  100.0 %"), "{line}");
}
