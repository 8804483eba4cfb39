//! Reading a call's arguments in place: checked once by [`index_args`], then read without
//! copying or allocating. A plugin's guard that looks at two texts should not pay for building
//! them.

use crate::{Build, DecodeError, Limits, Reader, Scalar, Unit, tag};

/// How many arguments have their start remembered; later ones are found by skipping.
const REMEMBERED: usize = 4;

/// Where each argument of a checked buffer starts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ArgIndex {
    count: usize,
    /// Small, as it is returned on every call: offsets fit in `u32` (see `Writer`).
    starts: [u32; REMEMBERED],
    depth: usize,
}

/// Checks the structure of a call's arguments (tags, lengths, nesting, nothing left over) and
/// says where each starts. Texts are checked as UTF-8 when they are read, not here: a guard that
/// reads a text checks it once.
pub fn index_args(bytes: &[u8], limits: Limits) -> Result<ArgIndex, DecodeError> {
    // Read directly: this runs on every call a plugin answers.
    let fail = |offset: usize, message: String| DecodeError { offset, message };
    let Some(count) = u32_at(bytes, 0).map(|n| n as usize) else {
        return Err(fail(0, "the value is cut short".into()));
    };
    if count > bytes.len() - 4 {
        return Err(fail(
            4,
            format!(
                "{count} items announced, but only {} bytes are left",
                bytes.len() - 4
            ),
        ));
    }
    let mut index = ArgIndex {
        count,
        starts: [0; REMEMBERED],
        depth: limits.depth,
    };
    let mut pos = 4;
    for i in 0..count {
        if let Some(start) = index.starts.get_mut(i) {
            *start =
                u32::try_from(pos).map_err(|_| fail(pos, "the arguments are too large".into()))?;
        }
        pos = skip(bytes, pos, limits.depth)
            .ok_or_else(|| fail(pos, format!("argument {} does not parse", i + 1)))?;
    }
    if pos != bytes.len() {
        return Err(fail(
            pos,
            format!("{} bytes follow the arguments", bytes.len() - pos),
        ));
    }
    Ok(index)
}

impl ArgIndex {
    /// The number of arguments.
    pub fn len(&self) -> usize {
        self.count
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Argument `i` of `bytes`, the buffer this index was made from.
    pub fn get<'a>(&self, bytes: &'a [u8], i: usize) -> Option<ValueRef<'a>> {
        if i >= self.count {
            return None;
        }
        let at = match self.starts.get(i) {
            Some(&start) => start as usize,
            None => {
                let mut at = self.starts[REMEMBERED - 1] as usize;
                for _ in REMEMBERED - 1..i {
                    at = skip(bytes, at, self.depth)?;
                }
                at
            }
        };
        Some(ValueRef {
            bytes,
            at,
            depth: self.depth,
        })
    }
}

/// The bytes of the text whose length is at `at`, and where it ends.
fn text_at(bytes: &[u8], at: usize) -> Option<(&[u8], usize)> {
    let end = text_end(bytes, at)?;
    Some((&bytes[at + 4..end], end))
}

/// Where the value at `at` ends, found by reading lengths only (the buffer was checked: texts
/// are not validated again). `None` if it does not parse or nests deeper than `depth`.
fn skip(bytes: &[u8], at: usize, depth: usize) -> Option<usize> {
    let end = match *bytes.get(at)? {
        tag::ABSENT | tag::FALSE | tag::TRUE => at + 1,
        tag::INT | tag::DECIMAL => at + 9,
        tag::DURATION => at + 10,
        tag::TEXT | tag::DATE | tag::ENUM => text_end(bytes, at + 1)?,
        tag::LIST | tag::SET => {
            let depth = depth.checked_sub(1)?;
            let mut pos = at + 5;
            for _ in 0..u32_at(bytes, at + 1)? {
                // Texts inline: lists of codes are what arguments mostly are.
                pos = match *bytes.get(pos)? {
                    tag::TEXT | tag::DATE | tag::ENUM => text_end(bytes, pos + 1)?,
                    _ => skip(bytes, pos, depth)?,
                };
            }
            pos
        }
        tag::RECORD => {
            let depth = depth.checked_sub(1)?;
            let mut pos = at + 5;
            for _ in 0..u32_at(bytes, at + 1)? {
                pos = skip(bytes, text_end(bytes, pos)?, depth)?;
            }
            pos
        }
        _ => return None,
    };
    (end <= bytes.len()).then_some(end)
}

/// The `u32` at `at`, little-endian.
fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    let b = bytes.get(at..at + 4)?;
    Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// Where the text whose length is at `at` ends, if it fits.
fn text_end(bytes: &[u8], at: usize) -> Option<usize> {
    let end = (at + 4).checked_add(u32_at(bytes, at)? as usize)?;
    (end <= bytes.len()).then_some(end)
}

fn unlimited(depth: usize) -> Limits {
    Limits {
        values: usize::MAX,
        depth,
    }
}

/// A value inside a checked buffer, read in place. Reading a buffer that was not checked never
/// panics: what does not parse reads as `none` or as no items.
#[derive(Clone, Copy, Debug)]
pub struct ValueRef<'a> {
    bytes: &'a [u8],
    at: usize,
    depth: usize,
}

/// What a [`ValueRef`] is.
#[derive(Clone, Debug)]
pub enum Shape<'a> {
    /// Not a list, set or record.
    Scalar(Scalar<'a>),
    /// A list and its items.
    List(Items<'a>),
    /// A set and its items.
    Set(Items<'a>),
    /// A record and its fields.
    Record(Fields<'a>),
}

impl<'a> ValueRef<'a> {
    /// What the value is.
    pub fn shape(self) -> Shape<'a> {
        // Read directly, not through `Reader`: this is what a guard does for each argument and
        // item, and it cannot fail on a checked buffer (what does not parse reads as `none`).
        let (bytes, at) = (self.bytes, self.at);
        let word = |at: usize| -> Option<[u8; 8]> { bytes.get(at..at + 8)?.try_into().ok() };
        let count = || u32_at(bytes, at + 1).unwrap_or(0) as usize;
        let depth = self.depth.saturating_sub(1);
        let Some(&tag) = bytes.get(at) else {
            return Shape::Scalar(Scalar::Absent);
        };
        let scalar = match tag {
            tag::LIST | tag::SET => {
                let items = Items {
                    bytes,
                    pos: at + 5,
                    left: count(),
                    depth,
                };
                return if tag == tag::LIST {
                    Shape::List(items)
                } else {
                    Shape::Set(items)
                };
            }
            tag::RECORD => {
                return Shape::Record(Fields {
                    bytes,
                    pos: at + 5,
                    left: count(),
                    depth,
                });
            }
            tag::TEXT | tag::DATE | tag::ENUM => {
                // The one place a text is checked as UTF-8 (see `index_args`).
                let text = text_at(bytes, at + 1).and_then(|(t, _)| std::str::from_utf8(t).ok());
                match (tag, text) {
                    (_, None) => None,
                    (tag::TEXT, Some(s)) => Some(Scalar::Text(s)),
                    (tag::DATE, Some(s)) => Some(Scalar::Date(s)),
                    (_, Some(s)) => Some(Scalar::Enum(s)),
                }
            }
            tag::FALSE => Some(Scalar::Bool(false)),
            tag::TRUE => Some(Scalar::Bool(true)),
            tag::INT => word(at + 1).map(|w| Scalar::Int(i64::from_le_bytes(w))),
            tag::DECIMAL => {
                word(at + 1).map(|w| Scalar::Decimal(f64::from_bits(u64::from_le_bytes(w))))
            }
            tag::DURATION => word(at + 1).and_then(|w| {
                let unit = Unit::from_byte(*bytes.get(at + 9)?)?;
                Some(Scalar::Duration(i64::from_le_bytes(w), unit))
            }),
            _ => None,
        };
        Shape::Scalar(scalar.unwrap_or(Scalar::Absent))
    }

    /// The text, if the value is a text, an enum case or a date (what a guard reads most; no
    /// [`Shape`] built).
    pub fn as_text(self) -> Option<&'a str> {
        match *self.bytes.get(self.at)? {
            tag::TEXT | tag::DATE | tag::ENUM => {
                std::str::from_utf8(text_at(self.bytes, self.at + 1)?.0).ok()
            }
            _ => None,
        }
    }

    /// The items, if the value is a list or a set.
    pub fn items(self) -> Option<Items<'a>> {
        match *self.bytes.get(self.at)? {
            tag::LIST | tag::SET => Some(Items {
                bytes: self.bytes,
                pos: self.at + 5,
                left: u32_at(self.bytes, self.at + 1)? as usize,
                depth: self.depth.saturating_sub(1),
            }),
            _ => None,
        }
    }

    /// The value built as a `B` (a copy), as [`crate::decode_value`] would.
    pub fn build<B: Build>(self) -> Result<B, DecodeError> {
        Reader::at(self.bytes, self.at, unlimited(self.depth)).value(0)
    }
}

/// The items of a list or set, in order.
#[derive(Clone, Debug)]
pub struct Items<'a> {
    bytes: &'a [u8],
    pos: usize,
    left: usize,
    depth: usize,
}

impl<'a> Iterator for Items<'a> {
    type Item = ValueRef<'a>;

    fn next(&mut self) -> Option<ValueRef<'a>> {
        if self.left == 0 {
            return None;
        }
        let item = ValueRef {
            bytes: self.bytes,
            at: self.pos,
            depth: self.depth,
        };
        match skip(self.bytes, self.pos, self.depth) {
            Some(end) => {
                self.pos = end;
                self.left -= 1;
                Some(item)
            }
            None => {
                self.left = 0;
                None
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, Some(self.left))
    }
}

impl<'a> Items<'a> {
    /// The next item as a text (or enum case, or date), read once: `Err` with the item when it
    /// is something else. What a guard looking through a list of codes does for each.
    pub fn next_text(&mut self) -> Option<Result<&'a str, ValueRef<'a>>> {
        if self.left == 0 {
            return None;
        }
        if let Some(&(tag::TEXT | tag::DATE | tag::ENUM)) = self.bytes.get(self.pos) {
            let text = text_at(self.bytes, self.pos + 1)
                .and_then(|(t, end)| Some((std::str::from_utf8(t).ok()?, end)));
            if let Some((text, end)) = text {
                self.pos = end;
                self.left -= 1;
                return Some(Ok(text));
            }
        }
        self.next().map(Err)
    }
}

/// The fields of a record, in the order sent: name and value.
#[derive(Clone, Debug)]
pub struct Fields<'a> {
    bytes: &'a [u8],
    pos: usize,
    left: usize,
    depth: usize,
}

impl<'a> Iterator for Fields<'a> {
    type Item = (&'a str, ValueRef<'a>);

    fn next(&mut self) -> Option<(&'a str, ValueRef<'a>)> {
        if self.left == 0 {
            return None;
        }
        let mut reader = Reader::at(self.bytes, self.pos, unlimited(self.depth));
        let field = reader.str().ok().and_then(|name| {
            let value = ValueRef {
                bytes: self.bytes,
                at: reader.pos,
                depth: self.depth,
            };
            Some((name, value, skip(self.bytes, reader.pos, self.depth)?))
        });
        match field {
            Some((name, value, end)) => {
                self.pos = end;
                self.left -= 1;
                Some((name, value))
            }
            None => {
                self.left = 0;
                None
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, Some(self.left))
    }
}
