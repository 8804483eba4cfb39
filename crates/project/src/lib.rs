//! Project files: a CPTS project's header (the workflow, version and region it is pinned to),
//! its facts and its append-only journal, in TOML (see `docs/projects.md`). Reading validates
//! everything against the pinned model and reports problems with spans into the file; writing
//! only ever appends a journal entry.
#![deny(missing_docs)]

mod data;
mod read;
mod schema;
mod write;
pub use schema::json_schema;

pub use data::{Entry, ProjectData, facts_json, value_json};
pub use read::{Header, Project, read, read_header, read_parts};
pub use write::{entry_toml, quote, to_toml};
