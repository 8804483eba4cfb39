//! Results as data: one serialisable type per output document of the `cpts` command, built from
//! typed inputs (a [`Model`], a [`Status`], [`Sources`], diagnostics), never from the CLI. The
//! CLI's `--format json` is these types serialised with `serde_json`; `cpts schema --output`
//! prints their JSON Schema (draft 2020-12), generated from the same types by `schemars`.
//!
//! Every document names its shape in `schema` (`"cpts-status/2"`). Values are JSON data, not
//! display text: see [`ValueSchema`]. Every problem is a [`Finding`].
//!
//! ```
//! use cpts::report::{CheckReport, json_schema};
//! use cpts::{Diagnostic, Sources};
//! let mut sources = Sources::new();
//! let file = sources.add("a.cpts", "step x");
//! let d = Diagnostic::new(&cpts_diag::codes::SYNTAX_ERROR, "expected a label")
//!     .at(cpts_diag::Span::new(file, 5, 6));
//! let report = CheckReport::new(&sources, &[d]);
//! let json = serde_json::to_value(&report).unwrap();
//! assert_eq!(json["schema"], "cpts-check/2");
//! assert_eq!(json["diagnostics"][0]["span"]["line"], 1);
//! assert_eq!(json_schema::<CheckReport>()["$schema"], "https://json-schema.org/draft/2020-12/schema");
//! ```
//!
//! [`Model`]: cpts_lang::model::Model
//! [`Status`]: crate::Status
//! [`Sources`]: crate::Sources

mod advance;
mod finding;
mod fmt;
mod graph;
mod simulate;
pub(crate) mod status;
mod tools;

pub use advance::{AdvanceReport, EntryReport};
pub use finding::{
    CheckReport, CheckSummary, ErrorReport, Finding, LabelReport, Location, findings,
};
pub use fmt::{FmtFile, FmtReport, FmtSummary};
pub use graph::{
    DrawnEdge, EdgeKind, GraphEdgeReport, GraphNodeReport, GraphReport, NodeKindName, RegionRef,
    TypicalReport, drawn_edges,
};
pub use simulate::{
    Assumed, Assumptions, DeadlineForecastReport, PercentileDates, SimulateReport, StepForecast,
};
pub use status::{
    DeadlineReport, DeadlineState, Needs, ProjectRef, StatusReport, StepReport, StepState,
    ValueReport, why_not,
};
pub use tools::{
    CodeReport, ExplainReport, PluginBuildReport, PluginFunctionReport, PluginNewReport,
    PluginParam, PluginReport,
};

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use std::borrow::Cow;

/// The JSON Schema (draft 2020-12) of a document type, as `cpts schema --output` prints it.
pub fn json_schema<T: JsonSchema>() -> serde_json::Value {
    schemars::schema_for!(T).to_value()
}

/// The JSON Schema of a [`Value`](crate::Value) as it is serialised: an integer or decimal is a
/// number, a boolean a boolean, a text or an enum variant (`profession.infirmier`) a string, a
/// date its ISO text (`"2024-01-10"`), an absent optional `null`, a list or set an array, a
/// record an object, a duration `{ "amount": 5, "unit": "years" }` (`unit`: `days`,
/// `working days`, `weeks`, `months` or `years`). Used as `#[schemars(with = "ValueSchema")]`.
pub struct ValueSchema;

impl JsonSchema for ValueSchema {
    fn schema_name() -> Cow<'static, str> {
        "Value".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let value = generator.subschema_for::<ValueSchema>();
        json_schema!({
            "description": "a rules-language value as data: number, boolean, string (text, enum variant, ISO date), null (absent), array (list, set), object (record), or a duration",
            "anyOf": [
                { "type": ["null", "boolean", "number", "string"] },
                {
                    "type": "object",
                    "properties": {
                        "amount": { "type": "integer" },
                        "unit": { "enum": ["days", "working days", "weeks", "months", "years"] }
                    },
                    "required": ["amount", "unit"],
                    "additionalProperties": false
                },
                { "type": "array", "items": value },
                { "type": "object", "additionalProperties": value }
            ]
        })
    }
}

/// How a severity is written (`info`, `warning`, `error`): the schema of [`crate::Severity`].
#[derive(JsonSchema)]
#[serde(rename_all = "lowercase")]
#[allow(dead_code)] // Only its schema is used.
pub(crate) enum SeveritySchema {
    Info,
    Warning,
    Error,
}

#[cfg(test)]
mod tests;
