//! The public Rust API of cpts, for tools that embed the engine. The `cpts` command uses it too.
//!
//! ```
//! use cpts::{Project, Rules, State};
//! # let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
//! # let (rules_dir, project_file) = (format!("{root}/rules"), format!("{root}/examples/projects/projet-oppose.toml"));
//! // The national workflow and the regional overlays, with the plugins they call.
//! let rules = Rules::load(&[rules_dir]).expect("the rules load");
//! // A project whose health project the ARS opposed; it was sent again in November 2023.
//! let project = Project::open(&rules, project_file).expect("the project reads");
//! let status = project.status(None); // as of the file's `today`, 2024-01-10
//! let next: Vec<&str> = status
//!     .nodes
//!     .iter()
//!     .filter(|n| n.state == State::Enabled)
//!     .map(|n| project.model().nodes[n.node].name.as_str())
//!     .collect();
//! assert_eq!(next, ["validation_projet"]);
//! // Two months of ARS silence validate it: a month later, the ACI can be signed.
//! let later = project.status(Some("2024-02-01".parse().unwrap()));
//! let signature = later
//!     .nodes
//!     .iter()
//!     .find(|n| project.model().nodes[n.node].name == "signature_aci")
//!     .unwrap();
//! assert_eq!(signature.state, State::Enabled);
//! ```
//!
//! Every problem is a [`Diagnostic`] with a code, a span into [`Rules::sources`] (rules and
//! project files alike) and a hint. Nothing here panics on bad input.
#![deny(missing_docs)]

mod advance;
mod instance;
mod plugins;
mod project;
pub mod report;
mod rules;

pub use advance::{Refusal, write_atomically};
pub use cpts_diag::{Diagnostic, Severity, Sources};
pub use cpts_engine::simulate::{Forecast, Options as SimulationOptions};
pub use cpts_engine::{
    DeadlineStatus, Event, Execution, NodeStatus, Plan, RuleVerdict, State, Status, Value,
};
pub use cpts_lang::model::Model;
pub use cpts_lang::syntax::RuleSeverity;
pub use cpts_plugin_host::{
    Host as PluginHost, Limits as PluginLimits, LoadError as PluginLoadError,
    LoadErrorKind as PluginLoadErrorKind, PluginInfo,
};
pub use cpts_project::{Entry, ProjectData};
pub use instance::Instance;
pub use plugins::{PluginConfig, cache_dir};
pub use project::{Project, calendar_for, clock_today};
pub use rules::{Rules, rules_files};
