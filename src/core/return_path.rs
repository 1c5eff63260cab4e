//! In-app return paths: where to go after sign-in. Only same-origin relative paths are
//! followed, so a crafted return path can never become an open redirect.

/// Longest return path kept.
pub const MAX_RETURN_PATH_LEN: usize = 2048;

/// Returns `path` if it is a same-origin relative path (`/x?y#z`), else `None`.
///
/// Refused: anything not starting with a single `/` (`//host`, `/\host`, `https:…`,
/// `javascript:…`), control characters, spaces, backslashes, non-ASCII, overlong paths.
///
/// ```
/// use leptos_logto::core::return_path::safe_return_path;
/// assert_eq!(safe_return_path("/protected?tab=2#top"), Some("/protected?tab=2#top"));
/// assert_eq!(safe_return_path("//evil.test"), None);
/// assert_eq!(safe_return_path("https://evil.test"), None);
/// ```
pub fn safe_return_path(path: &str) -> Option<&str> {
    let ok = path.starts_with('/')
        && !path.starts_with("//")
        && path.len() <= MAX_RETURN_PATH_LEN
        && path.bytes().all(|b| b.is_ascii_graphic() && b != b'\\');
    ok.then_some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_relative_same_origin_paths_pass() {
        for good in ["/", "/protected", "/protected?tab=2", "/a/b?c=d#e", "/%2F%2Fx"] {
            assert_eq!(safe_return_path(good), Some(good));
        }
        for bad in [
            "",
            "//evil.test",
            "///evil.test",
            "/\\evil.test",
            "https://evil.test",
            "javascript:alert(1)",
            "evil.test",
            "/ space",
            "/tab\there",
            "/new\nline",
            "/é",
        ] {
            assert_eq!(safe_return_path(bad), None, "{bad:?}");
        }
        assert_eq!(safe_return_path(&format!("/{}", "a".repeat(MAX_RETURN_PATH_LEN))), None);
    }
}
