//! The incremental execution against the replaying one: the same status on every example
//! project, at several dates, whether the journal is folded at once or recorded entry by entry.

use super::*;
use crate::Rules;
use chrono::{Days, Months};

fn root() -> std::path::PathBuf {
    std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).to_path_buf()
}

fn rules() -> Rules {
    Rules::load(&[root().join("rules")])
        .map_err(|(_, d)| format!("{d:?}"))
        .expect("the rules load")
}

fn examples(rules: &Rules) -> Vec<Project> {
    let mut paths: Vec<_> = std::fs::read_dir(root().join("examples/projects"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    assert!(paths.len() >= 7, "the example projects are there");
    paths
        .iter()
        .map(|p| Project::open(rules, p).map_err(|_| p.clone()).unwrap())
        .collect()
}

/// The dates a status is compared on: the file's today, before and after it.
fn dates(project: &Project) -> Vec<NaiveDate> {
    let today = project.today(None);
    vec![
        today,
        today - Months::new(14),
        today + Days::new(1),
        today + Months::new(2),
        today + Months::new(7),
        today + Months::new(30),
    ]
}

/// The status from scratch, with the engine's replaying `status`.
fn replayed(project: &Project, today: NaiveDate) -> Status {
    cpts_engine::status(
        project.model(),
        &project.data().facts,
        &project.data().events,
        today,
        project.calendar(),
        project.plugin_host(),
    )
}

fn same(a: &Status, b: &Status, what: &str) {
    assert_eq!(format!("{a:#?}"), format!("{b:#?}"), "{what}");
}

#[test]
fn an_instance_has_the_status_a_replay_gives() {
    let rules = rules();
    for project in examples(&rules) {
        for date in dates(&project) {
            let mut instance = project.instance(None);
            instance.at(date);
            let what = format!("{} on {date}", project.path().display());
            same(&instance.status(), &replayed(&project, date), &what);
            // The same instance made directly on that date.
            same(
                &project.instance(Some(date)).status(),
                &replayed(&project, date),
                &what,
            );
        }
    }
}

#[test]
fn recording_entries_one_by_one_gives_the_status_a_replay_gives() {
    let rules = rules();
    for project in examples(&rules) {
        let data = project.data();
        let first = data.events.first().map_or(project.today(None), |e| e.date);
        let mut execution = Execution::new(
            Arc::clone(project.plan()),
            project.compiled_facts(),
            project.calendar(),
            project.host().map(|h| Arc::clone(h) as SharedPlugins),
            first,
        );
        for (i, event) in data.events.iter().enumerate() {
            // The clock follows the journal, as a tool recording entries as they come would.
            execution.set_today(event.date);
            execution.record(event.clone());
            let what = format!("{} after entry {i}", project.path().display());
            let expected = cpts_engine::status(
                project.model(),
                &data.facts,
                &data.events[..=i],
                event.date,
                project.calendar(),
                project.plugin_host(),
            );
            same(&execution.status(), &expected, &what);
        }
        for date in dates(&project) {
            execution.set_today(date);
            let what = format!("{} on {date}", project.path().display());
            same(&execution.status(), &replayed(&project, date), &what);
        }
    }
}

#[test]
fn a_late_entry_is_replayed_in_date_order() {
    let rules = rules();
    let project = examples(&rules)
        .into_iter()
        .find(|p| p.path().ends_with("sud-28.toml"))
        .unwrap();
    let data = project.data();
    let today = project.today(None);
    let mut execution = Execution::new(
        Arc::clone(project.plan()),
        project.compiled_facts(),
        project.calendar(),
        None,
        today,
    );
    // Every entry but the second, then the second, learnt late.
    let mut late = data.events.clone();
    let second = late.remove(1);
    for e in late {
        execution.record(e);
    }
    execution.record(second);
    let mut expected = data.events.clone();
    expected.sort_by_key(|e| e.date);
    let replay = cpts_engine::status(
        project.model(),
        &data.facts,
        &expected,
        today,
        project.calendar(),
        &cpts_engine::NoPlugins,
    );
    same(&execution.status(), &replay, "late entry");
}

#[test]
fn recording_an_entry_evaluates_only_the_rules_whose_inputs_changed() {
    let rules = rules();
    let project = examples(&rules)
        .into_iter()
        .find(|p| p.path().ends_with("projet-oppose.toml"))
        .unwrap();
    let mut instance = project.instance(None);
    let model = instance.model().clone();
    let before = instance.execution().evaluations();
    // A step whose rules read facts only: once evaluated, moving the clock leaves them be.
    instance.at(instance.today() + Days::new(3));
    let reading_today = (0..model.nodes.len())
        .filter(|&v| {
            let reads = instance.execution().plan().reads(v);
            reads.today && !model.nodes[v].rules.is_empty()
        })
        .filter(|&v| *instance.state(v) != State::Done)
        .count() as u64;
    assert!(
        instance.execution().evaluations() - before <= reading_today,
        "moving the clock re-evaluates only rules that read today"
    );
    // Recording the opposition's answer (silence) evaluates the newly enabled step only once.
    let before = instance.execution().evaluations();
    instance.at("2024-02-01".parse().unwrap());
    let after_clock = instance.execution().evaluations();
    assert!(
        after_clock - before <= 2,
        "{} evaluations",
        after_clock - before
    );
    let status = instance.status();
    let again = instance.status();
    same(&status, &again, "status twice");
    assert_eq!(
        instance.execution().evaluations(),
        after_clock,
        "status evaluates nothing anew"
    );
}

#[test]
fn refusals_name_what_is_missing() {
    let rules = rules();
    let project = examples(&rules)
        .into_iter()
        .find(|p| p.path().ends_with("projet-oppose.toml"))
        .unwrap();
    let mut instance = project.instance(None);
    let refused = |i: &mut Instance, entry: Entry| i.record(&entry).unwrap_err()[0].message.clone();
    let entry = |step: &str| Entry {
        step: step.into(),
        ..Entry::default()
    };
    assert!(refused(&mut instance, entry("nulle_part")).contains("is not a step"));
    assert!(refused(&mut instance, entry("validation_projet")).contains("which outcome"));
    assert!(refused(&mut instance, entry("signature_aci")).contains("waits for"));
    let early = Entry {
        date: Some("2000-01-01".parse().unwrap()),
        ..entry("agc")
    };
    assert!(refused(&mut instance, early).contains("before the last journal entry"));
    let before = instance.execution().events().len();
    let accepted = instance.record(&Entry {
        outcome: Some("valide".into()),
        ..entry("validation_projet")
    });
    assert!(accepted.is_ok(), "{accepted:?}");
    assert_eq!(instance.execution().events().len(), before + 1);
    assert_eq!(instance.enabled_names(), ["signature_aci"]);
}

#[test]
fn a_project_goes_to_data_and_back_unchanged() {
    let rules = rules();
    for project in examples(&rules) {
        let what = project.path().display().to_string();
        let data = project.to_data();
        // Through JSON, as a tool or a database would keep it.
        let json = serde_json::to_string(&data).unwrap();
        let back: crate::ProjectData = serde_json::from_str(&json).unwrap();
        assert_eq!(back, data, "{what}");
        let rebuilt = Project::from_data(&rules, &back)
            .map_err(|(_, d)| format!("{what}: {d:?}"))
            .unwrap();
        assert!(rebuilt.in_memory());
        same(&rebuilt.status(None), &project.status(None), &what);
        // The canonical text reads the same way as the original file.
        let text = project.to_toml();
        let reread = Project::from_text(&rules, "reread.toml", text.clone())
            .map_err(|(_, d)| format!("{what}: {d:?}"))
            .unwrap();
        same(&reread.status(None), &project.status(None), &what);
        assert_eq!(
            reread.to_toml(),
            text,
            "{what}: the canonical text is its own layout"
        );
    }
}

#[test]
fn a_project_from_data_gets_the_file_diagnostics() {
    let rules = rules();
    let mut data = examples(&rules)
        .into_iter()
        .find(|p| p.path().ends_with("sud-28.toml"))
        .unwrap()
        .to_data();
    data.facts
        .insert("porteur".into(), serde_json::json!(["x"]));
    data.facts
        .get_mut("territoire")
        .and_then(|t| t.as_object_mut())
        .unwrap()
        .insert("population".into(), serde_json::json!("beaucoup"));
    data.journal[0].step = "emergenc".into();
    let (sources, problems) = Project::from_data(&rules, &data).err().unwrap();
    let codes: Vec<&str> = problems.iter().map(|d| d.code.id).collect();
    assert!(codes.contains(&"E0605"), "{codes:?}");
    for d in &problems {
        let span = d.span.expect("a span into the canonical text");
        assert!(sources.get(span.file).name.ends_with(".toml"));
    }
    let messages: Vec<&str> = problems.iter().map(|d| d.message.as_str()).collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("has no field `porteur`")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("territoire.population")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("emergenc")),
        "{messages:?}"
    );
}

#[test]
fn a_project_from_data_is_driven_and_exported() {
    let rules = rules();
    let source = examples(&rules)
        .into_iter()
        .find(|p| p.path().ends_with("projet-oppose.toml"))
        .unwrap();
    let mut data = source.to_data();
    let journal = std::mem::take(&mut data.journal);
    data.today = journal.first().and_then(|e| e.date);
    let project = Project::from_data(&rules, &data)
        .map_err(|(_, d)| format!("{d:?}"))
        .unwrap();
    let mut instance = project.instance(None);
    for entry in &journal {
        instance.at(entry.date.unwrap());
        instance
            .record(entry)
            .map_err(|d| format!("{entry:?}: {d:?}"))
            .unwrap();
    }
    assert_eq!(instance.to_data().journal, journal);
    let refused = project.advance(&journal[0], None);
    assert!(
        matches!(refused, Err(crate::Refusal::Io(_))),
        "no file to write"
    );
}
