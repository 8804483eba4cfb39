//! `cpts explain`: the registry's documentation of a code.
//!
//! JSON: [`cpts::report::ExplainReport`], schema `cpts-explain/1`: every code without `doc` when
//! none is asked for, else the one asked for.

use crate::{EXIT_OK, EXIT_USAGE, Format, render};
use cpts_diag::codes::{self, Code};
use std::io::Write;

pub(crate) fn run(key: Option<&str>, format: Format, out: &mut dyn Write) -> u8 {
    let found: Vec<&Code> = match key {
        None => codes::ALL.to_vec(),
        Some(key) => match Code::lookup(key) {
            Some(code) => vec![code],
            None => {
                let ids = codes::ALL.iter().flat_map(|c| [c.id, c.name]);
                let help = match closest(key, ids) {
                    Some(best) => {
                        format!(
                            "did you mean `{best}`? (`cpts explain` with no code lists them all)"
                        )
                    }
                    None => "`cpts explain` with no code lists them all".to_owned(),
                };
                render::error(format, &format!("unknown code `{key}`"), Some(&help), out);
                return EXIT_USAGE;
            }
        },
    };
    let written = match (format, found.as_slice()) {
        (Format::Json, _) => render::json_doc(
            &cpts::report::ExplainReport::new(&found, key.is_some()),
            out,
        ),
        (Format::Human, [code]) if key.is_some() => writeln!(
            out,
            "{} {} ({})\n\n{}.\n\n{}",
            code.id,
            code.name,
            code.severity,
            capitalise(code.summary),
            code.doc
        ),
        (Format::Human, _) => found.iter().try_for_each(|code| {
            writeln!(
                out,
                "{}  {:<28} {:<8} {}",
                code.id, code.name, code.severity, code.summary
            )
        }),
    };
    if written.is_err() {
        EXIT_USAGE
    } else {
        EXIT_OK
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
