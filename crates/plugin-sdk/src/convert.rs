//! Between the WIT types and the SDK's: what [`crate::register!`] calls.

use crate::__bindings::cpts::plugin::types as wit;
use crate::function::{Args, Body, Error, Finding, Function, Severity};
use crate::value::{Unit, Value};

/// The manifest of a plugin.
pub fn describe(
    region: &str,
    package: &str,
    version: &str,
    functions: &[Function],
    steps: Vec<String>,
) -> wit::Manifest {
    wit::Manifest {
        region: region.to_owned(),
        package: package.to_owned(),
        version: version.to_owned(),
        functions: functions
            .iter()
            .map(|f| wit::Function {
                name: f.name.clone(),
                kind: match f.body {
                    Body::Guard(_) => wit::FunctionKind::Guard,
                    Body::Computed(_) => wit::FunctionKind::Computed,
                    Body::Validation(_) => wit::FunctionKind::Validation,
                },
                params: f
                    .params
                    .iter()
                    .map(|(name, ty)| wit::Param {
                        name: name.clone(),
                        type_: ty.clone(),
                    })
                    .collect(),
                result: f.result.clone(),
                doc: f.doc.clone(),
            })
            .collect(),
        steps,
    }
}

/// Calls a guard or computed function.
pub fn call(
    functions: &[Function],
    name: &str,
    args: Vec<wit::Value>,
) -> Result<wit::Value, wit::CallError> {
    let (function, args) = prepare(functions, name, args)?;
    let result = match function.body {
        Body::Guard(f) => f(&args).map(Value::Bool),
        Body::Computed(f) => f(&args),
        Body::Validation(_) => {
            return Err(wit::CallError::UnknownFunction(format!(
                "`{name}` is a validation: call it with `validate`"
            )));
        }
    };
    result.map(|v| encode(&v)).map_err(call_error)
}

/// Calls a validation function.
pub fn validate(
    functions: &[Function],
    name: &str,
    args: Vec<wit::Value>,
) -> Result<Vec<wit::Finding>, wit::CallError> {
    let (function, args) = prepare(functions, name, args)?;
    let Body::Validation(f) = function.body else {
        return Err(wit::CallError::UnknownFunction(format!(
            "`{name}` is not a validation: call it with `call`"
        )));
    };
    let findings = f(&args).map_err(call_error)?;
    Ok(findings.into_iter().map(finding).collect())
}

fn prepare<'f>(
    functions: &'f [Function],
    name: &str,
    args: Vec<wit::Value>,
) -> Result<(&'f Function, Args), wit::CallError> {
    let function = functions
        .iter()
        .find(|f| f.name == name)
        .ok_or_else(|| wit::CallError::UnknownFunction(name.to_owned()))?;
    if args.len() != function.params.len() {
        return Err(wit::CallError::BadArguments(format!(
            "`{name}` takes {} arguments, got {}",
            function.params.len(),
            args.len()
        )));
    }
    let values = args
        .into_iter()
        .map(decode_owned)
        .collect::<Result<Vec<_>, _>>()
        .map_err(wit::CallError::BadArguments)?;
    let names = function.params.iter().map(|(n, _)| n.clone()).collect();
    Ok((function, Args { values, names }))
}

fn call_error(e: Error) -> wit::CallError {
    match e {
        Error::BadArgument(m) => wit::CallError::BadArguments(m),
        Error::Failed(m) => wit::CallError::Failed(m),
    }
}

fn finding(f: Finding) -> wit::Finding {
    wit::Finding {
        code: f.code,
        severity: match f.severity {
            Severity::Error => wit::Severity::Error,
            Severity::Warning => wit::Severity::Warning,
            Severity::Info => wit::Severity::Info,
        },
        message: f.message,
    }
}

/// A value as WIT nodes: pre-order, the root first, children after their parent.
pub fn encode(value: &Value) -> wit::Value {
    let mut nodes = Vec::new();
    encode_into(value, &mut nodes);
    wit::Value { nodes }
}

fn encode_into(value: &Value, nodes: &mut Vec<wit::Node>) -> u32 {
    let index = nodes.len();
    nodes.push(wit::Node::Absent);
    let node = match value {
        Value::Absent => wit::Node::Absent,
        Value::Bool(b) => wit::Node::Boolean(*b),
        Value::Int(i) => wit::Node::Integer(*i),
        Value::Decimal(d) => wit::Node::Decimal(*d),
        Value::Text(s) => wit::Node::Text(s.clone()),
        Value::Date(s) => wit::Node::Date(s.clone()),
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

/// A value from WIT nodes, moving the texts out of them instead of copying. Children must come
/// after their parent, so decoding ends.
fn decode_owned(mut value: wit::Value) -> Result<Value, String> {
    decode_at(&mut value.nodes, 0)
}

fn decode_at(nodes: &mut [wit::Node], index: usize) -> Result<Value, String> {
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
            decode_at(nodes, i as usize)
        }
    };
    Ok(match node {
        wit::Node::Absent => Value::Absent,
        wit::Node::Boolean(b) => Value::Bool(b),
        wit::Node::Integer(i) => Value::Int(i),
        wit::Node::Decimal(d) => Value::Decimal(d),
        wit::Node::Text(s) => Value::Text(s),
        wit::Node::Date(s) => Value::Date(s),
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
        wit::Node::EnumCase(s) => Value::Enum(s.clone()),
        wit::Node::List(items) => {
            Value::List(items.iter().map(|&i| child(i)).collect::<Result<_, _>>()?)
        }
        wit::Node::Set(items) => {
            Value::Set(items.iter().map(|&i| child(i)).collect::<Result<_, _>>()?)
        }
        wit::Node::Record(fields) => Value::Record(
            fields
                .iter()
                .map(|f| Ok((f.name.clone(), child(f.value)?)))
                .collect::<Result<_, String>>()?,
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_round_trip_through_nodes() {
        let value = Value::List(vec![
            Value::Record(vec![
                ("id".into(), Value::Text("m1".into())),
                ("profession".into(), Value::Enum("medecin".into())),
                ("age".into(), Value::Absent),
            ]),
            Value::Set(vec![Value::Int(1), Value::Decimal(2.5)]),
            Value::Duration(2, Unit::Months),
            Value::Date("2024-03-16".into()),
            Value::Bool(true),
        ]);
        let encoded = encode(&value);
        assert_eq!(encoded.nodes.len(), 11);
        assert_eq!(decode_owned(encoded), Ok(value));
    }

    #[test]
    fn a_node_pointing_back_is_refused() {
        let looping = wit::Value {
            nodes: vec![wit::Node::List(vec![0])],
        };
        assert_eq!(
            decode_owned(looping),
            Err("value node 0 points back to node 0".into())
        );
        let dangling = wit::Value {
            nodes: vec![wit::Node::List(vec![5])],
        };
        assert_eq!(
            decode_owned(dangling),
            Err("value node 5 is missing".into())
        );
    }
}
