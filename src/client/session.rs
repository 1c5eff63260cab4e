//! The signed-in session and its place in storage (@logto/browser's layout).

use crate::browser::storage::{keys, AppStorage, Area};
use crate::browser::BrowserError;
use crate::core::claims::IdTokenClaims;
use crate::core::config::{LogtoConfig, RefreshTokenStorage};
use crate::core::id_token::decode_claims_unverified;
use crate::core::token::{access_token_key, access_token_map_from_json, access_token_map_to_json, AccessTokenMap};
use crate::core::types::{AccessToken, IdToken, RefreshToken, UnixTime};
use std::cell::RefCell;

thread_local! {
    /// Refresh tokens kept in memory only (`refreshTokenStorage: "memory"`), by storage prefix
    /// (one per client, so a list).
    static MEMORY_REFRESH_TOKENS: RefCell<Vec<(String, String)>> = const { RefCell::new(Vec::new()) };
}

/// Reads the refresh token from where the configuration keeps it.
pub(crate) fn read_refresh_token(storage: &AppStorage, config: &LogtoConfig) -> Option<String> {
    match config.refresh_token_storage {
        RefreshTokenStorage::LocalStorage => storage.get(Area::Local, keys::REFRESH_TOKEN),
        RefreshTokenStorage::SessionStorage => storage.get(Area::Session, keys::REFRESH_TOKEN),
        RefreshTokenStorage::Memory => MEMORY_REFRESH_TOKENS.with(|m| {
            m.borrow()
                .iter()
                .find(|(prefix, _)| prefix == storage.prefix())
                .map(|(_, token)| token.clone())
        }),
    }
}

fn write_refresh_token(storage: &AppStorage, config: &LogtoConfig, value: Option<&str>) -> Result<(), BrowserError> {
    let area = match config.refresh_token_storage {
        RefreshTokenStorage::LocalStorage => Area::Local,
        RefreshTokenStorage::SessionStorage => Area::Session,
        RefreshTokenStorage::Memory => {
            forget_memory_refresh_token(storage);
            if let Some(value) = value {
                MEMORY_REFRESH_TOKENS.with(|m| m.borrow_mut().push((storage.prefix().to_owned(), value.to_owned())));
            }
            return Ok(());
        }
    };
    match value {
        Some(value) => storage.set(area, keys::REFRESH_TOKEN, value),
        None => {
            storage.remove(area, keys::REFRESH_TOKEN);
            Ok(())
        }
    }
}

/// Forgets a memory-only refresh token (sign-out).
pub(crate) fn forget_memory_refresh_token(storage: &AppStorage) {
    MEMORY_REFRESH_TOKENS.with(|m| m.borrow_mut().retain(|(prefix, _)| prefix != storage.prefix()));
}

/// A signed-in session: tokens whose ID token was verified before it was stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    /// The verified ID token.
    pub id_token: IdToken,
    /// Its claims.
    pub claims: IdTokenClaims,
    /// The ID token's expiry.
    pub expires_at: UnixTime,
    /// The refresh token, when `offline_access` was granted.
    pub refresh_token: Option<RefreshToken>,
    /// Access tokens by key (`@`, `@<resource>`, `@#<org>`).
    pub access_tokens: AccessTokenMap,
}

impl Session {
    /// The default (resource-less) access token, used for userinfo.
    pub fn default_access_token(&self) -> Option<&AccessToken> {
        self.access_tokens.get(&access_token_key(None, None)).map(|t| &t.token)
    }

    /// True when the ID token has expired (beyond `skew`).
    pub fn is_expired(&self, now: UnixTime, skew: i64) -> bool {
        now.0 > self.expires_at.0.saturating_add(skew)
    }

    /// Reads the stored session. `Ok(None)` when signed out; `Err(())` when the stored values
    /// are corrupt or belong to another issuer or application.
    pub(crate) fn load(storage: &AppStorage, config: &LogtoConfig) -> Result<Option<Self>, ()> {
        let Some(id_token) = storage.get(Area::Local, keys::ID_TOKEN) else {
            return Ok(None);
        };
        // This token was verified before it was stored; here only its claims are read back,
        // and checked to be ours so a foreign or tampered value is not shown as signed in.
        let claims = decode_claims_unverified(&id_token).map_err(|_| ())?;
        let ours = claims.iss.as_deref() == Some(config.issuer().as_str())
            && claims.aud.iter().any(|a| a == config.app_id.as_str())
            && claims.sub.is_some();
        let expires_at = claims.exp.map(UnixTime);
        let (true, Some(expires_at)) = (ours, expires_at) else {
            return Err(());
        };
        let refresh_token = read_refresh_token(storage, config)
            .filter(|t| !t.is_empty())
            .map(RefreshToken::new);
        let access_tokens = storage
            .get(Area::Local, keys::ACCESS_TOKEN)
            .and_then(|json| access_token_map_from_json(&json))
            .unwrap_or_default();
        Ok(Some(Self {
            id_token: IdToken::new(id_token),
            claims,
            expires_at,
            refresh_token,
            access_tokens,
        }))
    }

    /// Stores the session. All or nothing: when a write fails (quota), the previous values are
    /// put back so a failed sign-in never disturbs a session other tabs are using.
    pub(crate) fn save(&self, storage: &AppStorage, config: &LogtoConfig) -> Result<(), BrowserError> {
        let access_json = access_token_map_to_json(&self.access_tokens);
        let previous_refresh = read_refresh_token(storage, config);
        let previous: Vec<Option<String>> = [keys::ACCESS_TOKEN, keys::ID_TOKEN]
            .iter()
            .map(|name| storage.get(Area::Local, name))
            .collect();
        let result = storage
            .set(Area::Local, keys::ACCESS_TOKEN, &access_json)
            .and_then(|()| write_refresh_token(storage, config, self.refresh_token.as_ref().map(|t| t.secret())))
            .and_then(|()| storage.set(Area::Local, keys::ID_TOKEN, self.id_token.secret()));
        if result.is_err() {
            for (name, old) in [keys::ACCESS_TOKEN, keys::ID_TOKEN].iter().zip(&previous) {
                match old {
                    Some(old) => {
                        let _ = storage.set(Area::Local, name, old);
                    }
                    None => storage.remove(Area::Local, name),
                }
            }
            let _ = write_refresh_token(storage, config, previous_refresh.as_deref());
        }
        result
    }

    /// Removes the stored tokens (not the caches).
    pub(crate) fn remove(storage: &AppStorage) {
        for name in [keys::ID_TOKEN, keys::REFRESH_TOKEN, keys::ACCESS_TOKEN] {
            storage.remove(Area::Local, name);
        }
        storage.remove(Area::Session, keys::REFRESH_TOKEN);
        forget_memory_refresh_token(storage);
    }
}
