//! Writing a project as a canonical project file: `[project]`, then `[facts]` (plain keys first,
//! in the order the workflow declares them, then records as `[facts.x]` and lists of records
//! as `[[facts.x]]`), then one `[[journal]]` table per entry. Values are written by their
//! declared type, so a date given as the JSON string `"2024-03-16"` becomes the TOML date
//! `2024-03-16`; a value of the wrong type is written as it is, for the reader to report.

use crate::data::{Entry, ProjectData};
use cpts_lang::model::Model;
use cpts_lang::types::Type;
use serde_json::{Map, Value as Json};
use std::fmt::Write as _;

/// `data` as the text of a project file. `model`, when given, types the facts (dates, decimals)
/// and orders them as declared.
pub fn to_toml(data: &ProjectData, model: Option<&Model>) -> String {
    let mut out = String::from("[project]\n");
    let _ = writeln!(out, "name = {}", quote(&data.name));
    let _ = writeln!(out, "workflow = {}", quote(&data.workflow));
    let _ = writeln!(out, "version = {}", quote(&data.version));
    if let Some(region) = &data.region {
        let _ = writeln!(out, "region = {}", quote(region));
    }
    if let Some(today) = data.today {
        let _ = writeln!(out, "today = {today}");
    }
    let fields = model.map(|m| m.facts.as_slice());
    out.push('\n');
    table(&mut out, "facts", &data.facts, fields);
    for entry in &data.journal {
        out.push('\n');
        out.push_str(&entry_toml(entry));
    }
    out
}

/// One `[[journal]]` table, as `cpts advance` appends it.
pub fn entry_toml(entry: &Entry) -> String {
    let mut s = String::from("[[journal]]\n");
    let _ = writeln!(s, "step = {}", quote(&entry.step));
    if let Some(o) = &entry.outcome {
        let _ = writeln!(s, "outcome = {}", quote(o));
    }
    if let Some(date) = entry.date {
        let _ = writeln!(s, "date = {date}");
    }
    for (key, value) in [
        ("actor", &entry.actor),
        ("evidence", &entry.evidence),
        ("note", &entry.note),
    ] {
        if let Some(v) = value {
            let _ = writeln!(s, "{key} = {}", quote(v));
        }
    }
    s
}

/// The keys of `object` in the order of `fields` (declared), then the others (sorted), each with
/// its declared type.
fn ordered<'a>(
    object: &'a Map<String, Json>,
    fields: Option<&'a [(String, Type)]>,
) -> Vec<(&'a str, &'a Json, Option<&'a Type>)> {
    let mut out = Vec::with_capacity(object.len());
    if let Some(fields) = fields {
        for (name, ty) in fields {
            if let Some(v) = object.get(name) {
                out.push((name.as_str(), v, Some(ty)));
            }
        }
    }
    for (k, v) in object {
        if !fields.is_some_and(|fs| fs.iter().any(|(n, _)| n == k)) {
            out.push((k.as_str(), v, None));
        }
    }
    out
}

/// The fields of a record type, seen through `?`.
fn record_fields(ty: Option<&Type>) -> Option<&[(String, Type)]> {
    match ty {
        Some(Type::Optional(inner)) => record_fields(Some(inner)),
        Some(Type::Record(r)) => Some(&r.fields),
        _ => None,
    }
}

/// The element type of a list or set type, seen through `?`.
fn element(ty: Option<&Type>) -> Option<&Type> {
    match ty {
        Some(Type::Optional(inner)) => element(Some(inner)),
        Some(Type::List(e) | Type::Set(e)) => Some(e),
        _ => None,
    }
}

fn is_table_array(v: &Json) -> bool {
    matches!(v, Json::Array(items) if !items.is_empty() && items.iter().all(Json::is_object))
}

fn table(
    out: &mut String,
    path: &str,
    object: &Map<String, Json>,
    fields: Option<&[(String, Type)]>,
) {
    let _ = writeln!(out, "[{path}]");
    let keys = ordered(object, fields);
    for &(k, v, ty) in &keys {
        if v.is_null() || v.is_object() || is_table_array(v) {
            continue;
        }
        let _ = writeln!(out, "{} = {}", key(k), inline(v, ty));
    }
    for &(k, v, ty) in &keys {
        let sub = format!("{path}.{}", key(k));
        match v {
            Json::Object(o) => {
                out.push('\n');
                table(out, &sub, o, record_fields(ty));
            }
            Json::Array(items) if is_table_array(v) => {
                let fields = record_fields(element(ty));
                for item in items {
                    if let Json::Object(o) = item {
                        out.push('\n');
                        array_item(out, &sub, o, fields);
                    }
                }
            }
            _ => {}
        }
    }
}

/// One `[[path]]` table: its plain keys, its records inline.
fn array_item(
    out: &mut String,
    path: &str,
    object: &Map<String, Json>,
    fields: Option<&[(String, Type)]>,
) {
    let _ = writeln!(out, "[[{path}]]");
    for (k, v, ty) in ordered(object, fields) {
        if !v.is_null() {
            let _ = writeln!(out, "{} = {}", key(k), inline(v, ty));
        }
    }
}

/// A value on one line, by its declared type.
fn inline(v: &Json, ty: Option<&Type>) -> String {
    let ty = match ty {
        Some(Type::Optional(inner)) => Some(&**inner),
        other => other,
    };
    match v {
        // TOML has no null: an absent value inside a list is written as the reader's `none`
        // would have to be, and reported by it as a type error.
        Json::Null => quote("none"),
        Json::Bool(b) => b.to_string(),
        Json::Number(n) => match (ty, n.as_i64()) {
            (Some(Type::Decimal), Some(i)) => format!("{i}.0"),
            (_, Some(i)) => i.to_string(),
            _ => {
                let f = n.as_f64().unwrap_or(0.0);
                let s = f.to_string();
                if s.contains(['.', 'e', 'E']) {
                    s
                } else {
                    format!("{s}.0")
                }
            }
        },
        Json::String(s) => match ty {
            Some(Type::Date) if s.parse::<chrono::NaiveDate>().is_ok() => s.clone(),
            _ => quote(s),
        },
        Json::Array(items) => {
            let el = element(ty);
            let items: Vec<String> = items.iter().map(|i| inline(i, el)).collect();
            format!("[{}]", items.join(", "))
        }
        Json::Object(o) => {
            let fields = record_fields(ty);
            let parts: Vec<String> = ordered(o, fields)
                .into_iter()
                .filter(|(_, v, _)| !v.is_null())
                .map(|(k, v, ty)| format!("{} = {}", key(k), inline(v, ty)))
                .collect();
            if parts.is_empty() {
                "{}".into()
            } else {
                format!("{{ {} }}", parts.join(", "))
            }
        }
    }
}

/// A key, bare when TOML allows it.
fn key(k: &str) -> String {
    if !k.is_empty()
        && k.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        k.to_owned()
    } else {
        quote(k)
    }
}

/// A TOML basic string.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn facts_are_laid_out_plain_keys_first_then_tables() {
        let data = ProjectData {
            name: "P « 1 »".into(),
            workflow: "w".into(),
            version: "v".into(),
            facts: json!({
                "b": [{"id": "m1", "x": {"y": 1}}, {"id": "m2"}],
                "a": {"nom": "T", "n": 1.5},
                "c": ["x", "y"],
                "d": null,
                "weird key": true
            })
            .as_object()
            .unwrap()
            .clone(),
            journal: vec![Entry {
                step: "s".into(),
                date: chrono::NaiveDate::from_ymd_opt(2024, 1, 2),
                note: Some("ligne\n\"deux\"".into()),
                ..Entry::default()
            }],
            ..ProjectData::default()
        };
        let text = to_toml(&data, None);
        assert_eq!(
            text,
            "[project]\nname = \"P « 1 »\"\nworkflow = \"w\"\nversion = \"v\"\n\n[facts]\n\
             c = [\"x\", \"y\"]\n\"weird key\" = true\n\n[facts.a]\nn = 1.5\nnom = \"T\"\n\n\
             [[facts.b]]\nid = \"m1\"\nx = { y = 1 }\n\n[[facts.b]]\nid = \"m2\"\n\n\
             [[journal]]\nstep = \"s\"\ndate = 2024-01-02\nnote = \"ligne\\n\\\"deux\\\"\"\n"
        );
        let parsed = toml::de::DeTable::parse(&text).unwrap();
        assert!(parsed.get_ref().contains_key("journal"));
    }
}
