//! Token dictionaries in libFuzzer's `-dict` format (`fuzz/dicts/`): one quoted token per line,
//! `\\`, `\"` and `\xHH` escapes, `#` comments. The suite's mutations insert the same tokens.

/// A dictionary file of the repository, read at compile time.
#[derive(Clone, Copy)]
pub struct Dict {
    /// Its path from the repository root (what `fuzz/run` passes as `-dict`).
    pub path: &'static str,
    text: &'static str,
}

impl Dict {
    /// Keywords, punctuation and literals of the rules language.
    pub const RULES: Dict = Dict {
        path: "fuzz/dicts/rules.dict",
        text: include_str!("../../../fuzz/dicts/rules.dict"),
    };
    /// Tags, counts and lengths of the plugin value encoding (`cpts-plugin-wire`).
    pub const VALUES: Dict = Dict {
        path: "fuzz/dicts/values.dict",
        text: include_str!("../../../fuzz/dicts/values.dict"),
    };
    /// TOML syntax and the keys and values of project files.
    pub const PROJECT: Dict = Dict {
        path: "fuzz/dicts/project.dict",
        text: include_str!("../../../fuzz/dicts/project.dict"),
    };

    /// The tokens, unescaped. A line that is not a quoted token is skipped.
    pub fn tokens(&self) -> Vec<Vec<u8>> {
        self.text.lines().filter_map(token).collect()
    }
}

/// The token of one line: `name="value"` or `"value"`.
fn token(line: &str) -> Option<Vec<u8>> {
    let line = line.trim();
    if line.starts_with('#') {
        return None;
    }
    let quoted = &line[line.find('"')?..];
    let inner = quoted.strip_prefix('"')?.strip_suffix('"')?.as_bytes();
    let mut out = Vec::with_capacity(inner.len());
    let mut i = 0;
    while i < inner.len() {
        match (inner[i], inner.get(i + 1)) {
            (b'\\', Some(b'x')) => {
                let hex = std::str::from_utf8(inner.get(i + 2..i + 4)?).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 4;
            }
            (b'\\', Some(&c)) => {
                out.push(c);
                i += 2;
            }
            (c, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_are_read() {
        assert_eq!(token(r#"kw="a\"b\\c\x0A""#), Some(b"a\"b\\c\n".to_vec()));
        assert_eq!(token("# comment"), None);
        assert_eq!(token(""), None);
    }

    #[test]
    fn every_line_of_the_dictionaries_is_a_token() {
        for dict in [Dict::RULES, Dict::PROJECT] {
            let lines = dict
                .text
                .lines()
                .filter(|l| !l.trim().is_empty() && !l.trim().starts_with('#'))
                .count();
            assert_eq!(dict.tokens().len(), lines, "{}", dict.path);
        }
    }
}
