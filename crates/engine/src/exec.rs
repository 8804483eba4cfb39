//! Execution: a project's state is its journal folded over the model. Events are applied in
//! order; a looping outcome undoes its target and everything after it; a decision whose deadline
//! has an effect on expiry takes that outcome by itself when the clock passes the deadline (two
//! months of ARS silence validate the projet de santé). Then every node gets a state and every
//! rule a verdict, with the reason when it is false.

use crate::calendar::Calendar;
use crate::compiled::{Ctx, Facts, ItemRef, Program};
use crate::coverage::Coverage;
use crate::eval::{Env, EvalError, Explanation, Journal};
use crate::plugins::PluginFinding;
use crate::value::Value;
use chrono::NaiveDate;
use cpts_diag::{Diagnostic, Span, codes};
use cpts_lang::model::{Check, Cond, Model, NodeId, Origin, Rule};
use cpts_lang::syntax::{NodeKind, RuleSeverity};
use std::cell::OnceCell;
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
    /// Nodes whose record changed since [`History::take_touched`] was last called (an
    /// [`crate::Execution`] updates only what depends on them).
    touched: Vec<NodeId>,
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
    let links = Links::new(model);
    let mut h = History::new(model);
    for event in events {
        h.record(model, event, calendar, &links);
    }
    h.expire_until(model, today, calendar, &links);
    h.take_touched();
    h
}

/// What folding a journal needs to know of a model beyond its nodes, computed once per model.
#[derive(Clone, Debug)]
pub struct Links {
    /// Per node, the nodes whose prerequisite condition mentions it ([`dependents`]).
    pub dependents: Vec<Vec<NodeId>>,
    /// The decisions with a deadline that takes an outcome on expiry, in node order.
    pub expiring: Vec<NodeId>,
}

impl Links {
    /// The links of `model`.
    pub fn new(model: &Model) -> Links {
        Links {
            dependents: dependents(model),
            expiring: (0..model.nodes.len())
                .filter(|&i| {
                    model.nodes[i].kind == NodeKind::Decision
                        && model.nodes[i]
                            .deadlines
                            .iter()
                            .any(|d| d.on_expiry.is_some())
                })
                .collect(),
        }
    }
}

impl History {
    /// The history of a project where nothing happened yet.
    pub fn new(model: &Model) -> History {
        History {
            records: vec![Record::default(); model.nodes.len()],
            expired: Vec::new(),
            problems: Vec::new(),
            touched: Vec::new(),
        }
    }

    /// The nodes whose record changed since the last call (with repeats), emptied.
    pub(crate) fn take_touched(&mut self) -> Vec<NodeId> {
        std::mem::take(&mut self.touched)
    }

    /// Applies one more journal entry: first the deadlines that expired before its date, then
    /// the entry itself. `links` are `model`'s. Costs what the entry changes (and a look at each
    /// decision with an on-expiry deadline), not the journal's length.
    pub fn record(&mut self, model: &Model, event: &Event, calendar: &Calendar, links: &Links) {
        self.expire_until(model, event.date, calendar, links);
        let node = &model.nodes[event.node];
        if let Some(after) = &node.after
            && !self.holds(after)
        {
            self.problems.push(
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
            self,
            event.node,
            event.outcome,
            event.date,
            false,
            &links.dependents,
        );
    }

    /// Decisions whose deadline with an effect on expiry passed before `until` take that outcome.
    pub fn expire_until(
        &mut self,
        model: &Model,
        until: NaiveDate,
        calendar: &Calendar,
        links: &Links,
    ) {
        while let Some((at, node, outcome)) = self.next_expiry(model, until, calendar, links) {
            self.expired.push((node, outcome, at));
            apply(
                model,
                self,
                node,
                Some(outcome),
                at,
                true,
                &links.dependents,
            );
        }
    }

    /// The first outcome a deadline's expiry takes before `until`: (date, decision, outcome).
    pub fn next_expiry(
        &self,
        model: &Model,
        until: NaiveDate,
        calendar: &Calendar,
        links: &Links,
    ) -> Option<(NaiveDate, NodeId, usize)> {
        let mut next: Option<(NaiveDate, NodeId, usize)> = None;
        for &i in &links.expiring {
            let node = &model.nodes[i];
            if self.records[i].done || !node.after.as_ref().is_none_or(|c| self.holds(c)) {
                continue;
            }
            for d in &node.deadlines {
                let (Some(o), Some(anchor)) = (d.on_expiry, self.records[d.anchor.node].date)
                else {
                    continue;
                };
                // Counted from the last time the anchor happened; a newer decision date means it
                // was already decided after it.
                if self.records[i].date.is_some_and(|last| last >= anchor) {
                    continue;
                }
                let at = calendar.add(anchor, i64::from(d.amount), d.unit);
                if at < until && next.is_none_or(|(best, _, _)| at < best) {
                    next = Some((at, i, o));
                }
            }
        }
        next
    }
}

/// Per node, the nodes whose condition mentions it (what a rework sends back with it).
pub fn dependents(model: &Model) -> Vec<Vec<NodeId>> {
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
    h.touched.push(node);
    let r = &mut h.records[node];
    r.passages += 1;
    r.date = Some(date);
    r.outcome = outcome;
    r.by_expiry = by_expiry;
    r.done = route.is_none();
    if let Some(target) = route {
        // Rework: the target and everything after it must be done again.
        undo_from(target, dependents, |v| {
            if std::mem::replace(&mut h.records[v].done, false) {
                h.touched.push(v);
            }
        });
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
    /// The state of a node that is `done` or not, can still happen (`possible`), is past a
    /// deadline (`overdue`), has its prerequisites met (`ready`) and a rule at error level
    /// failing (`blocked`): each condition wins over those after it.
    pub(crate) fn of(
        done: bool,
        possible: bool,
        overdue: bool,
        ready: bool,
        blocked: bool,
    ) -> State {
        if done {
            State::Done
        } else if !possible {
            State::NotApplicable
        } else if overdue {
            State::Overdue
        } else if !ready {
            State::Waiting
        } else if blocked {
            State::Blocked
        } else {
            State::Enabled
        }
    }

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

/// [`status`] by the tree-walking evaluator ([`Env`]): the reference the compiled evaluator is
/// tested against (the oracle of the differential tests), slower. Same arguments as
/// [`status_covered`], the coverage optional.
pub fn status_by_tree_walk(
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
    let judge = Walker { env: &env };
    status_from(model, &history, today, calendar, &judge)
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
    let program = Program::new(model);
    let facts = Facts::new(&program, facts);
    let history = replay(model, events, today, &calendar);
    status_with(
        &program, &facts, &history, today, calendar, plugins, coverage,
    )
}

/// The status of a project whose journal is already folded (`history`, from [`replay`] on
/// `program`'s model), with `program` built once per model and `facts` converted once: node
/// states, rule verdicts (the explanation of a false one by [`Env`]), computed values.
pub fn status_with(
    program: &Program,
    facts: &Facts,
    history: &History,
    today: NaiveDate,
    calendar: Calendar,
    plugins: &dyn crate::plugins::Plugins,
    coverage: Option<&Coverage>,
) -> Status {
    let cx = Ctx::new(program, facts, history, today, calendar, plugins, coverage);
    let judge = Compiled {
        cx: &cx,
        env: OnceCell::new(),
    };
    status_from(program.model(), history, today, calendar, &judge)
}

/// What the status needs from an evaluator.
trait Judge {
    /// `Ok(None)`: the rule holds; `Ok(Some(why))`: false, and why.
    fn rule(&self, rule: &Rule, at: ItemRef) -> Result<Option<Explanation>, EvalError>;
    /// A `check`'s findings.
    fn check(&self, check: &Check, at: ItemRef) -> Result<Vec<PluginFinding>, EvalError>;
    /// Records a check's outcome in the coverage.
    fn record(&self, span: Span, value: bool);
    /// Computed value `i` of the model.
    fn value(&self, i: usize) -> Result<Value, EvalError>;
}

struct Walker<'e, 'a> {
    env: &'e Env<'a>,
}

impl Judge for Walker<'_, '_> {
    fn rule(&self, rule: &Rule, _: ItemRef) -> Result<Option<Explanation>, EvalError> {
        Ok(match self.env.holds(&rule.expect)? {
            true => None,
            false => Some(self.env.explain(&rule.expect)),
        })
    }
    fn check(&self, check: &Check, _: ItemRef) -> Result<Vec<PluginFinding>, EvalError> {
        self.env.validate(&check.call)
    }
    fn record(&self, span: Span, value: bool) {
        self.env.record(span, value);
    }
    fn value(&self, i: usize) -> Result<Value, EvalError> {
        let name = &self.env.model().values[i].name;
        self.env.named(name).unwrap_or(Ok(Value::None))
    }
}

struct Compiled<'c, 'r> {
    cx: &'c Ctx<'r>,
    /// The tree walker, made on the first false rule to explain it.
    env: OnceCell<Env<'r>>,
}

impl Compiled<'_, '_> {
    fn explain(&self, e: &cpts_lang::syntax::Expr) -> Explanation {
        let cx = self.cx;
        let env = self.env.get_or_init(|| {
            Env::new(
                cx.program.model(),
                cx.facts.source(),
                cx.journal,
                cx.today,
                cx.calendar,
            )
            .with_plugins(cx.plugins)
        });
        env.explain(e)
    }
}

impl Judge for Compiled<'_, '_> {
    fn rule(&self, rule: &Rule, at: ItemRef) -> Result<Option<Explanation>, EvalError> {
        let p = self.cx.program;
        let item = match at {
            ItemRef::Workflow(i) => &p.rules[i],
            ItemRef::Node(n, i) => &p.node_rules[n][i],
        };
        Ok(match self.cx.holds(&item.node).map_err(|e| *e)? {
            true => None,
            false => Some(self.explain(&rule.expect)),
        })
    }
    fn check(&self, check: &Check, at: ItemRef) -> Result<Vec<PluginFinding>, EvalError> {
        let p = self.cx.program;
        let item = match at {
            ItemRef::Workflow(i) => &p.checks[i],
            ItemRef::Node(n, i) => &p.node_checks[n][i],
        };
        self.cx
            .validate(&item.call, check.call.span)
            .map_err(|e| *e)
    }
    fn record(&self, span: Span, value: bool) {
        self.cx.record(span, value);
    }
    fn value(&self, i: usize) -> Result<Value, EvalError> {
        let model = self.cx.program.model();
        match self.cx.program.slot(&model.values[i].name) {
            Some(slot) => self.cx.named(slot).map(|v| v.to_value()).map_err(|e| *e),
            None => Ok(Value::None),
        }
    }
}

fn status_from(
    model: &Model,
    history: &History,
    today: NaiveDate,
    calendar: Calendar,
    judge: &dyn Judge,
) -> Status {
    let mut nodes = Vec::with_capacity(model.nodes.len());
    for (i, node) in model.nodes.iter().enumerate() {
        let record = &history.records[i];
        let ready = node.after.as_ref().is_none_or(|c| history.holds(c));
        let rules: Vec<RuleVerdict> = if ready && !record.done {
            let rules = node
                .rules
                .iter()
                .enumerate()
                .map(|(k, r)| verdict(judge, r, ItemRef::Node(i, k)));
            rules
                .chain(
                    node.checks
                        .iter()
                        .enumerate()
                        .flat_map(|(k, c)| check(judge, c, ItemRef::Node(i, k))),
                )
                .collect()
        } else {
            Vec::new()
        };
        let deadlines = deadlines(model, &calendar, history, i);
        let overdue = !record.done && deadlines.iter().any(|d| d.due < today);
        let blocked = rules
            .iter()
            .any(|r| r.severity == RuleSeverity::Error && !matches!(r.result, Ok(None)));
        let possible = record.done
            || node
                .after
                .as_ref()
                .is_none_or(|c| history.possible(model, c));
        let state = State::of(record.done, possible, overdue, ready, blocked);
        let waiting_for = match (&node.after, &state) {
            (Some(c), State::Waiting | State::Overdue) => missing(model, history, c),
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
    let rules = model
        .rules
        .iter()
        .enumerate()
        .map(|(k, r)| verdict(judge, r, ItemRef::Workflow(k)));
    let rules = rules
        .chain(
            model
                .checks
                .iter()
                .enumerate()
                .flat_map(|(k, c)| check(judge, c, ItemRef::Workflow(k))),
        )
        .collect();
    let values = model
        .values
        .iter()
        .enumerate()
        .map(|(i, v)| (v.name.clone(), judge.value(i)))
        .collect();
    let complete = match &model.end {
        Some(end) => history.holds(end),
        None => crate::graph::sinks(model)
            .iter()
            .all(|&s| history.records[s].done || model.nodes[s].optional),
    };
    Status {
        today,
        history: history.clone(),
        nodes,
        rules,
        values,
        complete,
    }
}

/// A `check`'s verdicts: one per finding of the validation function, with the plugin's code,
/// severity and message; one that holds when there is none; an error when the call failed.
fn check(judge: &dyn Judge, check: &Check, at: ItemRef) -> Vec<RuleVerdict> {
    let findings = judge.check(check, at);
    if let Ok(findings) = &findings {
        judge.record(check.call.span, findings.is_empty());
    }
    check_verdicts(check, findings)
}

/// The verdicts of `check` given what its validation function answered.
pub(crate) fn check_verdicts(
    check: &Check,
    findings: Result<Vec<PluginFinding>, EvalError>,
) -> Vec<RuleVerdict> {
    let verdict = |severity, message: String, result| RuleVerdict {
        name: check.name.clone(),
        severity,
        message,
        source: check.source.clone(),
        span: check.span,
        origin: check.origin.clone(),
        result,
    };
    match findings {
        Err(e) => vec![verdict(
            RuleSeverity::Error,
            format!("Le contrôle `{}` n'a pas pu être fait", check.name),
            Err(e),
        )],
        Ok(findings) => {
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

/// The verdict of `rule` given whether it holds; `explain` is called only when it is false.
pub(crate) fn rule_verdict(
    rule: &Rule,
    holds: Result<bool, EvalError>,
    explain: impl FnOnce() -> Explanation,
) -> RuleVerdict {
    RuleVerdict {
        name: rule.name.clone(),
        severity: rule.severity,
        message: rule.message.clone(),
        source: rule.source.clone(),
        span: rule.span,
        origin: rule.origin.clone(),
        result: match holds {
            Ok(true) => Ok(None),
            Ok(false) => Ok(Some(explain())),
            Err(e) => Err(e),
        },
    }
}

fn verdict(judge: &dyn Judge, rule: &Rule, at: ItemRef) -> RuleVerdict {
    RuleVerdict {
        name: rule.name.clone(),
        severity: rule.severity,
        message: rule.message.clone(),
        source: rule.source.clone(),
        span: rule.span,
        origin: rule.origin.clone(),
        result: judge.rule(rule, at),
    }
}

pub(crate) fn deadlines(
    model: &Model,
    calendar: &Calendar,
    history: &History,
    v: NodeId,
) -> Vec<DeadlineStatus> {
    let node = &model.nodes[v];
    let record = &history.records[v];
    node.deadlines
        .iter()
        .filter_map(|d| {
            let due = due(model, calendar, history, d)?;
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

/// When deadline `d` falls, if its anchor stands: a step a rework sent back starts no deadline
/// until it is done again (an outcome that itself loops back stands once taken).
pub(crate) fn due(
    model: &Model,
    calendar: &Calendar,
    history: &History,
    d: &cpts_lang::model::Deadline,
) -> Option<NaiveDate> {
    let anchor = &history.records[d.anchor.node];
    let stands = match d.anchor.outcome {
        None => anchor.done,
        Some(o) => {
            anchor.outcome == Some(o)
                && (anchor.done || model.nodes[d.anchor.node].outcomes[o].route.is_some())
        }
    };
    if !stands {
        return None;
    }
    Some(calendar.add(anchor.date?, i64::from(d.amount), d.unit))
}

/// The prerequisites of `cond` not met yet (for an any-of, each alternative).
pub(crate) fn missing(model: &Model, h: &History, cond: &Cond) -> Vec<String> {
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
