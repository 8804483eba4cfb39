//! `cpts simulate`: schema `cpts-simulate/1`.

use chrono::NaiveDate;
use cpts_engine::simulate::{Forecast, Options, Percentiles};
use cpts_lang::model::Model;
use schemars::JsonSchema;
use serde::Serialize;

/// The timeline projected over many runs: schema `cpts-simulate/1`.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct SimulateReport {
    /// `cpts-simulate/1`.
    #[schemars(extend("const" = SimulateReport::SCHEMA))]
    pub schema: &'static str,
    /// The project's name.
    pub project: String,
    /// The date the runs start from.
    pub today: NaiveDate,
    /// How many runs.
    pub runs: usize,
    /// The seed of the first run.
    pub seed: u64,
    /// The step the runs stop at (default: the end).
    pub until: Option<String>,
    /// What the simulation assumes.
    pub assumptions: Assumptions,
    /// The share of runs that reached the target, 0 to 1.
    pub completed: f64,
    /// When they reached it.
    pub completion: Option<PercentileDates>,
    /// The critical path from today in the median run.
    pub critical_path: Vec<String>,
    /// Per step.
    pub steps: Vec<StepForecast>,
    /// Per deadline.
    pub deadlines: Vec<DeadlineForecastReport>,
}

/// The 10th, 50th and 90th percentile dates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct PercentileDates {
    /// P10.
    pub p10: NaiveDate,
    /// Median.
    pub p50: NaiveDate,
    /// P90.
    pub p90: NaiveDate,
}

impl From<Percentiles> for PercentileDates {
    fn from(p: Percentiles) -> PercentileDates {
        PercentileDates {
            p10: p.p10,
            p50: p.p50,
            p90: p.p90,
        }
    }
}

/// What the simulation assumes.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct Assumptions {
    /// The chance that a decision without probabilities sends the project back.
    pub rework_probability: f64,
    /// How durations are drawn: `uniform in the typical range`.
    pub durations: &'static str,
    /// Outcomes fixed by `--assume`.
    pub assumed: Vec<Assumed>,
}

/// A decision's outcome fixed for every run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Assumed {
    /// The decision.
    pub decision: String,
    /// Its outcome.
    pub outcome: String,
}

/// One step over the runs.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct StepForecast {
    /// The step.
    pub id: String,
    /// The share of runs that reached it, 0 to 1.
    pub reached: f64,
    /// When.
    pub dates: Option<PercentileDates>,
    /// The share of runs where it was on the critical path.
    pub criticality: f64,
}

/// One deadline over the runs.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct DeadlineForecastReport {
    /// The step it constrains.
    pub step: String,
    /// Its name.
    pub name: Option<String>,
    /// The share of runs that missed it.
    pub missed: f64,
    /// When it fell.
    pub due: Option<PercentileDates>,
    /// Its legal source.
    pub source: Option<String>,
}

impl SimulateReport {
    /// The schema name and version.
    pub const SCHEMA: &'static str = "cpts-simulate/1";

    /// `forecast` of the project `project_name` pinned to `model`, simulated with `options`.
    pub fn new(
        model: &Model,
        project_name: &str,
        forecast: &Forecast,
        options: &Options,
    ) -> SimulateReport {
        let name = |v: usize| model.nodes[v].name.clone();
        SimulateReport {
            schema: SimulateReport::SCHEMA,
            project: project_name.to_owned(),
            today: forecast.today,
            runs: forecast.runs,
            seed: options.seed,
            until: options.until.map(name),
            assumptions: Assumptions {
                rework_probability: options.rework_probability,
                durations: "uniform in the typical range",
                assumed: options
                    .assume
                    .iter()
                    .map(|&(d, o)| Assumed {
                        decision: name(d),
                        outcome: model.nodes[d].outcomes[o].name.clone(),
                    })
                    .collect(),
            },
            completed: forecast.completed,
            completion: forecast.completion.map(Into::into),
            critical_path: forecast.critical_path.iter().map(|&v| name(v)).collect(),
            steps: forecast
                .nodes
                .iter()
                .map(|n| StepForecast {
                    id: name(n.node),
                    reached: n.reached,
                    dates: n.dates.map(Into::into),
                    criticality: n.criticality,
                })
                .collect(),
            deadlines: forecast
                .deadlines
                .iter()
                .map(|d| {
                    let dl = &model.nodes[d.node].deadlines[d.index];
                    DeadlineForecastReport {
                        step: name(d.node),
                        name: dl.name.clone(),
                        missed: d.missed,
                        due: d.due.map(Into::into),
                        source: dl.source.clone(),
                    }
                })
                .collect(),
        }
    }
}
