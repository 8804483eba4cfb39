//! The compiled evaluator's values: [`Val`] mirrors the public [`Value`] with shared strings
//! (`Arc<str>`, interned when facts are converted, so equal strings are usually one pointer),
//! records as a shape (their sorted field names, shared) and a slice of values, and lists and
//! sets behind an `Arc` with a membership index built on demand. Conversions to and from
//! [`Value`] happen once per set of facts, per plugin call and per computed value reported.

use crate::value::{Value, duration_order, tie};
use chrono::NaiveDate;
use cpts_lang::syntax::Unit;
use rustc_hash::{FxHashMap, FxHashSet, FxHasher};
use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, OnceLock};

/// A value of the compiled evaluator. The tag is a whole word (`repr(C, u64)`): with Rust's
/// default layout, small payloads share the tag's word and every move of a value copies seven
/// bytes with overlapping stores, which stalls store forwarding (measured: a third of the time).
#[derive(Clone, Debug)]
#[repr(C, u64)]
pub enum Val {
    /// Integer.
    Int(i64),
    /// Decimal number.
    Dec(f64),
    /// Boolean.
    Bool(bool),
    /// Text.
    Text(Arc<str>),
    /// Calendar date.
    Date(NaiveDate),
    /// `amount unit`.
    Dur(i64, Unit),
    /// An enum variant, by name.
    Enum(Arc<str>),
    /// A record.
    Rec(Arc<Rec>),
    /// A list.
    List(Arc<Seq>),
    /// A set (in the order [`Value::set`] gives).
    Set(Arc<Seq>),
    /// An absent optional value.
    None,
}

/// The field names of a record, sorted (the order of [`Value::Record`]'s map).
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct Shape {
    /// Sorted, without duplicates.
    pub names: Box<[Arc<str>]>,
}

impl Shape {
    /// The position of field `name`.
    pub fn position(&self, name: &str) -> Option<usize> {
        self.names.binary_search_by(|n| (**n).cmp(name)).ok()
    }
}

/// A record value: one value per field of its shape.
#[derive(Debug)]
pub struct Rec {
    /// Its field names.
    pub shape: Arc<Shape>,
    /// The values, in the shape's order.
    pub vals: Box<[Val]>,
}

/// The elements of a list or set, with an index for `in` built on first use.
#[derive(Debug, Default)]
pub struct Seq {
    /// The elements.
    pub items: Vec<Val>,
    index: OnceLock<Box<[(u64, u32)]>>,
}

/// Below this many elements, `in` scans.
const SCAN: usize = 8;

impl Seq {
    /// A sequence of `items`.
    pub fn new(items: Vec<Val>) -> Seq {
        Seq {
            items,
            index: OnceLock::new(),
        }
    }

    /// Whether an element is [`equal`] to `key` (what `in` means).
    pub fn contains(&self, key: &Val) -> bool {
        if self.items.len() <= SCAN {
            return self.items.iter().any(|x| equal(x, key));
        }
        let index = self.index.get_or_init(|| {
            let mut index: Vec<(u64, u32)> = self
                .items
                .iter()
                .enumerate()
                .map(|(i, v)| (hash_key(v), i as u32))
                .collect();
            index.sort_unstable();
            index.into_boxed_slice()
        });
        let h = hash_key(key);
        let start = index.partition_point(|&(x, _)| x < h);
        index[start..]
            .iter()
            .take_while(|&&(x, _)| x == h)
            .any(|&(_, i)| equal(&self.items[i as usize], key))
    }
}

/// A hash such that [`equal`] values hash alike: numbers by their value as a decimal (zero
/// unsigned), collections and records by kind alone (compared in full on a hit).
fn hash_key(v: &Val) -> u64 {
    let mut h = FxHasher::default();
    match v {
        Val::Int(_) | Val::Dec(_) => {
            let x = number(v).unwrap_or(0.0);
            let x = if x == 0.0 { 0.0 } else { x };
            (0u8, x.to_bits()).hash(&mut h);
        }
        Val::Bool(b) => (1u8, b).hash(&mut h),
        Val::Text(t) => (2u8, &**t).hash(&mut h),
        Val::Enum(t) => (3u8, &**t).hash(&mut h),
        Val::Date(d) => (4u8, d).hash(&mut h),
        Val::Dur(n, u) => (5u8, n, *u as u8).hash(&mut h),
        Val::Rec(_) => 6u8.hash(&mut h),
        Val::List(_) => 7u8.hash(&mut h),
        Val::Set(_) => 8u8.hash(&mut h),
        Val::None => 9u8.hash(&mut h),
    }
    h.finish()
}

/// As a number, for arithmetic and comparisons.
pub fn number(v: &Val) -> Option<f64> {
    match v {
        Val::Int(i) => Some(*i as f64),
        Val::Dec(d) => Some(*d),
        _ => None,
    }
}

/// Equality as `==` means it: across int and decimal at the top, [`same`] below.
pub fn equal(a: &Val, b: &Val) -> bool {
    match (a, b) {
        (Val::Int(_) | Val::Dec(_), Val::Int(_) | Val::Dec(_)) => number(a) == number(b),
        _ => same(a, b),
    }
}

/// Structural equality, as [`Value`]'s `PartialEq` (an int is not a decimal).
pub fn same(a: &Val, b: &Val) -> bool {
    use Val::*;
    match (a, b) {
        (Int(x), Int(y)) => x == y,
        (Dec(x), Dec(y)) => x == y,
        (Bool(x), Bool(y)) => x == y,
        (Text(x), Text(y)) | (Enum(x), Enum(y)) => Arc::ptr_eq(x, y) || x == y,
        (Date(x), Date(y)) => x == y,
        (Dur(n, u), Dur(m, v)) => n == m && u == v,
        (Rec(x), Rec(y)) => {
            Arc::ptr_eq(x, y)
                || ((Arc::ptr_eq(&x.shape, &y.shape) || x.shape == y.shape)
                    && x.vals.iter().zip(y.vals.iter()).all(|(p, q)| same(p, q)))
        }
        (List(x), List(y)) | (Set(x), Set(y)) => {
            Arc::ptr_eq(x, y)
                || (x.items.len() == y.items.len()
                    && x.items.iter().zip(&y.items).all(|(p, q)| same(p, q)))
        }
        (None, None) => true,
        _ => false,
    }
}

/// [`Value::order`] (`strict`: the total order of [`Value::set`]).
pub fn order(a: &Val, b: &Val, strict: bool) -> Ordering {
    use Val::*;
    match (a, b) {
        (Int(x), Int(y)) => x.cmp(y),
        (Int(x), Dec(y)) => (*x as f64).total_cmp(y).then(tie(strict, Ordering::Less)),
        (Dec(x), Int(y)) => x
            .total_cmp(&(*y as f64))
            .then(tie(strict, Ordering::Greater)),
        (Dec(x), Dec(y)) => x.total_cmp(y),
        (Date(x), Date(y)) => x.cmp(y),
        (Text(x), Text(y)) | (Enum(x), Enum(y)) => x.cmp(y),
        (Bool(x), Bool(y)) => x.cmp(y),
        (Dur(n, u), Dur(m, v)) => duration_order(*n, *u, *m, *v),
        (Rec(x), Rec(y)) => {
            let xs = x.shape.names.iter().zip(x.vals.iter());
            let ys = y.shape.names.iter().zip(y.vals.iter());
            for ((kx, vx), (ky, vy)) in xs.zip(ys) {
                let o = kx.cmp(ky).then_with(|| order(vx, vy, strict));
                if o.is_ne() {
                    return o;
                }
            }
            x.vals.len().cmp(&y.vals.len())
        }
        (List(x), List(y)) | (Set(x), Set(y)) => {
            for (vx, vy) in x.items.iter().zip(&y.items) {
                let o = order(vx, vy, strict);
                if o.is_ne() {
                    return o;
                }
            }
            x.items.len().cmp(&y.items.len())
        }
        _ => kind_rank(a).cmp(&kind_rank(b)),
    }
}

fn kind_rank(v: &Val) -> u8 {
    match v {
        Val::None => 0,
        Val::Bool(_) => 1,
        Val::Int(_) | Val::Dec(_) => 2,
        Val::Text(_) => 3,
        Val::Enum(_) => 4,
        Val::Date(_) => 5,
        Val::Dur(..) => 6,
        Val::Rec(_) => 7,
        Val::List(_) => 8,
        Val::Set(_) => 9,
    }
}

/// A set from `items`, as [`Value::set`] makes it: sorted by the strict order (total, so an
/// unstable sort gives the stable sort's result), duplicates removed.
pub fn set(mut items: Vec<Val>) -> Val {
    items.sort_unstable_by(|a, b| order(a, b, true));
    items.dedup_by(|a, b| same(a, b));
    Val::Set(Arc::new(Seq::new(items)))
}

impl Val {
    /// The elements of a list or set.
    pub fn elements(&self) -> Option<&[Val]> {
        match self {
            Val::List(s) | Val::Set(s) => Some(&s.items),
            _ => None,
        }
    }

    /// Back to a public [`Value`].
    pub fn to_value(&self) -> Value {
        match self {
            Val::Int(i) => Value::Int(*i),
            Val::Dec(d) => Value::Decimal(*d),
            Val::Bool(b) => Value::Bool(*b),
            Val::Text(t) => Value::Text(t.to_string()),
            Val::Date(d) => Value::Date(*d),
            Val::Dur(n, u) => Value::Duration(*n, *u),
            Val::Enum(e) => Value::Enum(e.to_string()),
            Val::Rec(r) => Value::Record(
                r.shape
                    .names
                    .iter()
                    .zip(r.vals.iter())
                    .map(|(n, v)| (n.to_string(), v.to_value()))
                    .collect(),
            ),
            Val::List(s) => Value::List(s.items.iter().map(Val::to_value).collect()),
            Val::Set(s) => Value::Set(s.items.iter().map(Val::to_value).collect()),
            Val::None => Value::None,
        }
    }

    /// As error messages show it (the [`Value`]'s display).
    pub fn show(&self) -> String {
        self.to_value().to_string()
    }
}

/// Strings and record shapes shared by a program's constants and the values converted for it.
#[derive(Debug, Default)]
pub struct Interner {
    strings: FxHashSet<Arc<str>>,
    shapes: FxHashMap<Box<[Arc<str>]>, Arc<Shape>>,
}

impl Interner {
    /// The shared copy of `s`.
    pub fn text(&mut self, s: &str) -> Arc<str> {
        if let Some(hit) = self.strings.get(s) {
            return hit.clone();
        }
        let shared: Arc<str> = Arc::from(s);
        self.strings.insert(shared.clone());
        shared
    }

    /// The shared shape of these field names (sorted, without duplicates).
    pub fn shape(&mut self, names: Vec<Arc<str>>) -> Arc<Shape> {
        if let Some(hit) = self.shapes.get(&names[..]) {
            return hit.clone();
        }
        let names = names.into_boxed_slice();
        let shape = Arc::new(Shape {
            names: names.clone(),
        });
        self.shapes.insert(names, shape.clone());
        shape
    }

    /// A lookup in `self`, then in `base`, then interning here: conversion of facts, reusing a
    /// program's strings and shapes.
    pub fn text_over(&mut self, base: &Interner, s: &str) -> Arc<str> {
        match base.strings.get(s) {
            Some(hit) => hit.clone(),
            None => self.text(s),
        }
    }

    fn shape_over(&mut self, base: &Interner, names: Vec<Arc<str>>) -> Arc<Shape> {
        match base.shapes.get(&names[..]) {
            Some(hit) => hit.clone(),
            None => self.shape(names),
        }
    }

    /// `value` as a [`Val`], sharing strings and shapes with `base` where it can.
    pub fn convert(&mut self, base: &Interner, value: &Value) -> Val {
        match value {
            Value::Int(i) => Val::Int(*i),
            Value::Decimal(d) => Val::Dec(*d),
            Value::Bool(b) => Val::Bool(*b),
            Value::Text(t) => Val::Text(self.text_over(base, t)),
            Value::Date(d) => Val::Date(*d),
            Value::Duration(n, u) => Val::Dur(*n, *u),
            Value::Enum(e) => Val::Enum(self.text_over(base, e)),
            Value::Record(fields) => record(self, base, fields),
            Value::List(items) => Val::List(Arc::new(Seq::new(
                items.iter().map(|v| self.convert(base, v)).collect(),
            ))),
            Value::Set(items) => Val::Set(Arc::new(Seq::new(
                items.iter().map(|v| self.convert(base, v)).collect(),
            ))),
            Value::None => Val::None,
        }
    }
}

fn record(i: &mut Interner, base: &Interner, fields: &BTreeMap<String, Value>) -> Val {
    let names: Vec<Arc<str>> = fields.keys().map(|k| i.text_over(base, k)).collect();
    let shape = i.shape_over(base, names);
    let vals = fields.values().map(|v| i.convert(base, v)).collect();
    Val::Rec(Arc::new(Rec { shape, vals }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round(v: &Value) -> Value {
        Interner::default()
            .convert(&Interner::default(), v)
            .to_value()
    }

    #[test]
    fn converts_both_ways() {
        let v = Value::List(vec![
            Value::Record(BTreeMap::from([
                ("b".into(), Value::Int(1)),
                ("a".into(), Value::set(vec![Value::Text("x".into())])),
            ])),
            Value::Duration(2, Unit::Months),
            Value::None,
        ]);
        assert_eq!(round(&v), v);
    }

    #[test]
    fn sets_sort_like_values_and_membership_agrees_with_a_scan() {
        let mut i = Interner::default();
        let base = Interner::default();
        let raw: Vec<Value> = (0..40)
            .map(|k| match k % 4 {
                0 => Value::Int(k),
                1 => Value::Decimal(k as f64 / 2.0),
                2 => Value::Text(format!("t{}", k % 7)),
                _ => Value::Enum(format!("e{}", k % 5)),
            })
            .collect();
        let expected = Value::set(raw.clone());
        let vals: Vec<Val> = raw.iter().map(|v| i.convert(&base, v)).collect();
        let got = set(vals.clone());
        assert_eq!(got.to_value(), expected);
        let Val::Set(seq) = &got else { panic!() };
        for probe in vals
            .iter()
            .chain([&Val::Dec(3.0), &Val::Int(99), &Val::None])
        {
            let scan = seq.items.iter().any(|x| equal(x, probe));
            assert_eq!(seq.contains(probe), scan, "{probe:?}");
        }
        assert!(seq.contains(&Val::Dec(4.0)), "int 4 is in, as 4.0");
    }
}
