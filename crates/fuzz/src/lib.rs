//! The bodies of the fuzz targets, in one workspace crate so that clippy and the test suite see
//! them. Each body takes arbitrary bytes and panics only on a bug. Two drivers run the same bodies:
//!
//! - libFuzzer, through the cargo-fuzz crate in `fuzz/` (its own workspace): one three-line file
//!   per target in `fuzz/fuzz_targets/` calling [`Target::run`];
//! - the test suite (`tests/suite/fuzz.rs`), bounded: every seed of [`Target::seeds`] and a
//!   fixed number of deterministic [`mutate`]d inputs, in a few seconds.
//!
//! ```
//! let parse = cpts_fuzz::target("parse").unwrap();
//! (parse.run)(b"workflow w \"W\" { version \"v1\" source \"s\" }");
//! (parse.run)(&[0xff, b'{', 0]);
//! ```
//!
//! Adding a target: a function `fn(&[u8])` here, an entry in [`TARGETS`], a file in
//! `fuzz/fuzz_targets/` and a `[[bin]]` in `fuzz/Cargo.toml`, its seed folder in `fuzz/run`
//! (the suite checks that all four agree).
#![deny(missing_docs)]

mod dict;
mod mutate;
mod project;
mod rules;
mod values;

pub use dict::Dict;
pub use mutate::{Mutator, mutate};

/// A fuzz target: a body and where its inputs come from.
pub struct Target {
    /// Its name: `cargo fuzz run NAME`, `fuzz/fuzz_targets/NAME.rs`, `fuzz/seeds/NAME/`.
    pub name: &'static str,
    /// The body: panics only on a bug.
    pub run: fn(&[u8]),
    /// Folders of the repository whose files are seeds, besides `fuzz/seeds/NAME/`.
    pub seeds: &'static [&'static str],
    /// Tokens the mutations insert (also libFuzzer's `-dict`).
    pub dict: Dict,
}

/// Every target.
pub const TARGETS: &[Target] = &[
    Target {
        name: "parse",
        run: rules::parse,
        seeds: rules::SEEDS,
        dict: Dict::RULES,
    },
    Target {
        name: "check",
        run: rules::check,
        seeds: rules::SEEDS,
        dict: Dict::RULES,
    },
    Target {
        name: "fmt_roundtrip",
        run: rules::fmt_roundtrip,
        seeds: rules::SEEDS,
        dict: Dict::RULES,
    },
    Target {
        name: "status",
        run: project::status,
        seeds: project::SEEDS,
        dict: Dict::PROJECT,
    },
    Target {
        name: "plugin_values",
        run: values::plugin_values,
        seeds: &[],
        dict: Dict::VALUES,
    },
];

/// The target named `name`.
pub fn target(name: &str) -> Option<&'static Target> {
    TARGETS.iter().find(|t| t.name == name)
}

/// The repository root (the bodies read the real rules from it).
pub fn root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Runs the target named `name` on `data` (what each file of `fuzz/fuzz_targets/` does).
pub fn run(name: &str, data: &[u8]) {
    match target(name) {
        Some(t) => (t.run)(data),
        None => panic!("no fuzz target `{name}` in cpts_fuzz::TARGETS"),
    }
}
