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
    /// Resolved types of the facts, parameters and values each workflow and each region declares,
    /// by workflow or region name.
    pub types: BTreeMap<String, ScopeTypes>,
    /// The plugins each region declares, by region name.
    pub plugins: BTreeMap<String, Vec<crate::model::PluginDecl>>,
}

/// Resolved types of the facts, parameters and values of one workflow or region, by name.
pub type ScopeTypes = BTreeMap<String, crate::types::Type>;

/// Parses and checks every file in `sources` together: top-level items of all files see each
/// other; imports must name files that are in `sources` (the caller loads them).
pub fn check(sources: &Sources) -> Checked {
    check_with(sources, &BTreeSet::new())
}

/// [`check`], where each file of `contributed` holds the steps a plugin contributes to a region:
/// a `region NAME … { step … }` declaration whose steps join those of the region `NAME` declared
/// elsewhere, as if written there. Anything but steps in it is an error.
pub fn check_with(sources: &Sources, contributed: &BTreeSet<FileId>) -> Checked {
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
    merge_contributed(&mut files, contributed, &mut out);
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
                base.check_record(r, &mut out);
            }
            if let Item::Enum(e) = item {
                body::check_enum(e, &mut out);
            }
        }
    }

    let mut scopes = BTreeMap::new();
    let mut types = BTreeMap::new();
    let mut plugins = BTreeMap::new();
    for (name, workflow) in &workflows {
        let checked = body::check_workflow(&base, workflow, &mut out);
        types.insert(
            name.to_string(),
            body::declared_types(&checked.scope, &workflow.body),
        );
        scopes.insert(*name, checked);
    }
    for region in regions {
        match scopes.get_mut(region.extends.name.as_str()) {
            Some(checked) => {
                let (declared, declared_plugins) = region::check_region(checked, region, &mut out);
                types.insert(region.name.name.clone(), declared);
                plugins.insert(region.name.name.clone(), declared_plugins);
            }
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
        types,
        plugins,
    }
}

/// Moves the steps of each contributed file into the region it names.
fn merge_contributed(
    files: &mut [(FileId, File)],
    contributed: &BTreeSet<FileId>,
    out: &mut Vec<Diagnostic>,
) {
    let mut steps: Vec<(Ident, Vec<Node>)> = Vec::new();
    for (id, file) in files.iter_mut() {
        if !contributed.contains(id) {
            continue;
        }
        for item in std::mem::take(&mut file.items) {
            let Item::Region(r) = item else {
                continue;
            };
            let b = &r.body;
            let others = b.actors.len()
                + b.documents.len()
                + b.facts.len()
                + b.enums.len()
                + b.records.len()
                + b.params.len()
                + b.values.len()
                + b.rules.len()
                + r.tightens.len()
                + r.param_overrides.len()
                + r.plugins.len();
            if others > 0 {
                out.push(
                    Diagnostic::new(&codes::PLUGIN_INVALID, "a plugin may contribute steps only")
                        .at_with(r.name.span, "this contribution declares more than steps")
                        .help(
                            "declare facts, parameters, rules and plugins in the region's overlay",
                        ),
                );
            }
            steps.push((r.name, r.body.nodes));
        }
    }
    for (region, nodes) in steps {
        let target = files
            .iter_mut()
            .filter(|(id, _)| !contributed.contains(id))
            .flat_map(|(_, f)| f.items.iter_mut())
            .find_map(|item| match item {
                Item::Region(r) if r.name.name == region.name => Some(r),
                _ => None,
            });
        match target {
            Some(r) => r.body.nodes.extend(nodes),
            None => out.push(
                Diagnostic::new(
                    &codes::UNKNOWN_REGION,
                    format!(
                        "steps contributed to region `{}`, which no overlay declares",
                        region.name
                    ),
                )
                .at(region.span),
            ),
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn codes_of(texts: &[&str]) -> Vec<&'static str> {
        let mut sources = Sources::new();
        for (i, t) in texts.iter().enumerate() {
            sources.add(format!("f{i}.cpts"), *t);
        }
        check(&sources)
            .diagnostics
            .iter()
            .map(|d| d.code.id)
            .collect()
    }

    const NATIONAL: &str = r#"
workflow w "W" {
  version "v1" source "s"
  version "v2" source "s"
  source "s"
  actors { ars "ARS" }
  facts { n: int, d: date?, l: list<{ a: int, b: text? }> }
  param p: int = 1 source "s" = 2 since "v2" source "s"
  value v: int = p + n source "s"
  step a "A" { source "s" }
  decision d "D" {
    after a
    outcome ok p 0.5
    outcome ko p 0.5 -> a
    deadline silence 2 months after a on expiry ok source "s"
    source "s"
  }
  step b "B" {
    after d.ok
    rule r error "M" expect (d ?? today) + 2 months > today and count(x in l where x.b != none) >= v
      source "s"
    source "s"
  }
}"#;

    #[test]
    fn a_valid_workflow_has_no_finding() {
        assert_eq!(codes_of(&[NATIONAL]), Vec::<&str>::new());
    }

    #[test]
    fn a_region_may_add_an_expiry_deadline_to_a_national_decision() {
        let region = r#"
region r "R" extends w {
  tighten d { deadline 1 months after a on expiry ok source "s" }
  step c "C" { after a  before b  source "s" }
  override param p = 3 source "s"
  override rule r error "M2" expect n > 0 source "s"
}"#;
        assert_eq!(codes_of(&[NATIONAL, region]), Vec::<&str>::new());
    }

    #[test]
    fn contributed_steps_join_their_region_and_nothing_else_may_be_contributed() {
        let region = "region r \"R\" extends w { source \"s\" }";
        let steps = "region r \"plugin\" extends w {\n  step c \"C\" { after a  before b  source \"s\" }\n}";
        let mut sources = Sources::new();
        sources.add("w.cpts", NATIONAL);
        sources.add("r.cpts", region);
        let plugin = sources.add("<plugin p>", steps);
        let contributed = BTreeSet::from([plugin]);
        let checked = check_with(&sources, &contributed);
        assert_eq!(checked.diagnostics, []);
        let target = crate::model::Target {
            workflow: "w".into(),
            version: "v1".into(),
            region: Some("r".into()),
        };
        let (model, _) = crate::model::build(&checked, &target).unwrap();
        let c = model
            .nodes
            .iter()
            .find(|n| n.name == "c")
            .expect("step c joined region r");
        assert_eq!(c.span.file, plugin);

        let mut sources = Sources::new();
        sources.add("w.cpts", NATIONAL);
        sources.add("r.cpts", region);
        let more = "region r \"plugin\" extends w { facts { x: int } }";
        let plugin = sources.add("<plugin p>", more);
        let codes: Vec<&str> = check_with(&sources, &BTreeSet::from([plugin]))
            .diagnostics
            .iter()
            .map(|d| d.code.id)
            .collect();
        assert_eq!(codes, ["E0802"]);
    }

    #[test]
    fn spans_include_parentheses_and_stop_at_the_member() {
        let mut sources = Sources::new();
        let text = "workflow w \"W\" { version \"v\" source \"s\" source \"s\" facts { n: int }\n\
                    rule r error \"M\" expect (n).x > 0 source \"s\" }";
        sources.add("a.cpts", text);
        let checked = check(&sources);
        let span = checked.diagnostics[0].span.unwrap();
        assert_eq!(&text[span.range()], "(n)");
    }
}
