//! Property tests of the graph checks, over workflows from `cpts-gen`: sound ones have no finding;
//! mutated ones never panic the checker; shuffling the declarations of steps does not change the
//! verdict (codes and messages).

use cpts_diag::{FileId, Severity, Sources};
use cpts_lang::syntax::Item;
use proptest::prelude::*;

fn verdict(text: &str) -> Vec<(String, String)> {
    let mut sources = Sources::new();
    sources.add("g.cpts", text);
    let found = cpts_cli::check_sources(&sources, None).unwrap_or_else(|d| vec![*d]);
    let mut v: Vec<(String, String)> = found
        .into_iter()
        .map(|d| (d.code.id.to_owned(), d.message))
        .collect();
    v.sort();
    v
}

fn generated(steps: usize, seed: u64) -> String {
    cpts_gen::workflow(&cpts_gen::Shape::new(steps, seed))
}

/// Mutations that seed a defect: drop or duplicate a line, or point a name somewhere else.
fn mutate(text: &str, kind: u8, at: usize, other: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let i = at % lines.len();
    match kind % 4 {
        0 => lines
            .iter()
            .enumerate()
            .filter(|(k, _)| *k != i)
            .map(|(_, l)| *l)
            .collect::<Vec<_>>()
            .join("\n"),
        1 => {
            let mut out = lines.clone();
            out.insert(i, lines[i]);
            out.join("\n")
        }
        _ => {
            // Replace one `after`/`->` target by another step name of the file.
            let names: Vec<&str> = lines
                .iter()
                .filter_map(|l| {
                    l.trim_start()
                        .strip_prefix("step ")
                        .or_else(|| l.trim_start().strip_prefix("decision "))
                })
                .filter_map(|rest| rest.split_whitespace().next())
                .collect();
            let targets: Vec<usize> = lines
                .iter()
                .enumerate()
                .filter(|(_, l)| l.contains("after ") || l.contains("-> "))
                .map(|(k, _)| k)
                .collect();
            if names.is_empty() || targets.is_empty() {
                return text.to_owned();
            }
            let k = targets[at % targets.len()];
            let replacement = names[other % names.len()];
            let line = lines[k];
            let word_start = line.rfind([' ', '(', ',']).map_or(0, |p| p + 1);
            let word_end = line[word_start..]
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .map_or(line.len(), |e| word_start + e);
            let mut out = lines.clone();
            let new_line = format!(
                "{}{}{}",
                &line[..word_start],
                replacement,
                &line[word_end..]
            );
            out[k] = &new_line;
            out.join("\n")
        }
    }
}

/// The same file with its steps and decisions declared in another order.
fn shuffle_nodes(text: &str, seed: u64) -> String {
    let (file, _) = cpts_lang::parse(FileId(0), text);
    let Some(Item::Workflow(wf)) = file.items.iter().find(|i| matches!(i, Item::Workflow(_)))
    else {
        return text.to_owned();
    };
    let mut slots: Vec<(usize, usize)> = wf
        .body
        .nodes
        .iter()
        .map(|n| (n.span.start as usize, n.span.end as usize))
        .collect();
    slots.sort();
    let mut contents: Vec<&str> = slots.iter().map(|&(a, b)| &text[a..b]).collect();
    // A deterministic Fisher-Yates from the seed.
    let mut state = seed | 1;
    for i in (1..contents.len()).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        contents.swap(i, (state % (i as u64 + 1)) as usize);
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for ((a, b), content) in slots.iter().zip(contents) {
        out.push_str(&text[last..*a]);
        out.push_str(content);
        last = *b;
    }
    out.push_str(&text[last..]);
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn generated_sound_workflows_have_no_finding(steps in 10usize..160, seed in any::<u64>()) {
        let text = generated(steps, seed);
        let mut sources = Sources::new();
        sources.add("g.cpts", text.as_str());
        let found = cpts_cli::check_sources(&sources, None).unwrap();
        let serious: Vec<_> = found.iter().filter(|d| d.severity > Severity::Info).map(|d| format!("{}: {}", d.code.id, d.message)).collect();
        prop_assert!(serious.is_empty(), "{serious:#?}\n{text}");
    }

    #[test]
    fn mutations_never_panic_and_verdicts_ignore_declaration_order(
        steps in 8usize..60, seed in any::<u64>(), kind in any::<u8>(), at in any::<usize>(), other in any::<usize>(), order in any::<u64>(),
    ) {
        let text = mutate(&generated(steps, seed), kind, at, other);
        let before = verdict(&text);
        let after = verdict(&shuffle_nodes(&text, order));
        prop_assert_eq!(before, after, "{}", text);
    }
}

#[test]
fn shuffling_really_moves_declarations() {
    let text = generated(30, 7);
    let shuffled = shuffle_nodes(&text, 99);
    assert_ne!(text, shuffled);
    assert_eq!(text.len(), shuffled.len());
    assert_eq!(verdict(&text), verdict(&shuffled));
}

#[test]
fn mutations_do_seed_defects() {
    // Over many mutations, the checker finds something in most: the property above is not vacuous.
    let text = generated(40, 3);
    let with_findings = (0..40u8)
        .filter(|k| !verdict(&mutate(&text, *k, *k as usize * 7 + 3, *k as usize * 13)).is_empty())
        .count();
    assert!(
        with_findings >= 15,
        "only {with_findings} of 40 mutations were found"
    );
}
