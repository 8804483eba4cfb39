use super::*;
use crate::{Project, Rules, Value};
use cpts_lang::syntax::Unit;
use serde_json::json;

#[test]
fn values_are_json_data_not_display_text() {
    let list = Value::List((0..200).map(Value::Int).collect());
    assert_eq!(
        serde_json::to_value(&list)
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        200
    );
    let record = Value::Record(
        [
            ("n".to_owned(), Value::Decimal(2.5)),
            ("d".to_owned(), Value::Date("2024-01-10".parse().unwrap())),
            ("t".to_owned(), Value::Duration(5, Unit::Years)),
            ("w".to_owned(), Value::Duration(1, Unit::WorkingDays)),
            ("e".to_owned(), Value::Enum("profession.infirmier".into())),
            ("o".to_owned(), Value::None),
            (
                "s".to_owned(),
                Value::set(vec![Value::Text("b".into()), Value::Text("a".into())]),
            ),
        ]
        .into(),
    );
    assert_eq!(
        serde_json::to_value(&record).unwrap(),
        json!({ "n": 2.5, "d": "2024-01-10", "t": { "amount": 5, "unit": "years" },
            "w": { "amount": 1, "unit": "working days" }, "e": "profession.infirmier",
            "o": null, "s": ["a", "b"] })
    );
}

#[test]
fn every_document_schema_names_its_version_and_dialect() {
    for (schema, name) in [
        (json_schema::<StatusReport>(), StatusReport::SCHEMA),
        (json_schema::<CheckReport>(), CheckReport::SCHEMA),
        (json_schema::<AdvanceReport>(), AdvanceReport::SCHEMA),
        (json_schema::<SimulateReport>(), SimulateReport::SCHEMA),
        (json_schema::<GraphReport>(), GraphReport::SCHEMA),
        (json_schema::<FmtReport>(), FmtReport::SCHEMA),
        (json_schema::<ErrorReport>(), ErrorReport::SCHEMA),
    ] {
        assert_eq!(
            schema["$schema"],
            "https://json-schema.org/draft/2020-12/schema"
        );
        assert_eq!(schema["properties"]["schema"]["const"], name, "{schema:#}");
    }
    // Values are recursive: lists of values refer back to the definition.
    let status = json_schema::<StatusReport>();
    assert!(status["$defs"]["Value"]["anyOf"].is_array(), "{status:#}");
}

#[test]
fn a_status_report_types_its_values_and_names_rule_step_and_source() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let rules = Rules::load(&[format!("{root}/rules")]).expect("the rules load");
    let project = Project::open(&rules, format!("{root}/examples/projects/asclepios.toml"))
        .expect("the project reads");
    let status = project.status(None);
    let report = StatusReport::new(
        project.model(),
        &project.data().header.name,
        &status,
        project.sources(),
        project.warnings(),
    );
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["schema"], "cpts-status/2");
    for v in json["values"].as_array().unwrap() {
        assert!(!v["value"].is_string() || !v["value"].as_str().unwrap().contains("in all)"));
    }
    for f in json["findings"].as_array().unwrap() {
        if f["code"] == "E0701" {
            assert!(f["rule"].is_string(), "{f:#}");
        }
    }
    let next = StatusReport::next(project.model(), "x", &status, project.sources());
    assert!(next.findings.len() <= report.findings.len());
}
