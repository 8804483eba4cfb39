//! Comments are not in the syntax tree (the grammar skips them with the blanks), so the formatter
//! finds them again in the text: a scan that knows only strings, blanks and the two comment forms,
//! which is all it takes on a text that parses.

use crate::parse::skip_blank;

/// Where a comment sits on its line in the source, which decides where the formatter puts it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Place {
    /// Nothing but blanks before it on its line: it gets a line of its own, before what follows.
    OwnLine,
    /// After code on its line and before the end of the line: it stays at the end of the line.
    Trailing,
    /// A one-line `/* */` with code after it on its line: it stays between the tokens.
    Inline,
}

/// One comment of the source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Comment {
    /// First byte (the `/`).
    pub(crate) start: usize,
    /// One past the last byte (the `*/`, or the last byte before the end of the line).
    pub(crate) end: usize,
    /// Where it sits on its line.
    pub(crate) place: Place,
}

impl Comment {
    /// Its text, each line without trailing blanks (a `\r` of a Windows line end included).
    pub(crate) fn lines<'s>(&self, text: &'s str) -> impl Iterator<Item = &'s str> {
        text[self.start..self.end].split('\n').map(str::trim_end)
    }

    /// Whether it spans several lines (a `/* */` with line breaks inside).
    pub(crate) fn is_multiline(&self, text: &str) -> bool {
        text[self.start..self.end].contains('\n')
    }
}

/// The blanks of the grammar (`WHITESPACE` in `grammar.pest`).
fn is_blank(byte: u8) -> bool {
    matches!(byte, b' ' | b'\n' | b'\t' | b'\r')
}

/// Every comment of `text`, in order. On a text that does not parse the result is still a list of
/// ranges on character boundaries (an unterminated string or `/*` runs to the end).
pub(crate) fn scan(text: &str) -> Vec<Comment> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut code_on_line = false;
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'\n' => {
                code_on_line = false;
                at += 1;
            }
            b'"' => {
                code_on_line = true;
                at += 1;
                while at < bytes.len() {
                    match bytes[at] {
                        b'\\' => at += 2,
                        b'"' => {
                            at += 1;
                            break;
                        }
                        _ => at += 1,
                    }
                }
            }
            b'/' if matches!(bytes.get(at + 1), Some(b'/' | b'*')) => {
                let end = if bytes[at + 1] == b'/' {
                    text[at..].find('\n').map_or(text.len(), |n| at + n)
                } else {
                    text[at + 2..]
                        .find("*/")
                        .map_or(text.len(), |n| at + 2 + n + 2)
                };
                let multiline = text[at..end].contains('\n');
                let block = bytes[at + 1] == b'*';
                let place = if block && !multiline && code_follows(bytes, end) {
                    Place::Inline
                } else if code_on_line {
                    Place::Trailing
                } else {
                    Place::OwnLine
                };
                found.push(Comment {
                    start: at,
                    end,
                    place,
                });
                // After a comment over several lines, the line it ends on has no code yet.
                code_on_line &= !multiline;
                at = end;
            }
            byte => {
                code_on_line |= !is_blank(byte);
                at += 1;
            }
        }
    }
    found
}

/// Whether code (not the end of the line) follows `at` on its line, after blanks and one-line
/// `/* */` comments (which then sit between tokens as well).
fn code_follows(bytes: &[u8], mut at: usize) -> bool {
    loop {
        while at < bytes.len() && matches!(bytes[at], b' ' | b'\t' | b'\r') {
            at += 1;
        }
        match (bytes.get(at), bytes.get(at + 1)) {
            (None | Some(b'\n'), _) | (Some(b'/'), Some(b'/')) => return false,
            (Some(b'/'), Some(b'*')) => {
                let rest = &bytes[at + 2..];
                let Some(close) = rest.windows(2).position(|w| w == b"*/") else {
                    return false;
                };
                if rest[..close].contains(&b'\n') {
                    return false;
                }
                at += 2 + close + 2;
            }
            _ => return true,
        }
    }
}

/// The first byte at or after `at` that is neither a blank, a comment nor a comma: where the
/// closing bracket that ends a list is, in a text that parses.
pub(crate) fn next_token(text: &str, mut at: usize) -> usize {
    loop {
        at = skip_blank(text, at);
        if text.as_bytes().get(at) != Some(&b',') {
            return at;
        }
        at += 1;
    }
}

/// Where the comma after `at` is, if the next token is one.
pub(crate) fn comma_after(text: &str, at: usize) -> Option<usize> {
    let at = skip_blank(text, at);
    (text.as_bytes().get(at) == Some(&b',')).then_some(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn places(text: &str) -> Vec<(&str, Place)> {
        scan(text)
            .into_iter()
            .map(|c| (&text[c.start..c.end], c.place))
            .collect()
    }

    #[test]
    fn strings_hide_comment_markers() {
        let text = "x \"a // b /* c\" // d\n\"\\\"//\" /* e */";
        assert_eq!(
            places(text),
            [("// d", Place::Trailing), ("/* e */", Place::Trailing)]
        );
    }

    #[test]
    fn places_follow_the_line() {
        let text =
            "// a\n  /* b */ x /* c */ y // d\n/* e\n f */ z /* g */ // h\n/* i */ /* j */ k";
        assert_eq!(
            places(text),
            [
                ("// a", Place::OwnLine),
                ("/* b */", Place::Inline),
                ("/* c */", Place::Inline),
                ("// d", Place::Trailing),
                ("/* e\n f */", Place::OwnLine),
                ("/* g */", Place::Trailing),
                ("// h", Place::Trailing),
                ("/* i */", Place::Inline),
                ("/* j */", Place::Inline),
            ]
        );
    }

    #[test]
    fn unterminated_forms_run_to_the_end() {
        assert_eq!(places("x /* a"), [("/* a", Place::Trailing)]);
        assert_eq!(places("\"abc // d"), []);
        assert_eq!(places("a // é"), [("// é", Place::Trailing)]);
    }

    #[test]
    fn next_token_skips_blanks_commas_and_comments() {
        let text = "a , // x\n /* y */ }";
        assert_eq!(next_token(text, 1), text.len() - 1);
    }
}
