//! The `parse` and `check` targets: rules text, as `cpts check` reads it.

use cpts_diag::{Diagnostic, FileId, Sources, Span};
use std::sync::OnceLock;

/// Real rules, examples and the corpus of invalid inputs.
pub(crate) const SEEDS: &[&str] = &[
    "rules",
    "examples/nouvelle-region",
    "tests/corpus/check",
    "tests/corpus/verify",
    "tests/corpus/graph",
];

/// Parsing never panics, its diagnostics point into the text, and whenever it reports nothing
/// the pest grammar builds the same tree (the fast parser's invariant).
pub(crate) fn parse(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut sources = Sources::new();
    let file = sources.add("fuzz.cpts", text.as_ref());
    let (tree, diagnostics) = cpts_lang::parse(file, &text);
    assert_spans(&sources, &diagnostics);
    if diagnostics.is_empty() {
        let (reference, problems) = cpts_lang::parse_with_pest(file, &text);
        assert!(problems.is_empty(), "pest rejects what parse accepted");
        assert!(tree == reference, "parse and pest build different trees");
    }
}

/// Formatting never panics, and whatever parses is laid out so that it parses again to the same
/// tree (spans aside), keeps every comment, and is its own layout (formatting it changes nothing).
pub(crate) fn fmt_roundtrip(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let file = FileId(0);
    let formatted = match cpts_lang::format(file, &text) {
        Ok(formatted) => formatted,
        Err(cpts_lang::FormatError::Syntax(_)) => return,
        Err(e) => panic!("the formatter failed on text that parses: {e:?}"),
    };
    let (before, _) = cpts_lang::parse(file, &text);
    let (after, problems) = cpts_lang::parse(file, &formatted);
    assert!(
        problems.is_empty(),
        "the formatted text does not parse: {problems:?}"
    );
    assert!(
        cpts_lang::same_syntax(&before, &after),
        "formatting changed the tree"
    );
    assert!(
        cpts_lang::comments(&text).eq(cpts_lang::comments(&formatted)),
        "formatting changed the comments"
    );
    let again = cpts_lang::format(file, &formatted).expect("the formatted text formats");
    assert!(again == formatted, "formatting is not idempotent");
}

/// Checking never panics, its diagnostics point into the sources, render, and are the same on a
/// second run. The input is one file, or several separated by `\0` (`fuzz/f0.cpts`, …); an
/// `import` of a file the input does not hold loads the real rules file of that name, so that
/// a mutated region overlay is checked against the real national workflow.
pub(crate) fn check(data: &[u8]) {
    let sources = sources(&String::from_utf8_lossy(data));
    let first = check_and_render(&sources);
    assert!(
        first == check_and_render(&sources),
        "a second check of the same sources gave other diagnostics"
    );
}

fn check_and_render(sources: &Sources) -> String {
    let diagnostics = cpts_cli::check_sources(sources, None).unwrap_or_else(|d| vec![*d]);
    assert_spans(sources, &diagnostics);
    let mut out = Vec::new();
    cpts_cli::render_human(sources, &diagnostics, &mut out).expect("writing to memory");
    String::from_utf8(out).expect("rendered diagnostics are UTF-8")
}

/// The files of the input, and the real rules files they import (by file name).
fn sources(text: &str) -> Sources {
    let mut sources = Sources::new();
    for (i, chunk) in text.split('\0').enumerate() {
        sources.add(format!("fuzz/f{i}.cpts"), chunk);
    }
    let mut next = 0;
    while next < sources.len() {
        let (name, text) = {
            let file = sources.get(FileId(next as u32));
            (file.name.clone(), file.text.clone())
        };
        next += 1;
        let (tree, _) = cpts_lang::parse(FileId(u32::MAX), &text);
        for import in cpts_lang::imports(&tree) {
            let target = cpts_lang::import_path(&name, &import.value);
            let file_name = target.rsplit('/').next().unwrap_or(&target);
            if sources.find(&target).is_none()
                && let Some((_, real)) = real_rules().iter().find(|(n, _)| n == file_name)
            {
                sources.add(target, real.as_str());
            }
        }
    }
    sources
}

/// Every file of `rules/`, by file name.
fn real_rules() -> &'static [(String, String)] {
    static RULES: OnceLock<Vec<(String, String)>> = OnceLock::new();
    RULES.get_or_init(|| {
        let mut found = Vec::new();
        for dir in ["rules/national", "rules/regions"] {
            let Ok(entries) = std::fs::read_dir(crate::root().join(dir)) else {
                continue;
            };
            for entry in entries.flatten() {
                if let Ok(text) = std::fs::read_to_string(entry.path()) {
                    found.push((entry.file_name().to_string_lossy().into_owned(), text));
                }
            }
        }
        found.sort();
        found
    })
}

/// Every span of `diagnostics` (primary and labels) lies inside its file, on character
/// boundaries: what renderers slice and count lines on.
pub(crate) fn assert_spans(sources: &Sources, diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        let spans = d.span.iter().chain(d.labels.iter().map(|l| &l.span));
        for span in spans {
            assert!(
                span_is_valid(sources, *span),
                "{} `{}` has span {span:?} outside its text or inside a character",
                d.code.id,
                d.message
            );
        }
    }
}

fn span_is_valid(sources: &Sources, span: Span) -> bool {
    if span.file.0 as usize >= sources.len() {
        return false;
    }
    let text = &sources.get(span.file).text;
    let (start, end) = (span.start as usize, span.end as usize);
    start <= end && end <= text.len() && text.is_char_boundary(start) && text.is_char_boundary(end)
}
