//! Execution benchmarks (see BENCHMARKS.md): the status of 1,000 projects, a 10,000-run
//! simulation, and the throughput of national-workflow instances run to completion with scripted
//! decisions (the unit a BPMN engine is measured in).
// `criterion_group!` and `criterion_main!` generate undocumented functions.
#![allow(missing_docs)]

use chrono::NaiveDate;
use cpts_engine::{Calendar, Event, replay};
use cpts_lang::model::{Cond, Model};
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::Path;

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

fn rules() -> cpts::Rules {
    cpts::Rules::load(&[root().join("rules")])
        .map_err(|_| "the rules load")
        .unwrap()
}

fn examples(rules: &cpts::Rules) -> Vec<cpts::Project> {
    let mut paths: Vec<_> = std::fs::read_dir(root().join("examples/projects"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| {
            cpts::Project::open(rules, p)
                .map_err(|_| "example opens")
                .unwrap()
        })
        .collect()
}

/// A journal that takes every node of the model to completion, in prerequisite order, each
/// decision taking its first forward outcome, one day apart.
fn scripted(model: &Model) -> Vec<Event> {
    let mut done = vec![false; model.nodes.len()];
    let mut events = Vec::new();
    let mut day = NaiveDate::from_ymd_opt(2023, 1, 2).unwrap();
    let holds = |c: &Cond, done: &[bool]| {
        fn h(c: &Cond, done: &[bool]) -> bool {
            match c {
                Cond::Done(n) | Cond::Outcome(n, _) => done[*n],
                Cond::All(cs) => cs.iter().all(|c| h(c, done)),
                Cond::Any(cs) => cs.iter().any(|c| h(c, done)),
            }
        }
        h(c, done)
    };
    loop {
        let next = (0..model.nodes.len()).find(|&v| {
            !done[v]
                && model.nodes[v]
                    .after
                    .as_ref()
                    .is_none_or(|c| holds(c, &done))
        });
        let Some(v) = next else { break };
        let outcome = model.nodes[v]
            .outcomes
            .iter()
            .position(|o| o.route.is_none());
        events.push(Event {
            node: v,
            outcome,
            date: day,
            actor: None,
            evidence: None,
            note: None,
            span: model.nodes[v].span,
        });
        done[v] = true;
        day = day.succ_opt().unwrap();
    }
    events
}

fn benches(c: &mut Criterion) {
    let rules = rules();
    let projects = examples(&rules);
    c.bench_function("status/1000 projects", |b| {
        b.iter(|| {
            for i in 0..1000 {
                black_box(projects[i % projects.len()].status(None));
            }
        })
    });
    // The same statuses by the tree-walking evaluator (the path before the compiled one), in
    // the same run, for the ratio.
    c.bench_function("status/1000 projects (tree walk)", |b| {
        b.iter(|| {
            for i in 0..1000 {
                let p = &projects[i % projects.len()];
                let today = p.data().header.today.unwrap_or_else(cpts::clock_today);
                black_box(cpts_engine::status_by_tree_walk(
                    p.model(),
                    &p.data().facts,
                    &p.data().events,
                    today,
                    p.calendar(),
                    p.plugin_host(),
                    None,
                ));
            }
        })
    });
    let bfc = projects
        .iter()
        .find(|p| p.path().ends_with("bfc-mi-parcours.toml"))
        .unwrap();
    let mut group = c.benchmark_group("simulate");
    group.sample_size(10);
    group.bench_function("10000 runs (bfc-mi-parcours)", |b| {
        let options = cpts::SimulationOptions {
            runs: 10_000,
            seed: 7,
            ..cpts::SimulationOptions::default()
        };
        b.iter(|| black_box(bfc.simulate(&options, None, &mut |_| {})))
    });
    group.finish();
    let target = cpts_lang::model::Target {
        workflow: "creation".into(),
        version: "aci-2022".into(),
        region: None,
    };
    let (model, _) = cpts_lang::model::build(rules.checked(), &target).unwrap();
    let journal = scripted(&model);
    let today = NaiveDate::from_ymd_opt(2030, 1, 1).unwrap();
    let calendar = Calendar::national();
    let end = model.end.clone().unwrap();
    assert!(
        replay(&model, &journal, today, &calendar).holds(&end),
        "the scripted instance completes"
    );
    c.bench_function("instances/national workflow to completion", |b| {
        b.iter(|| {
            let h = replay(&model, black_box(&journal), today, &calendar);
            black_box(h.holds(&end))
        })
    });
}

criterion_group!(execute, benches);
criterion_main!(execute);
