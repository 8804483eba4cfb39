//! `cpts check`: the language checks, then (when the rules resolve) the graph checks of every
//! workflow version and region.

use crate::{EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, Format, render};
use cpts_diag::{Diagnostic, Severity, Sources};
use std::io::Write;
use std::path::PathBuf;

pub(crate) fn run(
    paths: &[PathBuf],
    region: Option<String>,
    format: Format,
    color: bool,
    info: bool,
    plugins: &cpts::PluginConfig,
    out: &mut dyn Write,
) -> u8 {
    let rules = cpts::Rules::load_unchecked_with(paths, plugins);
    let sources = rules.sources();
    let mut diagnostics = rules.load_problems().to_vec();
    diagnostics.extend(rules.plugin_problems().iter().cloned());
    let mut usage_error = rules.unreadable();
    match findings(rules.checked(), region) {
        Ok(found) => diagnostics.extend(found),
        Err(bad_selection) => {
            usage_error = true;
            diagnostics.push(*bad_selection);
        }
    }
    let shown: Vec<Diagnostic> = diagnostics
        .iter()
        .filter(|d| info || d.severity > Severity::Info)
        .cloned()
        .collect();
    let result = match format {
        Format::Human => render::human(sources, &shown, &diagnostics, color, out),
        Format::Json => render::json(sources, &diagnostics, out),
    };
    if result.is_err() || usage_error {
        EXIT_USAGE
    } else if cpts_diag::has_errors(&diagnostics) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

/// Every finding on `sources`: the language checks, then, when the rules resolve, the graph
/// checks of every workflow version and region (or only `region`). An unknown region is an error.
pub fn check_sources(
    sources: &Sources,
    region: Option<String>,
) -> Result<Vec<Diagnostic>, Box<Diagnostic>> {
    findings(&cpts_lang::check(sources), region)
}

/// The findings on already checked rules (see [`check_sources`]).
fn findings(
    checked: &cpts_lang::Checked,
    region: Option<String>,
) -> Result<Vec<Diagnostic>, Box<Diagnostic>> {
    if cpts_diag::has_errors(&checked.diagnostics) {
        // The graph checks need rules that resolve; they would only echo these errors.
        return Ok(checked.diagnostics.clone());
    }
    let mut all = checked.diagnostics.clone();
    all.extend(cpts_engine::verify_program(
        checked,
        &cpts_engine::Selection { region },
    )?);
    Ok(all)
}
