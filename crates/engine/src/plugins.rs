//! How the engine reaches plugin functions: through [`Plugins`], which the plugin host
//! implements. The engine knows nothing of WebAssembly; it gives the host the declaration the
//! rules made, the arguments and the span of the call, and checks what comes back against the
//! declared type.

use crate::value::Value;
use cpts_diag::{Severity, Span};
use cpts_lang::model::{PluginDecl, PluginFunction};

/// One call of a plugin function from the rules.
pub struct PluginCall<'a> {
    /// The plugin, as the region declares it.
    pub plugin: &'a PluginDecl,
    /// The function, as declared.
    pub function: &'a PluginFunction,
    /// The evaluated arguments.
    pub args: &'a [Value],
    /// The call in the rules.
    pub span: Span,
}

/// Why a plugin call gave no result. `message` names the plugin, its version and the function,
/// and says what happened (trap, fuel or memory exhausted, time out, bad result, …).
#[derive(Clone, Debug, PartialEq)]
pub struct PluginFailure {
    /// English, lowercase, complete.
    pub message: String,
    /// Fuel the call used, when it ran.
    pub fuel: Option<u64>,
}

/// A finding of a plugin validation function.
#[derive(Clone, Debug, PartialEq)]
pub struct PluginFinding {
    /// The plugin's own code (`BFC001`).
    pub code: String,
    /// Its severity.
    pub severity: Severity,
    /// French, for the referent.
    pub message: String,
}

/// The plugin functions the rules may call.
pub trait Plugins {
    /// Calls a guard or computed function.
    fn call(&self, call: &PluginCall<'_>) -> Result<Value, PluginFailure>;

    /// Calls a validation function.
    fn validate(&self, call: &PluginCall<'_>) -> Result<Vec<PluginFinding>, PluginFailure>;
}

/// No plugin host: every call fails, saying so.
pub struct NoPlugins;

impl NoPlugins {
    fn failure(call: &PluginCall<'_>) -> PluginFailure {
        PluginFailure {
            message: format!(
                "plugin `{}` is not loaded: `{}.{}` cannot be called (no plugin host here)",
                call.plugin.package, call.plugin.alias, call.function.name
            ),
            fuel: None,
        }
    }
}

impl Plugins for NoPlugins {
    fn call(&self, call: &PluginCall<'_>) -> Result<Value, PluginFailure> {
        Err(NoPlugins::failure(call))
    }

    fn validate(&self, call: &PluginCall<'_>) -> Result<Vec<PluginFinding>, PluginFailure> {
        Err(NoPlugins::failure(call))
    }
}
