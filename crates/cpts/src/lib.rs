//! The public Rust API of cpts, for tools that embed the engine. The `cpts` command uses it too.
//!
//! ```no_run
//! let rules = cpts::Rules::load(&["rules/"]).expect("the rules load");
//! let project = cpts::Project::open(&rules, "examples/projects/sud-28.toml").expect("the project reads");
//! let status = project.status(None);
//! for next in status.nodes.iter().filter(|n| n.state == cpts::State::Enabled) {
//!     println!("possible now: {}", project.model().nodes[next.node].label);
//! }
//! ```
//!
//! Every problem is a [`Diagnostic`] with a code, a span into [`Rules::sources`] (rules and
//! project files alike) and a hint. Nothing here panics on bad input.
#![deny(missing_docs)]

mod advance;
mod plugins;
mod project;
mod rules;

pub use advance::{Entry, Refusal};
pub use cpts_diag::{Diagnostic, Severity, Sources};
pub use cpts_engine::simulate::{Forecast, Options as SimulationOptions};
pub use cpts_engine::{DeadlineStatus, NodeStatus, RuleVerdict, State, Status, Value};
pub use cpts_lang::syntax::RuleSeverity;
pub use cpts_plugin_host::{
    Host as PluginHost, Limits as PluginLimits, LoadError as PluginLoadError,
    LoadErrorKind as PluginLoadErrorKind, PluginInfo,
};
pub use plugins::PluginConfig;
pub use project::Project;
pub use rules::Rules;
