//! Functions a plugin offers, their arguments and their findings.

use crate::value::Value;
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
pub struct Args {
    pub(crate) values: Vec<Value>,
    pub(crate) names: Vec<String>,
}

impl Args {
    /// Arguments with their parameter names, to test a function natively.
    pub fn new(values: Vec<Value>, names: &[&str]) -> Args {
        Args {
            values,
            names: names.iter().map(|n| (*n).to_owned()).collect(),
        }
    }

    /// The arguments as values.
    pub fn values(&self) -> &[Value] {
        &self.values
    }

    /// Argument `i`.
    pub fn get(&self, i: usize) -> Result<&Value, Error> {
        self.values
            .get(i)
            .ok_or_else(|| Error::BadArgument(format!("argument {} is missing", i + 1)))
    }

    fn wrong(&self, i: usize, expected: &str, found: &Value) -> Error {
        let name = self.names.get(i).map_or("?", String::as_str);
        Error::BadArgument(format!(
            "argument `{name}`: expected {expected}, found {}",
            found.kind()
        ))
    }

    /// Argument `i` as text.
    pub fn text(&self, i: usize) -> Result<&str, Error> {
        let v = self.get(i)?;
        v.as_text().ok_or_else(|| self.wrong(i, "text", v))
    }

    /// Argument `i` as an integer.
    pub fn int(&self, i: usize) -> Result<i64, Error> {
        let v = self.get(i)?;
        v.as_int().ok_or_else(|| self.wrong(i, "int", v))
    }

    /// Argument `i` as a boolean.
    pub fn bool(&self, i: usize) -> Result<bool, Error> {
        let v = self.get(i)?;
        v.as_bool().ok_or_else(|| self.wrong(i, "bool", v))
    }

    /// Argument `i` as the items of a list or set.
    pub fn items(&self, i: usize) -> Result<&[Value], Error> {
        let v = self.get(i)?;
        v.items().ok_or_else(|| self.wrong(i, "a list or set", v))
    }

    /// Argument `i` as a list or set of texts (or enum cases).
    pub fn texts(&self, i: usize) -> Result<Vec<&str>, Error> {
        self.items(i)?
            .iter()
            .map(|v| v.as_text().ok_or_else(|| self.wrong(i, "texts", v)))
            .collect()
    }
}
