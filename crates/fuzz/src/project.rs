//! The `status` target: project files against the real rules.

use std::sync::OnceLock;

/// Example projects and the corpus of bad project files.
pub(crate) const SEEDS: &[&str] = &["examples/projects", "tests/corpus/projects"];

/// The real rules, loaded once (with the bundled plugins, as `cpts status` does).
fn rules() -> &'static cpts::Rules {
    static RULES: OnceLock<cpts::Rules> = OnceLock::new();
    RULES.get_or_init(|| match cpts::Rules::load(&[crate::root().join("rules")]) {
        Ok(rules) => rules,
        Err((_, problems)) => panic!("the real rules do not load: {problems:?}"),
    })
}

/// Opening a project file never panics: it gives a project or problems that point into the
/// sources and render. An opened project's status renders as `cpts status` prints it, for
/// humans and in JSON, as of the file's `today` (or a fixed date when it has none, so that the
/// run does not depend on the clock).
pub(crate) fn status(data: &[u8]) {
    let text = String::from_utf8_lossy(data).into_owned();
    let mut out = Vec::new();
    match cpts::Project::from_text(rules(), "fuzz/project.toml", text) {
        Ok(project) => {
            crate::rules::assert_spans(project.sources(), project.warnings());
            let today = match project.data().header.today {
                Some(_) => None,
                None => chrono::NaiveDate::from_ymd_opt(2024, 1, 10),
            };
            for json in [false, true] {
                cpts_cli::status_report(&project, today, json, false, false, &mut out)
                    .expect("writing to memory");
            }
        }
        Err((sources, problems)) => {
            crate::rules::assert_spans(&sources, &problems);
            cpts_cli::render_human(&sources, &problems, &mut out).expect("writing to memory");
        }
    }
}
