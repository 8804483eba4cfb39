//! `cpts plugin new | build | inspect`: make, build and look into regional plugins.
//!
//! JSON: `cpts-plugin-new/1` `{ "schema", "name", "dir", "sdk", "files" }`;
//! `cpts-plugin-build/1` `{ "schema", "package", "version", "region", "size", "wasm" }`;
//! `cpts-plugin/1` (inspect) `{ "schema", "package", "version", "region", "interface", "size",
//! "describe_fuel", "functions": [ { "name", "kind", "params": [ { "name", "type" } ], "result",
//! "doc" } ], "steps" }`. Errors: `cpts-error/1`.

use crate::{EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, Format, render};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The SDK of this build of cpts, for scaffolds made on the machine that built it.
const SDK: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../plugin-sdk");

/// `cpts plugin new NAME`: a plugin crate that builds and loads with no edit.
pub(crate) fn new(
    name: &str,
    dir: Option<&Path>,
    sdk: Option<&Path>,
    format: Format,
    out: &mut dyn Write,
) -> u8 {
    let valid = !name.is_empty()
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !valid {
        let message = format!(
            "`{name}` is not a plugin name: lowercase letters, digits and dashes, starting with a letter (the region's name, such as `bretagne`)"
        );
        render::error(format, &message, None, out);
        return EXIT_USAGE;
    }
    let dir = dir.map_or_else(|| PathBuf::from(name), Path::to_path_buf);
    if dir.exists() {
        let message = format!("`{}` already exists; nothing was written", dir.display());
        render::error(format, &message, None, out);
        return EXIT_USAGE;
    }
    let sdk = match sdk.map_or_else(|| Path::new(SDK).canonicalize(), Path::canonicalize) {
        Ok(sdk) if sdk.join("Cargo.toml").is_file() => sdk,
        _ => {
            let message = format!(
                "the cpts plugin SDK is not at `{}`",
                sdk.map_or(Path::new(SDK), |p| p).display()
            );
            let help = "pass the folder of `crates/plugin-sdk` of a cpts checkout with `--sdk`";
            render::error(format, &message, Some(help), out);
            return EXIT_USAGE;
        }
    };
    let files = [
        ("Cargo.toml", cargo_toml(name, &sdk)),
        ("src/lib.rs", lib_rs(name)),
        (".gitignore", "/target\n*.wasm\n".to_owned()),
    ];
    for (file, text) in &files {
        let path = dir.join(file);
        let written = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&path, text));
        if let Err(e) = written {
            render::error(
                format,
                &format!("cannot write `{}`: {e}", path.display()),
                None,
                out,
            );
            return EXIT_USAGE;
        }
    }
    if let Format::Json = format {
        let names: Vec<&str> = files.iter().map(|(f, _)| *f).collect();
        let doc = cpts::report::PluginNewReport::new(
            name,
            &dir.display().to_string(),
            &sdk.display().to_string(),
            &names,
        );
        return if render::json_doc(&doc, out).is_ok() {
            EXIT_OK
        } else {
            EXIT_USAGE
        };
    }
    let _ = writeln!(
        out,
        "created plugin `{name}` in `{}`\n\nbuild it:   cpts plugin build {0} --out plugins/\ndeclare it in the region's rules:\n\n  plugin {alias} \"{name}\" version \"^0.1\" {{\n    fn exemple(membres: list<membre>) -> bool\n  }}\n\nthen run:   cpts check rules/ --plugins plugins/",
        dir.display(),
        alias = name.split('-').next().unwrap_or(name),
    );
    EXIT_OK
}

fn cargo_toml(name: &str, sdk: &Path) -> String {
    format!(
        r#"[package]
name = "{name}"
version = "0.1.0"
edition = "2024"
publish = false

# A WebAssembly component: `cargo build --release --target wasm32-wasip2`
# (or `cpts plugin build .`).
[lib]
crate-type = ["cdylib", "rlib"]

[dependencies]
cpts-plugin-sdk = {{ path = {sdk:?} }}

# A crate of its own, even when made inside another workspace.
[workspace]
"#,
        sdk = sdk.display().to_string()
    )
}

fn lib_rs(name: &str) -> String {
    format!(
        r#"//! The `{name}` plugin for cpts.

use cpts_plugin_sdk::{{Args, Error, Function, Plugin, register}};

/// The plugin.
pub struct Region;

impl Plugin for Region {{
    /// The region the plugin serves, as the rules name it.
    const REGION: &'static str = "{name}";
    /// The package name the rules' `plugin` block declares.
    const PACKAGE: &'static str = "{name}";

    fn functions() -> Vec<Function> {{
        vec![
            Function::guard(
                "exemple",
                "Vrai si la CPTS compte au moins deux membres",
                exemple,
            )
            .param("membres", "list<membre>"),
        ]
    }}
}}

register!(Region);

fn exemple(args: &Args) -> Result<bool, Error> {{
    Ok(args.items(0)?.len() >= 2)
}}

#[cfg(test)]
mod tests {{
    use super::*;
    use cpts_plugin_sdk::Value;

    #[test]
    fn two_members_are_enough() {{
        let membres = Value::List(vec![Value::Record(vec![]), Value::Record(vec![])]);
        assert_eq!(exemple(&Args::new(vec![membres], &["membres"])), Ok(true));
    }}
}}
"#
    )
}

/// `cpts plugin build DIR [--out OUT]`: the crate at `dir` as a component, copied to
/// `OUT/PACKAGE.wasm` (the name plugin folders use).
pub(crate) fn build(dir: &Path, out_dir: Option<&Path>, format: Format, out: &mut dyn Write) -> u8 {
    let fail = |out: &mut dyn Write, message: String, help: Option<&str>, status| {
        render::error(format, &message, help, out);
        status
    };
    let Some(package) = crate_name(dir) else {
        let message = format!(
            "`{}` holds no plugin crate (no `Cargo.toml` with a `[package] name`)",
            dir.display()
        );
        return fail(out, message, None, EXIT_USAGE);
    };
    let target = dir.join("target");
    let built = match cpts_plugins::build::components(dir, &[&package], &target) {
        Ok(mut built) => built.remove(0),
        Err(e) => return fail(out, e, None, EXIT_FINDINGS),
    };
    let mut host = match cpts::PluginHost::new(Default::default()) {
        Ok(h) => h,
        Err(e) => return fail(out, e.to_string(), None, EXIT_USAGE),
    };
    let info = match host.load_file(&built) {
        Ok(info) => info,
        Err(e) => {
            let message = format!("the component does not load: {e}");
            return fail(out, message, e.hint.as_deref(), EXIT_FINDINGS);
        }
    };
    let dest_dir = out_dir.map_or_else(|| dir.to_path_buf(), Path::to_path_buf);
    let dest = dest_dir.join(format!("{}.wasm", info.package));
    let copied = std::fs::create_dir_all(&dest_dir).and_then(|()| std::fs::copy(&built, &dest));
    if let Err(e) = copied {
        return fail(
            out,
            format!("cannot write `{}`: {e}", dest.display()),
            None,
            EXIT_USAGE,
        );
    }
    let written = match format {
        Format::Json => {
            let doc = cpts::report::PluginBuildReport::new(info, &dest.display().to_string());
            render::json_doc(&doc, out)
        }
        Format::Human => writeln!(
            out,
            "built `{}` {} ({} bytes) → {}",
            info.package,
            info.version,
            info.size,
            dest.display()
        ),
    };
    if written.is_err() {
        EXIT_USAGE
    } else {
        EXIT_OK
    }
}

/// The `[package] name` of the crate at `dir`.
fn crate_name(dir: &Path) -> Option<String> {
    let text = std::fs::read_to_string(dir.join("Cargo.toml")).ok()?;
    let mut in_package = false;
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') {
            in_package = line == "[package]";
        } else if in_package && let Some(value) = line.strip_prefix("name") {
            let value = value.trim_start().strip_prefix('=')?.trim();
            return Some(value.trim_matches('"').to_owned());
        }
    }
    None
}

/// `cpts plugin inspect FILE`: what the host reads from a component.
pub(crate) fn inspect(file: &Path, format: Format, out: &mut dyn Write) -> u8 {
    let mut host = match cpts::PluginHost::new(Default::default()) {
        Ok(h) => h,
        Err(e) => {
            render::error(format, &e.to_string(), None, out);
            return EXIT_USAGE;
        }
    };
    let info = match host.load_file(file) {
        Ok(info) => info.clone(),
        Err(e) => {
            let message = format!("`{}` does not load as a cpts plugin: {e}", file.display());
            render::error(format, &message, e.hint.as_deref(), out);
            return if e.kind == cpts::PluginLoadErrorKind::Unreadable {
                EXIT_USAGE
            } else {
                EXIT_FINDINGS
            };
        }
    };
    let written = match format {
        Format::Json => render::json_doc(&cpts::report::PluginReport::new(&info), out),
        Format::Human => {
            let mut text = format!(
                "{} {}  (region `{}`)\ninterface  {}\nsize       {} bytes\nfunctions\n",
                info.package, info.version, info.region, info.interface, info.size
            );
            for f in &info.functions {
                let params: Vec<String> =
                    f.params.iter().map(|(n, t)| format!("{n}: {t}")).collect();
                text.push_str(&format!(
                    "  {:<10} fn {}({}) -> {}\n             {}\n",
                    f.kind,
                    f.name,
                    params.join(", "),
                    f.result,
                    f.doc
                ));
            }
            if !info.steps.is_empty() {
                text.push_str(&format!(
                    "steps      {} added to the region's overlay\n",
                    info.steps.len()
                ));
            }
            write!(out, "{text}")
        }
    };
    if written.is_err() {
        EXIT_USAGE
    } else {
        EXIT_OK
    }
}
