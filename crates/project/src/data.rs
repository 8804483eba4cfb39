//! A project as data, for tools that build one without a file: the header, facts as JSON values
//! and the journal as entries. [`to_toml`] writes it as a canonical project file, which
//! [`crate::read`] validates like any other (so a project built from data gets the same
//! diagnostics, with spans into that text); [`facts_json`] and [`Entry::of_event`] give a read
//! project back as data.

use chrono::NaiveDate;
use cpts_engine::{Event, Value};
use cpts_lang::model::Model;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value as Json};
use std::collections::BTreeMap;

/// A project: what a project file holds.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectData {
    /// The project's name.
    pub name: String,
    /// The workflow it is pinned to.
    pub workflow: String,
    /// The workflow version.
    pub version: String,
    /// The region whose overlay applies, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// The date it is looked at, if fixed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub today: Option<NaiveDate>,
    /// Facts, in the workflow's types: dates as `"2024-03-16"`, durations as `"2 months"`,
    /// enum variants by name, absent optional facts left out or `null`.
    #[serde(default)]
    pub facts: Map<String, Json>,
    /// The journal, in the order things happened.
    #[serde(default)]
    pub journal: Vec<Entry>,
}

/// A journal entry: one step done or one decision taken.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// The step or decision.
    pub step: String,
    /// The outcome (decisions only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
    /// When it happened (to record: default the project's today).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
    /// Who did it (one of the workflow's actors).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    /// A reference to the evidence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
    /// Free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Entry {
    /// The entry that records `event` of `model`.
    pub fn of_event(model: &Model, event: &Event) -> Entry {
        let node = &model.nodes[event.node];
        Entry {
            step: node.name.clone(),
            outcome: event.outcome.map(|o| node.outcomes[o].name.clone()),
            date: Some(event.date),
            actor: event.actor.clone(),
            evidence: event.evidence.clone(),
            note: event.note.clone(),
        }
    }
}

/// Facts read from a project, as JSON values (the form [`ProjectData::facts`] takes).
pub fn facts_json(facts: &BTreeMap<String, Value>) -> Map<String, Json> {
    facts
        .iter()
        .filter(|(_, v)| **v != Value::None)
        .map(|(k, v)| (k.clone(), value_json(v)))
        .collect()
}

/// A value as JSON: numbers, booleans, strings, dates as `"YYYY-MM-DD"`, durations as
/// `"2 months"`, enum variants by name, lists and sets as arrays, records as objects (absent
/// optional fields left out), `none` as `null`.
pub fn value_json(value: &Value) -> Json {
    match value {
        Value::Int(i) => Json::from(*i),
        Value::Decimal(d) => serde_json::Number::from_f64(*d).map_or(Json::Null, Json::Number),
        Value::Bool(b) => Json::Bool(*b),
        Value::Text(t) | Value::Enum(t) => Json::String(t.clone()),
        Value::Date(d) => Json::String(d.to_string()),
        Value::Duration(n, unit) => Json::String(unit.quantity(*n)),
        Value::Record(fields) => Json::Object(facts_json(fields)),
        Value::List(items) | Value::Set(items) => {
            Json::Array(items.iter().map(value_json).collect())
        }
        Value::None => Json::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn project_data_reads_from_json_and_refuses_unknown_keys() {
        let data: ProjectData = serde_json::from_str(
            r#"{"name": "P", "workflow": "creation", "version": "aci-2022",
                "facts": {"porteurs": ["a"]},
                "journal": [{"step": "emergence", "date": "2024-01-02"}]}"#,
        )
        .unwrap();
        assert_eq!(data.journal[0].date, NaiveDate::from_ymd_opt(2024, 1, 2));
        assert_eq!(data.facts["porteurs"], serde_json::json!(["a"]));
        let unknown = serde_json::from_str::<ProjectData>(
            r#"{"name": "P", "workflow": "w", "version": "v", "fact": {}}"#,
        );
        assert!(
            unknown
                .unwrap_err()
                .to_string()
                .contains("unknown field `fact`")
        );
    }

    #[test]
    fn values_become_plain_json() {
        let record = Value::Record(BTreeMap::from([
            (
                "a".to_string(),
                Value::Date(NaiveDate::from_ymd_opt(2024, 3, 16).unwrap()),
            ),
            ("b".to_string(), Value::None),
            (
                "c".to_string(),
                Value::Duration(2, cpts_lang::syntax::Unit::Months),
            ),
        ]));
        assert_eq!(
            value_json(&record),
            serde_json::json!({"a": "2024-03-16", "c": "2 months"})
        );
        assert_eq!(value_json(&Value::None), Json::Null);
        assert_eq!(value_json(&Value::Decimal(1.5)), serde_json::json!(1.5));
    }
}
