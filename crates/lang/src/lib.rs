//! The cpts rules language: the pest grammar (`grammar.pest`), the syntax tree with spans
//! ([`syntax`]), the parser ([`parse()`]), and name resolution plus type checking ([`check()`]).
//!
//! This crate knows nothing of files, clocks, graphs or WebAssembly: its input is text. The caller
//! reads files (following [`imports`] with [`import_path`]) into a [`Sources`] and calls [`check()`].
//!
//! ```
//! use cpts_diag::Sources;
//! let mut sources = Sources::new();
//! sources.add("demo.cpts", r#"
//! workflow demo "Démo" {
//!   version "v1" source "exemple"
//!   source "exemple"
//!   facts { membres: list<text> }
//!   step depart "Départ" { source "exemple" rule deux error "Deux membres au moins"
//!     expect count(membre) >= 2 source "exemple" }
//! }"#);
//! let checked = cpts_lang::check(&sources);
//! let codes: Vec<_> = checked.diagnostics.iter().map(|d| d.code.name).collect();
//! assert_eq!(codes, ["unknown-name"]);
//! assert_eq!(checked.diagnostics[0].help.as_deref(), Some("did you mean `membres`?"));
//! ```
#![deny(missing_docs)]

mod check;
mod format;
pub mod model;
mod parse;
mod suggest;
pub mod syntax;
pub mod types;

pub use check::{Checked, ScopeTypes, check, check_with};
pub use cpts_diag::Sources;
pub use format::{FormatError, comments, format, same_syntax};
pub use parse::{parse, parse_with_pest};

/// The paths a file imports, as written.
pub fn imports(file: &syntax::File) -> impl Iterator<Item = &syntax::Str> {
    file.items.iter().filter_map(|item| match item {
        syntax::Item::Import(path) => Some(path),
        _ => None,
    })
}

/// The normalised name of the file that `import` names from the file named `importer`:
/// relative to the importer's folder, `.` and `..` folded, `/` separators.
pub fn import_path(importer: &str, import: &str) -> String {
    let importer = importer.replace('\\', "/");
    let folder = importer.rsplit_once('/').map_or("", |(dir, _)| dir);
    if import.starts_with('/') || folder.is_empty() {
        normalize_path(import)
    } else {
        normalize_path(&format!("{folder}/{import}"))
    }
}

/// Folds `.` and `..` segments and uses `/` separators, so that one file has one name.
pub fn normalize_path(path: &str) -> String {
    let path = path.replace('\\', "/");
    let absolute = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            ".." if absolute => {}
            s => parts.push(s),
        }
    }
    let joined = parts.join("/");
    if absolute {
        format!("/{joined}")
    } else {
        joined
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn import_paths_are_relative_to_the_importer() {
        assert_eq!(
            import_path("rules/regions/bfc.cpts", "../national/types.cpts"),
            "rules/national/types.cpts"
        );
        assert_eq!(import_path("./rules/a.cpts", "b.cpts"), "rules/b.cpts");
        assert_eq!(import_path("a.cpts", "sub/b.cpts"), "sub/b.cpts");
        assert_eq!(normalize_path("/x/../y/./z.cpts"), "/y/z.cpts");
        assert_eq!(normalize_path("../a/../b.cpts"), "../b.cpts");
    }
}
