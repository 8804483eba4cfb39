//! `cpts fmt`: the canonical layout of a deliberately messy file (a snapshot), the repository's
//! rules already in it, files rewritten in place only when their layout changes, `--check` exit
//! codes, files that do not parse left untouched, and the round trip on the token soups of
//! `robustness`.

use super::{cpts, root};
use cpts_diag::FileId;
use proptest::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

const TIDY: &str = "workflow w \"W\" {\n  source \"s\"  // why\n}\n";
const MESSY: &str = "workflow w \"W\" { source \"s\" // why\n}";
const BROKEN: &str = "workflow w { source \"s\" }\n";

/// A fresh temporary folder holding `files` (name, text).
fn folder(files: &[(&str, &str)]) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "cpts-fmt-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    for (name, text) in files {
        std::fs::write(dir.join(name), text).unwrap();
    }
    dir
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap()
}

fn arg(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

#[test]
fn a_messy_file_gets_the_canonical_layout() {
    let text = std::fs::read_to_string(root().join("tests/corpus/fmt/messy.cpts")).unwrap();
    let formatted = cpts_lang::format(FileId(0), &text).unwrap();
    insta::assert_snapshot!("fmt__messy", formatted);
    assert_eq!(
        cpts_lang::comments(&text).collect::<Vec<_>>(),
        cpts_lang::comments(&formatted).collect::<Vec<_>>()
    );
    assert_eq!(cpts_lang::format(FileId(0), &formatted).unwrap(), formatted);
}

#[test]
fn the_repository_rules_are_in_the_canonical_layout() {
    let (rules, examples) = (root().join("rules"), root().join("examples"));
    let (status, out) = cpts(&["fmt", "--check", &arg(&rules), &arg(&examples)]);
    assert_eq!(status, 0, "run `cpts fmt rules/ examples/`:\n{out}");
}

#[test]
fn files_are_rewritten_in_place_only_when_their_layout_changes() {
    let dir = folder(&[
        ("tidy.cpts", TIDY),
        ("sub/messy.cpts", MESSY),
        ("notes.txt", MESSY),
    ]);
    let tidy_before = std::fs::metadata(dir.join("tidy.cpts")).unwrap();
    let (status, out) = cpts(&["fmt", &arg(&dir)]);
    assert_eq!(status, 0, "{out}");
    assert!(out.contains("reformatted"), "{out}");
    assert!(out.ends_with("1 of 2 files reformatted\n"), "{out}");
    assert_eq!(read(&dir, "sub/messy.cpts"), TIDY);
    // Not a `.cpts` file: not searched.
    assert_eq!(read(&dir, "notes.txt"), MESSY);
    // Already formatted: not written at all (same file, same modification time).
    let tidy_after = std::fs::metadata(dir.join("tidy.cpts")).unwrap();
    assert_eq!(
        tidy_before.modified().unwrap(),
        tidy_after.modified().unwrap()
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        assert_eq!(tidy_before.ino(), tidy_after.ino());
    }
    // No temporary file is left behind.
    let names: Vec<_> = std::fs::read_dir(dir.join("sub"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["messy.cpts"]);
    // A second run changes nothing.
    assert_eq!(cpts(&["fmt", "--check", &arg(&dir)]).0, 0);
}

#[test]
fn check_writes_nothing_and_exits_1_when_a_layout_would_change() {
    let dir = folder(&[("tidy.cpts", TIDY), ("messy.cpts", MESSY)]);
    assert_eq!(cpts(&["fmt", "--check", &arg(&dir.join("tidy.cpts"))]).0, 0);
    let (status, out) = cpts(&["fmt", "--check", &arg(&dir)]);
    assert_eq!(status, 1, "{out}");
    assert_eq!(read(&dir, "messy.cpts"), MESSY);
    assert!(out.contains("would reformat"), "{out}");
    assert!(
        out.contains("-workflow w \"W\" { source \"s\" // why"),
        "{out}"
    );
    assert!(
        out.contains("+workflow w \"W\" {\n+  source \"s\"  // why"),
        "{out}"
    );
    assert!(
        out.ends_with("1 of 2 files would be reformatted\n"),
        "{out}"
    );
}

#[test]
fn files_that_do_not_parse_are_reported_and_left_untouched() {
    let dir = folder(&[("broken.cpts", BROKEN), ("messy.cpts", MESSY)]);
    let (status, out) = cpts(&["fmt", &arg(&dir)]);
    assert_eq!(status, 1, "{out}");
    assert!(out.contains("E0001"), "{out}");
    assert!(out.contains("does not parse: not formatted"), "{out}");
    assert_eq!(read(&dir, "broken.cpts"), BROKEN);
    // The other files are still formatted.
    assert_eq!(read(&dir, "messy.cpts"), TIDY);
}

#[test]
fn json_output_lists_every_file() {
    let dir = folder(&[
        ("broken.cpts", BROKEN),
        ("messy.cpts", MESSY),
        ("tidy.cpts", TIDY),
    ]);
    let (status, out) = cpts(&["fmt", "--check", "--format", "json", &arg(&dir)]);
    assert_eq!(status, 1, "{out}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["schema"], "cpts-fmt/2");
    assert_eq!(json["check"], true);
    let files: Vec<(String, bool, bool)> = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let name = f["path"].as_str().unwrap().rsplit('/').next().unwrap();
            (
                name.to_owned(),
                f["changed"].as_bool().unwrap(),
                f["error"].is_string(),
            )
        })
        .collect();
    assert_eq!(
        files,
        [
            ("broken.cpts".to_owned(), false, true),
            ("messy.cpts".to_owned(), true, false),
            ("tidy.cpts".to_owned(), false, false),
        ]
    );
    assert_eq!(json["summary"]["changed"], 1);
    assert_eq!(json["diagnostics"][0]["code"], "E0001");
}

#[test]
fn usage_and_io_errors_exit_2() {
    assert_eq!(cpts(&["fmt"]).0, 2);
    let (status, out) = cpts(&["fmt", &arg(&root().join("no/such.cpts"))]);
    assert_eq!(status, 2, "{out}");
    assert!(out.contains("E0010"), "{out}");
    let empty = folder(&[]);
    let (status, out) = cpts(&["fmt", &arg(&empty)]);
    assert_eq!(status, 2, "{out}");
    assert!(out.contains("E0012"), "{out}");
    let (status, _) = cpts(&["fmt", "-", &arg(&empty)]);
    assert_eq!(status, 2);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// Token soups: refused with the parser's diagnostics, or formatted to the same tree, with
    /// the same comments, in a layout that is its own.
    #[test]
    fn token_soups_are_refused_or_round_trip(soup in super::robustness::token_soup()) {
        let (tree, diagnostics) = cpts_lang::parse(FileId(0), &soup);
        match cpts_lang::format(FileId(0), &soup) {
            Ok(formatted) => {
                let (again, problems) = cpts_lang::parse(FileId(0), &formatted);
                prop_assert!(problems.is_empty());
                prop_assert!(cpts_lang::same_syntax(&tree, &again));
                prop_assert_eq!(cpts_lang::comments(&soup).count(), cpts_lang::comments(&formatted).count());
                prop_assert_eq!(cpts_lang::format(FileId(0), &formatted).unwrap(), formatted);
            }
            Err(cpts_lang::FormatError::Syntax(found)) => {
                prop_assert!(!diagnostics.is_empty());
                prop_assert_eq!(found.len(), diagnostics.len());
            }
            Err(e) => prop_assert!(false, "{}", e),
        }
    }
}
