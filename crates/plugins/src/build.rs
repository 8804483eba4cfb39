//! Building plugin crates into WebAssembly components: `cargo build --release --target
//! wasm32-wasip2`, run as a child process. Shared by this crate's build script (the bundled
//! plugins), `cpts plugin build`, and the tests that build hostile plugins.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The target plugins compile to.
pub const TARGET: &str = "wasm32-wasip2";

/// Builds the packages `packages` of the Cargo workspace (or crate) at `dir` into components
/// under `target_dir`, and returns the path of each `.wasm`, in the order given.
pub fn components(
    dir: &Path,
    packages: &[&str],
    target_dir: &Path,
) -> Result<Vec<PathBuf>, String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .current_dir(dir)
        .args(["build", "--release", "--quiet", "--target", TARGET])
        .arg("--target-dir")
        .arg(target_dir)
        // Small components: no debug information, symbols stripped.
        .env("CARGO_PROFILE_RELEASE_DEBUG", "false")
        .env("CARGO_PROFILE_RELEASE_STRIP", "true");
    for package in packages {
        command.args(["--package", package]);
    }
    // What the calling cargo set for its own build must not leak into this one (a clippy
    // wrapper, host rustflags, its target directory).
    for var in [
        "RUSTC_WRAPPER",
        "RUSTC_WORKSPACE_WRAPPER",
        "RUSTFLAGS",
        "CARGO_ENCODED_RUSTFLAGS",
        "CARGO_BUILD_RUSTFLAGS",
        "CARGO_TARGET_DIR",
        "CARGO_BUILD_TARGET",
        "CARGO_PRIMARY_PACKAGE",
    ] {
        command.env_remove(var);
    }
    let output = command
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let hint = if stderr.contains("target may not be installed")
            || stderr.contains("can't find crate for `core`")
            || stderr.contains("can't find crate for `std`")
        {
            format!("\nhint: plugins compile to WebAssembly: run `rustup target add {TARGET}`")
        } else {
            String::new()
        };
        return Err(format!(
            "building {} in `{}` failed:\n{stderr}{hint}",
            packages.join(", "),
            dir.display()
        ));
    }
    Ok(packages
        .iter()
        .map(|p| {
            target_dir
                .join(TARGET)
                .join("release")
                .join(format!("{}.wasm", p.replace('-', "_")))
        })
        .collect())
}
