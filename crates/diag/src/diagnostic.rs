//! The diagnostic value every phase produces.

use crate::{Code, Span};
use serde::Serialize;
use std::fmt;

/// How serious a finding is. Ordered: `Info < Warning < Error`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; nothing to fix.
    Info,
    /// Probably wrong or risky; the rules still load.
    Warning,
    /// The rules (or project) cannot be trusted until fixed.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// A secondary span with a short message ("first defined here").
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Label {
    /// Where.
    pub span: Span,
    /// What to say there (may be empty).
    pub message: String,
}

/// One problem found in user input. Messages follow cedar's conventions: lowercase, no final
/// period, user input in backticks, no Rust type names; explanation goes in `help`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// The stable code, documented in the registry.
    pub code: &'static Code,
    /// Severity of this occurrence (usually the code's default).
    pub severity: Severity,
    /// One line saying what is wrong.
    pub message: String,
    /// The main place, when the problem has one.
    pub span: Option<Span>,
    /// What to print under the main span.
    pub span_label: String,
    /// Other places that explain the problem.
    pub labels: Vec<Label>,
    /// How to fix it.
    pub help: Option<String>,
    /// Further facts (e.g. a counterexample path), one per line.
    pub notes: Vec<String>,
    /// The rule it comes from (its id), when a rule of the workflow produced it.
    pub rule: Option<String>,
    /// The step or decision it belongs to, when it belongs to one.
    pub step: Option<String>,
    /// The legal or normative source of what it is about (a rule's `source`).
    pub source: Option<String>,
}

impl Diagnostic {
    /// A diagnostic with the code's default severity and no span yet.
    pub fn new(code: &'static Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            severity: code.severity,
            message: message.into(),
            span: None,
            span_label: String::new(),
            labels: Vec::new(),
            help: None,
            notes: Vec::new(),
            rule: None,
            step: None,
            source: None,
        }
    }

    /// Sets the main span.
    pub fn at(mut self, span: Span) -> Diagnostic {
        self.span = Some(span);
        self
    }

    /// Sets the main span with a message under it.
    pub fn at_with(mut self, span: Span, label: impl Into<String>) -> Diagnostic {
        self.span = Some(span);
        self.span_label = label.into();
        self
    }

    /// Adds a secondary label.
    pub fn label(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    /// Sets the help text.
    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// Adds a note line.
    pub fn note(mut self, note: impl Into<String>) -> Diagnostic {
        self.notes.push(note.into());
        self
    }

    /// Names the rule it comes from.
    pub fn rule(mut self, rule: impl Into<String>) -> Diagnostic {
        self.rule = Some(rule.into());
        self
    }

    /// Names the step or decision it belongs to.
    pub fn step(mut self, step: impl Into<String>) -> Diagnostic {
        self.step = Some(step.into());
        self
    }

    /// Sets the source of what it is about.
    pub fn source(mut self, source: impl Into<String>) -> Diagnostic {
        self.source = Some(source.into());
        self
    }

    /// Overrides the severity.
    pub fn severity(mut self, severity: Severity) -> Diagnostic {
        self.severity = severity;
        self
    }
}

/// Sorts diagnostics into a stable reading order: by file, position, then code.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        let key = |d: &Diagnostic| (d.span.map(|s| (s.file, s.start, s.end)), d.code.id);
        key(a).cmp(&key(b)).then_with(|| a.message.cmp(&b.message))
    });
}

/// True when any diagnostic is at error level.
pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(|d| d.severity == Severity::Error)
}
