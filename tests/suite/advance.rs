//! `cpts advance`: checked before writing, refused with an explanation and the file untouched,
//! appended atomically otherwise; concurrent changes and damaged files are never overwritten.

use super::{cpts, root};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A private copy of an example project in a fresh temporary folder.
fn copy_of(example: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "cpts-advance-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("projet.toml");
    std::fs::copy(root().join("examples/projects").join(example), &path).unwrap();
    path
}

fn rules() -> String {
    root().join("rules").to_string_lossy().into_owned()
}

#[test]
fn a_refused_advance_explains_itself_and_leaves_the_file_byte_identical() {
    let path = copy_of("projet-oppose.toml");
    let before = std::fs::read(&path).unwrap();
    let p = path.to_string_lossy().into_owned();
    let r = rules();
    for args in [
        vec!["--step", "signature_aci", "--date", "2024-01-10"],
        vec!["--step", "validation_projet", "--date", "2024-01-10"],
        vec![
            "--step",
            "validation_projet",
            "--outcome",
            "acceptee",
            "--date",
            "2024-01-10",
        ],
        vec!["--step", "signature", "--date", "2024-01-10"],
        vec![
            "--step",
            "validation_projet",
            "--outcome",
            "valide",
            "--date",
            "2023-01-01",
        ],
        vec![
            "--step",
            "validation_projet",
            "--outcome",
            "valide",
            "--actor",
            "prefet",
            "--date",
            "2024-01-10",
        ],
    ] {
        let mut argv = vec!["advance", p.as_str(), "--rules", r.as_str()];
        argv.extend(args.iter().copied());
        let (status, out) = cpts(&argv);
        assert_eq!(status, 1, "{args:?}: {out}");
        assert!(
            out.contains("refused; nothing was written") && out.contains("E0609"),
            "{args:?}: {out}"
        );
        assert_eq!(
            std::fs::read(&path).unwrap(),
            before,
            "{args:?} changed the file"
        );
    }
}

#[test]
fn an_accepted_advance_appends_one_entry_and_moves_the_project_on() {
    let path = copy_of("projet-oppose.toml");
    let before = std::fs::read_to_string(&path).unwrap();
    let p = path.to_string_lossy().into_owned();
    let r = rules();
    let (status, out) = cpts(&[
        "advance",
        &p,
        "--rules",
        &r,
        "--step",
        "validation_projet",
        "--outcome",
        "valide",
        "--date",
        "2024-01-09",
        "--actor",
        "ars",
        "--evidence",
        "Courrier du 9 janvier 2024",
        "--note",
        "Validation \"explicite\"",
    ]);
    assert_eq!(status, 0, "{out}");
    let after = std::fs::read_to_string(&path).unwrap();
    assert!(
        after.starts_with(&before),
        "the existing text is kept as it was"
    );
    assert!(
        after.ends_with("note = \"Validation \\\"explicite\\\"\"\n"),
        "{after}"
    );
    let (status, out) = cpts(&["next", &p, "--rules", &r]);
    assert_eq!(status, 0);
    assert!(out.contains("signature_aci"), "{out}");
    // The same step again is refused: it is done.
    let (status, _) = cpts(&[
        "advance",
        &p,
        "--rules",
        &r,
        "--step",
        "validation_projet",
        "--outcome",
        "valide",
        "--date",
        "2024-01-10",
    ]);
    assert_eq!(status, 1);
}

#[test]
fn a_concurrent_change_is_detected_and_refused() {
    let path = copy_of("projet-oppose.toml");
    let rules = cpts::Rules::load(&[root().join("rules")])
        .map_err(|_| "rules")
        .unwrap();
    let project = cpts::Project::open(&rules, &path)
        .map_err(|_| "project")
        .unwrap();
    // Someone else edits the file after we read it.
    let theirs = format!(
        "{}\n# modifié par quelqu'un d'autre\n",
        std::fs::read_to_string(&path).unwrap()
    );
    std::fs::write(&path, &theirs).unwrap();
    let entry = cpts::Entry {
        step: "validation_projet".into(),
        outcome: Some("valide".into()),
        date: chrono::NaiveDate::from_ymd_opt(2024, 1, 9),
        ..cpts::Entry::default()
    };
    match project.advance(&entry, None) {
        Err(cpts::Refusal::Io(d)) => assert_eq!(d.code.id, "E0610"),
        other => panic!("expected a concurrent-change refusal, got {other:?}"),
    }
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        theirs,
        "their change is kept"
    );
    let leftovers: Vec<_> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        leftovers.len(),
        1,
        "no temporary file left behind: {leftovers:?}"
    );
}

#[test]
fn a_damaged_file_is_reported_never_rewritten() {
    let path = copy_of("sud-28.toml");
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str("\n[[journal]\nstep = \"mise_en_oeuvre\"\n");
    std::fs::write(&path, &text).unwrap();
    let p = path.to_string_lossy().into_owned();
    let r = rules();
    let (status, out) = cpts(&["status", &p, "--rules", &r]);
    assert_eq!(status, 1);
    assert!(out.contains("E0601"), "{out}");
    let (status, out) = cpts(&[
        "advance",
        &p,
        "--rules",
        &r,
        "--step",
        "mise_en_oeuvre",
        "--date",
        "2018-12-01",
    ]);
    assert_eq!(status, 1, "{out}");
    assert!(out.contains("nothing was written"), "{out}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
}
