//! The invalid-input corpus. A case is a `.cpts` file, or a folder of `.cpts` files checked
//! together, under `tests/corpus/check/`. Its first line lists the codes it must produce, in any
//! order, each as many times as it occurs: `// expect: E0103 E0103 W0401`.

use cpts_diag::{Sources, codes};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn cases() -> Vec<PathBuf> {
    let dir = super::root().join("tests/corpus/check");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    cases.sort();
    cases
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

#[test]
fn every_case_yields_its_expected_codes_and_snapshot() {
    let mut failures = Vec::new();
    for case in cases() {
        let name = case.file_stem().unwrap().to_string_lossy().into_owned();
        let sources = load(&case);
        let expected = expected_codes(&sources);
        let checked = cpts_lang::check(&sources);
        let mut found: Vec<String> = checked
            .diagnostics
            .iter()
            .map(|d| d.code.id.to_owned())
            .collect();
        found.sort();
        if found != expected {
            failures.push(format!("{name}: expected {expected:?}, found {found:?}"));
        }
        assert!(
            !checked.diagnostics.is_empty(),
            "{name}: an invalid case must produce a diagnostic"
        );
        let rendered = render(&sources, &checked.diagnostics);
        insta::assert_snapshot!(format!("corpus__{name}"), rendered);
    }
    assert!(
        failures.is_empty(),
        "cases with wrong codes:\n{}",
        failures.join("\n")
    );
}

/// Codes that need the filesystem are covered by the `cli` tests instead.
const COVERED_BY_CLI: &[&str] = &["E0010", "E0012"];

#[test]
fn every_code_in_the_registry_has_a_case() {
    let mut covered = BTreeSet::new();
    for case in cases() {
        covered.extend(expected_codes(&load(&case)));
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
        cases().len() >= 40,
        "the corpus must hold at least 40 cases"
    );
}

/// Renders as `cpts check --format human --info` would, through the CLI's renderer.
fn render(sources: &Sources, diagnostics: &[cpts_diag::Diagnostic]) -> String {
    let mut out = Vec::new();
    cpts_cli::render_human(sources, diagnostics, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}
