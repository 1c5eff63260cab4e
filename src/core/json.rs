//! A small, strict JSON reader and writer for everything this client parses and stores:
//! discovery documents, key sets, token responses, JWT headers and claims, userinfo,
//! `config.json` and its own storage entries.
//!
//! Why not `serde_json`: its generic, derive-driven code is the largest single part of a wasm
//! bundle like ours, and every byte of wasm is downloaded and compiled by every visitor. One
//! non-generic parser plus hand-written field readers is a fraction of that size, and lets
//! every error say which field is wrong in words a user can act on.
//!
//! Every input is treated as hostile (the `rustls` rule): callers cap the size before parsing;
//! the parser caps nesting at [`MAX_DEPTH`] and members per object at [`MAX_MEMBERS`], refuses
//! duplicate object keys (RFC 7519 §4 allows
//! a JWT parser only that or "last one wins", and refusing is the safe one), lone surrogates,
//! raw control characters, and anything after the value. Numbers keep their source text, so
//! nothing is rounded; [`JsonNumber::to_i64_floor`] reads them as whole numbers.
//!
//! ```
//! use leptos_logto::core::json::{parse, Json};
//! let value = parse(r#"{"sub":"u1","aud":["a","b"],"exp":1.5e3}"#).unwrap();
//! let claims = value.as_object().unwrap();
//! assert_eq!(claims.string("sub").unwrap().as_deref(), Some("u1"));
//! assert_eq!(claims.string_or_strings("aud").unwrap(), Some(vec!["a".into(), "b".into()]));
//! assert_eq!(claims.int("exp").unwrap(), Some(1500));
//! assert_eq!(claims.string("aud").unwrap_err().to_string(), "`aud` must be a string");
//! assert!(parse(r#"{"sub":"a","sub":"b"}"#).is_err());
//! assert_eq!(Json::from("a\"b").to_json_string(), r#""a\"b""#);
//! ```

use crate::core::list_map::ListMap;
use std::fmt;

/// Deepest nesting of arrays and objects accepted.
pub const MAX_DEPTH: usize = 64;

/// Most members accepted in one object (a JWT claims set or userinfo has a few dozen).
pub const MAX_MEMBERS: usize = 1024;

/// A JSON value.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Json {
    /// `null`.
    #[default]
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as written.
    Number(JsonNumber),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Json>),
    /// An object, in source order, without duplicate keys.
    Object(JsonObject),
}

/// A JSON number kept as its (grammar-checked) source text, so nothing is rounded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonNumber(String);

/// A JSON object: its members in source order, keys unique; the typed field readers
/// (`string`, `int`, …) are below.
pub type JsonObject = ListMap<Json>;

/// Why a text is not JSON this client accepts.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{reason} at byte {offset}")]
pub struct JsonError {
    /// What is wrong.
    pub reason: &'static str,
    /// Where, in bytes from the start.
    pub offset: usize,
}

/// A member of an object has the wrong type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{field}` must be {expected}")]
pub struct FieldError {
    /// The member's name.
    pub field: String,
    /// What it must be, e.g. "a string".
    pub expected: &'static str,
}

impl JsonNumber {
    /// The number as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The number rounded down to a whole number; values beyond `i64` saturate.
    ///
    /// ```
    /// use leptos_logto::core::json::JsonNumber;
    /// assert_eq!(JsonNumber::from(-7).to_i64_floor(), -7);
    /// ```
    pub fn to_i64_floor(&self) -> i64 {
        let text = self.0.as_str();
        let (negative, unsigned) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
            Some(at) => (&unsigned[..at], saturating_exponent(&unsigned[at + 1..])),
            None => (unsigned, 0),
        };
        let (int_digits, frac_digits) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let digits: Vec<u8> = int_digits
            .bytes()
            .chain(frac_digits.bytes())
            .map(|b| b - b'0')
            .collect();
        // value = digits × 10^shift
        let shift = exponent.saturating_sub(frac_digits.len() as i64);
        let saturated = if negative { i64::MIN } else { i64::MAX };
        let first = digits.iter().position(|&d| d != 0);
        let Some(first) = first else { return 0 };
        let digits = &digits[first..];
        let whole_len = digits.len() as i64 + shift;
        if whole_len > 19 {
            return saturated;
        }
        let mut whole: i128 = 0;
        let mut dropped_nonzero = false;
        for (i, &d) in digits.iter().enumerate() {
            if (i as i64) < whole_len {
                whole = whole * 10 + i128::from(d);
            } else if d != 0 {
                dropped_nonzero = true;
            }
        }
        for _ in 0..shift.max(0) {
            whole *= 10;
        }
        let value = if negative {
            -whole - i128::from(dropped_nonzero)
        } else {
            whole
        };
        i64::try_from(value).unwrap_or(saturated)
    }
}

fn saturating_exponent(text: &str) -> i64 {
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let magnitude = digits
        .bytes()
        .fold(0i64, |acc, b| {
            acc.saturating_mul(10).saturating_add(i64::from(b - b'0'))
        })
        .min(1 << 20);
    if negative {
        -magnitude
    } else {
        magnitude
    }
}

impl From<i64> for JsonNumber {
    fn from(value: i64) -> Self {
        Self(value.to_string())
    }
}

impl JsonObject {
    /// Sets `key` when `value` is `Some`; builder style.
    pub fn with(mut self, key: &str, value: Option<impl Into<Json>>) -> Self {
        if let Some(value) = value {
            self.insert(key, value.into());
        }
        self
    }

    /// The member, `None` when absent or `null`.
    fn present(&self, key: &str) -> Option<&Json> {
        self.get(key).filter(|v| !matches!(v, Json::Null))
    }

    fn wrong(key: &str, expected: &'static str) -> FieldError {
        FieldError {
            field: key.to_owned(),
            expected,
        }
    }

    /// A string member (`None` when absent or `null`).
    pub fn string(&self, key: &str) -> Result<Option<String>, FieldError> {
        match self.present(key) {
            None => Ok(None),
            Some(Json::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(Self::wrong(key, "a string")),
        }
    }

    /// A string member that must be there.
    pub fn required_string(&self, key: &str) -> Result<String, FieldError> {
        self.string(key)?
            .ok_or_else(|| Self::wrong(key, "a string (it is missing)"))
    }

    /// A boolean member.
    pub fn bool(&self, key: &str) -> Result<Option<bool>, FieldError> {
        match self.present(key) {
            None => Ok(None),
            Some(Json::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(Self::wrong(key, "true or false")),
        }
    }

    /// A number member, rounded down to a whole number (see [`JsonNumber::to_i64_floor`]).
    pub fn int(&self, key: &str) -> Result<Option<i64>, FieldError> {
        match self.present(key) {
            None => Ok(None),
            Some(Json::Number(n)) => Ok(Some(n.to_i64_floor())),
            Some(_) => Err(Self::wrong(key, "a number")),
        }
    }

    /// An array-of-strings member.
    pub fn strings(&self, key: &str) -> Result<Option<Vec<String>>, FieldError> {
        match self.present(key) {
            None => Ok(None),
            Some(Json::Array(items)) => items
                .iter()
                .map(|item| item.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()
                .map(Some)
                .ok_or_else(|| Self::wrong(key, "an array of strings")),
            Some(_) => Err(Self::wrong(key, "an array of strings")),
        }
    }

    /// A member that is one string or an array of strings, always as a list (`aud`).
    pub fn string_or_strings(&self, key: &str) -> Result<Option<Vec<String>>, FieldError> {
        match self.present(key) {
            Some(Json::String(one)) => Ok(Some(vec![one.clone()])),
            _ => self
                .strings(key)
                .map_err(|_| Self::wrong(key, "a string or an array of strings")),
        }
    }

    /// An object member.
    pub fn object(&self, key: &str) -> Result<Option<&JsonObject>, FieldError> {
        match self.present(key) {
            None => Ok(None),
            Some(Json::Object(o)) => Ok(Some(o)),
            Some(_) => Err(Self::wrong(key, "an object")),
        }
    }
}

impl Json {
    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Self::String(s) => Some(s),
            _ => None,
        }
    }

    /// The object, if this is one.
    pub fn as_object(&self) -> Option<&JsonObject> {
        match self {
            Self::Object(o) => Some(o),
            _ => None,
        }
    }

    /// The array, if this is one.
    pub fn as_array(&self) -> Option<&[Json]> {
        match self {
            Self::Array(a) => Some(a),
            _ => None,
        }
    }

    /// Compact JSON text.
    pub fn to_json_string(&self) -> String {
        let mut out = String::new();
        write_value(&mut out, self, None, 0);
        out
    }

    /// JSON text indented by two spaces per level, for people to read.
    pub fn to_pretty_string(&self) -> String {
        let mut out = String::new();
        write_value(&mut out, self, Some(2), 0);
        out
    }
}

impl fmt::Display for Json {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_json_string())
    }
}

impl From<&str> for Json {
    fn from(value: &str) -> Self {
        Self::String(value.to_owned())
    }
}

impl From<String> for Json {
    fn from(value: String) -> Self {
        Self::String(value)
    }
}

impl From<&String> for Json {
    fn from(value: &String) -> Self {
        Self::String(value.clone())
    }
}

impl From<bool> for Json {
    fn from(value: bool) -> Self {
        Self::Bool(value)
    }
}

impl From<i64> for Json {
    fn from(value: i64) -> Self {
        Self::Number(value.into())
    }
}

impl From<&[String]> for Json {
    fn from(value: &[String]) -> Self {
        Self::Array(value.iter().map(Json::from).collect())
    }
}

impl From<&Vec<String>> for Json {
    fn from(value: &Vec<String>) -> Self {
        value.as_slice().into()
    }
}

impl From<JsonObject> for Json {
    fn from(value: JsonObject) -> Self {
        Self::Object(value)
    }
}

impl From<&Json> for Json {
    fn from(value: &Json) -> Self {
        value.clone()
    }
}

/// A type kept as a JSON object (in storage, or as read from the provider).
pub trait JsonObjectCodec: Sized {
    /// The object.
    fn to_object(&self) -> JsonObject;
    /// Reads the object back; a member of the wrong type is an error, unknown members are
    /// ignored.
    fn from_object(object: &JsonObject) -> Result<Self, FieldError>;
}

/// Parses `text` as one JSON value (surrounding whitespace allowed).
pub fn parse(text: &str) -> Result<Json, JsonError> {
    let mut parser = Parser {
        bytes: text.as_bytes(),
        at: 0,
    };
    let value = parser.value(0)?;
    parser.skip_whitespace();
    if parser.at != parser.bytes.len() {
        return Err(parser.error("unexpected text after the JSON value"));
    }
    Ok(value)
}

/// Parses bytes that must be UTF-8 JSON (a decoded JWT part).
pub fn parse_bytes(bytes: &[u8]) -> Result<Json, JsonError> {
    let text = std::str::from_utf8(bytes).map_err(|e| JsonError {
        reason: "not UTF-8",
        offset: e.valid_up_to(),
    })?;
    parse(text)
}

/// Parses `text`, which must be a JSON object.
pub fn parse_object(text: &str) -> Result<JsonObject, JsonError> {
    match parse(text)? {
        Json::Object(object) => Ok(object),
        _ => Err(JsonError {
            reason: "expected a JSON object",
            offset: 0,
        }),
    }
}

struct Parser<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Parser<'_> {
    fn error(&self, reason: &'static str) -> JsonError {
        JsonError {
            reason,
            offset: self.at,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn expect_literal(&mut self, literal: &str, value: Json) -> Result<Json, JsonError> {
        if self.bytes[self.at..].starts_with(literal.as_bytes()) {
            self.at += literal.len();
            Ok(value)
        } else {
            Err(self.error("expected a JSON value"))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Json, JsonError> {
        self.skip_whitespace();
        match self.peek() {
            None => Err(self.error("unexpected end of JSON")),
            Some(b'n') => self.expect_literal("null", Json::Null),
            Some(b't') => self.expect_literal("true", Json::Bool(true)),
            Some(b'f') => self.expect_literal("false", Json::Bool(false)),
            Some(b'"') => self.string().map(Json::String),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(open @ (b'[' | b'{')) => {
                if depth >= MAX_DEPTH {
                    return Err(self.error("JSON nested too deeply"));
                }
                self.at += 1;
                if open == b'[' {
                    self.array(depth + 1)
                } else {
                    self.object(depth + 1)
                }
            }
            Some(_) => Err(self.error("expected a JSON value")),
        }
    }

    /// After `[`.
    fn array(&mut self, depth: usize) -> Result<Json, JsonError> {
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.at += 1;
            return Ok(Json::Array(items));
        }
        loop {
            items.push(self.value(depth)?);
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b']') => {
                    self.at += 1;
                    return Ok(Json::Array(items));
                }
                _ => return Err(self.error("expected `,` or `]`")),
            }
        }
    }

    /// After `{`.
    fn object(&mut self, depth: usize) -> Result<Json, JsonError> {
        let mut members: Vec<(String, Json)> = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.at += 1;
            return Ok(Json::Object(JsonObject::from_unique(members)));
        }
        loop {
            self.skip_whitespace();
            if self.peek() != Some(b'"') {
                return Err(self.error("expected a member name in quotes"));
            }
            let key_at = self.at;
            let key = self.string()?;
            // Quadratic, hence the member cap: no sort or hash code in the bundle for this.
            if members.len() >= MAX_MEMBERS {
                return Err(self.error("too many members in one object"));
            }
            if members.iter().any(|(k, _)| *k == key) {
                self.at = key_at;
                return Err(self.error("duplicate member name in an object"));
            }
            self.skip_whitespace();
            if self.peek() != Some(b':') {
                return Err(self.error("expected `:`"));
            }
            self.at += 1;
            let value = self.value(depth)?;
            members.push((key, value));
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b'}') => {
                    self.at += 1;
                    break;
                }
                _ => return Err(self.error("expected `,` or `}`")),
            }
        }
        Ok(Json::Object(JsonObject::from_unique(members)))
    }

    /// At `"`.
    fn string(&mut self) -> Result<String, JsonError> {
        self.at += 1;
        let mut out = String::new();
        loop {
            let start = self.at;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.at += 1;
            }
            // The input is a &str and we stopped at an ASCII byte: a char boundary.
            out.push_str(std::str::from_utf8(&self.bytes[start..self.at]).map_err(|_| self.error("not UTF-8"))?);
            match self.peek() {
                Some(b'"') => {
                    self.at += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.at += 1;
                    let escaped = self.peek().ok_or_else(|| self.error("unexpected end of JSON"))?;
                    self.at += 1;
                    out.push(match escaped {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode_escape()?,
                        _ => return Err(self.error("invalid escape in a string")),
                    });
                }
                Some(_) => return Err(self.error("control character in a string")),
                None => return Err(self.error("unterminated string")),
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let digits = self
            .bytes
            .get(self.at..self.at + 4)
            .ok_or_else(|| self.error("unexpected end of JSON"))?;
        let mut value = 0;
        for &d in digits {
            let nibble = (d as char)
                .to_digit(16)
                .ok_or_else(|| self.error("invalid \\u escape"))?;
            value = value * 16 + nibble;
        }
        self.at += 4;
        Ok(value)
    }

    /// After `\u`.
    fn unicode_escape(&mut self) -> Result<char, JsonError> {
        let first = self.hex4()?;
        let code = match first {
            0xD800..=0xDBFF => {
                if !self.bytes[self.at..].starts_with(b"\\u") {
                    return Err(self.error("lone surrogate in a string"));
                }
                self.at += 2;
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return Err(self.error("lone surrogate in a string"));
                }
                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            }
            0xDC00..=0xDFFF => return Err(self.error("lone surrogate in a string")),
            other => other,
        };
        char::from_u32(code).ok_or_else(|| self.error("invalid \\u escape"))
    }

    fn digits(&mut self) -> usize {
        let start = self.at;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.at += 1;
        }
        self.at - start
    }

    fn number(&mut self) -> Result<Json, JsonError> {
        let start = self.at;
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        let leading_zero = self.peek() == Some(b'0');
        match self.digits() {
            0 => return Err(self.error("invalid number")),
            n if leading_zero && n > 1 => return Err(self.error("invalid number (leading zero)")),
            _ => {}
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            if self.digits() == 0 {
                return Err(self.error("invalid number"));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            if self.digits() == 0 {
                return Err(self.error("invalid number"));
            }
        }
        let text = std::str::from_utf8(&self.bytes[start..self.at]).map_err(|_| self.error("invalid number"))?;
        Ok(Json::Number(JsonNumber(text.to_owned())))
    }
}

fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(char::from(HEX[(c as usize) >> 4]));
                out.push(char::from(HEX[(c as usize) & 15]));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn newline(out: &mut String, indent: Option<usize>, level: usize) {
    if let Some(width) = indent {
        out.push('\n');
        out.extend(std::iter::repeat_n(' ', width * level));
    }
}

fn write_value(out: &mut String, value: &Json, indent: Option<usize>, level: usize) {
    match value {
        Json::Null => out.push_str("null"),
        Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Json::Number(n) => out.push_str(&n.0),
        Json::String(s) => write_string(out, s),
        Json::Array(items) if items.is_empty() => out.push_str("[]"),
        Json::Object(object) if object.is_empty() => out.push_str("{}"),
        Json::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, indent, level + 1);
                write_value(out, item, indent, level + 1);
            }
            newline(out, indent, level);
            out.push(']');
        }
        Json::Object(object) => {
            out.push('{');
            for (i, (key, item)) in object.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, indent, level + 1);
                write_string(out, key);
                out.push(':');
                if indent.is_some() {
                    out.push(' ');
                }
                write_value(out, item, indent, level + 1);
            }
            newline(out, indent, level);
            out.push('}');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn floor(text: &str) -> i64 {
        match parse(text).unwrap() {
            Json::Number(n) => n.to_i64_floor(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn rfc8259_values_parse_and_write_back() {
        let text = r#"{"Image":{"Width":800,"Height":600,"Title":"View from 15th Floor","Thumbnail":{"Url":"http://www.example.com/image/481989943","Height":125,"Width":100},"Animated":false,"IDs":[116,943,234,38793]}}"#;
        assert_eq!(parse(text).unwrap().to_json_string(), text);
        for scalar in ["null", "true", "false", "0", "-0", "1.5e-3", "\"\"", "[]", "{}", " 1 "] {
            assert!(parse(scalar).is_ok(), "{scalar}");
        }
        let pretty = parse(r#"{"a":[1,{"b":null}],"c":{}}"#).unwrap().to_pretty_string();
        assert_eq!(
            pretty,
            "{\n  \"a\": [\n    1,\n    {\n      \"b\": null\n    }\n  ],\n  \"c\": {}\n}"
        );
    }

    #[test]
    fn strings_unescape_and_escape() {
        let value = parse(r#""a\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00 é""#).unwrap();
        assert_eq!(value.as_str(), Some("a\"\\/\u{8}\u{c}\n\r\té😀 é"));
        assert_eq!(value.to_json_string(), "\"a\\\"\\\\/\\u0008\\u000c\\n\\r\\té😀 é\"");
        assert_eq!(parse(&value.to_json_string()).unwrap(), value);
    }

    #[test]
    fn hostile_inputs_are_refused_with_a_position() {
        for bad in [
            "",
            "{",
            "[1,]",
            "{\"a\":1,}",
            "{'a':1}",
            "01",
            "1.",
            "-",
            "1e",
            "NaN",
            "\"\\ud800\"",
            "\"\\udc00x\"",
            "\"\\ud800\\u0041\"",
            "\"\\x\"",
            "\"a\nb\"",
            "\"abc",
            "tru",
            "{} {}",
            "{\"a\":1,\"a\":2}",
            "\u{feff}{}",
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
        let deep = "[".repeat(MAX_DEPTH + 1) + &"]".repeat(MAX_DEPTH + 1);
        assert_eq!(parse(&deep).unwrap_err().reason, "JSON nested too deeply");
        let ok = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert!(parse(&ok).is_ok());
        let members = |n: usize| {
            format!(
                "{{{}}}",
                (0..n).map(|i| format!("\"k{i}\":{i}")).collect::<Vec<_>>().join(",")
            )
        };
        assert!(parse(&members(MAX_MEMBERS)).is_ok());
        assert_eq!(
            parse(&members(MAX_MEMBERS + 1)).unwrap_err().reason,
            "too many members in one object"
        );
        assert_eq!(
            parse(r#"{"a":1,"b":2,"a":3}"#).unwrap_err().to_string(),
            "duplicate member name in an object at byte 13"
        );
        assert_eq!(
            parse("[1,2 3]").unwrap_err().to_string(),
            "expected `,` or `]` at byte 5"
        );
        assert!(parse_bytes(&[b'"', 0xff, b'"']).is_err());
    }

    #[test]
    fn numbers_floor_and_saturate() {
        assert_eq!(floor("1736933400000"), 1_736_933_400_000);
        assert_eq!(floor("1.9"), 1);
        assert_eq!(floor("-1.1"), -2);
        assert_eq!(floor("-1.0"), -1);
        assert_eq!(floor("15e-1"), 1);
        assert_eq!(floor("1.5E3"), 1500);
        assert_eq!(floor("0.000"), 0);
        assert_eq!(floor("-0"), 0);
        assert_eq!(floor("1e400"), i64::MAX);
        assert_eq!(floor("-1e400"), i64::MIN);
        assert_eq!(floor("1e-400"), 0);
        assert_eq!(floor("-1e-400"), -1);
        assert_eq!(floor("9223372036854775807"), i64::MAX);
        assert_eq!(floor("9223372036854775808"), i64::MAX);
        assert_eq!(floor("-9223372036854775808"), i64::MIN);
        assert_eq!(floor("1e99999999999999999999"), i64::MAX);
    }

    #[test]
    fn field_readers_type_check_and_treat_null_as_absent() {
        let object = parse_object(r#"{"s":"x","n":null,"b":true,"a":["p","q"],"m":[1],"o":{"k":1}}"#).unwrap();
        assert_eq!(object.string("s").unwrap().as_deref(), Some("x"));
        assert_eq!(object.string("n").unwrap(), None);
        assert_eq!(object.string("missing").unwrap(), None);
        assert_eq!(object.bool("b").unwrap(), Some(true));
        assert_eq!(object.strings("a").unwrap().unwrap(), ["p", "q"]);
        assert_eq!(object.string_or_strings("s").unwrap().unwrap(), ["x"]);
        assert_eq!(
            object.strings("m").unwrap_err().to_string(),
            "`m` must be an array of strings"
        );
        assert!(object.object("o").unwrap().is_some());
        assert!(object.int("s").is_err());
        assert!(parse_object("[]").is_err());
    }
}
