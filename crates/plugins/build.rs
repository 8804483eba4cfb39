//! Builds the reference regional plugins (`plugins/*`) into components, for `src/lib.rs` to
//! bundle. Needs the `wasm32-wasip2` target (`rustup target add wasm32-wasip2`).

#[path = "src/build.rs"]
mod build;

use std::path::PathBuf;

/// (crate, package name the rules declare).
const PLUGINS: [(&str, &str); 3] = [
    ("cpts-plugin-bfc", "bourgogne-franche-comte"),
    ("cpts-plugin-cvl", "centre-val-de-loire"),
    ("cpts-plugin-bretagne", "bretagne"),
];

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let root = manifest.join("../..");
    for watched in [
        "plugins",
        "crates/plugin-sdk",
        "crates/plugin-wire",
        "wit",
        "Cargo.lock",
    ] {
        println!("cargo::rerun-if-changed={}", root.join(watched).display());
    }
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("set by cargo"));
    // One target directory shared by every profile of the outer build, so that `cargo test`
    // and `cargo run --release` do not compile the plugins twice: `<target>/plugins`.
    let target_dir = out
        .ancestors()
        .nth(4)
        .map_or_else(|| out.join("plugins"), |t| t.join("plugins"));
    let crates: Vec<&str> = PLUGINS.iter().map(|(c, _)| *c).collect();
    let built = match build::components(&root, &crates, &target_dir) {
        Ok(built) => built,
        Err(e) => panic!("cannot build the bundled regional plugins: {e}"),
    };
    let mut list = String::from("&[\n");
    for ((_, package), wasm) in PLUGINS.iter().zip(&built) {
        list.push_str(&format!(
            "    ({package:?}, include_bytes!({:?}) as &[u8]),\n",
            wasm.display().to_string()
        ));
    }
    list.push(']');
    std::fs::write(out.join("bundled.rs"), list).expect("OUT_DIR is writable");
}
