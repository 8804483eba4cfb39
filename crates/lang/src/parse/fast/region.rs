//! Region overlays: `region … extends … { … }` and what only they hold (plugins, `tighten`,
//! `override`, `drop`). Same conventions as `items.rs`.

use super::Parser;
use crate::syntax::*;

impl Parser<'_> {
    pub(super) fn region(&mut self) -> Option<Region> {
        let start = self.take_word();
        let name = self.ident()?;
        let label = self.string()?;
        self.kw("extends")?;
        let extends = self.ident()?;
        let mut region = Region::new(name, label, extends, self.tight(start));
        if self.eat_kw("versions") {
            region.versions.push(self.string()?);
            while self.eat(",") {
                region.versions.push(self.string()?);
            }
        }
        self.punct("{")?;
        loop {
            match self.peek_word() {
                b"version" => region.version = Some(self.version_decl()?),
                b"plugin" => region.plugins.push(self.plugin()?),
                b"tighten" => region.tightens.push(self.tighten()?),
                b"override" => match self.peek_second_word() {
                    b"param" => region.param_overrides.push(self.override_param()?),
                    b"rule" => {
                        self.take_word();
                        region.rule_overrides.push(self.rule()?);
                    }
                    _ => return None,
                },
                b"drop" => region.drops.push(self.drop_rule()?),
                _ if self.at_attr() => self.attr(&mut region.attrs)?,
                _ => {
                    if !self.body_item(&mut region.body)? {
                        break;
                    }
                }
            }
        }
        self.punct("}")?;
        region.span = self.tight(start);
        Some(region)
    }

    /// `plugin alias "package" version "requirement" { fn … }`.
    fn plugin(&mut self) -> Option<Plugin> {
        let start = self.take_word();
        let alias = self.ident()?;
        let package = self.string()?;
        self.kw("version")?;
        let version = self.string()?;
        self.punct("{")?;
        let mut functions = Vec::new();
        while self.at_kw("fn") {
            functions.push(self.plugin_fn()?);
        }
        self.punct("}")?;
        Some(Plugin {
            alias,
            package,
            version,
            functions,
            span: self.tight(start),
        })
    }

    /// `fn name(param: type, …) -> type`.
    fn plugin_fn(&mut self) -> Option<PluginFn> {
        let start = self.take_word();
        let name = self.ident()?;
        self.punct("(")?;
        let mut params = Vec::new();
        if !self.at(")") {
            loop {
                params.push(self.field()?);
                if !self.eat(",") {
                    break;
                }
            }
        }
        self.punct(")")?;
        self.punct("->")?;
        let ret = self.ty()?;
        Some(PluginFn {
            name,
            params,
            // The pair ends where its return type's does (trimmed ends agree).
            span: self.span(start, ret.span.end as usize),
            ret,
        })
    }

    /// `tighten step { rule | requires | deadline | attr … }`.
    fn tighten(&mut self) -> Option<Tighten> {
        let start = self.take_word();
        let target = self.ident()?;
        self.punct("{")?;
        let mut tighten = Tighten {
            target,
            rules: Vec::new(),
            checks: Vec::new(),
            requires: Vec::new(),
            deadlines: Vec::new(),
            attrs: Attrs::default(),
            span: self.tight(start),
        };
        loop {
            match self.peek_word() {
                b"rule" => tighten.rules.push(self.rule()?),
                b"check" => tighten.checks.push(self.check()?),
                b"requires" => {
                    self.take_word();
                    let refs = self.data_refs()?;
                    tighten.requires.extend(refs);
                }
                b"deadline" => tighten.deadlines.push(self.deadline()?),
                _ if self.at_attr() => self.attr(&mut tighten.attrs)?,
                _ => break,
            }
        }
        self.punct("}")?;
        tighten.span = self.tight(start);
        Some(tighten)
    }

    /// `override param name = value …`.
    fn override_param(&mut self) -> Option<ParamOverride> {
        let start = self.take_word();
        self.kw("param")?;
        let target = self.ident()?;
        let values = self.param_values()?;
        Some(ParamOverride {
            target,
            span: self.span(start, values.last()?.span.end as usize),
            values,
        })
    }

    /// `drop rule id attrs`.
    fn drop_rule(&mut self) -> Option<DropRule> {
        let start = self.take_word();
        self.kw("rule")?;
        let target = self.ident()?;
        let mut attrs = Attrs::default();
        let exact = self.tail_attrs(&mut attrs)?;
        Some(DropRule {
            target,
            attrs,
            span: self.span(start, self.rule_end(exact)),
        })
    }
}
