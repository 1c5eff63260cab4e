//! The sign-in session: what is kept between the redirect to the provider and the callback.

use crate::core::config::LogtoConfig;
use crate::core::jose::base64url;
use crate::core::json::{parse_object, Json, JsonObject};
use crate::core::pkce::{self, VERIFIER_RANDOM_BYTES};
use crate::core::return_path::safe_return_path;
use crate::core::types::{CsrfState, IssuerUrl, Nonce, PkceCodeVerifier, UnixTime};

/// Random bytes needed to start one sign-in: state, nonce and PKCE verifier, 32 bytes each.
pub const SIGN_IN_RANDOM_BYTES: usize = 96;

/// How long a sign-in may take before its session is stale (seconds).
pub const SIGN_IN_SESSION_TTL: i64 = 30 * 60;

/// State saved (in sessionStorage) between the redirect and the callback. Single use: the
/// browser layer removes it before the code exchange starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignInSession {
    /// The `state` sent.
    pub state: CsrfState,
    /// The `nonce` sent.
    pub nonce: Nonce,
    /// The PKCE verifier whose challenge was sent.
    pub code_verifier: PkceCodeVerifier,
    /// The redirect URI sent (the callback must arrive there).
    pub redirect_uri: String,
    /// The issuer the request went to.
    pub issuer: IssuerUrl,
    /// The in-app path to return to after the callback (always a safe relative path).
    pub return_to: String,
    /// When the sign-in started.
    pub created_at: UnixTime,
}

impl SignInSession {
    /// A fresh session from 96 random bytes (from `crypto.getRandomValues` in the browser).
    /// An unsafe `return_to` is replaced by `/`.
    pub fn new(config: &LogtoConfig, random: &[u8; SIGN_IN_RANDOM_BYTES], return_to: &str, now: UnixTime) -> Self {
        let mut verifier_bytes = [0u8; VERIFIER_RANDOM_BYTES];
        verifier_bytes.copy_from_slice(&random[64..96]);
        Self {
            state: CsrfState::new(base64url::encode(&random[..32])),
            nonce: Nonce::new(base64url::encode(&random[32..64])),
            code_verifier: pkce::verifier_from_random(&verifier_bytes),
            redirect_uri: config.redirect_uri.to_string(),
            issuer: config.issuer(),
            return_to: safe_return_path(return_to).unwrap_or("/").to_owned(),
            created_at: now,
        }
    }

    /// Reads a stored session; `None` for anything that is not one (corrupt storage) and for
    /// a stale one. A return path that is not safe (tampered storage) becomes `/`.
    pub fn from_json(json: &str, now: UnixTime) -> Option<Self> {
        let o = parse_object(json).ok()?;
        let text = |key: &str| o.required_string(key).ok();
        let mut session = Self {
            state: CsrfState::new(text("state")?),
            nonce: Nonce::new(text("nonce")?),
            code_verifier: PkceCodeVerifier::new(text("codeVerifier")?),
            redirect_uri: text("redirectUri")?,
            issuer: IssuerUrl::new(text("issuer")?),
            return_to: text("returnTo")?,
            created_at: UnixTime(o.int("createdAt").ok()??),
        };
        let fresh = now.0 >= session.created_at.0 - 60 && now.0 - session.created_at.0 <= SIGN_IN_SESSION_TTL;
        if safe_return_path(&session.return_to).is_none() {
            session.return_to = "/".to_owned();
        }
        fresh.then_some(session)
    }

    /// JSON for storage.
    pub fn to_json(&self) -> String {
        Json::Object(
            JsonObject::new()
                .with("state", Some(self.state.secret()))
                .with("nonce", Some(self.nonce.secret()))
                .with("codeVerifier", Some(self.code_verifier.secret()))
                .with("redirectUri", Some(&self.redirect_uri))
                .with("issuer", Some(self.issuer.as_str()))
                .with("returnTo", Some(&self.return_to))
                .with("createdAt", Some(self.created_at.0)),
        )
        .to_json_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> LogtoConfig {
        LogtoConfig::new("http://127.0.0.1:3001", "demo-app", "http://127.0.0.1:3000/callback").unwrap()
    }

    #[test]
    fn fields_come_from_distinct_random_slices() {
        let mut random = [0u8; SIGN_IN_RANDOM_BYTES];
        for (i, b) in random.iter_mut().enumerate() {
            *b = i as u8;
        }
        let session = SignInSession::new(&config(), &random, "/protected?tab=2", UnixTime(1000));
        assert_eq!(session.state.secret(), base64url::encode(&random[..32]));
        assert_eq!(session.nonce.secret(), base64url::encode(&random[32..64]));
        assert_eq!(session.code_verifier.secret(), base64url::encode(&random[64..]));
        assert_eq!(session.return_to, "/protected?tab=2");
        assert_eq!(session.issuer.as_str(), "http://127.0.0.1:3001/oidc");
    }

    #[test]
    fn unsafe_return_path_becomes_root() {
        let session = SignInSession::new(&config(), &[7; SIGN_IN_RANDOM_BYTES], "//evil.test", UnixTime(0));
        assert_eq!(session.return_to, "/");
    }

    #[test]
    fn round_trips_refuses_corrupt_or_stale_and_neutralises_unsafe_return_paths() {
        let session = SignInSession::new(&config(), &[1; SIGN_IN_RANDOM_BYTES], "/", UnixTime(1000));
        let json = session.to_json();
        assert_eq!(SignInSession::from_json(&json, UnixTime(1010)), Some(session.clone()));
        assert_eq!(
            SignInSession::from_json(&json, UnixTime(1000 + SIGN_IN_SESSION_TTL + 1)),
            None
        );
        assert_eq!(SignInSession::from_json("{not json", UnixTime(1000)), None);
        assert_eq!(SignInSession::from_json("[]", UnixTime(1000)), None);
        let tampered = json.replace("\"returnTo\":\"/\"", "\"returnTo\":\"https://evil.test\"");
        assert_ne!(tampered, json);
        assert_eq!(
            SignInSession::from_json(&tampered, UnixTime(1000)).map(|s| s.return_to),
            Some("/".into())
        );
    }
}
