//! The CLI's conventions, kept true by test (docs/cli.md): every command takes `--format json`
//! and every JSON document it prints names a versioned `schema` that docs/cli.md documents;
//! completions, manual pages and docs/cli.md cover every command; exit statuses are documented.

use super::{cpts, root};
use std::collections::BTreeSet;

fn path(rel: &str) -> String {
    root().join(rel).to_string_lossy().into_owned()
}

fn docs() -> String {
    std::fs::read_to_string(root().join("docs/cli.md")).unwrap()
}

/// Every command as typed (`check`, `plugin new`, …), leaves only.
fn commands() -> Vec<(String, clap::Command)> {
    fn walk(prefix: &str, cmd: &clap::Command, out: &mut Vec<(String, clap::Command)>) {
        for sub in cmd.get_subcommands() {
            let name = format!("{prefix}{}", sub.get_name()).trim().to_owned();
            if sub.has_subcommands() {
                walk(&format!("{name} "), sub, out);
            } else {
                out.push((name, sub.clone()));
            }
        }
    }
    let mut out = Vec::new();
    walk("", &cpts_cli::command(), &mut out);
    out
}

/// Commands whose output is a file format rather than a report.
const NO_FORMAT: [&str; 2] = ["completions", "man"];

#[test]
fn every_command_takes_format_json_and_is_documented() {
    let docs = docs();
    for (name, cmd) in commands() {
        assert!(
            docs.contains(&format!("`cpts {name}")),
            "docs/cli.md lacks `cpts {name}`"
        );
        if NO_FORMAT.contains(&name.as_str()) {
            continue;
        }
        let format = cmd.get_arguments().find(|a| a.get_id() == "format");
        let json = format.is_some_and(|f| {
            f.get_possible_values()
                .iter()
                .any(|v| v.get_name() == "json")
        });
        assert!(json, "`cpts {name}` takes no `--format json`");
    }
}

/// A scratch folder with a copy of an example project.
fn scratch(tag: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("cpts-cli-docs-{}-{tag}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(
        path("examples/projects/projet-oppose.toml"),
        dir.join("projet.toml"),
    )
    .unwrap();
    dir
}

#[test]
fn every_json_output_names_a_documented_schema() {
    let dir = scratch("json");
    let project = dir.join("projet.toml").to_string_lossy().into_owned();
    let (rules, example) = (path("rules"), path("examples/projects/sud-28.toml"));
    let corpus = path("tests/corpus/check/many-independent-errors.cpts");
    let mini = path("tests/corpus/scenarios/mini.test.toml");
    let new_plugin = dir.join("plugin").to_string_lossy().into_owned();
    let missing = dir.join("missing").to_string_lossy().into_owned();
    let advance = [
        "advance",
        &project,
        "--rules",
        &rules,
        "--step",
        "validation_projet",
    ];
    let runs: Vec<Vec<&str>> = vec![
        vec!["check", &rules],
        vec!["check", &corpus],
        vec!["check", &missing],
        vec!["graph", &rules, "--workflow", "creation"],
        vec!["graph", &rules, "--region", "occitanie"],
        vec!["status", &example, "--rules", &rules],
        vec!["next", &example, "--rules", &rules],
        vec!["status", &missing, "--rules", &rules],
        vec!["status", &example, "--rules", &missing],
        [
            &advance[..],
            &["--outcome", "acceptee", "--date", "2024-01-10"],
        ]
        .concat(),
        [
            &advance[..],
            &["--outcome", "valide", "--date", "2024-01-09"],
        ]
        .concat(),
        vec!["simulate", &example, "--rules", &rules, "--runs", "5"],
        vec![
            "simulate",
            &example,
            "--rules",
            &rules,
            "--until",
            "nulle_part",
        ],
        vec!["schema", "--workflow", "creation", "--rules", &rules],
        vec!["explain"],
        vec!["explain", "E0103"],
        vec!["explain", "E9999"],
        vec!["plugin", "new", "demo", "--dir", &new_plugin],
        vec!["plugin", "new", "Bad_Name"],
        vec!["plugin", "build", &missing],
        vec!["plugin", "inspect", &missing],
        vec!["test", &mini, "--coverage", "--mutants", "rules"],
        vec!["test", &missing],
        vec!["fmt", "--check", &rules],
        vec!["fmt", "--check", &missing],
    ];
    let mut seen = BTreeSet::new();
    for args in runs {
        let (status, out) = cpts(&[&args[..], &["--format", "json"]].concat());
        let doc: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| {
            panic!("{args:?} (exit {status}) is not one JSON document: {e}\n{out}")
        });
        let schema = doc["schema"].as_str().or(doc["$schema"].as_str());
        let schema = schema.unwrap_or_else(|| panic!("{args:?} has no `schema`:\n{out}"));
        seen.insert(schema.to_owned());
    }
    let docs = docs();
    for schema in seen.iter().filter(|s| s.starts_with("cpts-")) {
        let (name, version) = schema.split_once('/').expect("NAME/VERSION");
        assert!(
            version.parse::<u32>().is_ok(),
            "`{schema}`: the version is a number"
        );
        assert!(
            docs.contains(&format!("### `{schema}`")),
            "docs/cli.md lacks `{name}`"
        );
    }
    for expected in [
        "cpts-check/2",
        "cpts-error/1",
        "cpts-advance/2",
        "cpts-explain/1",
    ] {
        assert!(seen.contains(expected), "{expected} not seen: {seen:?}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bash_completions_know_every_command() {
    let (status, script) = cpts(&["completions", "bash"]);
    assert_eq!(status, 0, "{script}");
    for (name, _) in commands() {
        let last = name.rsplit(' ').next().unwrap();
        assert!(script.contains(last), "completions lack `{name}`");
    }
    for shell in ["zsh", "fish", "powershell", "elvish"] {
        let (status, script) = cpts(&["completions", shell]);
        assert_eq!(status, 0);
        assert!(script.contains("simulate"), "{shell}");
    }
    assert_eq!(cpts(&["completions", "tcsh"]).0, 2);
}

#[test]
fn the_manual_page_lists_every_command_and_the_exit_statuses() {
    let (status, page) = cpts(&["man"]);
    assert_eq!(status, 0, "{page}");
    assert!(
        page.starts_with(".ie") || page.contains(".TH cpts"),
        "roff: {page}"
    );
    assert!(page.contains(".SH \"EXIT STATUS\""), "{page}");
    for (name, _) in commands() {
        let top = name.split(' ').next().unwrap();
        assert!(
            page.contains(&format!("cpts\\-{top}")),
            "the page lacks `{top}`"
        );
    }
    for (code, _) in [(0, ""), (1, ""), (2, "")] {
        assert!(page.contains(&format!("\\fB{code}\\fR")), "status {code}");
    }
    let docs = docs();
    for code in ["| `0` |", "| `1` |", "| `2` |"] {
        assert!(docs.contains(code), "docs/cli.md lacks exit status {code}");
    }
}

#[test]
fn man_out_writes_one_page_per_command() {
    let dir = scratch("man");
    let out = dir.join("man").to_string_lossy().into_owned();
    let (status, listing) = cpts(&["man", "--out", &out]);
    assert_eq!(status, 0, "{listing}");
    let mut expected = vec!["cpts.1".to_owned(), "cpts-plugin.1".to_owned()];
    expected.extend(
        commands()
            .iter()
            .map(|(n, _)| format!("cpts-{}.1", n.replace(' ', "-"))),
    );
    for page in expected {
        let text = std::fs::read_to_string(dir.join("man").join(&page))
            .unwrap_or_else(|e| panic!("{page}: {e}\n{listing}"));
        assert!(text.contains("EXIT STATUS"), "{page}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
