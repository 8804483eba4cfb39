//! Opening a project file against loaded rules.

use crate::Rules;
use chrono::NaiveDate;
use cpts_diag::{Diagnostic, FileId, Sources, codes};
use cpts_engine::{Calendar, Facts, Program, Status, Value};
use cpts_engine::{NoPlugins, Plugins};
use cpts_lang::model::{self, Model};
use cpts_plugin_host::Host;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// A project file read and validated against the rules it is pinned to.
pub struct Project {
    path: PathBuf,
    text: String,
    file: FileId,
    model: Model,
    project: cpts_project::Project,
    sources: Sources,
    warnings: Vec<Diagnostic>,
    plugins: Option<Arc<Host>>,
    /// The model compiled and the facts converted for it, on the first status.
    compiled: OnceLock<(Program, Facts)>,
}

impl Project {
    /// Reads the project file at `path` against `rules`. Fails with every problem found (with
    /// spans into the project file or the rules: see [`Project::sources`] on success, or the
    /// sources returned with the problems).
    pub fn open(
        rules: &Rules,
        path: impl AsRef<Path>,
    ) -> Result<Project, (Sources, Vec<Diagnostic>)> {
        let path = path.as_ref();
        match std::fs::read_to_string(path) {
            Ok(text) => Project::from_text(rules, path, text),
            Err(e) => Err((
                rules.sources.clone(),
                vec![crate::rules::unreadable(path, &e)],
            )),
        }
    }

    /// [`Project::open`] on `text` already read (from a database, a request, a fuzzer): `path`
    /// names the file in diagnostics and is where [`Project::advance`] appends.
    pub fn from_text(
        rules: &Rules,
        path: impl AsRef<Path>,
        text: String,
    ) -> Result<Project, (Sources, Vec<Diagnostic>)> {
        let path = path.as_ref();
        let mut sources = rules.sources.clone();
        let file = sources.add(
            cpts_lang::normalize_path(&path.to_string_lossy()),
            text.clone(),
        );
        let header = match cpts_project::read_header(file, &text) {
            Ok(h) => h,
            Err(problems) => return Err((sources, problems)),
        };
        let (model, version_problems) = match model::build(&rules.checked, &header.target) {
            Ok(m) => m,
            Err(d) => {
                // Point at the header value that names the unknown workflow, version or region.
                let which = if d.code == &codes::UNKNOWN_WORKFLOW {
                    0
                } else if d.code == &codes::UNKNOWN_VERSION {
                    1
                } else {
                    2
                };
                let mut d = *d;
                if let Some(span) = header.spans[which] {
                    d = d.at_with(span, "named here");
                }
                return Err((sources, vec![d]));
            }
        };
        let (project, mut problems) = cpts_project::read(file, &text, &model);
        problems.extend(version_problems);
        match project {
            Some(project) if !cpts_diag::has_errors(&problems) => Ok(Project {
                path: path.to_path_buf(),
                text,
                file,
                model,
                project,
                sources,
                warnings: problems,
                plugins: rules.plugins.clone(),
                compiled: OnceLock::new(),
            }),
            _ => Err((sources, problems)),
        }
    }

    /// The project's status on `today` (default: the file's `project.today`, else the clock). The
    /// model is compiled and the facts converted on the first call, and reused.
    pub fn status(&self, today: Option<NaiveDate>) -> Status {
        let today = today
            .or(self.project.header.today)
            .unwrap_or_else(clock_today);
        let (program, facts) = self.compiled.get_or_init(|| {
            let program = Program::new(&self.model);
            let facts = Facts::new(&program, &self.project.facts);
            (program, facts)
        });
        let calendar = self.calendar();
        let history = cpts_engine::replay(&self.model, &self.project.events, today, &calendar);
        cpts_engine::status_with(
            program,
            facts,
            &history,
            today,
            calendar,
            self.plugin_host(),
            None,
        )
    }

    /// Simulates the project forward from `today` (see [`cpts_engine::simulate`]); `progress` is
    /// called with the number of runs done.
    pub fn simulate(
        &self,
        options: &cpts_engine::simulate::Options,
        today: Option<NaiveDate>,
        progress: &mut dyn FnMut(usize),
    ) -> cpts_engine::simulate::Forecast {
        let today = today
            .or(self.project.header.today)
            .unwrap_or_else(clock_today);
        cpts_engine::simulate::simulate(
            &self.model,
            &self.project.events,
            today,
            &self.calendar(),
            options,
            progress,
        )
    }

    /// The calendar: Alsace-Moselle's when every department of the territory is 57, 67 or 68.
    pub fn calendar(&self) -> Calendar {
        calendar_for(&self.project.facts)
    }

    /// The model (workflow, version, region) the project is pinned to.
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// The validated facts and journal.
    pub fn data(&self) -> &cpts_project::Project {
        &self.project
    }

    /// Rules and project file sources, for rendering diagnostics and explanations.
    pub fn sources(&self) -> &Sources {
        &self.sources
    }

    /// Warnings found while reading (the project still opened).
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }

    /// The project file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The project file's id in [`Project::sources`].
    pub fn file(&self) -> FileId {
        self.file
    }

    /// The project file's text as read.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The plugin functions the project's rules call (none: every call fails, saying so).
    pub fn plugin_host(&self) -> &dyn Plugins {
        match &self.plugins {
            Some(host) => host.as_ref(),
            None => &NoPlugins,
        }
    }
}

/// The calendar of a project with these facts: Alsace-Moselle's (two more public holidays) when
/// every department of `territoire.departements` is 57, 67 or 68, else the national one.
pub fn calendar_for(facts: &BTreeMap<String, Value>) -> Calendar {
    let departements = match facts.get("territoire") {
        Some(Value::Record(t)) => t.get("departements").cloned(),
        _ => None,
    };
    let alsace_moselle = departements
        .as_ref()
        .and_then(|d| d.elements())
        .is_some_and(|ds| {
            !ds.is_empty()
                && ds.iter().all(
                    |d| matches!(d, Value::Text(t) if ["57", "67", "68"].contains(&t.as_str())),
                )
        });
    if alsace_moselle {
        Calendar::alsace_moselle()
    } else {
        Calendar::national()
    }
}

/// Today's date from the system clock (the only clock read in cpts).
pub fn clock_today() -> NaiveDate {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400);
    NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default() + chrono::Days::new(days)
}
