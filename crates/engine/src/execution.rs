//! A project's execution kept up to date entry by entry, for tools that drive a workflow: record
//! an entry, move the clock, ask what can be done next. Each change updates only what depends
//! on it: the entry's node and what waits for it, the nodes whose rules read it or whose
//! deadlines it starts; a rule's verdict is kept until one of its inputs (facts, `today`, the
//! steps it reads) changes. The cost of recording one entry and asking what is enabled does not
//! grow with the journal's length; an entry dated before the last one (a late entry) replays
//! the journal in date order.
//!
//! [`status`](crate::status) computes the same [`Status`] from scratch; the two are compared
//! on every example project and scenario by the tests.

mod plan;

pub use plan::Plan;

use crate::calendar::Calendar;
use crate::compiled::{Ctx, Facts};
use crate::eval::{Env, EvalError};
use crate::exec::{self, Event, History, NodeStatus, RuleVerdict, State, Status};
use crate::plugins::{NoPlugins, PluginFinding, Plugins};
use crate::value::Value;
use chrono::NaiveDate;
use cpts_lang::model::{Cond, Model, NodeId};
use cpts_lang::syntax::RuleSeverity;
use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap};
use std::sync::Arc;

/// The plugin functions an execution calls; shared, so that an execution can move between
/// threads.
pub type SharedPlugins = Arc<dyn Plugins + Send + Sync>;

/// One project's state, updated in place as entries are recorded and the clock moves.
#[derive(Clone)]
pub struct Execution {
    plan: Arc<Plan>,
    facts: Arc<Facts>,
    calendar: Calendar,
    plugins: SharedPlugins,
    events: Vec<Event>,
    /// The journal folded, deadlines expired up to the last entry's date only.
    base: History,
    /// `base` with the outcomes deadlines take by expiry between the last entry and `today`,
    /// when there are any, and the nodes those change.
    ahead: Option<(History, Vec<NodeId>)>,
    today: NaiveDate,
    nodes: Vec<NodeCache>,
    enabled: BTreeSet<NodeId>,
    /// Nodes to recompute, by position in the plan's prerequisite order.
    dirty: BinaryHeap<Reverse<usize>>,
    queued: Vec<bool>,
    evaluations: u64,
}

#[derive(Clone, Debug)]
struct NodeCache {
    state: State,
    /// It can still happen given the outcomes taken.
    possible: bool,
    /// Its rules' and checks' verdicts, kept until an input changes (`None`: to evaluate).
    verdicts: Option<Verdicts>,
}

#[derive(Clone, Debug)]
struct Verdicts {
    rules: Vec<Result<bool, Box<EvalError>>>,
    checks: Vec<Result<Vec<PluginFinding>, Box<EvalError>>>,
}

impl Verdicts {
    fn blocks(&self, node: &cpts_lang::model::Node) -> bool {
        let rule = node
            .rules
            .iter()
            .zip(&self.rules)
            .any(|(r, v)| r.severity == RuleSeverity::Error && !matches!(v, Ok(true)));
        rule || self.checks.iter().any(|c| match c {
            Err(_) => true,
            Ok(fs) => fs.iter().any(|f| f.severity == cpts_diag::Severity::Error),
        })
    }
}

impl Execution {
    /// The execution of a project with `facts` and an empty journal, on `today`.
    pub fn new(
        plan: Arc<Plan>,
        facts: Arc<Facts>,
        calendar: Calendar,
        plugins: Option<SharedPlugins>,
        today: NaiveDate,
    ) -> Execution {
        let mut execution = Execution::blank(plan, facts, calendar, plugins, today);
        execution.reset();
        execution
    }

    /// The execution of `events` (in journal order) over `facts`, on `today`: the same state
    /// as recording each in turn.
    pub fn replay(
        plan: Arc<Plan>,
        facts: Arc<Facts>,
        calendar: Calendar,
        plugins: Option<SharedPlugins>,
        events: Vec<Event>,
        today: NaiveDate,
    ) -> Execution {
        let mut execution = Execution::blank(plan, facts, calendar, plugins, today);
        execution.refold(events);
        execution
    }

    /// An execution with an empty journal and nothing computed yet.
    fn blank(
        plan: Arc<Plan>,
        facts: Arc<Facts>,
        calendar: Calendar,
        plugins: Option<SharedPlugins>,
        today: NaiveDate,
    ) -> Execution {
        let n = plan.model().nodes.len();
        Execution {
            facts,
            calendar,
            plugins: plugins.unwrap_or_else(|| Arc::new(NoPlugins)),
            events: Vec::new(),
            base: History::new(plan.model()),
            ahead: None,
            today,
            nodes: vec![
                NodeCache {
                    state: State::Waiting,
                    possible: true,
                    verdicts: None,
                };
                n
            ],
            enabled: BTreeSet::new(),
            dirty: BinaryHeap::with_capacity(n),
            queued: vec![false; n],
            evaluations: 0,
            plan,
        }
    }

    /// Records `event` (already checked by the caller). An entry dated before the last one is
    /// replayed in date order with the others (entries of one day keep their order).
    pub fn record(&mut self, event: Event) {
        if self
            .events
            .last()
            .is_some_and(|last| event.date < last.date)
        {
            let mut events = std::mem::take(&mut self.events);
            events.push(event);
            events.sort_by_key(|e| e.date);
            self.refold(events);
            return;
        }
        self.base
            .record(self.plan.model(), &event, &self.calendar, self.plan.links());
        self.events.push(event);
        let touched = self.base.take_touched();
        self.changed(&touched);
        self.update_ahead();
        self.refresh();
    }

    /// Folds `events` from an empty journal and recomputes everything.
    fn refold(&mut self, events: Vec<Event>) {
        self.base = History::new(self.plan.model());
        for event in &events {
            self.base
                .record(self.plan.model(), event, &self.calendar, self.plan.links());
        }
        self.base.take_touched();
        self.events = events;
        self.reset();
    }

    /// Moves the clock to `today` (forwards or backwards): rules that read `today`, deadlines
    /// and the outcomes deadlines take by expiry follow.
    pub fn set_today(&mut self, today: NaiveDate) {
        if today == self.today {
            return;
        }
        self.today = today;
        let plan = Arc::clone(&self.plan);
        for &v in plan.reading_today() {
            self.nodes[v].verdicts = None;
            self.mark(v);
        }
        for &v in plan.with_deadlines() {
            self.mark(v);
        }
        self.update_ahead();
        self.refresh();
    }

    /// Replaces the facts (converted for this plan's program): every rule that reads facts is
    /// evaluated again.
    pub fn set_facts(&mut self, facts: Arc<Facts>) {
        self.facts = facts;
        let plan = Arc::clone(&self.plan);
        for &v in plan.reading_facts() {
            self.nodes[v].verdicts = None;
            self.mark(v);
        }
        self.refresh();
    }

    /// The plan (model and what its rules read) this execution follows.
    pub fn plan(&self) -> &Arc<Plan> {
        &self.plan
    }

    /// The model.
    pub fn model(&self) -> &Model {
        self.plan.model()
    }

    /// The facts.
    pub fn facts(&self) -> &Arc<BTreeMap<String, Value>> {
        self.facts.source()
    }

    /// The journal, in date order.
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// The date the state is computed for.
    pub fn today(&self) -> NaiveDate {
        self.today
    }

    /// The calendar deadlines and durations are counted on.
    pub fn calendar(&self) -> &Calendar {
        &self.calendar
    }

    /// The plugins rules call.
    pub fn plugins(&self) -> &dyn Plugins {
        self.plugins.as_ref()
    }

    /// The journal folded up to today (outcomes taken by expiry included).
    pub fn history(&self) -> &History {
        self.ahead.as_ref().map_or(&self.base, |(h, _)| h)
    }

    /// Where `node` stands.
    pub fn state(&self, node: NodeId) -> &State {
        &self.nodes[node].state
    }

    /// The nodes that can be done now, in model order.
    pub fn enabled(&self) -> impl Iterator<Item = NodeId> + '_ {
        self.enabled.iter().copied()
    }

    /// Whether the workflow's end holds.
    pub fn complete(&self) -> bool {
        let model = self.model();
        let history = self.history();
        match &model.end {
            Some(end) => history.holds(end),
            None => self
                .plan
                .sinks()
                .iter()
                .all(|&s| history.records[s].done || model.nodes[s].optional),
        }
    }

    /// How many times a node's rules were evaluated since the execution began (a node's rules
    /// and checks count once): what incrementality saves, for tests and benchmarks.
    pub fn evaluations(&self) -> u64 {
        self.evaluations
    }

    /// The full status: every node's state with its rules' verdicts (and why each false one is
    /// false), deadlines and what it waits for; the workflow's rules; the computed values.
    pub fn status(&self) -> Status {
        let model = self.model();
        let program = self.plan.program();
        let history = self.history();
        let cx = self.ctx(history);
        let env = std::cell::OnceCell::new();
        let explain = |e: &cpts_lang::syntax::Expr| env.get_or_init(|| self.env()).explain(e);
        let nodes = (0..model.nodes.len())
            .map(|v| self.node_status_in(&explain, v))
            .collect();
        let rules = model
            .rules
            .iter()
            .zip(&program.rules)
            .map(|(r, item)| {
                exec::rule_verdict(r, cx.holds(&item.node).map_err(|e| *e), || {
                    explain(&r.expect)
                })
            })
            .chain(
                model
                    .checks
                    .iter()
                    .zip(&program.checks)
                    .flat_map(|(c, item)| {
                        exec::check_verdicts(
                            c,
                            cx.validate(&item.call, c.call.span).map_err(|e| *e),
                        )
                    }),
            )
            .collect();
        let values = model
            .values
            .iter()
            .map(|v| {
                let value = match program.slot(&v.name) {
                    Some(slot) => cx.named(slot).map(|x| x.to_value()).map_err(|e| *e),
                    None => Ok(Value::None),
                };
                (v.name.clone(), value)
            })
            .collect();
        Status {
            today: self.today,
            history: history.clone(),
            nodes,
            rules,
            values,
            complete: self.complete(),
        }
    }

    /// One node's status, as in [`Execution::status`].
    pub fn node_status(&self, v: NodeId) -> NodeStatus {
        let env = std::cell::OnceCell::new();
        self.node_status_in(&|e| env.get_or_init(|| self.env()).explain(e), v)
    }

    fn node_status_in(
        &self,
        explain: &dyn Fn(&cpts_lang::syntax::Expr) -> crate::Explanation,
        v: NodeId,
    ) -> NodeStatus {
        let model = self.model();
        let history = self.history();
        let node = &model.nodes[v];
        let cache = &self.nodes[v];
        let ready = node.after.as_ref().is_none_or(|c| history.holds(c));
        let rules: Vec<RuleVerdict> = match (&cache.verdicts, ready && !history.records[v].done) {
            (Some(verdicts), true) => node
                .rules
                .iter()
                .zip(&verdicts.rules)
                .map(|(r, holds)| {
                    let holds = holds.clone().map_err(|e| *e);
                    exec::rule_verdict(r, holds, || explain(&r.expect))
                })
                .chain(
                    node.checks
                        .iter()
                        .zip(&verdicts.checks)
                        .flat_map(|(c, f)| exec::check_verdicts(c, f.clone().map_err(|e| *e))),
                )
                .collect(),
            _ => Vec::new(),
        };
        let waiting_for = match (&node.after, &cache.state) {
            (Some(c), State::Waiting | State::Overdue) => exec::missing(model, history, c),
            _ => Vec::new(),
        };
        NodeStatus {
            node: v,
            state: cache.state.clone(),
            waiting_for,
            rules,
            deadlines: exec::deadlines(model, &self.calendar, history, v),
        }
    }

    /// The tree walker, to explain a false rule.
    fn env(&self) -> Env<'_> {
        Env::new(
            self.plan.model(),
            self.facts.source(),
            self.history(),
            self.today,
            self.calendar,
        )
        .with_plugins(self.plugins.as_ref())
    }

    /// A compiled evaluation context over `history`.
    fn ctx<'a>(&'a self, history: &'a History) -> Ctx<'a> {
        Ctx::new(
            self.plan.program(),
            &self.facts,
            history,
            self.today,
            self.calendar,
            self.plugins.as_ref(),
            None,
        )
    }

    /// Everything is recomputed (after a late entry).
    fn reset(&mut self) {
        for v in 0..self.nodes.len() {
            self.nodes[v].verdicts = None;
            self.mark(v);
        }
        self.ahead = None;
        self.update_ahead();
        self.refresh();
    }

    fn mark(&mut self, v: NodeId) {
        if !std::mem::replace(&mut self.queued[v], true) {
            self.dirty.push(Reverse(self.plan.position(v)));
        }
    }

    /// The records of `touched` changed: recompute them, what waits for them, what reads them.
    fn changed(&mut self, touched: &[NodeId]) {
        let plan = Arc::clone(&self.plan);
        for &t in touched {
            self.mark(t);
            for &d in &plan.links().dependents[t] {
                self.mark(d);
            }
            for &r in plan.read_by(t) {
                self.nodes[r].verdicts = None;
                self.mark(r);
            }
            for &a in plan.anchored_on(t) {
                self.mark(a);
            }
        }
    }

    /// Recomputes the outcomes deadlines take by expiry between the last entry and today.
    fn update_ahead(&mut self) {
        let old = self.ahead.take().map(|(_, touched)| touched);
        let (model, links) = (self.plan.model(), self.plan.links());
        if self
            .base
            .next_expiry(model, self.today, &self.calendar, links)
            .is_some()
        {
            let mut ahead = self.base.clone();
            ahead.expire_until(model, self.today, &self.calendar, links);
            let touched = ahead.take_touched();
            self.ahead = Some((ahead, touched));
        }
        let new = self.ahead.as_ref().map(|(_, t)| t.clone());
        for touched in [old, new].into_iter().flatten() {
            self.changed(&touched);
        }
    }

    /// Recomputes the marked nodes in prerequisite order (a node's possibility depends on those
    /// before it), marking what follows a node whose possibility changed.
    fn refresh(&mut self) {
        let plan = Arc::clone(&self.plan);
        let model = plan.model();
        let program = plan.program();
        let mut cx: Option<Ctx<'_>> = None;
        while let Some(Reverse(position)) = self.dirty.pop() {
            let v = plan.order()[position];
            self.queued[v] = false;
            let history = self.ahead.as_ref().map_or(&self.base, |(h, _)| h);
            let node = &model.nodes[v];
            let record = &history.records[v];
            let possible = node
                .after
                .as_ref()
                .is_none_or(|c| possible(c, history, &self.nodes));
            let ready = node.after.as_ref().is_none_or(|c| history.holds(c));
            if ready && !record.done && self.nodes[v].verdicts.is_none() {
                let cx = cx.get_or_insert_with(|| {
                    Ctx::new(
                        program,
                        &self.facts,
                        history,
                        self.today,
                        self.calendar,
                        self.plugins.as_ref(),
                        None,
                    )
                });
                self.evaluations += 1;
                self.nodes[v].verdicts = Some(Verdicts {
                    rules: program.node_rules[v]
                        .iter()
                        .map(|r| cx.holds(&r.node))
                        .collect(),
                    checks: node
                        .checks
                        .iter()
                        .zip(&program.node_checks[v])
                        .map(|(c, item)| cx.validate(&item.call, c.call.span))
                        .collect(),
                });
            }
            let overdue = !record.done
                && node.deadlines.iter().any(|d| {
                    exec::due(model, &self.calendar, history, d).is_some_and(|due| due < self.today)
                });
            let blocked = self.nodes[v]
                .verdicts
                .as_ref()
                .is_some_and(|x| x.blocks(node));
            let state = State::of(record.done, possible, overdue, ready, blocked);
            if state == State::Enabled {
                self.enabled.insert(v);
            } else {
                self.enabled.remove(&v);
            }
            let cache = &mut self.nodes[v];
            cache.state = state;
            if std::mem::replace(&mut cache.possible, possible) != possible {
                for &d in &plan.links().dependents[v] {
                    if !std::mem::replace(&mut self.queued[d], true) {
                        self.dirty.push(Reverse(plan.position(d)));
                    }
                }
            }
        }
    }
}

/// Whether `cond` can still hold, given the outcomes taken and whether each node it names can
/// still happen (`History::possible`, with the nodes' possibility already computed).
fn possible(cond: &Cond, history: &History, nodes: &[NodeCache]) -> bool {
    match cond {
        Cond::Done(n) => history.records[*n].done || nodes[*n].possible,
        Cond::Outcome(d, o) => match history.records[*d].outcome {
            Some(taken) if history.records[*d].done => taken == *o,
            _ => nodes[*d].possible,
        },
        Cond::All(cs) => cs.iter().all(|c| possible(c, history, nodes)),
        Cond::Any(cs) => cs.iter().any(|c| possible(c, history, nodes)),
    }
}

#[cfg(test)]
mod tests;
