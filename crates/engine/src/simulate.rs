//! Simulation: from a project's state today, many runs forward. In each run a step takes a
//! duration drawn uniformly from its typical range, a decision an outcome drawn from its
//! probabilities (a looping one sends the run back), and a decision whose deadline has an
//! effect on expiry takes that outcome when it would otherwise come too late. Runs are
//! reproducible: run `i` draws from a generator seeded with `(seed, i)`.

use crate::calendar::Calendar;
use crate::exec::{Event, History, dependents, replay, undo_from};
use chrono::NaiveDate;
use cpts_lang::model::{Cond, Model, NodeId};
use cpts_lang::syntax::NodeKind;

/// How to simulate.
#[derive(Clone, Debug)]
pub struct Options {
    /// Number of runs.
    pub runs: usize,
    /// Seed of the random draws.
    pub seed: u64,
    /// Stop each run when this node is done.
    pub until: Option<NodeId>,
    /// Decisions whose outcome is assumed, not drawn.
    pub assume: Vec<(NodeId, usize)>,
    /// For decisions without probabilities: the chance of each rework (looping outcomes share
    /// it; forward outcomes share the rest). A stated assumption, shown with the results.
    pub rework_probability: f64,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            runs: 1000,
            seed: 0,
            until: None,
            assume: Vec::new(),
            rework_probability: 0.1,
        }
    }
}

/// Dates at the 10th, 50th and 90th percentiles.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Percentiles {
    /// P10.
    pub p10: NaiveDate,
    /// P50 (median).
    pub p50: NaiveDate,
    /// P90.
    pub p90: NaiveDate,
}

/// A node's forecast.
#[derive(Clone, Debug)]
pub struct NodeForecast {
    /// The node.
    pub node: NodeId,
    /// Share of runs in which it is done (1 for nodes already done).
    pub reached: f64,
    /// When it is done, over the runs that reach it.
    pub dates: Option<Percentiles>,
    /// Share of runs in which it lies on the critical path.
    pub criticality: f64,
}

/// A deadline's forecast.
#[derive(Clone, Debug)]
pub struct DeadlineForecast {
    /// The constrained node.
    pub node: NodeId,
    /// Index in its deadlines.
    pub index: usize,
    /// Share of runs (where its anchor happens) in which it is missed.
    pub missed: f64,
    /// When it falls, over the runs where its anchor happens.
    pub due: Option<Percentiles>,
}

/// The result of a simulation.
#[derive(Clone, Debug)]
pub struct Forecast {
    /// Runs made.
    pub runs: usize,
    /// The date runs start from.
    pub today: NaiveDate,
    /// Per model node.
    pub nodes: Vec<NodeForecast>,
    /// Per deadline.
    pub deadlines: Vec<DeadlineForecast>,
    /// Share of runs that complete the workflow (or reach `until`).
    pub completed: f64,
    /// When, over the runs that do.
    pub completion: Option<Percentiles>,
    /// The chain of steps that set the completion date in the median run.
    pub critical_path: Vec<NodeId>,
}

/// A small, fast, well-distributed generator (SplitMix64): results do not depend on a crate's
/// version or the platform.
struct Rng(u64);

impl Rng {
    fn new(seed: u64, run: u64) -> Rng {
        let mut r = Rng(seed ^ run.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        r.next();
        r
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// Uniform in `lo..=hi`.
    fn between(&mut self, lo: u32, hi: u32) -> u32 {
        lo + (self.next() % u64::from(hi - lo + 1)) as u32
    }
}

/// One run's outcome: done date per node, completion date.
struct RunResult {
    dates: Vec<Option<NaiveDate>>,
    completed: Option<NaiveDate>,
    critical: Vec<NodeId>,
}

/// Simulates `options.runs` runs from the project's state on `today`. `progress` is called with
/// the number of runs done, from time to time.
pub fn simulate(
    model: &Model,
    events: &[Event],
    today: NaiveDate,
    calendar: &Calendar,
    options: &Options,
    progress: &mut dyn FnMut(usize),
) -> Forecast {
    let start = replay(model, events, today, calendar);
    simulate_from(model, &start, today, calendar, options, progress)
}

/// [`simulate`] from a journal already folded up to `today` (an [`crate::Execution`]'s
/// history).
pub fn simulate_from(
    model: &Model,
    start: &History,
    today: NaiveDate,
    calendar: &Calendar,
    options: &Options,
    progress: &mut dyn FnMut(usize),
) -> Forecast {
    let dependents = dependents(model);
    let weights = outcome_weights(model, options);
    let mut results = Vec::with_capacity(options.runs);
    for run in 0..options.runs {
        let mut rng = Rng::new(options.seed, run as u64);
        results.push(one_run(
            model,
            start,
            today,
            calendar,
            options,
            &weights,
            &dependents,
            &mut rng,
        ));
        if run % 64 == 63 {
            progress(run + 1);
        }
    }
    progress(options.runs);
    summarise(model, today, calendar, options, &results)
}

/// Per decision and outcome: the probability used for the draw.
fn outcome_weights(model: &Model, options: &Options) -> Vec<Vec<f64>> {
    model
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| {
            if let Some(&(_, o)) = options.assume.iter().find(|(d, _)| *d == i) {
                return (0..n.outcomes.len())
                    .map(|k| if k == o { 1.0 } else { 0.0 })
                    .collect();
            }
            if n.outcomes.iter().all(|o| o.probability.is_some()) {
                return n
                    .outcomes
                    .iter()
                    .map(|o| o.probability.unwrap_or(0.0))
                    .collect();
            }
            let looping = n.outcomes.iter().filter(|o| o.route.is_some()).count();
            let forward = n.outcomes.len() - looping;
            let rework = if forward == 0 {
                1.0
            } else if looping == 0 {
                0.0
            } else {
                options.rework_probability
            };
            n.outcomes
                .iter()
                .map(|o| {
                    if o.route.is_some() {
                        rework / looping as f64
                    } else {
                        (1.0 - rework) / forward.max(1) as f64
                    }
                })
                .collect()
        })
        .collect()
}

/// When `cond` became true, from done dates (the latest of an all-of, the earliest of an any-of).
fn ready_at(cond: &Cond, h: &History) -> Option<NaiveDate> {
    match cond {
        Cond::Done(n) => h.records[*n].done.then_some(h.records[*n].date).flatten(),
        Cond::Outcome(d, o) => (h.records[*d].done && h.records[*d].outcome == Some(*o))
            .then_some(h.records[*d].date)
            .flatten(),
        Cond::All(cs) => cs
            .iter()
            .map(|c| ready_at(c, h))
            .try_fold(None::<NaiveDate>, |acc, t| {
                t.map(|t| Some(acc.map_or(t, |a| a.max(t))))
            })
            .flatten(),
        Cond::Any(cs) => cs.iter().filter_map(|c| ready_at(c, h)).min(),
    }
}

#[allow(clippy::too_many_arguments)]
fn one_run(
    model: &Model,
    start: &History,
    today: NaiveDate,
    calendar: &Calendar,
    options: &Options,
    weights: &[Vec<f64>],
    dependents: &[Vec<NodeId>],
    rng: &mut Rng,
) -> RunResult {
    let mut h = start.clone();
    let n = model.nodes.len();
    // What each enabled node will do: (end date, outcome).
    let mut planned: Vec<Option<(NaiveDate, Option<usize>)>> = vec![None; n];
    let mut critical_from: Vec<Option<NodeId>> = vec![None; n];
    let mut completed = None;
    let budget = 60 * n + 100;
    for _ in 0..budget {
        for v in 0..n {
            if h.records[v].done || planned[v].is_some() {
                continue;
            }
            let ready = match &model.nodes[v].after {
                None => Some(today),
                Some(c) => ready_at(c, &h),
            };
            let Some(ready) = ready else { continue };
            // Time already spent counts: a step pending since before today ends at the end of its
            // drawn duration from when it became possible, but not before today.
            let begin = ready;
            let node = &model.nodes[v];
            let mut end = match &node.typical {
                Some(t) => calendar.add(
                    begin,
                    i64::from(rng.between(t.min.min(t.max), t.max)),
                    t.unit,
                ),
                None => begin,
            };
            end = end.max(today);
            let mut outcome = None;
            if node.kind == NodeKind::Decision {
                let draw = rng.unit();
                let mut acc = 0.0;
                let mut chosen = node.outcomes.len().saturating_sub(1);
                for (k, w) in weights[v].iter().enumerate() {
                    acc += w;
                    if draw < acc {
                        chosen = k;
                        break;
                    }
                }
                outcome = Some(chosen);
                // A deadline with an effect on expiry decides if the answer would come later.
                for d in &node.deadlines {
                    if let (Some(o), Some(anchor)) = (d.on_expiry, h.records[d.anchor.node].date) {
                        let due = calendar.add(anchor, i64::from(d.amount), d.unit);
                        if end > due {
                            end = due.max(begin);
                            outcome = Some(o);
                        }
                    }
                }
            }
            critical_from[v] = node.after.as_ref().and_then(|c| latest(c, &h));
            planned[v] = Some((end, outcome));
        }
        let next = (0..n)
            .filter_map(|v| planned[v].map(|(end, _)| (end, v)))
            .min();
        let Some((end, v)) = next else { break };
        let (_, outcome) = planned[v].take().unwrap_or((end, None));
        let route = outcome.and_then(|o| model.nodes[v].outcomes[o].route);
        let r = &mut h.records[v];
        r.passages += 1;
        r.date = Some(end);
        r.outcome = outcome;
        r.done = route.is_none();
        if let Some(target) = route {
            undo_from(target, dependents, |x| {
                h.records[x].done = false;
                planned[x] = None;
            });
        }
        let finished = match options.until {
            Some(u) => h.records[u].done,
            None => match &model.end {
                Some(e) => h.holds(e),
                None => crate::graph::sinks(model)
                    .iter()
                    .all(|&s| h.records[s].done || model.nodes[s].optional),
            },
        };
        if finished {
            completed = Some(end);
            break;
        }
    }
    // The critical chain: from the last node done, back through the prerequisite that came last.
    let mut critical = Vec::new();
    if completed.is_some() {
        let mut v = (0..n)
            .filter(|&v| h.records[v].done)
            .max_by_key(|&v| (h.records[v].date, v));
        while let Some(x) = v {
            if critical.contains(&x) {
                break;
            }
            critical.push(x);
            v = critical_from[x];
        }
        critical.reverse();
    }
    let dates = h
        .records
        .iter()
        .map(|r| if r.done { r.date } else { None })
        .collect();
    RunResult {
        dates,
        completed,
        critical,
    }
}

/// The prerequisite of `cond` that was done last (for an any-of: the one done first).
fn latest(cond: &Cond, h: &History) -> Option<NodeId> {
    match cond {
        Cond::Done(n) | Cond::Outcome(n, _) => Some(*n),
        Cond::All(cs) => cs
            .iter()
            .filter_map(|c| latest(c, h))
            .max_by_key(|&x| (h.records[x].date, x)),
        Cond::Any(cs) => cs
            .iter()
            .filter_map(|c| latest(c, h))
            .filter(|&x| h.records[x].done)
            .min_by_key(|&x| (h.records[x].date, x)),
    }
}

fn percentiles(mut dates: Vec<NaiveDate>) -> Option<Percentiles> {
    if dates.is_empty() {
        return None;
    }
    dates.sort_unstable();
    let at = |q: f64| dates[((dates.len() - 1) as f64 * q).round() as usize];
    Some(Percentiles {
        p10: at(0.1),
        p50: at(0.5),
        p90: at(0.9),
    })
}

fn summarise(
    model: &Model,
    today: NaiveDate,
    calendar: &Calendar,
    options: &Options,
    results: &[RunResult],
) -> Forecast {
    let runs = results.len().max(1) as f64;
    let mut critical_count = vec![0usize; model.nodes.len()];
    for r in results {
        for &v in &r.critical {
            critical_count[v] += 1;
        }
    }
    let nodes = (0..model.nodes.len())
        .map(|v| {
            let dates: Vec<NaiveDate> = results.iter().filter_map(|r| r.dates[v]).collect();
            NodeForecast {
                node: v,
                reached: dates.len() as f64 / runs,
                dates: percentiles(dates),
                criticality: critical_count[v] as f64 / runs,
            }
        })
        .collect();
    let mut deadlines = Vec::new();
    for (v, node) in model.nodes.iter().enumerate() {
        for (i, d) in node.deadlines.iter().enumerate() {
            let mut dues = Vec::new();
            let mut missed = 0usize;
            let mut counted = 0usize;
            for r in results {
                let Some(anchor) = r.dates[d.anchor.node] else {
                    continue;
                };
                let due = calendar.add(anchor, i64::from(d.amount), d.unit);
                dues.push(due);
                // Not done in a run that completed: another branch, not a miss. Beyond `until`:
                // not known. Not done in a run that got stuck: missed.
                let late = match r.dates[v] {
                    Some(done) => Some(done > due),
                    None if r.completed.is_some() || options.until.is_some() => None,
                    None => Some(true),
                };
                if let Some(late) = late {
                    counted += 1;
                    missed += usize::from(late);
                }
            }
            deadlines.push(DeadlineForecast {
                node: v,
                index: i,
                missed: if counted == 0 {
                    0.0
                } else {
                    missed as f64 / counted as f64
                },
                due: percentiles(dues),
            });
        }
    }
    let completions: Vec<NaiveDate> = results.iter().filter_map(|r| r.completed).collect();
    let completed = completions.len() as f64 / runs;
    let completion = percentiles(completions);
    // The median run's critical path.
    let critical_path = completion
        .and_then(|c| {
            results
                .iter()
                .filter(|r| r.completed.is_some())
                .min_by_key(|r| (r.completed.unwrap_or(c.p50) - c.p50).num_days().abs())
        })
        .map(|r| r.critical.clone())
        .unwrap_or_default();
    Forecast {
        runs: results.len(),
        today,
        nodes,
        deadlines,
        completed,
        completion,
        critical_path,
    }
}
