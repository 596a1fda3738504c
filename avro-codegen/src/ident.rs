//! The one place that turns Avro names into Rust identifiers: case
//! conversion with heck, keyword escaping, and invalid characters.

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, Span};

/// Rust keywords (strict, reserved and 2018+ edition keywords).
const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
];

/// Keywords that cannot be raw identifiers; they get a trailing `_`.
const NOT_RAW: &[&str] = &["self", "Self", "crate", "super", "_"];

fn is_keyword(s: &str) -> bool {
    KEYWORDS.contains(&s)
}

/// Keeps letters, digits and `_` (Unicode letters are valid Rust
/// identifiers); anything else becomes `_`; a leading digit gets a `_` prefix.
fn sanitize(s: &str) -> String {
    let mut out: String = s
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if out.starts_with(|c: char| c.is_numeric()) {
        out.insert(0, '_');
    }
    out
}

/// The Rust spelling (as a string, `r#` included) of an identifier.
fn escape(s: String) -> String {
    if NOT_RAW.contains(&s.as_str()) {
        format!("{s}_")
    } else if is_keyword(&s) {
        format!("r#{s}")
    } else {
        s
    }
}

/// A field or module name: `firstName` → `first_name`, `type` → `r#type`.
pub fn field_name(avro: &str) -> String {
    let mut s = sanitize(&avro.to_snake_case());
    if s.is_empty() || s.chars().all(|c| c == '_') {
        // `_`, `__`: keep them distinguishable.
        s = format!("field{}", avro.len());
    }
    escape(s)
}

/// A type or variant name: `order_line` → `OrderLine`, `SELF` → `Self_`.
pub fn type_name(avro: &str) -> String {
    let mut s = sanitize(&avro.to_upper_camel_case());
    if s.is_empty() || s.chars().all(|c| c == '_') {
        s = format!("T{}", avro.len());
    }
    escape(s)
}

/// The `Ident` for a name produced by [`field_name`] or [`type_name`].
pub fn ident(s: &str) -> Ident {
    match s.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(s, Span::call_site()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_keyword_becomes_a_valid_identifier() {
        for kw in KEYWORDS {
            let f = field_name(kw);
            let t = type_name(kw);
            // Both must parse as identifiers.
            syn::parse_str::<syn::Ident>(&f).unwrap_or_else(|e| panic!("{kw} -> {f}: {e}"));
            syn::parse_str::<syn::Ident>(&t).unwrap_or_else(|e| panic!("{kw} -> {t}: {e}"));
            let _ = ident(&f);
            let _ = ident(&t);
        }
        assert_eq!(field_name("type"), "r#type");
        assert_eq!(field_name("self"), "self_");
        assert_eq!(type_name("Self"), "Self_");
        assert_eq!(type_name("self"), "Self_");
        assert_eq!(field_name("crate"), "crate_");
        assert_eq!(field_name("super"), "super_");
    }

    #[test]
    fn case_conversion() {
        assert_eq!(field_name("firstName"), "first_name");
        assert_eq!(field_name("SCREAMING_CASE"), "screaming_case");
        assert_eq!(type_name("order_line"), "OrderLine");
        assert_eq!(type_name("SPADES"), "Spades");
        assert_eq!(field_name("_"), "field1");
        assert_eq!(field_name("1abc"), "_1abc");
    }
}

/// The Avro spelling as a Rust identifier: invalid characters replaced,
/// keywords escaped, case untouched. The fallback when converted names collide.
pub fn verbatim(avro: &str) -> String {
    let s = sanitize(avro);
    if s.is_empty() {
        return format!("_{}", avro.len());
    }
    escape(s)
}

/// Picks one Rust name per entry so that no two are equal. Each entry lists
/// its spellings in order of preference; entries whose spelling collides
/// with another's move on to their next spelling (so `int_` and `int__`,
/// which both convert to `Int`, keep their Avro spellings). The choice
/// depends only on the set of names, not on their order. Fails with the
/// first spellings of two entries that cannot be told apart.
pub fn unique_names(spellings: &[Vec<String>]) -> Result<Vec<String>, (String, String)> {
    let mut level = vec![0usize; spellings.len()];
    loop {
        let current: Vec<&String> = spellings
            .iter()
            .zip(&level)
            .map(|(s, &l)| &s[l.min(s.len() - 1)])
            .collect();
        let mut bumped = false;
        for i in 0..spellings.len() {
            let clash = (0..spellings.len()).find(|&j| j != i && current[j] == current[i]);
            if let Some(j) = clash {
                if level[i] + 1 < spellings[i].len() {
                    level[i] += 1;
                    bumped = true;
                } else if level[j] + 1 >= spellings[j].len() {
                    return Err((spellings[i][0].clone(), spellings[j][0].clone()));
                }
            }
        }
        if !bumped {
            return Ok(current.into_iter().cloned().collect());
        }
    }
}

#[cfg(test)]
mod unique_tests {
    use super::*;

    #[test]
    fn colliding_names_fall_back_to_their_avro_spelling() {
        let s = |a: &str| vec![type_name(a), verbatim(a)];
        let names = unique_names(&[s("int_"), s("int__"), s("Other")]).unwrap();
        assert_eq!(names, ["int_", "int__", "Other"]);
        let names = unique_names(&[s("first_name"), s("Last")]).unwrap();
        assert_eq!(names, ["FirstName", "Last"]);
        // Same spelling at every level: an error naming both.
        assert!(unique_names(&[s("a"), s("a")]).is_err());
    }
}
