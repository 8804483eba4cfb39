//! Rendering diagnostics: the only place that decides how they look.

mod human;
mod json;

use crate::Format;
use cpts_diag::{Diagnostic, Sources};
pub(crate) use human::{human, human_plain};
pub(crate) use json::{doc as json_doc, json};
use std::io::Write;

/// Problems that stop a command: for humans after `intro`, or one `cpts-check/2` document.
pub(crate) fn problems(
    sources: &Sources,
    problems: &[Diagnostic],
    intro: Option<&str>,
    format: Format,
    color: bool,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    match format {
        Format::Human => {
            if let Some(intro) = intro {
                writeln!(out, "{intro}")?;
            }
            human(sources, problems, problems, color, out)
        }
        Format::Json => json(sources, problems, out),
    }
}

/// A problem that is not in a rules or project text (a name, a path, a build): `error: …` and
/// `help: …` lines, or one `cpts-error/1` document ([`cpts::report::ErrorReport`]).
pub(crate) fn error(format: Format, message: &str, help: Option<&str>, out: &mut dyn Write) {
    let _ = match format {
        Format::Human => match help {
            Some(help) => writeln!(out, "error: {message}\nhelp: {help}"),
            None => writeln!(out, "error: {message}"),
        },
        Format::Json => json_doc(&cpts::report::ErrorReport::new(message, help), out),
    };
}
