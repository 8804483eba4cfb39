//! The `plugin_values` target: the byte encoding of values between cpts and its plugins
//! (interface 0.2, `cpts-plugin-wire`). The host decodes it from untrusted plugins; a plugin
//! reads its arguments from it in place.

use cpts_plugin_wire::{
    Build, Limits, Scalar, Shape, ValueRef, Writer, decode_args, decode_value, index_args,
};

/// A value as the encoding carries it.
#[derive(Debug, PartialEq)]
enum V {
    Scalar(Owned),
    List(Vec<V>),
    Set(Vec<V>),
    Record(Vec<(String, V)>),
}

/// A scalar, owning its text.
#[derive(Debug, PartialEq)]
enum Owned {
    Absent,
    Bool(bool),
    Int(i64),
    /// The bits, so that NaN equals itself.
    Decimal(u64),
    Text(String),
    Date(String),
    Duration(i64, cpts_plugin_wire::Unit),
    Enum(String),
}

impl Build for V {
    fn scalar(scalar: Scalar<'_>) -> Result<V, String> {
        Ok(V::Scalar(match scalar {
            Scalar::Absent => Owned::Absent,
            Scalar::Bool(b) => Owned::Bool(b),
            Scalar::Int(i) => Owned::Int(i),
            Scalar::Decimal(d) => Owned::Decimal(d.to_bits()),
            Scalar::Text(s) => Owned::Text(s.into()),
            Scalar::Date(s) => Owned::Date(s.into()),
            Scalar::Duration(a, u) => Owned::Duration(a, u),
            Scalar::Enum(s) => Owned::Enum(s.into()),
        }))
    }
    fn list(items: Vec<V>) -> V {
        V::List(items)
    }
    fn set(items: Vec<V>) -> V {
        V::Set(items)
    }
    fn record(fields: Vec<(&str, V)>) -> Result<V, String> {
        Ok(V::Record(
            fields.into_iter().map(|(n, v)| (n.into(), v)).collect(),
        ))
    }
}

fn write(w: &mut Writer, v: &V) {
    match v {
        V::Scalar(s) => match s {
            Owned::Absent => w.absent(),
            Owned::Bool(b) => w.bool(*b),
            Owned::Int(i) => w.int(*i),
            Owned::Decimal(bits) => w.decimal(f64::from_bits(*bits)),
            Owned::Text(t) => w.text(t),
            Owned::Date(t) => w.date(t),
            Owned::Duration(a, u) => w.duration(*a, *u),
            Owned::Enum(t) => w.enum_case(t),
        },
        V::List(items) => {
            w.list(items.len());
            items.iter().for_each(|i| write(w, i));
        }
        V::Set(items) => {
            w.set(items.len());
            items.iter().for_each(|i| write(w, i));
        }
        V::Record(fields) => {
            w.record(fields.len());
            for (name, value) in fields {
                w.field(name);
                write(w, value);
            }
        }
    }
}

/// Reads a value in place, everywhere, as a plugin's accessors do.
fn read(v: ValueRef<'_>) -> usize {
    let _ = v.as_text();
    let items = v.items().map_or(0, |items| items.map(read).sum());
    let nested = match v.shape() {
        Shape::Scalar(_) => 0,
        Shape::List(items) | Shape::Set(items) => items.count(),
        Shape::Record(fields) => fields.map(|(_, value)| read(value)).sum(),
    };
    1 + items + nested
}

/// Decoding never panics, and what decodes is canonical: encoded again, it gives the same
/// bytes. The same bytes as a call's arguments: indexing refuses only what decoding refuses,
/// and every argument reads in place as it decodes.
pub(crate) fn plugin_values(data: &[u8]) {
    let limits = Limits::default();
    if let Ok(value) = decode_value::<V>(data, limits) {
        let mut w = Writer::new();
        write(&mut w, &value);
        assert_eq!(
            w.into_bytes(),
            data,
            "a decoded value re-encodes differently"
        );
    }
    let decoded = decode_args::<V>(data, limits);
    match index_args(data, limits) {
        Ok(index) => {
            for i in 0..index.len() {
                let arg = index.get(data, i).expect("an indexed argument");
                read(arg);
                let built = arg.build::<V>();
                if let Ok(args) = &decoded {
                    assert_eq!(built.as_ref().ok(), Some(&args[i]), "argument {i}");
                }
            }
        }
        Err(_) => assert!(decoded.is_err(), "indexing refused what decoding accepts"),
    }
}
