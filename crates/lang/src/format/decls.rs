//! Declarations whose attributes go on continuation lines: rules, parameters, computed values,
//! versions, ends, deadlines and dropped rules.

use super::exprs::word;
use super::items::{Fmt, INDENT};
use super::printer::{Tok, WIDTH, width};
use crate::parse::Rule;
use pest::iterators::Pair;

/// `source`, `uncertain`, `since`, `until`.
fn is_attr(kind: Rule) -> bool {
    matches!(
        kind,
        Rule::source | Rule::uncertain | Rule::since | Rule::until
    )
}

impl Fmt<'_> {
    /// `source "…"` and the like, after one space.
    fn attr(&mut self, pair: Pair<Rule>) {
        for part in pair.into_inner() {
            self.p.tok(&word(&part, 1));
        }
    }

    /// A header on one line, then each attribute on a continuation line: versions, deadlines,
    /// `drop rule`.
    pub(super) fn with_attrs(&mut self, pair: Pair<Rule>, indent: usize) {
        for part in pair.into_inner() {
            match part.as_rule() {
                kind if is_attr(kind) => {
                    self.p.line(indent + INDENT, false);
                    self.attr(part);
                }
                Rule::unit => {
                    let mut toks = Vec::new();
                    self.unit(part, &mut toks);
                    self.p.toks(&toks);
                }
                Rule::prereq_ref | Rule::expiry => {
                    let mut toks = Vec::new();
                    if part.as_rule() == Rule::expiry {
                        toks.extend(part.into_inner().map(|p| word(&p, 1)));
                    } else {
                        self.prereq(part, 1, &mut toks);
                    }
                    self.p.toks(&toks);
                }
                _ => self.p.tok(&word(&part, 1)),
            }
        }
    }

    /// `rule id severity "message"`, then `expect …` and each attribute on continuation lines;
    /// `check id call`, then each attribute on continuation lines.
    pub(super) fn rule(&mut self, pair: Pair<Rule>, indent: usize) {
        for part in pair.into_inner() {
            match part.as_rule() {
                Rule::kw_expect => {
                    self.p.line(indent + INDENT, false);
                    self.p.tok(&word(&part, 1));
                }
                Rule::expr => self.expr_broken(part, indent + INDENT),
                kind if is_attr(kind) => {
                    self.p.line(indent + INDENT, false);
                    self.attr(part);
                }
                _ => self.p.tok(&word(&part, 1)),
            }
        }
    }

    /// `param name "label": type` (or `override param name`), then each `= value` on a
    /// continuation line.
    pub(super) fn param(&mut self, pair: Pair<Rule>, indent: usize) {
        for part in pair.into_inner() {
            match part.as_rule() {
                Rule::ty => self.typed(part),
                Rule::param_value => {
                    self.p.line(indent + INDENT, false);
                    let mut it = part.clone().into_inner();
                    let start = part.as_span().start();
                    self.p.tok(&Tok::word("=", (start, start + 1)));
                    if let Some(expr) = it.next() {
                        self.expr_broken(expr, indent + INDENT);
                    }
                    self.value_attrs(it, indent + INDENT);
                }
                _ => self.p.tok(&word(&part, 1)),
            }
        }
    }

    /// `value name "label": type`, then `= expression` on a continuation line.
    pub(super) fn value(&mut self, pair: Pair<Rule>, indent: usize) {
        let mut it = pair.into_inner();
        for part in it.by_ref() {
            match part.as_rule() {
                Rule::ty => {
                    let end = part.as_span().end();
                    self.typed(part);
                    self.p.line(indent + INDENT, false);
                    let eq = self.closer_after(end, '=', 1);
                    self.p.tok(&eq);
                }
                Rule::expr => {
                    self.expr_broken(part, indent + INDENT);
                    break;
                }
                _ => self.p.tok(&word(&part, 1)),
            }
        }
        self.value_attrs(it, indent + INDENT);
    }

    /// `: type` after a name or label.
    fn typed(&mut self, ty: Pair<Rule>) {
        let mut toks = vec![Tok::glue(":")];
        self.ty(ty, 1, &mut toks);
        self.p.toks(&toks);
    }

    /// The attributes of `= value`: `since` / `until` written first stay on its line, the others
    /// go on continuation lines (their order is kept: it decides which item they belong to).
    fn value_attrs<'a>(&mut self, attrs: impl Iterator<Item = Pair<'a, Rule>>, indent: usize) {
        let mut same_line = true;
        for attr in attrs {
            same_line &= matches!(attr.as_rule(), Rule::since | Rule::until);
            if !same_line {
                self.p.line(indent + INDENT, false);
            }
            self.attr(attr);
        }
    }

    /// `end "label" after …` on one line if it fits, else `after …` on a continuation line; then
    /// each attribute on a continuation line.
    pub(super) fn end(&mut self, pair: Pair<Rule>, indent: usize) {
        let mut it = pair.into_inner().peekable();
        while let Some(part) = it.next() {
            match part.as_rule() {
                Rule::kw_after => {
                    let mut toks = vec![word(&part, 1)];
                    if let Some(prereq) = it.peek() {
                        self.prereq(prereq.clone(), 1, &mut toks);
                    }
                    if self.p.column() + 1 + width(&toks) > WIDTH {
                        self.p.line(indent + INDENT, false);
                    }
                    self.p.tok(&toks[0]);
                    if let Some(prereq) = it.next() {
                        self.prereq_filled(prereq);
                    }
                }
                kind if is_attr(kind) => {
                    self.p.line(indent + INDENT, false);
                    self.attr(part);
                }
                _ => self.p.tok(&word(&part, 1)),
            }
        }
    }
}
