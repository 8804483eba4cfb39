//! `cpts fmt`: schema `cpts-fmt/2`.

use super::{Finding, findings};
use cpts_diag::{Diagnostic, Sources};
use schemars::JsonSchema;
use serde::Serialize;

/// What `cpts fmt` did: schema `cpts-fmt/2`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct FmtReport {
    /// `cpts-fmt/2`.
    #[schemars(extend("const" = FmtReport::SCHEMA))]
    pub schema: &'static str,
    /// Whether `--check` was given (nothing written).
    pub check: bool,
    /// Counts.
    pub summary: FmtSummary,
    /// Each file.
    pub files: Vec<FmtFile>,
    /// Parse and IO problems.
    pub diagnostics: Vec<Finding>,
    /// The formatted text, for standard input only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub formatted: Option<String>,
}

/// Counts of a `cpts fmt` run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct FmtSummary {
    /// Files read.
    pub files: usize,
    /// Files whose layout changed (or would, with `--check`).
    pub changed: usize,
    /// Files not formatted.
    pub errors: usize,
}

/// What happened to one file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct FmtFile {
    /// The file, as given.
    pub path: String,
    /// Its layout differs (it was rewritten, or would be with `--check`).
    pub changed: bool,
    /// Why it was not formatted.
    pub error: Option<String>,
}

impl FmtReport {
    /// The schema name and version.
    pub const SCHEMA: &'static str = "cpts-fmt/2";

    /// The report on `files`, with the `problems` found in `sources`; `formatted` is standard
    /// input's formatted text.
    pub fn new(
        check: bool,
        files: Vec<FmtFile>,
        sources: &Sources,
        problems: &[Diagnostic],
        formatted: Option<&str>,
    ) -> FmtReport {
        FmtReport {
            schema: FmtReport::SCHEMA,
            check,
            summary: FmtSummary {
                files: files.len(),
                changed: files.iter().filter(|f| f.changed).count(),
                errors: files.iter().filter(|f| f.error.is_some()).count(),
            },
            files,
            diagnostics: findings(sources, problems),
            formatted: formatted.map(str::to_owned),
        }
    }
}
