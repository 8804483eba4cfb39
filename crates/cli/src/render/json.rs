//! JSON output: the façade's result documents (`cpts::report`) serialised, nothing built here.
//! Diagnostics are `cpts-check/2` documents ([`cpts::report::CheckReport`]).

use cpts_diag::{Diagnostic, Sources};
use serde::Serialize;
use std::io::Write;

/// `all` as one `cpts-check/2` document.
pub(crate) fn json(
    sources: &Sources,
    all: &[Diagnostic],
    out: &mut dyn Write,
) -> std::io::Result<()> {
    doc(&cpts::report::CheckReport::new(sources, all), out)
}

/// `doc` as pretty JSON and a newline.
pub(crate) fn doc(doc: &impl Serialize, out: &mut dyn Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, doc).map_err(std::io::Error::other)?;
    writeln!(out)
}
