//! The one diagnostic model of cpts, shared by every phase (syntax, names, types, graph, rules,
//! plugins): a [`Diagnostic`] has a stable [`Code`] from the [`codes`] registry, a [`Severity`], a
//! message, a primary [`Span`] with labels, and help. Rendering happens only at the edge (the CLI).
//!
//! ```
//! use cpts_diag::{codes, Diagnostic, Sources, Span};
//! let mut sources = Sources::new();
//! let file = sources.add("a.cpts", "step x \"X\" { after y }");
//! let d = Diagnostic::new(&codes::UNKNOWN_STEP, "unknown step `y`")
//!     .at(Span::new(file, 19, 20))
//!     .help("declare the step or fix the name");
//! assert_eq!(d.code.id, "E0103");
//! assert_eq!(sources.snippet(d.span.unwrap()), "y");
//! ```
#![deny(missing_docs)]

pub mod codes;
mod diagnostic;
mod span;

pub use codes::Code;
pub use diagnostic::{Diagnostic, Label, Severity, has_errors, sort};
pub use span::{FileId, SourceFile, Sources, Span};
