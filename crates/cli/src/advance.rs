//! `cpts advance`: checks an entry, then appends it; on refusal, explains and writes nothing.
//!
//! JSON: [`cpts::report::AdvanceReport`], schema `cpts-advance/2`.

use crate::{EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, Format, render};
use chrono::NaiveDate;
use cpts_diag::codes;
use std::io::Write;
use std::path::{Path, PathBuf};

/// What to record, where.
pub(crate) struct Request<'a> {
    pub path: &'a Path,
    pub rules: &'a [PathBuf],
    pub entry: &'a cpts::Entry,
    pub today: Option<NaiveDate>,
    pub format: Format,
    pub color: bool,
}

pub(crate) fn run(r: Request, plugins: &cpts::PluginConfig, out: &mut dyn Write) -> u8 {
    let rules = match crate::open::rules(
        r.rules,
        &plugins.for_project(r.path),
        r.format,
        r.color,
        out,
    ) {
        Ok(rules) => rules,
        Err(status) => return status,
    };
    let intro = Some("the project file has problems; nothing was written:");
    let project = match crate::open::project(&rules, r.path, r.format, r.color, intro, out) {
        Ok(p) => p,
        Err(status) => return status,
    };
    let date = match project.check(r.entry, r.today) {
        Ok(event) => Some(event.date),
        Err(_) => r.entry.date,
    };
    // (exit status, the text appended, why not, what to say before why not)
    let (status, appended, why, intro) = match project.advance(r.entry, r.today) {
        Ok(appended) => (EXIT_OK, Some(appended), Vec::new(), None),
        Err(cpts::Refusal::Refused(why)) => (
            EXIT_FINDINGS,
            None,
            why,
            Some("refused; nothing was written:"),
        ),
        Err(cpts::Refusal::Io(d)) => {
            let refused = d.code == &codes::CONCURRENT_CHANGE || d.code == &codes::ADVANCE_REFUSED;
            let status = if refused { EXIT_FINDINGS } else { EXIT_USAGE };
            (status, None, vec![d], None)
        }
    };
    let written = match (r.format, appended) {
        (Format::Human, Some(appended)) => {
            writeln!(out, "recorded in {}:\n\n{appended}", r.path.display())
        }
        (Format::Human, None) => intro
            .map_or(Ok(()), |intro| writeln!(out, "{intro}"))
            .and_then(|()| render::human_plain(project.sources(), &why, r.color, out)),
        (Format::Json, appended) => {
            let doc = cpts::report::AdvanceReport::new(
                &r.path.display().to_string(),
                r.entry,
                date,
                appended.as_deref(),
                project.sources(),
                &why,
            );
            render::json_doc(&doc, out)
        }
    };
    if written.is_err() { EXIT_USAGE } else { status }
}
