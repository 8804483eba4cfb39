//! How values of the rules language travel between cpts and a plugin, from interface 0.2
//! (`wit/cpts-plugin/0.2.0/plugin.wit`): the arguments of a call in one byte buffer, and its
//! result in another.
//!
//! Interface 0.1 sent a tree of WIT nodes, one string per text: the canonical ABI then made one
//! allocation inside the plugin per node list and per string, each a separate call into
//! WebAssembly, and that cost more than the plugin's own work. One buffer is one allocation.
//!
//! # The encoding
//!
//! Every number is little-endian; `len` and `count` are `u32`.
//!
//! | tag | value | payload |
//! |---:|---|---|
//! | 0 | `none` (absent optional) | — |
//! | 1 | `false` | — |
//! | 2 | `true` | — |
//! | 3 | `int` | `i64` |
//! | 4 | `decimal` | `f64` (IEEE 754 bits) |
//! | 5 | `text` | `len`, UTF-8 bytes |
//! | 6 | `date` | `len`, ISO 8601 calendar date as UTF-8 (`2024-03-16`) |
//! | 7 | `duration` | amount `i64`, unit `u8` (0 days, 1 working days, 2 weeks, 3 months, 4 years) |
//! | 8 | enum case | `len`, its name as UTF-8 |
//! | 9 | `list<T>` | `count`, then the items |
//! | 10 | `set<T>` | `count`, then the items (sorted, no duplicates) |
//! | 11 | record | `count`, then per field: `len` and the name as UTF-8, then the value |
//!
//! The arguments of a call are `count` then each value; a result is one value. Nothing may follow.
//!
//! Both sides decode what they receive as untrusted: [`decode_value`] and [`decode_args`] bound
//! the nesting and the number of values, refuse counts larger than the bytes left, and never
//! panic.

use std::fmt;

mod view;

pub use view::{ArgIndex, Fields, Items, Shape, ValueRef, index_args};

/// Units of durations, as the encoding numbers them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// Calendar days (0).
    Days,
    /// Working days (1).
    WorkingDays,
    /// Weeks (2).
    Weeks,
    /// Calendar months (3).
    Months,
    /// Years (4).
    Years,
}

impl Unit {
    fn byte(self) -> u8 {
        match self {
            Unit::Days => 0,
            Unit::WorkingDays => 1,
            Unit::Weeks => 2,
            Unit::Months => 3,
            Unit::Years => 4,
        }
    }

    pub(crate) fn from_byte(b: u8) -> Option<Unit> {
        Some(match b {
            0 => Unit::Days,
            1 => Unit::WorkingDays,
            2 => Unit::Weeks,
            3 => Unit::Months,
            4 => Unit::Years,
            _ => return None,
        })
    }
}

pub(crate) mod tag {
    pub const ABSENT: u8 = 0;
    pub const FALSE: u8 = 1;
    pub const TRUE: u8 = 2;
    pub const INT: u8 = 3;
    pub const DECIMAL: u8 = 4;
    pub const TEXT: u8 = 5;
    pub const DATE: u8 = 6;
    pub const DURATION: u8 = 7;
    pub const ENUM: u8 = 8;
    pub const LIST: u8 = 9;
    pub const SET: u8 = 10;
    pub const RECORD: u8 = 11;
}

/// Writes values into a buffer. A list, set or record is its header (the number of items)
/// followed by that many values (for a record, each preceded by [`Writer::field`]).
#[derive(Debug, Default)]
pub struct Writer {
    bytes: Vec<u8>,
}

impl Writer {
    /// An empty writer.
    pub fn new() -> Writer {
        Writer::default()
    }

    /// A writer appending to `bytes` (cleared first), to reuse a buffer.
    pub fn reusing(mut bytes: Vec<u8>) -> Writer {
        bytes.clear();
        Writer { bytes }
    }

    /// What was written.
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }

    /// The number of arguments that follow (the header of a call's arguments).
    pub fn count(&mut self, n: usize) {
        self.u32(n);
    }

    /// `none`.
    pub fn absent(&mut self) {
        self.bytes.push(tag::ABSENT);
    }

    /// A `bool`.
    pub fn bool(&mut self, b: bool) {
        self.bytes.push(if b { tag::TRUE } else { tag::FALSE });
    }

    /// An `int`.
    pub fn int(&mut self, i: i64) {
        self.bytes.push(tag::INT);
        self.bytes.extend_from_slice(&i.to_le_bytes());
    }

    /// A `decimal`.
    pub fn decimal(&mut self, d: f64) {
        self.bytes.push(tag::DECIMAL);
        self.bytes.extend_from_slice(&d.to_bits().to_le_bytes());
    }

    /// A `text`.
    pub fn text(&mut self, s: &str) {
        self.bytes.push(tag::TEXT);
        self.str(s);
    }

    /// A `date`, ISO 8601 (`2024-03-16`).
    pub fn date(&mut self, iso: &str) {
        self.bytes.push(tag::DATE);
        self.str(iso);
    }

    /// A `duration`.
    pub fn duration(&mut self, amount: i64, unit: Unit) {
        self.bytes.push(tag::DURATION);
        self.bytes.extend_from_slice(&amount.to_le_bytes());
        self.bytes.push(unit.byte());
    }

    /// A case of an enum, by name.
    pub fn enum_case(&mut self, name: &str) {
        self.bytes.push(tag::ENUM);
        self.str(name);
    }

    /// The header of a list of `len` items.
    pub fn list(&mut self, len: usize) {
        self.bytes.push(tag::LIST);
        self.u32(len);
    }

    /// The header of a set of `len` items.
    pub fn set(&mut self, len: usize) {
        self.bytes.push(tag::SET);
        self.u32(len);
    }

    /// The header of a record of `len` fields.
    pub fn record(&mut self, len: usize) {
        self.bytes.push(tag::RECORD);
        self.u32(len);
    }

    /// The name of the record field whose value comes next.
    pub fn field(&mut self, name: &str) {
        self.str(name);
    }

    fn str(&mut self, s: &str) {
        self.u32(s.len());
        self.bytes.extend_from_slice(s.as_bytes());
    }

    fn u32(&mut self, n: usize) {
        // Texts and lists of values are far below 4 GiB: a plugin's memory is capped well under.
        let n = u32::try_from(n).unwrap_or(u32::MAX);
        self.bytes.extend_from_slice(&n.to_le_bytes());
    }
}

/// The most bytes of encoded arguments carried by value (`inline-args` in the interface).
pub const INLINE_BYTES: usize = 32;

/// `bytes` as the four little-endian words of `inline-args`, if they fit.
pub fn pack_inline(bytes: &[u8]) -> Option<[u64; 4]> {
    if bytes.len() > INLINE_BYTES {
        return None;
    }
    let mut padded = [0u8; INLINE_BYTES];
    padded[..bytes.len()].copy_from_slice(bytes);
    let mut words = [0u64; 4];
    for (word, chunk) in words.iter_mut().zip(padded.chunks_exact(8)) {
        let mut b = [0u8; 8];
        b.copy_from_slice(chunk);
        *word = u64::from_le_bytes(b);
    }
    Some(words)
}

/// The bytes `inline-args` carries: a buffer and how many of its bytes are used (`len`, at most
/// [`INLINE_BYTES`]).
pub fn unpack_inline(len: u32, words: [u64; 4]) -> ([u8; INLINE_BYTES], usize) {
    // Four word stores (a byte-by-byte array would be 64 instructions in WebAssembly).
    let mut bytes = [0u8; INLINE_BYTES];
    bytes[..8].copy_from_slice(&words[0].to_le_bytes());
    bytes[8..16].copy_from_slice(&words[1].to_le_bytes());
    bytes[16..24].copy_from_slice(&words[2].to_le_bytes());
    bytes[24..].copy_from_slice(&words[3].to_le_bytes());
    (bytes, (len as usize).min(INLINE_BYTES))
}

/// A value that is not a list, set or record, borrowing its text from the buffer.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Scalar<'a> {
    /// `none`.
    Absent,
    /// A `bool`.
    Bool(bool),
    /// An `int`.
    Int(i64),
    /// A `decimal`.
    Decimal(f64),
    /// A `text`.
    Text(&'a str),
    /// A `date`, as the ISO text sent (not checked: the receiver parses it).
    Date(&'a str),
    /// A `duration`.
    Duration(i64, Unit),
    /// An enum case, by name.
    Enum(&'a str),
}

/// What a receiver builds values with: [`decode_value`] and [`decode_args`] walk the buffer and
/// call these, children first.
pub trait Build: Sized {
    /// A scalar value; `Err` refuses it (a date that does not parse, say).
    fn scalar(scalar: Scalar<'_>) -> Result<Self, String>;
    /// A list of items.
    fn list(items: Vec<Self>) -> Self;
    /// A set of items.
    fn set(items: Vec<Self>) -> Self;
    /// A record, its fields in the order sent; `Err` refuses it (a field named twice, say).
    fn record(fields: Vec<(&str, Self)>) -> Result<Self, String>;
}

/// How much a decoder accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Values in all (every item of a list counts).
    pub values: usize,
    /// Nesting of lists, sets and records.
    pub depth: usize,
}

impl Default for Limits {
    /// 100 000 values, 64 levels.
    fn default() -> Limits {
        Limits {
            values: 100_000,
            depth: 64,
        }
    }
}

/// Why a buffer could not be decoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeError {
    /// Where, in bytes from the start.
    pub offset: usize,
    /// What is wrong (English).
    pub message: String,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (byte {})", self.message, self.offset)
    }
}

impl std::error::Error for DecodeError {}

/// Decodes one value (a result) that must fill `bytes`.
pub fn decode_value<B: Build>(bytes: &[u8], limits: Limits) -> Result<B, DecodeError> {
    let mut reader = Reader::new(bytes, limits);
    let value = reader.value(0)?;
    reader.finish()?;
    Ok(value)
}

/// Decodes the arguments of a call (`count`, then each value), which must fill `bytes`.
pub fn decode_args<B: Build>(bytes: &[u8], limits: Limits) -> Result<Vec<B>, DecodeError> {
    let mut reader = Reader::new(bytes, limits);
    let count = reader.count(1)?;
    let mut args = Vec::with_capacity(count);
    for _ in 0..count {
        args.push(reader.value(0)?);
    }
    reader.finish()?;
    Ok(args)
}

pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    pub(crate) pos: usize,
    limits: Limits,
    values: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(bytes: &'a [u8], limits: Limits) -> Reader<'a> {
        Reader::at(bytes, 0, limits)
    }

    pub(crate) fn at(bytes: &'a [u8], pos: usize, limits: Limits) -> Reader<'a> {
        Reader {
            bytes,
            pos,
            limits,
            values: 0,
        }
    }

    fn error(&self, message: impl Into<String>) -> DecodeError {
        DecodeError {
            offset: self.pos,
            message: message.into(),
        }
    }

    pub(crate) fn finish(&self) -> Result<(), DecodeError> {
        match self.bytes.len() - self.pos {
            0 => Ok(()),
            left => Err(self.error(format!("{left} bytes follow the end of the value"))),
        }
    }

    pub(crate) fn take<const N: usize>(&mut self) -> Result<[u8; N], DecodeError> {
        let bytes = self
            .bytes
            .get(self.pos..self.pos + N)
            .ok_or_else(|| self.error("the value is cut short"))?;
        self.pos += N;
        Ok(bytes.try_into().unwrap_or([0; N]))
    }

    /// A count of things that each take at least `min_size` bytes: never more than fit in what
    /// is left, so that a forged count cannot make the receiver reserve memory.
    pub(crate) fn count(&mut self, min_size: usize) -> Result<usize, DecodeError> {
        let n = u32::from_le_bytes(self.take()?) as usize;
        let left = self.bytes.len() - self.pos;
        if n.saturating_mul(min_size) > left {
            return Err(self.error(format!(
                "{n} items announced, but only {left} bytes are left"
            )));
        }
        Ok(n)
    }

    pub(crate) fn str(&mut self) -> Result<&'a str, DecodeError> {
        let len = self.count(1)?;
        let start = self.pos;
        let bytes = &self.bytes[start..start + len];
        self.pos += len;
        std::str::from_utf8(bytes).map_err(|_| DecodeError {
            offset: start,
            message: "a text is not UTF-8".into(),
        })
    }

    pub(crate) fn value<B: Build>(&mut self, depth: usize) -> Result<B, DecodeError> {
        self.values += 1;
        if self.values > self.limits.values {
            return Err(self.error(format!(
                "more than {} values, the most allowed",
                self.limits.values
            )));
        }
        let at = self.pos;
        let [tag] = self.take()?;
        if matches!(tag, tag::LIST | tag::SET | tag::RECORD) {
            return self.compound(tag, depth);
        }
        let scalar = self.scalar(tag, at)?;
        B::scalar(scalar).map_err(|message| DecodeError {
            offset: at,
            message,
        })
    }

    /// The payload of a scalar whose tag (at `at`) was just read.
    pub(crate) fn scalar(&mut self, tag: u8, at: usize) -> Result<Scalar<'a>, DecodeError> {
        Ok(match tag {
            tag::ABSENT => Scalar::Absent,
            tag::FALSE => Scalar::Bool(false),
            tag::TRUE => Scalar::Bool(true),
            tag::INT => Scalar::Int(i64::from_le_bytes(self.take()?)),
            tag::DECIMAL => Scalar::Decimal(f64::from_bits(u64::from_le_bytes(self.take()?))),
            tag::TEXT => Scalar::Text(self.str()?),
            tag::DATE => Scalar::Date(self.str()?),
            tag::DURATION => {
                let amount = i64::from_le_bytes(self.take()?);
                let [unit] = self.take()?;
                let unit = Unit::from_byte(unit)
                    .ok_or_else(|| self.error(format!("{unit} is not a duration unit")))?;
                Scalar::Duration(amount, unit)
            }
            tag::ENUM => Scalar::Enum(self.str()?),
            other => {
                return Err(DecodeError {
                    offset: at,
                    message: format!("{other} is not a value tag"),
                });
            }
        })
    }

    fn compound<B: Build>(&mut self, tag: u8, depth: usize) -> Result<B, DecodeError> {
        let at = self.pos - 1;
        if depth >= self.limits.depth {
            return Err(self.error(format!(
                "values nest deeper than {} levels",
                self.limits.depth
            )));
        }
        if tag == tag::RECORD {
            // A field is at least its name's length and a value's tag.
            let n = self.count(5)?;
            let mut fields = Vec::with_capacity(n);
            for _ in 0..n {
                let name = self.str()?;
                fields.push((name, self.value(depth + 1)?));
            }
            return B::record(fields).map_err(|message| DecodeError {
                offset: at,
                message,
            });
        }
        let n = self.count(1)?;
        let mut items = Vec::with_capacity(n);
        for _ in 0..n {
            items.push(self.value(depth + 1)?);
        }
        Ok(if tag == tag::LIST {
            B::list(items)
        } else {
            B::set(items)
        })
    }
}

#[cfg(test)]
mod tests;
