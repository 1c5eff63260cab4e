//! Token endpoint requests (form bodies) and responses, and the stored token set in
//! @logto/browser's layout.

use crate::core::json::{parse_object, Json, JsonObject};
use crate::core::list_map::ListMap;
use crate::core::types::{AccessToken, AuthorizationCode, ClientId, IdToken, PkceCodeVerifier, RefreshToken, UnixTime};
use crate::core::url::form_encode;

/// Largest token response accepted (bytes).
pub const MAX_TOKEN_RESPONSE_BYTES: usize = 256 * 1024;

/// Why a token response was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TokenError {
    /// The provider answered with an OAuth error.
    #[error("the provider refused the token request: {error}{}", description.as_ref().map(|d| format!(" ({d})")).unwrap_or_default())]
    Provider {
        /// OAuth error code (e.g. `invalid_grant`).
        error: String,
        /// The provider's description.
        description: Option<String>,
    },
    /// Not JSON of the expected shape.
    #[error("the token response is not valid: {0}")]
    Malformed(String),
    /// `token_type` is not Bearer.
    #[error("the token response has token_type `{0}`; only Bearer tokens are supported")]
    NotBearer(String),
    /// A required field is missing.
    #[error("the token response has no `{0}`")]
    Missing(&'static str),
    /// `expires_in` is not a positive number.
    #[error("the token response's `expires_in` is not a positive number of seconds")]
    BadExpiry,
}

impl TokenError {
    /// True for `invalid_grant`: the refresh token (or code) is no longer valid.
    pub fn is_invalid_grant(&self) -> bool {
        matches!(self, Self::Provider { error, .. } if error == "invalid_grant")
    }
}

/// Which grant a response answers; the code grant must carry an ID token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grant {
    /// `authorization_code`.
    AuthorizationCode,
    /// `refresh_token`.
    RefreshToken,
}

/// Form body of the code exchange (RFC 6749 §4.1.3 + RFC 7636 §4.5).
pub fn authorization_code_body(
    client_id: &ClientId,
    code: &AuthorizationCode,
    verifier: &PkceCodeVerifier,
    redirect_uri: &str,
) -> String {
    form_encode([
        ("grant_type", "authorization_code"),
        ("client_id", client_id.as_str()),
        ("code", code.secret()),
        ("code_verifier", verifier.secret()),
        ("redirect_uri", redirect_uri),
    ])
}

/// Form body of a refresh (RFC 6749 §6), optionally for one resource (RFC 8707) or a Logto
/// organization (`organization_id`), with optional narrower scopes.
pub fn refresh_token_body(
    client_id: &ClientId,
    refresh_token: &RefreshToken,
    resource: Option<&str>,
    organization_id: Option<&str>,
    scope: Option<&str>,
) -> String {
    let mut pairs = vec![
        ("grant_type", "refresh_token"),
        ("client_id", client_id.as_str()),
        ("refresh_token", refresh_token.secret()),
    ];
    if let Some(resource) = resource {
        pairs.push(("resource", resource));
    }
    if let Some(org) = organization_id {
        pairs.push(("organization_id", org));
    }
    if let Some(scope) = scope {
        pairs.push(("scope", scope));
    }
    form_encode(pairs)
}

/// A successful token response, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenResponse {
    /// The access token.
    pub access_token: AccessToken,
    /// When it expires.
    pub expires_at: UnixTime,
    /// The ID token (always on the code grant; sometimes on refresh).
    pub id_token: Option<IdToken>,
    /// A new refresh token, when issued (otherwise keep the old one).
    pub refresh_token: Option<RefreshToken>,
    /// Granted scopes, when stated.
    pub scope: Option<String>,
}

impl TokenResponse {
    /// Reads the token endpoint's answer. `status` is the HTTP status: a non-2xx with an OAuth
    /// error body becomes [`TokenError::Provider`].
    pub fn from_http(status: u16, body: &str, grant: Grant, now: UnixTime) -> Result<Self, TokenError> {
        if body.len() > MAX_TOKEN_RESPONSE_BYTES {
            return Err(TokenError::Malformed(format!(
                "larger than {MAX_TOKEN_RESPONSE_BYTES} bytes"
            )));
        }
        if !(200..300).contains(&status) {
            let error = parse_object(body).ok().and_then(|o| {
                Some(TokenError::Provider {
                    error: o.required_string("error").ok()?,
                    description: o.string("error_description").ok()?,
                })
            });
            return Err(error.unwrap_or_else(|| TokenError::Malformed(format!("HTTP status {status}"))));
        }
        let o = parse_object(body).map_err(|e| TokenError::Malformed(e.to_string()))?;
        let field = |e: crate::core::json::FieldError| TokenError::Malformed(e.to_string());
        let token_type = o.string("token_type").map_err(field)?;
        let access_token = o.string("access_token").map_err(field)?;
        let expires_in = o.int("expires_in").map_err(field)?;
        let id_token = o.string("id_token").map_err(field)?;
        let refresh_token = o.string("refresh_token").map_err(field)?;
        let scope = o.string("scope").map_err(field)?;
        let token_type = token_type.ok_or(TokenError::Missing("token_type"))?;
        if !token_type.eq_ignore_ascii_case("bearer") {
            return Err(TokenError::NotBearer(token_type.chars().take(32).collect()));
        }
        let access_token = access_token
            .filter(|t| !t.is_empty())
            .ok_or(TokenError::Missing("access_token"))?;
        let expires_in = expires_in.ok_or(TokenError::Missing("expires_in"))?;
        if expires_in <= 0 {
            return Err(TokenError::BadExpiry);
        }
        let id_token = id_token.filter(|t| !t.is_empty());
        if grant == Grant::AuthorizationCode && id_token.is_none() {
            return Err(TokenError::Missing("id_token"));
        }
        Ok(Self {
            access_token: AccessToken::new(access_token),
            expires_at: now.plus(expires_in.min(10 * 365 * 86400)),
            id_token: id_token.map(IdToken::new),
            refresh_token: refresh_token.filter(|t| !t.is_empty()).map(RefreshToken::new),
            scope,
        })
    }
}

/// One cached access token, as @logto/browser stores it: `{token, scope, expiresAt}`
/// (`expiresAt` in seconds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAccessToken {
    /// The token.
    pub token: AccessToken,
    /// Granted scopes (space-separated).
    pub scope: String,
    /// Expiry, seconds since the epoch.
    pub expires_at: UnixTime,
}

impl StoredAccessToken {
    /// `{token, scope, expiresAt}`.
    pub fn to_object(&self) -> JsonObject {
        JsonObject::new()
            .with("token", Some(self.token.secret()))
            .with("scope", Some(&self.scope))
            .with("expiresAt", Some(self.expires_at.0))
    }

    /// Reads `{token, scope?, expiresAt}`; `None` when it is not that.
    pub fn from_object(o: &JsonObject) -> Option<Self> {
        Some(Self {
            token: AccessToken::new(o.required_string("token").ok()?),
            scope: o.string("scope").ok()?.unwrap_or_default(),
            expires_at: UnixTime(o.int("expiresAt").ok()??),
        })
    }

    /// True when it expires within `margin` seconds of `now`.
    pub fn expires_within(&self, now: UnixTime, margin: i64) -> bool {
        self.expires_at.0 <= now.0.saturating_add(margin)
    }
}

/// The key of an access token in the map, as @logto/browser builds it: `@` for the default
/// token, `@<resource>`, `@#<organization id>`.
///
/// ```
/// use leptos_logto::core::token::access_token_key;
/// assert_eq!(access_token_key(None, None), "@");
/// assert_eq!(access_token_key(Some("https://api"), None), "@https://api");
/// assert_eq!(access_token_key(None, Some("org1")), "@#org1");
/// ```
pub fn access_token_key(resource: Option<&str>, organization_id: Option<&str>) -> String {
    let mut key = String::from("@");
    key.push_str(resource.unwrap_or_default());
    if let Some(org) = organization_id {
        key.push('#');
        key.push_str(org);
    }
    key
}

/// The access-token map (`logto:<appId>:accessToken`): token key → token, in insertion
/// order.
///
/// ```
/// use leptos_logto::core::token::{AccessTokenMap, StoredAccessToken};
/// use leptos_logto::core::types::{AccessToken, UnixTime};
/// let mut map = AccessTokenMap::new();
/// let token = |t: &str| StoredAccessToken { token: AccessToken::new(t), scope: String::new(), expires_at: UnixTime(9) };
/// map.insert("@", token("a"));
/// map.insert("@", token("b"));
/// assert_eq!(map.len(), 1);
/// assert_eq!(map.get("@").map(|t| t.token.secret()), Some("b"));
/// ```
pub type AccessTokenMap = ListMap<StoredAccessToken>;

/// Reads a stored access-token map, dropping entries that are not well-formed (a half-written
/// or foreign value never breaks the rest). `None` when the whole value is not a JSON object.
pub fn access_token_map_from_json(json: &str) -> Option<AccessTokenMap> {
    let raw = parse_object(json).ok()?;
    let mut map = AccessTokenMap::new();
    for (key, value) in raw.iter().filter(|(key, _)| key.starts_with('@')) {
        if let Some(token) = value.as_object().and_then(StoredAccessToken::from_object) {
            map.insert(key, token);
        }
    }
    Some(map)
}

/// The access-token map as stored.
pub fn access_token_map_to_json(map: &AccessTokenMap) -> String {
    let mut object = JsonObject::new();
    for (key, token) in map.iter() {
        object.insert(key, Json::Object(token.to_object()));
    }
    Json::Object(object).to_json_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::url::parse_query;

    fn pairs(body: &str) -> Vec<(String, String)> {
        parse_query(body).unwrap()
    }

    #[test]
    fn code_body_carries_verifier_and_redirect() {
        let body = authorization_code_body(
            &ClientId::new("demo-app"),
            &AuthorizationCode::new("c&d"),
            &PkceCodeVerifier::new("v"),
            "http://127.0.0.1:3000/callback",
        );
        assert_eq!(
            pairs(&body),
            [
                ("grant_type", "authorization_code"),
                ("client_id", "demo-app"),
                ("code", "c&d"),
                ("code_verifier", "v"),
                ("redirect_uri", "http://127.0.0.1:3000/callback")
            ]
            .map(|(a, b)| (a.to_string(), b.to_string()))
        );
    }

    #[test]
    fn refresh_body_adds_resource_org_and_scope_only_when_given() {
        let rt = RefreshToken::new("r");
        let plain = refresh_token_body(&ClientId::new("a"), &rt, None, None, None);
        assert_eq!(plain, "grant_type=refresh_token&client_id=a&refresh_token=r");
        let full = refresh_token_body(
            &ClientId::new("a"),
            &rt,
            Some("https://api"),
            Some("o1"),
            Some("read write"),
        );
        assert!(full.ends_with("&resource=https%3A%2F%2Fapi&organization_id=o1&scope=read%20write"));
    }

    #[test]
    fn response_rules() {
        let now = UnixTime(1000);
        let ok = r#"{"access_token":"at","token_type":"bearer","expires_in":3600,"id_token":"a.b.c","refresh_token":"rt","scope":"openid"}"#;
        let response = TokenResponse::from_http(200, ok, Grant::AuthorizationCode, now).unwrap();
        assert_eq!(response.expires_at, UnixTime(4600));
        assert_eq!(response.refresh_token, Some(RefreshToken::new("rt")));

        let no_id = r#"{"access_token":"at","token_type":"Bearer","expires_in":60}"#;
        assert_eq!(
            TokenResponse::from_http(200, no_id, Grant::AuthorizationCode, now),
            Err(TokenError::Missing("id_token"))
        );
        let refreshed = TokenResponse::from_http(200, no_id, Grant::RefreshToken, now).unwrap();
        assert_eq!(
            refreshed.refresh_token, None,
            "absent refresh token: caller keeps the old one"
        );

        let mac = r#"{"access_token":"at","token_type":"MAC","expires_in":60,"id_token":"x"}"#;
        assert_eq!(
            TokenResponse::from_http(200, mac, Grant::AuthorizationCode, now),
            Err(TokenError::NotBearer("MAC".into()))
        );
        let no_at = r#"{"token_type":"Bearer","expires_in":60,"id_token":"x"}"#;
        assert_eq!(
            TokenResponse::from_http(200, no_at, Grant::AuthorizationCode, now),
            Err(TokenError::Missing("access_token"))
        );
        let no_exp = r#"{"access_token":"at","token_type":"Bearer","id_token":"x"}"#;
        assert_eq!(
            TokenResponse::from_http(200, no_exp, Grant::AuthorizationCode, now),
            Err(TokenError::Missing("expires_in"))
        );
        let bad_exp = r#"{"access_token":"at","token_type":"Bearer","expires_in":-5,"id_token":"x"}"#;
        assert_eq!(
            TokenResponse::from_http(200, bad_exp, Grant::AuthorizationCode, now),
            Err(TokenError::BadExpiry)
        );
        assert!(matches!(
            TokenResponse::from_http(200, "<html>", Grant::RefreshToken, now),
            Err(TokenError::Malformed(_))
        ));
    }

    #[test]
    fn error_responses_are_typed() {
        let err = TokenResponse::from_http(
            400,
            r#"{"error":"invalid_grant","error_description":"grant request is invalid"}"#,
            Grant::RefreshToken,
            UnixTime(0),
        )
        .unwrap_err();
        assert!(err.is_invalid_grant());
        assert_eq!(
            err.to_string(),
            "the provider refused the token request: invalid_grant (grant request is invalid)"
        );
        assert!(matches!(
            TokenResponse::from_http(500, "oops", Grant::RefreshToken, UnixTime(0)),
            Err(TokenError::Malformed(_))
        ));
    }

    #[test]
    fn access_token_map_tolerates_half_written_entries() {
        let json = r#"{"@":{"token":"a","scope":"openid","expiresAt":100},"@https://api":{"token":"b"},"junk":{"token":"c","expiresAt":1},"@#o":{"token":"d","scope":"","expiresAt":5}}"#;
        let map = access_token_map_from_json(json).unwrap();
        assert_eq!(map.iter().map(|(k, _)| k).collect::<Vec<_>>(), ["@", "@#o"]);
        assert!(map.get("@").unwrap().expires_within(UnixTime(50), 60));
        assert!(!map.get("@").unwrap().expires_within(UnixTime(30), 60));
        assert_eq!(access_token_map_from_json(&access_token_map_to_json(&map)), Some(map));
        assert_eq!(access_token_map_from_json("[1,2]"), None);
        assert_eq!(access_token_map_from_json("\u{0}garbage"), None);
    }
}
