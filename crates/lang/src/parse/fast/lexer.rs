//! Tokens, read on demand: the grammar's atomic rules (`ident`, keywords, `string`, `int`,
//! `number`, `date`, `decimal`) and literal punctuation, each after pest's implicit whitespace
//! (blanks, `//` and `/* */` comments). Keywords are not reserved in this language (a step may be
//! called `step`), so a keyword is simply a word: `kw_x` matches exactly when the maximal run of
//! identifier characters at the cursor is `x`.

use super::Parser;
use crate::parse::expr::skip_blank;
use crate::syntax::{Ident, Str, Unit};

/// Words that cannot name anything (the grammar's `reserved`).
const RESERVED: [&[u8]; 12] = [
    b"and", b"or", b"not", b"in", b"implies", b"where", b"for", b"true", b"false", b"none",
    b"today", b"expect",
];

fn is_ident_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

impl<'t> Parser<'t> {
    /// Skips pest's implicit whitespace.
    pub(super) fn skip(&mut self) {
        self.pos = skip_blank(self.text, self.pos);
    }

    /// Consumes `len` bytes at the cursor as one token.
    pub(super) fn consume(&mut self, len: usize) {
        self.pos += len;
        self.last = self.pos;
    }

    /// The run of identifier characters starting at `at` (possibly empty).
    pub(super) fn word_at(&self, at: usize) -> &'t [u8] {
        let bytes: &'t [u8] = self.bytes;
        let rest = bytes.get(at..).unwrap_or_default();
        let len = rest
            .iter()
            .position(|&b| !is_ident_char(b))
            .unwrap_or(rest.len());
        &rest[..len]
    }

    /// The word at the cursor, after whitespace; not consumed.
    pub(super) fn peek_word(&mut self) -> &'t [u8] {
        self.skip();
        let bytes: &'t [u8] = self.bytes;
        if self.peeked.0 == self.pos {
            return &bytes[self.pos..self.pos + self.peeked.1];
        }
        let word = self.word_at(self.pos);
        self.peeked = (self.pos, word.len());
        word
    }

    /// The word after the one at the cursor (and the whitespace after it); nothing consumed.
    pub(super) fn peek_second_word(&mut self) -> &'t [u8] {
        let first = self.peek_word().len();
        let at = skip_blank(self.text, self.pos + first);
        self.word_at(at)
    }

    /// Whether the keyword `kw` is at the cursor.
    pub(super) fn at_kw(&mut self, kw: &str) -> bool {
        self.peek_word() == kw.as_bytes()
    }

    /// Consumes the keyword `kw` if it is at the cursor.
    pub(super) fn eat_kw(&mut self, kw: &str) -> bool {
        let found = self.at_kw(kw);
        if found {
            self.consume(kw.len());
        }
        found
    }

    /// Consumes the keyword `kw`, or gives up.
    pub(super) fn kw(&mut self, kw: &str) -> Option<()> {
        self.eat_kw(kw).then_some(())
    }

    /// Consumes any keyword (word) at the cursor and returns where it starts.
    pub(super) fn take_word(&mut self) -> usize {
        let len = self.peek_word().len();
        let start = self.pos;
        self.consume(len);
        start
    }

    /// Whether the punctuation `p` follows the word at the cursor (and whitespace).
    pub(super) fn punct_after_word(&mut self, p: &str) -> bool {
        let len = self.peek_word().len();
        let at = skip_blank(self.text, self.pos + len);
        self.bytes[at..].starts_with(p.as_bytes())
    }

    /// Whether an `ident` follows the punctuation `p` at the cursor (and whitespace).
    pub(super) fn ident_after_punct(&mut self, p: &str) -> bool {
        if !self.at(p) {
            return false;
        }
        let at = skip_blank(self.text, self.pos + p.len());
        Self::is_ident(self.word_at(at))
    }

    /// Whether the punctuation `p` is at the cursor.
    pub(super) fn at(&mut self, p: &str) -> bool {
        self.skip();
        self.bytes[self.pos..].starts_with(p.as_bytes())
    }

    /// Consumes the punctuation `p` if it is at the cursor.
    pub(super) fn eat(&mut self, p: &str) -> bool {
        let found = self.at(p);
        if found {
            self.consume(p.len());
        }
        found
    }

    /// Consumes the punctuation `p`, or gives up.
    pub(super) fn punct(&mut self, p: &str) -> Option<()> {
        self.eat(p).then_some(())
    }

    /// Whether `word` matches the grammar's `ident` (a letter or `_` first, not reserved).
    pub(super) fn is_ident(word: &[u8]) -> bool {
        word.first()
            .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_')
            && !RESERVED.contains(&word)
    }

    /// Whether an `ident` is at the cursor.
    pub(super) fn at_ident(&mut self) -> bool {
        Self::is_ident(self.peek_word())
    }

    /// Consumes an `ident`, or gives up.
    pub(super) fn ident(&mut self) -> Option<Ident> {
        let word = self.peek_word();
        if !Self::is_ident(word) {
            return None;
        }
        let start = self.pos;
        self.consume(word.len());
        Some(Ident {
            name: self.text[start..self.pos].to_owned(),
            span: self.tight(start),
        })
    }

    /// Consumes a `string` and unescapes it; gives up on an unknown escape (pest's builder
    /// reports it) or an unterminated string.
    pub(super) fn string(&mut self) -> Option<Str> {
        if !self.at("\"") {
            return None;
        }
        let start = self.pos;
        let body = start + 1;
        let mut at = body;
        let mut value: Option<String> = None;
        let mut copied = body;
        loop {
            // Straight to the next quote or backslash (a vectorised search: labels, messages and
            // sources are much of the text).
            at += memchr::memchr2(b'"', b'\\', self.bytes.get(at..)?)?;
            match self.bytes[at] {
                b'"' => break,
                _ => {
                    let unescaped = match self.bytes.get(at + 1)? {
                        b'n' => '\n',
                        b't' => '\t',
                        b'"' => '"',
                        b'\\' => '\\',
                        _ => return None,
                    };
                    let v = value.get_or_insert_with(String::new);
                    v.push_str(&self.text[copied..at]);
                    v.push(unescaped);
                    at += 2;
                    copied = at;
                }
            }
        }
        let value = match value {
            None => self.text[body..at].to_owned(),
            Some(mut v) => {
                v.push_str(&self.text[copied..at]);
                v
            }
        };
        self.consume(at + 1 - start);
        Some(Str {
            value,
            span: self.tight(start),
        })
    }

    /// Length of the grammar's `int` (a digit, then digits and `_`) at `at`, 0 if none.
    pub(super) fn int_len(&self, at: usize) -> usize {
        match self.bytes.get(at) {
            Some(b) if b.is_ascii_digit() => self.bytes[at..]
                .iter()
                .position(|b| !(b.is_ascii_digit() || *b == b'_'))
                .unwrap_or(self.bytes.len() - at),
            _ => 0,
        }
    }

    /// Length of a run of ASCII digits at `at`.
    pub(super) fn digits_len(&self, at: usize) -> usize {
        self.bytes
            .get(at..)
            .unwrap_or_default()
            .iter()
            .position(|b| !b.is_ascii_digit())
            .unwrap_or(self.bytes.len().saturating_sub(at))
    }

    /// Consumes an `int` and returns its value; gives up if there is none or it does not fit in
    /// 64 bits (pest's builder reports that).
    pub(super) fn int(&mut self) -> Option<(i64, usize)> {
        self.skip();
        let len = self.int_len(self.pos);
        if len == 0 {
            return None;
        }
        let start = self.pos;
        self.consume(len);
        let text = &self.text[start..self.pos];
        let value = if text.contains('_') {
            text.chars()
                .filter(|c| *c != '_')
                .collect::<String>()
                .parse()
        } else {
            text.parse()
        };
        Some((value.ok()?, start))
    }

    /// An `int` used as a duration amount, which must fit in 32 bits.
    pub(super) fn small_int(&mut self) -> Option<u32> {
        let (value, _) = self.int()?;
        u32::try_from(value).ok()
    }

    /// The `unit` at `at` (after whitespace), with where it ends; nothing consumed.
    pub(super) fn unit_at(&self, at: usize) -> Option<(Unit, usize)> {
        let at = skip_blank(self.text, at);
        let word = self.word_at(at);
        let unit = match word {
            b"working" => {
                let next = skip_blank(self.text, at + word.len());
                let days = self.word_at(next);
                return (days == b"days").then_some((Unit::WorkingDays, next + days.len()));
            }
            b"days" | b"day" => Unit::Days,
            b"weeks" | b"week" => Unit::Weeks,
            b"months" | b"month" => Unit::Months,
            b"years" | b"year" => Unit::Years,
            _ => return None,
        };
        Some((unit, at + word.len()))
    }

    /// Consumes a `unit`, or gives up.
    pub(super) fn unit(&mut self) -> Option<Unit> {
        let (unit, end) = self.unit_at(self.pos)?;
        self.pos = end;
        self.last = end;
        Some(unit)
    }
}
