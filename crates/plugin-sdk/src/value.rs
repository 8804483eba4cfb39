//! Values of the rules language, as a plugin sees them.

/// A value of the rules language.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// An absent optional value (`none`).
    Absent,
    /// `bool`.
    Bool(bool),
    /// `int`.
    Int(i64),
    /// `decimal`.
    Decimal(f64),
    /// `text`.
    Text(String),
    /// `date`, ISO 8601 (`2024-03-16`).
    Date(String),
    /// `duration`: amount and unit.
    Duration(i64, Unit),
    /// A case of an enum, by name.
    Enum(String),
    /// `list<T>`.
    List(Vec<Value>),
    /// `set<T>` (sorted, no duplicates).
    Set(Vec<Value>),
    /// A record: fields by name, in the record type's order.
    Record(Vec<(String, Value)>),
}

/// Units of durations: the encoding's own (plugins and host agree on them there).
pub use cpts_plugin_wire::Unit;

impl Value {
    /// The boolean, if it is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The integer, if it is one.
    pub fn as_int(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(*i),
            _ => None,
        }
    }

    /// The number, if it is an integer or a decimal.
    pub fn as_number(&self) -> Option<f64> {
        match self {
            Value::Int(i) => Some(*i as f64),
            Value::Decimal(d) => Some(*d),
            _ => None,
        }
    }

    /// The text (or enum case, or date), if it is one.
    pub fn as_text(&self) -> Option<&str> {
        match self {
            Value::Text(s) | Value::Enum(s) | Value::Date(s) => Some(s),
            _ => None,
        }
    }

    /// The items of a list or set.
    pub fn items(&self) -> Option<&[Value]> {
        match self {
            Value::List(v) | Value::Set(v) => Some(v),
            _ => None,
        }
    }

    /// A field of a record.
    pub fn field(&self, name: &str) -> Option<&Value> {
        match self {
            Value::Record(fields) => fields.iter().find(|(n, _)| n == name).map(|(_, v)| v),
            _ => None,
        }
    }

    /// What kind of value it is, for error messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Absent => "none",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Decimal(_) => "decimal",
            Value::Text(_) => "text",
            Value::Date(_) => "date",
            Value::Duration(..) => "duration",
            Value::Enum(_) => "enum case",
            Value::List(_) => "list",
            Value::Set(_) => "set",
            Value::Record(_) => "record",
        }
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

impl From<i64> for Value {
    fn from(i: i64) -> Value {
        Value::Int(i)
    }
}

impl From<f64> for Value {
    fn from(d: f64) -> Value {
        Value::Decimal(d)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::Text(s.to_owned())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::Text(s)
    }
}
