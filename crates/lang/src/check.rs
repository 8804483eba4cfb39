//! Name resolution and type checking of a whole set of files. Every problem is reported; nothing
//! stops at the first one.

mod body;
mod region;
mod scope;
mod typeck;

use crate::parse::parse;
use crate::syntax::*;
use cpts_diag::{Diagnostic, FileId, Sources, codes};
use scope::{Scope, TypeDecl, duplicate};
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

/// The result of checking a set of sources: the syntax trees and every diagnostic, sorted.
#[derive(Debug)]
pub struct Checked {
    /// Each file's syntax tree (items with syntax errors are missing).
    pub files: Vec<(FileId, File)>,
    /// Everything found, in reading order.
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses and checks every file in `sources` together: top-level items of all files see each
/// other; imports must name files that are in `sources` (the caller loads them).
pub fn check(sources: &Sources) -> Checked {
    let mut out = Vec::new();
    let mut files = Vec::new();
    let mut broken = BTreeSet::new();
    for (id, source) in sources.iter() {
        let (file, diagnostics) = parse(id, &source.text);
        for d in &diagnostics {
            if d.code == &codes::SYNTAX_ERROR
                && let Some(span) = d.span
            {
                broken.extend(crate::parse::broken_item_name(
                    &source.text,
                    span.start as usize,
                ));
            }
        }
        out.extend(diagnostics);
        files.push((id, file));
    }
    check_imports(sources, &files, &mut out);
    let broken = Rc::new(broken);

    // Top-level types are visible everywhere.
    let mut base = Scope::new(broken.clone());
    let mut workflows: BTreeMap<&str, &Workflow> = BTreeMap::new();
    let mut regions: Vec<&Region> = Vec::new();
    let mut region_names: BTreeMap<&str, &Region> = BTreeMap::new();
    for (_, file) in &files {
        for item in &file.items {
            match item {
                Item::Enum(e) => base.declare_type(&e.name, TypeDecl::Enum(e), &mut out),
                Item::Record(r) => base.declare_type(&r.name, TypeDecl::Record(r), &mut out),
                Item::Workflow(w) => {
                    if let Some(prev) = workflows.get(w.name.name.as_str()) {
                        out.push(duplicate("workflow", &w.name, prev.name.span));
                    } else {
                        workflows.insert(&w.name.name, w);
                    }
                }
                Item::Region(r) => {
                    if let Some(prev) = region_names.get(r.name.name.as_str()) {
                        out.push(duplicate("region", &r.name, prev.name.span));
                    } else {
                        region_names.insert(&r.name.name, r);
                        regions.push(r);
                    }
                }
                Item::Import(_) => {}
            }
        }
    }
    for (_, file) in &files {
        for item in &file.items {
            if let Item::Record(r) = item {
                base.resolve_fields(&r.fields, &mut out);
            }
            if let Item::Enum(e) = item {
                body::check_enum(e, &mut out);
            }
        }
    }

    let mut scopes = BTreeMap::new();
    for (name, workflow) in &workflows {
        scopes.insert(*name, body::check_workflow(&base, workflow, &mut out));
    }
    for region in regions {
        match scopes.get_mut(region.extends.name.as_str()) {
            Some(checked) => region::check_region(checked, region, &mut out),
            None if broken.contains(&region.extends.name) => {}
            None => out.push(scope::unknown(
                &codes::UNKNOWN_WORKFLOW,
                "workflow",
                &region.extends,
                workflows.keys().copied(),
            )),
        }
    }
    for checked in scopes.values() {
        body::report_unused(checked, &mut out);
    }
    cpts_diag::sort(&mut out);
    out.dedup();
    Checked {
        files,
        diagnostics: out,
    }
}

fn check_imports(sources: &Sources, files: &[(FileId, File)], out: &mut Vec<Diagnostic>) {
    for (id, file) in files {
        let importer = &sources.get(*id).name;
        for item in &file.items {
            if let Item::Import(path) = item {
                let target = crate::import_path(importer, &path.value);
                if sources.find(&target).is_none() {
                    out.push(
                        Diagnostic::new(
                            &codes::UNRESOLVED_IMPORT,
                            format!("cannot find `{}`", path.value),
                        )
                        .at_with(path.span, format!("looked for `{target}`"))
                        .help("import paths are relative to the importing file"),
                    );
                }
            }
        }
    }
}
