//! `cpts schema`: the JSON Schema (draft 2020-12) of project files for one workflow, version and
//! region, generated from the rules' types (see `cpts_project::json_schema`); or, with
//! `--output`, of a command's JSON output, generated from the result types (`cpts::report`).

use crate::{EXIT_OK, EXIT_USAGE, render};
use cpts_diag::{Diagnostic, codes};
use cpts_lang::model::{self, Target};
use std::io::Write;
use std::path::PathBuf;

/// Prints the schema of project files pinned to `workflow`, `version` (default: the newest) and
/// `region`. Exit codes: 0 printed, 1 the rules have errors, 2 unknown workflow, version or region,
/// or unreadable rules.
pub(crate) fn run(
    rules: &[PathBuf],
    workflow: &str,
    version: Option<&str>,
    region: Option<&str>,
    plugins: &cpts::PluginConfig,
    out: &mut dyn Write,
) -> u8 {
    let rules = match crate::open::rules(
        rules,
        &cpts::PluginConfig {
            regions: Some(region.map(String::from).into_iter().collect()),
            ..plugins.clone()
        },
        crate::Format::Human,
        false,
        out,
    ) {
        Ok(r) => r,
        Err(status) => return status,
    };
    let target = choose(rules.checked(), workflow, version, region);
    let built = target.and_then(|t| model::build(rules.checked(), &t).map_err(|d| *d));
    let model = match built {
        Ok((m, _)) => m,
        Err(d) => {
            let one = std::slice::from_ref(&d);
            let _ = render::human(rules.sources(), one, one, false, out);
            return EXIT_USAGE;
        }
    };
    let schema = cpts_project::json_schema(&model);
    match serde_json::to_writer_pretty(&mut *out, &schema)
        .map_err(std::io::Error::other)
        .and_then(|()| writeln!(out))
    {
        Ok(()) => EXIT_OK,
        Err(_) => EXIT_USAGE,
    }
}

/// The JSON documents the commands print, by the name `--output` takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Output {
    /// `cpts status` (`cpts-status/2`)
    Status,
    /// `cpts next` (`cpts-status/2`, fewer findings)
    Next,
    /// `cpts check` and the problems of every command (`cpts-check/2`)
    Check,
    /// `cpts advance` (`cpts-advance/2`)
    Advance,
    /// `cpts simulate` (`cpts-simulate/1`)
    Simulate,
    /// `cpts test` (`cpts-test/2`)
    Test,
    /// `cpts graph --format json` (`cpts-graph/1`)
    Graph,
    /// `cpts fmt` (`cpts-fmt/2`)
    Fmt,
    /// An error that is not a diagnostic (`cpts-error/1`)
    Error,
    /// `cpts explain` (`cpts-explain/1`)
    Explain,
    /// `cpts plugin new` (`cpts-plugin-new/1`)
    PluginNew,
    /// `cpts plugin build` (`cpts-plugin-build/1`)
    PluginBuild,
    /// `cpts plugin inspect` (`cpts-plugin/1`)
    Plugin,
}

impl Output {
    /// Every document.
    pub(crate) const ALL: [Output; 13] = [
        Output::Status,
        Output::Next,
        Output::Check,
        Output::Advance,
        Output::Simulate,
        Output::Test,
        Output::Graph,
        Output::Fmt,
        Output::Error,
        Output::Explain,
        Output::PluginNew,
        Output::PluginBuild,
        Output::Plugin,
    ];

    /// The JSON Schema of the document, generated from its type.
    pub(crate) fn json_schema(self) -> serde_json::Value {
        use cpts::report::{self as r, json_schema};
        match self {
            Output::Status | Output::Next => json_schema::<r::StatusReport>(),
            Output::Check => json_schema::<r::CheckReport>(),
            Output::Advance => json_schema::<r::AdvanceReport>(),
            Output::Simulate => json_schema::<r::SimulateReport>(),
            Output::Test => json_schema::<cpts_scenario::report::TestReport>(),
            Output::Graph => json_schema::<r::GraphReport>(),
            Output::Fmt => json_schema::<r::FmtReport>(),
            Output::Error => json_schema::<r::ErrorReport>(),
            Output::Explain => json_schema::<r::ExplainReport>(),
            Output::PluginNew => json_schema::<r::PluginNewReport>(),
            Output::PluginBuild => json_schema::<r::PluginBuildReport>(),
            Output::Plugin => json_schema::<r::PluginReport>(),
        }
    }
}

/// Prints the JSON Schema of the output document `which`.
pub(crate) fn output(which: Output, out: &mut dyn Write) -> u8 {
    match crate::render::json_doc(&which.json_schema(), out) {
        Ok(()) => EXIT_OK,
        Err(_) => EXIT_USAGE,
    }
}

/// The JSON Schema of the output document named `name` (`status`, `check`, …), for tests.
pub fn output_schema(name: &str) -> Option<serde_json::Value> {
    use clap::ValueEnum;
    Output::from_str(name, false).ok().map(Output::json_schema)
}

/// The names `--output` takes.
pub fn output_names() -> Vec<String> {
    use clap::ValueEnum;
    Output::ALL
        .iter()
        .filter_map(|o| o.to_possible_value().map(|v| v.get_name().to_owned()))
        .collect()
}

/// The target: the workflow must exist, the version defaults to its newest, the region must
/// extend it (for that version).
fn choose(
    checked: &cpts_lang::Checked,
    workflow: &str,
    version: Option<&str>,
    region: Option<&str>,
) -> Result<Target, Diagnostic> {
    let targets = model::targets(checked);
    let mut workflows: Vec<&str> = targets.iter().map(|t| t.workflow.as_str()).collect();
    workflows.dedup();
    if !workflows.contains(&workflow) {
        return Err(Diagnostic::new(
            &codes::UNKNOWN_WORKFLOW,
            format!("unknown workflow `{workflow}`"),
        )
        .note(format!("workflows: {}", workflows.join(", "))));
    }
    let ours = || targets.iter().filter(|t| t.workflow == workflow);
    let version = match version {
        Some(v) => v.to_owned(),
        // Targets list versions in declaration order, oldest first.
        None => ours()
            .next_back()
            .map(|t| t.version.clone())
            .unwrap_or_default(),
    };
    if let Some(r) = region
        && !ours().any(|t| t.region.as_deref() == Some(r))
    {
        let mut regions: Vec<&str> = ours().filter_map(|t| t.region.as_deref()).collect();
        regions.sort_unstable();
        regions.dedup();
        return Err(Diagnostic::new(
            &codes::UNKNOWN_REGION,
            format!("unknown region `{r}` for workflow `{workflow}`"),
        )
        .note(format!("regions: {}", regions.join(", "))));
    }
    if let Some(r) = region
        && ours().any(|t| t.version == version)
        && !ours().any(|t| t.version == version && t.region.as_deref() == Some(r))
    {
        let versions: Vec<&str> = ours()
            .filter(|t| t.region.as_deref() == Some(r))
            .map(|t| t.version.as_str())
            .collect();
        return Err(Diagnostic::new(
            &codes::UNKNOWN_REGION,
            format!("region `{r}` does not apply to version `{version}` of `{workflow}`"),
        )
        .note(format!("versions it applies to: {}", versions.join(", "))));
    }
    // An unknown version is reported by `model::build`, with the versions there are.
    Ok(Target {
        workflow: workflow.to_owned(),
        version,
        region: region.map(str::to_owned),
    })
}
