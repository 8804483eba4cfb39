//! Opening a project file against loaded rules.

use crate::Rules;
use chrono::NaiveDate;
use cpts_diag::{Diagnostic, FileId, Sources, codes};
use cpts_engine::{Calendar, Plan, Status, Value};
use cpts_engine::{NoPlugins, Plugins};
use cpts_lang::model::Model;
use cpts_plugin_host::Host;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A project file read and validated against the rules it is pinned to.
#[derive(Clone)]
pub struct Project {
    path: PathBuf,
    text: Arc<str>,
    file: FileId,
    plan: Arc<Plan>,
    project: cpts_project::Project,
    sources: Sources,
    warnings: Vec<Diagnostic>,
    plugins: Option<Arc<Host>>,
    in_memory: bool,
    /// The facts converted for the plan's compiled program, on the first instance, shared by
    /// the next ones (and the project's clones).
    compiled: Arc<std::sync::OnceLock<Arc<cpts_engine::Facts>>>,
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
        let (plan, version_problems) = match rules.plan(&header.target) {
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
        let (project, mut problems) = cpts_project::read(file, &text, plan.model());
        problems.extend(version_problems);
        match project {
            Some(project) if !cpts_diag::has_errors(&problems) => Ok(Project {
                path: path.to_path_buf(),
                text: text.into(),
                file,
                plan,
                project,
                sources,
                warnings: problems,
                plugins: rules.plugins.clone(),
                in_memory: false,
                compiled: Arc::default(),
            }),
            _ => Err((sources, problems)),
        }
    }

    /// A project built from data, without a file (a database row, a request): validated like a
    /// file, with the same diagnostics, pointing into its canonical text (see
    /// [`Project::to_toml`]), named `NAME.toml`. [`Project::advance`] refuses to write it:
    /// record entries with [`Instance::record`](crate::Instance::record) and keep
    /// [`Instance::to_data`](crate::Instance::to_data).
    pub fn from_data(
        rules: &Rules,
        data: &cpts_project::ProjectData,
    ) -> Result<Project, (Sources, Vec<Diagnostic>)> {
        let target = cpts_lang::model::Target {
            workflow: data.workflow.clone(),
            version: data.version.clone(),
            region: data.region.clone(),
        };
        let plan = rules.plan(&target).ok().map(|(plan, _)| plan);
        let text = cpts_project::to_toml(data, plan.as_ref().map(|p| p.model()));
        let name: String = data
            .name
            .chars()
            .map(|c| if c == '/' || c == '\\' { '_' } else { c })
            .collect();
        let mut project = Project::from_text(rules, format!("{name}.toml"), text)?;
        project.in_memory = true;
        Ok(project)
    }

    /// The project as data: header, facts as JSON values, journal.
    pub fn to_data(&self) -> cpts_project::ProjectData {
        project_data(
            &self.project.header,
            &self.project.facts,
            self.project.events.iter(),
            self.model(),
        )
    }

    /// The project as a canonical project file (what [`Project::from_data`] validates, and what
    /// `cpts status` reads the same way).
    pub fn to_toml(&self) -> String {
        cpts_project::to_toml(&self.to_data(), Some(self.model()))
    }

    /// Whether the project was built from data, not read from a file.
    pub fn in_memory(&self) -> bool {
        self.in_memory
    }

    /// The project's status on `today` (default: the file's `project.today`, else the clock).
    pub fn status(&self, today: Option<NaiveDate>) -> Status {
        self.instance(today).status()
    }

    /// The project as an [`Instance`](crate::Instance) on `today` (default: the file's
    /// `project.today`, else the clock), to record entries and move the clock.
    pub fn instance(&self, today: Option<NaiveDate>) -> crate::Instance {
        crate::Instance::new(self.clone(), today)
    }

    /// The day the project is looked at: `today` if given, else the file's `project.today`,
    /// else the clock.
    pub fn today(&self, today: Option<NaiveDate>) -> NaiveDate {
        today
            .or(self.project.header.today)
            .unwrap_or_else(clock_today)
    }

    /// The model prepared for executions, shared by every project pinned to the same target.
    pub fn plan(&self) -> &Arc<Plan> {
        &self.plan
    }

    /// The facts, converted once for the compiled program.
    pub(crate) fn compiled_facts(&self) -> Arc<cpts_engine::Facts> {
        Arc::clone(self.compiled.get_or_init(|| {
            Arc::new(cpts_engine::Facts::shared(
                self.plan.program(),
                Arc::clone(&self.project.facts),
            ))
        }))
    }

    /// The plugin host the rules call, when a region declares plugins.
    pub(crate) fn host(&self) -> Option<&Arc<Host>> {
        self.plugins.as_ref()
    }

    /// Splits the project into what an instance keeps.
    pub(crate) fn into_parts(self) -> (ProjectFile, cpts_project::Project) {
        (
            ProjectFile {
                path: self.path,
                text: self.text,
                file: self.file,
                plan: self.plan,
                sources: self.sources,
                warnings: self.warnings,
            },
            self.project,
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
        self.instance(today).simulate(options, progress)
    }

    /// The calendar: Alsace-Moselle's when every department of the territory is 57, 67 or 68.
    pub fn calendar(&self) -> Calendar {
        calendar_for(&self.project.facts)
    }

    /// The model (workflow, version, region) the project is pinned to.
    pub fn model(&self) -> &Model {
        self.plan.model()
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

/// What a project keeps of its file besides facts and journal: where it is, its text, the rules'
/// sources with it, and the warnings reading it gave.
#[derive(Clone)]
pub(crate) struct ProjectFile {
    pub(crate) path: PathBuf,
    pub(crate) text: Arc<str>,
    pub(crate) file: FileId,
    pub(crate) plan: Arc<Plan>,
    pub(crate) sources: Sources,
    pub(crate) warnings: Vec<Diagnostic>,
}

/// A project's header, facts and journal as data.
pub(crate) fn project_data<'a>(
    header: &cpts_project::Header,
    facts: &BTreeMap<String, Value>,
    events: impl Iterator<Item = &'a cpts_engine::Event>,
    model: &Model,
) -> cpts_project::ProjectData {
    cpts_project::ProjectData {
        name: header.name.clone(),
        workflow: header.target.workflow.clone(),
        version: header.target.version.clone(),
        region: header.target.region.clone(),
        today: header.today,
        facts: cpts_project::facts_json(facts),
        journal: events
            .map(|e| cpts_project::Entry::of_event(model, e))
            .collect(),
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
