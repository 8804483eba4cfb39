//! Between the WIT types and the SDK's: what [`crate::register!`] calls.

use crate::__bindings::cpts::plugin::types as wit;
use crate::function::{Args, Body, Bytes, Error, Finding, Function, Names, Severity};
use crate::value::Value;
use cpts_plugin_wire::{ArgIndex, Build, Limits, Scalar, Writer};
use std::cell::RefCell;

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

/// Calls guard or computed function number `index` on its encoded arguments; the result is
/// encoded.
pub fn call(
    functions: &'static [Function],
    index: u32,
    args: Vec<u8>,
) -> Result<Vec<u8>, wit::CallError> {
    let (function, args) = prepare(functions, index, args)?;
    let result = match function.body {
        Body::Guard(f) => f(&args).map(Value::Bool),
        Body::Computed(f) => f(&args),
        Body::Validation(_) => {
            return Err(wit::CallError::UnknownFunction(format!(
                "`{}` is a validation: call it with `validate`",
                function.name
            )));
        }
    };
    let result = result.map_err(call_error)?;
    let mut writer = Writer::new();
    encode(&mut writer, &result);
    Ok(writer.into_bytes())
}

/// Calls validation function number `index` on its encoded arguments.
pub fn validate(
    functions: &'static [Function],
    index: u32,
    args: Vec<u8>,
) -> Result<Vec<wit::Finding>, wit::CallError> {
    let (function, args) = prepare(functions, index, args)?;
    let Body::Validation(f) = function.body else {
        return Err(wit::CallError::UnknownFunction(format!(
            "`{}` is not a validation: call it with `call`",
            function.name
        )));
    };
    let findings = f(&args).map_err(call_error)?;
    Ok(findings.into_iter().map(finding).collect())
}

/// Calls guard number `index`: its answer, or `None` and the reason kept for
/// [`last_error`].
pub fn test(functions: &'static [Function], index: u32, args: Vec<u8>) -> Option<bool> {
    test_bytes(functions, index, Bytes::Heap(args))
}

/// [`test`] with arguments carried by value (`inline-args`: `len` bytes in four words).
pub fn test_inline(
    functions: &'static [Function],
    index: u32,
    len: u32,
    words: [u64; 4],
) -> Option<bool> {
    let (bytes, len) = cpts_plugin_wire::unpack_inline(len, words);
    test_bytes(functions, index, Bytes::Inline(bytes, len))
}

fn test_bytes(functions: &'static [Function], index: u32, bytes: Bytes) -> Option<bool> {
    let answer = match target(functions, index, bytes.as_slice()) {
        Ok((function, checked)) => {
            let args = Args::encoded(bytes, checked, Names::Params(&function.params));
            match function.body {
                Body::Guard(f) => f(&args).map_err(call_error),
                Body::Computed(_) => Err(wrong_kind(function, "call")),
                Body::Validation(_) => Err(wrong_kind(function, "validate")),
            }
        }
        Err(e) => Err(e),
    };
    match answer {
        Ok(b) => Some(b),
        Err(e) => {
            LAST_ERROR.with(|last| *last.borrow_mut() = Some(e));
            None
        }
    }
}

fn wrong_kind(function: &Function, export: &str) -> wit::CallError {
    wit::CallError::UnknownFunction(format!(
        "`{}` is not a guard: call it with `{export}`",
        function.name
    ))
}

/// Why the last [`test`] answered `None`.
pub fn last_error() -> wit::CallError {
    LAST_ERROR
        .with(|last| last.borrow_mut().take())
        .unwrap_or_else(|| wit::CallError::Failed("no call has failed".into()))
}

thread_local! {
    /// The reason of the last failed [`test`] (a plugin instance runs one call at a time).
    static LAST_ERROR: RefCell<Option<wit::CallError>> = const { RefCell::new(None) };
}

/// The function at `index` and where each of its arguments starts in `bytes`, checked.
fn target(
    functions: &'static [Function],
    index: u32,
    bytes: &[u8],
) -> Result<(&'static Function, ArgIndex), wit::CallError> {
    let function = functions.get(index as usize).ok_or_else(|| {
        wit::CallError::UnknownFunction(format!(
            "function {index}: the plugin offers {}",
            functions.len()
        ))
    })?;
    let checked = cpts_plugin_wire::index_args(bytes, Limits::default())
        .map_err(|e| wit::CallError::BadArguments(e.to_string()))?;
    if checked.len() != function.params.len() {
        return Err(wit::CallError::BadArguments(format!(
            "`{}` takes {} arguments, got {}",
            function.name,
            function.params.len(),
            checked.len()
        )));
    }
    Ok((function, checked))
}

/// The function at `index` and its arguments (for `call` and `validate`).
fn prepare(
    functions: &'static [Function],
    index: u32,
    bytes: Vec<u8>,
) -> Result<(&'static Function, Args), wit::CallError> {
    let (function, checked) = target(functions, index, &bytes)?;
    let names = Names::Params(&function.params);
    Ok((function, Args::encoded(Bytes::Heap(bytes), checked, names)))
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

/// Writes `value` in the interface's encoding.
pub(crate) fn encode(writer: &mut Writer, value: &Value) {
    match value {
        Value::Absent => writer.absent(),
        Value::Bool(b) => writer.bool(*b),
        Value::Int(i) => writer.int(*i),
        Value::Decimal(d) => writer.decimal(*d),
        Value::Text(s) => writer.text(s),
        Value::Date(s) => writer.date(s),
        Value::Duration(amount, unit) => writer.duration(*amount, *unit),
        Value::Enum(s) => writer.enum_case(s),
        Value::List(items) => {
            writer.list(items.len());
            items.iter().for_each(|v| encode(writer, v));
        }
        Value::Set(items) => {
            writer.set(items.len());
            items.iter().for_each(|v| encode(writer, v));
        }
        Value::Record(fields) => {
            writer.record(fields.len());
            for (name, v) in fields {
                writer.field(name);
                encode(writer, v);
            }
        }
    }
}

/// Values decoded from the host's arguments. The host is trusted more than a plugin, but the
/// decoder still refuses malformed bytes instead of panicking.
impl Build for Value {
    fn scalar(scalar: Scalar<'_>) -> Result<Value, String> {
        Ok(match scalar {
            Scalar::Absent => Value::Absent,
            Scalar::Bool(b) => Value::Bool(b),
            Scalar::Int(i) => Value::Int(i),
            Scalar::Decimal(d) => Value::Decimal(d),
            Scalar::Text(s) => Value::Text(s.to_owned()),
            Scalar::Date(s) => Value::Date(s.to_owned()),
            Scalar::Duration(amount, unit) => Value::Duration(amount, unit),
            Scalar::Enum(s) => Value::Enum(s.to_owned()),
        })
    }

    fn list(items: Vec<Value>) -> Value {
        Value::List(items)
    }

    fn set(items: Vec<Value>) -> Value {
        Value::Set(items)
    }

    fn record(fields: Vec<(&str, Value)>) -> Result<Value, String> {
        Ok(Value::Record(
            fields
                .into_iter()
                .map(|(name, v)| (name.to_owned(), v))
                .collect(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_round_trip_through_the_encoding() {
        let value = Value::List(vec![
            Value::Record(vec![
                ("id".into(), Value::Text("m1".into())),
                ("profession".into(), Value::Enum("medecin".into())),
                ("age".into(), Value::Absent),
            ]),
            Value::Set(vec![Value::Int(1), Value::Decimal(2.5)]),
            Value::Duration(2, crate::Unit::Months),
            Value::Date("2024-03-16".into()),
            Value::Bool(true),
        ]);
        let mut writer = Writer::new();
        encode(&mut writer, &value);
        let decoded = cpts_plugin_wire::decode_value(&writer.into_bytes(), Limits::default());
        assert_eq!(decoded, Ok(value));
    }

    fn functions() -> &'static [Function] {
        static FUNCTIONS: std::sync::OnceLock<Vec<Function>> = std::sync::OnceLock::new();
        FUNCTIONS.get_or_init(|| {
            vec![
                Function::guard("pair", "Vrai si pair", |a| Ok(a.int(0)? % 2 == 0))
                    .param("n", "int"),
                Function::validation("rien", "Aucune remarque", |_| Ok(Vec::new())),
            ]
        })
    }

    fn args(values: &[i64]) -> Vec<u8> {
        let mut writer = Writer::new();
        writer.count(values.len());
        values.iter().for_each(|&i| writer.int(i));
        writer.into_bytes()
    }

    #[test]
    fn functions_are_called_by_index() {
        let answer = call(functions(), 0, args(&[4])).unwrap();
        assert_eq!(
            cpts_plugin_wire::decode_value(&answer, Limits::default()),
            Ok(Value::Bool(true))
        );
        assert!(validate(functions(), 1, args(&[])).unwrap().is_empty());
        assert_eq!(test(functions(), 0, args(&[3])), Some(false));
    }

    #[test]
    fn a_failed_test_leaves_its_reason() {
        assert_eq!(test(functions(), 1, args(&[])), None);
        let reason = format!("{:?}", last_error());
        assert!(
            reason.contains("`rien` is not a guard: call it with `validate`"),
            "{reason}"
        );
        assert_eq!(test(functions(), 0, args(&[])), None);
        assert!(format!("{:?}", last_error()).contains("takes 1 arguments, got 0"));
        // Read once: the next question has no stale answer.
        assert!(format!("{:?}", last_error()).contains("no call has failed"));
    }

    #[test]
    fn wrong_calls_are_refused() {
        let refusal = |r: Result<Vec<u8>, wit::CallError>| format!("{:?}", r.unwrap_err());
        assert!(
            refusal(call(functions(), 2, args(&[]))).contains("function 2: the plugin offers 2")
        );
        assert!(refusal(call(functions(), 1, args(&[]))).contains("is a validation"));
        assert!(refusal(call(functions(), 0, args(&[1, 2]))).contains("takes 1 arguments, got 2"));
        assert!(refusal(call(functions(), 0, vec![1, 0])).contains("cut short"));
        let text = {
            let mut writer = Writer::new();
            writer.count(1);
            writer.text("x");
            writer.into_bytes()
        };
        assert!(
            refusal(call(functions(), 0, text)).contains("argument `n`: expected int, found text")
        );
    }
}
