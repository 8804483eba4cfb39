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
    let cx = Context::new(model);
    let mut out = Vec::new();
    soundness::check(&cx, &mut out);
    structure::check(&cx, &mut out);
    completion::check(&cx, &mut out);
    dataflow::check(&cx, &mut out);
    time::check(&cx, &mut out);
    cpts_diag::sort(&mut out);
    out
}

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
