//! Differential tests: whenever the fast parser returns a tree, pest must accept the same text
//! without a diagnostic and build the identical tree (spans included). Inputs: every `.cpts` file
//! of the repository, generated workflows, mutations of both (byte deletions and insertions,
//! token deletions, duplications and swaps), and random expressions with odd spacing and
//! comments. `CPTS_DIFF_ROUNDS=n` multiplies the number of generated inputs (the default keeps
//! the test suite fast; BENCHMARKS.md records a large run).

use crate::parse::{fast, parse_with_pest};
use cpts_diag::FileId;
use cpts_gen::Rng;
use proptest::prelude::*;
use std::path::{Path, PathBuf};

/// Compares both parsers on `text`; returns whether the fast path took it.
fn same(text: &str) -> bool {
    let Some(fast_tree) = fast::parse(FileId(3), text) else {
        return false;
    };
    let (pest_tree, diagnostics) = parse_with_pest(FileId(3), text);
    assert!(
        diagnostics.is_empty(),
        "fast path accepted a text pest reports:\n{text}\n{diagnostics:#?}"
    );
    assert!(
        fast_tree == pest_tree,
        "trees differ for:\n{text}\nfast: {fast_tree:#?}\npest: {pest_tree:#?}"
    );
    true
}

fn rounds() -> usize {
    std::env::var("CPTS_DIFF_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(1)
}

fn cpts_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            cpts_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "cpts") {
            out.push(path);
        }
    }
}

/// Every `.cpts` file of the repository's `rules/`, `examples/` and `tests/corpus/`.
fn repository_files() -> Vec<(PathBuf, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut paths = Vec::new();
    for dir in ["rules", "examples", "tests/corpus"] {
        cpts_files(&root.join(dir), &mut paths);
    }
    paths.sort();
    paths
        .into_iter()
        .filter_map(|p| Some((p.clone(), std::fs::read_to_string(p).ok()?)))
        .collect()
}

const SNIPPETS: &[&str] = &[
    "(",
    ")",
    "{",
    "}",
    "[",
    "]",
    ",",
    ".",
    "..",
    ":",
    "?",
    "??",
    "=",
    "==",
    "!=",
    "<",
    ">=",
    "-",
    "->",
    "+",
    "*",
    "/",
    "%",
    "\"",
    "\\",
    "\\q",
    "//",
    "/*",
    "*/",
    "\n",
    " ",
    "\t",
    "not",
    "in",
    "not in",
    "and",
    "or",
    "implies",
    "source \"s\"",
    "since \"v\"",
    "until \"v\"",
    "uncertain \"u\"",
    "1",
    "1_0",
    "2024-02-30",
    "2024-02-29",
    "99999999999999999999",
    "4294967296",
    "é",
    "0.5",
    "p",
    "all(",
    "any(",
    "all",
    "document",
    "outcome",
    "optional",
    "typical",
    "where",
    "for",
    "x",
    "true",
    "none",
    "today",
    "days",
    "working",
    "step",
    "rule",
    "end",
    "version",
    "expect",
    "list<",
    "set<",
    "fn",
    "3 months",
    "a.b",
    "/* c */",
    "// c\n",
];

/// Whitespace-separated tokens of `text`, as byte ranges.
fn tokens(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, text.len()));
    }
    out
}

/// One random edit of `text`.
fn mutate(text: &str, rng: &mut Rng) -> String {
    let mut s = text.to_owned();
    let boundary = |s: &str, rng: &mut Rng| {
        let mut at = rng.below(s.len() + 1);
        while !s.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    let toks = tokens(text);
    match rng.below(6) {
        0 if !s.is_empty() => {
            let at = boundary(&s, rng);
            if let Some(c) = s[at..].chars().next() {
                s.replace_range(at..at + c.len_utf8(), "");
            }
        }
        1 | 2 => {
            let at = boundary(&s, rng);
            s.insert_str(at, rng.pick(SNIPPETS));
        }
        3 if !toks.is_empty() => {
            let (a, b) = toks[rng.below(toks.len())];
            s.replace_range(a..b, "");
        }
        4 if !toks.is_empty() => {
            let (a, b) = toks[rng.below(toks.len())];
            let copy = s[a..b].to_owned();
            s.insert_str(b, &format!(" {copy}"));
        }
        _ if toks.len() >= 2 => {
            let (mut x, mut y) = (toks[rng.below(toks.len())], toks[rng.below(toks.len())]);
            if x.0 > y.0 {
                std::mem::swap(&mut x, &mut y);
            }
            if x.1 <= y.0 {
                let (first, second) = (s[x.0..x.1].to_owned(), s[y.0..y.1].to_owned());
                s.replace_range(y.0..y.1, &first);
                s.replace_range(x.0..x.1, &second);
            }
        }
        _ => s.push_str(rng.pick(SNIPPETS)),
    }
    s
}

const BLANKS: &[&str] = &[
    " ", " ", " ", "  ", "\n", "\t", "", "/* c */", "// c\n", " /*)*/ ",
];

/// A random expression (mostly well-formed) with random spacing and comments.
fn expression(rng: &mut Rng, depth: usize) -> String {
    let blank = |rng: &mut Rng| rng.pick(BLANKS).to_owned();
    if depth == 0 || rng.below(3) == 0 {
        return rng
            .pick(&[
                "a",
                "b",
                "x.y",
                "x . y",
                "f(x)",
                "p.f(x, y)",
                "p . f ( x )",
                "count(x in xs)",
                "count(x in xs where x > 1)",
                "sum(x.a for x in xs)",
                "sum(x for x in xs where x)",
                "12",
                "1_000",
                "3.5",
                "2024-01-31",
                "3 days",
                "2 working days",
                "1 week",
                "4 months",
                "1year",
                "\"s\"",
                "\"a\\\"b\"",
                "[1, 2,]",
                "[]",
                "{a: 1}",
                "{}",
                "{a: 1, b: [x],}",
                "true",
                "false",
                "none",
                "today",
                "xs[0]",
                "x.y[1].z",
                "f()",
                "g(1, h(2))",
                "-a",
                "- - a",
            ])
            .to_owned();
    }
    let (l, r) = (expression(rng, depth - 1), expression(rng, depth - 1));
    let (b1, b2) = (blank(rng), blank(rng));
    match rng.below(8) {
        0 => format!("({b1}{l}{b2})"),
        1 => format!("not{}{l}", if b1.is_empty() { " " } else { &b1 }),
        2 => format!("-{b1}{l}"),
        3 => format!("{l}{b1}[{r}]{b2}"),
        4 => format!("{l}{b1}.{b2}field"),
        _ => {
            let op = rng.pick(&[
                "implies",
                "or",
                "and",
                "==",
                "!=",
                "<",
                "<=",
                ">",
                ">=",
                "in",
                "not in",
                "not  /* */ in",
                "??",
                "+",
                "-",
                "*",
                "/",
                "%",
            ]);
            let (b1, b2) =
                if op.as_bytes()[0].is_ascii_alphabetic() && (b1.is_empty() || b2.is_empty()) {
                    (" ".to_owned(), " ".to_owned())
                } else {
                    (b1, b2)
                };
            format!("{l}{b1}{op}{b2}{r}")
        }
    }
}

/// `expr` in every position an expression can take in a file.
fn in_contexts(expr: &str, rng: &mut Rng) -> String {
    let tail = rng.pick(&[
        "",
        " source \"s\"",
        " since \"v\" source \"s\" until \"w\"",
        " // c\n",
        " /* c */",
    ]);
    format!(
        "workflow w \"W\" {{\n  step s \"S\" {{ rule r error \"m\" expect {expr}{tail} }}\n  param p: int = {expr}{tail} = 1\n  value v: list<int>? = {expr}{tail}\n}}\n"
    )
}

#[test]
fn repository_files_take_the_fast_path_and_agree() {
    let files = repository_files();
    assert!(files.len() > 50, "found only {} .cpts files", files.len());
    let mut fast = 0;
    for (path, text) in &files {
        if same(text) {
            fast += 1;
        } else {
            // Only files with errors may leave the fast path.
            let (_, diagnostics) = parse_with_pest(FileId(3), text);
            assert!(
                !diagnostics.is_empty(),
                "{} left the fast path",
                path.display()
            );
        }
    }
    assert!(fast > 30, "only {fast} files took the fast path");
}

#[test]
fn generated_workflows_take_the_fast_path_and_agree() {
    for seed in 0..(4 * rounds() as u64) {
        let text = cpts_gen::workflow(&cpts_gen::Shape::new(40 + 30 * seed as usize, seed));
        assert!(same(&text), "seed {seed} left the fast path");
    }
}

#[test]
#[allow(clippy::print_stderr)] // The count of a large run is read from the output.
fn mutations_and_random_expressions_agree() {
    let mut rng = Rng(0x5eed);
    let mut bases: Vec<String> = repository_files().into_iter().map(|(_, t)| t).collect();
    bases.push(cpts_gen::workflow(&cpts_gen::Shape::new(30, 1)));
    let (mut inputs, mut fast) = (0usize, 0usize);
    for _ in 0..rounds() {
        for base in &bases {
            let mut text = base.clone();
            for _ in 0..4 {
                text = mutate(&text, &mut rng);
                inputs += 1;
                fast += usize::from(same(&text));
            }
        }
        for _ in 0..400 {
            let expr = expression(&mut rng, 4);
            let mut text = in_contexts(&expr, &mut rng);
            inputs += 1;
            fast += usize::from(same(&text));
            text = mutate(&text, &mut rng);
            inputs += 1;
            fast += usize::from(same(&text));
        }
    }
    eprintln!("differential: {inputs} inputs, {fast} through the fast path, no difference");
    assert!(
        fast > inputs / 10,
        "only {fast} of {inputs} took the fast path"
    );
}

#[test]
fn deep_nesting_is_left_to_pest() {
    let deep = format!(
        "workflow w \"W\" {{ param p: int = {}1{} }}",
        "(".repeat(500),
        ")".repeat(500)
    );
    assert!(fast::parse(FileId(0), &deep).is_none());
    let negs = format!("workflow w \"W\" {{ param p: int = {}1 }}", "-".repeat(500));
    assert!(fast::parse(FileId(0), &negs).is_none());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Token soups in expression position: never a panic, never a different answer.
    #[test]
    fn token_soups_agree(soup in proptest::collection::vec(proptest::sample::select(SNIPPETS), 0..12)) {
        let text = format!("workflow w \"W\" {{ param p: int = {} }}", soup.join(" "));
        same(&text);
        let glued = format!("workflow w \"W\" {{ rule r error \"m\" expect {} }}", soup.concat());
        same(&glued);
    }
}
