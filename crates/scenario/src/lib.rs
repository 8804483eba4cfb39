//! Scenario tests for cpts rules (`cpts test`). A scenario file (`*.test.toml`, kept next to the
//! rules it tests) gives facts, a journal and a date, and expects step states, the rules that
//! block a step, the rules violated, computed values, whether the workflow is complete, and the
//! most fuel a plugin call may use. See `docs/testing.md`.
//!
//! - [`file`](mod@file) reads scenario files (`[defaults]`, then `[[scenario]]`s that may `extends` an
//!   earlier one);
//! - [`Runner`] runs them against loaded [`cpts::Rules`], recording which conditions of which
//!   rules were seen true and false;
//! - [`coverage::report`] turns that into rule and condition coverage, per region;
//! - [`mutate`] changes one rule at a time to show what the scenarios do not pin down;
//! - [`report::TestReport`] is the result of a run as data (`cpts-test/2`).
#![deny(missing_docs)]

pub mod coverage;
pub mod expect;
pub mod file;
pub mod mutate;
pub mod report;
mod run;

pub use run::{Failure, FileOutcome, Mismatch, Outcome, Runner, add_file};

use std::path::{Path, PathBuf};

/// The suffix of scenario files.
pub const SUFFIX: &str = ".test.toml";

/// Every scenario file under `paths` (files are taken as given, folders searched), sorted.
pub fn discover(paths: &[PathBuf]) -> std::io::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    for path in paths {
        if path.is_dir() {
            walk(path, &mut found)?;
        } else {
            found.push(path.clone());
        }
    }
    Ok(found)
}

fn walk(dir: &Path, found: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, found)?;
        } else if path.to_string_lossy().ends_with(SUFFIX) {
            found.push(path);
        }
    }
    Ok(())
}
