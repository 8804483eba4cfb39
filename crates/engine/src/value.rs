//! Runtime values of facts, parameters and expressions.

use chrono::NaiveDate;
use cpts_lang::syntax::Unit;
use cpts_lang::types::Type;
use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::fmt;

/// A value. Lists keep their order; sets are kept sorted and without duplicates.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// Integer.
    Int(i64),
    /// Decimal number.
    Decimal(f64),
    /// Boolean.
    Bool(bool),
    /// Text.
    Text(String),
    /// Calendar date.
    Date(NaiveDate),
    /// `amount unit`.
    Duration(i64, Unit),
    /// An enum variant, by name.
    Enum(String),
    /// A record.
    Record(BTreeMap<String, Value>),
    /// A list.
    List(Vec<Value>),
    /// A set (sorted, no duplicates).
    Set(Vec<Value>),
    /// An absent optional value.
    None,
}

impl Value {
    /// A set from any values: sorted by [`Value::order`] (ties between an int and a decimal of
    /// the same value broken int first, so that the sort order is total), duplicates removed.
    pub fn set(mut items: Vec<Value>) -> Value {
        items.sort_by(|a, b| compare(a, b, true));
        items.dedup();
        Value::Set(items)
    }

    /// The order of `<` and of `min`/`max`, typed: numbers by value (an int and a decimal of the
    /// same value are equal), dates, texts and enum variants (by name), booleans, durations (of
    /// one unit by amount, of two by their length in days, then by unit), records field by field,
    /// lists and sets element by element; values of different kinds by kind.
    pub fn order(&self, other: &Value) -> std::cmp::Ordering {
        compare(self, other, false)
    }

    /// The elements of a list or set.
    pub fn elements(&self) -> Option<&[Value]> {
        match self {
            Value::List(v) | Value::Set(v) => Some(v),
            _ => None,
        }
    }

    /// As a number, for arithmetic and comparisons.
    pub fn number(&self) -> Option<f64> {
        match self {
            Value::Int(i) => Some(*i as f64),
            Value::Decimal(d) => Some(*d),
            _ => None,
        }
    }
}

/// [`Value::order`]; `strict` breaks the ties between an int and a decimal (int first) so that the
/// order is total, for sorting.
fn compare(a: &Value, b: &Value, strict: bool) -> Ordering {
    use Value::*;
    match (a, b) {
        (Int(x), Int(y)) => x.cmp(y),
        (Int(x), Decimal(y)) => (*x as f64).total_cmp(y).then(tie(strict, Ordering::Less)),
        (Decimal(x), Int(y)) => x
            .total_cmp(&(*y as f64))
            .then(tie(strict, Ordering::Greater)),
        (Decimal(x), Decimal(y)) => x.total_cmp(y),
        (Date(x), Date(y)) => x.cmp(y),
        (Text(x), Text(y)) | (Enum(x), Enum(y)) => x.cmp(y),
        (Bool(x), Bool(y)) => x.cmp(y),
        (Duration(n, u), Duration(m, v)) => duration_order(*n, *u, *m, *v),
        (Record(x), Record(y)) => {
            for ((kx, vx), (ky, vy)) in x.iter().zip(y) {
                let o = kx.cmp(ky).then_with(|| compare(vx, vy, strict));
                if o.is_ne() {
                    return o;
                }
            }
            x.len().cmp(&y.len())
        }
        (List(x), List(y)) | (Set(x), Set(y)) => {
            for (vx, vy) in x.iter().zip(y) {
                let o = compare(vx, vy, strict);
                if o.is_ne() {
                    return o;
                }
            }
            x.len().cmp(&y.len())
        }
        _ => kind_rank(a).cmp(&kind_rank(b)),
    }
}

/// `then` for the int–decimal tie: `Equal` unless sorting.
pub(crate) fn tie(strict: bool, o: Ordering) -> Ordering {
    if strict { o } else { Ordering::Equal }
}

/// Durations: of one unit by amount; of two by their approximate length in days, then by unit.
pub(crate) fn duration_order(n: i64, u: Unit, m: i64, v: Unit) -> Ordering {
    if u == v {
        return n.cmp(&m);
    }
    let days = |n: i64, u: Unit| {
        n as f64
            * match u {
                Unit::Days => 1.0,
                Unit::WorkingDays => 1.4,
                Unit::Weeks => 7.0,
                Unit::Months => 30.436_875,
                Unit::Years => 365.242_5,
            }
    };
    days(n, u)
        .total_cmp(&days(m, v))
        .then(unit_rank(u).cmp(&unit_rank(v)))
        .then(n.cmp(&m))
}

fn unit_rank(u: Unit) -> u8 {
    match u {
        Unit::Days => 0,
        Unit::WorkingDays => 1,
        Unit::Weeks => 2,
        Unit::Months => 3,
        Unit::Years => 4,
    }
}

/// The order of kinds, between values of different kinds.
fn kind_rank(v: &Value) -> u8 {
    match v {
        Value::None => 0,
        Value::Bool(_) => 1,
        Value::Int(_) | Value::Decimal(_) => 2,
        Value::Text(_) => 3,
        Value::Enum(_) => 4,
        Value::Date(_) => 5,
        Value::Duration(..) => 6,
        Value::Record(_) => 7,
        Value::List(_) => 8,
        Value::Set(_) => 9,
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Int(i) => write!(f, "{i}"),
            Value::Decimal(d) if d.fract() == 0.0 && d.abs() < 1e15 => write!(f, "{d:.0}"),
            Value::Decimal(d) => write!(f, "{d}"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Text(t) => write!(f, "\"{t}\""),
            Value::Date(d) => write!(f, "{d}"),
            Value::Duration(n, u) => write!(f, "{}", u.quantity(*n)),
            Value::Enum(v) => f.write_str(v),
            Value::None => f.write_str("none"),
            Value::Record(fields) => {
                f.write_str("{ ")?;
                for (i, (k, v)) in fields.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{k}: {v}")?;
                }
                f.write_str(" }")
            }
            Value::List(items) | Value::Set(items) => {
                f.write_str("[")?;
                for (i, v) in items.iter().take(6).enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{v}")?;
                }
                if items.len() > 6 {
                    write!(f, ", … ({} in all)", items.len())?;
                }
                f.write_str("]")
            }
        }
    }
}

/// Whether `value` has type `ty` (`enums`: the variants of each enum), or why not: used on what
/// plugins return, which the engine does not trust.
pub(crate) fn conforms(
    value: &Value,
    ty: &Type,
    enums: &BTreeMap<String, Vec<String>>,
) -> Result<(), String> {
    let wrong = || Err(format!("expected `{ty}`, found `{}`", brief(value)));
    match (ty, value) {
        (Type::Optional(_) | Type::None, Value::None) => Ok(()),
        (Type::Optional(inner), _) => conforms(value, inner, enums),
        (Type::Int, Value::Int(_))
        | (Type::Decimal, Value::Int(_) | Value::Decimal(_))
        | (Type::Bool, Value::Bool(_))
        | (Type::Text, Value::Text(_))
        | (Type::Date, Value::Date(_))
        | (Type::Duration, Value::Duration(..)) => Ok(()),
        (Type::Enum(name), Value::Enum(case)) => match enums.get(&**name) {
            Some(cases) if !cases.contains(case) => {
                Err(format!("`{case}` is not a case of enum `{name}`"))
            }
            _ => Ok(()),
        },
        (Type::List(item), Value::List(items)) | (Type::Set(item), Value::Set(items)) => {
            items.iter().try_for_each(|v| conforms(v, item, enums))
        }
        (Type::Record(record), Value::Record(fields)) => {
            for (name, field_ty) in &record.fields {
                match fields.get(name) {
                    Some(v) => conforms(v, field_ty, enums)
                        .map_err(|why| format!("field `{name}`: {why}"))?,
                    None if matches!(field_ty, Type::Optional(_)) => {}
                    None => return Err(format!("field `{name}` is missing")),
                }
            }
            match fields.keys().find(|k| record.field(k).is_none()) {
                Some(extra) => Err(format!("unexpected field `{extra}`")),
                None => Ok(()),
            }
        }
        (Type::Error, _) => Ok(()),
        _ => wrong(),
    }
}

/// A value shown in an error message: its first 60 characters.
fn brief(value: &Value) -> String {
    let shown = value.to_string();
    match shown.char_indices().nth(60) {
        Some((cut, _)) => format!("{}…", &shown[..cut]),
        None => shown,
    }
}

/// A value as JSON data (the façade's result documents): numbers, booleans, strings, `null` for
/// an absent optional, arrays for lists and sets, objects for records; a date is its ISO text
/// (`"2024-01-10"`), an enum variant its name, a duration `{ "amount": 5, "unit": "years" }`
/// with the unit as written in rules (`days`, `working days`, `weeks`, `months`, `years`).
impl serde::Serialize for Value {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        match self {
            Value::Int(i) => s.serialize_i64(*i),
            Value::Decimal(d) => s.serialize_f64(*d),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Text(t) | Value::Enum(t) => s.serialize_str(t),
            Value::Date(d) => s.collect_str(d),
            Value::Duration(amount, unit) => {
                let mut map = s.serialize_map(Some(2))?;
                map.serialize_entry("amount", amount)?;
                map.serialize_entry("unit", unit.keyword())?;
                map.end()
            }
            Value::Record(fields) => {
                let mut map = s.serialize_map(Some(fields.len()))?;
                for (k, v) in fields {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
            Value::List(items) | Value::Set(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for v in items {
                    seq.serialize_element(v)?;
                }
                seq.end()
            }
            Value::None => s.serialize_none(),
        }
    }
}
