//! Property tests: the language crate never panics, whatever the input, and its verdict is
//! deterministic. Bounded to stay well under 30 s in debug builds.

use cpts_diag::{FileId, Sources};
use proptest::prelude::*;

/// Tokens of the language, to build inputs that get deep into the parser and checker.
const TOKENS: &[&str] = &[
    "workflow",
    "region",
    "extends",
    "versions",
    "version",
    "step",
    "decision",
    "outcome",
    "after",
    "before",
    "all",
    "any",
    "actors",
    "documents",
    "document",
    "facts",
    "param",
    "value",
    "rule",
    "check",
    "error",
    "warning",
    "info",
    "expect",
    "source",
    "uncertain",
    "since",
    "until",
    "deadline",
    "on",
    "expiry",
    "typical",
    "produces",
    "requires",
    "plugin",
    "fn",
    "tighten",
    "override",
    "drop",
    "enum",
    "record",
    "import",
    "list",
    "set",
    "int",
    "text",
    "date",
    "bool",
    "decimal",
    "count",
    "sum",
    "distinct",
    "done",
    "date_of",
    "in",
    "not",
    "and",
    "or",
    "implies",
    "where",
    "for",
    "none",
    "today",
    "true",
    "false",
    "p",
    "months",
    "days",
    "working",
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    "<",
    ">",
    ",",
    ".",
    "..",
    ":",
    "?",
    "??",
    "->",
    "=",
    "==",
    "!=",
    ">=",
    "+",
    "-",
    "*",
    "/",
    "%",
    "\"x\"",
    "\"Étape\"",
    "\"\"",
    "a",
    "b",
    "creation",
    "membres",
    "0",
    "1",
    "0.5",
    "2022-05-14",
    "2022-02-30",
    "99999999999999999999",
    "//c\n",
    "/*",
    "*/",
    "\n",
];

pub(super) fn token_soup() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(TOKENS), 0..120).prop_map(|t| t.join(" "))
}

fn check(texts: &[String]) -> Vec<String> {
    let mut sources = Sources::new();
    for (i, t) in texts.iter().enumerate() {
        sources.add(format!("f{i}.cpts"), t.clone());
    }
    let checked = cpts_lang::check(&sources);
    checked
        .diagnostics
        .iter()
        .map(|d| format!("{} {:?} {}", d.code.id, d.span, d.message))
        .collect()
}

/// The real national workflow, to mutate.
fn national() -> String {
    std::fs::read_to_string(super::root().join("rules/national/creation-aci.cpts")).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let _ = cpts_lang::parse(FileId(0), &text);
        let _ = check(&[text]);
    }

    #[test]
    fn random_token_sequences_never_panic_and_are_deterministic(a in token_soup(), b in token_soup()) {
        let first = check(&[a.clone(), b.clone()]);
        prop_assert_eq!(first, check(&[a, b]));
    }

    #[test]
    fn mutated_real_rules_never_panic(cut in 0usize..20_000, len in 0usize..40, insert in prop::sample::select(TOKENS)) {
        let text = national();
        let start = floor_char_boundary(&text, cut.min(text.len()));
        let end = floor_char_boundary(&text, (start + len).min(text.len()));
        let mutated = format!("{}{insert}{}", &text[..start], &text[end..]);
        let _ = check(&[mutated]);
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}
