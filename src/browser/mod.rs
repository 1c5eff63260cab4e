//! The browser layer: thin, honest wrappers over the Web APIs the client needs, in the style
//! of `gloo`. Every call that can throw returns a [`BrowserError`]; nothing here panics on what
//! storage, the network or the URL hold.
//!
//! | module | wraps |
//! |---|---|
//! | [`storage`] | `localStorage` / `sessionStorage` under `logto:<appId>:` |
//! | [`http`] | `fetch` through gloo-net: form POSTs and JSON GETs |
//! | [`crypto`] | `crypto.getRandomValues`, `SubtleCrypto.verify` and `.digest` (a [`crate::core::jose::JoseCrypto`]) |
//! | [`frame`] | `requestAnimationFrame`: waiting until the next paint |
//! | [`location`] | the current URL, navigation, `history.replaceState`, the clock |
//! | [`locks`] | the Web Locks API: cross-tab mutual exclusion and markers |

pub mod crypto;
pub mod frame;
pub mod http;
pub mod location;
pub mod locks;
pub mod storage;

use wasm_bindgen::JsValue;

/// What went wrong in a browser API.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BrowserError {
    /// No `window` (not running in a page).
    #[error("this code must run in a browser page (no `window`)")]
    NoWindow,
    /// Storage is unavailable or refused the write (private mode, quota full, disabled).
    #[error("browser storage is unavailable or full: {0}")]
    Storage(String),
    /// The request could not be made or its answer not read (offline, CORS, DNS, reset).
    #[error("could not reach {url}: {reason}")]
    Network {
        /// The URL requested.
        url: String,
        /// The browser's reason.
        reason: String,
    },
    /// A non-success HTTP status where only success was usable.
    #[error("{url} answered with HTTP status {status}")]
    Status {
        /// The URL requested.
        url: String,
        /// The status.
        status: u16,
    },
    /// WebCrypto refused (unsupported algorithm, bad key, no secure context).
    #[error("the browser's WebCrypto failed: {0}")]
    Crypto(String),
    /// The Web Locks API failed or is missing.
    #[error("cross-tab locking failed: {0}")]
    Lock(String),
    /// Navigation or history failed.
    #[error("the browser refused to navigate: {0}")]
    Navigation(String),
}

/// A readable message from a thrown JS value (an `Error`'s message, or its string form).
pub(crate) fn js_message(value: &JsValue) -> String {
    use wasm_bindgen::JsCast;
    match value.dyn_ref::<js_sys::Error>() {
        Some(error) => String::from(error.message()),
        None => value.as_string().unwrap_or_else(|| format!("{value:?}")),
    }
}

/// The page's `window`.
pub(crate) fn window() -> Result<web_sys::Window, BrowserError> {
    web_sys::window().ok_or(BrowserError::NoWindow)
}
