//! `cpts status` and `cpts next`: schema `cpts-status/2`.

use super::{Finding, ValueSchema, findings};
use chrono::NaiveDate;
use cpts_diag::{Diagnostic, Severity, Sources, codes};
use cpts_engine::{DeadlineStatus, RuleVerdict, State, Status, Value};
use cpts_lang::model::{Model, Origin};
use cpts_lang::syntax::{DataRef, NodeKind, RuleSeverity};
use schemars::JsonSchema;
use serde::Serialize;

/// Where a project stands: schema `cpts-status/2` (`cpts next` writes the same document with
/// fewer findings: see [`StatusReport::next`]).
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct StatusReport {
    /// `cpts-status/2`.
    #[schemars(extend("const" = StatusReport::SCHEMA))]
    pub schema: &'static str,
    /// The project and what it is pinned to.
    pub project: ProjectRef,
    /// The date the status is computed for.
    pub today: NaiveDate,
    /// Whether the workflow's end is reached.
    pub complete: bool,
    /// Every step and decision of the model, in model order.
    pub steps: Vec<StepReport>,
    /// Computed values and parameters.
    pub values: Vec<ValueReport>,
    /// Why not: failing rules of steps (and, for `status`, workflow rules, journal and project
    /// warnings).
    pub findings: Vec<Finding>,
}

/// A project and the workflow, version and region it is pinned to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct ProjectRef {
    /// The project's name.
    pub name: String,
    /// The workflow.
    pub workflow: String,
    /// Its version.
    pub version: String,
    /// The regional overlay, if any.
    pub region: Option<String>,
}

/// Where a step stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum StepState {
    /// Done (not undone by a rework).
    Done,
    /// Can be done now.
    Enabled,
    /// Prerequisites met, a rule at error level fails.
    Blocked,
    /// Waits for prerequisites.
    Waiting,
    /// Not done, a deadline has passed.
    Overdue,
    /// Can no longer happen (another branch was taken).
    NotApplicable,
}

impl From<&State> for StepState {
    fn from(s: &State) -> StepState {
        match s {
            State::Done => StepState::Done,
            State::Enabled => StepState::Enabled,
            State::Blocked => StepState::Blocked,
            State::Waiting => StepState::Waiting,
            State::Overdue => StepState::Overdue,
            State::NotApplicable => StepState::NotApplicable,
        }
    }
}

/// Where a deadline stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum DeadlineState {
    /// The step was done by then.
    Met,
    /// The step was done, after it.
    Missed,
    /// Not done, and the date has passed.
    Overdue,
    /// Not done, the date is still to come.
    Pending,
}

/// One dated deadline of a step.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct DeadlineReport {
    /// Its name.
    pub name: Option<String>,
    /// When it falls.
    pub due: NaiveDate,
    /// Where it stands on `today`.
    pub state: DeadlineState,
    /// The outcome the decision takes by itself when it expires.
    pub on_expiry: Option<String>,
    /// Its legal source.
    pub source: Option<String>,
}

impl DeadlineReport {
    /// `d` as of `today`.
    pub fn new(d: &DeadlineStatus, today: NaiveDate) -> DeadlineReport {
        DeadlineReport {
            name: d.name.clone(),
            due: d.due,
            state: match d.met {
                Some(true) => DeadlineState::Met,
                Some(false) => DeadlineState::Missed,
                None if d.due < today => DeadlineState::Overdue,
                None => DeadlineState::Pending,
            },
            on_expiry: d.on_expiry.clone(),
            source: d.source.clone(),
        }
    }
}

/// What a step needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Needs {
    /// Documents (`document projet_sante`) and facts (`territoire.population`) it requires.
    pub requires: Vec<String>,
    /// Who does it.
    pub actors: Vec<String>,
}

/// `step` or `decision`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum StepKind {
    /// A step.
    Step,
    /// A decision.
    Decision,
}

/// One step or decision.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct StepReport {
    /// Its id.
    pub id: String,
    /// Its French label.
    pub label: String,
    /// Step or decision.
    pub kind: StepKind,
    /// Where it stands.
    pub state: StepState,
    /// When it was last done.
    pub date: Option<NaiveDate>,
    /// The outcome last taken (decisions).
    pub outcome: Option<String>,
    /// Whether that outcome was taken by a deadline's expiry.
    pub by_expiry: bool,
    /// How many times it was done (rework counts).
    pub passages: u32,
    /// Prerequisites not met yet (`step` or `decision.outcome`).
    pub waiting_for: Vec<String>,
    /// What it needs.
    pub needs: Needs,
    /// Its deadlines whose anchor happened.
    pub deadlines: Vec<DeadlineReport>,
    /// Its rules that do not hold (false or not evaluable).
    pub failing_rules: Vec<String>,
}

/// A computed value or parameter.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct ValueReport {
    /// Its id.
    pub id: String,
    /// Its label.
    pub label: Option<String>,
    /// The value as data (`null` when absent or not computable: see `error`).
    #[schemars(with = "Option<ValueSchema>")]
    pub value: Option<Value>,
    /// Why it cannot be computed.
    pub error: Option<String>,
    /// Its source.
    pub source: Option<String>,
}

impl StatusReport {
    /// The schema name and version.
    pub const SCHEMA: &'static str = "cpts-status/2";

    /// What `cpts status` reports: `status` of the project `project_name` pinned to `model`,
    /// with every failing rule (of steps and of the workflow), journal problems, and `extra`
    /// (the warnings met while reading the project).
    pub fn new(
        model: &Model,
        project_name: &str,
        status: &Status,
        sources: &Sources,
        extra: &[Diagnostic],
    ) -> StatusReport {
        let why = why_not(model, status, false, extra);
        StatusReport::with_findings(model, project_name, status, findings(sources, &why))
    }

    /// What `cpts next` reports: as [`StatusReport::new`], with only the failing rules of steps
    /// as findings.
    pub fn next(
        model: &Model,
        project_name: &str,
        status: &Status,
        sources: &Sources,
    ) -> StatusReport {
        let why = why_not(model, status, true, &[]);
        StatusReport::with_findings(model, project_name, status, findings(sources, &why))
    }

    fn with_findings(
        model: &Model,
        project_name: &str,
        status: &Status,
        findings: Vec<Finding>,
    ) -> StatusReport {
        let steps = status
            .nodes
            .iter()
            .map(|n| {
                let node = &model.nodes[n.node];
                let record = &status.history.records[n.node];
                StepReport {
                    id: node.name.clone(),
                    label: node.label.clone(),
                    kind: match node.kind {
                        NodeKind::Decision => StepKind::Decision,
                        _ => StepKind::Step,
                    },
                    state: (&n.state).into(),
                    date: record.date,
                    outcome: record
                        .outcome
                        .and_then(|o| node.outcomes.get(o))
                        .map(|o| o.name.clone()),
                    by_expiry: record.by_expiry,
                    passages: record.passages,
                    waiting_for: n.waiting_for.clone(),
                    needs: Needs {
                        requires: node.requires.iter().map(data_ref).collect(),
                        actors: node.actors.clone(),
                    },
                    deadlines: n
                        .deadlines
                        .iter()
                        .map(|d| DeadlineReport::new(d, status.today))
                        .collect(),
                    failing_rules: n
                        .rules
                        .iter()
                        .filter(|r| !matches!(r.result, Ok(None)))
                        .map(|r| r.name.clone())
                        .collect(),
                }
            })
            .collect();
        let values = status
            .values
            .iter()
            .map(|(name, v)| {
                let decl = model.values.iter().find(|x| &x.name == name);
                ValueReport {
                    id: name.clone(),
                    label: decl.and_then(|d| d.label.clone()),
                    value: v.as_ref().ok().cloned(),
                    error: v.as_ref().err().map(|e| e.message.clone()),
                    source: decl.and_then(|d| d.source.clone()),
                }
            })
            .collect();
        StatusReport {
            schema: StatusReport::SCHEMA,
            project: ProjectRef {
                name: project_name.to_owned(),
                workflow: model.workflow.clone(),
                version: model.version.clone(),
                region: model.region.as_ref().map(|(n, _)| n.clone()),
            },
            today: status.today,
            complete: status.complete,
            steps,
            values,
            findings,
        }
    }
}

/// A required document or fact as written: `document projet_sante`, `territoire.population`.
pub(crate) fn data_ref(r: &DataRef) -> String {
    match r {
        DataRef::Document(d) => format!("document {}", d.name),
        DataRef::Fact(path) => path
            .iter()
            .map(|i| i.name.as_str())
            .collect::<Vec<_>>()
            .join("."),
    }
}

/// Diagnostics explaining each failing rule of a step (each names its `rule`, `step` and
/// `source`) and, unless `short` (`cpts next`), each failing workflow rule, the journal's
/// problems and `extra`.
pub fn why_not(
    model: &Model,
    status: &Status,
    short: bool,
    extra: &[Diagnostic],
) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = Vec::new();
    for n in &status.nodes {
        for r in &n.rules {
            out.extend(rule_diagnostic(r, Some(&model.nodes[n.node].name)));
        }
    }
    if !short {
        out.extend(status.rules.iter().filter_map(|r| rule_diagnostic(r, None)));
        out.extend(status.history.problems.iter().cloned());
        out.extend(extra.iter().cloned());
    }
    out
}

/// The diagnostic of a rule that does not hold (`None` when it holds).
/// The finding of a rule that does not hold (or cannot be evaluated), `None` when it holds.
pub(crate) fn rule_diagnostic(r: &RuleVerdict, step: Option<&str>) -> Option<Diagnostic> {
    let severity = match r.severity {
        RuleSeverity::Error => Severity::Error,
        RuleSeverity::Warning => Severity::Warning,
        RuleSeverity::Info => Severity::Info,
    };
    let whose = match step {
        Some(s) => format!("rule `{}` of step `{s}`", r.name),
        None => format!("workflow rule `{}`", r.name),
    };
    let mut d = match &r.result {
        Ok(None) => return None,
        Ok(Some(why)) => {
            let mut d =
                Diagnostic::new(&codes::RULE_FAILED, r.message.clone()).at_with(why.span, "false");
            for (span, value) in &why.values {
                d = d.label(*span, value.clone());
            }
            d.severity(severity)
        }
        Err(e) => Diagnostic::new(
            if e.from_plugin {
                &codes::PLUGIN_CALL_FAILED
            } else {
                &codes::RULE_UNEVALUABLE
            },
            format!("{}: cannot be evaluated", r.message),
        )
        .at_with(e.span, e.message.clone())
        .severity(severity),
    };
    d = d.rule(r.name.clone()).note(whose);
    if let Some(step) = step {
        d = d.step(step);
    }
    if let Some(source) = &r.source {
        d = d.source(source.clone()).note(format!("source: {source}"));
    }
    if let Origin::Region(region) = &r.origin {
        d = d.note(format!("regional rule ({region})"));
    }
    Some(d)
}
