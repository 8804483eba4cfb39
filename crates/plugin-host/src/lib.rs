//! The cpts plugin host: loads regional plugins (WebAssembly components exporting
//! `cpts:plugin/plugin@0.1.x`, see `wit/cpts-plugin/`) and calls them for the engine, through
//! [`cpts_engine::Plugins`], inside a sandbox.
//!
//! - **No ambient capabilities.** The linker provides only what Rust std links for panics and
//!   `print!`, harmlessly: streams into a small buffer (quoted in failures, so a panic message
//!   reaches the diagnostic), an empty environment, no arguments. A plugin that imports anything
//!   else (filesystem, network, clock, randomness, any other host function) is refused at load,
//!   naming each import.
//! - **Limits per call.** Fuel (deterministic: the same call uses the same fuel, reported in
//!   errors), an epoch deadline as the wall-clock safety net, a memory cap. A trap, exhausted fuel
//!   or memory, a timeout or a malformed result become a [`PluginFailure`] naming the plugin, its
//!   version and the function; the engine turns it into a diagnostic at the calling rule and goes
//!   on. A plugin instance that failed is thrown away and made anew from its pre-instance.
//! - **Compiled once.** Components are compiled by Cranelift and, with a cache directory, kept on
//!   disk by content hash (wasmtime's cache): a later run deserialises instead of compiling.
//!   Instances come from a pre-instantiated component on the pooling allocator.
//!
//! ```no_run
//! use cpts_plugin_host::{Host, Options};
//! let mut host = Host::new(Options::default())?;
//! let info = host.load_file("plugins/bourgogne-franche-comte.wasm".as_ref())?;
//! println!("{} {}", info.package, info.version);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod compat;
mod load;
mod sandbox;
mod ticker;
mod values;

pub use compat::{Mismatch, check_declaration};
pub use load::{LoadError, LoadErrorKind};

use cpts_engine::{PluginCall, PluginFailure, PluginFinding, Plugins, Value};
use sandbox::Sandboxed;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

/// Host-side bindings of the WIT world.
mod bindings {
    wasmtime::component::bindgen!({
        path: "../../wit/cpts-plugin/0.1.0",
        world: "region-plugin",
    });
}

/// The interface versions this host accepts: `cpts:plugin/plugin@0.1.x`.
pub const INTERFACE: &str = "cpts:plugin/plugin";
/// The interface version the host is built against.
pub const INTERFACE_VERSION: semver::Version = semver::Version::new(0, 1, 0);

/// What one call may use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Fuel per call (about one unit per WebAssembly instruction).
    pub fuel: u64,
    /// Linear memory per plugin instance, in bytes.
    pub memory: usize,
    /// Wall-clock time per call (rounded up to the epoch tick, 10 ms).
    pub timeout: Duration,
}

impl Default for Limits {
    /// 10 million units of fuel, 32 MiB of memory, one second.
    fn default() -> Limits {
        Limits {
            fuel: 10_000_000,
            memory: 32 << 20,
            timeout: Duration::from_secs(1),
        }
    }
}

/// How to make a [`Host`].
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Limits of every call.
    pub limits: Limits,
    /// Where compiled components are kept between runs (`None`: compile in every run).
    pub cache: Option<PathBuf>,
}

/// What a loaded plugin is and offers.
#[derive(Clone, Debug, PartialEq)]
pub struct PluginInfo {
    /// Its package name (`bourgogne-franche-comte`).
    pub package: String,
    /// Its own version.
    pub version: semver::Version,
    /// The region it serves.
    pub region: String,
    /// The interface it exports, with its version (`cpts:plugin/plugin@0.1.0`).
    pub interface: String,
    /// Its functions.
    pub functions: Vec<FunctionInfo>,
    /// Steps it adds to its region's overlay (rules-language text).
    pub steps: Vec<String>,
    /// Size of the component, in bytes.
    pub size: usize,
    /// Where it was read from (`None`: given as bytes).
    pub path: Option<PathBuf>,
    /// Fuel `describe` used.
    pub describe_fuel: u64,
}

/// A function a plugin offers.
#[derive(Clone, Debug, PartialEq)]
pub struct FunctionInfo {
    /// Its name.
    pub name: String,
    /// `guard`, `computed` or `validation`.
    pub kind: &'static str,
    /// Parameters: name and type (rules-language syntax).
    pub params: Vec<(String, String)>,
    /// Result type (rules-language syntax; `findings` for validations).
    pub result: String,
    /// One sentence, French.
    pub doc: String,
}

impl PluginInfo {
    /// The function called `name`.
    pub fn function(&self, name: &str) -> Option<&FunctionInfo> {
        self.functions.iter().find(|f| f.name == name)
    }
}

/// The sandbox in which plugins are loaded and called.
pub struct Host {
    sandbox: Sandboxed,
    plugins: BTreeMap<String, Loaded>,
    /// The most fuel each function used in one call, since the host was made, by package then
    /// function (looked up by `&str`: nothing allocated on the call path once seen).
    fuel: Mutex<BTreeMap<String, BTreeMap<String, u64>>>,
}

struct Loaded {
    info: PluginInfo,
    plugin: sandbox::Plugin,
}

impl Host {
    /// A host with no plugin loaded.
    pub fn new(options: Options) -> Result<Host, LoadError> {
        Ok(Host {
            sandbox: Sandboxed::new(&options)?,
            plugins: BTreeMap::new(),
            fuel: Mutex::new(BTreeMap::new()),
        })
    }

    /// The limits of every call.
    pub fn limits(&self) -> Limits {
        self.sandbox.limits
    }

    /// Loads the component at `path`. A plugin of the same package replaces the one loaded.
    pub fn load_file(&mut self, path: &Path) -> Result<&PluginInfo, LoadError> {
        let bytes = std::fs::read(path).map_err(|e| {
            LoadError::new(
                LoadErrorKind::Unreadable,
                format!("cannot read `{}`: {e}", path.display()),
            )
        })?;
        self.load(&bytes, Some(path.to_path_buf()))
    }

    /// Loads a component from its bytes (binary, or component text).
    pub fn load_bytes(&mut self, bytes: &[u8]) -> Result<&PluginInfo, LoadError> {
        self.load(bytes, None)
    }

    fn load(&mut self, bytes: &[u8], path: Option<PathBuf>) -> Result<&PluginInfo, LoadError> {
        let (info, plugin) = load::load(&self.sandbox, bytes, path)?;
        let package = info.package.clone();
        self.plugins
            .insert(package.clone(), Loaded { info, plugin });
        Ok(&self.plugins[&package].info)
    }

    /// The plugin of package `package`, if loaded.
    pub fn plugin(&self, package: &str) -> Option<&PluginInfo> {
        self.plugins.get(package).map(|l| &l.info)
    }

    /// Every loaded plugin.
    pub fn plugins(&self) -> impl Iterator<Item = &PluginInfo> {
        self.plugins.values().map(|l| &l.info)
    }

    /// Drops the live instance of `package`: the next call makes a new one from the
    /// pre-instantiated component (what happens after a failed call).
    pub fn reset(&self, package: &str) {
        if let Some(loaded) = self.plugins.get(package) {
            loaded.plugin.reset();
        }
    }

    /// The most fuel each `package.function` used in one call so far.
    pub fn fuel_used(&self) -> BTreeMap<String, u64> {
        let Ok(fuel) = self.fuel.lock() else {
            return BTreeMap::new();
        };
        fuel.iter()
            .flat_map(|(package, functions)| {
                functions
                    .iter()
                    .map(move |(function, used)| (format!("{package}.{function}"), *used))
            })
            .collect()
    }

    /// Forgets the fuel recorded so far: [`Host::fuel_used`] then reports calls made from now on
    /// (`cpts test` measures each scenario on its own).
    pub fn clear_fuel_used(&self) {
        if let Ok(mut fuel) = self.fuel.lock() {
            fuel.clear();
        }
    }

    /// How many compiled components were found in the cache, and how many were compiled.
    pub fn cache_stats(&self) -> Option<(usize, usize)> {
        self.sandbox.cache_stats()
    }

    fn loaded(&self, call: &PluginCall<'_>) -> Result<&Loaded, PluginFailure> {
        self.plugins
            .get(&call.plugin.package)
            .ok_or_else(|| PluginFailure {
                message: format!(
                    "plugin `{}` is not loaded: `{}.{}` cannot be called",
                    call.plugin.package, call.plugin.alias, call.function.name
                ),
                fuel: None,
            })
    }

    fn record_fuel(&self, info: &PluginInfo, function: &str, fuel: u64) {
        let Ok(mut map) = self.fuel.lock() else {
            return;
        };
        let functions = match map.get_mut(&info.package) {
            Some(functions) => functions,
            None => map.entry(info.package.clone()).or_default(),
        };
        match functions.get_mut(function) {
            Some(most) => *most = (*most).max(fuel),
            None => {
                functions.insert(function.to_owned(), fuel);
            }
        }
    }
}

use bindings::cpts::plugin::types::{CallError, Value as WitValue};
use bindings::exports::cpts::plugin::plugin::Guest;

impl Host {
    /// One call through `export` (the plugin's `call` or `validate`): arguments encoded, the
    /// sandboxed call, fuel recorded, the plugin's refusal or the checked result.
    fn run<W, R>(
        &self,
        call: &PluginCall<'_>,
        export: impl FnOnce(
            &mut wasmtime::Store<sandbox::State>,
            &Guest,
            &str,
            &[WitValue],
        ) -> wasmtime::Result<Result<W, CallError>>,
        check: impl FnOnce(W) -> Result<R, String>,
    ) -> Result<R, PluginFailure> {
        let loaded = self.loaded(call)?;
        let name = &call.function.name;
        let args: Vec<_> = call.args.iter().map(values::encode).collect();
        let (result, fuel) =
            self.sandbox
                .invoke(&loaded.plugin, &loaded.info, name, |store, plugin| {
                    export(store, plugin, name, &args)
                })?;
        self.record_fuel(&loaded.info, name, fuel);
        let failure = |what: String| sandbox::failure(&loaded.info, name, what, Some(fuel));
        match result {
            Ok(answer) => check(answer).map_err(failure),
            Err(refusal) => Err(failure(load::describe_call_error(&refusal))),
        }
    }
}

impl Plugins for Host {
    fn call(&self, call: &PluginCall<'_>) -> Result<Value, PluginFailure> {
        self.run(
            call,
            |store, plugin, name, args| plugin.call_call(store, name, args),
            |value| values::decode(value).map_err(|why| format!("malformed result: {why}")),
        )
    }

    fn validate(&self, call: &PluginCall<'_>) -> Result<Vec<PluginFinding>, PluginFailure> {
        self.run(
            call,
            |store, plugin, name, args| plugin.call_validate(store, name, args),
            load::findings,
        )
    }
}
