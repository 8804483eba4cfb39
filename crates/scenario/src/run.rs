//! Running scenarios: each one's project is built from its facts and journal, its status computed
//! (recording coverage), and every expectation compared.

use crate::expect::{self, Expect, Named};
use crate::file::{self, Scenario};
use cpts::Rules;
use cpts_diag::{Diagnostic, FileId, Sources, Span, codes};
use cpts_engine::{Coverage, NoPlugins, Plugins, State, Status};
use cpts_lang::model::{self, Model, Target};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// A scenario's result.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// Its name.
    pub name: String,
    /// The `[[scenario]]` table.
    pub span: Span,
    /// What differs from the expectations (empty: it passed).
    pub failures: Vec<Failure>,
    /// Its problems (unreadable facts, unknown names): it failed without running, or its
    /// expectations could not all be compared.
    pub problems: Vec<Diagnostic>,
    /// The most fuel one plugin call used.
    pub fuel: u64,
}

impl Outcome {
    /// No failure and no problem.
    pub fn passed(&self) -> bool {
        self.failures.is_empty() && !cpts_diag::has_errors(&self.problems)
    }
}

/// One expectation not met.
#[derive(Clone, Debug)]
pub struct Failure {
    /// What it is about: `states.agc`, `violations`, `values.taille`…
    pub what: String,
    /// Where the expectation is written.
    pub span: Span,
    /// The difference.
    pub mismatch: Mismatch,
}

/// How an expectation differs from what was computed.
#[derive(Clone, Debug)]
pub enum Mismatch {
    /// A value: expected, found.
    Value {
        /// As written in the scenario.
        expected: String,
        /// As computed, for people.
        found: String,
        /// As computed, as data (the state's name, the value, the fuel, whether complete);
        /// `None` when nothing was computed (a value that cannot be, said in `found`).
        value: Option<cpts_engine::Value>,
    },
    /// A set of names: expected but absent, present but not expected.
    Set {
        /// Expected, not found.
        missing: Vec<String>,
        /// Found, not expected.
        unexpected: Vec<String>,
    },
}

/// The scenarios of one file.
#[derive(Clone, Debug)]
pub struct FileOutcome {
    /// The file, as given.
    pub path: PathBuf,
    /// Its id in the run's sources.
    pub file: FileId,
    /// Problems reading it (scenarios with problems are left out of `scenarios`).
    pub problems: Vec<Diagnostic>,
    /// Each scenario read.
    pub scenarios: Vec<Outcome>,
}

/// Runs scenarios against one set of rules, keeping the models it builds.
pub struct Runner<'r> {
    rules: &'r Rules,
    models: BTreeMap<(String, String, Option<String>), Result<Model, Diagnostic>>,
    /// What the rules' conditions evaluated to, over every scenario run.
    pub coverage: Coverage,
    /// Only scenarios whose name contains this.
    pub filter: Option<String>,
}

impl<'r> Runner<'r> {
    /// A runner over `rules`.
    pub fn new(rules: &'r Rules) -> Runner<'r> {
        Runner {
            rules,
            models: BTreeMap::new(),
            coverage: Coverage::new(),
            filter: None,
        }
    }

    /// Runs every scenario of the file `file` (already in `sources`).
    pub fn run_file(&mut self, path: PathBuf, file: FileId, text: &str) -> FileOutcome {
        let (scenarios, problems) = file::read(file, text);
        let filter = self.filter.clone();
        let scenarios = scenarios
            .iter()
            .filter(|s| filter.as_ref().is_none_or(|f| s.name.contains(f.as_str())))
            .map(|s| self.run(file, s))
            .collect();
        FileOutcome {
            path,
            file,
            problems,
            scenarios,
        }
    }

    fn model(&mut self, target: &Target) -> Result<&Model, Diagnostic> {
        let key = (
            target.workflow.clone(),
            target.version.clone(),
            target.region.clone(),
        );
        let checked = self.rules.checked();
        self.models
            .entry(key)
            .or_insert_with(|| {
                model::build(checked, target)
                    .map(|(m, _)| m)
                    .map_err(|d| *d)
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    fn run(&mut self, file: FileId, s: &Scenario) -> Outcome {
        let mut outcome = Outcome {
            name: s.name.clone(),
            span: s.span,
            failures: Vec::new(),
            problems: Vec::new(),
            fuel: 0,
        };
        let rules = self.rules;
        let model = match self.model(&s.target) {
            Ok(m) => m.clone(),
            Err(d) => {
                outcome.problems.push(d.at_with(s.span, "in this scenario"));
                return outcome;
            }
        };
        let header = cpts_project::Header {
            name: s.name.clone(),
            target: s.target.clone(),
            today: Some(s.today),
            spans: [None, None, None],
        };
        let (project, problems) =
            cpts_project::read_parts(file, header, Some(&s.facts), Some(&s.journal), &model);
        outcome.problems.extend(
            problems
                .into_iter()
                .filter(|d| d.severity == cpts_diag::Severity::Error),
        );
        let Some(project) = project else {
            return outcome;
        };
        let plugins: &dyn Plugins = match rules.plugins() {
            Some(host) => {
                host.clear_fuel_used();
                host
            }
            None => &NoPlugins,
        };
        let status = cpts_engine::status_covered(
            &model,
            &project.facts,
            &project.events,
            s.today,
            cpts::calendar_for(&project.facts),
            plugins,
            &self.coverage,
        );
        outcome.fuel = rules
            .plugins()
            .map_or(0, |h| h.fuel_used().values().copied().max().unwrap_or(0));
        // Entries out of order are warnings, as in `cpts status`: the scenario still runs.
        outcome
            .problems
            .extend(status.history.problems.iter().cloned());
        compare(&model, &status, &project.facts, &s.expect, &mut outcome);
        outcome
    }
}

fn compare(
    model: &Model,
    status: &Status,
    facts: &BTreeMap<String, cpts_engine::Value>,
    e: &Expect,
    out: &mut Outcome,
) {
    let mut problems = Vec::new();
    let node = |name: &str| model.nodes.iter().position(|n| n.name == name);
    // Rules and checks: both give verdicts by name.
    let rule_names: BTreeSet<&str> = model
        .rules
        .iter()
        .chain(model.nodes.iter().flat_map(|n| &n.rules))
        .map(|r| r.name.as_str())
        .chain(
            model
                .checks
                .iter()
                .chain(model.nodes.iter().flat_map(|n| &n.checks))
                .map(|c| c.name.as_str()),
        )
        .collect();
    let mut unknown =
        |span: Span, what: &str, name: &str, known: &mut dyn Iterator<Item = &str>| {
            let hint = file::closest(name, known).map_or_else(
                || {
                    format!(
                        "no {what} of that name in `{}` version `{}`",
                        model.workflow, model.version
                    )
                },
                |b| format!("did you mean `{b}`?"),
            );
            problems.push(
                Diagnostic::new(
                    &codes::INVALID_SCENARIO,
                    format!("`{name}` is not a {what} of this workflow"),
                )
                .at(span)
                .help(hint),
            );
        };
    let nodes = || model.nodes.iter().map(|n| n.name.as_str());
    // Verdicts of every rule evaluated: node rules of nodes that are ready, and workflow rules.
    let verdicts = || {
        status
            .rules
            .iter()
            .chain(status.nodes.iter().flat_map(|n| &n.rules))
    };
    for Named { name, span, value } in &e.states {
        match node(name) {
            Some(i) => {
                let found = status.nodes[i].state.name();
                if found != value {
                    out.failures.push(Failure {
                        what: format!("states.{name}"),
                        span: *span,
                        mismatch: Mismatch::Value {
                            expected: value.clone(),
                            found: found.to_owned(),
                            value: Some(cpts_engine::Value::Text(found.to_owned())),
                        },
                    });
                }
            }
            None => unknown(*span, "step", name, &mut nodes()),
        }
    }
    if let Some(Named { span, value, .. }) = &e.enabled {
        for name in value.iter().filter(|n| node(n).is_none()) {
            unknown(*span, "step", name, &mut nodes());
        }
        let found = status
            .nodes
            .iter()
            .filter(|n| n.state == State::Enabled)
            .map(|n| model.nodes[n.node].name.clone());
        set_failure(out, "enabled", *span, value, found);
    }
    for Named { name, span, value } in &e.blocked_by {
        let Some(i) = node(name) else {
            unknown(*span, "step", name, &mut nodes());
            continue;
        };
        for r in value.iter().filter(|r| !rule_names.contains(r.as_str())) {
            unknown(*span, "rule", r, &mut rule_names.iter().copied());
        }
        let found = status.nodes[i]
            .rules
            .iter()
            .filter(|r| r.severity == cpts::RuleSeverity::Error && !matches!(r.result, Ok(None)))
            .map(|r| r.name.clone());
        set_failure(out, &format!("blocked_by.{name}"), *span, value, found);
    }
    let rule_sets = [
        ("violations", &e.violations),
        ("holds", &e.holds),
        ("errors", &e.errors),
    ];
    for (what, expected) in rule_sets {
        let Some(Named { span, value, .. }) = expected else {
            continue;
        };
        for r in value.iter().filter(|r| !rule_names.contains(r.as_str())) {
            unknown(*span, "rule", r, &mut rule_names.iter().copied());
        }
        let found: Vec<String> = verdicts()
            .filter(|v| match what {
                "violations" => matches!(v.result, Ok(Some(_))),
                "holds" => matches!(v.result, Ok(None)),
                _ => v.result.is_err(),
            })
            .map(|v| v.name.clone())
            .collect();
        if what == "holds" {
            // `holds` lists rules that must hold; others may hold too.
            let missing: Vec<String> = value
                .iter()
                .filter(|r| !found.contains(r))
                .cloned()
                .collect();
            if !missing.is_empty() {
                out.failures.push(Failure {
                    what: what.into(),
                    span: *span,
                    mismatch: Mismatch::Set {
                        missing,
                        unexpected: Vec::new(),
                    },
                });
            }
        } else {
            set_failure(out, what, *span, value, found.into_iter());
        }
    }
    for (name, span, expected) in &e.values {
        let found = status
            .values
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone());
        let found = found.or_else(|| {
            model.params.iter().any(|p| &p.name == name).then(|| {
                let env = cpts_engine::Env::new(
                    model,
                    facts,
                    &status.history,
                    status.today,
                    cpts::calendar_for(facts),
                );
                env.named(name).unwrap_or(Ok(cpts_engine::Value::None))
            })
        });
        match found {
            None => unknown(
                *span,
                "computed value or parameter",
                name,
                &mut model
                    .values
                    .iter()
                    .map(|v| v.name.as_str())
                    .chain(model.params.iter().map(|p| p.name.as_str())),
            ),
            Some(Ok(v)) if expect::matches(expected.get_ref(), &v) => {}
            Some(found) => out.failures.push(Failure {
                what: format!("values.{name}"),
                span: *span,
                mismatch: Mismatch::Value {
                    expected: expect::show(expected.get_ref()),
                    found: match &found {
                        Ok(v) => v.to_string(),
                        Err(e) => format!("no value ({})", e.message),
                    },
                    value: found.ok(),
                },
            }),
        }
    }
    if let Some(Named { span, value, .. }) = &e.complete
        && status.complete != *value
    {
        out.failures.push(Failure {
            what: "complete".into(),
            span: *span,
            mismatch: Mismatch::Value {
                expected: value.to_string(),
                found: status.complete.to_string(),
                value: Some(cpts_engine::Value::Bool(status.complete)),
            },
        });
    }
    if let Some(Named { span, value, .. }) = &e.max_fuel
        && out.fuel > *value
    {
        out.failures.push(Failure {
            what: "max_fuel".into(),
            span: *span,
            mismatch: Mismatch::Value {
                expected: format!("at most {value}"),
                found: out.fuel.to_string(),
                value: i64::try_from(out.fuel).ok().map(cpts_engine::Value::Int),
            },
        });
    }
    out.problems.extend(problems);
}

fn set_failure(
    out: &mut Outcome,
    what: &str,
    span: Span,
    expected: &[String],
    found: impl Iterator<Item = String>,
) {
    let found: BTreeSet<String> = found.collect();
    let expected: BTreeSet<String> = expected.iter().cloned().collect();
    let missing: Vec<String> = expected.difference(&found).cloned().collect();
    let unexpected: Vec<String> = found.difference(&expected).cloned().collect();
    if !missing.is_empty() || !unexpected.is_empty() {
        out.failures.push(Failure {
            what: what.into(),
            span,
            mismatch: Mismatch::Set {
                missing,
                unexpected,
            },
        });
    }
}

/// Adds the file at `path` to `sources`, or says why it cannot be read.
pub fn add_file(
    sources: &mut Sources,
    path: &std::path::Path,
) -> Result<(FileId, String), Diagnostic> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok((
            sources.add(
                cpts_lang::normalize_path(&path.to_string_lossy()),
                text.clone(),
            ),
            text,
        )),
        Err(e) => Err(Diagnostic::new(
            &codes::UNREADABLE_FILE,
            format!("cannot read `{}`: {e}", path.display()),
        )
        .help("check the path and its permissions")),
    }
}
