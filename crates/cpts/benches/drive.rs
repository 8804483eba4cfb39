//! Driving instances as an embedding tool does (see BENCHMARKS.md, "drive"): each instance of
//! the national ACI workflow starts from an empty journal and is driven through the public API
//! — ask what is enabled, record it, move the virtual clock — until its end holds. Decisions
//! are answered from the instance's index: 1 in 10 letters of intent sent back once, 1 in 10
//! health projects opposed once, 1 in 20 left to two months of ARS silence (the deadline's
//! expiry outcome fires). The same on a workflow with ten times the steps: the national one
//! with a chain of nine more steps before each (a region overlay generated here).
// `criterion_group!` and `criterion_main!` generate undocumented functions.
#![allow(missing_docs)]

use chrono::{Days, Months, NaiveDate};
use cpts::{Entry, Instance, Project, Rules};
use cpts_lang::model::{Cond, Model};
use criterion::{Criterion, criterion_group, criterion_main};
use std::fmt::Write as _;
use std::hint::black_box;
use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

/// A project pinned to `region` whose facts satisfy every rule at error level, with an empty
/// journal, starting on 2022-06-01.
fn project(rules: &Rules, region: Option<&str>) -> Project {
    let example = Project::open(rules, root().join("examples/projects/projet-oppose.toml"))
        .map_err(|_| "the example opens")
        .unwrap();
    let mut data = example.to_data();
    data.journal.clear();
    data.region = region.map(String::from);
    data.today = NaiveDate::from_ymd_opt(2022, 6, 1);
    Project::from_data(rules, &data)
        .map_err(|(_, d)| format!("{d:?}"))
        .unwrap()
}

/// Drives instance `index` of `project` to its end; returns the number of entries recorded.
fn drive(project: &Project, index: u64) -> usize {
    let mut instance: Instance = project.instance(None);
    let mut day = instance.today();
    let mut send_back_li = index % 10 == 3;
    let mut oppose = index % 10 == 7;
    let silence = index % 20 == 11;
    let mut recorded = 0;
    let mut waited = 0;
    while !instance.complete() {
        let Some(node) = instance.enabled().next() else {
            // Nothing to do but wait (for a deadline's expiry): the clock jumps a month.
            waited += 1;
            assert!(
                waited < 24,
                "instance {index} is stuck: {:?}",
                stuck(&instance)
            );
            day = day + Months::new(1);
            instance.at(day);
            continue;
        };
        let decl = &instance.model().nodes[node];
        let outcome = match decl.name.as_str() {
            "validation_li" if std::mem::take(&mut send_back_li) => Some("a_reprendre"),
            "validation_projet" if silence => {
                // The ARS does not answer: two months later the project is deemed validated.
                day = day + Months::new(2) + Days::new(1);
                instance.at(day);
                continue;
            }
            "validation_projet" if std::mem::take(&mut oppose) => Some("oppose"),
            _ => decl
                .outcomes
                .iter()
                .find(|o| o.route.is_none())
                .map(|o| o.name.as_str()),
        };
        let entry = Entry {
            step: decl.name.clone(),
            outcome: outcome.map(String::from),
            ..Entry::default()
        };
        day = day + Days::new(2);
        instance.at(day);
        instance
            .record(&entry)
            .map_err(|d| format!("{entry:?}: {d:?}"))
            .unwrap();
        recorded += 1;
    }
    recorded
}

/// The steps not done, with their state and failing rules.
fn stuck(instance: &Instance) -> Vec<String> {
    let status = instance.status();
    status
        .nodes
        .iter()
        .filter(|n| n.state != cpts::State::Done)
        .map(|n| {
            let failing: Vec<&str> = n
                .rules
                .iter()
                .filter(|r| !matches!(r.result, Ok(None)))
                .map(|r| r.name.as_str())
                .collect();
            format!(
                "{} {:?} {failing:?}",
                instance.model().nodes[n.node].name,
                n.state
            )
        })
        .collect()
}

/// A region overlay inserting a chain of nine steps before each step and decision of `model`:
/// the first waits for what the step waited for, each next one for the one before, and the
/// step for the last.
fn chains(model: &Model) -> String {
    let mut text = String::from(
        "import \"national/creation-aci.cpts\"\n\n\
         region chaine \"Chaînes\" extends creation versions \"aci-2022\" {\n  source \"banc d'essai\"\n",
    );
    for node in &model.nodes {
        for k in 1..10 {
            let after = if k == 1 {
                node.after.as_ref().map(|c| cond(model, c))
            } else {
                Some(format!("{}_{}", node.name, k - 1))
            };
            let _ = write!(text, "  step {}_{k} \"{} ({k})\" {{", node.name, node.label);
            if let Some(after) = after {
                let _ = write!(text, " after {after}");
            }
            let _ = writeln!(text, " before {} source \"banc d'essai\" }}", node.name);
        }
    }
    text.push_str("}\n");
    text
}

fn cond(model: &Model, c: &Cond) -> String {
    let list = |cs: &[Cond]| {
        cs.iter()
            .map(|c| cond(model, c))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match c {
        Cond::Done(n) => model.nodes[*n].name.clone(),
        Cond::Outcome(d, o) => format!(
            "{}.{}",
            model.nodes[*d].name, model.nodes[*d].outcomes[*o].name
        ),
        Cond::All(cs) => format!("all({})", list(cs)),
        Cond::Any(cs) => format!("any({})", list(cs)),
    }
}

/// The national rules and the chain overlay, in a folder of their own under `target/`.
fn chained_rules(national: &Project) -> Rules {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("drive");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("national")).unwrap();
    for file in ["creation-aci.cpts", "types.cpts"] {
        std::fs::copy(
            root().join("rules/national").join(file),
            dir.join("national").join(file),
        )
        .unwrap();
    }
    std::fs::write(dir.join("chaine.cpts"), chains(national.model())).unwrap();
    Rules::load(&[dir])
        .map_err(|(_, d)| format!("{d:?}"))
        .unwrap()
}

fn benches(c: &mut Criterion) {
    let rules = Rules::load(&[root().join("rules")])
        .map_err(|_| "the rules load")
        .unwrap();
    let national = project(&rules, None);
    let chained_rules = chained_rules(&national);
    let chained = project(&chained_rules, Some("chaine"));
    let steps = |p: &Project| p.model().nodes.len();
    assert!(
        steps(&chained) >= 10 * steps(&national),
        "ten times the steps"
    );
    for (name, project) in [("national", &national), ("chains of 10", &chained)] {
        // Every kind of instance reaches its end (and the answers above are taken).
        let entries: Vec<usize> = (0..20).map(|i| drive(project, i)).collect();
        assert!(
            entries.iter().all(|&n| n >= steps(project) / 2),
            "{name}: {entries:?}"
        );
    }
    let mut group = c.benchmark_group("drive");
    for (name, project) in [("national", &national), ("chains of 10", &chained)] {
        group.bench_function(format!("{name}/100 instances"), |b| {
            b.iter(|| {
                let mut total = 0;
                for i in 0..100 {
                    total += drive(black_box(project), i);
                }
                black_box(total)
            })
        });
    }
    group.finish();
}

criterion_group!(drive_group, benches);
criterion_main!(drive_group);
