//! Expression pairs → [`Expr`].
//!
//! The `expr` rule is flat: operands (`postfix` pairs, after any prefix `not` / `-`) between infix
//! operators. A Pratt parser builds the tree. Spans are those the former grammar gave (one rule per
//! precedence level, each pair ending where pest stopped: after the whitespace and comments that
//! follow an operand unless the level actually repeated); [`Node`] keeps what is needed to compute
//! them.

use super::{Builder, Rule, unit};
use crate::syntax::*;
use cpts_diag::{Diagnostic, FileId, Span, codes};
use pest::iterators::Pair;
use pest::pratt_parser::{Assoc, ConstPrattParser, Op};

/// Precedence, lowest first (see the grammar).
static PRATT: ConstPrattParser<Rule, 9> = ConstPrattParser::new_const(pest::pratt_precedence![
    Op::infix(Rule::kw_implies, Assoc::Right),
    Op::infix(Rule::kw_or, Assoc::Left),
    Op::infix(Rule::kw_and, Assoc::Left),
    Op::prefix(Rule::kw_not),
    Op::infix(Rule::cmp_op, Assoc::Left),
    Op::infix(Rule::coalesce_op, Assoc::Left),
    Op::infix(Rule::add_op, Assoc::Left),
    Op::infix(Rule::mul_op, Assoc::Left),
    Op::prefix(Rule::neg),
]);

// The levels of the former layered grammar (`expr` = `implies`), loosest first.
pub(super) const IMPLIES: u8 = 0;
pub(super) const OR: u8 = 1;
pub(super) const AND: u8 = 2;
pub(super) const NOT: u8 = 3;
pub(super) const CMP: u8 = 4;
pub(super) const COALESCE: u8 = 5;
pub(super) const SUM: u8 = 6;
pub(super) const PRODUCT: u8 = 7;
pub(super) const UNARY: u8 = 8;
pub(super) const POSTFIX: u8 = 9;

/// A built expression and where the pairs of the former grammar that held it ended. The fast
/// parser (`parse/fast/`) builds the same nodes with the same functions.
pub(super) struct Node {
    pub(super) expr: Expr,
    /// Start of its text (parentheses and prefix operators included).
    pub(super) start: u32,
    /// The level of its outermost construct (a binary operator's level, `NOT`, `UNARY`, `POSTFIX`).
    pub(super) level: u8,
    /// End (trimmed) of the pair of `level` that held it.
    pub(super) top_end: u32,
    /// End (trimmed) after the whitespace and comments that follow its last token: where a pair of
    /// a looser level that held it alone ended.
    pub(super) loose: u32,
    /// Directly nested `Neg`s (consecutive `-`), which all share the span of their `unary` pair.
    pub(super) negs: u32,
}

impl Node {
    /// End (trimmed) of the former pair of `level` that held exactly this expression.
    pub(super) fn end_at(&self, level: u8) -> u32 {
        if level == self.level {
            return self.top_end;
        }
        match level {
            // `not` is `kw_not … | compare`, `unary` is `neg* ~ postfix`: no trailing repetition.
            NOT if self.level == CMP => self.top_end,
            UNARY if self.level == POSTFIX => self.top_end,
            _ => self.loose,
        }
    }
}

/// Where pest's implicit whitespace (blanks, `//` and `/* */` comments) starting at `at` ends.
/// Inlined: the parsers ask about a million times for a 10 000-step file, mostly where nothing
/// is to be skipped; only a blank or `/` goes on to the loop.
#[inline]
pub(crate) fn skip_blank(text: &str, at: usize) -> usize {
    match text.as_bytes().get(at) {
        Some(b' ' | b'\n' | b'\t' | b'\r' | b'/') => skip_blank_from(text, at),
        _ => at,
    }
}

/// [`skip_blank`] where there may be something to skip.
fn skip_blank_from(text: &str, mut at: usize) -> usize {
    let bytes = text.as_bytes();
    loop {
        match bytes.get(at) {
            Some(b' ' | b'\n' | b'\t' | b'\r') => at += 1,
            Some(b'/') if bytes.get(at + 1) == Some(&b'/') => {
                at = text[at..].find('\n').map_or(text.len(), |n| at + n);
            }
            Some(b'/') if bytes.get(at + 1) == Some(&b'*') => match text[at + 2..].find("*/") {
                Some(n) => at += 2 + n + 2,
                None => return at,
            },
            _ => return at,
        }
    }
}

/// The trimmed end of a pair that ended after the whitespace following `tight`.
pub(super) fn loose_end(text: &str, tight: u32) -> u32 {
    let after = skip_blank(text, tight as usize);
    text[..after].trim_end().len() as u32
}

impl Builder<'_> {
    pub(super) fn expr(&mut self, pair: Pair<Rule>) -> Expr {
        self.expr_node(pair).expr
    }

    fn expr_node(&mut self, pair: Pair<Rule>) -> Node {
        debug_assert_eq!(pair.as_rule(), Rule::expr);
        let file = self.file;
        PRATT
            .map_primary(|p| self.postfix(p))
            .map_prefix(move |op, rhs: Node| {
                let start = op.as_span().start() as u32;
                if op.as_rule() == Rule::neg {
                    neg_node(file, start, rhs)
                } else {
                    not_node(file, start, rhs)
                }
            })
            .map_infix(move |lhs: Node, op, rhs: Node| {
                let (o, level) = operator(&op);
                infix_node(file, lhs, o, level, rhs)
            })
            .parse(pair.into_inner())
    }

    /// A `postfix` pair: a primary (parenthesised, a name, a call or a literal), then members and
    /// indexes.
    fn postfix(&mut self, pair: Pair<Rule>) -> Node {
        let span = self.span(&pair);
        let text = pair.as_str();
        let input = pair.get_input();
        let mut it = pair.into_inner().peekable();
        let first = it.next().unwrap();
        let mut e = match first.as_rule() {
            Rule::expr => {
                // A parenthesised base: its span takes in the parentheses.
                let inner = self.expr_node(first);
                let inner_end = (inner.end_at(IMPLIES) - span.start) as usize;
                let mut e = inner.expr;
                if let Some(close) = text[inner_end..].find(')') {
                    e.span = Span {
                        end: span.start + (inner_end + close + 1) as u32,
                        ..span
                    };
                }
                e
            }
            Rule::ident
                if matches!(
                    it.peek().map(|p| p.as_rule()),
                    Some(Rule::ident | Rule::call_args)
                ) =>
            {
                let start = first.as_span().start();
                let mut function = self.ident(first);
                let mut plugin = None;
                if it.peek().is_some_and(|p| p.as_rule() == Rule::ident) {
                    plugin = Some(function);
                    function = self.ident(it.next().unwrap());
                }
                let args_pair = it.next().unwrap();
                // Just after the closing parenthesis.
                let end = skip_blank(input, args_pair.as_span().end()) + 1;
                let args = args_pair
                    .into_inner()
                    .map(|p| match p.as_rule() {
                        Rule::comp_in | Rule::comp_for => Arg::Comprehension(self.comprehension(p)),
                        _ => Arg::Expr(self.expr(p)),
                    })
                    .collect();
                Expr {
                    kind: ExprKind::Call(Call {
                        plugin,
                        function,
                        args,
                    }),
                    span: Span::new(self.file, start, end),
                }
            }
            _ => self.primary(first),
        };
        let mut chained = false;
        for p in it {
            let end = self.span(&p);
            let kind = match p.as_rule() {
                Rule::member => {
                    ExprKind::Member(Box::new(e), self.ident(p.into_inner().next().unwrap()))
                }
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
            chained = true;
        }
        // Without members the pair ran on over the whitespace after the primary.
        let loose = if chained {
            loose_end(input, span.end)
        } else {
            span.end
        };
        Node {
            expr: e,
            start: span.start,
            level: POSTFIX,
            top_end: span.end,
            loose,
            negs: 0,
        }
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
            other => unreachable!("not a primary: {other:?}"),
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

    fn comprehension(&mut self, pair: Pair<Rule>) -> Comprehension {
        let mut span = self.span(&pair);
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
        let filter = it.next().map(|p| {
            // The pair ends where the filter's former `expr` pair ended.
            let node = self.expr_node(p);
            span.end = node.end_at(IMPLIES);
            Box::new(node.expr)
        });
        Comprehension {
            element,
            var,
            collection,
            filter,
            span,
        }
    }
}

/// `-rhs`, where the `-` starts at `start`. All the `-` of one `unary` pair share its span.
pub(super) fn neg_node(file: FileId, start: u32, rhs: Node) -> Node {
    let end = rhs.end_at(UNARY);
    let mut inner = rhs.expr;
    let mut e = &mut inner;
    for _ in 0..rhs.negs {
        e.span.start = start;
        match &mut e.kind {
            ExprKind::Neg(x) => e = x,
            _ => break,
        }
    }
    Node {
        expr: Expr {
            kind: ExprKind::Neg(Box::new(inner)),
            span: Span { file, start, end },
        },
        start,
        level: UNARY,
        top_end: end,
        loose: rhs.loose,
        negs: rhs.negs + 1,
    }
}

/// `not rhs`, where the `not` starts at `start`.
pub(super) fn not_node(file: FileId, start: u32, rhs: Node) -> Node {
    let end = rhs.end_at(NOT);
    Node {
        expr: Expr {
            kind: ExprKind::Not(Box::new(rhs.expr)),
            span: Span { file, start, end },
        },
        start,
        level: NOT,
        top_end: end,
        loose: rhs.loose,
        negs: 0,
    }
}

/// `lhs op rhs`, `op` being of the former grammar's `level`: from the start of the left operand's
/// text to the end of the right operand's pair.
pub(super) fn infix_node(file: FileId, lhs: Node, op: BinOp, level: u8, rhs: Node) -> Node {
    let end = rhs.end_at(level + 1);
    Node {
        expr: Expr {
            kind: ExprKind::Binary(op, Box::new(lhs.expr), Box::new(rhs.expr)),
            span: Span {
                file,
                start: lhs.start,
                end,
            },
        },
        start: lhs.start,
        level,
        top_end: end,
        loose: rhs.loose,
        negs: 0,
    }
}

/// An infix operator pair: the operator and the level of the former grammar it built.
fn operator(pair: &Pair<Rule>) -> (BinOp, u8) {
    match pair.as_rule() {
        Rule::kw_implies => (BinOp::Implies, IMPLIES),
        Rule::kw_or => (BinOp::Or, OR),
        Rule::kw_and => (BinOp::And, AND),
        Rule::coalesce_op => (BinOp::Coalesce, COALESCE),
        Rule::add_op if pair.as_str() == "+" => (BinOp::Add, SUM),
        Rule::add_op => (BinOp::Sub, SUM),
        Rule::mul_op => (
            match pair.as_str() {
                "*" => BinOp::Mul,
                "/" => BinOp::Div,
                _ => BinOp::Rem,
            },
            PRODUCT,
        ),
        _ => (
            match pair.as_str() {
                "==" => BinOp::Eq,
                "!=" => BinOp::Ne,
                "<" => BinOp::Lt,
                "<=" => BinOp::Le,
                ">" => BinOp::Gt,
                ">=" => BinOp::Ge,
                "in" => BinOp::In,
                _ => BinOp::NotIn, // `not in`, with any spacing
            },
            CMP,
        ),
    }
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
