//! Loading a plugin: compile, refuse any import, check the interface version, pre-instantiate,
//! read and check the manifest.

use crate::bindings::cpts::plugin::types as wit;
use crate::sandbox::{Instance, Plugin, Pre, Sandboxed};
use crate::{FunctionInfo, INTERFACE, INTERFACE_VERSION, PluginInfo, v0_1};
use cpts_diag::Severity;
use cpts_engine::PluginFinding;
use std::fmt;
use std::path::PathBuf;

/// Why a plugin could not be loaded.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadError {
    /// What kind of problem.
    pub kind: LoadErrorKind,
    /// What went wrong (English).
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
}

/// Kinds of [`LoadError`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoadErrorKind {
    /// The file cannot be read.
    Unreadable,
    /// Not a WebAssembly component, or it does not compile.
    NotAComponent,
    /// It imports something: plugins get no capability.
    Capability,
    /// It does not export a supported version of the plugin interface.
    InterfaceVersion,
    /// Its manifest could not be read, or is inconsistent.
    Manifest,
    /// The host itself could not start (engine, cache directory, ticker thread).
    Host,
}

impl LoadError {
    pub(crate) fn new(kind: LoadErrorKind, message: String) -> LoadError {
        LoadError {
            kind,
            message,
            hint: None,
        }
    }

    pub(crate) fn hint(mut self, hint: impl Into<String>) -> LoadError {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for LoadError {}

/// Compiles and checks a plugin, and reads its manifest.
pub(crate) fn load(
    sandbox: &Sandboxed,
    bytes: &[u8],
    path: Option<PathBuf>,
) -> Result<(PluginInfo, Plugin), LoadError> {
    let component = sandbox.compile(bytes)?;
    let ty = component.component_type();
    let imports: Vec<String> = ty
        .imports(&sandbox.engine)
        .map(|(name, _)| name.to_owned())
        .filter(|name| !allowed(name))
        .collect();
    if !imports.is_empty() {
        return Err(capabilities(&imports));
    }
    let exports: Vec<String> = ty
        .exports(&sandbox.engine)
        .map(|(name, _)| name.to_owned())
        .collect();
    let (interface, minor) = interface(&exports)?;
    let pre = sandbox
        .linker
        .instantiate_pre(&component)
        .and_then(|pre| match minor {
            1 => v0_1::bindings::RegionPluginPre::new(pre).map(Pre::V0_1),
            _ => crate::bindings::RegionPluginPre::new(pre).map(Pre::V0_2),
        })
        .map_err(|e| {
            LoadError::new(
                LoadErrorKind::InterfaceVersion,
                format!("does not implement `{interface}` as the host expects: {e}"),
            )
        })?;
    let plugin = sandbox.plugin(pre);
    // Until the manifest is read, failures name the file.
    let provisional = PluginInfo {
        package: path
            .as_ref()
            .and_then(|p| p.file_stem())
            .map_or("<bytes>".into(), |s| s.to_string_lossy().into_owned()),
        version: semver::Version::new(0, 0, 0),
        region: String::new(),
        interface: interface.clone(),
        functions: Vec::new(),
        steps: Vec::new(),
        size: bytes.len(),
        path: path.clone(),
        describe_fuel: 0,
    };
    let (manifest, fuel) = sandbox
        .invoke(&plugin, &provisional, "describe", |store, instance| {
            Ok(match instance {
                Instance::V0_1(p) => v0_1::manifest(p.cpts_plugin_plugin().call_describe(store)?),
                Instance::V0_2(p) => p.cpts_plugin_plugin().call_describe(store)?,
            })
        })
        .map_err(|f| LoadError::new(LoadErrorKind::Manifest, f.message))?;
    let info = manifest_info(manifest, interface, bytes.len(), path, fuel)?;
    Ok((info, plugin))
}

/// Whether the host provides import `name` (harmlessly).
fn allowed(name: &str) -> bool {
    use crate::sandbox::{ALLOWED_IMPORTS, ALLOWED_TERMINAL_IMPORTS};
    ALLOWED_IMPORTS.iter().any(|p| name.starts_with(p))
        || name.starts_with(ALLOWED_TERMINAL_IMPORTS)
}

/// Which capability an import would give, for the message.
fn capability(import: &str) -> &'static str {
    let prefixes = [
        ("wasi:filesystem", "the filesystem"),
        ("wasi:sockets", "the network"),
        ("wasi:http", "the network"),
        ("wasi:clocks", "a clock"),
        ("wasi:random", "randomness"),
    ];
    prefixes
        .iter()
        .find(|(prefix, _)| import.starts_with(prefix))
        .map_or("a host function", |(_, what)| what)
}

fn capabilities(imports: &[String]) -> LoadError {
    let list: Vec<String> = imports
        .iter()
        .map(|i| format!("`{i}` ({})", capability(i)))
        .collect();
    LoadError::new(
        LoadErrorKind::Capability,
        format!(
            "imports {}; plugins get no capability: no filesystem, network, clock, randomness or environment",
            list.join(", ")
        ),
    )
    .hint("a plugin computes from its arguments only: remove the code that uses these (reading files, asking the time, random numbers, sockets)")
}

/// The plugin interface the component exports and its minor version, if the host supports it.
fn interface(exports: &[String]) -> Result<(String, u64), LoadError> {
    let prefix = format!("{INTERFACE}@");
    let Some(export) = exports.iter().find(|e| e.starts_with(&prefix)) else {
        return Err(LoadError::new(
            LoadErrorKind::InterfaceVersion,
            format!(
                "does not export the plugin interface `{INTERFACE}` (exports: {})",
                if exports.is_empty() {
                    "nothing".to_owned()
                } else {
                    exports.join(", ")
                }
            ),
        )
        .hint("a plugin implements the world `region-plugin` of `wit/cpts-plugin/`; the cpts SDK's `register!` does it"));
    };
    let version = semver::Version::parse(&export[prefix.len()..]).map_err(|e| {
        LoadError::new(
            LoadErrorKind::InterfaceVersion,
            format!("exports `{export}`, whose version does not parse: {e}"),
        )
    })?;
    let compatible = crate::SUPPORTED_VERSIONS.iter().any(|supported| {
        semver::Version::parse(supported)
            .is_ok_and(|s| s.major == version.major && s.minor == version.minor)
    });
    if !compatible || version.pre != semver::Prerelease::EMPTY {
        let supported: Vec<String> = crate::SUPPORTED_VERSIONS
            .iter()
            .map(|v| format!("`{INTERFACE}@{}.x`", &v[..v.rfind('.').unwrap_or(v.len())]))
            .collect();
        return Err(LoadError::new(
            LoadErrorKind::InterfaceVersion,
            format!(
                "exports `{export}`; this host supports {}",
                supported.join(" and ")
            ),
        )
        .hint(format!(
            "rebuild the plugin against the cpts SDK for interface {INTERFACE_VERSION}"
        )));
    }
    Ok((export.clone(), version.minor))
}

fn manifest_info(
    manifest: wit::Manifest,
    interface: String,
    size: usize,
    path: Option<PathBuf>,
    describe_fuel: u64,
) -> Result<PluginInfo, LoadError> {
    let bad = |what: String| LoadError::new(LoadErrorKind::Manifest, format!("manifest: {what}"));
    let package_ok = !manifest.package.is_empty()
        && manifest
            .package
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !package_ok {
        return Err(bad(format!(
            "package name `{}` is not lowercase letters, digits and dashes",
            manifest.package
        )));
    }
    let version = semver::Version::parse(&manifest.version)
        .map_err(|e| bad(format!("version `{}` is not semver: {e}", manifest.version)))?;
    let mut functions: Vec<FunctionInfo> = Vec::new();
    for f in manifest.functions {
        if functions.iter().any(|g| g.name == f.name) {
            return Err(bad(format!("function `{}` is declared twice", f.name)));
        }
        functions.push(FunctionInfo {
            name: f.name,
            kind: match f.kind {
                wit::FunctionKind::Guard => "guard",
                wit::FunctionKind::Computed => "computed",
                wit::FunctionKind::Validation => "validation",
            },
            params: f.params.into_iter().map(|p| (p.name, p.type_)).collect(),
            result: f.result,
            doc: f.doc,
        });
    }
    Ok(PluginInfo {
        package: manifest.package,
        version,
        region: manifest.region,
        interface,
        functions,
        steps: manifest.steps,
        size,
        path,
        describe_fuel,
    })
}

/// A plugin's refusal of a call, in words.
pub(crate) fn describe_call_error(e: &wit::CallError) -> String {
    match e {
        wit::CallError::UnknownFunction(name) => {
            format!("the plugin has no such function (it says: {name})")
        }
        wit::CallError::BadArguments(why) => format!("the plugin refused its arguments: {why}"),
        wit::CallError::Failed(why) => format!("the plugin failed: {why}"),
    }
}

/// Findings from a validation, checked: bounded in number and size.
pub(crate) fn findings(findings: Vec<wit::Finding>) -> Result<Vec<PluginFinding>, String> {
    const MAX_FINDINGS: usize = 1_000;
    const MAX_MESSAGE: usize = 2_000;
    if findings.len() > MAX_FINDINGS {
        return Err(format!(
            "malformed result: {} findings, more than the {MAX_FINDINGS} allowed",
            findings.len()
        ));
    }
    findings
        .into_iter()
        .map(|f| {
            if f.message.len() > MAX_MESSAGE || f.code.len() > 64 {
                return Err(format!(
                    "malformed result: finding `{}` has a code or message too long",
                    f.code.chars().take(64).collect::<String>()
                ));
            }
            Ok(PluginFinding {
                code: f.code,
                severity: match f.severity {
                    wit::Severity::Error => Severity::Error,
                    wit::Severity::Warning => Severity::Warning,
                    wit::Severity::Info => Severity::Info,
                },
                message: f.message,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interface_versions() {
        let ok = interface(&["cpts:plugin/plugin@0.2.0".into()]);
        assert_eq!(ok, Ok(("cpts:plugin/plugin@0.2.0".into(), 2)));
        let older = interface(&["cpts:plugin/plugin@0.1.0".into()]);
        assert_eq!(older, Ok(("cpts:plugin/plugin@0.1.0".into(), 1)));
        assert!(interface(&["cpts:plugin/plugin@0.1.7".into()]).is_ok());
        let newer = interface(&["cpts:plugin/plugin@0.3.0".into()]).unwrap_err();
        assert_eq!(newer.kind, LoadErrorKind::InterfaceVersion);
        assert_eq!(
            newer.message,
            "exports `cpts:plugin/plugin@0.3.0`; this host supports `cpts:plugin/plugin@0.1.x` and `cpts:plugin/plugin@0.2.x`"
        );
        assert!(interface(&["cpts:plugin/plugin@0.2.0-rc.1".into()]).is_err());
        let none = interface(&["other:thing/x@1.0.0".into()]).unwrap_err();
        assert!(none.message.contains("does not export"));
    }

    #[test]
    fn imports_name_the_capability() {
        let e = capabilities(&[
            "wasi:filesystem/types@0.2.0".into(),
            "wasi:clocks/wall-clock@0.2.0".into(),
        ]);
        assert_eq!(e.kind, LoadErrorKind::Capability);
        assert!(
            e.message
                .contains("`wasi:filesystem/types@0.2.0` (the filesystem)")
        );
        assert!(e.message.contains("(a clock)"));
    }
}
