//! The fuzz targets (`crates/fuzz`), bounded: each body on every seed and on a fixed number of
//! deterministic mutants of them, as libFuzzer runs it without bound (`fuzz/run TARGET`). A
//! failing input is written to `fuzz/artifacts/TARGET/`; once fixed, commit it to
//! `fuzz/seeds/TARGET/`, where every run replays it.

use cpts_fuzz::TARGETS;

/// `CPTS_FUZZ_ROUNDS=n` multiplies the number of mutants, `CPTS_FUZZ_SEED=s` draws others: a
/// longer campaign without libFuzzer (`cargo test --release --test suite fuzz`).
fn knob(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Runs `name` on its seeds and `mutants` mutants; on a panic, saves the input and fails.
fn bounded(name: &str, mutants: usize) {
    let target = cpts_fuzz::target(name).expect("a target of cpts_fuzz::TARGETS");
    let mutants = mutants * knob("CPTS_FUZZ_ROUNDS", 1) as usize;
    match target.bounded_run(mutants, knob("CPTS_FUZZ_SEED", 0x5eed)) {
        Ok(count) => assert!(count > mutants, "`{name}` has no seeds"),
        Err(input) => {
            let dir = super::root().join("fuzz/artifacts").join(name);
            let file = dir.join(format!("suite-{:016x}", fnv(&input)));
            let saved = std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&file, &input));
            let text = String::from_utf8_lossy(&input);
            let start: String = text.chars().take(300).collect();
            panic!(
                "fuzz target `{name}` panicked (message above) on an input of {} bytes, saved \
                 ({saved:?}) as {}; it starts with:\n{}",
                input.len(),
                file.display(),
                start.escape_debug()
            );
        }
    }
}

fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[test]
fn parse_never_panics() {
    bounded("parse", 2000);
}

#[test]
fn check_never_panics_and_is_deterministic() {
    bounded("check", 1000);
}

#[test]
fn formatting_round_trips() {
    bounded("fmt_roundtrip", 1000);
}

#[test]
fn status_never_panics() {
    bounded("status", 1000);
}

#[test]
fn plugin_values_decode_canonically_and_never_panic() {
    bounded("plugin_values", 20_000);
}

/// Each target has its libFuzzer driver, `[[bin]]`, seed folder and the same seeds in `fuzz/run`.
#[test]
fn every_target_runs_under_libfuzzer() {
    let root = super::root();
    let manifest = std::fs::read_to_string(root.join("fuzz/Cargo.toml")).unwrap();
    let script = std::fs::read_to_string(root.join("fuzz/run")).unwrap();
    for t in TARGETS {
        let driver = root.join(format!("fuzz/fuzz_targets/{}.rs", t.name));
        let driver = std::fs::read_to_string(&driver).unwrap_or_default();
        assert!(
            driver.contains(&format!("cpts_fuzz::run(\"{}\"", t.name)),
            "{} driver",
            t.name
        );
        assert!(
            manifest.contains(&format!("name = \"{}\"", t.name)),
            "{} [[bin]]",
            t.name
        );
        assert!(
            root.join("fuzz/seeds").join(t.name).is_dir(),
            "fuzz/seeds/{}/",
            t.name
        );
        // The `case` branch whose patterns (`parse | check)`) name the target, and its body.
        let names_it = |l: &&str| {
            let l = l.trim();
            l.ends_with(')')
                && l.trim_end_matches(')')
                    .split('|')
                    .any(|p| p.trim() == t.name)
        };
        let case: Vec<&str> = script
            .lines()
            .skip_while(|l| !names_it(l))
            .take(3)
            .collect();
        let case = case.join("\n");
        for dir in t.seeds.iter().chain([&t.dict.path]) {
            assert!(
                case.contains(dir),
                "fuzz/run lacks `{dir}` for `{}`:\n{case}",
                t.name
            );
        }
    }
}
