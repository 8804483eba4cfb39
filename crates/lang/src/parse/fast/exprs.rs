//! Expressions, by precedence climbing over the grammar's layers (`implies`, `or`, `and`, `not`,
//! one comparison, `?? + - * / %`, unary `-`, postfix). Nodes are built with the functions the
//! pest builder's Pratt parser uses (`parse/expr.rs`), so spans come out the same.

use super::{MAX_DEPTH, Parser};
use crate::parse::expr::{
    AND, CMP, COALESCE, IMPLIES, Node, OR, POSTFIX, PRODUCT, SUM, infix_node, loose_end, neg_node,
    not_node, valid_date,
};
use crate::syntax::*;

impl Parser<'_> {
    /// An `expr` pair's expression.
    pub(super) fn expr(&mut self) -> Option<Expr> {
        Some(self.expr_node()?.expr)
    }

    /// `expr = disjunction ~ (kw_implies ~ disjunction)?`.
    fn expr_node(&mut self) -> Option<Node> {
        self.enter()?;
        let lhs = self.disjunction()?;
        let node = if self.eat_kw("implies") {
            let rhs = self.disjunction()?;
            infix_node(self.file, lhs, BinOp::Implies, IMPLIES, rhs)
        } else {
            lhs
        };
        self.leave();
        Some(node)
    }

    fn disjunction(&mut self) -> Option<Node> {
        let mut lhs = self.conjunction()?;
        while self.eat_kw("or") {
            let rhs = self.conjunction()?;
            lhs = infix_node(self.file, lhs, BinOp::Or, OR, rhs);
        }
        Some(lhs)
    }

    fn conjunction(&mut self) -> Option<Node> {
        let mut lhs = self.negation()?;
        while self.eat_kw("and") {
            let rhs = self.negation()?;
            lhs = infix_node(self.file, lhs, BinOp::And, AND, rhs);
        }
        Some(lhs)
    }

    /// `negation = (&"not" ~ kw_not ~ !kw_in ~ negation) | comparison`.
    fn negation(&mut self) -> Option<Node> {
        if self.at_kw("not") && self.peek_second_word() != b"in" {
            let start = self.take_word() as u32;
            self.enter()?;
            let rhs = self.negation()?;
            self.leave();
            return Some(not_node(self.file, start, rhs));
        }
        self.comparison()
    }

    /// `comparison = term ~ (cmp_op ~ term)?`.
    fn comparison(&mut self) -> Option<Node> {
        let lhs = self.term(COALESCE)?;
        let Some(op) = self.cmp_op() else {
            return Some(lhs);
        };
        let rhs = self.term(COALESCE)?;
        Some(infix_node(self.file, lhs, op, CMP, rhs))
    }

    /// Consumes a comparison operator if one is at the cursor.
    fn cmp_op(&mut self) -> Option<BinOp> {
        self.skip();
        let rest = &self.bytes[self.pos..];
        let (op, len) = match rest {
            [b'=', b'=', ..] => (BinOp::Eq, 2),
            [b'!', b'=', ..] => (BinOp::Ne, 2),
            [b'<', b'=', ..] => (BinOp::Le, 2),
            [b'>', b'=', ..] => (BinOp::Ge, 2),
            [b'<', ..] => (BinOp::Lt, 1),
            [b'>', ..] => (BinOp::Gt, 1),
            _ => {
                let word = self.peek_word();
                if word == b"not" && self.peek_second_word() == b"in" {
                    self.take_word();
                    self.take_word();
                    return Some(BinOp::NotIn);
                }
                if word == b"in" {
                    self.take_word();
                    return Some(BinOp::In);
                }
                return None;
            }
        };
        self.consume(len);
        Some(op)
    }

    /// `term = unary ~ ((coalesce_op | add_op | mul_op) ~ unary)*`, operators of level at least
    /// `min`, left-associative.
    fn term(&mut self, min: u8) -> Option<Node> {
        let mut lhs = self.unary()?;
        while let Some((op, level)) = self.term_op() {
            if level < min {
                break;
            }
            self.consume(if op == BinOp::Coalesce { 2 } else { 1 });
            let rhs = self.term(level + 1)?;
            lhs = infix_node(self.file, lhs, op, level, rhs);
        }
        Some(lhs)
    }

    /// The `??`, `+ -` or `* / %` operator at the cursor, with its level; not consumed.
    fn term_op(&mut self) -> Option<(BinOp, u8)> {
        self.skip();
        match self.bytes.get(self.pos..)? {
            [b'?', b'?', ..] => Some((BinOp::Coalesce, COALESCE)),
            [b'+', ..] => Some((BinOp::Add, SUM)),
            [b'-', ..] => Some((BinOp::Sub, SUM)),
            [b'*', ..] => Some((BinOp::Mul, PRODUCT)),
            [b'/', ..] => Some((BinOp::Div, PRODUCT)),
            [b'%', ..] => Some((BinOp::Rem, PRODUCT)),
            _ => None,
        }
    }

    /// `unary = neg* ~ postfix`.
    fn unary(&mut self) -> Option<Node> {
        let mut negs = Vec::new();
        while self.eat("-") {
            negs.push(self.last as u32 - 1);
            if negs.len() > MAX_DEPTH as usize {
                return None;
            }
        }
        let mut node = self.postfix()?;
        for start in negs.into_iter().rev() {
            node = neg_node(self.file, start, node);
        }
        Some(node)
    }

    /// `postfix = primary ~ (member | index)*`.
    fn postfix(&mut self) -> Option<Node> {
        self.skip();
        let start = self.pos;
        let mut expr = self.primary()?;
        let mut chained = false;
        loop {
            let kind = if self.ident_after_punct(".") {
                self.consume(1);
                ExprKind::Member(Box::new(expr), self.ident()?)
            } else if self.eat("[") {
                let index = self.expr()?;
                self.punct("]")?;
                ExprKind::Index(Box::new(expr), Box::new(index))
            } else {
                break;
            };
            // From the start of the chain (parentheses included) to this member.
            expr = Expr {
                kind,
                span: self.tight(start),
            };
            chained = true;
        }
        let span = self.span(start, self.rule_end(chained));
        // Without members the pair ran on over the whitespace after the primary.
        let loose = if chained {
            loose_end(self.text, span.end)
        } else {
            span.end
        };
        Some(Node {
            expr,
            start: span.start,
            level: POSTFIX,
            top_end: span.end,
            loose,
            negs: 0,
        })
    }

    /// `primary`, the alternative chosen by the first character (and word).
    fn primary(&mut self) -> Option<Expr> {
        let start = self.pos;
        let kind = match *self.bytes.get(start)? {
            b'"' => ExprKind::Text(self.string()?.value),
            b'[' => {
                self.consume(1);
                let mut items = Vec::new();
                if !self.at("]") {
                    loop {
                        items.push(self.expr()?);
                        if !self.eat(",") || self.at("]") {
                            break;
                        }
                    }
                }
                self.punct("]")?;
                ExprKind::List(items)
            }
            b'{' => {
                self.consume(1);
                let mut fields = Vec::new();
                if !self.at("}") {
                    loop {
                        let name = self.ident()?;
                        self.punct(":")?;
                        fields.push((name, self.expr()?));
                        if !self.eat(",") || self.at("}") {
                            break;
                        }
                    }
                }
                self.punct("}")?;
                ExprKind::Record(fields)
            }
            b'(' => return self.parenthesised(),
            b'0'..=b'9' => self.number_literal()?,
            _ => {
                let word = self.peek_word();
                if Self::is_ident(word) {
                    return self.name_or_call();
                }
                let kind = match word {
                    b"true" => ExprKind::Bool(true),
                    b"false" => ExprKind::Bool(false),
                    b"none" => ExprKind::None,
                    b"today" => ExprKind::Today,
                    _ => return None,
                };
                self.take_word();
                kind
            }
        };
        Some(Expr {
            kind,
            span: self.tight(start),
        })
    }

    /// `"(" ~ expr ~ ")"`: its span takes in the parentheses, as the pest builder finds them.
    fn parenthesised(&mut self) -> Option<Expr> {
        let start = self.pos;
        self.consume(1);
        let inner = self.expr_node()?;
        self.punct(")")?;
        let inner_end = inner.end_at(IMPLIES) as usize;
        let mut expr = inner.expr;
        if let Some(close) = self.text.get(inner_end..)?.find(')') {
            expr.span = cpts_diag::Span::new(self.file, start, inner_end + close + 1);
        }
        Some(expr)
    }

    /// `duration | date | decimal | int`, tried in that order.
    fn number_literal(&mut self) -> Option<ExprKind> {
        let at = self.pos;
        let int = self.int_len(at);
        if self.unit_at(at + int).is_some() {
            let (amount, _) = self.int()?;
            return Some(ExprKind::Duration(amount, self.unit()?));
        }
        let b = self.bytes;
        let digit = |i: usize| b.get(at + i).is_some_and(u8::is_ascii_digit);
        let dash = |i: usize| b.get(at + i) == Some(&b'-');
        if (0..4).all(digit) && dash(4) && digit(5) && digit(6) && dash(7) && digit(8) && digit(9) {
            let text = &self.text[at..at + 10];
            let year: i32 = text[0..4].parse().unwrap_or(0);
            let month: u32 = text[5..7].parse().unwrap_or(0);
            let day: u32 = text[8..10].parse().unwrap_or(0);
            // An impossible date is reported by pest's builder.
            if !valid_date(year, month, day) {
                return None;
            }
            self.consume(10);
            return Some(ExprKind::Date { year, month, day });
        }
        let whole = self.digits_len(at);
        if b.get(at + whole) == Some(&b'.') {
            let fraction = self.digits_len(at + whole + 1);
            if fraction > 0 {
                self.consume(whole + 1 + fraction);
                return Some(ExprKind::Decimal(self.text[at..self.pos].to_owned()));
            }
        }
        Some(ExprKind::Int(self.int()?.0))
    }

    /// `name_or_call = ident ~ (("." ~ ident)? ~ "(" ~ call_args ~ ")")?`.
    fn name_or_call(&mut self) -> Option<Expr> {
        let start = self.pos;
        let first = self.ident()?;
        let (plugin, function) = if self.at("(") {
            (None, first)
        } else if self.plugin_call_follows() {
            self.consume(1);
            (Some(first), self.ident()?)
        } else {
            let span = first.span;
            return Some(Expr {
                kind: ExprKind::Name(first),
                span,
            });
        };
        self.punct("(")?;
        let mut args = Vec::new();
        if !self.at(")") {
            loop {
                args.push(self.arg()?);
                if !self.eat(",") {
                    break;
                }
            }
        }
        self.punct(")")?;
        Some(Expr {
            kind: ExprKind::Call(Call {
                plugin,
                function,
                args,
            }),
            span: self.tight(start),
        })
    }

    /// Whether `. ident (` follows (a plugin call), whitespace allowed between.
    fn plugin_call_follows(&mut self) -> bool {
        if !self.ident_after_punct(".") {
            return false;
        }
        let at = crate::parse::expr::skip_blank(self.text, self.pos + 1);
        let len = self.word_at(at).len();
        let after = crate::parse::expr::skip_blank(self.text, at + len);
        self.bytes.get(after) == Some(&b'(')
    }

    /// `arg = comp_in | comp_for | expr`.
    fn arg(&mut self) -> Option<Arg> {
        self.skip();
        let start = self.pos;
        if self.at_ident() && self.peek_second_word() == b"in" {
            let var = self.ident()?;
            self.take_word();
            return self.comprehension(start, None, var).map(Arg::Comprehension);
        }
        let node = self.expr_node()?;
        if !self.eat_kw("for") {
            return Some(Arg::Expr(node.expr));
        }
        let var = self.ident()?;
        self.kw("in")?;
        self.comprehension(start, Some(Box::new(node.expr)), var)
            .map(Arg::Comprehension)
    }

    /// The rest of `comp_in` / `comp_for` after `in`: `expr ~ (kw_where ~ expr)?`.
    fn comprehension(
        &mut self,
        start: usize,
        element: Option<Box<Expr>>,
        var: Ident,
    ) -> Option<Comprehension> {
        let collection = Box::new(self.expr()?);
        let (filter, span) = if self.eat_kw("where") {
            // The pair ends where the filter's former `expr` pair ended.
            let node = self.expr_node()?;
            let end = node.end_at(IMPLIES) as usize;
            (
                Some(Box::new(node.expr)),
                cpts_diag::Span::new(self.file, start, end),
            )
        } else {
            (None, self.span(start, self.rule_end(false)))
        };
        Some(Comprehension {
            element,
            var,
            collection,
            filter,
            span,
        })
    }
}
