//! The one integration-test binary of cpts (see ARCHITECTURE.md, "Testing").
//!
//! - `corpus`: every invalid input under `tests/corpus/check/` yields exactly the codes its
//!   `// expect:` header lists, with its rendered diagnostics reviewed as an insta snapshot; every
//!   code of the registry is covered by at least one case.
//! - `advance`: refusals leave files byte-identical; appends are atomic; concurrency is detected.
//! - `cli`: the `cpts` binary end to end: exit codes, JSON, `explain`, the real `rules/`.
//! - `evaluator`: the compiled evaluator agrees with the tree walker on the real rules, projects
//!   and scenarios.
//! - `fmt`: `cpts fmt`: the canonical layout of a messy file (a snapshot), rewriting in place,
//!   `--check`, files that do not parse left untouched, the round trip on token soups.
//! - `cli_docs`: its conventions: `--format json` everywhere with documented schemas,
//!   completions, manual pages, docs/cli.md covering every command.
//! - `fuzz`: the fuzz targets' bodies on their seeds and deterministic mutants (bounded).
//! - `graph`: `cpts graph` in every format, as snapshots.
//! - `json_schemas`: every command's JSON validated against the schema `cpts schema --output`
//!   prints for it; drifted documents rejected.
//! - `projects`: bad project files (codes, snapshots) and `status`/`next` of every example.
//! - `robustness`: property tests: nothing in the language crate panics on random input.
//! - `scenarios`: `cpts test` (differences, coverage, thresholds, mutants) and the suites of
//!   `rules/`: all pass, every rule covered both ways, every negated rule noticed.
//! - `simulate`: forecasts reproducible by seed, per example, as snapshots.
//! - `soundness`: property tests of the graph checks: generated sound workflows have no finding;
//!   mutated ones never panic the checker, whose verdict does not depend on declaration order.

mod advance;
mod cli;
mod cli_docs;
mod corpus;
mod evaluator;
mod fmt;
mod fuzz;
mod graph;
mod json_schemas;
mod plugins;
mod projects;
mod robustness;
mod scenarios;
mod simulate;
mod soundness;

use std::path::{Path, PathBuf};

/// The repository root.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

/// Runs `cpts` in-process with `args`, without colour; returns (exit status, output).
fn cpts(args: &[&str]) -> (u8, String) {
    let mut out = Vec::new();
    let argv = std::iter::once("cpts").chain(args.iter().copied());
    let status = cpts_cli::run(argv, &mut out, false);
    (status, String::from_utf8(out).unwrap())
}
