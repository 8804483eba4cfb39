//! Loading and checking rules.

use crate::plugins::PluginConfig;
use cpts_diag::{Diagnostic, FileId, Sources, codes};
use cpts_engine::Plan;
use cpts_lang::Checked;
use cpts_lang::model::Target;
use cpts_plugin_host::Host;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::Mutex;

/// Loaded and checked rules: every `.cpts` file under the given paths and what they import, and
/// the plugins their regions declare, loaded in the sandbox.
pub struct Rules {
    pub(crate) sources: Sources,
    pub(crate) checked: Checked,
    /// The files holding steps contributed by plugins (see [`cpts_lang::check_with`]).
    pub(crate) contributed: BTreeSet<FileId>,
    /// Problems reading files (unreadable path, no rules found).
    pub(crate) load_problems: Vec<Diagnostic>,
    /// The plugin host, when a region declares plugins.
    pub(crate) plugins: Option<Arc<Host>>,
    /// Problems finding, loading or matching plugins.
    pub(crate) plugin_problems: Vec<Diagnostic>,
    /// The models built so far, each prepared for executions, by target.
    plans: Plans,
}

/// A model built for one target and prepared for executions, with the warnings building it gave,
/// or why it cannot be built.
type PlanResult = Result<(Arc<Plan>, Vec<Diagnostic>), Box<Diagnostic>>;
type Plans = Mutex<BTreeMap<Target, PlanResult>>;

impl Rules {
    /// Loads the rules under `paths` (files or folders). Fails, with every problem, when a path
    /// cannot be read or the rules have errors.
    /// Plugins come from the bundled ones (see [`PluginConfig::default`]).
    pub fn load(paths: &[impl AsRef<Path>]) -> Result<Rules, (Sources, Vec<Diagnostic>)> {
        Rules::load_with(paths, &PluginConfig::default())
    }

    /// [`Rules::load`], with plugins found and run as `plugins` says.
    pub fn load_with(
        paths: &[impl AsRef<Path>],
        plugins: &PluginConfig,
    ) -> Result<Rules, (Sources, Vec<Diagnostic>)> {
        let rules = Rules::load_unchecked_with(paths, plugins);
        let errors: Vec<Diagnostic> = rules
            .diagnostics()
            .into_iter()
            .filter(|d| d.severity == cpts_diag::Severity::Error)
            .collect();
        if errors.is_empty() {
            Ok(rules)
        } else {
            Err((rules.sources, errors))
        }
    }

    /// Loads the rules under `paths` whatever their problems (see [`Rules::diagnostics`]).
    pub fn load_unchecked(paths: &[impl AsRef<Path>]) -> Rules {
        Rules::load_unchecked_with(paths, &PluginConfig::default())
    }

    /// [`Rules::load_unchecked`], with plugins found and run as `plugins` says. Plugins are
    /// loaded only when the rules have no error of their own.
    pub fn load_unchecked_with(paths: &[impl AsRef<Path>], plugins: &PluginConfig) -> Rules {
        let paths: Vec<PathBuf> = paths.iter().map(|p| p.as_ref().to_path_buf()).collect();
        let (mut sources, load_problems) = load(&paths);
        let mut checked = cpts_lang::check(&sources);
        let (plugins, plugin_problems) = if cpts_diag::has_errors(&checked.diagnostics) {
            (None, Vec::new())
        } else {
            crate::plugins::load(&checked, plugins)
        };
        // Steps the plugins contribute join their region's overlay: checked again with them.
        let contributed = match &plugins {
            Some(host) => crate::plugins::contributions(&checked, host, &mut sources),
            None => BTreeSet::new(),
        };
        if !contributed.is_empty() {
            checked = cpts_lang::check_with(&sources, &contributed);
        }
        Rules {
            sources,
            checked,
            contributed,
            load_problems,
            plugins,
            plugin_problems,
            plans: Plans::default(),
        }
    }

    /// The model of `target` (workflow, version, region), prepared for executions, with the
    /// warnings building it gave. Built once per target and shared by every project pinned to it.
    pub fn plan(&self, target: &Target) -> PlanResult {
        let mut plans = self.plans.lock().unwrap_or_else(|e| e.into_inner());
        plans
            .entry(target.clone())
            .or_insert_with(|| {
                cpts_lang::model::build(&self.checked, target)
                    .map(|(model, warnings)| (Arc::new(Plan::new(Arc::new(model))), warnings))
            })
            .clone()
    }

    /// The plugin host, when a region declares plugins and they loaded.
    pub fn plugins(&self) -> Option<&Host> {
        self.plugins.as_deref()
    }

    /// Every source text read so far (rules, and project files opened with these rules).
    pub fn sources(&self) -> &Sources {
        &self.sources
    }

    /// The language checks' result.
    pub fn checked(&self) -> &Checked {
        &self.checked
    }

    /// Problems reading the files, the language checks' findings, and problems with plugins.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        let mut all: Vec<Diagnostic> = self
            .load_problems
            .iter()
            .chain(&self.checked.diagnostics)
            .chain(&self.plugin_problems)
            .cloned()
            .collect();
        cpts_diag::sort(&mut all);
        all
    }

    /// Problems finding, loading or matching the plugins the rules declare.
    pub fn plugin_problems(&self) -> &[Diagnostic] {
        &self.plugin_problems
    }

    /// Problems reading the files only (unreadable path, no rules, not UTF-8).
    pub fn load_problems(&self) -> &[Diagnostic] {
        &self.load_problems
    }

    /// The same rules with their texts replaced by `sources` (a changed copy of
    /// [`Rules::sources`]: `cpts test --mutants` changes one rule at a time), checked anew. The
    /// plugins already loaded are kept.
    pub fn with_sources(&self, sources: Sources) -> Rules {
        let checked = cpts_lang::check_with(&sources, &self.contributed);
        Rules {
            sources,
            checked,
            contributed: self.contributed.clone(),
            load_problems: Vec::new(),
            plugins: self.plugins.clone(),
            plugin_problems: self.plugin_problems.clone(),
            plans: Plans::default(),
        }
    }

    /// Whether a path could not be read or held no rules.
    pub fn unreadable(&self) -> bool {
        !self.load_problems.is_empty()
    }
}

/// Reads every `*.cpts` under `paths` and every file they import.
fn load(paths: &[PathBuf]) -> (Sources, Vec<Diagnostic>) {
    let mut sources = Sources::new();
    let mut problems = Vec::new();
    let mut queue = Vec::new();
    for path in paths {
        if path.is_dir() {
            match rules_files(path) {
                Ok(found) if found.is_empty() => problems.push(
                    Diagnostic::new(
                        &codes::NO_RULES,
                        format!("no `.cpts` file under `{}`", path.display()),
                    )
                    .help("point at the folder holding the rules, usually `rules/`"),
                ),
                Ok(found) => queue.extend(found),
                Err(e) => problems.push(unreadable(path, &e)),
            }
        } else {
            queue.push(path.clone());
        }
    }
    let mut index = 0;
    while index < queue.len() {
        let path = queue[index].clone();
        index += 1;
        let name = cpts_lang::normalize_path(&path.to_string_lossy());
        if sources.find(&name).is_some() {
            continue;
        }
        let text = match std::fs::read(&path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => text,
                Err(_) => {
                    problems.push(
                        Diagnostic::new(
                            &codes::UNREADABLE_FILE,
                            format!("`{}` is not UTF-8 text", path.display()),
                        )
                        .help("save the file as UTF-8"),
                    );
                    continue;
                }
            },
            Err(e) => {
                // A missing import is reported by the checker, with its span.
                if index <= paths.len() || !matches!(e.kind(), std::io::ErrorKind::NotFound) {
                    problems.push(unreadable(&path, &e));
                }
                continue;
            }
        };
        let (file, _) = cpts_lang::parse(cpts_diag::FileId(u32::MAX), &text);
        for import in cpts_lang::imports(&file) {
            let target = cpts_lang::import_path(&name, &import.value);
            if Path::new(&target).is_file() {
                queue.push(PathBuf::from(target));
            }
        }
        sources.add(name, text);
    }
    (sources, problems)
}

pub(crate) fn unreadable(path: &Path, e: &std::io::Error) -> Diagnostic {
    Diagnostic::new(
        &codes::UNREADABLE_FILE,
        format!("cannot read `{}`: {e}", path.display()),
    )
    .help("check the path and the permissions")
}

/// Every `*.cpts` file under `dir` and its subfolders, sorted so that output does not depend on
/// the filesystem: the files `cpts check` (and `cpts fmt`) read from a folder.
pub fn rules_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        if path.is_dir() {
            found.extend(rules_files(&path)?);
        } else if path.extension().is_some_and(|e| e == "cpts") {
            found.push(path);
        }
    }
    Ok(found)
}
