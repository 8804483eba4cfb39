//! Condition coverage: which boolean sub-expressions of the rules were seen true and seen false
//! while projects were evaluated. `cpts test --coverage` reads it; nothing else pays for it (an
//! [`Env`](crate::Env) without a [`Coverage`] records nothing).

use cpts_diag::Span;
use cpts_lang::syntax::{BinOp, Expr, ExprKind};
use std::cell::RefCell;
use std::collections::BTreeMap;

/// The outcomes seen per expression, keyed by the expression's span.
#[derive(Debug, Default)]
pub struct Coverage {
    seen: RefCell<BTreeMap<Span, Outcomes>>,
}

/// Whether an expression was seen true, and seen false.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Outcomes {
    /// Seen `true` at least once.
    pub seen_true: bool,
    /// Seen `false` at least once.
    pub seen_false: bool,
}

impl Outcomes {
    /// Seen both ways.
    pub fn both(self) -> bool {
        self.seen_true && self.seen_false
    }
}

impl Coverage {
    /// Nothing seen yet.
    pub fn new() -> Coverage {
        Coverage::default()
    }

    /// Records that the expression at `span` evaluated to `value`.
    pub fn record(&self, span: Span, value: bool) {
        let mut seen = self.seen.borrow_mut();
        let o = seen.entry(span).or_default();
        if value {
            o.seen_true = true;
        } else {
            o.seen_false = true;
        }
    }

    /// What was seen of the expression at `span` (nothing if it was never evaluated).
    pub fn outcomes(&self, span: Span) -> Outcomes {
        self.seen.borrow().get(&span).copied().unwrap_or_default()
    }

    /// Everything seen, by span.
    pub fn seen(&self) -> Vec<(Span, Outcomes)> {
        self.seen.borrow().iter().map(|(s, o)| (*s, *o)).collect()
    }

    /// Adds what `other` saw.
    pub fn merge(&self, other: &Coverage) {
        let mut seen = self.seen.borrow_mut();
        for (span, o) in other.seen.borrow().iter() {
            let mine = seen.entry(*span).or_default();
            mine.seen_true |= o.seen_true;
            mine.seen_false |= o.seen_false;
        }
    }
}

/// The conditions of a rule's expression: its boolean operands below `and`, `or`, `implies` and
/// `not`, which are not themselves such connectives. `a and not (b or c)` has `a`, `b` and `c`.
/// A rule that is a single comparison has one condition: itself.
pub fn conditions(e: &Expr) -> Vec<&Expr> {
    let mut out = Vec::new();
    collect(e, &mut out);
    out
}

fn collect<'e>(e: &'e Expr, out: &mut Vec<&'e Expr>) {
    match &e.kind {
        ExprKind::Binary(BinOp::And | BinOp::Or | BinOp::Implies, l, r) => {
            collect(l, out);
            collect(r, out);
        }
        ExprKind::Not(inner) => collect(inner, out),
        _ => out.push(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cpts_diag::FileId;

    #[test]
    fn records_both_outcomes_and_merges() {
        let span = Span::new(FileId(0), 3, 9);
        let a = Coverage::new();
        a.record(span, true);
        assert_eq!(
            a.outcomes(span),
            Outcomes {
                seen_true: true,
                seen_false: false
            }
        );
        let b = Coverage::new();
        b.record(span, false);
        a.merge(&b);
        assert!(a.outcomes(span).both());
        assert_eq!(a.outcomes(Span::new(FileId(0), 0, 1)), Outcomes::default());
    }
}
