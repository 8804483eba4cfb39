//! The invalid-input corpora. A case is a `.cpts` file, or a folder of `.cpts` files checked
//! together, under `tests/corpus/check/` (language errors) or `tests/corpus/verify/` (defective
//! workflows the graph checks must find). Its first line lists the codes `cpts check` must
//! produce, in any order, each as many times as it occurs: `// expect: E0103 E0103 W0401`.

use cpts_diag::{Diagnostic, Sources, codes};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const CORPORA: &[&str] = &["check", "verify"];

fn cases_in(corpus: &str) -> Vec<PathBuf> {
    let dir = super::root().join("tests/corpus").join(corpus);
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    cases.sort();
    cases
}

fn cases() -> Vec<PathBuf> {
    CORPORA.iter().flat_map(|c| cases_in(c)).collect()
}

/// The case's files, named relative to the corpus folder so that snapshots are portable.
fn load(case: &Path) -> Sources {
    let mut files = if case.is_dir() {
        std::fs::read_dir(case)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect()
    } else {
        vec![case.to_path_buf()]
    };
    files.sort();
    let mut sources = Sources::new();
    let base = case.parent().unwrap();
    for f in files {
        let name = f
            .strip_prefix(base)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        sources.add(name, std::fs::read_to_string(&f).unwrap());
    }
    sources
}

fn expected_codes(sources: &Sources) -> Vec<String> {
    let (_, first) = sources.iter().next().expect("a case has at least one file");
    let header = first.text.lines().next().unwrap_or_default();
    let list = header
        .strip_prefix("// expect:")
        .unwrap_or_else(|| panic!("{}: first line must be `// expect: CODE…`", first.name));
    let mut codes: Vec<String> = list.split_whitespace().map(str::to_owned).collect();
    codes.sort();
    codes
}

/// What `cpts check` reports on the case: language checks, then graph checks.
fn diagnostics(sources: &Sources) -> Vec<Diagnostic> {
    cpts_cli::check_sources(sources, None).unwrap_or_else(|d| vec![*d])
}

#[test]
fn every_case_yields_its_expected_codes_and_snapshot() {
    let mut failures = Vec::new();
    for case in cases() {
        let name = case.file_stem().unwrap().to_string_lossy().into_owned();
        let corpus = case
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let sources = load(&case);
        let expected = expected_codes(&sources);
        let found = diagnostics(&sources);
        let mut codes: Vec<String> = found.iter().map(|d| d.code.id.to_owned()).collect();
        codes.sort();
        if codes != expected {
            failures.push(format!(
                "{corpus}/{name}: expected {expected:?}, found {codes:?}"
            ));
        }
        assert!(
            !found.is_empty(),
            "{name}: an invalid case must produce a diagnostic"
        );
        let rendered = render(&sources, &found);
        // Language cases keep their original snapshot names.
        let snapshot = if corpus == "check" {
            format!("corpus__{name}")
        } else {
            format!("{corpus}__{name}")
        };
        insta::assert_snapshot!(snapshot, rendered);
    }
    assert!(
        failures.is_empty(),
        "cases with wrong codes:\n{}",
        failures.join("\n")
    );
}

/// Codes that need the filesystem or arguments are covered by the `cli` tests instead, and plugin
/// codes (which need components) by the `plugins` tests (E0702 too: no rule of `rules/` fails to
/// evaluate on a valid project since the plugins run). Scenario files (E0611) by the `scenarios`
/// tests.
const COVERED_BY_CLI: &[&str] = &[
    "E0010", "E0012", "E0116", "E0609", "E0610", "E0611", "E0702", "E0801", "E0802", "E0803",
    "E0804", "E0805", "E0806",
];

#[test]
fn every_code_in_the_registry_has_a_case() {
    let mut covered = BTreeSet::new();
    for case in cases() {
        covered.extend(expected_codes(&load(&case)));
    }
    for case in super::projects::corpus() {
        covered.extend(super::projects::expected(&case));
    }
    let missing: Vec<_> = codes::ALL
        .iter()
        .map(|c| c.id)
        .filter(|id| !covered.contains(*id) && !COVERED_BY_CLI.contains(id))
        .collect();
    assert!(
        missing.is_empty(),
        "codes without a corpus case: {missing:?}"
    );
    assert!(
        cases_in("check").len() >= 40,
        "the language corpus must hold at least 40 cases"
    );
    assert!(
        cases_in("verify").len() >= 30,
        "the workflow corpus must hold at least 30 cases"
    );
}

/// Renders as `cpts check --format human --info` would, through the CLI's renderer.
fn render(sources: &Sources, diagnostics: &[Diagnostic]) -> String {
    let mut out = Vec::new();
    cpts_cli::render_human(sources, diagnostics, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}
