//! `localStorage` and `sessionStorage`, every key under `logto:<appId>:`.
//!
//! Reads never fail loudly: storage that is unavailable reads as empty. Writes return an error
//! (quota, private mode) so the caller can show it.

use super::{js_message, window, BrowserError};

/// Which Web Storage area.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    /// `localStorage`: shared by every tab of the origin, kept across restarts.
    Local,
    /// `sessionStorage`: this tab only.
    Session,
}

/// The storage keys this library uses, after the `logto:<appId>:` prefix.
pub mod keys {
    /// The ID token (raw JWS), localStorage; @logto/browser's key.
    pub const ID_TOKEN: &str = "idToken";
    /// The refresh token, localStorage; @logto/browser's key.
    pub const REFRESH_TOKEN: &str = "refreshToken";
    /// The access-token map (JSON), localStorage; @logto/browser's key.
    pub const ACCESS_TOKEN: &str = "accessToken";
    /// The sign-in session between redirect and callback, sessionStorage.
    pub const SIGN_IN_SESSION: &str = "signInSession";
    /// The `state` sent to the end-session endpoint, sessionStorage, until the provider
    /// sends the browser back.
    pub const SIGN_OUT_STATE: &str = "signOutState";
    /// Cached discovery document, localStorage.
    pub const DISCOVERY: &str = "discovery";
    /// Cached JWKS, localStorage.
    pub const JWKS: &str = "jwks";
}

/// Storage scoped to one application id: every key is `logto:<appId>:<name>`.
///
/// ```no_run
/// use leptos_logto::browser::storage::{Area, AppStorage, keys};
/// let storage = AppStorage::new("demo-app");
/// storage.set(Area::Local, keys::ID_TOKEN, "eyJ...").ok();
/// assert_eq!(storage.key(keys::ID_TOKEN), "logto:demo-app:idToken");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppStorage {
    prefix: String,
}

fn area(area: Area) -> Result<web_sys::Storage, BrowserError> {
    let window = window()?;
    let storage = match area {
        Area::Local => window.local_storage(),
        Area::Session => window.session_storage(),
    };
    storage
        .map_err(|e| BrowserError::Storage(js_message(&e)))?
        .ok_or_else(|| BrowserError::Storage("storage is disabled in this browser".into()))
}

impl AppStorage {
    /// Storage for `app_id`.
    pub fn new(app_id: &str) -> Self {
        Self {
            prefix: format!("logto:{app_id}:"),
        }
    }

    /// The full key for `name`.
    pub fn key(&self, name: &str) -> String {
        format!("{}{name}", self.prefix)
    }

    /// The `logto:<appId>:` prefix.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// The value, or `None` when absent or when storage cannot be read.
    pub fn get(&self, area_: Area, name: &str) -> Option<String> {
        area(area_).ok()?.get_item(&self.key(name)).ok().flatten()
    }

    /// Writes a value.
    pub fn set(&self, area_: Area, name: &str, value: &str) -> Result<(), BrowserError> {
        area(area_)?
            .set_item(&self.key(name), value)
            .map_err(|e| BrowserError::Storage(js_message(&e)))
    }

    /// Removes a value (absent is fine).
    pub fn remove(&self, area_: Area, name: &str) {
        if let Ok(storage) = area(area_) {
            let _ = storage.remove_item(&self.key(name));
        }
    }

    /// Removes every `logto:<appId>:` key from both areas.
    pub fn clear_all(&self) {
        for area_ in [Area::Local, Area::Session] {
            let Ok(storage) = area(area_) else { continue };
            let len = storage.length().unwrap_or(0);
            let ours: Vec<String> = (0..len)
                .filter_map(|i| storage.key(i).ok().flatten())
                .filter(|k| k.starts_with(&self.prefix))
                .collect();
            for key in ours {
                let _ = storage.remove_item(&key);
            }
        }
    }
}
