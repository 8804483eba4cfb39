//! The canonical layout of a `.cpts` file (`cpts fmt`): two-space indentation, one item per line,
//! the attributes (`expect`, `source`, `uncertain`, …) of a rule, parameter or deadline on
//! continuation lines, enum labels aligned, at most one blank line between items (where the source
//! had some), every comment kept where it was written.
//!
//! The formatter prints the pest parse tree (which, unlike [`crate::syntax`], keeps every token in
//! the order written) and never reorders, adds or drops a token other than commas, so the result
//! parses to the same syntax tree. It checks that it does before returning: a text is never
//! half-formatted. Comments are not in any tree; they are found by a scan of the text
//! (`comments.rs`) and each is printed before the first token that follows it, on its own line, at
//! the end of the line or between tokens as in the source.
//!
//! ```
//! let messy = "workflow w \"W\" {   // demo\nsource \"s\" step a \"A\" { typical 1..2 days }}";
//! let tidy = cpts_lang::format(cpts_diag::FileId(0), messy).unwrap();
//! assert_eq!(tidy, "workflow w \"W\" {  // demo\n  source \"s\"\n  step a \"A\" {\n    typical 1..2 days\n  }\n}\n");
//! assert_eq!(cpts_lang::format(cpts_diag::FileId(0), &tidy).unwrap(), tidy);
//! ```

mod comments;
mod decls;
mod exprs;
mod items;
mod printer;
#[cfg(test)]
mod roundtrip;
#[cfg(test)]
mod tests;

use crate::parse::{Grammar, Rule};
use crate::syntax::File;
use cpts_diag::{Diagnostic, FileId};
use pest::Parser;

/// Why a text was not formatted.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum FormatError {
    /// The text does not parse (or holds an invalid literal): what the parser reports.
    Syntax(Vec<Diagnostic>),
    /// A bug of the formatter, caught before any output: the text it would give does not parse to
    /// the same tree or does not keep every comment. What failed, for the bug report.
    Internal(String),
}

impl std::fmt::Display for FormatError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FormatError::Syntax(d) => write!(f, "the text does not parse ({} problems)", d.len()),
            FormatError::Internal(what) => write!(f, "formatter bug: {what}"),
        }
    }
}

impl std::error::Error for FormatError {}

/// The text of `text` in the canonical layout. `file` names it in the diagnostics of a text that
/// does not parse, which is then refused whole.
pub fn format(file: FileId, text: &str) -> Result<String, FormatError> {
    let (tree, diagnostics) = crate::parse(file, text);
    if !diagnostics.is_empty() {
        return Err(FormatError::Syntax(diagnostics));
    }
    let pairs = Grammar::parse(Rule::file, text).map_err(|e| {
        FormatError::Internal(format!("pest rejects a text the parser accepts: {e}"))
    })?;
    let mut printer = items::Fmt::new(text, comments::scan(text));
    for pair in pairs {
        printer.file(pair);
    }
    let formatted = printer.finish();
    let (again, diagnostics) = crate::parse(file, &formatted);
    if !diagnostics.is_empty() {
        return Err(FormatError::Internal(format!(
            "the formatted text does not parse: {}",
            diagnostics[0].message
        )));
    }
    if !same_syntax(&tree, &again) {
        return Err(FormatError::Internal(
            "the formatted text parses to another tree".to_owned(),
        ));
    }
    if !comments(text).eq(comments(&formatted)) {
        return Err(FormatError::Internal(
            "the formatted text does not keep every comment".to_owned(),
        ));
    }
    Ok(formatted)
}

/// The comments of `text` (`// …` and `/* … */`, markers included), in order, each line without
/// its trailing blanks: what [`format()`] keeps.
pub fn comments(text: &str) -> impl Iterator<Item = String> + '_ {
    comments::scan(text)
        .into_iter()
        .map(|c| c.lines(text).collect::<Vec<_>>().join("\n"))
}

/// Whether two syntax trees are the same but for their spans: whether two texts say the same.
pub fn same_syntax(a: &File, b: &File) -> bool {
    without_spans(&format!("{a:?}")) == without_spans(&format!("{b:?}"))
}

/// The `Debug` text of a tree with every `Span { … }` replaced by `Span`. Strings in it are
/// skipped, so that a label reading `Span {` is left alone.
fn without_spans(debug: &str) -> String {
    let mut out = String::with_capacity(debug.len());
    let mut rest = debug;
    while let Some(at) = rest.find(['"', 'S']) {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        if rest.starts_with('"') {
            let end = string_end(rest);
            out.push_str(&rest[..end]);
            rest = &rest[end..];
        } else if let Some(after) = rest.strip_prefix("Span {") {
            out.push_str("Span");
            rest = after.find('}').map_or("", |n| &after[n + 1..]);
        } else {
            out.push('S');
            rest = &rest[1..];
        }
    }
    out.push_str(rest);
    out
}

/// The length of the quoted `Debug` string that `s` starts with.
fn string_end(s: &str) -> usize {
    let mut escaped = false;
    for (i, c) in s.char_indices().skip(1) {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => return i + 1,
            _ => {}
        }
    }
    s.len()
}
