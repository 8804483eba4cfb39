//! The compiled evaluator against the tree walker, its oracle, on the real rules: every target
//! of `rules/` and `examples/nouvelle-region/`, over the facts and journal of every example
//! project and of every scenario of their suites, at several dates, with the bundled plugins.
//! Node states, verdicts, explanations, errors with their spans, computed values and coverage
//! records must agree.

use super::root;
use chrono::NaiveDate;
use cpts_diag::FileId;
use cpts_engine::{
    Coverage, Event, NoPlugins, Plugins, Value, status_by_tree_walk, status_covered,
};
use cpts_lang::model::Model;
use std::collections::BTreeMap;
use std::path::PathBuf;

const DATES: [&str; 4] = ["2019-09-01", "2022-06-15", "2024-03-01", "2027-01-01"];

fn same(
    model: &Model,
    facts: &BTreeMap<String, Value>,
    events: &[Event],
    today: NaiveDate,
    plugins: &dyn Plugins,
    what: &str,
) {
    let calendar = cpts::calendar_for(facts);
    let (old_cov, new_cov) = (Coverage::new(), Coverage::new());
    let old = status_by_tree_walk(
        model,
        facts,
        events,
        today,
        calendar,
        plugins,
        Some(&old_cov),
    );
    let new = status_covered(model, facts, events, today, calendar, plugins, &new_cov);
    assert_eq!(
        format!("{old:#?}"),
        format!("{new:#?}"),
        "{what} on {today}"
    );
    assert_eq!(
        old_cov.seen(),
        new_cov.seen(),
        "{what} on {today}: coverage"
    );
}

fn files(dir: &str, suffix: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root().join(dir)];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.to_string_lossy().ends_with(suffix) {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn the_compiled_evaluator_agrees_with_the_tree_walker_on_the_real_rules() {
    let rules = cpts::Rules::load(&[
        root().join("rules"),
        root().join("examples/nouvelle-region"),
    ])
    .map_err(|(_, d)| d)
    .unwrap();
    let plugins: &dyn Plugins = match rules.plugins() {
        Some(host) => host,
        None => &NoPlugins,
    };
    let dates: Vec<NaiveDate> = DATES.iter().map(|d| d.parse().unwrap()).collect();
    let targets = cpts_lang::model::targets(rules.checked());
    let models: Vec<Model> = targets
        .iter()
        .filter_map(|t| cpts_lang::model::build(rules.checked(), t).ok())
        .map(|(m, _)| m)
        .collect();
    assert!(models.len() >= 6, "{} targets", models.len());
    let mut runs = 0;
    // Every example project, read under every target.
    for path in files("examples/projects", ".toml") {
        let text = std::fs::read_to_string(&path).unwrap();
        for model in &models {
            let (Some(project), _) = cpts_project::read(FileId(0), &text, model) else {
                continue;
            };
            let mut days = dates.clone();
            days.extend(project.header.today);
            for &today in &days {
                let what = format!(
                    "{} under {} {}",
                    path.display(),
                    model.workflow,
                    model.version
                );
                same(
                    model,
                    &project.facts,
                    &project.events,
                    today,
                    plugins,
                    &what,
                );
                runs += 1;
            }
        }
    }
    // Every scenario of the suites, on its own day and the others.
    let mut scenarios = files("rules", ".test.toml");
    scenarios.extend(files("examples", ".test.toml"));
    for path in scenarios {
        let text = std::fs::read_to_string(&path).unwrap();
        let (read, _) = cpts_scenario::file::read(FileId(0), &text);
        assert!(!read.is_empty(), "{}", path.display());
        for s in read {
            let Ok((model, _)) = cpts_lang::model::build(rules.checked(), &s.target) else {
                continue;
            };
            let header = cpts_project::Header {
                name: s.name.clone(),
                target: s.target.clone(),
                today: Some(s.today),
                spans: [None, None, None],
            };
            let (Some(project), _) = cpts_project::read_parts(
                FileId(0),
                header,
                Some(&s.facts),
                Some(&s.journal),
                &model,
            ) else {
                continue;
            };
            for today in std::iter::once(s.today).chain(dates.iter().copied()) {
                let what = format!("{} scenario {}", path.display(), s.name);
                same(
                    &model,
                    &project.facts,
                    &project.events,
                    today,
                    plugins,
                    &what,
                );
                runs += 1;
            }
        }
    }
    assert!(runs > 300, "{runs} statuses compared");
}
