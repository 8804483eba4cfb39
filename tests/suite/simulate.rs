//! `cpts simulate`: reproducible by seed, sensible on every example, options honoured.

use super::root;
use std::process::Command;

fn run(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_cpts"))
        .args(args)
        .current_dir(root())
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
    )
}

#[test]
fn a_seed_gives_the_same_forecast_and_another_seed_another() {
    let p = "examples/projects/bfc-mi-parcours.toml";
    let a = run(&[
        "simulate", p, "--runs", "500", "--seed", "42", "--format", "json",
    ]);
    let b = run(&[
        "simulate", p, "--runs", "500", "--seed", "42", "--format", "json",
    ]);
    let c = run(&[
        "simulate", p, "--runs", "500", "--seed", "43", "--format", "json",
    ]);
    assert_eq!(a.0, 0, "{}", a.1);
    assert_eq!(a, b);
    assert_ne!(a.1, c.1);
    let doc: serde_json::Value = serde_json::from_str(&a.1).unwrap();
    assert_eq!(doc["schema"], "cpts-simulate/1");
    assert_eq!(doc["runs"], 500);
}

#[test]
fn every_example_has_a_forecast_snapshot() {
    let mut examples: Vec<_> = std::fs::read_dir(root().join("examples/projects"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    examples.sort();
    for path in examples {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let rel = format!("examples/projects/{name}.toml");
        let (status, out) = run(&["simulate", &rel, "--runs", "1000", "--seed", "2026"]);
        assert_eq!(status, 0, "{name}: {out}");
        insta::assert_snapshot!(format!("simulate__{name}"), out);
    }
}

#[test]
fn until_and_assume_are_honoured() {
    let p = "examples/projects/projet-oppose.toml";
    // Stopping at the signature: nothing after it is simulated.
    let (status, json) = run(&[
        "simulate",
        p,
        "--runs",
        "300",
        "--until",
        "signature_aci",
        "--format",
        "json",
    ]);
    assert_eq!(status, 0, "{json}");
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    let step = |doc: &serde_json::Value, id: &str| {
        doc["steps"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == id)
            .unwrap()["reached"]
            .as_f64()
            .unwrap()
    };
    assert_eq!(doc["until"], "signature_aci");
    assert_eq!(doc["completed"], 1.0);
    assert_eq!(step(&doc, "signature_aci"), 1.0);
    assert_eq!(step(&doc, "dialogue_gestion"), 0.0);
    // An ARS that always opposes (and always answers within two months): the project never signs.
    let (status, json) = run(&[
        "simulate",
        p,
        "--runs",
        "50",
        "--assume",
        "validation_projet=oppose",
        "--format",
        "json",
    ]);
    assert_eq!(status, 0, "{json}");
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(doc["completed"], 0.0);
    assert_eq!(step(&doc, "signature_aci"), 0.0);
    for bad in [
        vec!["--until", "nulle_part"],
        vec!["--assume", "validation_projet=peut-etre"],
        vec!["--assume", "sans_egal"],
        vec!["--runs", "0"],
    ] {
        let mut args = vec!["simulate", p];
        args.extend(bad.iter().copied());
        assert_eq!(run(&args).0, 2, "{bad:?}");
    }
}
