//! The cpts engine: compiles a resolved workflow ([`cpts_lang::model::Model`]) into a petgraph
//! [`Graph`] and verifies it ([`verify()`]): structure, soundness (deadlock, livelock, dead steps,
//! option to complete, proper completion), data flow and time. Every finding is a
//! [`cpts_diag::Diagnostic`] with a counterexample a reader can follow.
//!
//! It also executes: [`status`] folds a project's journal over the model ([`replay`]) and gives
//! each node its [`State`] and each rule its verdict, with an [`Explanation`] when it is false;
//! rules are evaluated by the [`compiled`] evaluator ([`Program`] once per model, [`Facts`] once
//! per set of facts, [`status_with`]); [`Env`], the tree walker, evaluates expressions over facts
//! ([`Value`]s) on a French [`Calendar`], explains false rules, and is the compiled evaluator's
//! oracle.
//!
//! The engine does no IO and knows nothing of WebAssembly: plugin functions reach it through the
//! [`Plugins`] trait, which the plugin host implements.
//!
//! ```
//! use cpts_diag::Sources;
//! use cpts_lang::model::{build, Target};
//! let mut sources = Sources::new();
//! sources.add("w.cpts", r#"
//! workflow w "W" {
//!   version "v1" source "s"
//!   source "s"
//!   step a "A" { source "s" }
//!   decision d "D" { after a  outcome oui  outcome non  source "s" }
//!   step b "B" { after all(d.oui, d.non)  source "s" }
//! }"#);
//! let checked = cpts_lang::check(&sources);
//! let target = Target { workflow: "w".into(), version: "v1".into(), region: None };
//! let (model, _) = build(&checked, &target).unwrap();
//! let findings = cpts_engine::verify(&model);
//! assert_eq!(findings[0].code.name, "deadlock");
//! ```
#![deny(missing_docs)]

pub mod calendar;
pub mod compiled;
pub mod coverage;
mod eval;
mod exec;
pub mod execution;
mod graph;
pub mod plugins;
mod program;
pub mod simulate;
mod value;
mod verify;

pub use calendar::Calendar;
pub use compiled::{Deps, Facts, ItemRef, Program};
pub use coverage::Coverage;
pub use eval::{EmptyJournal, Env, EvalError, Explanation, Journal};
pub use exec::{
    DeadlineStatus, Event, History, Links, NodeStatus, Record, RuleVerdict, State, Status,
    dependents, replay, status, status_by_tree_walk, status_covered, status_with,
};
pub use execution::{Execution, Plan};
pub use graph::{Graph, GraphEdge, GraphNode, sinks};
pub use plugins::{NoPlugins, PluginCall, PluginFailure, PluginFinding, Plugins};
pub use program::{Selection, verify_program};
pub use value::Value;
pub use verify::verify;
