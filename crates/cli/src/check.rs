//! `cpts check`.

use crate::{EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, Format, load, render};
use cpts_diag::{Severity, codes};
use std::io::Write;
use std::path::PathBuf;

pub(crate) fn run(
    paths: &[PathBuf],
    format: Format,
    color: bool,
    info: bool,
    out: &mut dyn Write,
) -> u8 {
    let (sources, mut diagnostics) = load::load(paths);
    let fatal = !diagnostics.is_empty();
    let checked = cpts_lang::check(&sources);
    diagnostics.extend(checked.diagnostics);
    let shown: Vec<_> = diagnostics
        .iter()
        .filter(|d| info || d.severity > Severity::Info)
        .cloned()
        .collect();
    let result = match format {
        Format::Human => render::human(&sources, &shown, &diagnostics, color, out),
        Format::Json => render::json(&sources, &diagnostics, out),
    };
    if result.is_err() {
        return EXIT_USAGE;
    }
    let io_error = diagnostics
        .iter()
        .any(|d| d.code == &codes::UNREADABLE_FILE || d.code == &codes::NO_RULES);
    if fatal && io_error {
        EXIT_USAGE
    } else if cpts_diag::has_errors(&diagnostics) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}
