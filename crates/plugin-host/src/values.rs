//! Engine values in the encoding of interface 0.2 (`cpts-plugin-wire`): arguments out, results
//! in. Results come from the plugin and are not trusted: bounded in size, nesting and number of
//! values, dates checked.

use chrono::{Datelike, NaiveDate};
use cpts_engine::Value;
use cpts_lang::syntax::Unit;
use cpts_plugin_wire::{Build, Limits, Scalar, Writer};
use std::collections::BTreeMap;

/// The most values a result may have: a plugin answers a question about a project, it does not
/// ship data.
pub(crate) const MAX_VALUES: usize = 100_000;
/// The most bytes a result may take.
pub(crate) const MAX_RESULT_BYTES: usize = 2 << 20;
/// The most bytes of text a 0.1 result may carry.
pub(crate) const MAX_TEXT_BYTES: usize = 1 << 20;
/// Nesting deeper than this is refused rather than recursed into.
pub(crate) const MAX_DEPTH: usize = 64;

/// The arguments of a call, encoded into `buffer` (reused from call to call).
pub(crate) fn encode_args(args: &[Value], buffer: Vec<u8>) -> Vec<u8> {
    let mut writer = Writer::reusing(buffer);
    writer.count(args.len());
    for arg in args {
        encode(&mut writer, arg);
    }
    writer.into_bytes()
}

fn encode(writer: &mut Writer, value: &Value) {
    match value {
        Value::None => writer.absent(),
        Value::Bool(b) => writer.bool(*b),
        Value::Int(i) => writer.int(*i),
        Value::Decimal(d) => writer.decimal(*d),
        Value::Text(s) => writer.text(s),
        Value::Date(d) => writer.date(&iso(*d)),
        Value::Duration(amount, unit) => writer.duration(*amount, wire_unit(*unit)),
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

/// `2024-03-16`, without going through a formatter for the common four-digit years.
fn iso(d: NaiveDate) -> String {
    let year = d.year();
    if !(0..=9999).contains(&year) {
        return d.to_string();
    }
    let digits = |n: u32, width: usize| {
        let mut out = [b'0'; 4];
        let mut n = n;
        for i in (4 - width..4).rev() {
            out[i] = b'0' + (n % 10) as u8;
            n /= 10;
        }
        out
    };
    let mut out = String::with_capacity(10);
    let push = |out: &mut String, bytes: &[u8]| bytes.iter().for_each(|&b| out.push(b as char));
    push(&mut out, &digits(year as u32, 4));
    out.push('-');
    push(&mut out, &digits(d.month(), 2)[2..]);
    out.push('-');
    push(&mut out, &digits(d.day(), 2)[2..]);
    out
}

fn wire_unit(unit: Unit) -> cpts_plugin_wire::Unit {
    use cpts_plugin_wire::Unit as W;
    match unit {
        Unit::Days => W::Days,
        Unit::WorkingDays => W::WorkingDays,
        Unit::Weeks => W::Weeks,
        Unit::Months => W::Months,
        Unit::Years => W::Years,
    }
}

/// A plugin's result.
pub(crate) fn decode(bytes: &[u8]) -> Result<Value, String> {
    if bytes.len() > MAX_RESULT_BYTES {
        return Err(format!(
            "the result takes {} bytes, more than the {MAX_RESULT_BYTES} allowed",
            bytes.len()
        ));
    }
    let limits = Limits {
        values: MAX_VALUES,
        depth: MAX_DEPTH,
    };
    let Decoded(value) =
        cpts_plugin_wire::decode_value(bytes, limits).map_err(|e| e.to_string())?;
    Ok(value)
}

/// An engine value built by the decoder (a local type: `Build` and `Value` are both foreign).
struct Decoded(Value);

impl Build for Decoded {
    fn scalar(scalar: Scalar<'_>) -> Result<Decoded, String> {
        use cpts_plugin_wire::Unit as W;
        Ok(Decoded(match scalar {
            Scalar::Absent => Value::None,
            Scalar::Bool(b) => Value::Bool(b),
            Scalar::Int(i) => Value::Int(i),
            Scalar::Decimal(d) => Value::Decimal(d),
            Scalar::Text(s) => Value::Text(s.to_owned()),
            Scalar::Date(s) => Value::Date(
                NaiveDate::parse_from_str(s, "%Y-%m-%d")
                    .map_err(|_| format!("`{s}` is not a date (YYYY-MM-DD)"))?,
            ),
            Scalar::Duration(amount, unit) => Value::Duration(
                amount,
                match unit {
                    W::Days => Unit::Days,
                    W::WorkingDays => Unit::WorkingDays,
                    W::Weeks => Unit::Weeks,
                    W::Months => Unit::Months,
                    W::Years => Unit::Years,
                },
            ),
            Scalar::Enum(s) => Value::Enum(s.to_owned()),
        }))
    }

    fn list(items: Vec<Decoded>) -> Decoded {
        Decoded(Value::List(items.into_iter().map(|d| d.0).collect()))
    }

    fn set(items: Vec<Decoded>) -> Decoded {
        Decoded(Value::set(items.into_iter().map(|d| d.0).collect()))
    }

    fn record(fields: Vec<(&str, Decoded)>) -> Result<Decoded, String> {
        let mut record = BTreeMap::new();
        for (name, Decoded(value)) in fields {
            if record.insert(name.to_owned(), value).is_some() {
                return Err(format!("field `{name}` appears twice"));
            }
        }
        Ok(Decoded(Value::Record(record)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(value: &Value) -> Vec<u8> {
        let mut writer = Writer::new();
        encode(&mut writer, value);
        writer.into_bytes()
    }

    #[test]
    fn values_round_trip() {
        let value = Value::List(vec![
            Value::Record(BTreeMap::from([
                ("id".to_owned(), Value::Text("m1".into())),
                ("adhesion".to_owned(), Value::None),
                (
                    "depuis".to_owned(),
                    Value::Date(NaiveDate::from_ymd_opt(2024, 3, 6).unwrap()),
                ),
            ])),
            Value::set(vec![Value::Int(2), Value::Int(1)]),
            Value::Duration(2, Unit::Months),
            Value::Enum("cpam".into()),
            Value::Decimal(0.5),
            Value::Bool(false),
        ]);
        assert_eq!(decode(&result(&value)), Ok(value));
        let args = encode_args(&[Value::Int(1), Value::None], vec![9, 9]);
        assert_eq!(args, [2, 0, 0, 0, 3, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
    }

    #[test]
    fn dates_are_iso() {
        let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(iso(date(2024, 3, 6)), "2024-03-06");
        assert_eq!(iso(date(987, 12, 31)), "0987-12-31");
        assert_eq!(iso(date(12345, 1, 1)), date(12345, 1, 1).to_string());
    }

    #[test]
    fn hostile_results_are_refused() {
        let mut writer = Writer::new();
        writer.date("16/03/2024");
        assert!(
            decode(&writer.into_bytes())
                .unwrap_err()
                .contains("not a date")
        );
        let mut writer = Writer::new();
        writer.record(2);
        for _ in 0..2 {
            writer.field("id");
            writer.int(1);
        }
        assert!(
            decode(&writer.into_bytes())
                .unwrap_err()
                .contains("appears twice")
        );
        let wide = Value::List(vec![Value::None; MAX_VALUES]);
        assert!(
            decode(&result(&wide))
                .unwrap_err()
                .contains("more than 100000 values")
        );
        assert!(
            decode(&vec![0; MAX_RESULT_BYTES + 1])
                .unwrap_err()
                .contains("bytes, more than")
        );
        let mut deep = Value::None;
        for _ in 0..100 {
            deep = Value::List(vec![deep]);
        }
        assert!(decode(&result(&deep)).unwrap_err().contains("deeper"));
    }
}
