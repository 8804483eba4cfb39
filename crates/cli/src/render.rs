//! Rendering diagnostics: the only place that decides how they look.

mod human;
mod json;

pub(crate) use human::{human, human_plain};
pub(crate) use json::{diagnostics as json_diagnostics, entries, json};
