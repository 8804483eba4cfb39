//! The line printer: tokens in, lines out. It places the comments of the source between the
//! tokens as it goes (each comment comes out before the first token that follows it in the source,
//! so none is ever dropped), keeps one blank line where the source had blank lines between items,
//! and aligns the trailing comments of neighbouring lines.
//!
//! Line breaks are lazy: [`Printer::line`] only records that the next token starts a new line, so
//! that a comment found after the last token of a line can still end that line.

use super::comments::{Comment, Place};

/// Lines longer than this are wrapped where the layout allows it (strings are never broken).
pub(crate) const WIDTH: usize = 100;
/// Extra indentation of a line a long expression or a comment wrapped.
pub(crate) const CONTINUATION: usize = 4;
/// Spaces between code and the trailing comments aligned after it.
const COMMENT_GAP: usize = 2;

/// One token to print.
#[derive(Clone, Debug)]
pub(crate) struct Tok {
    /// What is printed.
    pub(crate) text: String,
    /// Where it is in the source (comments before it are printed first), if it is there.
    pub(crate) at: Option<(usize, usize)>,
    /// Spaces before it, unless it starts a line.
    pub(crate) space: usize,
    /// A long line may break before it (an `or` or `and` operator).
    pub(crate) breakable: bool,
    /// Only the inline comments before it are printed first (a comma: the comments at the end of
    /// a line stay after it).
    pub(crate) inline_only: bool,
}

impl Tok {
    /// A token of the source, after one space.
    pub(crate) fn word(text: impl Into<String>, at: (usize, usize)) -> Tok {
        Tok {
            text: text.into(),
            at: Some(at),
            space: 1,
            breakable: false,
            inline_only: false,
        }
    }

    /// Punctuation the printer adds (`,`, `:`, an opening bracket): no position, no space.
    pub(crate) fn glue(text: &str) -> Tok {
        Tok {
            text: text.to_owned(),
            at: None,
            space: 0,
            breakable: false,
            inline_only: false,
        }
    }

    /// The same token with `space` spaces before it.
    pub(crate) fn spaced(mut self, space: usize) -> Tok {
        self.space = space;
        self
    }
}

/// Printed width of tokens on one line (the first token's spaces not counted).
pub(crate) fn width(toks: &[Tok]) -> usize {
    toks.iter()
        .enumerate()
        .map(|(i, t)| t.text.chars().count() + if i == 0 { 0 } else { t.space })
        .sum()
}

#[derive(Clone, Debug, Default)]
struct Line {
    indent: usize,
    code: String,
    /// The comments at the end of the line (one-line ones only).
    trailing: Option<String>,
    /// Whether the last of them is a `//` comment, which nothing can follow on the line.
    closed: bool,
    /// Whether it holds a token (not only inline comments): a comment can follow at its end.
    has_code: bool,
    /// The inline comments printed since its last token, and where the first starts in `code`:
    /// if the line ends after them, they are comments at its end (or on lines of their own).
    tail: Vec<String>,
    tail_start: usize,
    /// A continuation line of a comment over several lines, printed as it is.
    verbatim: bool,
}

impl Line {
    /// Width of the indentation and the code.
    fn width(&self) -> usize {
        self.indent + self.code.chars().count()
    }

    fn is_blank(&self) -> bool {
        self.code.is_empty() && self.trailing.is_none() && !self.verbatim
    }
}

/// A line break the next token waits for.
#[derive(Clone, Copy, Debug)]
struct Break {
    indent: usize,
    /// Whether a blank line of the source before the next token is kept.
    blank_ok: bool,
}

/// See the module documentation.
pub(crate) struct Printer<'s> {
    src: &'s str,
    comments: Vec<Comment>,
    next_comment: usize,
    lines: Vec<Line>,
    cur: Line,
    pending: Option<Break>,
    /// End in the source of the last token or comment printed.
    last_end: usize,
    /// Nothing printed since the last `{`: blank lines of the source are not kept there.
    fresh: bool,
}

impl<'s> Printer<'s> {
    pub(crate) fn new(src: &'s str, comments: Vec<Comment>) -> Printer<'s> {
        Printer {
            src,
            comments,
            next_comment: 0,
            lines: Vec::new(),
            cur: Line::default(),
            pending: None,
            last_end: 0,
            fresh: true,
        }
    }

    /// The next token starts a line indented by `indent`; a blank line of the source before it is
    /// kept when `blank_ok` (between items, never after an opening brace).
    pub(crate) fn line(&mut self, indent: usize, blank_ok: bool) {
        self.pending = Some(Break { indent, blank_ok });
    }

    /// The column the next token starts at, after one space unless a line break is pending.
    pub(crate) fn column(&self) -> usize {
        match self.pending {
            Some(b) => b.indent,
            None if self.cur.code.is_empty() => self.cur.indent,
            None => self.cur.indent + self.cur.code.chars().count(),
        }
    }

    /// End in the source of the last token or comment printed.
    pub(crate) fn last_end(&self) -> usize {
        self.last_end
    }

    /// After the next `{` printed: nothing printed yet in this block.
    pub(crate) fn opened(&mut self) {
        self.fresh = true;
    }

    /// Whether the source has a comment between `start` and `end`.
    pub(crate) fn has_comment(&self, start: usize, end: usize) -> bool {
        self.comments[self.next_comment..]
            .iter()
            .any(|c| c.start >= start && c.start < end)
    }

    /// Prints `tok`, after the comments that come before it in the source.
    pub(crate) fn tok(&mut self, tok: &Tok) {
        if let Some((start, end)) = tok.at {
            if tok.inline_only {
                self.flush_inline(start);
            } else {
                self.flush(start);
            }
            self.place(&tok.text, tok.space, start);
            if !tok.inline_only {
                // A comma ends the line before: blank lines after it are still to be seen.
                self.last_end = self.last_end.max(end);
            }
        } else {
            self.place(&tok.text, tok.space, self.last_end);
        }
        self.cur.has_code = true;
        self.cur.tail.clear();
        self.fresh = false;
    }

    /// Prints every token of `toks`.
    pub(crate) fn toks(&mut self, toks: &[Tok]) {
        for t in toks {
            self.tok(t);
        }
    }

    /// Prints the comments that start before `at` in the source.
    pub(crate) fn flush(&mut self, at: usize) {
        while let Some(c) = self.comments.get(self.next_comment) {
            if c.start >= at {
                break;
            }
            let c = c.clone();
            self.next_comment += 1;
            self.comment(&c);
        }
    }

    /// Prints the inline comments that start before `at`, up to the first comment of another kind.
    fn flush_inline(&mut self, at: usize) {
        while let Some(c) = self.comments.get(self.next_comment) {
            if c.start >= at || c.place != Place::Inline {
                break;
            }
            let c = c.clone();
            self.next_comment += 1;
            self.comment(&c);
        }
    }

    /// Prints the comments that start before `at` and follow code on their line (inline or at
    /// its end) at the end of the current line, up to the first comment on a line of its own.
    pub(crate) fn flush_trailing(&mut self, at: usize) {
        while let Some(c) = self.comments.get(self.next_comment) {
            let at_end = self.cur.has_code && !self.cur.closed;
            if c.start >= at || c.place == Place::OwnLine || !at_end {
                break;
            }
            let c = Comment {
                place: Place::Trailing,
                ..c.clone()
            };
            self.next_comment += 1;
            self.comment(&c);
        }
    }

    fn comment(&mut self, c: &Comment) {
        let src = self.src;
        let mut lines = c.lines(src);
        let first = lines.next().unwrap_or_default();
        match c.place {
            Place::Inline if !c.is_multiline(src) => {
                self.place(first, 1, c.start);
                if self.cur.tail.is_empty() {
                    self.cur.tail_start = self.cur.code.len() - first.len();
                }
                self.cur.tail.push(first.to_owned());
            }
            Place::Trailing if self.cur.has_code && !self.cur.closed => {
                self.cur.closed = first.starts_with("//");
                self.cur.trailing = Some(match self.cur.trailing.take() {
                    Some(before) => format!("{before} {first}"),
                    None => first.to_owned(),
                });
                if c.is_multiline(src) {
                    self.end_line();
                    self.verbatim(lines);
                }
                let indent = self.cur.indent + CONTINUATION;
                self.pending.get_or_insert(Break {
                    indent,
                    blank_ok: false,
                });
            }
            _ => {
                let indent = match self.pending {
                    Some(b) => b.indent,
                    None if !self.cur.has_code => self.cur.indent,
                    None => self.cur.indent + CONTINUATION,
                };
                self.end_line();
                self.blank_line_if_any(c.start);
                self.cur.indent = indent;
                self.cur.code = first.to_owned();
                self.end_line();
                self.verbatim(lines);
                let blank_ok = self.pending.is_some_and(|b| b.blank_ok);
                self.pending = Some(Break { indent, blank_ok });
            }
        }
        self.last_end = self.last_end.max(c.end);
        // A comment at the end of the `{` line does not start the block.
        self.fresh &= c.place == Place::Trailing;
    }

    fn verbatim<'a>(&mut self, lines: impl Iterator<Item = &'a str>) {
        for text in lines {
            self.lines.push(Line {
                code: text.to_owned(),
                verbatim: true,
                ..Line::default()
            });
        }
    }

    /// Appends `text` to the current line, or starts the pending line with it. `start`: where
    /// it is in the source, to find the blank lines before it.
    fn place(&mut self, text: &str, space: usize, start: usize) {
        if let Some(b) = self.pending.take() {
            self.end_line();
            if b.blank_ok {
                self.blank_line_if_any(start);
            }
            self.cur.indent = b.indent;
        } else if !self.cur.code.is_empty() {
            self.cur.code.extend(std::iter::repeat_n(' ', space));
        }
        self.cur.code.push_str(text);
    }

    /// One blank line if the source has one between the last thing printed and `start`.
    fn blank_line_if_any(&mut self, start: usize) {
        if self.fresh || self.lines.last().is_none_or(Line::is_blank) {
            return;
        }
        let gap = self.src.get(self.last_end..start).unwrap_or_default();
        let mut lines = gap.split('\n');
        lines.next();
        lines.next_back();
        if lines.any(|l| l.trim().is_empty()) {
            self.lines.push(Line::default());
        }
    }

    fn end_line(&mut self) {
        // Inline comments that no token follows on the line are what the next run will see: at
        // the end of the line after code, else each on a line of its own.
        let tail = std::mem::take(&mut self.cur.tail);
        if !tail.is_empty() {
            self.cur.code.truncate(self.cur.tail_start);
            self.cur.code.truncate(self.cur.code.trim_end().len());
            if self.cur.has_code {
                let mut comments = tail.join(" ");
                if let Some(after) = self.cur.trailing.take() {
                    comments = format!("{comments} {after}");
                }
                self.cur.trailing = Some(comments);
            } else {
                for comment in tail {
                    self.lines.push(Line {
                        indent: self.cur.indent,
                        code: comment,
                        ..Line::default()
                    });
                }
            }
        }
        if !self.cur.code.is_empty() || self.cur.trailing.is_some() {
            let indent = self.cur.indent;
            self.lines.push(std::mem::take(&mut self.cur));
            self.cur.indent = indent;
        }
    }

    /// The text: the remaining comments, then every line, trailing comments aligned.
    pub(crate) fn finish(mut self) -> String {
        if self.next_comment < self.comments.len() {
            self.line(0, true);
            self.flush(usize::MAX);
        }
        self.end_line();
        align_trailing(&mut self.lines);
        let mut out = String::new();
        for line in &self.lines {
            if !line.verbatim && !line.is_blank() {
                out.extend(std::iter::repeat_n(' ', line.indent));
            }
            out.push_str(&line.code);
            if let Some(comment) = &line.trailing {
                if !line.code.is_empty() {
                    out.extend(std::iter::repeat_n(' ', COMMENT_GAP));
                }
                out.push_str(comment);
            }
            out.push('\n');
        }
        out
    }
}

/// Pads the code of lines with a trailing comment so that the trailing comments of a group start
/// in one column: a group ends at a blank line, at a comment over several lines, and at a line
/// less indented than one of its commented lines (the end of their block). Lines that open or
/// close a block keep their comment two spaces after the code.
fn align_trailing(lines: &mut [Line]) {
    let mut group: Vec<usize> = Vec::new();
    let mut min_indent = usize::MAX;
    for i in 0..=lines.len() {
        let ends = lines
            .get(i)
            .is_none_or(|l| l.is_blank() || l.verbatim || l.indent < min_indent);
        if ends {
            let column = group.iter().map(|&g| lines[g].width()).max().unwrap_or(0);
            for &g in &group {
                let pad = column - lines[g].width();
                lines[g].code.extend(std::iter::repeat_n(' ', pad));
            }
            group.clear();
            min_indent = usize::MAX;
        }
        // A comment on a line that opens or closes a block is left alone: aligning it would pull
        // the comments of the whole block away from their code.
        if let Some(line) = lines.get(i)
            && line.trailing.is_some()
            && !line.code.is_empty()
            && !line.code.ends_with('{')
            && !line.code.starts_with('}')
        {
            group.push(i);
            min_indent = min_indent.min(line.indent);
        }
    }
}
