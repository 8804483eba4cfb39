//! The documents of the tooling commands: `cpts explain` (`cpts-explain/1`), `cpts plugin new`
//! (`cpts-plugin-new/1`), `cpts plugin build` (`cpts-plugin-build/1`) and `cpts plugin inspect`
//! (`cpts-plugin/1`).

use super::SeveritySchema;
use crate::{PluginInfo, Severity};
use cpts_diag::Code;
use schemars::JsonSchema;
use serde::Serialize;

/// Diagnostic codes and their documentation: schema `cpts-explain/1`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct ExplainReport {
    /// `cpts-explain/1`.
    #[schemars(extend("const" = ExplainReport::SCHEMA))]
    pub schema: &'static str,
    /// The codes asked for (every code when none was).
    pub codes: Vec<CodeReport>,
}

/// One diagnostic code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct CodeReport {
    /// `E0103`.
    pub id: &'static str,
    /// `unknown-step`.
    pub name: &'static str,
    /// Its default severity.
    #[schemars(with = "SeveritySchema")]
    pub severity: Severity,
    /// One line.
    pub summary: &'static str,
    /// Its documentation (Markdown), only when one code is asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doc: Option<&'static str>,
}

impl ExplainReport {
    /// The schema name and version.
    pub const SCHEMA: &'static str = "cpts-explain/1";

    /// `codes`, with their documentation when `with_doc`.
    pub fn new(codes: &[&'static Code], with_doc: bool) -> ExplainReport {
        ExplainReport {
            schema: ExplainReport::SCHEMA,
            codes: codes
                .iter()
                .map(|c| CodeReport {
                    id: c.id,
                    name: c.name,
                    severity: c.severity,
                    summary: c.summary,
                    doc: with_doc.then_some(c.doc),
                })
                .collect(),
        }
    }
}

/// A plugin crate scaffolded: schema `cpts-plugin-new/1`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct PluginNewReport {
    /// `cpts-plugin-new/1`.
    #[schemars(extend("const" = PluginNewReport::SCHEMA))]
    pub schema: &'static str,
    /// The package name.
    pub name: String,
    /// The folder created.
    pub dir: String,
    /// The SDK it depends on.
    pub sdk: String,
    /// The files written, relative to `dir`.
    pub files: Vec<String>,
}

impl PluginNewReport {
    /// The schema name and version.
    pub const SCHEMA: &'static str = "cpts-plugin-new/1";

    /// The crate `name` made in `dir` against `sdk`, with `files`.
    pub fn new(name: &str, dir: &str, sdk: &str, files: &[&str]) -> PluginNewReport {
        PluginNewReport {
            schema: PluginNewReport::SCHEMA,
            name: name.to_owned(),
            dir: dir.to_owned(),
            sdk: sdk.to_owned(),
            files: files.iter().map(|f| (*f).to_owned()).collect(),
        }
    }
}

/// A plugin built into a component: schema `cpts-plugin-build/1`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct PluginBuildReport {
    /// `cpts-plugin-build/1`.
    #[schemars(extend("const" = PluginBuildReport::SCHEMA))]
    pub schema: &'static str,
    /// The package.
    pub package: String,
    /// Its version.
    pub version: String,
    /// The region it serves.
    pub region: String,
    /// Size in bytes.
    pub size: usize,
    /// The path written.
    pub wasm: String,
}

impl PluginBuildReport {
    /// The schema name and version.
    pub const SCHEMA: &'static str = "cpts-plugin-build/1";

    /// `info` of the component written at `wasm`.
    pub fn new(info: &PluginInfo, wasm: &str) -> PluginBuildReport {
        PluginBuildReport {
            schema: PluginBuildReport::SCHEMA,
            package: info.package.clone(),
            version: info.version.to_string(),
            region: info.region.clone(),
            size: info.size,
            wasm: wasm.to_owned(),
        }
    }
}

/// What a plugin component declares: schema `cpts-plugin/1`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct PluginReport {
    /// `cpts-plugin/1`.
    #[schemars(extend("const" = PluginReport::SCHEMA))]
    pub schema: &'static str,
    /// The package.
    pub package: String,
    /// Its version.
    pub version: String,
    /// The region it serves.
    pub region: String,
    /// The interface it exports (`cpts:plugin/plugin@0.2.0`).
    pub interface: String,
    /// Size in bytes.
    pub size: usize,
    /// Fuel its `describe` used.
    pub describe_fuel: u64,
    /// Its functions.
    pub functions: Vec<PluginFunctionReport>,
    /// The steps it adds to its region's overlay.
    pub steps: Vec<String>,
}

/// A plugin function.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct PluginFunctionReport {
    /// Its name.
    pub name: String,
    /// `guard`, `validation`, …
    pub kind: &'static str,
    /// Its parameters.
    pub params: Vec<PluginParam>,
    /// Its result type.
    pub result: String,
    /// Its documentation.
    pub doc: String,
}

/// A parameter of a plugin function.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct PluginParam {
    /// Its name.
    pub name: String,
    /// Its type, as in rules.
    #[serde(rename = "type")]
    pub ty: String,
}

impl PluginReport {
    /// The schema name and version.
    pub const SCHEMA: &'static str = "cpts-plugin/1";

    /// What `info` declares.
    pub fn new(info: &PluginInfo) -> PluginReport {
        PluginReport {
            schema: PluginReport::SCHEMA,
            package: info.package.clone(),
            version: info.version.to_string(),
            region: info.region.clone(),
            interface: info.interface.clone(),
            size: info.size,
            describe_fuel: info.describe_fuel,
            functions: info
                .functions
                .iter()
                .map(|f| PluginFunctionReport {
                    name: f.name.clone(),
                    kind: f.kind,
                    params: f
                        .params
                        .iter()
                        .map(|(name, ty)| PluginParam {
                            name: name.clone(),
                            ty: ty.clone(),
                        })
                        .collect(),
                    result: f.result.clone(),
                    doc: f.doc.clone(),
                })
                .collect(),
            steps: info.steps.clone(),
        }
    }
}
