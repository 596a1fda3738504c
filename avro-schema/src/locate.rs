//! Finds the line, column and byte span of a JSON pointer in source text, so
//! schema errors can say `file.avsc:12:5` (and a renderer can underline the
//! value) although the parser works on `serde_json` values. Only called on
//! the error path.

/// 1-based (line, column) of the value at `pointer` (`/fields/1/type`), or of
/// the deepest ancestor that could be found.
pub(crate) fn position(text: &str, pointer: &str) -> (usize, usize) {
    line_col(text, span(text, pointer).start)
}

/// Byte range of the value at `pointer`, or of the deepest ancestor that
/// could be found. An object or array that spans several lines is
/// represented by its opening bracket alone (underlining a whole record
/// says nothing).
pub(crate) fn span(text: &str, pointer: &str) -> std::ops::Range<usize> {
    let segments: Vec<String> = pointer
        .split('/')
        .skip(1)
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect();
    let bytes = text.as_bytes();
    let mut pos = skip_ws(bytes, 0);
    for seg in &segments {
        match find_child(bytes, pos, seg) {
            Some(p) => pos = p,
            None => break,
        }
    }
    let end = skip_value(bytes, pos).unwrap_or(pos).min(text.len());
    let pos = pos.min(text.len());
    if matches!(bytes.get(pos), Some(b'{' | b'[')) && text[pos..end].contains('\n') {
        return pos..pos + 1;
    }
    pos..end
}

/// Byte offset of a 1-based line and column (in characters; column 0 is the
/// line's start), as serde_json reports errors.
pub(crate) fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let rest = &text[start.min(text.len())..];
    start
        + rest
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(rest.len(), |(i, _)| i)
}

/// 1-based (line, column in characters) of byte offset `pos`.
pub(crate) fn line_col(text: &str, pos: usize) -> (usize, usize) {
    let before = &text[..pos.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\n' | b'\r') {
        i += 1;
    }
    i
}

/// End of the string starting at `i` (which holds `"`), past the closing quote.
fn skip_string(b: &[u8], mut i: usize) -> Option<usize> {
    i += 1;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

/// End of the value starting at `i`.
fn skip_value(b: &[u8], i: usize) -> Option<usize> {
    match *b.get(i)? {
        b'"' => skip_string(b, i),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut j = i;
            while j < b.len() {
                match b[j] {
                    b'"' => {
                        j = skip_string(b, j)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(j + 1);
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            None
        }
        _ => {
            let mut j = i;
            while j < b.len() && !matches!(b[j], b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t')
            {
                j += 1;
            }
            Some(j)
        }
    }
}

/// Start of the child `seg` (an object key or an array index) of the value at `i`.
fn find_child(b: &[u8], i: usize, seg: &str) -> Option<usize> {
    match *b.get(i)? {
        b'{' => {
            let mut j = skip_ws(b, i + 1);
            while j < b.len() && b[j] == b'"' {
                let key_end = skip_string(b, j)?;
                let key: String = serde_json::from_slice(&b[j..key_end]).ok()?;
                j = skip_ws(b, key_end);
                if b.get(j) != Some(&b':') {
                    return None;
                }
                j = skip_ws(b, j + 1);
                if key == seg {
                    return Some(j);
                }
                j = skip_ws(b, skip_value(b, j)?);
                if b.get(j) == Some(&b',') {
                    j = skip_ws(b, j + 1);
                }
            }
            None
        }
        b'[' => {
            let want: usize = seg.parse().ok()?;
            let mut j = skip_ws(b, i + 1);
            for _ in 0..want {
                j = skip_ws(b, skip_value(b, j)?);
                if b.get(j) != Some(&b',') {
                    return None;
                }
                j = skip_ws(b, j + 1);
            }
            Some(j)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::position;

    #[test]
    fn finds_nested_values() {
        let text = "{\n  \"type\": \"record\",\n  \"fields\": [\n    {\"name\": \"a\", \"type\": \"int\"},\n    {\"name\": \"b\", \"type\": \"panther\"}\n  ]\n}";
        assert_eq!(position(text, ""), (1, 1));
        assert_eq!(position(text, "/type"), (2, 11));
        assert_eq!(position(text, "/fields/1/type"), (5, 27));
        // Unknown pointer: the deepest ancestor found.
        assert_eq!(position(text, "/fields/7/type"), (3, 13));
    }

    #[test]
    fn spans_cover_the_value_or_a_multi_line_opening_bracket() {
        let text = "{\n  \"type\": \"record\",\n  \"fields\": [\n    {\"name\": \"a\", \"type\": \"int\"}\n  ]\n}";
        assert_eq!(&text[super::span(text, "/type")], "\"record\"");
        assert_eq!(
            &text[super::span(text, "/fields/0")],
            "{\"name\": \"a\", \"type\": \"int\"}"
        );
        assert_eq!(&text[super::span(text, "/fields")], "[");
        assert_eq!(&text[super::span(text, "")], "{");
        let at = super::offset_of(text, 2, 3);
        assert_eq!(&text[at..at + 6], "\"type\"");
    }
}
