//! Absolute http(s) URLs, percent-encoding and query strings.
//!
//! A deliberately small parser: the library only needs to check that configured and discovered
//! URLs are absolute `http`/`https` URLs, compare origin + path, and read and write query strings.
//! It never normalises hosts (no IDNA): a URL that is not plain ASCII is refused, which is what a
//! provider's metadata and a redirect URI are.

use std::fmt;

/// Longest URL the parser accepts (bytes). Browsers cap around 2 MB; a callback URL is far shorter.
pub const MAX_URL_LEN: usize = 16 * 1024;

/// Why a string is not an acceptable absolute http(s) URL.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UrlError {
    /// Empty string.
    #[error("the URL is empty")]
    Empty,
    /// Longer than [`MAX_URL_LEN`].
    #[error("the URL is longer than {MAX_URL_LEN} bytes")]
    TooLong,
    /// Not `http://` or `https://`.
    #[error("the URL `{0}` must be absolute and start with http:// or https://")]
    NotHttp(String),
    /// No host after the scheme.
    #[error("the URL `{0}` has no host")]
    NoHost(String),
    /// Whitespace, control characters, non-ASCII or user info.
    #[error("the URL `{0}` contains characters or parts a URL here may not have (spaces, controls, non-ASCII, or user:password@)")]
    BadCharacters(String),
    /// A bad `%xx` escape in the query.
    #[error("the URL's query has a broken percent-escape")]
    BadEscape,
}

/// An absolute `http` or `https` URL, split into its parts.
///
/// ```
/// use leptos_logto::core::url::HttpUrl;
/// let url = HttpUrl::parse("https://tenant.logto.app/oidc/auth?x=1#top").unwrap();
/// assert_eq!(url.origin(), "https://tenant.logto.app");
/// assert_eq!(url.path(), "/oidc/auth");
/// assert_eq!(url.query(), Some("x=1"));
/// assert_eq!(url.fragment(), Some("top"));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct HttpUrl {
    raw: String,
    scheme_end: usize,
    authority_end: usize,
    path_end: usize,
    query_end: usize,
}

impl HttpUrl {
    /// Parses and checks an absolute http(s) URL.
    pub fn parse(input: &str) -> Result<Self, UrlError> {
        if input.is_empty() {
            return Err(UrlError::Empty);
        }
        if input.len() > MAX_URL_LEN {
            return Err(UrlError::TooLong);
        }
        if !input.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(UrlError::BadCharacters(shorten(input)));
        }
        let lower_prefix: String = input.chars().take(8).collect::<String>().to_ascii_lowercase();
        let scheme_end = if lower_prefix.starts_with("https://") {
            5
        } else if lower_prefix.starts_with("http://") {
            4
        } else {
            return Err(UrlError::NotHttp(shorten(input)));
        };
        let authority_start = scheme_end + 3;
        let rest = &input[authority_start..];
        let authority_len = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let authority = &rest[..authority_len];
        if authority.is_empty() || authority.starts_with(':') {
            return Err(UrlError::NoHost(shorten(input)));
        }
        if authority.contains('@') || authority.contains('\\') {
            return Err(UrlError::BadCharacters(shorten(input)));
        }
        let authority_end = authority_start + authority_len;
        let after = &input[authority_end..];
        let path_len = after.find(['?', '#']).unwrap_or(after.len());
        let path_end = authority_end + path_len;
        let query_end = match input[path_end..].find('#') {
            Some(i) => path_end + i,
            None => input.len(),
        };
        let mut raw = String::with_capacity(input.len());
        raw.push_str(&input[..authority_end].to_ascii_lowercase());
        raw.push_str(&input[authority_end..]);
        Ok(Self {
            raw,
            scheme_end,
            authority_end,
            path_end,
            query_end,
        })
    }

    /// The whole URL as given (scheme and host lower-cased).
    pub fn as_str(&self) -> &str {
        &self.raw
    }

    /// `http` or `https`.
    pub fn scheme(&self) -> &str {
        &self.raw[..self.scheme_end]
    }

    /// `scheme://host[:port]`.
    pub fn origin(&self) -> &str {
        &self.raw[..self.authority_end]
    }

    /// The path, `/` when the URL has none.
    pub fn path(&self) -> &str {
        let path = &self.raw[self.authority_end..self.path_end];
        if path.is_empty() {
            "/"
        } else {
            path
        }
    }

    /// The query without `?`, if there is a `?`.
    pub fn query(&self) -> Option<&str> {
        (self.path_end < self.query_end).then(|| &self.raw[self.path_end + 1..self.query_end])
    }

    /// The fragment without `#`, if there is a `#`.
    pub fn fragment(&self) -> Option<&str> {
        (self.query_end < self.raw.len()).then(|| &self.raw[self.query_end + 1..])
    }

    /// True when origin and path are the same (query and fragment ignored); used to match a
    /// callback URL against the configured redirect URI.
    pub fn same_origin_and_path(&self, other: &HttpUrl) -> bool {
        self.origin() == other.origin() && self.path() == other.path()
    }

    /// This URL with `params` appended to its query (existing query kept, fragment dropped).
    pub fn with_query_params<'a>(&self, params: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
        let mut out = String::from(&self.raw[..self.query_end]);
        let mut first = self.query().is_none_or(str::is_empty);
        if self.query() == Some("") {
            // "https://x/?" — keep the lone '?' and append directly.
        } else if first {
            out.push('?');
        }
        for (key, value) in params {
            if !first {
                out.push('&');
            }
            first = false;
            percent_encode_into(&mut out, key);
            out.push('=');
            percent_encode_into(&mut out, value);
        }
        out
    }
}

impl fmt::Debug for HttpUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("HttpUrl").field(&self.raw).finish()
    }
}

impl fmt::Display for HttpUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

fn shorten(s: &str) -> String {
    const MAX: usize = 200;
    if s.len() <= MAX {
        return s.to_owned();
    }
    let mut end = MAX;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &s[..end])
}

/// Appends `value` percent-encoded for a query component (everything but RFC 3986 unreserved
/// characters is escaped, so `&`, `=`, `+`, spaces and non-ASCII are always safe).
pub fn percent_encode_into(out: &mut String, value: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out.push('%');
            out.push(HEX[usize::from(byte >> 4)] as char);
            out.push(HEX[usize::from(byte & 15)] as char);
        }
    }
}

/// `application/x-www-form-urlencoded` body (or query) from key/value pairs.
///
/// ```
/// use leptos_logto::core::url::form_encode;
/// assert_eq!(form_encode([("a", "1 2"), ("b", "x&y=z")]), "a=1%202&b=x%26y%3Dz");
/// ```
pub fn form_encode<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut out = String::new();
    for (i, (key, value)) in pairs.into_iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        percent_encode_into(&mut out, key);
        out.push('=');
        percent_encode_into(&mut out, value);
    }
    out
}

/// Decodes one query component: `+` is a space, `%xx` a byte; the result must be UTF-8.
pub fn percent_decode(component: &str) -> Result<String, UrlError> {
    let bytes = component.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hi = bytes.get(i + 1).and_then(|b| (*b as char).to_digit(16));
                let lo = bytes.get(i + 2).and_then(|b| (*b as char).to_digit(16));
                match (hi, lo) {
                    (Some(hi), Some(lo)) => out.push((hi * 16 + lo) as u8),
                    _ => return Err(UrlError::BadEscape),
                }
                i += 2;
            }
            other => out.push(other),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| UrlError::BadEscape)
}

/// Splits a query string into decoded `(key, value)` pairs, in order, duplicates kept.
/// Empty segments (`a=1&&b=2`) are skipped; a key without `=` has an empty value.
pub fn parse_query(query: &str) -> Result<Vec<(String, String)>, UrlError> {
    query
        .split('&')
        .filter(|segment| !segment.is_empty())
        .map(|segment| {
            let (key, value) = segment.split_once('=').unwrap_or((segment, ""));
            Ok((percent_decode(key)?, percent_decode(value)?))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_parts_and_lowercases_scheme_and_host_only() {
        let url = HttpUrl::parse("HTTPS://Tenant.Example:8443/Path/A?Q=1#F").unwrap();
        assert_eq!(url.scheme(), "https");
        assert_eq!(url.origin(), "https://tenant.example:8443");
        assert_eq!(url.path(), "/Path/A");
        assert_eq!(url.query(), Some("Q=1"));
        assert_eq!(url.fragment(), Some("F"));
        assert_eq!(HttpUrl::parse("http://h").unwrap().path(), "/");
    }

    #[test]
    fn refuses_what_is_not_an_absolute_http_url() {
        for bad in [
            "",
            "/callback",
            "ftp://x/",
            "javascript:alert(1)",
            "http://",
            "http:///path",
            "http://:80/",
            "https://user:pw@host/",
            "https://host/a b",
            "https://hôst/",
            "https://host\\@evil/",
            "//host/path",
        ] {
            assert!(HttpUrl::parse(bad).is_err(), "{bad:?} was accepted");
        }
        assert_eq!(HttpUrl::parse(&"a".repeat(MAX_URL_LEN + 1)), Err(UrlError::TooLong));
    }

    #[test]
    fn origin_and_path_comparison_ignores_query_and_fragment_only() {
        let a = HttpUrl::parse("http://127.0.0.1:3000/callback?code=1").unwrap();
        let b = HttpUrl::parse("http://127.0.0.1:3000/callback").unwrap();
        let c = HttpUrl::parse("http://127.0.0.1:3000/callback/x").unwrap();
        let d = HttpUrl::parse("http://localhost:3000/callback").unwrap();
        assert!(a.same_origin_and_path(&b));
        assert!(!a.same_origin_and_path(&c));
        assert!(!a.same_origin_and_path(&d));
    }

    #[test]
    fn encodes_reserved_and_unicode_and_round_trips() {
        let tricky = "a&b=c d+é/?#%";
        let mut out = String::new();
        percent_encode_into(&mut out, tricky);
        assert_eq!(out, "a%26b%3Dc%20d%2B%C3%A9%2F%3F%23%25");
        assert_eq!(percent_decode(&out).unwrap(), tricky);
        assert_eq!(percent_decode("a+b").unwrap(), "a b");
        assert_eq!(percent_decode("%zz"), Err(UrlError::BadEscape));
        assert_eq!(percent_decode("%4"), Err(UrlError::BadEscape));
        assert_eq!(percent_decode("%FF"), Err(UrlError::BadEscape));
    }

    #[test]
    fn appends_query_params() {
        let url = HttpUrl::parse("https://h/p?x=1#frag").unwrap();
        assert_eq!(url.with_query_params([("a", "b c")]), "https://h/p?x=1&a=b%20c");
        let bare = HttpUrl::parse("https://h/p").unwrap();
        assert_eq!(bare.with_query_params([("a", "1"), ("b", "2")]), "https://h/p?a=1&b=2");
    }

    #[test]
    fn query_parsing_keeps_duplicates_and_order() {
        let pairs = parse_query("a=1&b=&&a=2&c").unwrap();
        assert_eq!(
            pairs,
            vec![
                ("a".into(), "1".into()),
                ("b".into(), "".into()),
                ("a".into(), "2".into()),
                ("c".into(), "".into())
            ]
        );
    }
}
