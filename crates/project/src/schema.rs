//! The JSON Schema (draft 2020-12) of project files pinned to one model, as their TOML looks once
//! converted to JSON (dates as `"YYYY-MM-DD"` strings). Generated from the model's types, so that
//! editors can complete and check facts and journal entries before `cpts` reads the file.
//!
//! The schema uses a small subset of JSON Schema: `type`, `enum`, `const`, `required`,
//! `properties`, `additionalProperties: false`, `items`, `uniqueItems`, `pattern`,
//! `format: "date"` and the boolean schema `false`, with `title`/`description` annotations.

use cpts_lang::model::Model;
use cpts_lang::syntax::NodeKind;
use cpts_lang::types::Type;
use serde_json::{Map, Value as Json, json};

/// The accepted duration strings (see `docs/projects.md`): a count and an English or French unit.
pub(crate) const DURATION_PATTERN: &str = "^[0-9]+ (days?|working days?|weeks?|months?|years?|jours?|jour ouvré|jours ouvrés|semaines?|mois|ans?)$";

/// The JSON Schema of project files pinned to `model` (its workflow, version and region).
pub fn json_schema(model: &Model) -> Json {
    let mut id = format!(
        "https://cpts.invalid/schema/{}/{}",
        model.workflow, model.version
    );
    let region_text = match &model.region {
        Some((name, label)) => {
            id.push('/');
            id.push_str(name);
            format!(", région « {label} » ({name})")
        }
        None => String::new(),
    };
    let mut root = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": id,
        "title": format!("Projet CPTS — {}", model.label),
        "description": format!(
            "Fichier de projet CPTS (TOML converti en JSON) suivant le workflow « {} » ({}), version {}{region_text} : l'en-tête [project], les faits [facts] et le journal [[journal]].",
            model.label, model.workflow, model.version
        ),
        "type": "object",
        "properties": {
            "project": project(model),
            "facts": facts(model),
            "journal": journal(model),
        },
        "required": ["project"],
        "additionalProperties": false,
    });
    if model.facts.iter().any(|(_, t)| required(t)) {
        root["required"] = json!(["project", "facts"]);
    }
    root
}

fn date() -> Json {
    json!({ "type": "string", "format": "date" })
}

fn project(model: &Model) -> Json {
    let mut properties = Map::new();
    properties.insert(
        "name".into(),
        json!({ "type": "string", "title": "Nom du projet" }),
    );
    properties.insert(
        "workflow".into(),
        json!({ "const": model.workflow, "title": "Workflow suivi", "description": model.label }),
    );
    properties.insert(
        "version".into(),
        json!({ "const": model.version, "title": "Version des règles (figée pour le projet)" }),
    );
    let mut required = vec!["name", "workflow", "version"];
    match &model.region {
        Some((name, label)) => {
            properties.insert(
                "region".into(),
                json!({ "const": name, "title": "Surcouche régionale", "description": label }),
            );
            required.push("region");
        }
        None => {
            // Without a region overlay, `region` must be absent.
            properties.insert("region".into(), Json::Bool(false));
        }
    }
    let mut today = date();
    today["title"] = json!("Date à laquelle le projet est examiné (sinon : l'horloge)");
    properties.insert("today".into(), today);
    properties.insert(
        "sources".into(),
        json!({ "type": "array", "items": { "type": "string" }, "title": "D'où viennent les faits" }),
    );
    json!({
        "type": "object",
        "title": "En-tête du projet",
        "properties": properties,
        "required": required,
    })
}

/// Whether a field of this type must be given.
fn required(ty: &Type) -> bool {
    !matches!(ty, Type::Optional(_) | Type::Error | Type::None)
}

fn facts(model: &Model) -> Json {
    let mut schema = record(&model.facts, model);
    schema["title"] = json!("Faits du projet");
    schema["description"] = json!(format!(
        "Ce que l'on sait du projet, selon le schéma `facts` du workflow « {} » ; un champ `T?` peut être omis.",
        model.label
    ));
    schema
}

fn record(fields: &[(String, Type)], model: &Model) -> Json {
    let mut properties = Map::new();
    let mut needed = Vec::new();
    for (name, ty) in fields {
        properties.insert(name.clone(), of_type(ty, model));
        if required(ty) {
            needed.push(name.clone());
        }
    }
    json!({
        "type": "object",
        "properties": properties,
        "required": needed,
        "additionalProperties": false,
    })
}

fn labelled(names: &[(String, Option<String>)]) -> String {
    names
        .iter()
        .map(|(n, l)| match l {
            Some(l) => format!("{n} : {l}"),
            None => n.clone(),
        })
        .collect::<Vec<_>>()
        .join(" ; ")
}

fn of_type(ty: &Type, model: &Model) -> Json {
    match ty {
        Type::Int => json!({ "type": "integer" }),
        Type::Decimal => json!({ "type": "number" }),
        Type::Bool => json!({ "type": "boolean" }),
        Type::Text => json!({ "type": "string" }),
        Type::Date => date(),
        Type::Duration => json!({
            "type": "string",
            "pattern": DURATION_PATTERN,
            "description": "Une durée : « 2 months », « 10 working days », « 2 mois »…",
        }),
        Type::Enum(name) => {
            let variants = model.enums.get(name.as_ref()).cloned().unwrap_or_default();
            let mut schema = json!({ "type": "string", "enum": variants, "title": name.as_ref() });
            if name.as_ref() == "document" && !model.documents.is_empty() {
                schema["description"] =
                    json!(format!("Documents : {}", labelled(&model.documents)));
            }
            schema
        }
        Type::List(el) => json!({ "type": "array", "items": of_type(el, model) }),
        Type::Set(el) => {
            json!({ "type": "array", "items": of_type(el, model), "uniqueItems": true })
        }
        Type::Record(r) => {
            let mut schema = record(&r.fields, model);
            if let Some(name) = &r.name {
                schema["title"] = json!(name);
            }
            schema
        }
        Type::Optional(inner) => of_type(inner, model),
        Type::None | Type::Error => json!({}),
    }
}

fn journal(model: &Model) -> Json {
    let steps: Vec<&str> = model.nodes.iter().map(|n| n.name.as_str()).collect();
    let mut outcomes: Vec<&str> = Vec::new();
    for o in model.nodes.iter().flat_map(|n| &n.outcomes) {
        if !outcomes.contains(&o.name.as_str()) {
            outcomes.push(&o.name);
        }
    }
    let step_help = model
        .nodes
        .iter()
        .map(|n| {
            let kind = if n.kind == NodeKind::Decision {
                let names: Vec<String> = n
                    .outcomes
                    .iter()
                    .map(|o| match &o.label {
                        Some(l) => format!("{} ({l})", o.name),
                        None => o.name.clone(),
                    })
                    .collect();
                format!(" [décision : {}]", names.join(", "))
            } else {
                String::new()
            };
            format!("{} : {}{kind}", n.name, n.label)
        })
        .collect::<Vec<_>>()
        .join(" ; ");
    let actors: Vec<&str> = model.actors.iter().map(|(n, _)| n.as_str()).collect();
    let mut entry_date = date();
    entry_date["title"] =
        json!("Date de l'événement (ni après `today`, ni avant l'entrée précédente)");
    json!({
        "type": "array",
        "title": "Journal du projet",
        "description": "Un événement par entrée, dans l'ordre : une étape faite ou une décision prise (avec son issue).",
        "items": {
            "type": "object",
            "properties": {
                "step": {
                    "type": "string",
                    "enum": steps,
                    "title": "Étape ou décision",
                    "description": step_help,
                },
                "outcome": {
                    "type": "string",
                    "enum": outcomes,
                    "title": "Issue de la décision",
                },
                "date": entry_date,
                "actor": {
                    "type": "string",
                    "enum": actors,
                    "title": "Acteur",
                    "description": labelled(&model.actors),
                },
                "evidence": { "type": "string", "title": "Pièce justificative" },
                "note": { "type": "string", "title": "Note" },
            },
            "required": ["step", "date"],
            "additionalProperties": false,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::{DURATION_PATTERN, json_schema};
    use cpts_diag::Sources;
    use cpts_lang::model::{Model, Target, build, targets};
    use serde_json::{Value as Json, json};
    use std::path::{Path, PathBuf};
    use toml::de::{DeTable, DeValue};

    const WORKFLOW: &str = r#"enum couleur { rouge, vert }
workflow w "Flux de test" {
  version "v1" source "s"
  source "s"
  actors { ars "ARS" }
  facts {
    nom: text,
    population: int,
    surface: decimal?,
    teinte: couleur,
    delai: duration?,
    signe: date?,
    tags: set<text>,
    bureau: { president: text, tresorier: text? },
  }
  step lettre "Lettre d'intention" { source "s" }
  decision avis "Avis de l'ARS" { after lettre  outcome favorable  outcome defavorable  source "s" }
}
"#;

    fn small_model() -> Model {
        let mut sources = Sources::new();
        sources.add("t.cpts", WORKFLOW);
        let checked = cpts_lang::check(&sources);
        assert!(
            !cpts_diag::has_errors(&checked.diagnostics),
            "{:#?}",
            checked.diagnostics
        );
        let target = targets(&checked).remove(0);
        build(&checked, &target).unwrap().0
    }

    #[test]
    fn facts_follow_the_types() {
        let schema = json_schema(&small_model());
        assert_eq!(schema["$id"], "https://cpts.invalid/schema/w/v1");
        assert_eq!(
            schema["$schema"],
            "https://json-schema.org/draft/2020-12/schema"
        );
        let facts = &schema["properties"]["facts"];
        assert_eq!(
            facts["required"],
            json!(["nom", "population", "teinte", "tags", "bureau"])
        );
        assert_eq!(facts["additionalProperties"], false);
        let p = &facts["properties"];
        assert_eq!(p["nom"]["type"], "string");
        assert_eq!(p["population"]["type"], "integer");
        assert_eq!(p["surface"]["type"], "number");
        assert_eq!(p["teinte"]["enum"], json!(["rouge", "vert"]));
        assert_eq!(p["delai"]["pattern"], DURATION_PATTERN);
        assert_eq!(p["signe"], json!({ "type": "string", "format": "date" }));
        assert_eq!(p["tags"]["uniqueItems"], true);
        assert_eq!(p["tags"]["items"]["type"], "string");
        assert_eq!(p["bureau"]["required"], json!(["president"]));
        assert_eq!(p["bureau"]["additionalProperties"], false);
    }

    #[test]
    fn the_header_and_journal_are_pinned() {
        let schema = json_schema(&small_model());
        let project = &schema["properties"]["project"];
        assert_eq!(project["properties"]["workflow"]["const"], "w");
        assert_eq!(project["properties"]["version"]["const"], "v1");
        assert_eq!(project["properties"]["region"], false);
        let entry = &schema["properties"]["journal"]["items"];
        assert_eq!(
            entry["properties"]["step"]["enum"],
            json!(["lettre", "avis"])
        );
        assert_eq!(
            entry["properties"]["outcome"]["enum"],
            json!(["favorable", "defavorable"])
        );
        assert_eq!(entry["properties"]["actor"]["enum"], json!(["ars"]));
        assert_eq!(entry["required"], json!(["step", "date"]));
        let help = entry["properties"]["step"]["description"].as_str().unwrap();
        assert!(help.contains("Lettre d'intention"), "{help}");
    }

    #[test]
    fn the_checker_accepts_and_rejects() {
        let schema = json_schema(&small_model());
        let good = json!({
            "project": { "name": "P", "workflow": "w", "version": "v1", "today": "2020-01-31" },
            "facts": {
                "nom": "N", "population": 3, "teinte": "vert", "delai": "2 mois", "tags": ["a", "b"],
                "bureau": { "president": "x" },
            },
            "journal": [{ "step": "avis", "outcome": "favorable", "date": "2020-01-02", "actor": "ars" }],
        });
        assert_eq!(validate(&schema, &good), Vec::<String>::new());
        let mut bad = good.clone();
        bad["project"]["region"] = json!("r");
        bad["facts"]["tags"] = json!(["a", "a"]);
        bad["facts"]["delai"] = json!("2 fortnights");
        bad["facts"]["population"] = json!(1.5);
        bad["journal"][0]["date"] = json!("2020-02-30");
        assert_eq!(
            validate(&schema, &bad).len(),
            5,
            "{:#?}",
            validate(&schema, &bad)
        );
    }

    /// The workspace root.
    fn root() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
    }

    fn cpts_files(dir: &Path, out: &mut Vec<PathBuf>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                cpts_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "cpts") {
                out.push(path);
            }
        }
    }

    /// Every example project with its text and model, built from the real rules.
    fn examples() -> Vec<(String, String, Model)> {
        let root = root();
        let mut files = Vec::new();
        cpts_files(&root.join("rules"), &mut files);
        let mut sources = Sources::new();
        for path in &files {
            let name = path.strip_prefix(&root).unwrap().to_string_lossy();
            let name = cpts_lang::normalize_path(&name);
            sources.add(name, std::fs::read_to_string(path).unwrap());
        }
        let checked = cpts_lang::check(&sources);
        assert!(
            !cpts_diag::has_errors(&checked.diagnostics),
            "{:#?}",
            checked.diagnostics
        );
        let mut projects: Vec<PathBuf> = std::fs::read_dir(root.join("examples/projects"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect();
        projects.sort();
        let mut out = Vec::new();
        for path in projects {
            let text = std::fs::read_to_string(&path).unwrap();
            let file = sources.add(path.to_string_lossy(), text.clone());
            let header = crate::read_header(file, &text).unwrap();
            let target: Target = header.target;
            let (model, _) = build(&checked, &target).unwrap();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            out.push((name, text, model));
        }
        out
    }

    #[test]
    fn every_example_project_follows_its_schema() {
        let examples = examples();
        assert_eq!(examples.len(), 7);
        for (name, text, model) in &examples {
            let schema = json_schema(model);
            let doc = to_json(text);
            let problems = validate(&schema, &doc);
            assert!(problems.is_empty(), "{name}: {problems:#?}");
        }
    }

    #[test]
    fn a_damaged_example_project_does_not() {
        let examples = examples();
        let (_, text, model) = examples
            .iter()
            .find(|(name, _, _)| name == "sud-28.toml")
            .unwrap();
        let schema = json_schema(model);
        let good = to_json(text);

        let mut bad = good.clone();
        bad["facts"]["membres"][0]["profession"] = json!("astronaute");
        let problems = validate(&schema, &bad);
        assert!(
            problems
                .iter()
                .any(|p| p.contains("/facts/membres/0/profession")),
            "{problems:#?}"
        );

        let mut bad = good.clone();
        bad["facts"].as_object_mut().unwrap().remove("membres");
        let problems = validate(&schema, &bad);
        assert!(
            problems.iter().any(|p| p.contains("`membres`")),
            "{problems:#?}"
        );

        let mut bad = good.clone();
        bad["journal"][0]["step"] = json!("decollage");
        bad["facts"]["inconnu"] = json!(1);
        assert_eq!(validate(&schema, &bad).len(), 2);
    }

    /// A TOML project file as JSON; dates become `"YYYY-MM-DD"` strings.
    fn to_json(text: &str) -> Json {
        let table = DeTable::parse(text).unwrap();
        table_json(table.get_ref())
    }

    fn table_json(t: &DeTable) -> Json {
        Json::Object(
            t.iter()
                .map(|(k, v)| (k.get_ref().to_string(), value_json(v.get_ref())))
                .collect(),
        )
    }

    fn value_json(v: &DeValue) -> Json {
        match v {
            DeValue::String(s) => json!(s.as_ref()),
            DeValue::Integer(i) => {
                json!(i64::from_str_radix(&i.as_str().replace('_', ""), i.radix()).unwrap())
            }
            DeValue::Float(f) => json!(f.as_str().replace('_', "").parse::<f64>().unwrap()),
            DeValue::Boolean(b) => json!(b),
            DeValue::Datetime(d) => json!(d.to_string()),
            DeValue::Array(items) => {
                Json::Array(items.iter().map(|i| value_json(i.get_ref())).collect())
            }
            DeValue::Table(t) => table_json(t),
        }
    }

    /// Checks `value` against `schema`, for the subset `json_schema` emits; unknown keywords fail
    /// the test, so that the schema never uses a keyword this checker ignores.
    fn validate(schema: &Json, value: &Json) -> Vec<String> {
        let mut out = Vec::new();
        check(schema, value, "", &mut out);
        out
    }

    fn check(schema: &Json, value: &Json, at: &str, out: &mut Vec<String>) {
        let schema = match schema {
            Json::Bool(true) => return,
            Json::Bool(false) => return out.push(format!("{at}: not allowed")),
            Json::Object(o) => o,
            other => panic!("not a schema: {other}"),
        };
        for (keyword, s) in schema {
            match keyword.as_str() {
                "$schema" | "$id" | "title" | "description" => {}
                "type" => {
                    let ok = match s.as_str().unwrap() {
                        "object" => value.is_object(),
                        "array" => value.is_array(),
                        "string" => value.is_string(),
                        "integer" => value.is_i64() || value.is_u64(),
                        "number" => value.is_number(),
                        "boolean" => value.is_boolean(),
                        t => panic!("type {t}"),
                    };
                    if !ok {
                        out.push(format!("{at}: not of type {s}: {value}"));
                    }
                }
                "enum" => {
                    if !s.as_array().unwrap().contains(value) {
                        out.push(format!("{at}: {value} not one of {s}"));
                    }
                }
                "const" => {
                    if s != value {
                        out.push(format!("{at}: {value} is not {s}"));
                    }
                }
                "format" => {
                    assert_eq!(s, "date");
                    if let Some(text) = value.as_str()
                        && !(text.len() == 10
                            && chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok())
                    {
                        out.push(format!("{at}: `{text}` is not a date"));
                    }
                }
                "pattern" => {
                    assert_eq!(s, DURATION_PATTERN, "the checker knows one pattern");
                    if let Some(text) = value.as_str()
                        && !is_duration(text)
                    {
                        out.push(format!("{at}: `{text}` is not a duration"));
                    }
                }
                "required" => {
                    if let Some(o) = value.as_object() {
                        for name in s.as_array().unwrap() {
                            let name = name.as_str().unwrap();
                            if !o.contains_key(name) {
                                out.push(format!("{at}: `{name}` is missing"));
                            }
                        }
                    }
                }
                "properties" => {
                    if let Some(o) = value.as_object() {
                        for (name, sub) in s.as_object().unwrap() {
                            if let Some(v) = o.get(name) {
                                check(sub, v, &format!("{at}/{name}"), out);
                            }
                        }
                    }
                }
                "additionalProperties" => {
                    assert_eq!(s, false);
                    let known = schema.get("properties").and_then(Json::as_object);
                    if let Some(o) = value.as_object() {
                        for name in o.keys() {
                            if !known.is_some_and(|k| k.contains_key(name)) {
                                out.push(format!("{at}: unknown property `{name}`"));
                            }
                        }
                    }
                }
                "items" => {
                    if let Some(items) = value.as_array() {
                        for (i, item) in items.iter().enumerate() {
                            check(s, item, &format!("{at}/{i}"), out);
                        }
                    }
                }
                "uniqueItems" => {
                    if s == true
                        && let Some(items) = value.as_array()
                        && items
                            .iter()
                            .enumerate()
                            .any(|(i, x)| items[..i].contains(x))
                    {
                        out.push(format!("{at}: repeated items"));
                    }
                }
                other => panic!("the checker does not know `{other}`"),
            }
        }
    }

    /// What `DURATION_PATTERN` matches, written out.
    fn is_duration(text: &str) -> bool {
        let Some((n, unit)) = text.split_once(' ') else {
            return false;
        };
        !n.is_empty()
            && n.bytes().all(|b| b.is_ascii_digit())
            && [
                "day",
                "days",
                "working day",
                "working days",
                "week",
                "weeks",
                "month",
                "months",
                "year",
                "years",
                "jour",
                "jours",
                "jour ouvré",
                "jours ouvrés",
                "semaine",
                "semaines",
                "mois",
                "an",
                "ans",
            ]
            .contains(&unit)
    }
}
