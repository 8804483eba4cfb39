//! Expression pairs → [`Expr`].

use super::{Builder, Rule, unit};
use crate::syntax::*;
use cpts_diag::{Diagnostic, Span, codes};
use pest::iterators::Pair;

impl Builder<'_> {
    pub(super) fn expr(&mut self, pair: Pair<Rule>) -> Expr {
        let span = self.span(&pair);
        match pair.as_rule() {
            Rule::expr => self.expr(pair.into_inner().next().unwrap()),
            Rule::implies
            | Rule::or
            | Rule::and
            | Rule::compare
            | Rule::coalesce
            | Rule::sum
            | Rule::product => self.chain(pair),
            Rule::not => {
                let mut it = pair.into_inner();
                let first = it.next().unwrap();
                match it.next() {
                    Some(operand) => {
                        let e = self.expr(operand);
                        Expr {
                            kind: ExprKind::Not(Box::new(e)),
                            span,
                        }
                    }
                    None => self.expr(first),
                }
            }
            Rule::unary => {
                let parts: Vec<_> = pair.into_inner().collect();
                let negs = parts.len() - 1;
                let mut e = self.expr(parts.into_iter().last().unwrap());
                for _ in 0..negs {
                    e = Expr {
                        kind: ExprKind::Neg(Box::new(e)),
                        span,
                    };
                }
                e
            }
            Rule::postfix => {
                let text = pair.as_str();
                let mut it = pair.into_inner();
                let first = it.next().unwrap();
                let first_span = self.span(&first);
                let mut e = self.expr(first);
                if first_span.start > span.start {
                    // A parenthesised base: its span takes in the parentheses.
                    let inner_end = (first_span.end - span.start) as usize;
                    if let Some(close) = text[inner_end..].find(')') {
                        e.span = Span {
                            end: span.start + (inner_end + close + 1) as u32,
                            ..span
                        };
                    }
                }
                for p in it {
                    let end = self.span(&p);
                    let kind = match p.as_rule() {
                        Rule::member => ExprKind::Member(
                            Box::new(e),
                            self.ident(p.into_inner().next().unwrap()),
                        ),
                        _ => {
                            let index = self.expr(p.into_inner().next().unwrap());
                            ExprKind::Index(Box::new(e), Box::new(index))
                        }
                    };
                    // From the start of the chain (parentheses included) to this member.
                    e = Expr {
                        kind,
                        span: Span {
                            end: end.end,
                            ..span
                        },
                    };
                }
                e
            }
            _ => self.primary(pair),
        }
    }

    /// Left-associative chains: operands separated by operator pairs (or by `??`).
    fn chain(&mut self, pair: Pair<Rule>) -> Expr {
        let kind = pair.as_rule();
        let whole = self.span(&pair);
        let mut result: Option<Expr> = None;
        let mut op = None;
        for p in pair.into_inner() {
            if let Some(o) = operator(&p) {
                op = Some(o);
                continue;
            }
            // Operand pairs include their parentheses; the built expressions do not.
            let operand_end = self.span(&p).end;
            let operand = self.expr(p);
            result = Some(match result {
                None => operand,
                Some(left) => {
                    let o = op.take().unwrap_or(if kind == Rule::coalesce {
                        BinOp::Coalesce
                    } else {
                        BinOp::And
                    });
                    let span = Span {
                        end: operand_end,
                        ..whole
                    };
                    Expr {
                        kind: ExprKind::Binary(o, Box::new(left), Box::new(operand)),
                        span,
                    }
                }
            });
        }
        result.expect("a chain has at least one operand")
    }

    fn primary(&mut self, pair: Pair<Rule>) -> Expr {
        let span = self.span(&pair);
        let kind = match pair.as_rule() {
            Rule::int => ExprKind::Int(self.int(pair)),
            Rule::decimal => ExprKind::Decimal(pair.as_str().to_owned()),
            Rule::string => ExprKind::Text(self.string(pair).value),
            Rule::boolean => ExprKind::Bool(pair.as_str() == "true"),
            Rule::none => ExprKind::None,
            Rule::today => ExprKind::Today,
            Rule::ident => ExprKind::Name(self.ident(pair)),
            Rule::date => self.date(pair),
            Rule::duration => {
                let mut it = pair.into_inner();
                let n = self.int(it.next().unwrap());
                ExprKind::Duration(n, unit(it.next().unwrap()))
            }
            Rule::list_lit => ExprKind::List(pair.into_inner().map(|p| self.expr(p)).collect()),
            Rule::record_lit => ExprKind::Record(
                pair.into_inner()
                    .map(|f| {
                        let mut it = f.into_inner();
                        let name = self.ident(it.next().unwrap());
                        (name, self.expr(it.next().unwrap()))
                    })
                    .collect(),
            ),
            Rule::call => ExprKind::Call(self.call(pair)),
            _ => return self.expr(pair),
        };
        Expr { kind, span }
    }

    fn date(&mut self, pair: Pair<Rule>) -> ExprKind {
        let text = pair.as_str();
        let year: i32 = text[0..4].parse().unwrap_or(0);
        let month: u32 = text[5..7].parse().unwrap_or(0);
        let day: u32 = text[8..10].parse().unwrap_or(0);
        if !valid_date(year, month, day) {
            let d = Diagnostic::new(
                &codes::INVALID_LITERAL,
                format!("`{text}` is not a calendar date"),
            )
            .at(self.span(&pair))
            .help("dates are written `YYYY-MM-DD` with a real month and day");
            self.diagnostics.push(d);
        }
        ExprKind::Date { year, month, day }
    }

    fn call(&mut self, pair: Pair<Rule>) -> Call {
        let mut idents = Vec::new();
        let mut args = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::ident => idents.push(self.ident(p)),
                Rule::comp_in | Rule::comp_for => {
                    args.push(Arg::Comprehension(self.comprehension(p)))
                }
                _ => args.push(Arg::Expr(self.expr(p))),
            }
        }
        let function = idents.pop().expect("a call names a function");
        Call {
            plugin: idents.pop(),
            function,
            args,
        }
    }

    fn comprehension(&mut self, pair: Pair<Rule>) -> Comprehension {
        let span = self.span(&pair);
        let short = pair.as_rule() == Rule::comp_in;
        let mut it = pair
            .into_inner()
            .filter(|p| !matches!(p.as_rule(), Rule::kw_in | Rule::kw_for | Rule::kw_where));
        let element = if short {
            None
        } else {
            Some(Box::new(self.expr(it.next().unwrap())))
        };
        let var = self.ident(it.next().unwrap());
        let collection = Box::new(self.expr(it.next().unwrap()));
        let filter = it.next().map(|p| Box::new(self.expr(p)));
        Comprehension {
            element,
            var,
            collection,
            filter,
            span,
        }
    }
}

fn operator(pair: &Pair<Rule>) -> Option<BinOp> {
    Some(match pair.as_rule() {
        Rule::kw_implies => BinOp::Implies,
        Rule::kw_or => BinOp::Or,
        Rule::kw_and => BinOp::And,
        Rule::cmp_op | Rule::add_op | Rule::mul_op => match pair.as_str() {
            "==" => BinOp::Eq,
            "!=" => BinOp::Ne,
            "<" => BinOp::Lt,
            "<=" => BinOp::Le,
            ">" => BinOp::Gt,
            ">=" => BinOp::Ge,
            "in" => BinOp::In,
            "+" => BinOp::Add,
            "-" => BinOp::Sub,
            "*" => BinOp::Mul,
            "/" => BinOp::Div,
            "%" => BinOp::Rem,
            _ => BinOp::NotIn, // `not in`, with any spacing
        },
        _ => return None,
    })
}

/// True for a real Gregorian calendar date.
pub(crate) fn valid_date(year: i32, month: u32, day: u32) -> bool {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}
