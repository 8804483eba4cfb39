//! The round-trip properties, on every `.cpts` file of the repository, on generated workflows and
//! on both with their blanks and comments shuffled and new comments put between tokens: the
//! formatted text parses to the same tree (spans aside), keeps every comment, and is its own
//! layout; and the layout depends on nothing but the tokens, the blank lines and the comments.

use super::comments::scan;
use super::*;
use cpts_gen::Rng;
use proptest::prelude::*;
use std::path::{Path, PathBuf};

/// Formats `text` and checks the properties; `None` if it does not parse.
fn round_trip(text: &str) -> Option<String> {
    let (tree, diagnostics) = crate::parse(FileId(0), text);
    let once = match format(FileId(0), text) {
        Ok(once) => once,
        Err(FormatError::Syntax(_)) => {
            assert!(
                !diagnostics.is_empty(),
                "refused a text that parses:\n{text}"
            );
            return None;
        }
        Err(e) => panic!("{e} on:\n{text}"),
    };
    let (again, diagnostics) = crate::parse(FileId(0), &once);
    assert!(diagnostics.is_empty(), "{diagnostics:?} on:\n{once}");
    assert!(
        same_syntax(&tree, &again),
        "tree changed:\n{text}\n---\n{once}"
    );
    assert_eq!(
        scan(text).len(),
        scan(&once).len(),
        "comments lost:\n{once}"
    );
    let twice = format(FileId(0), &once).unwrap();
    assert_eq!(once, twice, "not idempotent on:\n{text}");
    Some(once)
}

fn cpts_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            cpts_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "cpts") {
            out.push(path);
        }
    }
}

/// The `.cpts` files under these folders of the repository, with their text.
fn repository(dirs: &[&str]) -> Vec<(PathBuf, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut paths = Vec::new();
    for dir in dirs {
        cpts_files(&root.join(dir), &mut paths);
    }
    paths.sort();
    let files: Vec<_> = paths
        .into_iter()
        .filter_map(|p| Some((p.clone(), std::fs::read_to_string(p).ok()?)))
        .collect();
    assert!(!files.is_empty(), "no .cpts file under {dirs:?}");
    files
}

#[test]
fn repository_files_round_trip() {
    for (path, text) in repository(&["rules", "examples"]) {
        assert!(
            round_trip(&text).is_some(),
            "{} does not parse",
            path.display()
        );
    }
    // The invalid-input corpus: refused or round-tripped, never a panic.
    let mut formatted = 0;
    for (_, text) in repository(&["tests/corpus"]) {
        formatted += usize::from(round_trip(&text).is_some());
    }
    assert!(formatted > 20, "only {formatted} corpus files parse");
}

/// Blanks and comments (outside strings): the byte ranges of their runs, and where a separator
/// may be added (beside `,` `:` and brackets, which never belong to a longer token).
fn gaps(text: &str) -> (Vec<(usize, usize)>, Vec<usize>) {
    let comments = scan(text);
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut points = Vec::new();
    let mut next = comments.iter().peekable();
    let mut in_string = false;
    let mut at = 0;
    let bytes = text.as_bytes();
    while at < bytes.len() {
        if !in_string && let Some(c) = next.next_if(|c| c.start == at) {
            extend(&mut runs, at, c.end);
            at = c.end;
            continue;
        }
        match bytes[at] {
            b'"' if in_string => in_string = false,
            b'\\' if in_string => at += 1,
            b'"' => in_string = true,
            b' ' | b'\n' | b'\t' | b'\r' if !in_string => extend(&mut runs, at, at + 1),
            b',' | b':' | b'(' | b')' | b'[' | b']' | b'{' | b'}' if !in_string => {
                points.extend([at, at + 1]);
            }
            _ => {}
        }
        at += 1;
    }
    (runs, points)
}

fn extend(runs: &mut Vec<(usize, usize)>, start: usize, end: usize) {
    match runs.last_mut() {
        Some(last) if last.1 == start => last.1 = end,
        _ => runs.push((start, end)),
    }
}

/// A random separator; with `comments`, possibly a blank line or a new comment; with `newline`,
/// possibly a line break.
fn separator(rng: &mut Rng, comments: bool, newline: bool) -> &'static str {
    const SPACES: &[&str] = &[" ", " ", "  ", "\t"];
    const PLAIN: &[&str] = &[" ", " ", "  ", "\n", "\t", "\n    "];
    const MORE: &[&str] = &[
        " \n\n ",
        "\n\n\n",
        "/* c */",
        " // c\n",
        "\n// c\n\n",
        "/* a\n  b */\n",
    ];
    if comments && rng.below(3) == 0 {
        rng.pick(MORE)
    } else if newline {
        rng.pick(PLAIN)
    } else {
        rng.pick(SPACES)
    }
}

/// `text` with each run of blanks replaced (its comments kept, in order) and separators added
/// beside some punctuation. Without `comments`, no comment is added and no blank line is made.
fn shuffle(text: &str, rng: &mut Rng, comments: bool) -> String {
    let (runs, points) = gaps(text);
    let mut out = String::with_capacity(text.len() * 2);
    let mut at = 0;
    let mut runs = runs.into_iter().peekable();
    let mut points = points.into_iter().peekable();
    while at < text.len() {
        if let Some((start, end)) = runs.next_if(|r| r.0 == at) {
            for c in scan(&text[start..end]) {
                out.push_str(separator(rng, comments, true));
                out.push_str(&text[start + c.start..start + c.end]);
                if text[start + c.start..].starts_with("//") {
                    out.push('\n');
                }
            }
            out.push_str(separator(rng, comments, true));
            at = end;
            continue;
        }
        while points.next_if(|&p| p < at).is_some() {}
        if points.next_if(|&p| p == at).is_some() && rng.below(4) == 0 {
            // Beside a blank: no line break, which could make a blank line.
            out.push_str(separator(rng, comments, comments));
        }
        let c = text[at..].chars().next().unwrap_or(' ');
        out.push(c);
        at += c.len_utf8();
    }
    out
}

/// A generated workflow (no comment) of `steps` nodes.
fn generated(steps: usize, seed: u64) -> String {
    cpts_gen::workflow(&cpts_gen::Shape::new(steps, seed))
}

/// `text` without its comments and with single spaces for blanks: one line.
fn one_line(text: &str) -> String {
    let (runs, _) = gaps(text);
    let mut out = String::new();
    let mut at = 0;
    for (start, end) in runs {
        out.push_str(&text[at..start]);
        out.push(' ');
        at = end;
    }
    out.push_str(&text[at..]);
    out
}

#[test]
fn shuffled_gaps_keep_their_comments() {
    let text = "a /* x */ ,b // y\n(\"s // t\")";
    let mut rng = Rng(1);
    let shuffled = shuffle(text, &mut rng, false);
    assert_eq!(
        comments(&shuffled).collect::<Vec<_>>(),
        ["/* x */", "// y"],
        "{shuffled}"
    );
    assert_eq!(one_line(text), "a ,b (\"s // t\")");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn generated_workflows_round_trip(steps in 1usize..150, seed in any::<u64>()) {
        let text = generated(steps, seed);
        prop_assert!(round_trip(&text).is_some());
    }

    /// Blanks and comments shuffled, comments added: the properties hold, whatever the layout.
    #[test]
    fn shuffled_files_round_trip(pick in 0usize..64, seed in any::<u64>()) {
        let mut bases: Vec<String> = repository(&["rules", "examples", "tests/corpus/fmt"])
            .into_iter()
            .map(|(_, t)| t)
            .collect();
        bases.push(generated(20, seed));
        let base = &bases[pick % bases.len()];
        let shuffled = shuffle(base, &mut Rng(seed), true);
        prop_assert!(round_trip(&shuffled).is_some(), "does not parse:\n{}", shuffled);
    }

    /// Without comments or blank lines, the layout depends only on the tokens.
    #[test]
    fn layout_depends_only_on_the_tokens(pick in 0usize..64, seed in any::<u64>()) {
        let mut bases: Vec<String> = repository(&["rules", "examples", "tests/corpus/fmt"])
            .into_iter()
            .map(|(_, t)| t)
            .collect();
        bases.push(generated(20, seed));
        let base = one_line(&bases[pick % bases.len()]);
        let canonical = round_trip(&base).unwrap();
        let shuffled = shuffle(&base, &mut Rng(seed), false);
        prop_assert_eq!(round_trip(&shuffled).unwrap(), canonical);
    }
}
