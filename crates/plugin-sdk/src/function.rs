//! Functions a plugin offers, their arguments and their findings.

use crate::convert::encode;
use crate::value::Value;
use cpts_plugin_wire::{
    ArgIndex, INLINE_BYTES, Limits, Scalar, Shape, ValueRef, Writer, index_args,
};
use std::cell::OnceCell;
use std::fmt;

/// A function a plugin offers: its name, signature, documentation and body.
pub struct Function {
    pub(crate) name: String,
    pub(crate) params: Vec<(String, String)>,
    pub(crate) result: String,
    pub(crate) doc: String,
    pub(crate) body: Body,
}

pub(crate) enum Body {
    Guard(fn(&Args) -> Result<bool, Error>),
    Computed(fn(&Args) -> Result<Value, Error>),
    Validation(fn(&Args) -> Result<Vec<Finding>, Error>),
}

impl Function {
    /// A guard: returns `bool`, used in rule conditions.
    pub fn guard(name: &str, doc: &str, body: fn(&Args) -> Result<bool, Error>) -> Function {
        Function::new(name, "bool", doc, Body::Guard(body))
    }

    /// A computed function returning a value of type `result` (rules-language syntax: `int`,
    /// `list<text>`, `decimal?`).
    pub fn computed(
        name: &str,
        result: &str,
        doc: &str,
        body: fn(&Args) -> Result<Value, Error>,
    ) -> Function {
        Function::new(name, result, doc, Body::Computed(body))
    }

    /// A validation: returns findings, used by the rules' `check` items.
    pub fn validation(
        name: &str,
        doc: &str,
        body: fn(&Args) -> Result<Vec<Finding>, Error>,
    ) -> Function {
        Function::new(name, "findings", doc, Body::Validation(body))
    }

    fn new(name: &str, result: &str, doc: &str, body: Body) -> Function {
        Function {
            name: name.to_owned(),
            params: Vec::new(),
            result: result.to_owned(),
            doc: doc.to_owned(),
            body,
        }
    }

    /// Adds a parameter, with its type in the rules language's syntax (`list<membre>`).
    pub fn param(mut self, name: &str, ty: &str) -> Function {
        self.params.push((name.to_owned(), ty.to_owned()));
        self
    }
}

/// Why a function could not give its result. Becomes a diagnostic on the rule that called it.
#[derive(Clone, Debug, PartialEq)]
pub enum Error {
    /// An argument does not have the expected shape.
    BadArgument(String),
    /// The computation failed.
    Failed(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::BadArgument(m) | Error::Failed(m) => f.write_str(m),
        }
    }
}

/// Severity of a [`Finding`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    /// Blocks the step the `check` belongs to.
    Error,
    /// Should be looked at.
    Warning,
    /// For information.
    Info,
}

/// A finding of a validation function.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    /// A stable code of the plugin's own (`BFC001`).
    pub code: String,
    /// How serious it is.
    pub severity: Severity,
    /// French, for the referent.
    pub message: String,
}

impl Finding {
    /// A finding.
    pub fn new(code: &str, severity: Severity, message: impl Into<String>) -> Finding {
        Finding {
            code: code.to_owned(),
            severity,
            message: message.into(),
        }
    }
}

/// The arguments of a call, checked for their number against the declared parameters.
///
/// They stay in the encoded buffer the host sent: [`Args::text`], [`Args::int`],
/// [`Args::bool`] and [`Args::texts`] read it in place, without copying; [`Args::get`],
/// [`Args::items`] and [`Args::values`] build [`Value`]s, once per call.
pub struct Args {
    bytes: Bytes,
    index: ArgIndex,
    values: OnceCell<Vec<Value>>,
    names: Names,
}

/// Where the encoded arguments are.
pub(crate) enum Bytes {
    /// In a buffer the host allocated in the plugin.
    Heap(Vec<u8>),
    /// Carried by value (`test-inline`): a buffer and how much of it is used.
    Inline([u8; INLINE_BYTES], usize),
}

impl Bytes {
    pub(crate) fn as_slice(&self) -> &[u8] {
        match self {
            Bytes::Heap(bytes) => bytes,
            Bytes::Inline(bytes, len) => &bytes[..*len],
        }
    }
}

/// The parameter names of a call's arguments, for messages.
pub(crate) enum Names {
    /// The called function's parameters (name, type): borrowed, so that a call copies nothing.
    Params(&'static [(String, String)]),
    /// Given by a native test ([`Args::new`]).
    Given(Vec<String>),
}

impl Names {
    fn get(&self, i: usize) -> Option<&str> {
        match self {
            Names::Params(params) => params.get(i).map(|(name, _)| name.as_str()),
            Names::Given(names) => names.get(i).map(String::as_str),
        }
    }
}

impl Args {
    /// Arguments with their parameter names, to test a function natively.
    pub fn new(values: Vec<Value>, names: &[&str]) -> Args {
        let mut writer = Writer::new();
        writer.count(values.len());
        values.iter().for_each(|v| encode(&mut writer, v));
        let bytes = writer.into_bytes();
        let index = index_args(&bytes, Limits::default()).unwrap_or_default();
        Args {
            bytes: Bytes::Heap(bytes),
            index,
            values: OnceCell::from(values),
            names: Names::Given(names.iter().map(|n| (*n).to_owned()).collect()),
        }
    }

    /// Arguments as the host sent them, already checked by `index_args`.
    pub(crate) fn encoded(bytes: Bytes, index: ArgIndex, names: Names) -> Args {
        Args {
            bytes,
            index,
            values: OnceCell::new(),
            names,
        }
    }

    /// The number of arguments.
    pub fn len(&self) -> usize {
        self.index.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// The arguments as values.
    pub fn values(&self) -> &[Value] {
        self.values.get_or_init(|| {
            (0..self.index.len())
                .map(|i| {
                    self.index
                        .get(self.bytes.as_slice(), i)
                        .and_then(|v| v.build().ok())
                        .unwrap_or(Value::Absent)
                })
                .collect()
        })
    }

    /// Argument `i`.
    pub fn get(&self, i: usize) -> Result<&Value, Error> {
        self.values().get(i).ok_or_else(|| missing(i))
    }

    fn arg(&self, i: usize) -> Result<ValueRef<'_>, Error> {
        self.index
            .get(self.bytes.as_slice(), i)
            .ok_or_else(|| missing(i))
    }

    fn wrong(&self, i: usize, expected: &str, found: &str) -> Error {
        let name = self.names.get(i).unwrap_or("?");
        Error::BadArgument(format!(
            "argument `{name}`: expected {expected}, found {found}"
        ))
    }

    /// Argument `i` as text (or an enum case, or a date).
    pub fn text(&self, i: usize) -> Result<&str, Error> {
        let arg = self.arg(i)?;
        arg.as_text()
            .ok_or_else(|| self.wrong(i, "text", kind(&arg.shape())))
    }

    /// Argument `i` as an integer.
    pub fn int(&self, i: usize) -> Result<i64, Error> {
        match self.arg(i)?.shape() {
            Shape::Scalar(Scalar::Int(n)) => Ok(n),
            other => Err(self.wrong(i, "int", kind(&other))),
        }
    }

    /// Argument `i` as a boolean.
    pub fn bool(&self, i: usize) -> Result<bool, Error> {
        match self.arg(i)?.shape() {
            Shape::Scalar(Scalar::Bool(b)) => Ok(b),
            other => Err(self.wrong(i, "bool", kind(&other))),
        }
    }

    /// Argument `i` as the items of a list or set.
    pub fn items(&self, i: usize) -> Result<&[Value], Error> {
        let v = self.get(i)?;
        v.items()
            .ok_or_else(|| self.wrong(i, "a list or set", v.kind()))
    }

    /// Argument `i` as a list or set of texts (or enum cases, or dates).
    pub fn texts(&self, i: usize) -> Result<Vec<&str>, Error> {
        self.text_items(i)?.collect()
    }

    /// The texts of argument `i`, a list or set, one by one without collecting them: the
    /// cheapest way to look for one. An item that is not a text is an error when reached.
    pub fn text_items(
        &self,
        i: usize,
    ) -> Result<impl Iterator<Item = Result<&str, Error>> + '_, Error> {
        let arg = self.arg(i)?;
        let items = arg
            .items()
            .ok_or_else(|| self.wrong(i, "a list or set", kind(&arg.shape())))?;
        let mut items = items;
        Ok(std::iter::from_fn(move || {
            let next = items.next_text()?;
            Some(next.map_err(|item| self.wrong(i, "texts", kind(&item.shape()))))
        }))
    }
}

fn missing(i: usize) -> Error {
    Error::BadArgument(format!("argument {} is missing", i + 1))
}

/// What kind of value it is, for messages (as [`Value::kind`]).
fn kind(shape: &Shape<'_>) -> &'static str {
    match shape {
        Shape::Scalar(Scalar::Absent) => "none",
        Shape::Scalar(Scalar::Bool(_)) => "bool",
        Shape::Scalar(Scalar::Int(_)) => "int",
        Shape::Scalar(Scalar::Decimal(_)) => "decimal",
        Shape::Scalar(Scalar::Text(_)) => "text",
        Shape::Scalar(Scalar::Date(_)) => "date",
        Shape::Scalar(Scalar::Duration(..)) => "duration",
        Shape::Scalar(Scalar::Enum(_)) => "enum case",
        Shape::List(_) => "list",
        Shape::Set(_) => "set",
        Shape::Record(_) => "record",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args() -> Args {
        Args::new(
            vec![
                Value::Text("28".into()),
                Value::Int(7),
                Value::Bool(true),
                Value::List(vec![
                    Value::Enum("medecin".into()),
                    Value::Date("2024-03-16".into()),
                ]),
                Value::Set(vec![Value::Int(1)]),
            ],
            &["departement", "n", "actif", "professions", "nombres"],
        )
    }

    #[test]
    fn arguments_are_read_in_place_or_as_values() {
        let a = args();
        assert_eq!(a.len(), 5);
        assert_eq!(a.text(0), Ok("28"));
        assert_eq!(a.int(1), Ok(7));
        assert_eq!(a.bool(2), Ok(true));
        assert_eq!(a.texts(3), Ok(vec!["medecin", "2024-03-16"]));
        let mut items = a.text_items(3).unwrap();
        assert_eq!(items.next(), Some(Ok("medecin")));
        assert_eq!(
            a.text_items(4)
                .unwrap()
                .next()
                .unwrap()
                .unwrap_err()
                .to_string(),
            "argument `nombres`: expected texts, found int"
        );
        assert_eq!(a.items(4), Ok(&[Value::Int(1)][..]));
        assert_eq!(a.get(1), Ok(&Value::Int(7)));
    }

    #[test]
    fn wrong_arguments_name_the_parameter() {
        let a = args();
        fn message<T: std::fmt::Debug>(r: Result<T, Error>) -> String {
            r.unwrap_err().to_string()
        }
        assert_eq!(
            message(a.int(0)),
            "argument `departement`: expected int, found text"
        );
        assert_eq!(
            message(a.text(3)),
            "argument `professions`: expected text, found list"
        );
        assert_eq!(
            message(a.texts(4)),
            "argument `nombres`: expected texts, found int"
        );
        assert_eq!(
            message(a.items(2)),
            "argument `actif`: expected a list or set, found bool"
        );
        assert_eq!(message(a.bool(9)), "argument 10 is missing");
    }
}
