//! The regional plugins of the reference rules (`rules/regions/`), built from `plugins/` into
//! WebAssembly components when this crate builds, and bundled: `cpts` finds them without a
//! plugin directory. A directory given with `--plugins` (or `CPTS_PLUGIN_PATH`) comes first.
//!
//! [`build`] is how a plugin crate becomes a component: the build script uses it, and so do
//! `cpts plugin build` and the tests that build hostile plugins.

pub mod build;

/// Every bundled plugin: (package name, component bytes).
pub static BUNDLED: &[(&str, &[u8])] = include!(concat!(env!("OUT_DIR"), "/bundled.rs"));

/// The bundled component of package `package`.
pub fn bundled(package: &str) -> Option<&'static [u8]> {
    BUNDLED.iter().find(|(p, _)| *p == package).map(|(_, b)| *b)
}
