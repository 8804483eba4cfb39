//! Loading and checking rules.

use cpts_diag::{Diagnostic, Sources, codes};
use cpts_lang::Checked;
use std::path::{Path, PathBuf};

/// Loaded and checked rules: every `.cpts` file under the given paths and what they import.
pub struct Rules {
    pub(crate) sources: Sources,
    pub(crate) checked: Checked,
    /// Problems reading files (unreadable path, no rules found).
    pub(crate) load_problems: Vec<Diagnostic>,
}

impl Rules {
    /// Loads the rules under `paths` (files or folders). Fails, with every problem, when a path
    /// cannot be read or the rules have errors.
    pub fn load(paths: &[impl AsRef<Path>]) -> Result<Rules, (Sources, Vec<Diagnostic>)> {
        let rules = Rules::load_unchecked(paths);
        let errors: Vec<Diagnostic> = rules
            .load_problems
            .iter()
            .chain(&rules.checked.diagnostics)
            .filter(|d| d.severity == cpts_diag::Severity::Error)
            .cloned()
            .collect();
        if errors.is_empty() {
            Ok(rules)
        } else {
            Err((rules.sources, errors))
        }
    }

    /// Loads the rules under `paths` whatever their problems (see [`Rules::diagnostics`]).
    pub fn load_unchecked(paths: &[impl AsRef<Path>]) -> Rules {
        let paths: Vec<PathBuf> = paths.iter().map(|p| p.as_ref().to_path_buf()).collect();
        let (sources, load_problems) = load(&paths);
        let checked = cpts_lang::check(&sources);
        Rules {
            sources,
            checked,
            load_problems,
        }
    }

    /// Every source text read so far (rules, and project files opened with these rules).
    pub fn sources(&self) -> &Sources {
        &self.sources
    }

    /// The language checks' result.
    pub fn checked(&self) -> &Checked {
        &self.checked
    }

    /// Problems reading the files and the language checks' findings.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        self.load_problems
            .iter()
            .chain(&self.checked.diagnostics)
            .cloned()
            .collect()
    }

    /// Problems reading the files only (unreadable path, no rules, not UTF-8).
    pub fn load_problems(&self) -> &[Diagnostic] {
        &self.load_problems
    }

    /// Whether a path could not be read or held no rules.
    pub fn unreadable(&self) -> bool {
        !self.load_problems.is_empty()
    }
}

/// Reads every `*.cpts` under `paths` and every file they import.
fn load(paths: &[PathBuf]) -> (Sources, Vec<Diagnostic>) {
    let mut sources = Sources::new();
    let mut problems = Vec::new();
    let mut queue = Vec::new();
    for path in paths {
        if path.is_dir() {
            match collect(path) {
                Ok(found) if found.is_empty() => problems.push(
                    Diagnostic::new(
                        &codes::NO_RULES,
                        format!("no `.cpts` file under `{}`", path.display()),
                    )
                    .help("point at the folder holding the rules, usually `rules/`"),
                ),
                Ok(found) => queue.extend(found),
                Err(e) => problems.push(unreadable(path, &e)),
            }
        } else {
            queue.push(path.clone());
        }
    }
    let mut index = 0;
    while index < queue.len() {
        let path = queue[index].clone();
        index += 1;
        let name = cpts_lang::normalize_path(&path.to_string_lossy());
        if sources.find(&name).is_some() {
            continue;
        }
        let text = match std::fs::read(&path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => text,
                Err(_) => {
                    problems.push(
                        Diagnostic::new(
                            &codes::UNREADABLE_FILE,
                            format!("`{}` is not UTF-8 text", path.display()),
                        )
                        .help("save the file as UTF-8"),
                    );
                    continue;
                }
            },
            Err(e) => {
                // A missing import is reported by the checker, with its span.
                if index <= paths.len() || !matches!(e.kind(), std::io::ErrorKind::NotFound) {
                    problems.push(unreadable(&path, &e));
                }
                continue;
            }
        };
        let (file, _) = cpts_lang::parse(cpts_diag::FileId(u32::MAX), &text);
        for import in cpts_lang::imports(&file) {
            let target = cpts_lang::import_path(&name, &import.value);
            if Path::new(&target).is_file() {
                queue.push(PathBuf::from(target));
            }
        }
        sources.add(name, text);
    }
    (sources, problems)
}

pub(crate) fn unreadable(path: &Path, e: &std::io::Error) -> Diagnostic {
    Diagnostic::new(
        &codes::UNREADABLE_FILE,
        format!("cannot read `{}`: {e}", path.display()),
    )
    .help("check the path and the permissions")
}

/// Every `*.cpts` file under `dir`, sorted so that output does not depend on the filesystem.
fn collect(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        if path.is_dir() {
            found.extend(collect(&path)?);
        } else if path.extension().is_some_and(|e| e == "cpts") {
            found.push(path);
        }
    }
    Ok(found)
}
