//! Recording a step: checked first, then appended atomically to the journal.

use crate::Project;
use chrono::NaiveDate;
use cpts_diag::{Diagnostic, codes};
use cpts_engine::{Event, State};
use cpts_lang::syntax::{NodeKind, RuleSeverity};
use std::io::Write;
use std::path::Path;

/// A journal entry to record.
#[derive(Clone, Debug, Default)]
pub struct Entry {
    /// The step or decision.
    pub step: String,
    /// The outcome (decisions only).
    pub outcome: Option<String>,
    /// When it happened (default: the project's today).
    pub date: Option<NaiveDate>,
    /// Who did it (one of the workflow's actors).
    pub actor: Option<String>,
    /// A reference to the evidence.
    pub evidence: Option<String>,
    /// Free text.
    pub note: Option<String>,
}

/// Why an entry was not recorded. The file is unchanged in every case.
#[derive(Debug)]
pub enum Refusal {
    /// The rules do not allow it now: the diagnostics say why.
    Refused(Vec<Diagnostic>),
    /// The file changed since it was read, or could not be written.
    Io(Diagnostic),
}

impl Project {
    /// Checks `entry` against the rules and, when it may be recorded, appends it to the project
    /// file atomically: the new text goes to a temporary file beside it, which is flushed to disk
    /// and renamed over the original, and only if the file still holds what was read.
    pub fn advance(&self, entry: &Entry, today: Option<NaiveDate>) -> Result<String, Refusal> {
        let event = self.check(entry, today).map_err(Refusal::Refused)?;
        let appended = format_entry(entry, event.date);
        let mut text = self.text().to_owned();
        if !text.ends_with('\n') {
            text.push('\n');
        }
        text.push('\n');
        text.push_str(&appended);
        // The new file must read back cleanly (a hand-written `journal = [...]` would clash).
        let (reread, problems) = cpts_project::read(self.file(), &text, self.model());
        if reread.is_none() || cpts_diag::has_errors(&problems) {
            let detail = problems
                .first()
                .map_or(String::new(), |d| format!(": {}", d.message));
            return Err(Refusal::Io(
                Diagnostic::new(&codes::ADVANCE_REFUSED, format!("the entry cannot be appended to this file{detail}"))
                    .help("write the journal as `[[journal]]` tables at the end of the file; nothing was written"),
            ));
        }
        write_atomically(self.path(), self.text(), &text).map_err(Refusal::Io)?;
        Ok(appended)
    }

    /// The event `entry` would record, or why it cannot be recorded now.
    pub fn check(&self, entry: &Entry, today: Option<NaiveDate>) -> Result<Event, Vec<Diagnostic>> {
        let model = self.model();
        let refuse = |message: String, help: String| {
            vec![Diagnostic::new(&codes::ADVANCE_REFUSED, message).help(help)]
        };
        let Some(node) = model.nodes.iter().position(|n| n.name == entry.step) else {
            let names: Vec<&str> = model.nodes.iter().map(|n| n.name.as_str()).collect();
            return Err(refuse(
                format!(
                    "`{}` is not a step of `{}` version `{}`",
                    entry.step, model.workflow, model.version
                ),
                format!("steps: {}", names.join(", ")),
            ));
        };
        let decl = &model.nodes[node];
        let outcome = match (&entry.outcome, decl.kind) {
            (None, NodeKind::Decision) => {
                let names: Vec<&str> = decl.outcomes.iter().map(|o| o.name.as_str()).collect();
                return Err(refuse(
                    format!("`{}` is a decision: which outcome?", decl.name),
                    format!("add `--outcome` with one of: {}", names.join(", ")),
                ));
            }
            (Some(o), NodeKind::Step) => {
                return Err(refuse(
                    format!(
                        "`{}` is a step, not a decision: it has no outcome `{o}`",
                        decl.name
                    ),
                    "remove `--outcome`".into(),
                ));
            }
            (Some(o), NodeKind::Decision) => {
                match decl.outcomes.iter().position(|x| &x.name == o) {
                    Some(i) => Some(i),
                    None => {
                        let names: Vec<&str> =
                            decl.outcomes.iter().map(|o| o.name.as_str()).collect();
                        return Err(refuse(
                            format!("decision `{}` has no outcome `{o}`", decl.name),
                            format!("one of: {}", names.join(", ")),
                        ));
                    }
                }
            }
            (None, NodeKind::Step) => None,
        };
        if let Some(a) = &entry.actor
            && !model.actors.iter().any(|(name, _)| name == a)
        {
            let names: Vec<&str> = model.actors.iter().map(|(n, _)| n.as_str()).collect();
            return Err(refuse(
                format!("`{a}` is not an actor of `{}`", model.workflow),
                format!("actors: {}", names.join(", ")),
            ));
        }
        let last = self.data().events.last().map(|e| e.date);
        let file_today = today.or(self.data().header.today);
        let date = entry
            .date
            .or(file_today)
            .unwrap_or_else(crate::project::clock_today);
        if let Some(last) = last
            && date < last
        {
            return Err(refuse(
                format!("{date} is before the last journal entry ({last})"),
                "the journal is a chronicle: record events in the order they happened".into(),
            ));
        }
        if let Some(t) = file_today
            && date > t
        {
            return Err(refuse(
                format!("{date} is after the project's today ({t})"),
                "give a date on or before today, or move `project.today`".into(),
            ));
        }
        // The project as it stands on the entry's date.
        let status = self.status(Some(date));
        let ns = &status.nodes[node];
        match ns.state {
            State::Enabled => {}
            State::Overdue
                if decl.after.as_ref().is_none_or(|c| status.history.holds(c)) && !failing(ns) => {}
            State::Done => {
                return Err(refuse(
                    format!("`{}` is already done", decl.name),
                    "a step is done again only after a decision sends the project back to it"
                        .into(),
                ));
            }
            State::NotApplicable => {
                return Err(refuse(
                    format!(
                        "`{}` can no longer happen: another branch was taken",
                        decl.name
                    ),
                    "check the outcomes already recorded".into(),
                ));
            }
            State::Waiting | State::Overdue if !ns.waiting_for.is_empty() => {
                return Err(refuse(
                    format!(
                        "`{}` waits for {}",
                        decl.name,
                        ns.waiting_for
                            .iter()
                            .map(|w| format!("`{w}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    "record those first".into(),
                ));
            }
            _ => {
                let mut out = vec![
                    Diagnostic::new(
                        &codes::ADVANCE_REFUSED,
                        format!("`{}` cannot be done: its rules do not hold", decl.name),
                    )
                    .help("change the facts the rules below read, then advance again"),
                ];
                for r in ns
                    .rules
                    .iter()
                    .filter(|r| r.severity == RuleSeverity::Error && !matches!(r.result, Ok(None)))
                {
                    let mut d = match &r.result {
                        Ok(Some(why)) => {
                            let mut d = Diagnostic::new(&codes::RULE_FAILED, r.message.clone())
                                .at_with(why.span, "false");
                            for (span, value) in &why.values {
                                d = d.label(*span, value.clone());
                            }
                            d
                        }
                        Err(e) => Diagnostic::new(
                            if e.from_plugin {
                                &codes::PLUGIN_CALL_FAILED
                            } else {
                                &codes::RULE_UNEVALUABLE
                            },
                            r.message.clone(),
                        )
                        .at_with(e.span, e.message.clone()),
                        Ok(None) => continue,
                    };
                    d = d.note(format!("rule `{}` of step `{}`", r.name, decl.name));
                    if let Some(s) = &r.source {
                        d = d.note(format!("source: {s}"));
                    }
                    out.push(d);
                }
                return Err(out);
            }
        }
        Ok(Event {
            node,
            outcome,
            date,
            actor: entry.actor.clone(),
            evidence: entry.evidence.clone(),
            note: entry.note.clone(),
            span: cpts_diag::Span::new(self.file(), self.text().len(), self.text().len()),
        })
    }
}

fn failing(ns: &cpts_engine::NodeStatus) -> bool {
    ns.rules
        .iter()
        .any(|r| r.severity == RuleSeverity::Error && !matches!(r.result, Ok(None)))
}

/// The entry as TOML, in the layout of `docs/projects.md`.
fn format_entry(entry: &Entry, date: NaiveDate) -> String {
    let mut s = String::from("[[journal]]\n");
    s.push_str(&format!("step = {}\n", quote(&entry.step)));
    if let Some(o) = &entry.outcome {
        s.push_str(&format!("outcome = {}\n", quote(o)));
    }
    s.push_str(&format!("date = {date}\n"));
    for (key, value) in [
        ("actor", &entry.actor),
        ("evidence", &entry.evidence),
        ("note", &entry.note),
    ] {
        if let Some(v) = value {
            s.push_str(&format!("{key} = {}\n", quote(v)));
        }
    }
    s
}

/// A TOML basic string.
fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Replaces `path`'s content with `new`, only if it still is `expected`: temporary file in the
/// same folder, flushed to disk, renamed over the original (atomic on POSIX), folder flushed.
/// `cpts advance` and `cpts fmt` write files this way.
pub fn write_atomically(path: &Path, expected: &str, new: &str) -> Result<(), Diagnostic> {
    let io = |what: &str, e: std::io::Error| {
        Diagnostic::new(
            &codes::UNREADABLE_FILE,
            format!("cannot {what} `{}`: {e}", path.display()),
        )
        .help("nothing was written; check the permissions and the disk")
    };
    let current = std::fs::read(path).map_err(|e| io("read", e))?;
    if current != expected.as_bytes() {
        return Err(Diagnostic::new(
            &codes::CONCURRENT_CHANGE,
            format!("`{}` changed since it was read", path.display()),
        )
        .help("nothing was written; run the command again"));
    }
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = folder.join(format!(".{name}.cpts-{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)?;
        f.write_all(new.as_bytes())?;
        f.sync_all()?;
        // Keep the original's permissions.
        if let Ok(meta) = std::fs::metadata(path) {
            std::fs::set_permissions(&temp, meta.permissions())?;
        }
        // A last look: a change that happened while writing the temporary file is refused too.
        if std::fs::read(path)? != expected.as_bytes() {
            return Err(std::io::Error::other("changed"));
        }
        std::fs::rename(&temp, path)?;
        if let Ok(dir) = std::fs::File::open(folder) {
            let _ = dir.sync_all();
        }
        Ok(())
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&temp);
        if e.to_string() == "changed" {
            return Err(Diagnostic::new(
                &codes::CONCURRENT_CHANGE,
                format!("`{}` changed since it was read", path.display()),
            )
            .help("nothing was written; run the command again"));
        }
        return Err(io("write", e));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_valid_toml_whatever_the_text() {
        let entry = Entry {
            step: "agc".into(),
            note: Some("« Assemblée » \"générale\"\n\\ fin\t\u{1}".into()),
            ..Entry::default()
        };
        let text = format_entry(&entry, NaiveDate::from_ymd_opt(2024, 2, 1).unwrap());
        let parsed = toml::de::DeTable::parse(&text).unwrap();
        assert!(parsed.get_ref().contains_key("journal"));
        assert!(text.contains("date = 2024-02-01\n"));
    }
}
