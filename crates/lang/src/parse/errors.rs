//! pest errors → diagnostics that speak the language of the rules, not of the grammar.

use super::Rule;
use cpts_diag::{Diagnostic, FileId, Span, codes};
use pest::error::{Error, ErrorVariant, InputLocation};

/// Byte offset where parsing stopped.
pub(super) fn offset(error: &Error<Rule>) -> usize {
    match error.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    }
}

pub(super) fn to_diagnostic(file: FileId, text: &str, error: &Error<Rule>) -> Diagnostic {
    let mut at = offset(error).min(text.len());
    // An error inside a word (an accented letter stops an ASCII name) is about the whole word.
    if text[at..]
        .chars()
        .next()
        .is_some_and(|n| n.is_alphanumeric() && !n.is_ascii())
    {
        while let Some(c) = text[..at].chars().next_back()
            && (c.is_alphanumeric() || c == '_')
        {
            at -= c.len_utf8();
        }
    }
    let found = found_token(text, at);
    if !found.is_ascii() && found.chars().all(|c| c.is_alphanumeric() || c == '_') {
        let span = Span::new(file, at, at + found.len());
        return Diagnostic::new(
            &codes::SYNTAX_ERROR,
            format!("`{found}` is not a valid name"),
        )
        .at_with(span, "names are ASCII")
        .help("write names in ASCII (`assemblee`); accented French text goes in a quoted label")
        .note("the enclosing top-level item is skipped; the rest of the file is still checked");
    }
    let span = Span::new(file, at, at + found.len().max(usize::from(at < text.len())));
    let shown = if found.is_empty() {
        "end of file".to_owned()
    } else {
        format!("`{found}`")
    };
    let (expected, positives) = match &error.variant {
        ErrorVariant::ParsingError { positives, .. } => (describe(positives), positives.clone()),
        ErrorVariant::CustomError { message } => (message.clone(), Vec::new()),
    };
    let message = if expected.is_empty() {
        format!("unexpected {shown}")
    } else {
        format!("expected {expected}, found {shown}")
    };
    let mut d = Diagnostic::new(&codes::SYNTAX_ERROR, message).at_with(span, "unexpected here");
    if let Some(help) = hint(found, &positives) {
        d = d.help(help);
    }
    d.note("the enclosing top-level item is skipped; the rest of the file is still checked")
}

fn found_token(text: &str, at: usize) -> &str {
    let rest = &text[at..];
    let word_len: usize = rest
        .char_indices()
        .take_while(|(_, c)| c.is_alphanumeric() || *c == '_')
        .map(|(i, c)| i + c.len_utf8())
        .last()
        .unwrap_or(0);
    if word_len > 0 {
        return &rest[..word_len];
    }
    match rest.chars().next() {
        Some(c) if !c.is_whitespace() => &rest[..c.len_utf8()],
        _ => "",
    }
}

fn hint(found: &str, expected: &[Rule]) -> Option<String> {
    let french_units = [
        "mois", "jours", "jour", "semaines", "semaine", "ans", "an", "annees",
    ];
    if french_units.contains(&found.to_lowercase().as_str()) {
        return Some(
            "units are written in English: `days`, `working days`, `weeks`, `months`, `years`"
                .into(),
        );
    }
    if !found.is_ascii() && found.chars().all(|c| c.is_alphanumeric() || c == '_') {
        return Some(
            "names are ASCII (`[A-Za-z_][A-Za-z0-9_]*`); put accented French text in a quoted label"
                .into(),
        );
    }
    if expected.contains(&Rule::string) && found.chars().next().is_some_and(char::is_alphabetic) {
        return Some("labels, messages and sources are quoted strings: `\"…\"`".into());
    }
    const ITEM_STARTS: &[&str] = &[
        "step",
        "decision",
        "rule",
        "param",
        "value",
        "facts",
        "documents",
        "actors",
        "version",
        "workflow",
        "region",
        "enum",
        "record",
        "import",
        "tighten",
        "override",
        "drop",
        "plugin",
    ];
    if ITEM_STARTS.contains(&found) && !expected.contains(&Rule::ident) {
        return Some(format!("a `}}` may be missing before this `{found}`"));
    }
    if expected.contains(&Rule::kw_expect) {
        return Some(
            "a rule reads `rule id severity \"message\" expect condition source \"…\"`".into(),
        );
    }
    if expected.contains(&Rule::ident) && RESERVED.contains(&found) {
        return Some(format!(
            "`{found}` is a reserved word and cannot be used as a name"
        ));
    }
    None
}

const RESERVED: &[&str] = &[
    "and", "or", "not", "in", "implies", "where", "for", "true", "false", "none", "today", "expect",
];

fn describe(rules: &[Rule]) -> String {
    let mut names: Vec<String> = rules.iter().filter_map(|r| name(*r)).collect();
    names.sort();
    names.dedup();
    match names.len() {
        0 => String::new(),
        1 => names.remove(0),
        n if n <= 8 => {
            let last = names.pop().unwrap();
            format!("{} or {last}", names.join(", "))
        }
        _ => {
            names.truncate(7);
            format!("one of {}, …", names.join(", "))
        }
    }
}

fn name(r: Rule) -> Option<String> {
    use Rule::*;
    let text = match r {
        EOI => "end of file",
        ident | named_type | prereq_ref | fact_ref => "a name",
        string | string_inner => "a quoted string",
        int | number => "a number",
        decimal => "a decimal number",
        date => "a date",
        expr | postfix | duration | boolean | none | today | list_lit | record_lit | call_args => {
            "an expression"
        }
        ty | list_type | set_type | record_type => "a type",
        unit | days | working_days | weeks | months | years => "a unit (`days`, `months`…)",
        severity => "a severity (`error`, `warning`, `info`)",
        cmp_op | coalesce_op | add_op | mul_op | not_in => "an operator",
        field => "a field",
        variant | variants => "a variant",
        prereq_all | prereq_any => "a prerequisite",
        comp_in | comp_for => "a comprehension",
        field_init => "a field",
        _ => {
            let debug = format!("{r:?}");
            let kw = debug.strip_prefix("kw_")?;
            return Some(format!("`{kw}`"));
        }
    };
    Some(text.to_owned())
}
