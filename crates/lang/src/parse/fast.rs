//! The fast path of [`parse`](super::parse): a hand-written scanner and recursive-descent parser
//! for files without syntax errors.
//!
//! The pest grammar (`grammar.pest`) stays the specification. This parser follows it rule by rule
//! with the same PEG semantics (ordered choice, greedy repetition, whitespace and comments skipped
//! between tokens) and builds the same tree with the same spans, including where pest's pairs
//! ended (after the whitespace it skipped while trying an optional part that was not there; see
//! [`Parser::rule_end`]). It only chooses an alternative when the first tokens decide it, and gives
//! up (`None`) on anything else: a syntax error, an alternative that fails half-way, a literal that
//! would be reported (bad escape, integer too large, impossible date), an attribute given twice,
//! nesting deeper than [`MAX_DEPTH`]. The caller then runs pest, which reports or recovers exactly
//! as before.
//!
//! Invariant, checked by the differential tests in `fast/tests.rs`: **when this parser returns a
//! tree, pest accepts the text without a diagnostic and builds the identical tree.**

mod exprs;
mod items;
mod lexer;
mod region;
mod steps;
#[cfg(test)]
mod tests;

use crate::syntax::File;
use cpts_diag::{FileId, Span};

/// Nesting (parentheses, brackets, `not`, `all(…)`, `list<…>`) beyond which the fast path gives up
/// and leaves the text to pest. Real rules nest a few levels; the bound keeps the recursion far
/// from the stack's end even in debug builds.
const MAX_DEPTH: u32 = 32;

/// The tree of `text` when it is free of syntax errors and of anything the builder reports;
/// `None` otherwise (the caller falls back to pest).
pub(super) fn parse(file: FileId, text: &str) -> Option<File> {
    let mut parser = Parser {
        text,
        bytes: text.as_bytes(),
        file,
        pos: 0,
        last: 0,
        depth: 0,
        peeked: (usize::MAX, 0),
    };
    parser.file()
}

/// A cursor over the text. `pos` never goes back except through explicit lookahead; `last` is the
/// end of the last token consumed.
struct Parser<'t> {
    text: &'t str,
    bytes: &'t [u8],
    file: FileId,
    /// Where scanning resumes (at or after `last`).
    pos: usize,
    /// End of the last token consumed.
    last: usize,
    /// Current nesting, bounded by [`MAX_DEPTH`].
    depth: u32,
    /// The last word peeked: where it starts and its length (keywords are tried one after the
    /// other at the same place).
    peeked: (usize, usize),
}

impl Parser<'_> {
    /// Where a rule that started at `start` ended in pest: right after its last token when its
    /// last element matched (`exact`), otherwise after the whitespace and comments pest skipped
    /// before trying the optional or repeated part that was not there.
    fn rule_end(&self, exact: bool) -> usize {
        if exact {
            self.last
        } else {
            super::expr::skip_blank(self.text, self.last)
        }
    }

    /// The span of a pair from `start` to `raw_end`, trailing whitespace trimmed, as the pest
    /// builder gives it.
    fn span(&self, start: usize, raw_end: usize) -> Span {
        let trimmed = self.text[start..raw_end].trim_end().len();
        Span::new(self.file, start, start + trimmed)
    }

    /// The span of the tokens from `start` to the end of the last one consumed.
    fn tight(&self, start: usize) -> Span {
        Span::new(self.file, start, self.last)
    }

    /// Enters one level of nesting; `None` past [`MAX_DEPTH`].
    fn enter(&mut self) -> Option<()> {
        self.depth += 1;
        (self.depth <= MAX_DEPTH).then_some(())
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }
}
