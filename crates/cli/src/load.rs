//! Reading rules files from disk, following imports. The only place that touches the filesystem.

use cpts_diag::{Diagnostic, Sources, codes};
use std::path::{Path, PathBuf};

/// Loads every `*.cpts` under `paths` and every file they import. Problems reading are diagnostics.
pub(crate) fn load(paths: &[PathBuf]) -> (Sources, Vec<Diagnostic>) {
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

fn unreadable(path: &Path, e: &std::io::Error) -> Diagnostic {
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
