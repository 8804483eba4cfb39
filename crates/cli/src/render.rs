//! Rendering diagnostics: the only place that decides how they look.

mod human;
mod json;

use crate::Format;
use cpts_diag::{Diagnostic, Sources};
pub(crate) use human::{human, human_plain};
pub(crate) use json::{diagnostics as json_diagnostics, entries, json};
use std::io::Write;

/// Problems that stop a command: for humans after `intro`, or one `cpts-check/1` document.
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
/// `help: …` lines, or one `cpts-error/1` document `{ "schema", "error", "help" }`.
pub(crate) fn error(format: Format, message: &str, help: Option<&str>, out: &mut dyn Write) {
    let _ = match format {
        Format::Human => match help {
            Some(help) => writeln!(out, "error: {message}\nhelp: {help}"),
            None => writeln!(out, "error: {message}"),
        },
        Format::Json => {
            let doc =
                serde_json::json!({ "schema": "cpts-error/1", "error": message, "help": help });
            writeln!(out, "{doc:#}")
        }
    };
}

/// `doc` as pretty JSON and a newline.
pub(crate) fn json_doc(doc: &serde_json::Value, out: &mut dyn Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, doc).map_err(std::io::Error::other)?;
    writeln!(out)
}
