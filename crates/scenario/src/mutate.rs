//! Mutation testing: change one rule at a time in the rules' text, run the scenarios again, and
//! see whether one fails. A change no scenario notices (a surviving mutant) shows a rule, or a
//! condition of a rule, that the scenarios do not pin down.

use crate::coverage::Group;
use crate::run::Runner;
use cpts::Rules;
use cpts_diag::{FileId, Sources, Span};
use std::path::PathBuf;

/// Which mutants to make.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Depth {
    /// Each rule's condition negated: `expect E` becomes `expect not (E)`.
    Rules,
    /// Also each condition of a rule with several, replaced by `true` and by `false`.
    Conditions,
}

/// One change to the rules.
#[derive(Clone, Debug)]
pub struct Mutant {
    /// The rule changed.
    pub rule: String,
    /// The expression replaced.
    pub span: Span,
    /// What replaces it.
    pub replacement: String,
    /// In words, for reports.
    pub description: String,
}

/// What became of a mutant.
#[derive(Clone, Debug)]
pub struct MutantOutcome {
    /// The change.
    pub mutant: Mutant,
    /// The first scenario that failed (`None`: the mutant survived).
    pub killed_by: Option<String>,
    /// The changed rules did not check (not counted).
    pub invalid: bool,
}

/// The mutants of every rule in `groups` (from [`crate::coverage::report`]).
pub fn mutants(groups: &[Group], sources: &Sources, depth: Depth) -> Vec<Mutant> {
    let mut out = Vec::new();
    // Checks (no conditions) are left alone: their call is not a condition to negate.
    let rules = groups.iter().flat_map(|g| &g.rules);
    for rule in rules.filter(|r| !r.conditions.is_empty()) {
        let source = sources.snippet(rule.expect);
        out.push(Mutant {
            rule: rule.name.clone(),
            span: rule.expect,
            replacement: format!("not ({source})"),
            description: "condition negated".into(),
        });
        if depth == Depth::Conditions && rule.conditions.len() > 1 {
            for (span, text, _) in &rule.conditions {
                for value in ["true", "false"] {
                    out.push(Mutant {
                        rule: rule.name.clone(),
                        span: *span,
                        replacement: value.into(),
                        description: format!("`{text}` replaced by `{value}`"),
                    });
                }
            }
        }
    }
    out
}

/// Runs every scenario file against each mutant of `rules`. Only scenarios that pass on `rules`
/// themselves can kill a mutant: `failing` lists the others, as (index in `scenarios`, name).
pub fn run(
    rules: &Rules,
    mutants: Vec<Mutant>,
    scenarios: &[(PathBuf, String)],
    failing: &[(usize, String)],
    progress: &mut dyn FnMut(usize),
) -> Vec<MutantOutcome> {
    let mut out = Vec::with_capacity(mutants.len());
    for (done, mutant) in mutants.into_iter().enumerate() {
        progress(done);
        let mut sources = Sources::new();
        for (id, file) in rules.sources().iter() {
            let text = if id == mutant.span.file {
                let t = &file.text;
                format!(
                    "{}{}{}",
                    &t[..mutant.span.start as usize],
                    mutant.replacement,
                    &t[mutant.span.end as usize..]
                )
            } else {
                file.text.clone()
            };
            sources.add(file.name.clone(), text);
        }
        let changed = rules.with_sources(sources);
        if cpts_diag::has_errors(&changed.checked().diagnostics) {
            out.push(MutantOutcome {
                mutant,
                killed_by: None,
                invalid: true,
            });
            continue;
        }
        let mut runner = Runner::new(&changed);
        // Scenario files are not among the rules' sources (the checker would read them as
        // rules): their spans point nowhere, which only pass or fail needs.
        let killed_by = scenarios.iter().enumerate().find_map(|(i, (path, text))| {
            let file = FileId(u32::MAX - i as u32);
            let result = runner.run_file(path.clone(), file, text);
            result
                .scenarios
                .iter()
                .find(|s| !s.passed() && !failing.contains(&(i, s.name.clone())))
                .map(|s| s.name.clone())
        });
        out.push(MutantOutcome {
            mutant,
            killed_by,
            invalid: false,
        });
    }
    out
}
