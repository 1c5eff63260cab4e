//! The signed-in session and its place in storage (@logto/browser's layout).

use crate::browser::storage::{keys, AppStorage, Area};
use crate::browser::BrowserError;
use crate::core::claims::IdTokenClaims;
use crate::core::config::LogtoConfig;
use crate::core::id_token::{decode_claims_unverified, numeric_date};
use crate::core::token::{access_token_key, access_token_map_from_json, AccessTokenMap};
use crate::core::types::{AccessToken, IdToken, RefreshToken, UnixTime};

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
        let expires_at = claims.exp.as_ref().map(|e| UnixTime(numeric_date(e)));
        let (true, Some(expires_at)) = (ours, expires_at) else {
            return Err(());
        };
        let refresh_token = storage
            .get(Area::Local, keys::REFRESH_TOKEN)
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
    pub(crate) fn save(&self, storage: &AppStorage) -> Result<(), BrowserError> {
        let access_json =
            serde_json::to_string(&self.access_tokens).map_err(|e| BrowserError::Storage(e.to_string()))?;
        let writes: [(&str, Option<&str>); 3] = [
            (keys::ACCESS_TOKEN, Some(&access_json)),
            (keys::REFRESH_TOKEN, self.refresh_token.as_ref().map(|t| t.secret())),
            (keys::ID_TOKEN, Some(self.id_token.secret())),
        ];
        let previous: Vec<Option<String>> = writes.iter().map(|(name, _)| storage.get(Area::Local, name)).collect();
        for (name, value) in writes {
            let result = match value {
                Some(value) => storage.set(Area::Local, name, value),
                None => {
                    storage.remove(Area::Local, name);
                    Ok(())
                }
            };
            if let Err(error) = result {
                for ((name, _), old) in writes.iter().zip(&previous) {
                    match old {
                        Some(old) => {
                            let _ = storage.set(Area::Local, name, old);
                        }
                        None => storage.remove(Area::Local, name),
                    }
                }
                return Err(error);
            }
        }
        Ok(())
    }

    /// Removes the stored tokens (not the caches).
    pub(crate) fn remove(storage: &AppStorage) {
        for name in [keys::ID_TOKEN, keys::REFRESH_TOKEN, keys::ACCESS_TOKEN] {
            storage.remove(Area::Local, name);
        }
    }
}
