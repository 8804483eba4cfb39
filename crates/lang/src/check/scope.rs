//! What a workflow (or a region over it) can name: types, facts, values, parameters, steps,
//! actors, documents, versions, plugins and rules.

use crate::suggest;
use crate::syntax::*;
use crate::types::{RecordType, Type};
use cpts_diag::{Diagnostic, Span, codes};
use rustc_hash::FxHashMap;
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;
use std::sync::Arc;

/// A type declaration as written.
#[derive(Clone, Copy)]
pub(crate) enum TypeDecl<'a> {
    Enum(&'a EnumDecl),
    Record(&'a RecordDecl),
}

impl TypeDecl<'_> {
    pub(crate) fn span(&self) -> Span {
        match self {
            TypeDecl::Enum(e) => e.name.span,
            TypeDecl::Record(r) => r.name.span,
        }
    }
}

/// A step or decision as other items see it.
#[derive(Clone)]
pub(crate) struct NodeInfo<'a> {
    pub kind: NodeKind,
    pub outcomes: Vec<&'a str>,
    pub span: Span,
    /// Per declared version: does the node exist under it.
    pub present: Vec<bool>,
    pub national: bool,
}

/// A rule as overlays see it.
#[derive(Clone)]
pub(crate) struct RuleInfo {
    pub severity: RuleSeverity,
    pub span: Span,
    pub present: Vec<bool>,
}

/// A plugin function signature.
#[derive(Clone)]
pub(crate) struct Signature {
    pub params: Vec<(String, Type)>,
    pub ret: Type,
    /// Declared `-> findings`: called by `check` items only.
    pub validation: bool,
}

/// Names visible in one workflow or region.
#[derive(Clone, Default)]
pub(crate) struct Scope<'a> {
    pub type_decls: BTreeMap<String, TypeDecl<'a>>,
    pub enums: BTreeMap<String, Vec<String>>,
    pub facts: BTreeMap<String, (Type, Span)>,
    pub values: BTreeMap<String, (Type, Span)>,
    pub params: BTreeMap<String, (Type, Span)>,
    /// Steps and decisions by name. A hash map: a large workflow looks them up many times, and
    /// nothing iterates them in an order that shows (suggestions pick the closest by name).
    pub nodes: FxHashMap<&'a str, NodeInfo<'a>>,
    pub actors: BTreeMap<String, Span>,
    pub documents: BTreeMap<String, Span>,
    pub versions: Vec<String>,
    pub plugins: BTreeMap<String, BTreeMap<String, Signature>>,
    /// Rules by id (hash map, like `nodes`).
    pub rules: FxHashMap<&'a str, RuleInfo>,
    /// Names that come from a top-level item skipped for a syntax error: never reported unknown.
    pub broken: Rc<BTreeSet<String>>,
    resolved: RefCell<BTreeMap<String, Type>>,
    resolving: RefCell<BTreeSet<String>>,
}

/// Builtin type names.
const BUILTINS: &[&str] = &["int", "decimal", "bool", "text", "date", "duration"];

impl<'a> Scope<'a> {
    pub(crate) fn new(broken: Rc<BTreeSet<String>>) -> Scope<'a> {
        Scope {
            broken,
            ..Scope::default()
        }
    }

    /// Declares a type; reports a duplicate.
    pub(crate) fn declare_type(
        &mut self,
        name: &Ident,
        decl: TypeDecl<'a>,
        out: &mut Vec<Diagnostic>,
    ) {
        if BUILTINS.contains(&name.name.as_str()) {
            out.push(
                Diagnostic::new(
                    &codes::DUPLICATE_DEFINITION,
                    format!("`{}` is a builtin type", name.name),
                )
                .at_with(name.span, "cannot be redefined")
                .help("choose another name"),
            );
            return;
        }
        if let Some(previous) = self.type_decls.get(&name.name) {
            out.push(duplicate("type", name, previous.span()));
            return;
        }
        if let TypeDecl::Enum(e) = decl {
            self.enums.insert(
                name.name.clone(),
                e.variants.iter().map(|v| v.name.name.clone()).collect(),
            );
        }
        self.type_decls.insert(name.name.clone(), decl);
        self.resolved.borrow_mut().clear();
    }

    /// Resolves a written type.
    pub(crate) fn resolve(&self, ty: &TypeExpr, out: &mut Vec<Diagnostic>) -> Type {
        let base = match &ty.kind {
            TypeExprKind::List(t) => Type::List(Box::new(self.resolve(t, out))),
            TypeExprKind::Set(t) => Type::Set(Box::new(self.resolve(t, out))),
            TypeExprKind::Record(fields) => Type::Record(Arc::new(RecordType {
                name: None,
                fields: self.resolve_fields(fields, out),
            })),
            TypeExprKind::Named(name) => self.resolve_name(name, out),
        };
        if ty.optional { base.optional() } else { base }
    }

    /// Resolves a record declaration's fields with the record itself marked as in progress, so
    /// that a field naming the record is reported.
    pub(crate) fn check_record(&self, r: &RecordDecl, out: &mut Vec<Diagnostic>) {
        self.resolving.borrow_mut().insert(r.name.name.clone());
        self.resolve_fields(&r.fields, out);
        self.resolving.borrow_mut().remove(&r.name.name);
    }

    pub(crate) fn resolve_fields(
        &self,
        fields: &[Field],
        out: &mut Vec<Diagnostic>,
    ) -> Vec<(String, Type)> {
        let mut seen: BTreeMap<&str, Span> = BTreeMap::new();
        let mut resolved = Vec::new();
        for f in fields {
            if let Some(prev) = seen.insert(&f.name.name, f.name.span) {
                out.push(duplicate("field", &f.name, prev));
                continue;
            }
            resolved.push((f.name.name.clone(), self.resolve(&f.ty, out)));
        }
        resolved
    }

    fn resolve_name(&self, name: &Ident, out: &mut Vec<Diagnostic>) -> Type {
        match name.name.as_str() {
            "int" => return Type::Int,
            "decimal" => return Type::Decimal,
            "bool" => return Type::Bool,
            "text" => return Type::Text,
            "date" => return Type::Date,
            "duration" => return Type::Duration,
            _ => {}
        }
        if let Some(t) = self.resolved.borrow().get(&name.name) {
            return t.clone();
        }
        let Some(decl) = self.type_decls.get(&name.name).copied() else {
            if !self.broken.contains(&name.name) {
                let candidates = BUILTINS
                    .iter()
                    .copied()
                    .chain(self.type_decls.keys().map(String::as_str));
                let mut d = Diagnostic::new(
                    &codes::UNKNOWN_TYPE,
                    format!("unknown type `{}`", name.name),
                )
                .at_with(name.span, "not a builtin, enum or record");
                if let Some(h) = suggest::help(&name.name, candidates) {
                    d = d.help(h);
                }
                out.push(d);
            }
            return Type::Error;
        };
        let t = match decl {
            TypeDecl::Enum(_) => Type::Enum(name.name.as_str().into()),
            TypeDecl::Record(r) => {
                if !self.resolving.borrow_mut().insert(name.name.clone()) {
                    out.push(
                        Diagnostic::new(
                            &codes::UNKNOWN_TYPE,
                            format!("record `{}` contains itself", name.name),
                        )
                        .at_with(name.span, "recursive use")
                        .help("records cannot nest themselves; use a list of ids instead"),
                    );
                    return Type::Error;
                }
                // Diagnostics in the fields repeat at each use; `check` deduplicates them.
                let fields = self.resolve_fields(&r.fields, out);
                self.resolving.borrow_mut().remove(&name.name);
                Type::Record(Arc::new(RecordType {
                    name: Some(name.name.clone()),
                    fields,
                }))
            }
        };
        self.resolved
            .borrow_mut()
            .insert(name.name.clone(), t.clone());
        t
    }

    /// Step and decision names, in no particular order: for "did you mean" suggestions only,
    /// which do not depend on it (`suggest::closest` breaks ties by name).
    #[allow(clippy::disallowed_methods)] // hash order does not reach the output (see above)
    pub(crate) fn node_names(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.nodes.keys().copied()
    }

    /// Rule ids, in no particular order: for suggestions only, like [`Scope::node_names`].
    #[allow(clippy::disallowed_methods)] // hash order does not reach the output
    pub(crate) fn rule_names(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.rules.keys().copied()
    }

    /// Per declared version: is an item with these `since`/`until` present.
    pub(crate) fn presence(&self, attrs: &Attrs) -> Vec<bool> {
        let index = |s: &Option<Str>| {
            s.as_ref()
                .and_then(|s| self.versions.iter().position(|v| *v == s.value))
        };
        let since = index(&attrs.since).unwrap_or(0);
        let until = index(&attrs.until).unwrap_or(self.versions.len().saturating_sub(1));
        (0..self.versions.len())
            .map(|i| i >= since && i <= until)
            .collect()
    }

    /// Reports `since`/`until` naming undeclared versions.
    pub(crate) fn check_versions(&self, attrs: &Attrs, out: &mut Vec<Diagnostic>) {
        let mut known = true;
        for s in [&attrs.since, &attrs.until].into_iter().flatten() {
            known &= self.check_version(s, out);
        }
        if known
            && let (Some(since), Some(until)) = (&attrs.since, &attrs.until)
            && self.presence(attrs).iter().all(|present| !present)
        {
            out.push(
                Diagnostic::new(
                    &codes::INVALID_RANGE,
                    format!(
                        "`since \"{}\"` comes after `until \"{}\"`",
                        since.value, until.value
                    ),
                )
                .at_with(since.span.to(until.span), "applies under no version")
                .help("versions are ordered as the workflow declares them; swap the two"),
            );
        }
    }

    pub(crate) fn check_version(&self, s: &Str, out: &mut Vec<Diagnostic>) -> bool {
        if self.versions.contains(&s.value) {
            return true;
        }
        let mut d = Diagnostic::new(
            &codes::UNKNOWN_VERSION,
            format!("unknown version `{}`", s.value),
        )
        .at_with(s.span, "not declared by the workflow")
        .note(format!("declared versions: {}", self.versions.join(", ")));
        if let Some(h) = suggest::help(&s.value, self.versions.iter().map(String::as_str)) {
            d = d.help(h);
        }
        out.push(d);
        false
    }
}

/// A duplicate-definition diagnostic.
pub(crate) fn duplicate(what: &str, name: &Ident, previous: Span) -> Diagnostic {
    Diagnostic::new(
        &codes::DUPLICATE_DEFINITION,
        format!("{what} `{}` is defined twice", name.name),
    )
    .at_with(name.span, "defined again here")
    .label(previous, "first defined here")
    .help("rename or remove one of them")
}

/// A "container has no such member" diagnostic (`decision x has no outcome y`).
pub(crate) fn missing<'c>(
    code: &'static cpts_diag::Code,
    message: String,
    name: &Ident,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Diagnostic {
    let mut d = Diagnostic::new(code, message).at_with(name.span, "not found");
    if let Some(h) = suggest::help(&name.name, candidates) {
        d = d.help(h);
    }
    d
}

/// An unknown-name style diagnostic with a suggestion among `candidates`.
pub(crate) fn unknown<'c>(
    code: &'static cpts_diag::Code,
    what: &str,
    name: &Ident,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Diagnostic {
    let mut d = Diagnostic::new(code, format!("unknown {what} `{}`", name.name))
        .at_with(name.span, "not found");
    if let Some(h) = suggest::help(&name.name, candidates) {
        d = d.help(h);
    }
    d
}
