//! Expressions, types and prerequisites as token lists: printed on one line, except that a long
//! expression breaks before its top-level `or` (or `and`) operators and a long `all(…)` / `any(…)`
//! fills its lines, continuation lines aligned after the parenthesis.

use super::comments::{comma_after, next_token};
use super::items::Fmt;
use super::printer::{CONTINUATION, Tok, WIDTH, width};
use crate::parse::Rule;
use pest::iterators::Pair;

/// Where a pair is in the source.
pub(super) fn at(pair: &Pair<Rule>) -> (usize, usize) {
    let span = pair.as_span();
    (span.start(), span.end())
}

/// A token of the source: the pair's text, after `space` spaces.
pub(super) fn word(pair: &Pair<Rule>, space: usize) -> Tok {
    Tok::word(pair.as_str(), at(pair)).spaced(space)
}

impl Fmt<'_> {
    /// A closing bracket `ch`: the last one in `pair`, which ends with it.
    pub(super) fn closer(&self, pair: &Pair<Rule>, ch: char, space: usize) -> Tok {
        let end = pair.as_span().end();
        let at = self.src[..end].rfind(ch).unwrap_or(end);
        self.closer_at(at, ch, space)
    }

    /// A closing bracket `ch` that is the next token after `from`.
    pub(super) fn closer_after(&self, from: usize, ch: char, space: usize) -> Tok {
        let at = next_token(self.src, from);
        self.closer_at(at, ch, space)
    }

    /// A comma after the item that ends at `after` (where the source has one, to print the
    /// inline comments before it first).
    pub(super) fn comma(&self, after: usize) -> Tok {
        let mut tok = Tok::glue(",");
        if let Some(at) = comma_after(self.src, after) {
            tok.at = Some((at, at + 1));
            tok.inline_only = true;
        }
        tok
    }

    /// Before each item of a list but the first, a comma after the previous one (which ended at
    /// `previous`). Returns the spaces before the item: none for the first.
    pub(super) fn separate(
        &self,
        previous: &mut Option<usize>,
        item: &Pair<Rule>,
        out: &mut Vec<Tok>,
    ) -> usize {
        let first = previous.is_none();
        if let Some(end) = previous.replace(item.as_span().end()) {
            out.push(self.comma(end));
        }
        usize::from(!first)
    }

    fn closer_at(&self, at: usize, ch: char, space: usize) -> Tok {
        let mut tok = Tok::glue(ch.encode_utf8(&mut [0; 4]));
        if self.src[at..].starts_with(ch) {
            tok.at = Some((at, at + 1));
        }
        tok.spaced(space)
    }

    /// An expression on one line. The operators a long line may break before are marked: in each
    /// expression and parenthesised or bracketed subexpression, its `or`s, else its `and`s (none
    /// beside an `implies`, where a break would hide what `implies` applies to).
    pub(super) fn expr(&self, pair: Pair<Rule>, mut space: usize, out: &mut Vec<Tok>) {
        let (mut ors, mut ands, mut implies) = (Vec::new(), Vec::new(), false);
        for part in pair.into_inner() {
            let kind = part.as_rule();
            match kind {
                Rule::postfix => self.postfix(part, space, out),
                Rule::cmp_op => match part.clone().into_inner().next() {
                    Some(not_in) if not_in.as_rule() == Rule::not_in => {
                        out.extend(not_in.into_inner().map(|kw| word(&kw, 1)));
                    }
                    Some(kw) => out.push(word(&kw, 1)),
                    None => out.push(word(&part, 1)),
                },
                _ => {
                    match kind {
                        Rule::kw_or => ors.push(out.len()),
                        Rule::kw_and => ands.push(out.len()),
                        Rule::kw_implies => implies = true,
                        _ => {}
                    }
                    out.push(word(&part, space));
                }
            }
            // No space after a prefix `-`.
            space = usize::from(kind != Rule::neg);
        }
        let breaks = match (implies, ors.is_empty()) {
            (true, _) => Vec::new(),
            (false, false) => ors,
            (false, true) => ands,
        };
        for at in breaks {
            out[at].breakable = true;
        }
    }

    /// An expression after `expect` or `=`, breaking before the marked operators of the least
    /// nested level that has some when the line would be longer than [`WIDTH`]; continuation
    /// lines indented from `indent`.
    pub(super) fn expr_broken(&mut self, pair: Pair<Rule>, indent: usize) {
        let mut toks = Vec::new();
        self.expr(pair, 1, &mut toks);
        let mut depth = 0usize;
        let mut candidates = Vec::new();
        for (i, tok) in toks.iter().enumerate() {
            match tok.text.as_str() {
                "(" | "[" | "{" => depth += 1,
                ")" | "]" | "}" => depth = depth.saturating_sub(1),
                _ if tok.breakable => candidates.push((depth, i)),
                _ => {}
            }
        }
        let shallowest = candidates.iter().map(|(d, _)| *d).min();
        let breaks = candidates
            .iter()
            .filter(|(d, _)| Some(*d) == shallowest)
            .map(|(_, i)| *i);
        let mut start = 0;
        for end in breaks.chain([toks.len()]) {
            let segment = &toks[start..end];
            if start > 0 && self.p.column() + 1 + width(segment) > WIDTH {
                self.p.line(indent + CONTINUATION, false);
            }
            self.p.toks(segment);
            start = end;
        }
    }

    fn postfix(&self, pair: Pair<Rule>, space: usize, out: &mut Vec<Tok>) {
        let mut parts = pair.into_inner().peekable();
        let Some(first) = parts.next() else { return };
        match first.as_rule() {
            Rule::ident => {
                out.push(word(&first, space));
                if parts.peek().is_some_and(|p| p.as_rule() == Rule::ident) {
                    out.push(Tok::glue("."));
                    out.extend(parts.next().map(|f| word(&f, 0)));
                }
                if let Some(args) = parts.next_if(|p| p.as_rule() == Rule::call_args) {
                    out.push(Tok::glue("("));
                    let end = args.as_span().end();
                    let mut previous = None;
                    for arg in args.into_inner() {
                        let space = self.separate(&mut previous, &arg, out);
                        self.arg(arg, space, out);
                    }
                    out.push(self.closer_after(end, ')', 0));
                }
            }
            Rule::duration => {
                let mut it = first.into_inner();
                out.extend(it.next().map(|n| word(&n, space)));
                for unit in it {
                    self.unit(unit, out);
                }
            }
            Rule::list_lit => {
                out.push(Tok::glue("[").spaced(space));
                self.comma_list(first.clone(), out);
                out.push(self.closer(&first, ']', 0));
            }
            Rule::record_lit => {
                out.push(Tok::glue("{").spaced(space));
                let empty = first.clone().into_inner().next().is_none();
                let mut previous = None;
                for init in first.clone().into_inner() {
                    self.separate(&mut previous, &init, out);
                    let mut it = init.into_inner();
                    out.extend(it.next().map(|name| word(&name, 1)));
                    out.push(Tok::glue(":"));
                    if let Some(value) = it.next() {
                        self.expr(value, 1, out);
                    }
                }
                out.push(self.closer(&first, '}', usize::from(!empty)));
            }
            Rule::expr => {
                out.push(Tok::glue("(").spaced(space));
                let end = first.as_span().end();
                self.expr(first, 0, out);
                out.push(self.closer_after(end, ')', 0));
            }
            _ => out.push(word(&first, space)),
        }
        for part in parts {
            match part.as_rule() {
                Rule::member => {
                    let (start, _) = at(&part);
                    out.push(Tok::word(".", (start, start + 1)).spaced(0));
                    out.extend(part.into_inner().next().map(|name| word(&name, 0)));
                }
                Rule::index => {
                    let (start, _) = at(&part);
                    out.push(Tok::word("[", (start, start + 1)).spaced(0));
                    let close = self.closer(&part, ']', 0);
                    if let Some(inner) = part.into_inner().next() {
                        self.expr(inner, 0, out);
                    }
                    out.push(close);
                }
                _ => out.push(word(&part, 0)),
            }
        }
    }

    /// The expressions of a list literal, separated by commas (a trailing comma is dropped).
    fn comma_list(&self, pair: Pair<Rule>, out: &mut Vec<Tok>) {
        let mut previous = None;
        for item in pair.into_inner() {
            let space = self.separate(&mut previous, &item, out);
            self.expr(item, space, out);
        }
    }

    /// A call argument: an expression or a comprehension.
    fn arg(&self, pair: Pair<Rule>, space: usize, out: &mut Vec<Tok>) {
        if pair.as_rule() == Rule::expr {
            return self.expr(pair, space, out);
        }
        let mut space = space;
        for part in pair.into_inner() {
            if part.as_rule() == Rule::expr {
                self.expr(part, space, out);
            } else {
                out.push(word(&part, space));
            }
            space = 1;
        }
    }

    /// A duration unit: one or two keywords.
    pub(super) fn unit(&self, pair: Pair<Rule>, out: &mut Vec<Tok>) {
        for kw in pair.into_inner().flat_map(Pair::into_inner) {
            out.push(word(&kw, 1));
        }
    }

    /// A type on one line.
    pub(super) fn ty(&self, pair: Pair<Rule>, space: usize, out: &mut Vec<Tok>) {
        for part in pair.into_inner() {
            match part.as_rule() {
                Rule::list_type | Rule::set_type => {
                    let mut it = part.into_inner();
                    out.extend(it.next().map(|kw| word(&kw, space)));
                    out.push(Tok::glue("<"));
                    if let Some(inner) = it.next() {
                        self.ty(inner, 0, out);
                    }
                    out.push(Tok::glue(">"));
                }
                Rule::record_type => self.record_type_inline(part, space, out),
                Rule::named_type => out.extend(part.into_inner().next().map(|n| word(&n, space))),
                _ => out.push(word(&part, 0)),
            }
        }
    }

    /// `{ name: type, … }` on one line (`{}` when empty).
    pub(super) fn record_type_inline(&self, pair: Pair<Rule>, space: usize, out: &mut Vec<Tok>) {
        out.push(Tok::glue("{").spaced(space));
        let empty = pair.clone().into_inner().next().is_none();
        let mut previous = None;
        for field in pair.clone().into_inner() {
            self.separate(&mut previous, &field, out);
            self.field_inline(field, out);
        }
        out.push(self.closer(&pair, '}', usize::from(!empty)));
    }

    /// `name: type` on one line, after one space.
    pub(super) fn field_inline(&self, pair: Pair<Rule>, out: &mut Vec<Tok>) {
        let mut it = pair.into_inner();
        out.extend(it.next().map(|name| word(&name, 1)));
        out.push(Tok::glue(":"));
        if let Some(ty) = it.next() {
            self.ty(ty, 1, out);
        }
    }

    /// A prerequisite on one line.
    pub(super) fn prereq(&self, pair: Pair<Rule>, space: usize, out: &mut Vec<Tok>) {
        match pair.as_rule() {
            Rule::prereq_all | Rule::prereq_any => {
                let close = self.closer(&pair, ')', 0);
                let mut it = pair.into_inner();
                out.extend(it.next().map(|kw| word(&kw, space)));
                out.push(Tok::glue("("));
                let mut previous = None;
                for item in it {
                    let space = self.separate(&mut previous, &item, out);
                    self.prereq(item, space, out);
                }
                out.push(close);
            }
            _ => {
                for (i, name) in pair.into_inner().enumerate() {
                    if i > 0 {
                        out.push(Tok::glue("."));
                    }
                    out.push(word(&name, if i == 0 { space } else { 0 }));
                }
            }
        }
    }

    /// A prerequisite after one space; a long `all(…)` / `any(…)` fills its lines.
    pub(super) fn prereq_filled(&mut self, pair: Pair<Rule>) {
        let mut toks = Vec::new();
        self.prereq(pair.clone(), 1, &mut toks);
        let fits = self.p.column() + 1 + width(&toks) <= WIDTH;
        if fits || !matches!(pair.as_rule(), Rule::prereq_all | Rule::prereq_any) {
            return self.p.toks(&toks);
        }
        let close = self.closer(&pair, ')', 0);
        let mut it = pair.into_inner();
        if let Some(kw) = it.next() {
            self.p.tok(&word(&kw, 1));
        }
        self.p.tok(&Tok::glue("("));
        let align = self.p.column();
        let mut previous: Option<usize> = None;
        for item in it {
            let mut toks = Vec::new();
            self.prereq(item.clone(), usize::from(previous.is_some()), &mut toks);
            if let Some(end) = previous {
                let comma = self.comma(end);
                self.p.tok(&comma);
                if self.p.column() + 1 + width(&toks) + 1 > WIDTH {
                    self.p.line(align, false);
                }
            }
            previous = Some(item.as_span().end());
            self.p.toks(&toks);
        }
        self.p.tok(&close);
    }
}
