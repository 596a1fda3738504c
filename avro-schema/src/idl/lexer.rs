//! The IDL lexer: source text → significant tokens, with documentation
//! comments kept aside (they attach to declarations in the parser, as the
//! ANTLR grammar's hidden channel does in Java).
//!
//! Follows `Idl.g4`'s lexer rules: identifiers are dotted or dashed runs of
//! Unicode identifier parts, each optionally in backquotes; a keyword is an
//! identifier whose whole unquoted text is that keyword; numbers and strings
//! are Java literals (hex and octal integers, `L` suffixes, `NaN`,
//! `Infinity`, hexadecimal floats, octal and `\u` escapes). Lines are
//! counted at `\n` and columns in characters, both from 1.

use super::{syntax_error, Pos};
use crate::SchemaError;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Kind {
    /// An identifier or keyword; its text is `Token::text` (backquotes kept).
    Ident,
    Str(String),
    Int(i64),
    Float(f64),
    Punct(char),
    Eof,
}

#[derive(Debug, Clone)]
pub(crate) struct Token {
    pub kind: Kind,
    pub pos: Pos,
    /// Byte range in the source.
    pub start: usize,
    pub end: usize,
}

/// A `/** ... */` comment, and the index of the significant token it
/// precedes.
#[derive(Debug, Clone)]
pub(crate) struct DocComment {
    pub text: String,
    pub pos: Pos,
    pub before: usize,
}

#[derive(Debug)]
pub(crate) struct Lexed {
    pub tokens: Vec<Token>,
    pub docs: Vec<DocComment>,
}

struct Lexer<'a> {
    src: &'a str,
    b: &'a [u8],
    i: usize,
    line: u32,
    col: u32,
    file: &'a str,
}

fn is_ident_start(c: char) -> bool {
    c == '_' || unicode_ident::is_xid_start(c)
}

fn is_ident_continue(c: char) -> bool {
    unicode_ident::is_xid_continue(c)
}

pub(crate) fn lex(file: &str, src: &str) -> Result<Lexed, SchemaError> {
    let mut lx = Lexer {
        src,
        b: src.as_bytes(),
        i: 0,
        line: 1,
        col: 1,
        file,
    };
    let mut tokens = Vec::with_capacity(src.len() / 4);
    let mut docs = Vec::new();
    loop {
        lx.skip_trivia(&mut docs, tokens.len())?;
        let pos = lx.pos();
        let start = lx.i;
        let Some(c) = lx.peek_char() else {
            tokens.push(Token {
                kind: Kind::Eof,
                pos,
                start,
                end: start,
            });
            break;
        };
        // U+001A (SUB) ends the input; anything after it is ignored.
        if c == '\u{1a}' {
            tokens.push(Token {
                kind: Kind::Eof,
                pos,
                start,
                end: start,
            });
            break;
        }
        let kind = lx.token(c)?;
        tokens.push(Token {
            kind,
            pos,
            start,
            end: lx.i,
        });
    }
    Ok(Lexed { tokens, docs })
}

impl<'a> Lexer<'a> {
    fn pos(&self) -> Pos {
        Pos {
            line: self.line,
            col: self.col,
        }
    }

    fn err(&self, pos: Pos, message: String) -> SchemaError {
        syntax_error(self.file, pos, message)
    }

    fn peek_char(&self) -> Option<char> {
        let &b = self.b.get(self.i)?;
        if b < 0x80 {
            Some(b as char)
        } else {
            self.src[self.i..].chars().next()
        }
    }

    fn char_at(&self, i: usize) -> Option<char> {
        let &b = self.b.get(i)?;
        if b < 0x80 {
            Some(b as char)
        } else {
            self.src[i..].chars().next()
        }
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek_char()?;
        self.i += c.len_utf8();
        if c == '\n' {
            self.line += 1;
            self.col = 1;
        } else {
            self.col += 1;
        }
        Some(c)
    }

    fn starts_with(&self, s: &str) -> bool {
        self.b[self.i..].starts_with(s.as_bytes())
    }

    fn skip_trivia(
        &mut self,
        docs: &mut Vec<DocComment>,
        before: usize,
    ) -> Result<(), SchemaError> {
        loop {
            match self.b.get(self.i) {
                Some(b' ' | b'\t' | b'\n' | b'\r' | b'\x0c') => {
                    self.bump();
                }
                Some(b'/') if self.starts_with("//") => {
                    while let Some(c) = self.peek_char() {
                        if c == '\n' {
                            break;
                        }
                        self.bump();
                    }
                }
                Some(b'/') if self.starts_with("/*") => {
                    let pos = self.pos();
                    let start = self.i;
                    let is_doc = self.starts_with("/**") && !self.starts_with("/**/");
                    self.bump();
                    self.bump();
                    loop {
                        if self.starts_with("*/") {
                            self.bump();
                            self.bump();
                            break;
                        }
                        if self.bump().is_none() {
                            return Err(self.err(
                                pos,
                                "unterminated comment: expected */ before the end of the file"
                                    .into(),
                            ));
                        }
                    }
                    if is_doc {
                        let text = &self.src[start + 3..self.i - 2];
                        docs.push(DocComment {
                            text: text.to_owned(),
                            pos,
                            before,
                        });
                    }
                }
                _ => return Ok(()),
            }
        }
    }

    fn token(&mut self, c: char) -> Result<Kind, SchemaError> {
        let pos = self.pos();
        if c == '"' {
            return self.string();
        }
        if c == '`' || is_ident_start(c) {
            if let Some(k) = self.number()? {
                return Ok(k);
            }
            return self.ident();
        }
        if c.is_ascii_digit() || c == '-' || c == '+' || c == '.' {
            if let Some(k) = self.number()? {
                return Ok(k);
            }
        }
        if "(){}[]:;,@=.-?<>".contains(c) {
            self.bump();
            return Ok(Kind::Punct(c));
        }
        Err(self.err(pos, format!("unexpected character {c:?}")))
    }

    /// One identifier part at `i` (plain or backquoted): its end, if any.
    fn ident_part_end(&self, mut i: usize) -> Option<usize> {
        let quoted = self.b.get(i) == Some(&b'`');
        if quoted {
            i += 1;
        }
        let c = self.char_at(i)?;
        if !is_ident_start(c) {
            return None;
        }
        i += c.len_utf8();
        while let Some(c) = self.char_at(i) {
            if !is_ident_continue(c) {
                break;
            }
            i += c.len_utf8();
        }
        if quoted {
            if self.b.get(i) != Some(&b'`') {
                return None;
            }
            i += 1;
        }
        Some(i)
    }

    fn advance_to(&mut self, end: usize) {
        while self.i < end {
            self.bump();
        }
    }

    fn ident(&mut self) -> Result<Kind, SchemaError> {
        let pos = self.pos();
        let Some(mut end) = self.ident_part_end(self.i) else {
            return Err(self.err(
                pos,
                "invalid identifier: a backquote must enclose a name, as in `error`".into(),
            ));
        };
        while matches!(self.b.get(end), Some(b'.' | b'-')) {
            match self.ident_part_end(end + 1) {
                Some(e) => end = e,
                None => break,
            }
        }
        self.advance_to(end);
        Ok(Kind::Ident)
    }

    fn string(&mut self) -> Result<Kind, SchemaError> {
        let pos = self.pos();
        self.bump();
        let mut out = String::new();
        let unterminated = |lx: &Self| {
            lx.err(
                pos,
                "unterminated string: expected a closing \" on the same line".into(),
            )
        };
        let mut pending_high: Option<u16> = None;
        loop {
            let Some(c) = self.peek_char() else {
                return Err(unterminated(self));
            };
            match c {
                '"' => {
                    self.bump();
                    break;
                }
                '\n' | '\r' => return Err(unterminated(self)),
                '\u{8}' | '\u{c}' | '\t' => {
                    return Err(self.err(
                        self.pos(),
                        format!("{c:?} must be escaped inside a string literal"),
                    ))
                }
                '\\' => {
                    let epos = self.pos();
                    self.bump();
                    let Some(e) = self.bump() else {
                        return Err(unterminated(self));
                    };
                    let unit: u32 =
                        match e {
                            'n' => '\n' as u32,
                            'r' => '\r' as u32,
                            'b' => 8,
                            'f' => 12,
                            't' => '\t' as u32,
                            '\\' | '\'' | '"' => e as u32,
                            '0'..='7' => {
                                let mut v = e as u32 - '0' as u32;
                                let max_digits = if e <= '3' { 3 } else { 2 };
                                for _ in 1..max_digits {
                                    match self.peek_char() {
                                        Some(d @ '0'..='7') => {
                                            self.bump();
                                            v = v * 8 + (d as u32 - '0' as u32);
                                        }
                                        _ => break,
                                    }
                                }
                                v
                            }
                            'u' => {
                                let mut v = 0u32;
                                for _ in 0..4 {
                                    match self.peek_char().and_then(|d| d.to_digit(16)) {
                                        Some(d) => {
                                            self.bump();
                                            v = v * 16 + d;
                                        }
                                        None => return Err(self.err(
                                            epos,
                                            "invalid \\u escape: expected four hexadecimal digits"
                                                .into(),
                                        )),
                                    }
                                }
                                v
                            }
                            other => {
                                return Err(self.err(
                                    epos,
                                    format!("invalid escape \\{other} in a string literal"),
                                ))
                            }
                        };
                    // Java strings are UTF-16: \uD83D\uDE00 is one character.
                    if (0xD800..0xDC00).contains(&unit) {
                        if pending_high.replace(unit as u16).is_some() {
                            out.push('\u{FFFD}');
                        }
                        continue;
                    }
                    if (0xDC00..0xE000).contains(&unit) {
                        match pending_high.take() {
                            Some(hi) => {
                                let c = 0x10000 + ((hi as u32 - 0xD800) << 10) + (unit - 0xDC00);
                                out.push(char::from_u32(c).unwrap_or('\u{FFFD}'));
                            }
                            None => out.push('\u{FFFD}'),
                        }
                        continue;
                    }
                    if pending_high.take().is_some() {
                        out.push('\u{FFFD}');
                    }
                    out.push(char::from_u32(unit).unwrap_or('\u{FFFD}'));
                    continue;
                }
                c => {
                    self.bump();
                    if pending_high.take().is_some() {
                        out.push('\u{FFFD}');
                    }
                    out.push(c);
                }
            }
        }
        if pending_high.is_some() {
            out.push('\u{FFFD}');
        }
        Ok(Kind::Str(out))
    }

    /// A number literal at the current position, if there is one (else the
    /// caller lexes an identifier or a punctuation mark).
    fn number(&mut self) -> Result<Option<Kind>, SchemaError> {
        let pos = self.pos();
        let b = self.b;
        let start = self.i;
        let mut i = start;
        let sign = match b.get(i) {
            Some(b'-') => {
                i += 1;
                -1
            }
            Some(b'+') => {
                i += 1;
                1
            }
            _ => 0,
        };
        let ident_follows = |j: usize| self.char_at(j).is_some_and(is_ident_continue);
        for word in ["NaN", "Infinity"] {
            if b[i..].starts_with(word.as_bytes()) && !ident_follows(i + word.len()) {
                self.advance_to(i + word.len());
                let v = match (word, sign) {
                    ("NaN", _) => f64::NAN,
                    (_, -1) => f64::NEG_INFINITY,
                    _ => f64::INFINITY,
                };
                return Ok(Some(Kind::Float(v)));
            }
        }
        let digits = |mut j: usize, hex: bool| {
            while j < b.len() && (b[j].is_ascii_digit() || (hex && b[j].is_ascii_hexdigit())) {
                j += 1;
            }
            j
        };
        let is_hex = b.get(i) == Some(&b'0') && matches!(b.get(i + 1), Some(b'x' | b'X'));
        if is_hex {
            let ds = i + 2;
            let mut j = digits(ds, true);
            let int_digits = j - ds;
            let mut frac = None;
            if b.get(j) == Some(&b'.') {
                let fs = j + 1;
                j = digits(fs, true);
                frac = Some((fs, j));
            }
            if matches!(b.get(j), Some(b'p' | b'P')) {
                let mut k = j + 1;
                if matches!(b.get(k), Some(b'+' | b'-')) {
                    k += 1;
                }
                let ke = digits(k, false);
                if ke == k {
                    return Err(self.err(pos, "invalid hexadecimal floating-point literal: expected exponent digits after p".into()));
                }
                let mut end = ke;
                if matches!(b.get(end), Some(b'f' | b'F' | b'd' | b'D')) {
                    end += 1;
                }
                let mantissa_int = &self.src[ds..ds + int_digits];
                let mantissa_frac = frac.map_or("", |(s, e)| &self.src[s..e]);
                let exp: i32 = self.src[j + 1..ke].parse().unwrap_or(i32::MAX);
                let mut v = 0f64;
                for d in mantissa_int.chars().chain(mantissa_frac.chars()) {
                    v = v * 16.0 + d.to_digit(16).unwrap_or(0) as f64;
                }
                let scale = exp.saturating_sub(4 * mantissa_frac.len() as i32);
                let v = v * 2f64.powi(scale);
                self.advance_to(end);
                return Ok(Some(Kind::Float(if sign < 0 { -v } else { v })));
            }
            if frac.is_some() || int_digits == 0 {
                return Err(self.err(pos, "invalid hexadecimal literal".into()));
            }
            if sign > 0 {
                return Ok(None);
            }
            let mut end = j;
            if matches!(b.get(end), Some(b'l' | b'L')) {
                end += 1;
            }
            let v = i64::from_str_radix(&self.src[ds..j], 16).ok().or_else(|| {
                // -0x8000000000000000 is in range although its magnitude is not.
                u64::from_str_radix(&self.src[ds..j], 16)
                    .ok()
                    .filter(|&m| sign < 0 && m == 1 << 63)
                    .map(|_| i64::MIN)
            });
            let Some(v) = v else {
                return Err(self.err(pos, "integer literal out of range (a 64-bit long)".into()));
            };
            self.advance_to(end);
            return Ok(Some(Kind::Int(if sign < 0 { v.wrapping_neg() } else { v })));
        }
        let int_end = digits(i, false);
        let mut j = int_end;
        let mut is_float = false;
        if b.get(j) == Some(&b'.') && (j > i || b.get(j + 1).is_some_and(u8::is_ascii_digit)) {
            j = digits(j + 1, false);
            is_float = true;
        } else if j == i {
            return Ok(None);
        }
        if matches!(b.get(j), Some(b'e' | b'E')) {
            let mut k = j + 1;
            if matches!(b.get(k), Some(b'+' | b'-')) {
                k += 1;
            }
            let ke = digits(k, false);
            if ke > k {
                j = ke;
                is_float = true;
            }
        }
        let number_end = j;
        if matches!(b.get(j), Some(b'f' | b'F' | b'd' | b'D')) {
            j += 1;
            is_float = true;
        }
        if is_float {
            let text = &self.src[start..number_end];
            let v: f64 = text
                .trim_start_matches('+')
                .parse()
                .map_err(|_| self.err(pos, format!("invalid floating-point literal {text}")))?;
            self.advance_to(j);
            return Ok(Some(Kind::Float(v)));
        }
        if sign > 0 {
            return Ok(None);
        }
        let text = &self.src[i..int_end];
        let (radix, digits_text) = if text.len() > 1 && text.starts_with('0') {
            (8, &text[1..])
        } else {
            (10, text)
        };
        if radix == 8 && !digits_text.bytes().all(|d| d < b'8') {
            return Err(self.err(
                pos,
                format!("invalid octal literal {text}: a leading 0 makes an octal number"),
            ));
        }
        let mut end = int_end;
        if matches!(b.get(end), Some(b'l' | b'L')) {
            end += 1;
        }
        let signed = if sign < 0 {
            format!("-{digits_text}")
        } else {
            digits_text.to_owned()
        };
        let v = i64::from_str_radix(&signed, radix).map_err(|_| {
            self.err(
                pos,
                format!("integer literal {text} out of range (a 64-bit long)"),
            )
        })?;
        self.advance_to(end);
        Ok(Some(Kind::Int(v)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<Kind> {
        lex("t", src)
            .unwrap()
            .tokens
            .into_iter()
            .map(|t| t.kind)
            .collect()
    }

    #[test]
    fn java_number_literals() {
        assert_eq!(
            kinds("0x10 010 -5 7L 1.5 2e3 .5 1f -Infinity 0x1p4"),
            vec![
                Kind::Int(16),
                Kind::Int(8),
                Kind::Int(-5),
                Kind::Int(7),
                Kind::Float(1.5),
                Kind::Float(2000.0),
                Kind::Float(0.5),
                Kind::Float(1.0),
                Kind::Float(f64::NEG_INFINITY),
                Kind::Float(16.0),
                Kind::Eof
            ]
        );
        assert!(matches!(kinds("NaN")[0], Kind::Float(f) if f.is_nan()));
        assert_eq!(kinds("NaNx")[0], Kind::Ident);
        assert!(lex("t", "09").is_err());
        assert!(lex("t", "99999999999999999999").is_err());
    }

    #[test]
    fn identifiers_strings_and_docs() {
        let l = lex(
            "t",
            "/** d */ a.`b`-c \"x\\n\\u00e9\\101\" /**/ /* c */ // e\n z",
        )
        .unwrap();
        assert_eq!(l.tokens.len(), 4);
        assert_eq!(l.tokens[1].kind, Kind::Str("x\né\u{41}".into()));
        assert_eq!(l.docs.len(), 1);
        assert_eq!(l.docs[0].before, 0);
        assert_eq!(l.tokens[2].pos, Pos { line: 2, col: 2 });
    }

    #[test]
    fn unterminated_things_are_located_errors() {
        let e = lex("f.avdl", "a\n  /* x").unwrap_err();
        assert_eq!((e.line, e.column), (2, 3));
        assert!(e.message.contains("unterminated comment"));
        let e = lex("f.avdl", "  \"abc\n\"").unwrap_err();
        assert_eq!((e.line, e.column), (1, 3));
        assert!(e.message.contains("unterminated string"));
    }
}
