//! Documentation comment text as Java's `IdlReader` keeps it (its
//! `stripIndents`): trimmed, then a common `*`/`**` column or a common
//! indentation removed from every line.

/// The text of a documentation comment as Java's `IdlReader` keeps it:
/// trimmed, then with a common leading `*` or `**` column, or else a common
/// indentation, removed from every line.
pub(crate) fn doc_text(raw: &str) -> String {
    let text = raw.trim_matches(|c: char| c <= ' ');
    let lines = split_lines(text);
    for stars in ["**", "*"] {
        let all = lines.iter().enumerate().all(|(k, (line, _))| {
            let line = if k == 0 {
                line
            } else {
                line.trim_start_matches(is_h)
            };
            line.starts_with(stars)
        });
        if all {
            let mut out = String::with_capacity(text.len());
            for (k, (line, term)) in lines.iter().enumerate() {
                let line = if k == 0 {
                    line
                } else {
                    line.trim_start_matches(is_h)
                };
                let rest = &line[stars.len()..];
                let rest = rest.strip_prefix(|c: char| is_h(c)).unwrap_or(rest);
                out.push_str(rest);
                out.push_str(term);
            }
            return out;
        }
    }
    if lines.len() >= 2 {
        let second = lines[1].0;
        let run = second.len() - second.trim_start_matches(is_h).len();
        let mut indent = &second[..run];
        // The longest prefix of line 2's indentation that every later line shares.
        for (line, _) in &lines[2..] {
            while !line.starts_with(indent) {
                let mut cs = indent.chars();
                cs.next_back();
                indent = cs.as_str();
            }
        }
        if !indent.is_empty() {
            let mut out = String::with_capacity(text.len());
            for (k, (line, term)) in lines.iter().enumerate() {
                out.push_str(if k == 0 { line } else { &line[indent.len()..] });
                out.push_str(term);
            }
            return out;
        }
    }
    text.to_owned()
}

/// Java's `\h`: horizontal whitespace.
fn is_h(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\u{a0}' | '\u{1680}' | '\u{180e}' | '\u{2000}'
            ..='\u{200a}' | '\u{202f}' | '\u{205f}' | '\u{3000}'
    )
}

/// Lines and their terminators, split at Java's `\R`.
fn split_lines(text: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut it = text.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        let term_len = match c {
            '\r' if matches!(it.peek(), Some((_, '\n'))) => {
                it.next();
                2
            }
            '\n' | '\u{b}' | '\u{c}' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}' => c.len_utf8(),
            _ => continue,
        };
        out.push((&text[start..i], &text[i..i + term_len]));
        start = i + term_len;
    }
    out.push((&text[start..], ""));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_comments_lose_their_star_column_or_common_indent() {
        assert_eq!(doc_text("\n * a\n *   b\n "), "a\n  b");
        assert_eq!(doc_text(" x\n   y\n   z"), "x\ny\nz");
        assert_eq!(doc_text(" x\n   y\n\n   z"), "x\n   y\n\n   z");
        assert_eq!(doc_text(" Documented Enum "), "Documented Enum");
    }
}
