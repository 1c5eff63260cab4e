//! The current URL, navigation, history and the clock.

use super::{js_message, window, BrowserError};
use crate::core::types::UnixTime;

/// Now, from `Date.now()`.
pub fn now() -> UnixTime {
    UnixTime::from_millis(js_sys::Date::now())
}

/// `location.href`.
pub fn current_href() -> Result<String, BrowserError> {
    window()?
        .location()
        .href()
        .map_err(|e| BrowserError::Navigation(js_message(&e)))
}

/// `location.origin`.
pub fn current_origin() -> Result<String, BrowserError> {
    window()?
        .location()
        .origin()
        .map_err(|e| BrowserError::Navigation(js_message(&e)))
}

/// `location.assign(url)`: leaves the app (to the provider).
pub fn assign(url: &str) -> Result<(), BrowserError> {
    window()?
        .location()
        .assign(url)
        .map_err(|e| BrowserError::Navigation(js_message(&e)))
}

/// Replaces the current history entry's URL with `path` (same origin), without a reload:
/// removes `code`, `state` and `iss` from the address bar and from history.
pub fn replace_url(path: &str) -> Result<(), BrowserError> {
    window()?
        .history()
        .and_then(|h| h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(path)))
        .map_err(|e| BrowserError::Navigation(js_message(&e)))
}
