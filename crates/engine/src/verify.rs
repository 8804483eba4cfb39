//! Static verification of a model: structure, soundness, data flow, time.
//!
//! Execution semantics the checks reason about (see ARCHITECTURE.md, "Soundness without state
//! explosion"): a node is enabled once its prerequisite condition holds and, once enabled, is
//! eventually done; steps never compete for anything. A decision ends with one of its *forward*
//! outcomes (no `->`); a *looping* outcome sends the workflow back to its target, which undoes
//! the target and everything after it. So the set of nodes a run completes depends only on the
//! forward outcome each decision finally takes — a *scenario* — never on how parallel branches
//! interleave.

mod completion;
mod context;
mod dataflow;
mod paths;
mod soundness;
mod structure;
mod time;

use cpts_diag::Diagnostic;
use cpts_lang::model::Model;

pub(crate) use context::Context;

/// Runs every check on `model` and returns the findings, sorted.
pub fn verify(model: &Model) -> Vec<Diagnostic> {
    let parallel = model.nodes.len() >= PARALLEL_FROM
        && std::thread::available_parallelism().is_ok_and(|n| n.get() > 1);
    verify_in(model, parallel)
}

fn verify_in(model: &Model, parallel: bool) -> Vec<Diagnostic> {
    let cx = Context::new(model);
    let mut out = Vec::new();
    let others = |out: &mut Vec<Diagnostic>| {
        soundness::check(&cx, out);
        structure::check(&cx, out);
        completion::check(&cx, out);
        time::check(&cx, out);
    };
    // On a large model, data flow (the largest check) runs on a thread of its own beside the
    // others; the findings are sorted, so the result does not depend on which finishes first.
    if parallel {
        let flow = std::thread::scope(|s| {
            let flow = s.spawn(|| {
                let mut found = Vec::new();
                dataflow::check(&cx, &mut found);
                found
            });
            others(&mut out);
            flow.join()
        });
        match flow {
            Ok(found) => out.extend(found),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    } else {
        others(&mut out);
        dataflow::check(&cx, &mut out);
    }
    cpts_diag::sort(&mut out);
    out
}

/// The size (in steps and decisions) from which [`verify`] uses a second thread: below it, the
/// checks take well under a millisecond and a thread would cost more than it saves.
const PARALLEL_FROM: usize = 2_000;

#[cfg(test)]
mod tests {
    use cpts_diag::Sources;
    use cpts_lang::model::{build, targets};

    /// Every finding (code and message) of every target of `text`.
    fn findings(text: &str) -> Vec<String> {
        let mut sources = Sources::new();
        sources.add("t.cpts", text);
        let checked = cpts_lang::check(&sources);
        assert!(checked.diagnostics.is_empty(), "{:#?}", checked.diagnostics);
        let mut out = Vec::new();
        for target in targets(&checked) {
            let (model, problems) = build(&checked, &target).unwrap();
            out.extend(
                problems
                    .iter()
                    .chain(&super::verify(&model))
                    .map(|d| format!("{}: {}", d.code.id, d.message)),
            );
        }
        out
    }

    #[test]
    fn checking_on_two_threads_finds_what_one_finds() {
        // A generated workflow with defects seeded in: a step waiting for itself, a step waiting
        // for a step that waits for it.
        let mut text = cpts_gen::workflow(&cpts_gen::Shape::new(300, 7));
        let end = text.rfind('}').unwrap();
        text.insert_str(
            end,
            "  step boucle \"B\" { after boucle  source \"s\" }\n  \
             step x \"X\" { after y  source \"s\" }\n  step y \"Y\" { after x  source \"s\" }\n",
        );
        let mut sources = Sources::new();
        sources.add("g.cpts", text);
        let checked = cpts_lang::check(&sources);
        for target in targets(&checked) {
            let (model, _) = build(&checked, &target).unwrap();
            let one = super::verify_in(&model, false);
            let two = super::verify_in(&model, true);
            assert!(!one.is_empty());
            let show = |d: &[cpts_diag::Diagnostic]| {
                d.iter()
                    .map(|d| format!("{} {}", d.code.id, d.message))
                    .collect::<Vec<_>>()
            };
            assert_eq!(show(&one), show(&two));
        }
    }

    const HEAD: &str = "workflow w \"W\" {\n  version \"v1\" source \"s\"\n  version \"v2\" source \"s\"\n  source \"s\"\n";

    fn sound(body: &str) {
        let found = findings(&format!("{HEAD}{body}\n}}"));
        assert!(found.is_empty(), "{found:#?}");
    }

    #[test]
    fn an_any_with_one_alternative_per_version_is_fine() {
        sound(
            r#"step signature "S" { source "s" }
  step ancien "A" { after signature  until "v1"  source "s" }
  step nouveau "N" { after signature  since "v2"  source "s" }
  step dialogue "D" { after any(ancien, nouveau)  source "s" }"#,
        );
    }

    #[test]
    fn a_guarded_read_of_later_data_is_not_a_read() {
        sound(
            r#"facts { declaree: date? }
  param limite: date = 2022-05-14 source "s"
  step transmis "T" { source "s"
    rule a_temps error "M" expect declaree != none implies declaree < limite source "s" }
  step declaration "D" { after transmis  produces declaree  source "s" }"#,
        );
    }

    #[test]
    fn a_join_with_a_step_before_the_decision_is_not_stuck() {
        sound(
            r#"step lettre "L" { source "s" }
  decision e "E" { after lettre  outcome oui  outcome non  source "s" }
  step x "X" { after all(lettre, e.oui)  source "s" }
  step y "Y" { after e.non  source "s" }"#,
        );
    }

    #[test]
    fn an_end_accepting_exclusive_branches_is_proper() {
        sound(
            r#"step projet "P" { source "s" }
  decision validation "V" { after projet  outcome valide  outcome rejete  source "s" }
  step signature "S" { after validation.valide  source "s" }
  step archivage "A" { after validation.rejete  source "s" }
  end after any(signature, archivage)"#,
        );
    }

    #[test]
    fn rework_loops_and_joins_after_them_are_sound() {
        sound(
            r#"step lettre "L" { source "s" }
  decision d "D" { after lettre  outcome ok  outcome ko -> lettre  source "s" }
  decision e "E" { after d.ok  outcome oui  outcome non  source "s" }
  step x "X" { after all(d.ok, e.oui)  source "s" }
  step y "Y" { after e.non  source "s" }"#,
        );
    }

    #[test]
    fn each_defect_is_found_once() {
        let found = findings(&format!(
            "{HEAD}step a \"A\" {{ source \"s\" }}\n  decision d \"D\" {{ after a  outcome oui  outcome non  source \"s\" }}\n  step b \"B\" {{ after all(d.oui, d.non)  source \"s\" }}\n}}"
        ));
        // One deadlock, found in both versions, reported once per version by `verify`.
        assert_eq!(
            found.iter().filter(|f| f.starts_with("E0505")).count(),
            2,
            "{found:#?}"
        );
        assert!(found.iter().all(|f| f.starts_with("E0505")), "{found:#?}");
    }
}
