//! Recovery from syntax errors: the top-level item holding the error is blanked out (replaced by
//! spaces, newlines kept so that every other span stays valid) and parsing starts again.
//! Top-level items are recognised by their keyword at the start of a line, which is how every
//! rules file is laid out; an error exactly at an item's start belongs to the item before it
//! (typically a missing `}`).

const ITEM_KEYWORDS: &[&str] = &["import", "enum", "record", "workflow", "region"];

/// Byte offsets of lines that start a top-level item.
fn item_starts(text: &str) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        if ITEM_KEYWORDS.iter().any(|kw| {
            line.strip_prefix(kw)
                .is_some_and(|rest| rest.starts_with([' ', '\t', '"']))
        }) {
            starts.push(line_start);
        }
        line_start += line.len();
    }
    starts
}

/// The byte range of the top-level item that holds `offset`.
pub(super) fn item_range(text: &str, offset: usize) -> (usize, usize) {
    let starts = item_starts(text);
    let mut index = starts.iter().rposition(|&s| s <= offset);
    if let Some(i) = index {
        let only_blank_before = text[starts[i]..offset].trim().is_empty();
        if only_blank_before && i > 0 {
            index = Some(i - 1);
        }
    }
    let start = index.map_or(0, |i| starts[i]);
    let end = index
        .and_then(|i| starts.get(i + 1))
        .copied()
        .unwrap_or(text.len());
    (start, end.max(offset.min(text.len())))
}

/// Blanks out the item holding `offset`. Returns false when there was nothing left to blank.
pub(super) fn blank_item_at(text: &mut String, offset: usize) -> bool {
    let (start, end) = item_range(text, offset);
    if text[start..end].trim().is_empty() {
        return false;
    }
    // One space per byte, so that every byte offset in the file keeps its meaning.
    let blanked: String = text[start..end]
        .chars()
        .map(|c| {
            if c == '\n' {
                "\n".to_owned()
            } else {
                " ".repeat(c.len_utf8())
            }
        })
        .collect();
    text.replace_range(start..end, &blanked);
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_at_next_item_blames_the_previous_one() {
        let text = "enum a { x\nworkflow w \"W\" { }\n";
        let at = text.find("workflow").unwrap();
        assert_eq!(item_range(text, at), (0, at));
    }

    #[test]
    fn blanking_keeps_offsets_and_lines() {
        let mut text = "enum a { é\nworkflow w \"W\" { }\n".to_owned();
        let len = text.len();
        assert!(blank_item_at(&mut text, 9));
        assert_eq!(text.len(), len);
        assert!(text.starts_with("           \nworkflow"));
    }
}
