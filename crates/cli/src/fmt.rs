//! `cpts fmt`: rewrites rules files in the canonical layout (`cpts_lang::format`). A file that
//! does not parse is reported and left as it is; a file already in the layout is not rewritten;
//! the others are replaced atomically (`cpts::write_atomically`). `--check` writes nothing.
//!
//! JSON: [`cpts::report::FmtReport`], schema `cpts-fmt/2`; for standard input it also holds
//! the formatted text as `formatted`.

use crate::{EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, Format, render};
use cpts_diag::{Diagnostic, Sources, codes};
use cpts_lang::FormatError;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Lines of context around the first change in `--check` output, and most lines shown per side.
const CONTEXT: usize = 3;
const SHOWN: usize = 12;

/// Arguments of `cpts fmt`.
#[derive(clap::Args)]
pub(crate) struct Args {
    /// Files or folders (searched for `*.cpts`); `-` formats standard input to standard output
    #[arg(required_unless_present = "stdin")]
    paths: Vec<PathBuf>,
    /// Write nothing: list the files whose layout would change, with the first lines that differ;
    /// exit 1 if there are any
    #[arg(long)]
    check: bool,
    /// Format standard input to standard output (as the path `-`)
    #[arg(long)]
    stdin: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

/// What happened to one file.
struct FileReport {
    path: String,
    changed: bool,
    error: Option<String>,
    diff: Option<String>,
}

/// The state of a run: what was read, what was found, whether something could not be done.
#[derive(Default)]
struct Run {
    sources: Sources,
    diagnostics: Vec<Diagnostic>,
    files: Vec<FileReport>,
    /// A path could not be read or written, or the formatter failed: exit 2.
    broken: bool,
}

pub(crate) fn run(args: Args, out: &mut dyn Write) -> u8 {
    let dash = Path::new("-");
    if args.stdin || args.paths.iter().any(|p| p == dash) {
        if args.paths.iter().any(|p| p != dash) {
            let _ = writeln!(
                out,
                "error: standard input (`-`) cannot be formatted with files"
            );
            return EXIT_USAGE;
        }
        let mut text = String::new();
        if let Err(e) = std::io::stdin().read_to_string(&mut text) {
            let _ = writeln!(out, "error: cannot read standard input: {e}");
            return EXIT_USAGE;
        }
        return stdin(&text, args.check, args.format, out);
    }
    let mut run = Run::default();
    for path in files(&args.paths, &mut run) {
        run.file(&path, args.check);
    }
    run.report(args.check, args.format, None, out)
}

/// Formats `text` (standard input) to `out`; with `--check`, shows what would change.
pub(crate) fn stdin(text: &str, check: bool, format: Format, out: &mut dyn Write) -> u8 {
    let mut run = Run::default();
    let formatted = run.format("<stdin>", text);
    if let (Some(formatted), Format::Human, false) = (&formatted, format, check) {
        return match out.write_all(formatted.as_bytes()) {
            Ok(()) => EXIT_OK,
            Err(_) => EXIT_USAGE,
        };
    }
    run.report(check, format, formatted.as_deref(), out)
}

/// The files named by `paths`: files as given, folders searched for `*.cpts`.
fn files(paths: &[PathBuf], run: &mut Run) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for path in paths {
        if !path.is_dir() {
            found.push(path.clone());
            continue;
        }
        match cpts::rules_files(path) {
            Ok(files) if files.is_empty() => run.problem(
                Diagnostic::new(
                    &codes::NO_RULES,
                    format!("no `.cpts` file under `{}`", path.display()),
                )
                .help("point at a folder holding rules, usually `rules/`"),
            ),
            Ok(files) => found.extend(files),
            Err(e) => run.problem(unreadable(path, &e)),
        }
    }
    found
}

fn unreadable(path: &Path, e: &std::io::Error) -> Diagnostic {
    Diagnostic::new(
        &codes::UNREADABLE_FILE,
        format!("cannot read `{}`: {e}", path.display()),
    )
    .help("check the path and the permissions")
}

impl Run {
    fn problem(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
        self.broken = true;
    }

    /// Formats one file; rewrites it unless `check`.
    fn file(&mut self, path: &Path, check: bool) {
        let name = path.display().to_string();
        let text = match std::fs::read(path).map(String::from_utf8) {
            Ok(Ok(text)) => text,
            Ok(Err(_)) => {
                let d = Diagnostic::new(
                    &codes::UNREADABLE_FILE,
                    format!("`{name}` is not UTF-8 text"),
                )
                .help("save the file as UTF-8");
                return self.failed(name, "not UTF-8 text", Some(d));
            }
            Err(e) => return self.failed(name, "cannot be read", Some(unreadable(path, &e))),
        };
        let Some(formatted) = self.format(&name, &text) else {
            return;
        };
        if formatted == text || check {
            return;
        }
        if let Err(d) = cpts::write_atomically(path, &text, &formatted) {
            self.broken = true;
            self.diagnostics.push(d);
            if let Some(report) = self.files.last_mut() {
                report.error = Some("cannot be written".to_owned());
            }
        }
    }

    /// Formats `text`, records the file's report, and returns the formatted text.
    fn format(&mut self, name: &str, text: &str) -> Option<String> {
        let file = self.sources.add(name, text);
        match cpts_lang::format(file, text) {
            Ok(formatted) => {
                let changed = formatted != text;
                self.files.push(FileReport {
                    path: name.to_owned(),
                    changed,
                    error: None,
                    diff: changed.then(|| diff(name, text, &formatted)),
                });
                Some(formatted)
            }
            Err(FormatError::Syntax(found)) => {
                self.diagnostics.extend(found);
                self.failed(name.to_owned(), "does not parse", None);
                None
            }
            Err(e) => {
                self.broken = true;
                let why = format!("{e} (the file is left as it is; please report this)");
                self.failed(name.to_owned(), &why, None);
                None
            }
        }
    }

    fn failed(&mut self, path: String, why: &str, problem: Option<Diagnostic>) {
        if let Some(d) = problem {
            self.problem(d);
        }
        self.files.push(FileReport {
            path,
            changed: false,
            error: Some(why.to_owned()),
            diff: None,
        });
    }

    /// Writes the report; returns the exit status.
    fn report(
        &self,
        check: bool,
        format: Format,
        formatted: Option<&str>,
        out: &mut dyn Write,
    ) -> u8 {
        let changed = self.files.iter().filter(|f| f.changed).count();
        let errors = self.files.iter().filter(|f| f.error.is_some()).count();
        let written = match format {
            Format::Json => {
                let files = self
                    .files
                    .iter()
                    .map(|f| cpts::report::FmtFile {
                        path: f.path.clone(),
                        changed: f.changed,
                        error: f.error.clone(),
                    })
                    .collect();
                let doc = cpts::report::FmtReport::new(
                    check,
                    files,
                    &self.sources,
                    &self.diagnostics,
                    formatted,
                );
                render::json_doc(&doc, out)
            }
            Format::Human => self.human(check, changed, out),
        };
        if written.is_err() || self.broken {
            EXIT_USAGE
        } else if errors > 0 || (check && changed > 0) {
            EXIT_FINDINGS
        } else {
            EXIT_OK
        }
    }

    fn human(&self, check: bool, changed: usize, out: &mut dyn Write) -> std::io::Result<()> {
        render::human_plain(&self.sources, &self.diagnostics, false, out)?;
        for file in &self.files {
            match (&file.error, &file.diff) {
                (Some(why), _) => writeln!(out, "error: `{}` {why}: not formatted", file.path)?,
                (None, Some(diff)) if check => {
                    writeln!(out, "would reformat {}", file.path)?;
                    out.write_all(diff.as_bytes())?;
                }
                (None, Some(_)) => writeln!(out, "reformatted {}", file.path)?,
                (None, None) => {}
            }
        }
        let total = self.files.len();
        let s = if total == 1 { "" } else { "s" };
        let verb = if check {
            "would be reformatted"
        } else {
            "reformatted"
        };
        writeln!(out, "{changed} of {total} file{s} {verb}")
    }
}

/// The first change from `old` to `new`, unified-style: a few lines of context, the lines
/// removed and added (at most [`SHOWN`] of each).
fn diff(name: &str, old: &str, new: &str) -> String {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let first = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let (gone, added) = resync(&a[first..], &b[first..]);
    let start = first.saturating_sub(CONTEXT);
    let after = (a.len() - first - gone).min(CONTEXT);
    let mut out = format!("--- {name}\n+++ {name} (formatted)\n");
    out.push_str(&format!(
        "@@ -{},{} +{},{} @@\n",
        start + 1,
        first - start + gone + after,
        start + 1,
        first - start + added + after
    ));
    let mut lines = |prefix: char, lines: &[&str]| {
        for line in lines.iter().take(SHOWN) {
            out.push_str(&format!("{prefix}{line}\n"));
        }
        if lines.len() > SHOWN {
            out.push_str(&format!("{prefix}… ({} more lines)\n", lines.len() - SHOWN));
        }
    };
    lines(' ', &a[start..first]);
    lines('-', &a[first..first + gone]);
    lines('+', &b[first..first + added]);
    lines(' ', &a[first + gone..first + gone + after]);
    out
}

/// How many lines of `a` and of `b` the first change replaces: the fewest after which two
/// lines (or the ends) agree again.
fn resync(a: &[&str], b: &[&str]) -> (usize, usize) {
    let agree = |x: usize, y: usize| match (a.get(x..), b.get(y..)) {
        (Some([]), Some([])) => true,
        (Some([p, rest @ ..]), Some([q, more @ ..])) => {
            p == q && (rest.first() == more.first() || rest.is_empty() || more.is_empty())
        }
        _ => false,
    };
    // Bounded: past that, the rest of both files is the change (only its start is shown).
    for total in 0..=(a.len() + b.len()).min(400) {
        for gone in total.saturating_sub(b.len())..=total.min(a.len()) {
            if agree(gone, total - gone) {
                return (gone, total - gone);
            }
        }
    }
    (a.len(), b.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_diff_shows_the_first_change_with_context() {
        let old = "a\nb\nc\nd\ne\nf\ng\nh\n";
        let new = "a\nb\nc\nd\nE\nE2\nf\ng\nh\nextra\n";
        assert_eq!(
            diff("x.cpts", old, new),
            "--- x.cpts\n+++ x.cpts (formatted)\n@@ -2,7 +2,8 @@\n b\n c\n d\n-e\n+E\n+E2\n f\n g\n h\n"
        );
    }

    #[test]
    fn a_change_at_the_end_is_shown_too() {
        assert_eq!(
            diff("x", "a\nb", "a\nb\nc"),
            "--- x\n+++ x (formatted)\n@@ -1,2 +1,3 @@\n a\n b\n+c\n"
        );
    }
}
