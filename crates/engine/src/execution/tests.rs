//! On generated workflows and random journals (steps in any order, decisions with any outcome,
//! reworks, gaps that let deadlines expire, late entries, the clock moved back and forth), the
//! execution updated entry by entry has the status the replaying `status` computes.

use super::*;
use chrono::Days;
use cpts_diag::Sources;
use cpts_lang::model::{Target, build, targets};
use proptest::prelude::*;

fn model(steps: usize, seed: u64) -> Model {
    let mut sources = Sources::new();
    sources.add(
        "g.cpts",
        cpts_gen::workflow(&cpts_gen::Shape::new(steps, seed)),
    );
    let checked = cpts_lang::check(&sources);
    let target: Target = targets(&checked).remove(0);
    build(&checked, &target).unwrap().0
}

/// The replaying status, for comparison.
fn replayed(model: &Model, events: &[Event], today: NaiveDate) -> Status {
    crate::status(
        model,
        &BTreeMap::new(),
        events,
        today,
        Calendar::national(),
        &NoPlugins,
    )
}

fn show(s: &Status) -> String {
    format!("{s:#?}")
}

/// One random journal entry for `model` on `date`: an enabled node when there is one (so that
/// the journal moves forward), else any node.
fn entry(model: &Model, execution: &Execution, pick: u64, date: NaiveDate) -> Event {
    let enabled: Vec<NodeId> = execution.enabled().collect();
    let node = if enabled.is_empty() || pick.is_multiple_of(7) {
        (pick as usize) % model.nodes.len()
    } else {
        enabled[(pick as usize / 7) % enabled.len()]
    };
    let outcomes = model.nodes[node].outcomes.len();
    Event {
        node,
        outcome: (outcomes > 0).then(|| (pick as usize / 3) % outcomes),
        date,
        actor: None,
        evidence: None,
        note: None,
        span: model.nodes[node].span,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn recording_one_by_one_matches_replaying(
        steps in 3usize..60,
        seed in 0u64..1000,
        picks in proptest::collection::vec((0u64..10_000, 0u64..90), 1..40),
    ) {
        let model = Arc::new(model(steps, seed));
        let plan = Arc::new(Plan::new(Arc::clone(&model)));
        let start = NaiveDate::from_ymd_opt(2023, 1, 2).unwrap();
        let facts = Arc::new(Facts::new(plan.program(), &BTreeMap::new()));
        let mut execution = Execution::new(
            plan,
            facts,
            Calendar::national(),
            None,
            start,
        );
        let mut events: Vec<Event> = Vec::new();
        let mut day = start;
        for (i, &(pick, gap)) in picks.iter().enumerate() {
            // One entry in eight is late: dated before the last one.
            let date = if i % 8 == 5 && gap < 60 { day - Days::new(gap) } else { day + Days::new(gap) };
            day = day.max(date);
            let event = entry(&model, &execution, pick, date);
            events.push(event.clone());
            execution.set_today(day);
            execution.record(event);
            events.sort_by_key(|e| e.date);
            prop_assert_eq!(show(&execution.status()), show(&replayed(&model, &events, day)));
            // The clock moved back and forth.
            let back = day - Days::new(pick % 200);
            execution.set_today(back);
            prop_assert_eq!(show(&execution.status()), show(&replayed(&model, &events, back)));
            execution.set_today(day + Days::new(pick % 400));
            prop_assert_eq!(
                show(&execution.status()),
                show(&replayed(&model, &events, day + Days::new(pick % 400)))
            );
        }
    }
}

#[test]
fn the_prerequisite_order_puts_every_node_after_what_it_waits_for() {
    let model = Arc::new(model(400, 3));
    let plan = Plan::new(Arc::clone(&model));
    let mut mentioned = Vec::new();
    for (v, node) in model.nodes.iter().enumerate() {
        if let Some(after) = &node.after {
            mentioned.clear();
            after.nodes(&mut mentioned);
            for &m in &mentioned {
                assert!(plan.position(m) < plan.position(v), "{} before {}", m, v);
            }
        }
    }
}
