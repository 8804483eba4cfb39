//! Interface 0.1 (`wit/cpts-plugin/0.1.0/plugin.wit`), still accepted: its bindings, engine
//! values to and from its tree of WIT nodes, and what it returns in the current interface's
//! types, so that the rest of the host knows one version.

use crate::bindings::cpts::plugin::types as current;
use crate::sandbox::State;
use crate::values::{MAX_DEPTH, MAX_TEXT_BYTES, MAX_VALUES as MAX_NODES};
use chrono::NaiveDate;
use cpts_engine::Value;
use cpts_lang::syntax::Unit;
use std::collections::BTreeMap;
use wasmtime::Store;

/// Host-side bindings of interface 0.1.
pub(crate) mod bindings {
    wasmtime::component::bindgen!({
        path: "../../wit/cpts-plugin/0.1.0",
        world: "region-plugin",
    });
}

use bindings::cpts::plugin::types as wit;

/// Calls guard or computed function `name` of a 0.1 plugin.
pub(crate) fn call(
    store: &mut Store<State>,
    plugin: &bindings::RegionPlugin,
    name: &str,
    args: &[Value],
) -> wasmtime::Result<Result<wit::Value, current::CallError>> {
    let args: Vec<_> = args.iter().map(encode).collect();
    let answer = plugin.cpts_plugin_plugin().call_call(store, name, &args)?;
    Ok(answer.map_err(call_error))
}

/// Calls validation function `name` of a 0.1 plugin.
pub(crate) fn validate(
    store: &mut Store<State>,
    plugin: &bindings::RegionPlugin,
    name: &str,
    args: &[Value],
) -> wasmtime::Result<Result<Vec<current::Finding>, current::CallError>> {
    let args: Vec<_> = args.iter().map(encode).collect();
    let answer = plugin
        .cpts_plugin_plugin()
        .call_validate(store, name, &args)?;
    Ok(answer
        .map(|findings| findings.into_iter().map(finding).collect())
        .map_err(call_error))
}

/// A 0.1 manifest in the current types (they have the same shape).
pub(crate) fn manifest(m: wit::Manifest) -> current::Manifest {
    current::Manifest {
        region: m.region,
        package: m.package,
        version: m.version,
        functions: m
            .functions
            .into_iter()
            .map(|f| current::Function {
                name: f.name,
                kind: match f.kind {
                    wit::FunctionKind::Guard => current::FunctionKind::Guard,
                    wit::FunctionKind::Computed => current::FunctionKind::Computed,
                    wit::FunctionKind::Validation => current::FunctionKind::Validation,
                },
                params: f
                    .params
                    .into_iter()
                    .map(|p| current::Param {
                        name: p.name,
                        type_: p.type_,
                    })
                    .collect(),
                result: f.result,
                doc: f.doc,
            })
            .collect(),
        steps: m.steps,
    }
}

fn call_error(e: wit::CallError) -> current::CallError {
    match e {
        wit::CallError::UnknownFunction(m) => current::CallError::UnknownFunction(m),
        wit::CallError::BadArguments(m) => current::CallError::BadArguments(m),
        wit::CallError::Failed(m) => current::CallError::Failed(m),
    }
}

fn finding(f: wit::Finding) -> current::Finding {
    current::Finding {
        code: f.code,
        severity: match f.severity {
            wit::Severity::Error => current::Severity::Error,
            wit::Severity::Warning => current::Severity::Warning,
            wit::Severity::Info => current::Severity::Info,
        },
        message: f.message,
    }
}

/// A value as WIT nodes: pre-order, the root first, children after their parent.
fn encode(value: &Value) -> wit::Value {
    let mut nodes = Vec::new();
    encode_into(value, &mut nodes);
    wit::Value { nodes }
}

fn encode_into(value: &Value, nodes: &mut Vec<wit::Node>) -> u32 {
    let index = nodes.len();
    nodes.push(wit::Node::Absent);
    let node = match value {
        Value::None => wit::Node::Absent,
        Value::Bool(b) => wit::Node::Boolean(*b),
        Value::Int(i) => wit::Node::Integer(*i),
        Value::Decimal(d) => wit::Node::Decimal(*d),
        Value::Text(s) => wit::Node::Text(s.clone()),
        Value::Date(d) => wit::Node::Date(d.format("%Y-%m-%d").to_string()),
        Value::Duration(amount, unit) => wit::Node::Duration(wit::Duration {
            amount: *amount,
            unit: match unit {
                Unit::Days => wit::DurationUnit::Days,
                Unit::WorkingDays => wit::DurationUnit::WorkingDays,
                Unit::Weeks => wit::DurationUnit::Weeks,
                Unit::Months => wit::DurationUnit::Months,
                Unit::Years => wit::DurationUnit::Years,
            },
        }),
        Value::Enum(s) => wit::Node::EnumCase(s.clone()),
        Value::List(items) => {
            wit::Node::List(items.iter().map(|v| encode_into(v, nodes)).collect())
        }
        Value::Set(items) => wit::Node::Set(items.iter().map(|v| encode_into(v, nodes)).collect()),
        Value::Record(fields) => wit::Node::Record(
            fields
                .iter()
                .map(|(name, v)| wit::Field {
                    name: name.clone(),
                    value: encode_into(v, nodes),
                })
                .collect(),
        ),
    };
    nodes[index] = node;
    index as u32
}

/// A value from a plugin's WIT nodes, which are not trusted: bounded in size, every child after
/// its parent (so decoding ends), dates valid.
pub(crate) fn decode(mut value: wit::Value) -> Result<Value, String> {
    if value.nodes.len() > MAX_NODES {
        return Err(format!(
            "the result has {} value nodes, more than the {MAX_NODES} allowed",
            value.nodes.len()
        ));
    }
    let text: usize = value
        .nodes
        .iter()
        .map(|n| match n {
            wit::Node::Text(s) | wit::Node::Date(s) | wit::Node::EnumCase(s) => s.len(),
            wit::Node::Record(fields) => fields.iter().map(|f| f.name.len()).sum(),
            _ => 0,
        })
        .sum();
    if text > MAX_TEXT_BYTES {
        return Err(format!(
            "the result carries {text} bytes of text, more than the {MAX_TEXT_BYTES} allowed"
        ));
    }
    decode_at(&mut value.nodes, 0, 0)
}

/// Decodes node `index`, moving its texts out (each node is read once: children come after).
fn decode_at(nodes: &mut [wit::Node], index: usize, depth: usize) -> Result<Value, String> {
    if depth > MAX_DEPTH {
        return Err(format!("the result nests deeper than {MAX_DEPTH} levels"));
    }
    let node = std::mem::replace(
        nodes
            .get_mut(index)
            .ok_or_else(|| format!("value node {index} is missing"))?,
        wit::Node::Absent,
    );
    let mut child = |i: u32| {
        if (i as usize) <= index {
            Err(format!("value node {index} points back to node {i}"))
        } else {
            decode_at(nodes, i as usize, depth + 1)
        }
    };
    Ok(match node {
        wit::Node::Absent => Value::None,
        wit::Node::Boolean(b) => Value::Bool(b),
        wit::Node::Integer(i) => Value::Int(i),
        wit::Node::Decimal(d) => Value::Decimal(d),
        wit::Node::Text(s) => Value::Text(s),
        wit::Node::Date(s) => Value::Date(
            NaiveDate::parse_from_str(&s, "%Y-%m-%d")
                .map_err(|_| format!("`{s}` is not a date (YYYY-MM-DD)"))?,
        ),
        wit::Node::Duration(d) => Value::Duration(
            d.amount,
            match d.unit {
                wit::DurationUnit::Days => Unit::Days,
                wit::DurationUnit::WorkingDays => Unit::WorkingDays,
                wit::DurationUnit::Weeks => Unit::Weeks,
                wit::DurationUnit::Months => Unit::Months,
                wit::DurationUnit::Years => Unit::Years,
            },
        ),
        wit::Node::EnumCase(s) => Value::Enum(s),
        wit::Node::List(items) => {
            Value::List(items.iter().map(|&i| child(i)).collect::<Result<_, _>>()?)
        }
        wit::Node::Set(items) => {
            Value::set(items.iter().map(|&i| child(i)).collect::<Result<_, _>>()?)
        }
        wit::Node::Record(fields) => {
            let mut record = BTreeMap::new();
            for f in fields {
                let value = child(f.value)?;
                if record.contains_key(&f.name) {
                    return Err(format!("field `{}` appears twice", f.name));
                }
                record.insert(f.name, value);
            }
            Value::Record(record)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_round_trip() {
        let value = Value::List(vec![
            Value::Record(BTreeMap::from([
                ("id".to_owned(), Value::Text("m1".into())),
                ("adhesion".to_owned(), Value::None),
                (
                    "depuis".to_owned(),
                    Value::Date(NaiveDate::from_ymd_opt(2024, 3, 16).unwrap()),
                ),
            ])),
            Value::set(vec![Value::Int(2), Value::Int(1)]),
            Value::Duration(2, Unit::Months),
            Value::Enum("cpam".into()),
            Value::Decimal(0.5),
            Value::Bool(false),
        ]);
        assert_eq!(decode(encode(&value)), Ok(value));
    }

    #[test]
    fn hostile_shapes_are_refused() {
        let node = |n| wit::Value { nodes: n };
        let back = node(vec![wit::Node::List(vec![0])]);
        assert!(decode(back).unwrap_err().contains("points back"));
        let missing = node(vec![wit::Node::Set(vec![3])]);
        assert!(decode(missing).unwrap_err().contains("missing"));
        let date = node(vec![wit::Node::Date("16/03/2024".into())]);
        assert!(decode(date).unwrap_err().contains("not a date"));
        let big = node(vec![wit::Node::Absent; MAX_NODES + 1]);
        assert!(decode(big).unwrap_err().contains("value nodes"));
        let mut deep: Vec<wit::Node> = (1..=100).map(|i| wit::Node::List(vec![i])).collect();
        deep.push(wit::Node::Absent);
        assert!(decode(node(deep)).unwrap_err().contains("deeper"));
    }
}
