//! `cpts advance`: checks an entry, then appends it; on refusal, explains and writes nothing.
//!
//! JSON, schema `cpts-advance/1`: `{ "schema", "file", "recorded": bool, "entry": { "step",
//! "outcome", "date", "actor", "evidence", "note" }, "appended": text | null, "findings": [ … ] }`
//! where `date` is the date recorded (or asked for, when refused) and `findings` are diagnostics
//! as in `cpts-check/1` (why it was refused).

use crate::{EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, Format, render};
use chrono::NaiveDate;
use cpts_diag::codes;
use serde_json::json;
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
            let e = r.entry;
            let doc = json!({
                "schema": "cpts-advance/1",
                "file": r.path.display().to_string(),
                "recorded": appended.is_some(),
                "entry": { "step": e.step, "outcome": e.outcome, "date": date.map(|d| d.to_string()),
                    "actor": e.actor, "evidence": e.evidence, "note": e.note },
                "appended": appended,
                "findings": render::json_diagnostics(project.sources(), &why),
            });
            render::json_doc(&doc, out)
        }
    };
    if written.is_err() { EXIT_USAGE } else { status }
}
