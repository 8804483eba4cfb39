//! Items: one per line, blocks indented by two spaces, the attributes of a declaration without
//! braces (a rule, a parameter value, a deadline, …) on continuation lines, as in `rules/`:
//!
//! ```text
//! rule id error "message"
//!   expect condition
//!   source "reference"
//! param name "label": type
//!   = value since "v1"
//!     source "reference"
//! ```

use super::comments::{Comment, next_token};
use super::exprs::{at, word};
use super::printer::{Printer, Tok, WIDTH, width};
use crate::parse::Rule;
use pest::iterators::Pair;

/// Indentation of one level.
pub(super) const INDENT: usize = 2;

/// The formatter's state: the source and the printer.
pub(crate) struct Fmt<'s> {
    pub(super) src: &'s str,
    pub(super) p: Printer<'s>,
}

impl<'s> Fmt<'s> {
    pub(crate) fn new(src: &'s str, comments: Vec<Comment>) -> Fmt<'s> {
        Fmt {
            src,
            p: Printer::new(src, comments),
        }
    }

    pub(crate) fn finish(self) -> String {
        self.p.finish()
    }

    /// The `file` pair: its items at the top level.
    pub(crate) fn file(&mut self, pair: Pair<Rule>) {
        for item in pair.into_inner() {
            if item.as_rule() != Rule::EOI {
                self.p.line(0, true);
                self.item(item, 0);
            }
        }
    }

    /// Prints `pair`'s tokens from the start of a line (whatever the item).
    fn item(&mut self, pair: Pair<Rule>, indent: usize) {
        match pair.as_rule() {
            Rule::workflow | Rule::region | Rule::step | Rule::decision | Rule::tighten => {
                self.block_item(pair, indent)
            }
            Rule::enum_decl | Rule::actors_decl | Rule::documents_decl => {
                self.enum_item(pair, indent)
            }
            Rule::record_decl | Rule::facts_decl => {
                for part in pair.into_inner() {
                    if part.as_rule() == Rule::record_type {
                        self.fields_block(part, indent);
                    } else {
                        self.p.tok(&word(&part, 1));
                    }
                }
            }
            Rule::plugin => self.plugin(pair, indent),
            Rule::param | Rule::override_param => self.param(pair, indent),
            Rule::value_decl => self.value(pair, indent),
            Rule::rule | Rule::check => self.rule(pair, indent),
            Rule::override_rule => {
                for part in pair.into_inner() {
                    match part.as_rule() {
                        Rule::rule => self.rule(part, indent),
                        _ => self.p.tok(&word(&part, 1)),
                    }
                }
            }
            Rule::end_decl => self.end(pair, indent),
            Rule::after => {
                for part in pair.into_inner() {
                    match part.as_rule() {
                        Rule::kw_after => self.p.tok(&word(&part, 1)),
                        _ => self.prereq_filled(part),
                    }
                }
            }
            Rule::version_decl | Rule::deadline | Rule::drop_rule => self.with_attrs(pair, indent),
            _ => self.line_item(pair),
        }
    }

    /// An item on one line: `source "…"`, `actors a, b`, `typical 1..2 months`, `outcome …`.
    fn line_item(&mut self, pair: Pair<Rule>) {
        let kind = pair.as_rule();
        let mut toks = Vec::new();
        let mut previous = None;
        for (i, part) in pair.clone().into_inner().enumerate() {
            if i > 1 && matches!(kind, Rule::actors | Rule::produces | Rule::requires) {
                toks.push(self.comma(previous.unwrap_or(0)));
            }
            previous = Some(part.as_span().end());
            match part.as_rule() {
                Rule::int if kind == Rule::typical && i == 2 => {
                    toks.push(Tok::glue(".."));
                    toks.push(word(&part, 0));
                }
                Rule::unit => self.unit(part, &mut toks),
                Rule::document_ref | Rule::probability | Rule::expiry => {
                    toks.extend(part.into_inner().map(|p| word(&p, 1)));
                }
                Rule::fact_ref => {
                    for (j, name) in part.into_inner().enumerate() {
                        if j > 0 {
                            toks.push(Tok::glue("."));
                        }
                        toks.push(word(&name, usize::from(j == 0)));
                    }
                }
                Rule::route => {
                    let (start, _) = at(&part);
                    toks.push(Tok::word("->", (start, start + 2)));
                    toks.extend(part.into_inner().map(|p| word(&p, 1)));
                }
                Rule::prereq_ref => self.prereq(part, 1, &mut toks),
                _ => toks.push(word(&part, 1)),
            }
        }
        if toks.is_empty() {
            // `optional`, a keyword alone.
            toks.push(word(&pair, 1));
        }
        self.p.toks(&toks);
    }

    /// `keyword name "label" … {` items `}`: workflows, regions, steps, decisions, `tighten`.
    fn block_item(&mut self, pair: Pair<Rule>, indent: usize) {
        let close = self.closer(&pair, '}', 1);
        let mut items = Vec::new();
        for part in pair.into_inner() {
            match part.as_rule() {
                Rule::kw_workflow
                | Rule::kw_region
                | Rule::kw_step
                | Rule::kw_decision
                | Rule::kw_tighten
                | Rule::kw_extends
                | Rule::ident
                | Rule::string
                    if items.is_empty() =>
                {
                    self.p.tok(&word(&part, 1))
                }
                Rule::versions => {
                    for (i, v) in part.into_inner().enumerate() {
                        if i > 1 {
                            let comma = self.comma(self.p.last_end());
                            self.p.tok(&comma);
                        }
                        self.p.tok(&word(&v, 1));
                    }
                }
                _ => items.push(part),
            }
        }
        self.block(items, indent, close, |f, item, indent| f.item(item, indent));
    }

    /// ` {`, each item on its own line one level deeper, `}`; ` {}` when empty and without comments.
    fn block<'a>(
        &mut self,
        items: Vec<Pair<'a, Rule>>,
        indent: usize,
        close: Tok,
        mut each: impl FnMut(&mut Self, Pair<'a, Rule>, usize),
    ) {
        self.p.tok(&Tok::glue("{").spaced(1));
        let end = close.at.map_or(0, |(start, _)| start);
        if items.is_empty() && !self.p.has_comment(0, end) {
            return self.p.tok(&close.spaced(0));
        }
        self.p.opened();
        for item in items {
            self.p.line(indent + INDENT, true);
            each(self, item, indent + INDENT);
        }
        // Comments before the `}` belong inside the block.
        self.p.flush_trailing(end);
        self.p.line(indent + INDENT, true);
        self.p.flush(end);
        self.p.line(indent, false);
        self.p.tok(&close);
    }

    /// `enum name "label" { … }`, `actors { … }`, `documents { … }`: labels aligned.
    fn enum_item(&mut self, pair: Pair<Rule>, indent: usize) {
        let close = self.closer(&pair, '}', 1);
        let mut variants = Vec::new();
        for part in pair.into_inner() {
            match part.as_rule() {
                Rule::variants => variants.extend(part.into_inner()),
                _ => self.p.tok(&word(&part, 1)),
            }
        }
        let name_width = |v: &Pair<Rule>| {
            v.clone()
                .into_inner()
                .next()
                .map_or(0, |n| n.as_str().len())
        };
        let column = variants
            .iter()
            .filter(|v| (*v).clone().into_inner().nth(1).is_some())
            .map(name_width)
            .max()
            .unwrap_or(0);
        self.block(variants, indent, close, |f, variant, _| {
            let end = variant.as_span().end();
            let pad = column + 1 - name_width(&variant).min(column);
            for (i, part) in variant.into_inner().enumerate() {
                f.p.tok(&word(&part, if i == 0 { 1 } else { pad }));
            }
            let comma = f.comma(end);
            f.p.tok(&comma);
        });
    }

    /// A record type as a block: one field per line, each followed by a comma.
    fn fields_block(&mut self, pair: Pair<Rule>, indent: usize) {
        let close = self.closer(&pair, '}', 1);
        let fields: Vec<_> = pair.into_inner().collect();
        self.block(fields, indent, close, |f, field, indent| {
            let end = field.as_span().end();
            f.field(field, indent);
            let comma = f.comma(end);
            f.p.tok(&comma);
        });
    }

    /// `name: type`; a record type that does not fit on the line (or holds comments) as a block.
    fn field(&mut self, pair: Pair<Rule>, indent: usize) {
        let mut it = pair.clone().into_inner();
        if let Some(name) = it.next() {
            self.p.tok(&word(&name, 1));
        }
        self.p.tok(&Tok::glue(":"));
        let Some(ty) = it.next() else { return };
        let mut toks = Vec::new();
        self.ty(ty.clone(), 1, &mut toks);
        let shape = ty.clone().into_inner().next();
        let long = self.p.column() + 1 + width(&toks) + 1 > WIDTH;
        // From the name to the `}` (the pair may run on over the blanks and comments after it).
        let commented = |f: &Self, record: &Pair<Rule>| f.p.has_comment(at(&pair).0, at(record).1);
        match shape {
            Some(record)
                if record.as_rule() == Rule::record_type && (long || commented(self, &record)) =>
            {
                self.fields_block(record, indent);
                for optional in ty.into_inner().skip(1) {
                    self.p.tok(&word(&optional, 0));
                }
            }
            _ => self.p.toks(&toks),
        }
    }

    /// `plugin alias "package" version "req" { fn … }`.
    fn plugin(&mut self, pair: Pair<Rule>, indent: usize) {
        let close = self.closer(&pair, '}', 1);
        let mut functions = Vec::new();
        for part in pair.into_inner() {
            match part.as_rule() {
                Rule::plugin_fn => functions.push(part),
                _ => self.p.tok(&word(&part, 1)),
            }
        }
        self.block(functions, indent, close, |f, function, _| {
            f.plugin_fn(function)
        });
    }

    /// `fn name(param: type, …) -> type`.
    fn plugin_fn(&mut self, pair: Pair<Rule>) {
        let mut toks = Vec::new();
        let mut inside = 0;
        let mut params = 0;
        for part in pair.into_inner() {
            match part.as_rule() {
                Rule::fn_param => {
                    toks.push(if params == 0 {
                        Tok::glue("(")
                    } else {
                        self.comma(inside)
                    });
                    params += 1;
                    inside = part.as_span().end();
                    let first = toks.len();
                    self.field_inline(part, &mut toks);
                    if params == 1 {
                        toks[first].space = 0;
                    }
                }
                Rule::ty => {
                    if params == 0 {
                        toks.push(Tok::glue("("));
                        inside = next_token(self.src, inside) + 1;
                    }
                    toks.push(self.closer_after(inside, ')', 0));
                    toks.push(Tok::glue("->").spaced(1));
                    self.ty(part, 1, &mut toks);
                }
                _ => {
                    inside = part.as_span().end();
                    toks.push(word(&part, 1));
                }
            }
        }
        self.p.toks(&toks);
    }
}
