//! Execution: a project's state is its journal folded over the model. Events are applied in
//! order; a looping outcome undoes its target and everything after it; a decision whose deadline
//! has an effect on expiry takes that outcome by itself when the clock passes the deadline (two
//! months of ARS silence validate the projet de santé). Then every node gets a state and every
//! rule a verdict, with the reason when it is false.

use crate::calendar::Calendar;
use crate::coverage::Coverage;
use crate::eval::{Env, EvalError, Explanation, Journal};
use crate::value::Value;
use chrono::NaiveDate;
use cpts_diag::{Diagnostic, Span, codes};
use cpts_lang::model::{Cond, Model, NodeId, Origin};
use cpts_lang::syntax::{NodeKind, RuleSeverity};
use std::collections::BTreeMap;

/// One journal entry, resolved against the model.
#[derive(Clone, Debug)]
pub struct Event {
    /// The step or decision.
    pub node: NodeId,
    /// The outcome taken (decisions).
    pub outcome: Option<usize>,
    /// When.
    pub date: NaiveDate,
    /// Who did it.
    pub actor: Option<String>,
    /// A reference to the evidence.
    pub evidence: Option<String>,
    /// Free text.
    pub note: Option<String>,
    /// Where the entry is in the project file.
    pub span: Span,
}

/// What happened to a node.
#[derive(Clone, Debug, Default)]
pub struct Record {
    /// Done (for a decision: a forward outcome taken) and not undone by a rework.
    pub done: bool,
    /// Date of the last time it was done.
    pub date: Option<NaiveDate>,
    /// Outcome of the last time (decisions).
    pub outcome: Option<usize>,
    /// True when the outcome was taken by a deadline's expiry, not by an entry.
    pub by_expiry: bool,
    /// How many times it was done (rework counts).
    pub passages: u32,
}

/// The journal folded over the model.
#[derive(Clone, Debug)]
pub struct History {
    /// Per model node.
    pub records: Vec<Record>,
    /// Outcomes taken by expiry: (decision, outcome, date).
    pub expired: Vec<(NodeId, usize, NaiveDate)>,
    /// Entries that do not fit the workflow (recorded anyway: the journal is what happened).
    pub problems: Vec<Diagnostic>,
}

impl Journal for History {
    fn done(&self, node: NodeId) -> bool {
        self.records[node].done
    }
    fn date_of(&self, node: NodeId) -> Option<NaiveDate> {
        // A step a rework sent back is not done: the date it was done before is history, not
        // its date (a projet re-sent after an opposition is judged on the day it is re-sent).
        let r = &self.records[node];
        r.date.filter(|_| r.done)
    }
}

impl History {
    /// Whether `cond` holds now.
    pub fn holds(&self, cond: &Cond) -> bool {
        match cond {
            Cond::Done(n) => self.records[*n].done,
            Cond::Outcome(d, o) => self.records[*d].done && self.records[*d].outcome == Some(*o),
            Cond::All(cs) => cs.iter().all(|c| self.holds(c)),
            Cond::Any(cs) => cs.iter().any(|c| self.holds(c)),
        }
    }

    /// Whether `cond` can still hold, given the outcomes already taken.
    pub fn possible(&self, model: &Model, cond: &Cond) -> bool {
        match cond {
            Cond::Done(n) => {
                self.records[*n].done
                    || model.nodes[*n]
                        .after
                        .as_ref()
                        .is_none_or(|c| self.possible(model, c))
            }
            Cond::Outcome(d, o) => match self.records[*d].outcome {
                Some(taken) if self.records[*d].done => taken == *o,
                _ => model.nodes[*d]
                    .after
                    .as_ref()
                    .is_none_or(|c| self.possible(model, c)),
            },
            Cond::All(cs) => cs.iter().all(|c| self.possible(model, c)),
            Cond::Any(cs) => cs.iter().any(|c| self.possible(model, c)),
        }
    }
}

/// Folds `events` (in journal order) over `model`, up to `today`.
pub fn replay(model: &Model, events: &[Event], today: NaiveDate, calendar: &Calendar) -> History {
    let mut h = History {
        records: vec![Record::default(); model.nodes.len()],
        expired: Vec::new(),
        problems: Vec::new(),
    };
    let dependents = dependents(model);
    for event in events {
        expire(model, &mut h, event.date, calendar, &dependents);
        let node = &model.nodes[event.node];
        if let Some(after) = &node.after
            && !h.holds(after)
        {
            h.problems.push(
                Diagnostic::new(
                    &codes::JOURNAL_ORDER,
                    format!(
                        "`{}` is recorded on {} before what it waits for",
                        node.name, event.date
                    ),
                )
                .at_with(event.span, "recorded here")
                .step(node.name.clone())
                .label(node.span, "its prerequisites")
                .help(
                    "record the earlier steps first (with their dates), or check the step's name",
                ),
            );
        }
        apply(
            model,
            &mut h,
            event.node,
            event.outcome,
            event.date,
            false,
            &dependents,
        );
    }
    expire(model, &mut h, today, calendar, &dependents);
    h
}

/// Per node, the nodes whose condition mentions it.
pub(crate) fn dependents(model: &Model) -> Vec<Vec<NodeId>> {
    let mut out = vec![Vec::new(); model.nodes.len()];
    for (i, n) in model.nodes.iter().enumerate() {
        let mut deps = Vec::new();
        if let Some(after) = &n.after {
            after.nodes(&mut deps);
        }
        for d in deps {
            out[d].push(i);
        }
    }
    out
}

fn apply(
    model: &Model,
    h: &mut History,
    node: NodeId,
    outcome: Option<usize>,
    date: NaiveDate,
    by_expiry: bool,
    dependents: &[Vec<NodeId>],
) {
    let route = outcome
        .and_then(|o| model.nodes[node].outcomes.get(o))
        .and_then(|o| o.route);
    let r = &mut h.records[node];
    r.passages += 1;
    r.date = Some(date);
    r.outcome = outcome;
    r.by_expiry = by_expiry;
    r.done = route.is_none();
    if let Some(target) = route {
        // Rework: the target and everything after it must be done again.
        undo_from(target, dependents, |v| h.records[v].done = false);
    }
}

/// Calls `undo` on `target` and every node after it (a rework sends the project back there).
pub(crate) fn undo_from(target: NodeId, dependents: &[Vec<NodeId>], mut undo: impl FnMut(NodeId)) {
    let mut stack = vec![target];
    let mut seen = vec![false; dependents.len()];
    while let Some(v) = stack.pop() {
        if std::mem::replace(&mut seen[v], true) {
            continue;
        }
        undo(v);
        stack.extend(dependents[v].iter().copied());
    }
}

/// Decisions whose deadline with an effect on expiry passed before `until` take that outcome.
fn expire(
    model: &Model,
    h: &mut History,
    until: NaiveDate,
    calendar: &Calendar,
    dependents: &[Vec<NodeId>],
) {
    loop {
        let mut next: Option<(NaiveDate, NodeId, usize)> = None;
        for (i, node) in model.nodes.iter().enumerate() {
            if node.kind != NodeKind::Decision
                || h.records[i].done
                || !node.after.as_ref().is_none_or(|c| h.holds(c))
            {
                continue;
            }
            for d in &node.deadlines {
                let (Some(o), Some(anchor)) = (d.on_expiry, h.records[d.anchor.node].date) else {
                    continue;
                };
                // Counted from the last time the anchor happened; a newer decision date means it was
                // already decided after it.
                if h.records[i].date.is_some_and(|last| last >= anchor) {
                    continue;
                }
                let at = calendar.add(anchor, i64::from(d.amount), d.unit);
                if at < until && next.is_none_or(|(best, _, _)| at < best) {
                    next = Some((at, i, o));
                }
            }
        }
        let Some((at, node, outcome)) = next else {
            return;
        };
        h.expired.push((node, outcome, at));
        apply(model, h, node, Some(outcome), at, true, dependents);
    }
}

/// Where a node stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum State {
    /// Done (not undone by a rework).
    Done,
    /// Can be done now: prerequisites met, rules hold.
    Enabled,
    /// Prerequisites met, but one of its rules at error level is false.
    Blocked,
    /// Waits for prerequisites.
    Waiting,
    /// Not done, and one of its deadlines has passed.
    Overdue,
    /// Can no longer happen given the outcomes taken (another branch).
    NotApplicable,
}

impl State {
    /// Its name in JSON output and scenario files: `done`, `enabled`, `blocked`, `waiting`,
    /// `overdue`, `not-applicable`.
    pub fn name(&self) -> &'static str {
        match self {
            State::Done => "done",
            State::Enabled => "enabled",
            State::Blocked => "blocked",
            State::Waiting => "waiting",
            State::Overdue => "overdue",
            State::NotApplicable => "not-applicable",
        }
    }
}

/// A rule's verdict.
#[derive(Clone, Debug)]
pub struct RuleVerdict {
    /// The rule's id.
    pub name: String,
    /// Severity.
    pub severity: RuleSeverity,
    /// The French message.
    pub message: String,
    /// Its source.
    pub source: Option<String>,
    /// Where the rule is.
    pub span: Span,
    /// Regional or national.
    pub origin: Origin,
    /// `Ok(None)`: holds; `Ok(Some(why))`: false, and why; `Err`: could not be evaluated.
    pub result: Result<Option<Explanation>, EvalError>,
}

/// A deadline of a node, dated.
#[derive(Clone, Debug)]
pub struct DeadlineStatus {
    /// The deadline's name.
    pub name: Option<String>,
    /// When it falls.
    pub due: NaiveDate,
    /// Its source.
    pub source: Option<String>,
    /// The outcome it takes on expiry.
    pub on_expiry: Option<String>,
    /// Whether the node was done by then (`None`: not done yet).
    pub met: Option<bool>,
}

/// One node's status.
#[derive(Clone, Debug)]
pub struct NodeStatus {
    /// The node.
    pub node: NodeId,
    /// Where it stands.
    pub state: State,
    /// Prerequisites not yet met, as `step` or `decision.outcome`.
    pub waiting_for: Vec<String>,
    /// Its rules' verdicts (evaluated when its prerequisites are met).
    pub rules: Vec<RuleVerdict>,
    /// Its deadlines whose anchor happened.
    pub deadlines: Vec<DeadlineStatus>,
}

/// A project's status.
#[derive(Clone, Debug)]
pub struct Status {
    /// The date it is computed for.
    pub today: NaiveDate,
    /// The folded journal.
    pub history: History,
    /// Every node.
    pub nodes: Vec<NodeStatus>,
    /// Workflow-level rules.
    pub rules: Vec<RuleVerdict>,
    /// Computed values and parameters: name, value or why not.
    pub values: Vec<(String, Result<Value, EvalError>)>,
    /// Whether the end holds.
    pub complete: bool,
}

/// Computes a project's status on `today`.
pub fn status(
    model: &Model,
    facts: &BTreeMap<String, Value>,
    events: &[Event],
    today: NaiveDate,
    calendar: Calendar,
    plugins: &dyn crate::plugins::Plugins,
) -> Status {
    status_in(model, facts, events, today, calendar, plugins, None)
}

/// [`status`], recording in `coverage` what each rule's conditions evaluated to.
pub fn status_covered(
    model: &Model,
    facts: &BTreeMap<String, Value>,
    events: &[Event],
    today: NaiveDate,
    calendar: Calendar,
    plugins: &dyn crate::plugins::Plugins,
    coverage: &Coverage,
) -> Status {
    status_in(
        model,
        facts,
        events,
        today,
        calendar,
        plugins,
        Some(coverage),
    )
}

fn status_in(
    model: &Model,
    facts: &BTreeMap<String, Value>,
    events: &[Event],
    today: NaiveDate,
    calendar: Calendar,
    plugins: &dyn crate::plugins::Plugins,
    coverage: Option<&Coverage>,
) -> Status {
    let history = replay(model, events, today, &calendar);
    let mut env = Env::new(model, facts, &history, today, calendar).with_plugins(plugins);
    if let Some(coverage) = coverage {
        env = env.with_coverage(coverage);
    }
    let mut nodes = Vec::with_capacity(model.nodes.len());
    for (i, node) in model.nodes.iter().enumerate() {
        let record = &history.records[i];
        let ready = node.after.as_ref().is_none_or(|c| history.holds(c));
        let rules: Vec<RuleVerdict> = if ready && !record.done {
            let rules = node.rules.iter().map(|r| verdict(&env, r));
            rules
                .chain(node.checks.iter().flat_map(|c| check(&env, c)))
                .collect()
        } else {
            Vec::new()
        };
        let deadlines = deadlines(&env, &history, i);
        let overdue = !record.done && deadlines.iter().any(|d| d.due < today);
        let blocked = rules
            .iter()
            .any(|r| r.severity == RuleSeverity::Error && !matches!(r.result, Ok(None)));
        let state = if record.done {
            State::Done
        } else if !node
            .after
            .as_ref()
            .is_none_or(|c| history.possible(model, c))
        {
            State::NotApplicable
        } else if overdue {
            State::Overdue
        } else if !ready {
            State::Waiting
        } else if blocked {
            State::Blocked
        } else {
            State::Enabled
        };
        let waiting_for = match (&node.after, &state) {
            (Some(c), State::Waiting | State::Overdue) => missing(model, &history, c),
            _ => Vec::new(),
        };
        nodes.push(NodeStatus {
            node: i,
            state,
            waiting_for,
            rules,
            deadlines,
        });
    }
    let rules = model.rules.iter().map(|r| verdict(&env, r));
    let rules = rules
        .chain(model.checks.iter().flat_map(|c| check(&env, c)))
        .collect();
    let mut values: Vec<(String, Result<Value, EvalError>)> = Vec::new();
    for v in &model.values {
        values.push((
            v.name.clone(),
            env.named(&v.name).unwrap_or(Ok(Value::None)),
        ));
    }
    let complete = match &model.end {
        Some(end) => history.holds(end),
        None => crate::graph::sinks(model)
            .iter()
            .all(|&s| history.records[s].done || model.nodes[s].optional),
    };
    Status {
        today,
        history,
        nodes,
        rules,
        values,
        complete,
    }
}

/// A `check`'s verdicts: one per finding of the validation function, with the plugin's code,
/// severity and message; one that holds when there is none; an error when the call failed.
fn check(env: &Env, check: &cpts_lang::model::Check) -> Vec<RuleVerdict> {
    let verdict = |severity, message: String, result| RuleVerdict {
        name: check.name.clone(),
        severity,
        message,
        source: check.source.clone(),
        span: check.span,
        origin: check.origin.clone(),
        result,
    };
    match env.validate(&check.call) {
        Err(e) => vec![verdict(
            RuleSeverity::Error,
            format!("Le contrôle `{}` n'a pas pu être fait", check.name),
            Err(e),
        )],
        Ok(findings) => {
            env.record(check.call.span, findings.is_empty());
            if findings.is_empty() {
                return vec![verdict(
                    RuleSeverity::Info,
                    format!("Le contrôle `{}` ne relève rien", check.name),
                    Ok(None),
                )];
            }
            findings
                .into_iter()
                .map(|f| {
                    let severity = match f.severity {
                        cpts_diag::Severity::Error => RuleSeverity::Error,
                        cpts_diag::Severity::Warning => RuleSeverity::Warning,
                        cpts_diag::Severity::Info => RuleSeverity::Info,
                    };
                    let why = Explanation {
                        span: check.call.span,
                        values: Vec::new(),
                    };
                    verdict(
                        severity,
                        format!("{} ({})", f.message, f.code),
                        Ok(Some(why)),
                    )
                })
                .collect()
        }
    }
}

fn verdict(env: &Env, rule: &cpts_lang::model::Rule) -> RuleVerdict {
    let result = match env.holds(&rule.expect) {
        Ok(true) => Ok(None),
        Ok(false) => Ok(Some(env.explain(&rule.expect))),
        Err(e) => Err(e),
    };
    RuleVerdict {
        name: rule.name.clone(),
        severity: rule.severity,
        message: rule.message.clone(),
        source: rule.source.clone(),
        span: rule.span,
        origin: rule.origin.clone(),
        result,
    }
}

fn deadlines(env: &Env, history: &History, v: NodeId) -> Vec<DeadlineStatus> {
    let node = &env.model().nodes[v];
    let record = &history.records[v];
    node.deadlines
        .iter()
        .filter_map(|d| {
            let anchor = &history.records[d.anchor.node];
            // Only an anchor that stands: a step a rework sent back starts no deadline until it
            // is done again (an outcome that itself loops back stands once taken).
            let stands = match d.anchor.outcome {
                None => anchor.done,
                Some(o) => {
                    anchor.outcome == Some(o)
                        && (anchor.done
                            || env.model().nodes[d.anchor.node].outcomes[o].route.is_some())
                }
            };
            if !stands {
                return None;
            }
            let due = env.add(anchor.date?, d.amount, d.unit);
            Some(DeadlineStatus {
                name: d.name.clone(),
                due,
                source: d.source.clone(),
                on_expiry: d.on_expiry.map(|o| node.outcomes[o].name.clone()),
                met: record
                    .done
                    .then(|| record.date.is_some_and(|done| done <= due)),
            })
        })
        .collect()
}

/// The prerequisites of `cond` not met yet (for an any-of, each alternative).
fn missing(model: &Model, h: &History, cond: &Cond) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![cond];
    while let Some(c) = stack.pop() {
        if h.holds(c) {
            continue;
        }
        match c {
            Cond::Done(n) => out.push(model.nodes[*n].name.clone()),
            Cond::Outcome(d, o) => out.push(format!(
                "{}.{}",
                model.nodes[*d].name, model.nodes[*d].outcomes[*o].name
            )),
            Cond::All(cs) | Cond::Any(cs) => stack.extend(cs.iter().rev()),
        }
    }
    out
}
