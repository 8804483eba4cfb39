//! JSON output, schema version 1:
//!
//! ```json
//! { "schema": "cpts-check/1",
//!   "summary": { "files": 3, "errors": 1, "warnings": 0, "infos": 2 },
//!   "diagnostics": [ { "code": "E0103", "name": "unknown-step", "severity": "error",
//!       "message": "…", "file": "rules/x.cpts",
//!       "span": { "start": 10, "end": 14, "line": 2, "column": 9, "end_line": 2, "end_column": 13 },
//!       "label": "not found", "labels": [ { "file": "…", "span": {…}, "message": "…" } ],
//!       "help": "did you mean `agc`?", "notes": [] } ] }
//! ```
//! `file` and `span` are null for problems without a place (an unreadable path). Offsets are
//! bytes; lines and columns are 1-based, columns count characters.

use cpts_diag::{Diagnostic, Severity, Sources, Span};
use serde::Serialize;
use std::io::Write;

#[derive(Serialize)]
struct Output<'a> {
    schema: &'static str,
    summary: Summary,
    diagnostics: Vec<Entry<'a>>,
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
}

/// One diagnostic, as every JSON output of the CLI writes it.
#[derive(Serialize)]
pub(crate) struct Entry<'a> {
    code: &'static str,
    name: &'static str,
    severity: Severity,
    message: &'a str,
    file: Option<&'a str>,
    span: Option<Position>,
    label: &'a str,
    labels: Vec<LabelEntry<'a>>,
    help: Option<&'a str>,
    notes: &'a [String],
}

#[derive(Serialize)]
struct LabelEntry<'a> {
    file: &'a str,
    span: Position,
    message: &'a str,
}

#[derive(Serialize)]
struct Position {
    start: u32,
    end: u32,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
}

fn position(sources: &Sources, span: Span) -> Position {
    let file = sources.get(span.file);
    let (line, column) = file.line_col(span.start as usize);
    let (end_line, end_column) = file.line_col(span.end as usize);
    Position {
        start: span.start,
        end: span.end,
        line,
        column,
        end_line,
        end_column,
    }
}

pub(crate) fn json(
    sources: &Sources,
    all: &[Diagnostic],
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let count = |s: Severity| all.iter().filter(|d| d.severity == s).count();
    let output = Output {
        schema: "cpts-check/1",
        summary: Summary {
            files: sources.len(),
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            infos: count(Severity::Info),
        },
        diagnostics: entries(sources, all),
    };
    serde_json::to_writer_pretty(&mut *out, &output)?;
    writeln!(out)
}

/// The `diagnostics` array of `cpts-check/1`, for the other documents that carry findings.
pub(crate) fn diagnostics(sources: &Sources, all: &[Diagnostic]) -> serde_json::Value {
    serde_json::to_value(entries(sources, all)).unwrap_or_default()
}

/// The diagnostics as JSON entries (the `diagnostics` array of `cpts-check/1`).
pub(crate) fn entries<'a>(sources: &'a Sources, all: &'a [Diagnostic]) -> Vec<Entry<'a>> {
    all.iter()
        .map(|d| Entry {
            code: d.code.id,
            name: d.code.name,
            severity: d.severity,
            message: &d.message,
            file: d.span.map(|s| sources.get(s.file).name.as_str()),
            span: d.span.map(|s| position(sources, s)),
            label: &d.span_label,
            labels: d
                .labels
                .iter()
                .map(|l| LabelEntry {
                    file: sources.get(l.span.file).name.as_str(),
                    span: position(sources, l.span),
                    message: &l.message,
                })
                .collect(),
            help: d.help.as_deref(),
            notes: &d.notes,
        })
        .collect()
}
