//! The cpts plugin host: loads regional plugins (WebAssembly components exporting
//! `cpts:plugin/plugin@0.2.x`, or the older `0.1.x`, see `wit/cpts-plugin/`) and calls them for the engine, through
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
mod v0_1;
mod values;

pub use compat::{Mismatch, check_declaration};
pub use load::{LoadError, LoadErrorKind};

use cpts_engine::{PluginCall, PluginFailure, PluginFinding, Plugins, Value};
use sandbox::Sandboxed;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Host-side bindings of the current WIT world (older versions: `v0_1`).
mod bindings {
    wasmtime::component::bindgen!({
        path: "../../wit/cpts-plugin/0.2.0",
        world: "region-plugin",
    });
}

/// The interface plugins export.
pub const INTERFACE: &str = "cpts:plugin/plugin";
/// The current interface version, which the SDK builds against.
pub const INTERFACE_VERSION: semver::Version = semver::Version::new(0, 2, 0);
/// Every interface version this host accepts (any patch of each minor version): one frozen
/// folder of `wit/cpts-plugin/` each.
pub const SUPPORTED_VERSIONS: [&str; 2] = ["0.1.0", "0.2.0"];

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
    /// The interface it exports, with its version (`cpts:plugin/plugin@0.2.0`).
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
}

struct Loaded {
    info: PluginInfo,
    plugin: sandbox::Plugin,
    /// The most fuel each function (by its index in `info.functions`) used in one call; 0 if
    /// never called (a call always uses some).
    fuel: Vec<AtomicU64>,
}

impl Host {
    /// A host with no plugin loaded.
    pub fn new(options: Options) -> Result<Host, LoadError> {
        Ok(Host {
            sandbox: Sandboxed::new(&options)?,
            plugins: BTreeMap::new(),
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
        let fuel = info.functions.iter().map(|_| AtomicU64::new(0)).collect();
        self.plugins
            .insert(package.clone(), Loaded { info, plugin, fuel });
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
        let mut out = BTreeMap::new();
        for loaded in self.plugins.values() {
            for (f, fuel) in loaded.info.functions.iter().zip(&loaded.fuel) {
                let used = fuel.load(Ordering::Relaxed);
                if used > 0 {
                    out.insert(format!("{}.{}", loaded.info.package, f.name), used);
                }
            }
        }
        out
    }

    /// Forgets the fuel recorded so far: [`Host::fuel_used`] then reports calls made from now on
    /// (`cpts test` measures each scenario on its own).
    pub fn clear_fuel_used(&self) {
        for loaded in self.plugins.values() {
            loaded
                .fuel
                .iter()
                .for_each(|f| f.store(0, Ordering::Relaxed));
        }
    }

    /// How many compiled components were found in the cache, and how many were compiled.
    pub fn cache_stats(&self) -> Option<(usize, usize)> {
        self.sandbox.cache_stats()
    }

    /// The loaded plugin a call goes to, and the index of the function called.
    fn target(&self, call: &PluginCall<'_>) -> Result<(&Loaded, usize), PluginFailure> {
        let missing = |what: String| PluginFailure {
            message: format!(
                "{what}: `{}.{}` cannot be called",
                call.plugin.alias, call.function.name
            ),
            fuel: None,
        };
        let loaded = self
            .plugins
            .get(&call.plugin.package)
            .ok_or_else(|| missing(format!("plugin `{}` is not loaded", call.plugin.package)))?;
        let index = loaded
            .info
            .functions
            .iter()
            .position(|f| f.name == call.function.name)
            .ok_or_else(|| {
                missing(format!(
                    "plugin `{}` {} has no function `{}`",
                    loaded.info.package, loaded.info.version, call.function.name
                ))
            })?;
        Ok((loaded, index))
    }
}

use bindings::cpts::plugin::types::{CallError, InlineArgs};
use sandbox::Instance;

/// What a call returned, before it is checked.
enum Answer {
    /// Interface 0.2, a guard: its answer.
    Bool(bool),
    /// Interface 0.2: one encoded value.
    Encoded(Vec<u8>),
    /// Interface 0.1: a tree of nodes.
    Nodes(v0_1::bindings::cpts::plugin::types::Value),
}

impl Host {
    /// One call: the plugin and function found, the sandboxed call (`export` encodes the
    /// arguments for the instance's interface version), fuel recorded, the plugin's refusal or
    /// the checked result.
    fn run<W, R>(
        &self,
        call: &PluginCall<'_>,
        export: impl FnOnce(
            &mut wasmtime::Store<sandbox::State>,
            &Instance,
            u32,
            &'static str,
        ) -> wasmtime::Result<Result<W, CallError>>,
        check: impl FnOnce(W) -> Result<R, String>,
    ) -> Result<R, PluginFailure> {
        let (loaded, index) = self.target(call)?;
        let name = &call.function.name;
        // `index` is below the number of functions in a manifest, itself far below `u32::MAX`.
        let wire_index = u32::try_from(index).unwrap_or(u32::MAX);
        let kind = loaded.info.functions[index].kind;
        let (result, fuel) =
            self.sandbox
                .invoke(&loaded.plugin, &loaded.info, name, |store, instance| {
                    export(store, instance, wire_index, kind)
                })?;
        loaded.fuel[index].fetch_max(fuel, Ordering::Relaxed);
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
            |store, instance, index, kind| match instance {
                // Guards, what rules call most, get a flat answer: no result to free.
                Instance::V0_2(plugin) if kind == "guard" => {
                    let plugin = plugin.cpts_plugin_plugin();
                    let answer = with_encoded_args(store, call.args, |store, args| {
                        // Small arguments go by value: no allocation in the plugin.
                        match cpts_plugin_wire::pack_inline(args) {
                            Some([w0, w1, w2, w3]) => {
                                let len = args.len() as u32;
                                let inline = InlineArgs {
                                    len,
                                    w0,
                                    w1,
                                    w2,
                                    w3,
                                };
                                plugin.call_test_inline(store, index, inline)
                            }
                            None => plugin.call_test(store, index, args),
                        }
                    })?;
                    Ok(match answer {
                        Some(b) => Ok(Answer::Bool(b)),
                        None => Err(plugin.call_last_error(store)?),
                    })
                }
                Instance::V0_2(plugin) => {
                    let plugin = plugin.cpts_plugin_plugin();
                    let answer = with_encoded_args(store, call.args, |store, args| {
                        plugin.call_call(store, index, args)
                    })?;
                    Ok(answer.map(Answer::Encoded))
                }
                Instance::V0_1(plugin) => {
                    let answer = v0_1::call(store, plugin, &call.function.name, call.args)?;
                    Ok(answer.map(Answer::Nodes))
                }
            },
            |answer| {
                match answer {
                    Answer::Bool(b) => Ok(Value::Bool(b)),
                    Answer::Encoded(bytes) => values::decode(&bytes),
                    Answer::Nodes(nodes) => v0_1::decode(nodes),
                }
                .map_err(|why| format!("malformed result: {why}"))
            },
        )
    }

    fn validate(&self, call: &PluginCall<'_>) -> Result<Vec<PluginFinding>, PluginFailure> {
        self.run(
            call,
            |store, instance, index, _| match instance {
                Instance::V0_2(plugin) => with_encoded_args(store, call.args, |store, args| {
                    plugin
                        .cpts_plugin_plugin()
                        .call_validate(store, index, args)
                }),
                Instance::V0_1(plugin) => {
                    v0_1::validate(store, plugin, &call.function.name, call.args)
                }
            },
            load::findings,
        )
    }
}

/// Runs `f` with `args` encoded in the store's argument buffer (kept from call to call).
fn with_encoded_args<R>(
    store: &mut wasmtime::Store<sandbox::State>,
    args: &[Value],
    f: impl FnOnce(&mut wasmtime::Store<sandbox::State>, &Vec<u8>) -> R,
) -> R {
    let buffer = std::mem::take(&mut store.data_mut().args);
    let encoded = values::encode_args(args, buffer);
    let result = f(store, &encoded);
    store.data_mut().args = encoded;
    result
}
