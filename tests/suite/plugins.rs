//! Plugins: the hostile ones (`tests/plugins/`, built here into components) are each contained
//! with a clear failure, the host goes on; the real ones load, match their declarations and
//! answer from `status`; a failing plugin is reported at the rule that called it.

use cpts_diag::{FileId, Span};
use cpts_engine::{PluginCall, PluginFailure, Plugins, Value};
use cpts_lang::model::{PluginDecl, PluginFunction};
use cpts_lang::types::Type;
use cpts_plugin_host::{Host, Limits, LoadErrorKind, Options};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Duration;

const HOSTILE: [&str; 8] = [
    "loop",
    "memory",
    "panic",
    "huge",
    "bad-result",
    "files",
    "clock",
    "network",
];

/// A plugin written against interface 0.1, which the host still accepts.
const LEGACY: &str = "legacy-interface-0-1";

/// The hostile plugins and the 0.1 plugin, built once per test run (one cargo run): name →
/// component.
fn hostile() -> &'static BTreeMap<&'static str, PathBuf> {
    static BUILT: OnceLock<BTreeMap<&'static str, PathBuf>> = OnceLock::new();
    BUILT.get_or_init(|| {
        let root = super::root();
        let mut packages: Vec<String> = HOSTILE.iter().map(|n| format!("hostile-{n}")).collect();
        packages.push(LEGACY.into());
        let packages: Vec<&str> = packages.iter().map(String::as_str).collect();
        let built = cpts_plugins::build::components(
            &root.join("tests/plugins"),
            &packages,
            &root.join("target/test-plugins"),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        HOSTILE.iter().copied().chain([LEGACY]).zip(built).collect()
    })
}

fn limits() -> Limits {
    Limits {
        fuel: 5_000_000,
        memory: 16 << 20,
        timeout: Duration::from_secs(5),
    }
}

fn host(limits: Limits) -> Host {
    Host::new(Options {
        limits,
        cache: None,
    })
    .unwrap()
}

fn decl(package: &str) -> PluginDecl {
    let span = Span::new(FileId(0), 0, 0);
    let function = |name: &str, params: Vec<(String, Type)>| PluginFunction {
        name: name.into(),
        params,
        ret: Type::Bool,
        validation: false,
        span,
    };
    PluginDecl {
        alias: "h".into(),
        package: package.into(),
        version: "^0.1".into(),
        version_span: span,
        span,
        functions: vec![
            function("attack", vec![("n".into(), Type::Int)]),
            function("harmless", vec![]),
        ],
    }
}

fn call(
    host: &Host,
    decl: &PluginDecl,
    function: usize,
    args: &[Value],
) -> Result<Value, PluginFailure> {
    host.call(&PluginCall {
        plugin: decl,
        function: &decl.functions[function],
        args,
        span: decl.span,
    })
}

/// Loads hostile plugin `name`, calls `attack(1)`, which must fail; then `harmless()` on the same
/// host, which must still answer. Returns the failure.
fn contained(name: &str, limits: Limits) -> PluginFailure {
    let mut host = host(limits);
    let info = host.load_file(&hostile()[name]).unwrap();
    let package = info.package.clone();
    let d = decl(&package);
    let failure = call(&host, &d, 0, &[Value::Int(1)]).expect_err("the attack fails");
    assert!(
        failure
            .message
            .starts_with(&format!("plugin `{package}` 0.1.0, function `attack`: ")),
        "{}",
        failure.message
    );
    assert_eq!(
        call(&host, &d, 1, &[]),
        Ok(Value::Bool(true)),
        "the host goes on"
    );
    failure
}

#[test]
fn an_infinite_loop_runs_out_of_fuel_deterministically() {
    let first = contained("loop", limits());
    assert!(
        first
            .message
            .contains("ran out of fuel: used all 5 000 000 units"),
        "{}",
        first.message
    );
    assert_eq!(first.fuel, Some(5_000_000));
    assert_eq!(
        contained("loop", limits()),
        first,
        "same call, same fuel, same failure"
    );
}

#[test]
fn an_infinite_loop_without_fuel_limit_times_out() {
    let failure = contained(
        "loop",
        Limits {
            fuel: u64::MAX / 2,
            timeout: Duration::from_millis(100),
            ..limits()
        },
    );
    assert!(
        failure
            .message
            .contains("timed out: still running after 100 ms"),
        "{}",
        failure.message
    );
}

#[test]
fn a_memory_bomb_hits_the_memory_cap() {
    let failure = contained(
        "memory",
        Limits {
            fuel: u64::MAX / 2,
            ..limits()
        },
    );
    assert!(
        failure.message.contains("ran out of memory"),
        "{}",
        failure.message
    );
    assert!(
        failure.message.contains("the limit is 16 MiB"),
        "{}",
        failure.message
    );
}

#[test]
fn a_panic_is_a_trap_with_its_message() {
    let failure = contained("panic", limits());
    assert!(
        failure.message.contains("trapped: wasm `unreachable`"),
        "{}",
        failure.message
    );
    assert!(
        failure.message.contains("index out of bounds"),
        "{}",
        failure.message
    );
}

#[test]
fn a_huge_result_is_refused() {
    let failure = contained(
        "huge",
        Limits {
            fuel: 500_000_000,
            memory: 128 << 20,
            ..limits()
        },
    );
    assert!(
        failure
            .message
            .contains("malformed result: more than 100000 values, the most allowed (byte 988885)"),
        "{}",
        failure.message
    );
}

#[test]
fn capabilities_are_refused_at_load_naming_the_imports() {
    for (name, import) in [
        ("files", "wasi:filesystem/"),
        ("clock", "wasi:clocks/"),
        ("network", "wasi:sockets/"),
    ] {
        let mut host = host(limits());
        let e = host.load_file(&hostile()[name]).expect_err(name);
        assert_eq!(e.kind, LoadErrorKind::Capability, "{name}: {e}");
        assert!(e.message.contains(import), "{name}: {}", e.message);
        assert!(
            e.message.contains("plugins get no capability"),
            "{}",
            e.message
        );
    }
}

#[test]
fn a_wrong_interface_version_is_refused() {
    let component = br#"
        (component
          (core module $m (func (export "f")))
          (core instance $i (instantiate $m))
          (func $f (canon lift (core func $i "f")))
          (instance $plugin (export "describe" (func $f)))
          (export "cpts:plugin/plugin@0.3.0" (instance $plugin)))
    "#;
    let e = host(limits()).load_bytes(component).expect_err("refused");
    assert_eq!(e.kind, LoadErrorKind::InterfaceVersion, "{e}");
    assert_eq!(
        e.message,
        "exports `cpts:plugin/plugin@0.3.0`; this host supports `cpts:plugin/plugin@0.1.x` and `cpts:plugin/plugin@0.2.x`"
    );
}

#[test]
fn a_plugin_of_interface_0_1_still_loads_and_answers() {
    let mut host = host(limits());
    let info = host.load_file(&hostile()[LEGACY]).unwrap();
    assert_eq!(info.interface, "cpts:plugin/plugin@0.1.0");
    let span = Span::new(FileId(0), 0, 0);
    let function =
        |name: &str, params: Vec<(String, Type)>, ret: Type, validation| PluginFunction {
            name: name.into(),
            params,
            ret,
            validation,
            span,
        };
    let decl = PluginDecl {
        functions: vec![
            function(
                "compte",
                vec![("items".into(), Type::List(Box::new(Type::Text)))],
                Type::Int,
                false,
            ),
            function("harmless", vec![], Type::Bool, false),
            function("remarques", vec![], Type::Bool, true),
        ],
        ..decl(LEGACY)
    };
    assert_eq!(cpts_plugin_host::check_declaration(info, &decl), vec![]);
    let items = Value::List(vec![Value::Text("a".into()), Value::Text("b".into())]);
    assert_eq!(call(&host, &decl, 0, &[items]), Ok(Value::Int(2)));
    assert_eq!(call(&host, &decl, 1, &[]), Ok(Value::Bool(true)));
    let refused = call(&host, &decl, 0, &[Value::Int(1)]).unwrap_err();
    assert!(
        refused
            .message
            .ends_with("the plugin refused its arguments: expected a list"),
        "{}",
        refused.message
    );
    let findings = host
        .validate(&PluginCall {
            plugin: &decl,
            function: &decl.functions[2],
            args: &[],
            span,
        })
        .unwrap();
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].code, "LEG001");
    assert_eq!(findings[0].severity, cpts_diag::Severity::Warning);
    assert!(host.fuel_used()["legacy-interface-0-1.compte"] > 0);
}

#[test]
fn not_a_component_is_refused() {
    let mut host = host(limits());
    let e = host.load_bytes(b"\0asm garbage").expect_err("refused");
    assert_eq!(e.kind, LoadErrorKind::NotAComponent, "{e}");
    let core_module = b"(module (func (export \"f\")))";
    assert_eq!(
        host.load_bytes(core_module).unwrap_err().kind,
        LoadErrorKind::NotAComponent
    );
}

#[test]
fn the_bundled_plugins_load_and_answer() {
    let mut host = host(limits());
    for (package, bytes) in cpts_plugins::BUNDLED {
        let info = host
            .load_bytes(bytes)
            .unwrap_or_else(|e| panic!("{package}: {e}"));
        assert_eq!(info.package, *package);
        assert_eq!(info.interface, "cpts:plugin/plugin@0.2.0");
        assert!(info.size < 200_000, "{package} is {} bytes", info.size);
    }
    let cvl = PluginDecl {
        functions: vec![PluginFunction {
            name: "msa_partenaire".into(),
            params: vec![("departements".into(), Type::List(Box::new(Type::Text)))],
            ret: Type::Bool,
            validation: false,
            span: Span::new(FileId(0), 0, 0),
        }],
        ..decl("centre-val-de-loire")
    };
    let departments =
        |d: &[&str]| Value::List(d.iter().map(|s| Value::Text((*s).into())).collect());
    assert_eq!(
        call(&host, &cvl, 0, &[departments(&["37", "41"])]),
        Ok(Value::Bool(false))
    );
    assert_eq!(
        call(&host, &cvl, 0, &[departments(&["18"])]),
        Ok(Value::Bool(true))
    );
    let fuel = host.fuel_used()["centre-val-de-loire.msa_partenaire"];
    assert!(fuel > 0 && fuel < 1_000_000, "{fuel}");
}

/// A fresh folder holding a tiny workflow, a region calling plugin `package`, a project, and a
/// plugin folder; `plugin` is copied into it as `package.wasm`.
struct Scene {
    dir: PathBuf,
}

impl Scene {
    fn new(package: &str, plugin: Option<&[u8]>) -> Scene {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "cpts-plugins-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        std::fs::create_dir_all(dir.join("rules")).unwrap();
        std::fs::create_dir_all(dir.join("plugins")).unwrap();
        let rules = format!(
            r#"workflow mini "Mini" {{
  version "v1" source "s"
  source "s"
  facts {{ n: int, }}
  step a "A" {{ source "s" }}
}}

region hostile "Hostile" extends mini {{
  source "s"
  plugin h "{package}" version "^0.1" {{
    fn attack(n: int) -> bool
    fn harmless() -> bool
  }}
  tighten a {{
    rule attaque error "Attaque" expect h.attack(n) source "s"
    rule inoffensive warning "Inoffensive" expect not h.harmless() source "s"
    rule division warning "Division" expect n / (n - 1) > 0 source "s"
  }}
}}
"#
        );
        std::fs::write(dir.join("rules/mini.cpts"), rules).unwrap();
        let project = "[project]\nname = \"Essai\"\nworkflow = \"mini\"\nversion = \"v1\"\nregion = \"hostile\"\ntoday = 2024-01-15\n\n[facts]\nn = 1\n";
        std::fs::write(dir.join("projet.toml"), project).unwrap();
        if let Some(bytes) = plugin {
            std::fs::write(dir.join(format!("plugins/{package}.wasm")), bytes).unwrap();
        }
        Scene { dir }
    }

    fn path(&self, p: &str) -> String {
        self.dir.join(p).to_string_lossy().into_owned()
    }

    /// `cpts ARGS --rules … --plugins …` (or `check`), without the bundled plugins.
    fn run(&self, command: &str) -> (u8, String) {
        let (rules, plugins) = (self.path("rules"), self.path("plugins"));
        let mut args = vec![command];
        if command == "check" {
            args.push(&rules);
        } else {
            args.extend(["projet.toml", "--rules", &rules]);
        }
        let project = self.path("projet.toml");
        if command != "check" {
            args[1] = &project;
        }
        args.extend([
            "--plugins",
            &plugins,
            "--no-bundled-plugins",
            "--no-plugin-cache",
        ]);
        super::cpts(&args)
    }
}

impl Drop for Scene {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn hostile_bytes(name: &str) -> Vec<u8> {
    std::fs::read(&hostile()[name]).unwrap()
}

#[test]
fn a_failing_plugin_is_reported_at_the_rule_that_called_it_and_the_rest_goes_on() {
    let scene = Scene::new("hostile-loop", Some(&hostile_bytes("loop")));
    let (status, out) = scene.run("check");
    assert_eq!(status, 0, "{out}");
    let (_, out) = scene.run("status");
    assert!(
        out.contains("error[E0806 plugin-call-failed]: Attaque: cannot be evaluated"),
        "{out}"
    );
    assert!(out.contains("h.attack(n)"), "the span of the call: {out}");
    assert!(
        out.contains("plugin `hostile-loop` 0.1.0, function `attack`: ran out of fuel: used all 10 000 000 units"),
        "{out}"
    );
    assert!(
        out.contains("warning[E0701 rule-failed]: Inoffensive"),
        "the other rules ran: {out}"
    );
    assert!(
        out.contains("warning[E0702 rule-unevaluable]: Division: cannot be evaluated"),
        "{out}"
    );
    assert!(out.contains("division by zero"), "{out}");
}

#[test]
fn plugin_load_problems_have_their_codes() {
    let garbage: &[u8] = b"not a component";
    let wat = br#"(component
      (core module $m (func (export "f")))
      (core instance $i (instantiate $m))
      (func $f (canon lift (core func $i "f")))
      (instance $p (export "describe" (func $f)))
      (export "cpts:plugin/plugin@1.0.0" (instance $p)))"#;
    let files = hostile_bytes("files");
    let cases: [(&str, Option<&[u8]>, &str); 4] = [
        ("absent", None, "E0801 plugin-not-found"),
        ("garbage", Some(garbage), "E0802 plugin-invalid"),
        ("hostile-files", Some(&files), "E0803 plugin-capability"),
        ("future", Some(wat), "E0804 plugin-interface"),
    ];
    for (package, bytes, code) in cases {
        let scene = Scene::new(package, bytes);
        let (status, out) = scene.run("check");
        assert_eq!(status, 1, "{package}: {out}");
        assert!(out.contains(code), "{package}: {out}");
        assert!(
            out.contains(&format!("plugin h \"{package}\"")),
            "the declaration is shown: {out}"
        );
    }
}

#[test]
fn a_declaration_that_differs_from_the_plugin_is_reported() {
    let scene = Scene::new("hostile-loop", Some(&hostile_bytes("loop")));
    let rules = scene.dir.join("rules/mini.cpts");
    let text = std::fs::read_to_string(&rules).unwrap();
    std::fs::write(
        &rules,
        text.replace("fn attack(n: int) -> bool", "fn attack(n: text) -> bool")
            .replace("h.attack(n)", "h.attack(\"1\")"),
    )
    .unwrap();
    let (status, out) = scene.run("check");
    assert_eq!(status, 1, "{out}");
    assert!(out.contains("E0805 plugin-signature"), "{out}");
    assert!(
        out.contains("`attack` is declared `(text) -> bool`, but plugin `hostile-loop` 0.1.0 offers `(int) -> bool`"),
        "{out}"
    );
}

#[test]
fn the_reference_rules_call_their_bundled_plugins() {
    let (status, out) = super::cpts(&[
        "status",
        &super::root()
            .join("examples/projects/sud-28.toml")
            .to_string_lossy(),
        "--rules",
        &super::root().join("rules").to_string_lossy(),
        "--format",
        "json",
        "--no-plugin-cache",
    ]);
    assert!(status <= 1, "{out}");
    assert!(!out.contains("E0806") && !out.contains("E0702"), "{out}");
    // Sud 28 is in Eure-et-Loir (28): the MSA rule, computed by the plugin, applies.
    assert!(out.contains("msa_beauce_coeur_de_loire"), "{out}");
}

#[test]
fn a_result_of_the_wrong_type_is_caught_by_the_engine() {
    let scene = Scene::new("hostile-bad-result", Some(&hostile_bytes("bad-result")));
    let (_, out) = scene.run("status");
    assert!(
        out.contains("plugin `hostile-bad-result`, function `attack`: malformed result: expected `bool`, found `\"oui\"`"),
        "{out}"
    );
    assert!(out.contains("E0806 plugin-call-failed"), "{out}");
}

#[test]
fn a_new_plugin_builds_and_loads_with_no_edit() {
    let scene = Scene::new("unused", None);
    let (crate_dir, out_dir) = (scene.path("demo"), scene.path("out"));
    let (status, out) = super::cpts(&["plugin", "new", "demo-region", "--dir", &crate_dir]);
    assert_eq!(status, 0, "{out}");
    assert!(
        out.contains("plugin demo \"demo-region\" version \"^0.1\""),
        "{out}"
    );
    let (status, out) = super::cpts(&["plugin", "new", "demo-region", "--dir", &crate_dir]);
    assert_eq!(status, 2, "an existing folder is left alone: {out}");
    let build = ["plugin", "build", &crate_dir, "--out", &out_dir];
    let (status, out) = super::cpts(&[&build[..], &["--format", "json"]].concat());
    assert_eq!(status, 0, "{out}");
    let wasm = scene.dir.join("out/demo-region.wasm");
    assert!(wasm.is_file(), "{out}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["schema"], "cpts-plugin-build/1");
    let schema = super::json_schemas::validator("plugin-build");
    let errors: Vec<String> = schema.iter_errors(&doc).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}\n{out}");
    assert_eq!(doc["package"], "demo-region");
    assert_eq!(doc["wasm"], wasm.to_string_lossy().as_ref());
    let (status, out) = super::cpts(&["plugin", "inspect", &wasm.to_string_lossy()]);
    assert_eq!(status, 0, "{out}");
    assert!(
        out.starts_with("demo-region 0.1.0  (region `demo-region`)"),
        "{out}"
    );
    assert!(
        out.contains("guard      fn exemple(membres: list<membre>) -> bool"),
        "{out}"
    );
    let (status, out) = super::cpts(&["plugin", "new", "Bad_Name"]);
    assert_eq!(status, 2, "{out}");
}

#[test]
fn inspect_prints_a_bundled_plugin_as_json() {
    let scene = Scene::new("unused", None);
    let path = scene.dir.join("bfc.wasm");
    std::fs::write(
        &path,
        cpts_plugins::bundled("bourgogne-franche-comte").unwrap(),
    )
    .unwrap();
    let (status, out) = super::cpts(&[
        "plugin",
        "inspect",
        &path.to_string_lossy(),
        "--format",
        "json",
    ]);
    assert_eq!(status, 0, "{out}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["schema"], "cpts-plugin/1");
    assert_eq!(doc["package"], "bourgogne-franche-comte");
    assert_eq!(doc["interface"], "cpts:plugin/plugin@0.2.0");
    assert_eq!(doc["functions"][0]["name"], "parite_gouvernance");
    assert_eq!(doc["functions"][1]["kind"], "validation");
    let (status, _) = super::cpts(&["plugin", "inspect", &scene.path("missing.wasm")]);
    assert_eq!(status, 2);
}
