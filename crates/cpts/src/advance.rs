//! Recording a step: checked first, then appended atomically to the journal.

use crate::{Entry, Project};
use chrono::NaiveDate;
use cpts_diag::{Diagnostic, codes};
use cpts_engine::Event;
use std::io::Write;
use std::path::Path;

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
        if self.in_memory() {
            return Err(Refusal::Io(
                Diagnostic::new(
                    &codes::UNREADABLE_FILE,
                    format!("`{}` was built from data: it has no file to append to", self.path().display()),
                )
                .help("record the entry with `Instance::record`, then keep `Instance::to_data` or `to_toml`"),
            ));
        }
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

    /// The event `entry` would record on `today` (see [`Instance::check`](crate::Instance::check)),
    /// or why it cannot be recorded now.
    pub fn check(&self, entry: &Entry, today: Option<NaiveDate>) -> Result<Event, Vec<Diagnostic>> {
        self.instance(today).check(entry)
    }
}

/// The entry as TOML, in the layout of `docs/projects.md`, dated `date`.
fn format_entry(entry: &Entry, date: NaiveDate) -> String {
    cpts_project::entry_toml(&Entry {
        date: Some(date),
        ..entry.clone()
    })
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
