//! Declarations: the file, types, attributes, workflows and their declarations (steps are in
//! `steps.rs`, regions in `region.rs`). Each function mirrors one grammar rule (named the same)
//! and the pest builder's function of the same name in `parse.rs`; it is called with the cursor
//! before the rule's first token.

use super::Parser;
use crate::syntax::*;
use std::sync::Arc;

impl Parser<'_> {
    /// `file = SOI ~ item* ~ EOI`.
    pub(super) fn file(&mut self) -> Option<File> {
        let mut items = Vec::new();
        loop {
            let item = match self.peek_word() {
                b"import" => {
                    self.take_word();
                    Item::Import(self.string()?)
                }
                b"enum" => Item::Enum(self.enum_decl()?),
                b"record" => Item::Record(self.record_decl()?),
                b"workflow" => Item::Workflow(Box::new(self.workflow()?)),
                b"region" => Item::Region(Box::new(self.region()?)),
                _ => break,
            };
            items.push(item);
        }
        self.skip();
        (self.pos == self.bytes.len()).then_some(File { items })
    }

    /// A `string?` where only a string can start with `"`.
    pub(super) fn optional_string(&mut self) -> Option<Option<Str>> {
        if self.at("\"") {
            self.string().map(Some)
        } else {
            Some(None)
        }
    }

    fn enum_decl(&mut self) -> Option<EnumDecl> {
        let start = self.take_word();
        let name = self.ident()?;
        let label = self.optional_string()?;
        self.punct("{")?;
        let variants = self.variants()?;
        self.punct("}")?;
        Some(EnumDecl {
            name,
            label,
            variants,
            span: self.tight(start),
        })
    }

    /// `actors { … }` / `documents { … }`: an enum whose name is `name`, at the keyword.
    fn keyword_enum(&mut self, name: &str) -> Option<EnumDecl> {
        let start = self.take_word();
        let name = Ident {
            name: name.to_owned(),
            span: self.tight(start),
        };
        self.punct("{")?;
        let variants = self.variants()?;
        self.punct("}")?;
        Some(EnumDecl {
            name,
            label: None,
            variants,
            span: self.tight(start),
        })
    }

    /// `(variant ~ ("," ~ variant)* ~ ","?)?`, before a `}`.
    fn variants(&mut self) -> Option<Vec<Variant>> {
        let mut variants = Vec::new();
        if self.at("}") {
            return Some(variants);
        }
        loop {
            let name = self.ident()?;
            let label = self.optional_string()?;
            variants.push(Variant { name, label });
            if !self.eat(",") || self.at("}") {
                return Some(variants);
            }
        }
    }

    fn record_decl(&mut self) -> Option<RecordDecl> {
        let start = self.take_word();
        let name = self.ident()?;
        let fields = self.record_type()?;
        Some(RecordDecl {
            name,
            fields,
            span: self.tight(start),
        })
    }

    /// `{ field, … }` with an optional trailing comma.
    fn record_type(&mut self) -> Option<Vec<Field>> {
        self.punct("{")?;
        let mut fields = Vec::new();
        if !self.at("}") {
            loop {
                fields.push(self.field()?);
                if !self.eat(",") || self.at("}") {
                    break;
                }
            }
        }
        self.punct("}")?;
        Some(fields)
    }

    pub(super) fn field(&mut self) -> Option<Field> {
        let name = self.ident()?;
        self.punct(":")?;
        let ty = self.ty()?;
        Some(Field { name, ty })
    }

    /// `ty = (list_type | set_type | record_type | named_type) ~ optional?`.
    pub(super) fn ty(&mut self) -> Option<TypeExpr> {
        self.enter()?;
        self.skip();
        let start = self.pos;
        let word = self.peek_word();
        let kind = if (word == b"list" || word == b"set") && self.punct_after_word("<") {
            self.take_word();
            self.punct("<")?;
            let inner = Box::new(self.ty()?);
            self.punct(">")?;
            if word == b"list" {
                TypeExprKind::List(inner)
            } else {
                TypeExprKind::Set(inner)
            }
        } else if self.at("{") {
            TypeExprKind::Record(self.record_type()?)
        } else {
            TypeExprKind::Named(self.ident()?)
        };
        let optional = self.eat("?");
        self.leave();
        Some(TypeExpr {
            kind,
            optional,
            span: self.span(start, self.rule_end(optional)),
        })
    }

    pub(super) fn at_attr(&mut self) -> bool {
        matches!(
            self.peek_word(),
            b"source" | b"uncertain" | b"since" | b"until"
        )
    }

    /// `source | uncertain | since | until`, each `keyword "text"`, into `attrs`; gives up on an
    /// attribute given twice (pest's builder reports it).
    pub(super) fn attr(&mut self, attrs: &mut Attrs) -> Option<()> {
        let slot = match self.peek_word() {
            b"source" => &mut attrs.source,
            b"uncertain" => &mut attrs.uncertain,
            b"since" => &mut attrs.since,
            b"until" => &mut attrs.until,
            _ => return None,
        };
        self.take_word();
        let value = self.string()?;
        if slot.is_some() {
            return None;
        }
        *slot = Some(value);
        Some(())
    }

    /// `tail_attrs = (since | until)* ~ ((source ~ uncertain?) | (uncertain ~ source?))? ~
    /// (since | until)*`. Returns whether its last part matched, that is whether the enclosing
    /// rule ends right after the last token.
    pub(super) fn tail_attrs(&mut self, attrs: &mut Attrs) -> Option<bool> {
        while matches!(self.peek_word(), b"since" | b"until") {
            self.attr(attrs)?;
        }
        match self.peek_word() {
            b"source" => {
                self.attr(attrs)?;
                if self.at_kw("uncertain") {
                    self.attr(attrs)?;
                }
            }
            b"uncertain" => {
                self.attr(attrs)?;
                if self.at_kw("source") {
                    self.attr(attrs)?;
                }
            }
            _ => {}
        }
        let mut exact = false;
        while matches!(self.peek_word(), b"since" | b"until") {
            self.attr(attrs)?;
            exact = true;
        }
        Some(exact)
    }

    fn workflow(&mut self) -> Option<Workflow> {
        let start = self.take_word();
        let name = self.ident()?;
        let label = self.string()?;
        self.punct("{")?;
        let mut wf = Workflow {
            name,
            label,
            versions: Vec::new(),
            attrs: Attrs::default(),
            ends: Vec::new(),
            body: Body::default(),
            span: self.tight(start),
        };
        loop {
            match self.peek_word() {
                b"end" => {
                    let end = self.end_decl()?;
                    wf.ends.push(end);
                }
                b"version" => {
                    let version = self.version_decl()?;
                    wf.versions.push(version);
                }
                _ if self.at_attr() => self.attr(&mut wf.attrs)?,
                _ => {
                    if !self.body_item(&mut wf.body)? {
                        break;
                    }
                }
            }
        }
        self.punct("}")?;
        wf.span = self.tight(start);
        Some(wf)
    }

    /// Declarations common to workflows and regions; `Some(false)` when none starts here.
    pub(super) fn body_item(&mut self, body: &mut Body) -> Option<bool> {
        match self.peek_word() {
            b"actors" => body.actors.push(self.keyword_enum("actors")?),
            b"documents" => body.documents.push(self.keyword_enum("document")?),
            b"facts" => {
                self.take_word();
                let fields = self.record_type()?;
                body.facts.extend(fields);
            }
            b"enum" => body.enums.push(self.enum_decl()?),
            b"record" => body.records.push(self.record_decl()?),
            b"param" => body.params.push(self.param()?),
            b"value" => body.values.push(self.value_decl()?),
            b"step" => body.nodes.push(self.node(NodeKind::Step)?),
            b"decision" => body.nodes.push(self.node(NodeKind::Decision)?),
            b"rule" => body.rules.push(self.rule()?),
            b"check" => body.checks.push(self.check()?),
            _ => return Some(false),
        }
        Some(true)
    }

    fn end_decl(&mut self) -> Option<End> {
        let start = self.take_word();
        let label = self.optional_string()?;
        self.kw("after")?;
        let after = self.prereq()?;
        let mut attrs = Attrs::default();
        let exact = self.tail_attrs(&mut attrs)?;
        Some(End {
            label,
            after,
            attrs,
            span: self.span(start, self.rule_end(exact)),
        })
    }

    pub(super) fn version_decl(&mut self) -> Option<VersionDecl> {
        let start = self.take_word();
        let id = self.string()?;
        let label = self.optional_string()?;
        let mut attrs = Attrs::default();
        let exact = self.tail_attrs(&mut attrs)?;
        Some(VersionDecl {
            id,
            label,
            attrs,
            span: self.span(start, self.rule_end(exact)),
        })
    }

    fn param(&mut self) -> Option<Param> {
        let start = self.take_word();
        let name = self.ident()?;
        let label = self.optional_string()?;
        self.punct(":")?;
        let ty = self.ty()?;
        let values = self.param_values()?;
        Some(Param {
            name,
            label,
            ty,
            // The pair ends where its last value's ends (trimmed ends agree).
            span: self.span(start, values.last()?.span.end as usize),
            values,
        })
    }

    /// `param_value+`.
    pub(super) fn param_values(&mut self) -> Option<Vec<ParamValue>> {
        let mut values = vec![self.param_value()?];
        while self.at("=") {
            values.push(self.param_value()?);
        }
        Some(values)
    }

    /// `param_value = "=" ~ expr ~ tail_attrs`.
    fn param_value(&mut self) -> Option<ParamValue> {
        self.skip();
        let start = self.pos;
        self.punct("=")?;
        let expr = self.expr()?;
        let mut attrs = Attrs::default();
        let exact = self.tail_attrs(&mut attrs)?;
        Some(ParamValue {
            expr: Arc::new(expr),
            attrs,
            span: self.span(start, self.rule_end(exact)),
        })
    }

    fn value_decl(&mut self) -> Option<ValueDecl> {
        let start = self.take_word();
        let name = self.ident()?;
        let label = self.optional_string()?;
        self.punct(":")?;
        let ty = self.ty()?;
        self.punct("=")?;
        let expr = self.expr()?;
        let mut attrs = Attrs::default();
        let exact = self.tail_attrs(&mut attrs)?;
        Some(ValueDecl {
            name,
            label,
            ty,
            expr: Arc::new(expr),
            attrs,
            span: self.span(start, self.rule_end(exact)),
        })
    }
}
