//! Finds the line and column of a JSON pointer in source text, so schema
//! errors can say `file.avsc:12:5` although the parser works on `serde_json`
//! values. Only called on the error path.

/// 1-based (line, column) of the value at `pointer` (`/fields/1/type`), or of
/// the deepest ancestor that could be found.
pub(crate) fn position(text: &str, pointer: &str) -> (usize, usize) {
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
    line_col(text, pos)
}

fn line_col(text: &str, pos: usize) -> (usize, usize) {
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
}
