//! `cpts explain`: the registry's documentation of a code.

use crate::{EXIT_OK, EXIT_USAGE};
use cpts_diag::codes::{self, Code};
use std::io::Write;

pub(crate) fn run(key: Option<&str>, out: &mut dyn Write) -> u8 {
    let Some(key) = key else {
        for code in codes::ALL {
            let _ = writeln!(
                out,
                "{}  {:<28} {:<8} {}",
                code.id, code.name, code.severity, code.summary
            );
        }
        return EXIT_OK;
    };
    match Code::lookup(key) {
        Some(code) => {
            let _ = writeln!(
                out,
                "{} {} ({})\n\n{}.\n\n{}",
                code.id,
                code.name,
                code.severity,
                capitalise(code.summary),
                code.doc
            );
            EXIT_OK
        }
        None => {
            let _ = writeln!(out, "error: unknown code `{key}`");
            let ids = codes::ALL.iter().flat_map(|c| [c.id, c.name]);
            if let Some(best) = closest(key, ids) {
                let _ = writeln!(out, "help: did you mean `{best}`?");
            }
            let _ = writeln!(out, "help: `cpts explain` with no code lists them all");
            EXIT_USAGE
        }
    }
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

fn closest<'a>(key: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let key = key.to_ascii_lowercase();
    candidates
        .map(|c| {
            (
                strsim::normalized_levenshtein(&key, &c.to_ascii_lowercase()),
                c,
            )
        })
        .filter(|(score, _)| *score >= 0.75)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}
