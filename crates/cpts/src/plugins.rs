//! Finding, loading and checking the plugins the rules declare.

use cpts_diag::{Diagnostic, FileId, Sources, codes};
use cpts_lang::Checked;
use cpts_lang::model::PluginDecl;
use cpts_plugin_host::{Host, LoadError, LoadErrorKind};
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;

/// Where plugins come from, and the limits they run under.
#[derive(Clone, Debug)]
pub struct PluginConfig {
    /// Folders searched for `package.wasm`, in order.
    pub dirs: Vec<PathBuf>,
    /// Whether the plugins bundled with cpts (those of the reference rules in `rules/regions/`)
    /// are used for a package no folder holds.
    pub bundled: bool,
    /// Limits and compiled-component cache.
    pub host: cpts_plugin_host::Options,
    /// Only the plugins these regions declare (`None`: every region's). Checking rules needs
    /// them all; a command on one project needs only its region's, and loading none of the
    /// others saves compiling them on a cold start (see [`PluginConfig::for_project`]).
    pub regions: Option<Vec<String>>,
}

impl PluginConfig {
    /// The same configuration, loading only the plugins of the region the project file at
    /// `path` is pinned to (none for a national project). When the file's header cannot be
    /// read, every plugin is loaded, and opening the project reports the problem.
    pub fn for_project(&self, path: &std::path::Path) -> PluginConfig {
        let header = std::fs::read_to_string(path)
            .ok()
            .and_then(|text| cpts_project::read_header(cpts_diag::FileId(0), &text).ok());
        PluginConfig {
            regions: header.map(|h| h.target.region.into_iter().collect()),
            ..self.clone()
        }
    }
}

impl PluginConfig {
    /// No folder, the bundled plugins, default limits, no compilation cache, nothing read from
    /// the environment: every run compiles the plugins anew (tests that must not share state).
    pub fn isolated() -> PluginConfig {
        PluginConfig {
            dirs: Vec::new(),
            bundled: true,
            host: cpts_plugin_host::Options::default(),
            regions: None,
        }
    }
}

impl Default for PluginConfig {
    /// What the `cpts` command uses: the folders of `CPTS_PLUGIN_PATH`, then the bundled
    /// plugins; default limits; compiled components kept in [`cache_dir`], so that a program
    /// embedding cpts starts in milliseconds once the plugins were compiled once.
    fn default() -> PluginConfig {
        let mut config = PluginConfig::isolated();
        if let Some(path) = std::env::var_os("CPTS_PLUGIN_PATH") {
            config
                .dirs
                .extend(std::env::split_paths(&path).filter(|p| !p.as_os_str().is_empty()));
        }
        config.host.cache = cache_dir();
        config
    }
}

/// Where compiled plugins are kept: `$XDG_CACHE_HOME/cpts`, else `$HOME/.cache/cpts`.
pub fn cache_dir() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
    Some(base.join("cpts"))
}

/// Loads every plugin a region of `checked` declares and checks it against each declaration.
/// Returns no host when no region declares a plugin.
pub(crate) fn load(
    checked: &Checked,
    config: &PluginConfig,
) -> (Option<Arc<Host>>, Vec<Diagnostic>) {
    let declared: Vec<&PluginDecl> = checked
        .plugins
        .iter()
        .filter(|(region, _)| config.regions.as_ref().is_none_or(|rs| rs.contains(region)))
        .flat_map(|(_, decls)| decls)
        .collect();
    if declared.is_empty() {
        return (None, Vec::new());
    }
    let mut problems = Vec::new();
    let mut host = match Host::new(config.host.clone()) {
        Ok(host) => host,
        Err(e) => {
            let first = declared[0];
            problems.push(load_error(&e, first));
            return (None, problems);
        }
    };
    let mut failed: Vec<&str> = Vec::new();
    for decl in declared {
        if failed.contains(&decl.package.as_str()) {
            continue;
        }
        if host.plugin(&decl.package).is_none()
            && let Err(d) = find_and_load(&mut host, decl, config)
        {
            problems.push(*d);
            failed.push(&decl.package);
            continue;
        }
        let Some(info) = host.plugin(&decl.package) else {
            continue;
        };
        for m in cpts_plugin_host::check_declaration(info, decl) {
            problems.push(
                Diagnostic::new(&codes::PLUGIN_SIGNATURE, m.message)
                    .at(m.span)
                    .help(m.hint)
                    .note(origin(info)),
            );
        }
    }
    (Some(Arc::new(host)), problems)
}

/// Adds to `sources` one file per plugin that contributes steps to its region (the region its
/// manifest names, when that region declares it), written as a `region` block holding the steps;
/// returns their ids, for [`cpts_lang::check_with`].
pub(crate) fn contributions(
    checked: &Checked,
    host: &Host,
    sources: &mut Sources,
) -> BTreeSet<FileId> {
    let mut files = BTreeSet::new();
    for info in host.plugins().filter(|i| !i.steps.is_empty()) {
        let declares = checked
            .plugins
            .get(&info.region)
            .is_some_and(|decls| decls.iter().any(|d| d.package == info.package));
        let extends =
            checked
                .files
                .iter()
                .flat_map(|(_, f)| &f.items)
                .find_map(|item| match item {
                    cpts_lang::syntax::Item::Region(r) if r.name.name == info.region => {
                        Some(r.extends.name.clone())
                    }
                    _ => None,
                });
        let (true, Some(extends)) = (declares, extends) else {
            continue;
        };
        let mut text = format!(
            "// Étapes apportées par le plugin `{}` {} à la région `{}`.\n\
             region {} \"{}\" extends {extends} {{\n",
            info.package, info.version, info.region, info.region, info.package
        );
        for step in &info.steps {
            text.push_str(step.trim_end());
            text.push_str("\n\n");
        }
        text.push_str("}\n");
        files.insert(sources.add(format!("<plugin {}>", info.package), text));
    }
    files
}

fn origin(info: &cpts_plugin_host::PluginInfo) -> String {
    match &info.path {
        Some(path) => format!("plugin loaded from `{}`", path.display()),
        None => "plugin bundled with cpts".into(),
    }
}

fn find_and_load(
    host: &mut Host,
    decl: &PluginDecl,
    config: &PluginConfig,
) -> Result<(), Box<Diagnostic>> {
    let file = format!("{}.wasm", decl.package);
    for dir in &config.dirs {
        let path = dir.join(&file);
        if path.is_file() {
            return host.load_file(&path).map(|_| ()).map_err(|e| {
                Box::new(load_error(&e, decl).note(format!("file: `{}`", path.display())))
            });
        }
    }
    if config.bundled
        && let Some(bytes) = cpts_plugins::bundled(&decl.package)
    {
        return host
            .load_bytes(bytes)
            .map(|_| ())
            .map_err(|e| Box::new(load_error(&e, decl).note("the plugin bundled with cpts")));
    }
    let searched = if config.dirs.is_empty() {
        "no plugin folder was given".to_owned()
    } else {
        format!(
            "searched: {}",
            config
                .dirs
                .iter()
                .map(|d| format!("`{}`", d.display()))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    Err(Box::new(
        Diagnostic::new(
            &codes::PLUGIN_NOT_FOUND,
            format!("plugin `{}` not found: no `{file}`", decl.package),
        )
        .at_with(decl.span, "declared here")
        .note(searched)
        .help("build it (`cargo build --release --target wasm32-wasip2`) and pass its folder with `--plugins DIR` or `CPTS_PLUGIN_PATH`"),
    ))
}

fn load_error(e: &LoadError, decl: &PluginDecl) -> Diagnostic {
    let code = match e.kind {
        LoadErrorKind::Capability => &codes::PLUGIN_CAPABILITY,
        LoadErrorKind::InterfaceVersion => &codes::PLUGIN_INTERFACE,
        LoadErrorKind::Unreadable
        | LoadErrorKind::NotAComponent
        | LoadErrorKind::Manifest
        | LoadErrorKind::Host => &codes::PLUGIN_INVALID,
    };
    let mut d = Diagnostic::new(code, format!("plugin `{}`: {}", decl.package, e.message))
        .at_with(decl.span, "declared here");
    if let Some(hint) = &e.hint {
        d = d.help(hint.clone());
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    fn packages(config: &PluginConfig) -> Vec<String> {
        let rules = concat!(env!("CARGO_MANIFEST_DIR"), "/../../rules");
        let rules = crate::Rules::load_with(&[rules], config).expect("the rules load");
        rules
            .plugins()
            .map(|h| h.plugins().map(|p| p.package.clone()).collect())
            .unwrap_or_default()
    }

    #[test]
    fn the_steps_a_plugin_contributes_join_its_region() {
        let rules = concat!(env!("CARGO_MANIFEST_DIR"), "/../../rules");
        let rules = crate::Rules::load(&[rules]).expect("the rules load");
        let target = cpts_lang::model::Target {
            workflow: "creation".into(),
            version: "aci-2022".into(),
            region: Some("cvl".into()),
        };
        let (model, _) = cpts_lang::model::build(rules.checked(), &target).unwrap();
        let step = model
            .nodes
            .iter()
            .find(|n| n.name == "reunion_referents")
            .expect("the CVL plugin's step");
        assert_eq!(
            rules.sources().get(step.span.file).name,
            "<plugin centre-val-de-loire>"
        );
        assert_eq!(step.origin, cpts_lang::model::Origin::Region("cvl".into()));
        // Only the region the plugin's manifest names: `cvl_cts` declares its own.
        let cts = cpts_lang::model::Target {
            workflow: "creation_cts".into(),
            version: "cts-2016".into(),
            region: Some("cvl_cts".into()),
        };
        let (model, _) = cpts_lang::model::build(rules.checked(), &cts).unwrap();
        let step = model
            .nodes
            .iter()
            .find(|n| n.name == "reunion_referents")
            .unwrap();
        assert_ne!(
            rules.sources().get(step.span.file).name,
            "<plugin centre-val-de-loire>"
        );
    }

    #[test]
    fn a_project_loads_only_its_regions_plugins() {
        let all = packages(&PluginConfig::default());
        assert_eq!(all.len(), 3, "{all:?}");
        let project = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../examples/projects/bfc-mi-parcours.toml"
        );
        let one = packages(&PluginConfig::default().for_project(std::path::Path::new(project)));
        assert_eq!(one, ["bourgogne-franche-comte"]);
        let national = PluginConfig {
            regions: Some(Vec::new()),
            ..PluginConfig::default()
        };
        assert!(packages(&national).is_empty());
    }
}
