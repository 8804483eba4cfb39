//! The epoch ticker: the wall-clock safety net behind fuel. A tokio timer on its own thread
//! advances the engine's epoch every [`TICK`]; a call whose deadline (a number of ticks) passes is
//! interrupted. Fuel is what normally stops a runaway plugin, deterministically; the epoch stops
//! what fuel does not count (a slow host path, a huge copy).

use std::thread::JoinHandle;
use std::time::Duration;
use tokio::sync::oneshot;

/// How often the epoch advances.
pub(crate) const TICK: Duration = Duration::from_millis(10);

/// Advances an engine's epoch until dropped.
pub(crate) struct Ticker {
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Ticker {
    pub(crate) fn start(engine: wasmtime::Engine) -> std::io::Result<Ticker> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()?;
        let (stop, mut stopped) = oneshot::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("cpts-plugin-epoch".into())
            .spawn(move || {
                runtime.block_on(async move {
                    let mut interval = tokio::time::interval(TICK);
                    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
                    loop {
                        tokio::select! {
                            _ = interval.tick() => engine.increment_epoch(),
                            _ = &mut stopped => break,
                        }
                    }
                });
            })?;
        Ok(Ticker {
            stop: Some(stop),
            thread: Some(thread),
        })
    }
}

impl Drop for Ticker {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            // The thread may already be gone; then there is nothing to stop.
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The epoch deadline, in ticks, for a wall-clock `timeout` (at least one tick).
pub(crate) fn ticks(timeout: Duration) -> u64 {
    (timeout.as_micros() / TICK.as_micros()).max(1) as u64 + 1
}
