//! Loading rules and opening a project for the commands that need them, with their problems
//! printed and the exit status chosen in one place.

use crate::{EXIT_FINDINGS, EXIT_USAGE, Format, render};
use cpts_diag::{Diagnostic, codes};
use std::io::Write;
use std::path::{Path, PathBuf};

fn io_problem(problems: &[Diagnostic]) -> bool {
    problems
        .iter()
        .any(|d| d.code == &codes::UNREADABLE_FILE || d.code == &codes::NO_RULES)
}

/// The rules under `paths`, or the exit status after printing why they cannot be used.
pub(crate) fn rules(
    paths: &[PathBuf],
    plugins: &cpts::PluginConfig,
    format: Format,
    color: bool,
    out: &mut dyn Write,
) -> Result<cpts::Rules, u8> {
    cpts::Rules::load_with(paths, plugins).map_err(|(sources, problems)| {
        let intro = Some("the rules have errors; `cpts check` shows them all:");
        let _ = render::problems(&sources, &problems, intro, format, color, out);
        if io_problem(&problems) {
            EXIT_USAGE
        } else {
            EXIT_FINDINGS
        }
    })
}

/// The project at `path`, or the exit status after printing its problems (after `intro`).
pub(crate) fn project(
    rules: &cpts::Rules,
    path: &Path,
    format: Format,
    color: bool,
    intro: Option<&str>,
    out: &mut dyn Write,
) -> Result<cpts::Project, u8> {
    cpts::Project::open(rules, path).map_err(|(sources, problems)| {
        let _ = render::problems(&sources, &problems, intro, format, color, out);
        if io_problem(&problems) {
            EXIT_USAGE
        } else {
            EXIT_FINDINGS
        }
    })
}
