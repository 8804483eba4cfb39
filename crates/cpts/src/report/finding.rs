//! Findings (diagnostics as data) and the documents that are only findings: `cpts-check/2` and
//! `cpts-error/1`.

use super::SeveritySchema;
use cpts_diag::{Diagnostic, Severity, Sources, Span};
use schemars::JsonSchema;
use serde::Serialize;

/// Where a finding or a label points: the file, the byte range, and the 1-based line and column
/// (in characters) of its start and end.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Location {
    /// The file, as given (rules, project or scenario file).
    pub file: String,
    /// First byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
    /// Line of `start`, 1-based.
    pub line: usize,
    /// Column of `start`, 1-based, in characters.
    pub column: usize,
    /// Line of `end`.
    pub end_line: usize,
    /// Column of `end`.
    pub end_column: usize,
}

impl Location {
    /// `span` located in `sources`.
    pub fn new(sources: &Sources, span: Span) -> Location {
        let file = sources.get(span.file);
        let (line, column) = file.line_col(span.start as usize);
        let (end_line, end_column) = file.line_col(span.end as usize);
        Location {
            file: file.name.clone(),
            start: span.start,
            end: span.end,
            line,
            column,
            end_line,
            end_column,
        }
    }
}

/// A secondary place with what to say there.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct LabelReport {
    /// Where.
    pub span: Location,
    /// What to say there (may be empty).
    pub message: String,
}

/// One problem or verdict, as every document carries it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Finding {
    /// The stable code (`E0103`), documented by `cpts explain`.
    pub code: &'static str,
    /// The code's name (`unknown-step`).
    pub name: &'static str,
    /// `info`, `warning` or `error`.
    #[schemars(with = "SeveritySchema")]
    pub severity: Severity,
    /// The rule it comes from (its id), when it comes from one.
    pub rule: Option<String>,
    /// The step or decision it belongs to, when it belongs to one.
    pub step: Option<String>,
    /// What is wrong (a rule's own message, in French, for a failing rule).
    pub message: String,
    /// The legal or normative source (a rule's `source`).
    pub source: Option<String>,
    /// The main place, when there is one.
    pub span: Option<Location>,
    /// What to say at the main place (may be empty).
    pub label: String,
    /// Other places that explain it.
    pub labels: Vec<LabelReport>,
    /// How to fix it.
    pub help: Option<String>,
    /// Further facts, one per line.
    pub notes: Vec<String>,
}

impl Finding {
    /// `d` as data, its spans located in `sources`.
    pub fn new(sources: &Sources, d: &Diagnostic) -> Finding {
        Finding {
            code: d.code.id,
            name: d.code.name,
            severity: d.severity,
            rule: d.rule.clone(),
            step: d.step.clone(),
            message: d.message.clone(),
            source: d.source.clone(),
            span: d.span.map(|s| Location::new(sources, s)),
            label: d.span_label.clone(),
            labels: d
                .labels
                .iter()
                .map(|l| LabelReport {
                    span: Location::new(sources, l.span),
                    message: l.message.clone(),
                })
                .collect(),
            help: d.help.clone(),
            notes: d.notes.clone(),
        }
    }
}

/// Every diagnostic of `all` as a [`Finding`], in order.
pub fn findings(sources: &Sources, all: &[Diagnostic]) -> Vec<Finding> {
    all.iter().map(|d| Finding::new(sources, d)).collect()
}

/// How many files were read and findings made, by severity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct CheckSummary {
    /// Source files read.
    pub files: usize,
    /// Findings at error level.
    pub errors: usize,
    /// Warnings.
    pub warnings: usize,
    /// Infos.
    pub infos: usize,
}

/// `cpts check` (and the problems that stop any command): schema `cpts-check/2`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct CheckReport {
    /// `cpts-check/2`.
    #[schemars(extend("const" = CheckReport::SCHEMA))]
    pub schema: &'static str,
    /// Counts.
    pub summary: CheckSummary,
    /// Every finding, info included.
    pub diagnostics: Vec<Finding>,
}

impl CheckReport {
    /// The schema name and version.
    pub const SCHEMA: &'static str = "cpts-check/2";

    /// The report on `all`, found in `sources`.
    pub fn new(sources: &Sources, all: &[Diagnostic]) -> CheckReport {
        let count = |s: Severity| all.iter().filter(|d| d.severity == s).count();
        CheckReport {
            schema: CheckReport::SCHEMA,
            summary: CheckSummary {
                files: sources.len(),
                errors: count(Severity::Error),
                warnings: count(Severity::Warning),
                infos: count(Severity::Info),
            },
            diagnostics: findings(sources, all),
        }
    }
}

/// A problem that is not in a rules or project text (a name, a path, a build): schema
/// `cpts-error/1`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct ErrorReport {
    /// `cpts-error/1`.
    #[schemars(extend("const" = ErrorReport::SCHEMA))]
    pub schema: &'static str,
    /// What went wrong.
    pub error: String,
    /// What to do about it.
    pub help: Option<String>,
}

impl ErrorReport {
    /// The schema name and version.
    pub const SCHEMA: &'static str = "cpts-error/1";

    /// The error `error`, with `help`.
    pub fn new(error: impl Into<String>, help: Option<&str>) -> ErrorReport {
        ErrorReport {
            schema: ErrorReport::SCHEMA,
            error: error.into(),
            help: help.map(str::to_owned),
        }
    }
}
