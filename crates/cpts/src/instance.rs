//! One project driven in memory: ask where it stands and what comes next, check and record
//! entries, move the virtual clock. Recording an entry updates the state in place (see
//! [`cpts_engine::Execution`]): nothing is replayed, and only the rules whose inputs changed are
//! evaluated again.

use crate::project::ProjectFile;
use crate::{Entry, Project};
use chrono::NaiveDate;
use cpts_diag::{Diagnostic, Sources, codes};
use cpts_engine::execution::SharedPlugins;
use cpts_engine::{Event, Execution, NodeStatus, State, Status};
use cpts_lang::model::{Model, NodeId};
use cpts_lang::syntax::{NodeKind, RuleSeverity};
use std::sync::Arc;

/// A project and its execution, kept up to date as entries are recorded and the clock moves.
///
/// ```
/// use cpts::{Entry, Instance, Rules};
/// # let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
/// let rules = Rules::load(&[format!("{root}/rules")]).expect("the rules load");
/// let mut instance = Instance::open(&rules, format!("{root}/examples/projects/projet-oppose.toml"))
///     .expect("the project reads");
/// assert_eq!(instance.enabled_names(), ["validation_projet"]);
/// // Two months of ARS silence validate the projet de santé: a month later, the ACI can be signed.
/// instance.at("2024-02-01".parse().unwrap());
/// assert_eq!(instance.enabled_names(), ["signature_aci"]);
/// // Signed that day: the four missions can start.
/// instance.record(&Entry { step: "signature_aci".into(), ..Entry::default() }).unwrap();
/// assert_eq!(instance.enabled().count(), 5); // four missions and the first annual review
/// // Not twice.
/// let again = instance.record(&Entry { step: "signature_aci".into(), ..Entry::default() });
/// assert!(again.unwrap_err()[0].message.contains("already done"));
/// ```
#[derive(Clone)]
pub struct Instance {
    file: ProjectFile,
    header: cpts_project::Header,
    execution: Execution,
}

impl Instance {
    /// The instance of `project` on `today` (default: the file's `project.today`, else the
    /// clock), its journal folded.
    pub fn new(project: Project, today: Option<NaiveDate>) -> Instance {
        let today = project.today(today);
        let calendar = project.calendar();
        let plugins = project.host().map(|host| Arc::clone(host) as SharedPlugins);
        let facts = project.compiled_facts();
        let (file, data) = project.into_parts();
        let execution = Execution::replay(
            Arc::clone(&file.plan),
            facts,
            calendar,
            plugins,
            data.events,
            today,
        );
        Instance {
            file,
            header: data.header,
            execution,
        }
    }

    /// Reads the project file at `path` against `rules` (see [`Project::open`]) and makes its
    /// instance on the file's `today`.
    pub fn open(
        rules: &crate::Rules,
        path: impl AsRef<std::path::Path>,
    ) -> Result<Instance, (Sources, Vec<Diagnostic>)> {
        Ok(Instance::new(Project::open(rules, path)?, None))
    }

    /// Moves the virtual clock to `today`: deadlines, rules that read `today` and outcomes
    /// taken by a deadline's expiry follow.
    pub fn at(&mut self, today: NaiveDate) -> &mut Instance {
        self.execution.set_today(today);
        self
    }

    /// The date the instance is looked at.
    pub fn today(&self) -> NaiveDate {
        self.execution.today()
    }

    /// The full status on [`Instance::today`].
    pub fn status(&self) -> Status {
        self.execution.status()
    }

    /// The nodes that can be done now, in model order.
    pub fn enabled(&self) -> impl Iterator<Item = NodeId> + '_ {
        self.execution.enabled()
    }

    /// The names of the steps and decisions that can be done now, in model order.
    pub fn enabled_names(&self) -> Vec<&str> {
        let model = self.model();
        self.enabled()
            .map(|v| model.nodes[v].name.as_str())
            .collect()
    }

    /// Where `node` stands.
    pub fn state(&self, node: NodeId) -> &State {
        self.execution.state(node)
    }

    /// Whether the workflow's end holds.
    pub fn complete(&self) -> bool {
        self.execution.complete()
    }

    /// Simulates the project forward from [`Instance::today`] (see
    /// [`cpts_engine::simulate::simulate`]); `progress` is called with the number of runs done.
    pub fn simulate(
        &self,
        options: &cpts_engine::simulate::Options,
        progress: &mut dyn FnMut(usize),
    ) -> cpts_engine::simulate::Forecast {
        cpts_engine::simulate::simulate_from(
            self.model(),
            self.execution.history(),
            self.today(),
            self.execution.calendar(),
            options,
            progress,
        )
    }

    /// The project as data, with every entry recorded so far: what a database keeps.
    pub fn to_data(&self) -> crate::ProjectData {
        crate::project::project_data(
            &self.header,
            self.execution.facts(),
            self.execution.events().iter(),
            self.model(),
        )
    }

    /// The project as a canonical project file, with every entry recorded so far.
    pub fn to_toml(&self) -> String {
        cpts_project::to_toml(&self.to_data(), Some(self.model()))
    }

    /// The execution: history, journal, facts, what each node's rules read.
    pub fn execution(&self) -> &Execution {
        &self.execution
    }

    /// The model the project is pinned to.
    pub fn model(&self) -> &Model {
        self.execution.model()
    }

    /// The `[project]` header.
    pub fn header(&self) -> &cpts_project::Header {
        &self.header
    }

    /// The rules' sources and the project's, for rendering diagnostics and explanations.
    pub fn sources(&self) -> &Sources {
        &self.file.sources
    }

    /// The project file's path (for a project built from data, the name its diagnostics use).
    pub fn path(&self) -> &std::path::Path {
        &self.file.path
    }

    /// Warnings found while reading the project (it still opened).
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.file.warnings
    }

    /// Checks `entry` and records it in memory (the project file, if any, is not written: see
    /// [`Project::advance`]). Returns the event recorded, or why it cannot be recorded now.
    pub fn record(&mut self, entry: &Entry) -> Result<Event, Vec<Diagnostic>> {
        let event = self.check(entry)?;
        self.execution.record(event.clone());
        Ok(event)
    }

    /// The event `entry` would record, or why it cannot be recorded now: an unknown step,
    /// outcome or actor, a date before the last entry or after today, or a step whose
    /// prerequisites or rules do not allow it on the entry's date.
    pub fn check(&self, entry: &Entry) -> Result<Event, Vec<Diagnostic>> {
        let model = self.model();
        let (node, outcome) = resolve(self.execution.plan(), entry)?;
        let decl = &model.nodes[node];
        let last = self.execution.events().last().map(|e| e.date);
        let date = entry.date.unwrap_or(self.today());
        if let Some(last) = last
            && date < last
        {
            return Err(refuse(
                format!("{date} is before the last journal entry ({last})"),
                "the journal is a chronicle: record events in the order they happened".into(),
            ));
        }
        if date > self.today() {
            return Err(refuse(
                format!("{date} is after the project's today ({})", self.today()),
                "give a date on or before today, or move `project.today`".into(),
            ));
        }
        // The project as it stands on the entry's date.
        let moved;
        let execution = if date == self.today() {
            &self.execution
        } else {
            let mut e = self.execution.clone();
            e.set_today(date);
            moved = e;
            &moved
        };
        if *execution.state(node) == State::Enabled {
            return Ok(self.event(node, outcome, date, entry));
        }
        let ns = execution.node_status(node);
        match ns.state {
            State::Enabled => {}
            State::Overdue
                if decl
                    .after
                    .as_ref()
                    .is_none_or(|c| execution.history().holds(c))
                    && !failing(&ns) => {}
            State::Done => {
                return Err(refuse(
                    format!("`{}` is already done", decl.name),
                    "a step is done again only after a decision sends the project back to it"
                        .into(),
                ));
            }
            State::NotApplicable => {
                return Err(refuse(
                    format!(
                        "`{}` can no longer happen: another branch was taken",
                        decl.name
                    ),
                    "check the outcomes already recorded".into(),
                ));
            }
            State::Waiting | State::Overdue if !ns.waiting_for.is_empty() => {
                return Err(refuse(
                    format!(
                        "`{}` waits for {}",
                        decl.name,
                        ns.waiting_for
                            .iter()
                            .map(|w| format!("`{w}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    "record those first".into(),
                ));
            }
            _ => return Err(rules_refusal(&decl.name, &ns)),
        }
        Ok(self.event(node, outcome, date, entry))
    }

    fn event(&self, node: NodeId, outcome: Option<usize>, date: NaiveDate, entry: &Entry) -> Event {
        let end = self.file.text.len();
        Event {
            node,
            outcome,
            date,
            actor: entry.actor.clone(),
            evidence: entry.evidence.clone(),
            note: entry.note.clone(),
            span: cpts_diag::Span::new(self.file.file, end, end),
        }
    }
}

fn refuse(message: String, help: String) -> Vec<Diagnostic> {
    vec![Diagnostic::new(&codes::ADVANCE_REFUSED, message).help(help)]
}

/// The node and outcome `entry` names, or why they are not the model's.
fn resolve(
    plan: &cpts_engine::Plan,
    entry: &Entry,
) -> Result<(NodeId, Option<usize>), Vec<Diagnostic>> {
    let model = plan.model();
    let Some(node) = plan.node(&entry.step) else {
        let names: Vec<&str> = model.nodes.iter().map(|n| n.name.as_str()).collect();
        return Err(refuse(
            format!(
                "`{}` is not a step of `{}` version `{}`",
                entry.step, model.workflow, model.version
            ),
            format!("steps: {}", names.join(", ")),
        ));
    };
    let decl = &model.nodes[node];
    let outcomes = || {
        decl.outcomes
            .iter()
            .map(|o| o.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let outcome = match (&entry.outcome, decl.kind) {
        (None, NodeKind::Decision) => {
            return Err(refuse(
                format!("`{}` is a decision: which outcome?", decl.name),
                format!("add `--outcome` with one of: {}", outcomes()),
            ));
        }
        (Some(o), NodeKind::Step) => {
            return Err(refuse(
                format!(
                    "`{}` is a step, not a decision: it has no outcome `{o}`",
                    decl.name
                ),
                "remove `--outcome`".into(),
            ));
        }
        (Some(o), NodeKind::Decision) => match decl.outcomes.iter().position(|x| &x.name == o) {
            Some(i) => Some(i),
            None => {
                return Err(refuse(
                    format!("decision `{}` has no outcome `{o}`", decl.name),
                    format!("one of: {}", outcomes()),
                ));
            }
        },
        (None, NodeKind::Step) => None,
    };
    if let Some(a) = &entry.actor
        && !model.actors.iter().any(|(name, _)| name == a)
    {
        let names: Vec<&str> = model.actors.iter().map(|(n, _)| n.as_str()).collect();
        return Err(refuse(
            format!("`{a}` is not an actor of `{}`", model.workflow),
            format!("actors: {}", names.join(", ")),
        ));
    }
    Ok((node, outcome))
}

fn failing(ns: &NodeStatus) -> bool {
    ns.rules
        .iter()
        .any(|r| r.severity == RuleSeverity::Error && !matches!(r.result, Ok(None)))
}

/// Why a step whose rules do not hold cannot be recorded: one diagnostic per failing rule at
/// error level, with the false condition and the values that make it false.
fn rules_refusal(step: &str, ns: &NodeStatus) -> Vec<Diagnostic> {
    let mut out = vec![
        Diagnostic::new(
            &codes::ADVANCE_REFUSED,
            format!("`{step}` cannot be done: its rules do not hold"),
        )
        .help("change the facts the rules below read, then advance again"),
    ];
    out.extend(
        ns.rules
            .iter()
            .filter(|r| r.severity == RuleSeverity::Error)
            .filter_map(|r| crate::report::status::rule_diagnostic(r, Some(step))),
    );
    out
}

#[cfg(test)]
mod tests;
