//! The wasmtime side: engine configuration, instances, limits, and what a failed call becomes.

use crate::load::{LoadError, LoadErrorKind};
use crate::ticker::{self, Ticker};
use crate::{Limits, Options, PluginInfo};
use cpts_engine::PluginFailure;
use std::sync::Mutex;
use wasmtime::component::{Component, HasData, Linker, ResourceTable};
use wasmtime::{
    Cache, CacheConfig, Config, Engine, InstanceAllocationStrategy, PoolingAllocationConfig,
    ResourceLimiter, Store, Trap,
};
use wasmtime_wasi::p2::pipe::MemoryOutputPipe;
use wasmtime_wasi::{WasiCtx, WasiCtxBuilder, WasiCtxView, WasiView};

/// The engine every plugin runs in, with its limits.
pub(crate) struct Sandboxed {
    pub(crate) engine: Engine,
    /// Provides nothing: a plugin may import nothing.
    pub(crate) linker: Linker<State>,
    pub(crate) limits: Limits,
    /// `limits.timeout` in epoch ticks, computed once (a 128-bit division).
    deadline: u64,
    cache: Option<Cache>,
    _ticker: Ticker,
}

/// A loaded plugin: its pre-instance, and the live instance calls reuse until one fails.
pub(crate) struct Plugin {
    pre: Pre,
    live: Mutex<Option<Live>>,
}

/// A pre-instantiated component, by the interface version it exports.
pub(crate) enum Pre {
    /// `cpts:plugin/plugin@0.1.x`.
    V0_1(crate::v0_1::bindings::RegionPluginPre<State>),
    /// `cpts:plugin/plugin@0.2.x`, the current one.
    V0_2(crate::bindings::RegionPluginPre<State>),
}

/// A live instance, by interface version.
pub(crate) enum Instance {
    /// `cpts:plugin/plugin@0.1.x`.
    V0_1(crate::v0_1::bindings::RegionPlugin),
    /// `cpts:plugin/plugin@0.2.x`.
    V0_2(crate::bindings::RegionPlugin),
}

impl Plugin {
    /// Drops the live instance; the next call instantiates anew.
    pub(crate) fn reset(&self) {
        let mut live = self
            .live
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *live = None;
    }
}

struct Live {
    store: Store<State>,
    instance: Instance,
}

/// What a store carries: its memory limiter, and the harmless WASI context Rust std needs
/// (empty environment, no arguments, empty stdin; stdout and stderr into a small buffer that
/// failures quote, which is how a panic message reaches the diagnostic).
pub(crate) struct State {
    /// The buffer a call's arguments are encoded into, kept from call to call.
    pub(crate) args: Vec<u8>,
    limiter: Limiter,
    wasi: WasiCtx,
    table: ResourceTable,
    output: MemoryOutputPipe,
}

impl WasiView for State {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

/// How much of what a plugin prints is kept, for failure messages.
const OUTPUT_CAPACITY: usize = 4096;

/// `HasData` for the I/O interfaces: their state is the resource table.
struct HasIo;

impl HasData for HasIo {
    type Data<'a> = &'a mut ResourceTable;
}

/// The imports a plugin may have: its own interface's types, and the part of WASI that Rust
/// std links for panics and `print!` (streams, an empty environment, exit). No filesystem,
/// network, clock or randomness is provided, so a plugin importing them is refused at load.
pub(crate) const ALLOWED_IMPORTS: [&str; 8] = [
    "cpts:plugin/types@0.1.",
    "cpts:plugin/types@0.2.",
    "wasi:io/error@0.2.",
    "wasi:io/poll@0.2.",
    "wasi:io/streams@0.2.",
    "wasi:cli/environment@0.2.",
    "wasi:cli/exit@0.2.",
    "wasi:cli/std",
];

/// Terminal interfaces: allowed too (they answer "not a terminal").
pub(crate) const ALLOWED_TERMINAL_IMPORTS: &str = "wasi:cli/terminal-";

fn link_harmless_wasi(linker: &mut Linker<State>) -> wasmtime::Result<()> {
    use wasmtime_wasi::cli::{WasiCli, WasiCliView};
    use wasmtime_wasi::p2::bindings::{cli, sync};
    let l = linker;
    // `types` has no function: its instance only has to exist, in each version accepted.
    for version in crate::SUPPORTED_VERSIONS {
        l.instance(&format!("cpts:plugin/types@{version}"))?;
    }
    wasmtime_wasi::p2::bindings::io::error::add_to_linker::<State, HasIo>(l, |t| &mut t.table)?;
    sync::io::poll::add_to_linker::<State, HasIo>(l, |t| &mut t.table)?;
    sync::io::streams::add_to_linker::<State, HasIo>(l, |t| &mut t.table)?;
    cli::exit::add_to_linker::<State, WasiCli>(l, State::cli)?;
    cli::environment::add_to_linker::<State, WasiCli>(l, State::cli)?;
    cli::stdin::add_to_linker::<State, WasiCli>(l, State::cli)?;
    cli::stdout::add_to_linker::<State, WasiCli>(l, State::cli)?;
    cli::stderr::add_to_linker::<State, WasiCli>(l, State::cli)?;
    cli::terminal_input::add_to_linker::<State, WasiCli>(l, State::cli)?;
    cli::terminal_output::add_to_linker::<State, WasiCli>(l, State::cli)?;
    cli::terminal_stdin::add_to_linker::<State, WasiCli>(l, State::cli)?;
    cli::terminal_stdout::add_to_linker::<State, WasiCli>(l, State::cli)?;
    cli::terminal_stderr::add_to_linker::<State, WasiCli>(l, State::cli)?;
    Ok(())
}

/// Caps linear memory growth, remembering the refusal so that the failure can say why.
struct Limiter {
    memory: usize,
    refused: Option<usize>,
}

impl ResourceLimiter for Limiter {
    fn memory_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        if desired > self.memory {
            self.refused = Some(desired);
            // An error, not `Ok(false)`: a plugin that checks `memory.grow` could otherwise go on
            // without memory and fail later with a less clear trap.
            wasmtime::bail!("memory limit reached");
        }
        Ok(true)
    }

    fn table_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        Ok(desired <= 100_000)
    }
}

impl Sandboxed {
    pub(crate) fn new(options: &Options) -> Result<Sandboxed, LoadError> {
        let host_error = |what: String| LoadError::new(LoadErrorKind::Host, what);
        let mut config = Config::new();
        config
            .wasm_component_model(true)
            .consume_fuel(true)
            .epoch_interruption(true)
            .max_wasm_stack(512 << 10);
        let mut pool = PoolingAllocationConfig::new();
        pool.total_component_instances(64)
            .total_core_instances(256)
            .total_memories(64)
            .total_tables(256)
            .max_memory_size(options.limits.memory);
        config.allocation_strategy(InstanceAllocationStrategy::Pooling(pool));
        let cache = match &options.cache {
            Some(dir) => {
                let mut cache_config = CacheConfig::new();
                cache_config.with_directory(dir);
                let cache = Cache::new(cache_config).map_err(|e| {
                    host_error(format!(
                        "cannot use `{}` as the plugin cache: {e}",
                        dir.display()
                    ))
                })?;
                config.cache(Some(cache.clone()));
                Some(cache)
            }
            None => None,
        };
        let engine = Engine::new(&config)
            .map_err(|e| host_error(format!("cannot start the WebAssembly engine: {e}")))?;
        let ticker = Ticker::start(engine.clone())
            .map_err(|e| host_error(format!("cannot start the plugin epoch ticker: {e}")))?;
        let mut linker = Linker::new(&engine);
        link_harmless_wasi(&mut linker)
            .map_err(|e| host_error(format!("cannot set up the plugin linker: {e}")))?;
        Ok(Sandboxed {
            linker,
            engine,
            limits: options.limits,
            deadline: ticker::ticks(options.limits.timeout),
            cache,
            _ticker: ticker,
        })
    }

    pub(crate) fn cache_stats(&self) -> Option<(usize, usize)> {
        self.cache
            .as_ref()
            .map(|c| (c.cache_hits(), c.cache_misses()))
    }

    pub(crate) fn compile(&self, bytes: &[u8]) -> Result<Component, LoadError> {
        Component::new(&self.engine, bytes).map_err(|e| {
            LoadError::new(
                LoadErrorKind::NotAComponent,
                format!("not a valid WebAssembly component: {e}"),
            )
            .hint("build the plugin with `cargo build --release --target wasm32-wasip2`")
        })
    }

    pub(crate) fn plugin(&self, pre: Pre) -> Plugin {
        Plugin {
            pre,
            live: Mutex::new(None),
        }
    }

    fn store(&self) -> Store<State> {
        let output = MemoryOutputPipe::new(OUTPUT_CAPACITY);
        let wasi = WasiCtxBuilder::new()
            .stdout(output.clone())
            .stderr(output.clone())
            .build();
        let mut store = Store::new(
            &self.engine,
            State {
                args: Vec::new(),
                limiter: Limiter {
                    memory: self.limits.memory,
                    refused: None,
                },
                wasi,
                table: ResourceTable::new(),
                output,
            },
        );
        store.limiter(|state| &mut state.limiter);
        store
    }

    /// Runs `f` on the plugin's live instance (made anew if the last call failed), with fresh
    /// fuel and a fresh deadline. Returns its result and the fuel it used.
    pub(crate) fn invoke<R>(
        &self,
        plugin: &Plugin,
        info: &PluginInfo,
        function: &str,
        f: impl FnOnce(&mut Store<State>, &Instance) -> wasmtime::Result<R>,
    ) -> Result<(R, u64), PluginFailure> {
        let mut live = plugin.live.lock().unwrap_or_else(|poisoned| {
            // A panic elsewhere while holding the lock leaves no broken state we rely on: the
            // instance is dropped below if anything looks wrong.
            poisoned.into_inner()
        });
        if live.is_none() {
            let mut store = self.store();
            store.set_fuel(self.limits.fuel).ok();
            store.set_epoch_deadline(self.deadline);
            let instance = match &plugin.pre {
                Pre::V0_1(pre) => pre.instantiate(&mut store).map(Instance::V0_1),
                Pre::V0_2(pre) => pre.instantiate(&mut store).map(Instance::V0_2),
            }
            .map_err(|e| failure(info, function, format!("cannot be instantiated: {e}"), None))?;
            *live = Some(Live { store, instance });
        }
        let Some(Live { store, instance }) = live.as_mut() else {
            unreachable!("set just above")
        };
        store.set_fuel(self.limits.fuel).ok();
        store.set_epoch_deadline(self.deadline);
        store.data_mut().limiter.refused = None;
        let result = f(store, instance);
        let used = self.limits.fuel - store.get_fuel().unwrap_or(0);
        match result {
            Ok(r) => Ok((r, used)),
            Err(error) => {
                let mut what = self.explain(&error, store.data().limiter.refused, used);
                let printed = store.data().output.contents();
                let printed = String::from_utf8_lossy(&printed);
                let printed = printed.trim();
                if !printed.is_empty() {
                    let shown: String = printed.chars().take(400).collect();
                    what.push_str(&format!("; it printed: {shown:?}"));
                }
                // A trapped instance may not be entered again: the next call makes a new one.
                *live = None;
                Err(failure(info, function, what, Some(used)))
            }
        }
    }

    fn explain(&self, error: &wasmtime::Error, refused: Option<usize>, used: u64) -> String {
        if let Some(bytes) = refused {
            return format!(
                "ran out of memory: it asked for {} MiB, the limit is {} MiB",
                bytes.div_ceil(1 << 20),
                self.limits.memory >> 20
            );
        }
        match error.downcast_ref::<Trap>() {
            Some(Trap::OutOfFuel) => format!(
                "ran out of fuel: used all {} units of the call's budget",
                group(used)
            ),
            Some(Trap::Interrupt) => format!(
                "timed out: still running after {} ms (fuel used: {})",
                self.limits.timeout.as_millis(),
                group(used)
            ),
            Some(trap) => {
                let trap = trap.to_string();
                let trap = trap.strip_prefix("wasm trap: ").unwrap_or(&trap);
                format!("trapped: {trap} (fuel used: {})", group(used))
            }
            None => match error.downcast_ref::<wasmtime_wasi::I32Exit>() {
                Some(exit) => format!("called exit({}) (fuel used: {})", exit.0, group(used)),
                None => format!("failed: {error:#}"),
            },
        }
    }
}

/// A failure naming the plugin, its version and the function.
pub(crate) fn failure(
    info: &PluginInfo,
    function: &str,
    what: String,
    fuel: Option<u64>,
) -> PluginFailure {
    PluginFailure {
        message: format!(
            "plugin `{}` {}, function `{function}`: {what}",
            info.package, info.version
        ),
        fuel,
    }
}

/// `12 345 678`: digits grouped by three, as French readers expect.
pub(crate) fn group(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn numbers_are_grouped_by_three() {
        assert_eq!(super::group(0), "0");
        assert_eq!(super::group(999), "999");
        assert_eq!(super::group(1_000), "1 000");
        assert_eq!(super::group(10_000_000), "10 000 000");
    }
}
