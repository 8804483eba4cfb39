//! `cpts advance`: schema `cpts-advance/2`.

use super::{Finding, findings};
use crate::Entry;
use chrono::NaiveDate;
use cpts_diag::{Diagnostic, Sources};
use schemars::JsonSchema;
use serde::Serialize;

/// What `cpts advance` did: schema `cpts-advance/2`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct AdvanceReport {
    /// `cpts-advance/2`.
    #[schemars(extend("const" = AdvanceReport::SCHEMA))]
    pub schema: &'static str,
    /// The project file.
    pub file: String,
    /// Whether the entry was appended.
    pub recorded: bool,
    /// The entry.
    pub entry: EntryReport,
    /// The TOML appended to the journal, when recorded.
    pub appended: Option<String>,
    /// Why it was refused.
    pub findings: Vec<Finding>,
}

/// A journal entry, as recorded or asked for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct EntryReport {
    /// The step or decision.
    pub step: String,
    /// The outcome (decisions).
    pub outcome: Option<String>,
    /// The date recorded, or asked for when refused.
    pub date: Option<NaiveDate>,
    /// Who did it.
    pub actor: Option<String>,
    /// The evidence.
    pub evidence: Option<String>,
    /// Free text.
    pub note: Option<String>,
}

impl AdvanceReport {
    /// The schema name and version.
    pub const SCHEMA: &'static str = "cpts-advance/2";

    /// The result of recording `entry` on `date` in `file`: `appended` is the text appended
    /// (`None`: refused, and `refusal` says why, located in `sources`).
    pub fn new(
        file: &str,
        entry: &Entry,
        date: Option<NaiveDate>,
        appended: Option<&str>,
        sources: &Sources,
        refusal: &[Diagnostic],
    ) -> AdvanceReport {
        AdvanceReport {
            schema: AdvanceReport::SCHEMA,
            file: file.to_owned(),
            recorded: appended.is_some(),
            entry: EntryReport {
                step: entry.step.clone(),
                outcome: entry.outcome.clone(),
                date,
                actor: entry.actor.clone(),
                evidence: entry.evidence.clone(),
                note: entry.note.clone(),
            },
            appended: appended.map(str::to_owned),
            findings: findings(sources, refusal),
        }
    }
}
