//! Human output: source snippet, underline, labels, help; colour on request.

use codespan_reporting::diagnostic::{Diagnostic as Report, Label, LabelStyle, Severity as Level};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, Config, termcolor};
use cpts_diag::{Diagnostic, Severity, Sources};
use std::io::Write;

/// Writes the diagnostics only, without the summary line.
pub(crate) fn human_plain(
    sources: &Sources,
    shown: &[Diagnostic],
    color: bool,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let mut files = SimpleFiles::new();
    for (_, file) in sources.iter() {
        files.add(file.name.clone(), file.text.clone());
    }
    let config = Config::default();
    let mut buffer = if color {
        termcolor::Buffer::ansi()
    } else {
        termcolor::Buffer::no_color()
    };
    for d in shown {
        term::emit(&mut buffer, &config, &files, &report(d))
            .map_err(|e| std::io::Error::other(e.to_string()))?;
    }
    out.write_all(buffer.as_slice())
}

/// Writes `shown` and a summary counting `all` (hidden infos included).
pub(crate) fn human(
    sources: &Sources,
    shown: &[Diagnostic],
    all: &[Diagnostic],
    color: bool,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    human_plain(sources, shown, color, out)?;
    let count = |s: Severity| all.iter().filter(|d| d.severity == s).count();
    let (errors, warnings, infos) = (
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info),
    );
    let hidden = all.len() - shown.len();
    let mut summary = format!(
        "{} file{} checked: {errors} error{}, {warnings} warning{}, {infos} info",
        sources.len(),
        plural(sources.len()),
        plural(errors),
        plural(warnings),
    );
    if hidden > 0 {
        summary.push_str(&format!(" ({hidden} hidden: use --info)"));
    }
    writeln!(out, "{summary}")
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn report(d: &Diagnostic) -> Report<usize> {
    let level = match d.severity {
        Severity::Error => Level::Error,
        Severity::Warning => Level::Warning,
        Severity::Info => Level::Note,
    };
    let mut labels = Vec::new();
    if let Some(span) = d.span {
        labels.push(
            Label::new(LabelStyle::Primary, span.file.0 as usize, span.range())
                .with_message(&d.span_label),
        );
    }
    for l in &d.labels {
        labels.push(
            Label::new(
                LabelStyle::Secondary,
                l.span.file.0 as usize,
                l.span.range(),
            )
            .with_message(&l.message),
        );
    }
    let mut notes: Vec<String> = d.notes.iter().map(|n| format!("note: {n}")).collect();
    if let Some(help) = &d.help {
        notes.push(format!("help: {help}"));
    }
    Report::new(level)
        .with_code(format!("{} {}", d.code.id, d.code.name))
        .with_message(&d.message)
        .with_labels(labels)
        .with_notes(notes)
}
