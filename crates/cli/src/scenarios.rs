//! `cpts test`: run the scenario files kept next to the rules; report failures as differences,
//! and on request rule and condition coverage (`--coverage`, `--threshold`) and surviving
//! mutants (`--mutants`).

use crate::{EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, Format, render};
use cpts_diag::{Diagnostic, Sources};
use cpts_scenario::coverage::{self, Group, percent};
use cpts_scenario::mutate::{self, Depth, MutantOutcome};
use cpts_scenario::{FileOutcome, Mismatch, Runner};
use std::io::Write;
use std::path::PathBuf;

/// What `cpts test` was asked.
pub(crate) struct Request {
    pub paths: Vec<PathBuf>,
    pub rules: Vec<PathBuf>,
    pub filter: Option<String>,
    pub coverage: bool,
    pub threshold: Option<f64>,
    pub mutants: Option<Depth>,
    pub format: Format,
    pub color: bool,
}

pub(crate) fn run(req: Request, plugins: &cpts::PluginConfig, out: &mut dyn Write) -> u8 {
    let files = match cpts_scenario::discover(&req.paths) {
        Ok(files) if files.is_empty() => {
            let _ = writeln!(
                out,
                "error: no scenario file (`*{}`) under {}",
                cpts_scenario::SUFFIX,
                show_paths(&req.paths)
            );
            return EXIT_USAGE;
        }
        Ok(files) => files,
        Err(e) => {
            let _ = writeln!(out, "error: cannot read {}: {e}", show_paths(&req.paths));
            return EXIT_USAGE;
        }
    };
    // The rules: as given, else the folders holding the scenarios.
    let rule_paths = if req.rules.is_empty() {
        let mut dirs: Vec<PathBuf> = req
            .paths
            .iter()
            .map(|p| match p.is_dir() {
                true => p.clone(),
                false => p.parent().map_or_else(|| PathBuf::from("."), PathBuf::from),
            })
            .collect();
        dirs.dedup();
        dirs
    } else {
        req.rules.clone()
    };
    let rules = match crate::open::rules(&rule_paths, plugins, req.format, req.color, out) {
        Ok(rules) => rules,
        Err(code) => return code,
    };
    let mut sources = rules.sources().clone();
    let mut runner = Runner::new(&rules);
    runner.filter = req.filter.clone();
    let mut outcomes = Vec::new();
    let mut texts = Vec::new();
    let mut unreadable = Vec::new();
    for path in files {
        match cpts_scenario::add_file(&mut sources, &path) {
            Ok((file, text)) => {
                outcomes.push(runner.run_file(path.clone(), file, &text));
                texts.push((path, text));
            }
            Err(d) => unreadable.push(d),
        }
    }
    let failed = outcomes
        .iter()
        .map(|f| f.scenarios.iter().filter(|s| !s.passed()).count() + f.problems.len().min(1))
        .sum::<usize>()
        + unreadable.len();
    let groups = (req.coverage || req.threshold.is_some())
        .then(|| coverage::report(&rules, &runner.coverage));
    let below: Vec<&Group> = match (&groups, req.threshold) {
        (Some(groups), Some(p)) => groups
            .iter()
            .filter(|g| percent(g.rules_covered()) < p)
            .collect(),
        _ => Vec::new(),
    };
    let mutants = req.mutants.map(|depth| {
        let all = coverage::report(&rules, &cpts_engine::Coverage::new());
        let made = mutate::mutants(&all, rules.sources(), depth);
        let total = made.len();
        let failing: Vec<(usize, String)> = outcomes
            .iter()
            .enumerate()
            .flat_map(|(i, f)| {
                f.scenarios
                    .iter()
                    .filter(|s| !s.passed())
                    .map(move |s| (i, s.name.clone()))
            })
            .collect();
        mutate::run(&rules, made, &texts, &failing, &mut |done| {
            if req.format == Format::Human && done % 25 == 0 && done > 0 {
                let _ = writeln!(out, "  … {done}/{total} mutants");
            }
        })
    });
    let report = Report {
        sources: &sources,
        outcomes: &outcomes,
        unreadable: &unreadable,
        groups: groups.as_deref(),
        threshold: req.threshold,
        mutants: mutants.as_deref(),
    };
    let result = match req.format {
        Format::Human => human(&report, req.color, out),
        Format::Json => serde_json::to_writer_pretty(&mut *out, &json_output(&report))
            .map_err(std::io::Error::other)
            .and_then(|()| writeln!(out)),
    };
    if result.is_err() {
        EXIT_USAGE
    } else if failed > 0 || !below.is_empty() || mutants.is_some_and(|m| survivors(&m) > 0) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

fn show_paths(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| format!("`{}`", p.display()))
        .collect::<Vec<_>>()
        .join(", ")
}

fn survivors(mutants: &[MutantOutcome]) -> usize {
    mutants
        .iter()
        .filter(|m| m.killed_by.is_none() && !m.invalid)
        .count()
}

fn place(sources: &Sources, span: cpts_diag::Span) -> String {
    let file = sources.get(span.file);
    let (line, col) = file.line_col(span.start as usize);
    format!("{}:{line}:{col}", file.name)
}

/// Everything a run found, for either output format.
struct Report<'a> {
    sources: &'a Sources,
    outcomes: &'a [FileOutcome],
    unreadable: &'a [Diagnostic],
    groups: Option<&'a [Group]>,
    threshold: Option<f64>,
    mutants: Option<&'a [MutantOutcome]>,
}

fn human(report: &Report, color: bool, out: &mut dyn Write) -> std::io::Result<()> {
    let Report {
        sources,
        outcomes,
        unreadable,
        groups,
        threshold,
        mutants,
    } = *report;
    let (mut passed, mut failed) = (0, 0);
    render::human_plain(sources, unreadable, color, out)?;
    for f in outcomes {
        writeln!(out, "{}", sources.get(f.file).name)?;
        render::human_plain(sources, &f.problems, color, out)?;
        for s in &f.scenarios {
            if s.passed() {
                passed += 1;
                writeln!(out, "  ok    {}", s.name)?;
                render::human_plain(sources, &s.problems, color, out)?;
                continue;
            }
            failed += 1;
            writeln!(out, "  FAIL  {}", s.name)?;
            for failure in &s.failures {
                match &failure.mismatch {
                    Mismatch::Value {
                        expected, found, ..
                    } => writeln!(
                        out,
                        "        {}: expected {expected}, found {found}",
                        failure.what
                    )?,
                    Mismatch::Set {
                        missing,
                        unexpected,
                    } => {
                        writeln!(out, "        {}:", failure.what)?;
                        for m in missing {
                            writeln!(out, "          - {m}  (expected, not found)")?;
                        }
                        for u in unexpected {
                            writeln!(out, "          + {u}  (found, not expected)")?;
                        }
                    }
                }
                writeln!(out, "          --> {}", place(sources, failure.span))?;
            }
            render::human_plain(sources, &s.problems, color, out)?;
        }
    }
    let bad_files = outcomes.iter().filter(|f| !f.problems.is_empty()).count() + unreadable.len();
    write!(
        out,
        "{} scenarios: {passed} passed, {failed} failed",
        passed + failed
    )?;
    if bad_files > 0 {
        write!(out, "; {bad_files} file(s) with problems")?;
    }
    writeln!(out)?;
    if let Some(groups) = groups {
        coverage_human(sources, groups, threshold, out)?;
    }
    if let Some(mutants) = mutants {
        let invalid = mutants.iter().filter(|m| m.invalid).count();
        let survived = survivors(mutants);
        writeln!(
            out,
            "mutants: {} made, {} killed, {survived} survived, {invalid} invalid",
            mutants.len(),
            mutants.len() - survived - invalid
        )?;
        for m in mutants
            .iter()
            .filter(|m| m.killed_by.is_none() && !m.invalid)
        {
            writeln!(
                out,
                "  survived: {}  rule `{}`: {}",
                place(sources, m.mutant.span),
                m.mutant.rule,
                m.mutant.description
            )?;
        }
    }
    Ok(())
}

fn coverage_human(
    sources: &Sources,
    groups: &[Group],
    threshold: Option<f64>,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    writeln!(out, "coverage (seen both true and false)")?;
    writeln!(out, "  {:<18} {:>18}   {:>18}", "", "rules", "conditions")?;
    for g in groups {
        let (r, c) = (g.rules_covered(), g.conditions_covered());
        let low = threshold.is_some_and(|p| percent(r) < p);
        writeln!(
            out,
            "  {:<18} {:>9} {:>6.1} %   {:>9} {:>6.1} %{}",
            g.label(),
            format!("{}/{}", r.0, r.1),
            percent(r),
            format!("{}/{}", c.0, c.1),
            percent(c),
            if low { "  below the threshold" } else { "" }
        )?;
    }
    for g in groups {
        for rule in g
            .rules
            .iter()
            .filter(|r| !r.outcomes.both() || r.conditions.iter().any(|c| !c.2.both()))
        {
            writeln!(
                out,
                "  {}  rule `{}`{}",
                place(sources, rule.span),
                rule.name,
                never(rule.outcomes, "holding", "false")
            )?;
            for (span, text, o) in rule.conditions.iter().filter(|c| !c.2.both()) {
                let line = sources.get(span.file).line_col(span.start as usize).0;
                writeln!(
                    out,
                    "      line {line}: `{text}`{}",
                    never(*o, "true", "false")
                )?;
            }
        }
    }
    if let Some(p) = threshold {
        writeln!(out, "threshold: {p} % of the rules of each region")?;
    }
    Ok(())
}

fn never(o: cpts_engine::coverage::Outcomes, yes: &str, no: &str) -> String {
    match (o.seen_true, o.seen_false) {
        (false, false) => " never evaluated".into(),
        (true, false) => format!(" never seen {no}"),
        (false, true) => format!(" never seen {yes}"),
        (true, true) => String::new(),
    }
}

fn json_output(report: &Report) -> cpts_scenario::report::TestReport {
    cpts_scenario::report::TestReport::new(
        report.sources,
        report.outcomes,
        report.unreadable,
        report.groups,
        report.threshold,
        report.mutants,
    )
}
