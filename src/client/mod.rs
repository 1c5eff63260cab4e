//! The client: the sign-in flow, composed from the protocol core and the browser layer.
//! No Leptos here; [`crate::auth`] turns these results into signals.
//!
//! Maps to angular-auth-oidc-client / @logto/browser:
//!
//! | here | angular-auth-oidc-client | @logto/browser |
//! |---|---|---|
//! | [`LogtoClient::restore_session`] | `checkAuth()` (stored session) | `isAuthenticated()` |
//! | [`LogtoClient::start_sign_in`] | `authorize()` | `signIn()` |
//! | [`LogtoClient::handle_callback`] | `checkAuth()` on `/callback` | `handleSignInCallback()` |
//! | [`LogtoClient::fetch_user_info`] | `userData$` | `fetchUserInfo()` |
//! | [`LogtoClient::sign_out`] | `logoff()` | `signOut()` |
//! | [`LogtoClient::sign_out_local`] | `logoffLocal()` | `clearAllTokens()` |

mod refresh;
mod session;

pub use refresh::{TokenTarget, RENEW_MARGIN_SECONDS};
pub use session::Session;

use crate::browser::crypto::{self, fill_random, WebCrypto};
use crate::browser::storage::{keys, AppStorage, Area};
use crate::browser::{http, location, BrowserError};
use crate::core::authorize::authorization_url;
use crate::core::callback::{parse_callback, CallbackError};
use crate::core::claims::UserInfo;
use crate::core::config::{ConfigError, LogtoConfig};
use crate::core::discovery::{DiscoveryError, ProviderMetadata};
use crate::core::end_session::end_session_url;
use crate::core::id_token::{validate_id_token, IdTokenError, IdTokenExpectations, NonceCheck, ValidatedIdToken};
use crate::core::jose::{JwkSet, KeySelectionError};
use crate::core::json::{parse_object, Json, JsonObject, JsonObjectCodec};
use crate::core::pkce::s256_challenge;
use crate::core::session::{SignInSession, SIGN_IN_RANDOM_BYTES};
use crate::core::token::{
    access_token_key, authorization_code_body, Grant, StoredAccessToken, TokenError, TokenResponse,
};
use crate::core::types::constant_time_eq;
use crate::core::types::{CsrfState, UnixTime};
use crate::core::url::{parse_query, HttpUrl, UrlError};

/// How long a cached discovery document or JWKS is used before it is fetched again (seconds).
pub const METADATA_CACHE_TTL: i64 = 60 * 60;

/// Everything that can go wrong in the sign-in flow; each message says what happened and what
/// to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AuthError {
    /// The configuration is invalid.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The provider's discovery document was refused.
    #[error(transparent)]
    Discovery(#[from] DiscoveryError),
    /// The callback URL was refused.
    #[error(transparent)]
    Callback(#[from] CallbackError),
    /// The token endpoint refused or answered badly.
    #[error(transparent)]
    Token(#[from] TokenError),
    /// The ID token was refused.
    #[error(transparent)]
    IdToken(#[from] IdTokenError),
    /// The provider's key set was refused.
    #[error(transparent)]
    Jwks(#[from] KeySelectionError),
    /// A browser API failed (network, storage, WebCrypto).
    #[error(transparent)]
    Browser(#[from] BrowserError),
    /// A URL from the provider could not be used.
    #[error("a URL from the provider is invalid: {0}")]
    Url(#[from] UrlError),
    /// `/callback` was opened with no sign-in in progress in this tab.
    #[error("there is no sign-in in progress in this tab (it may have finished already, or expired); press Sign in to start again")]
    NoSignInSession,
    /// The userinfo response could not be used.
    #[error("the user info could not be read: {0}")]
    UserInfo(String),
    /// The userinfo `sub` differs from the ID token's (OpenID Connect Core §5.3.2).
    #[error("the provider's user info belongs to another user than the ID token; you were signed out of this app for safety")]
    UserInfoSubjectMismatch,
    /// No session is stored (signed out, or signed out in another tab).
    #[error("you are not signed in")]
    NotSignedIn,
    /// The session has no refresh token (`offline_access` was not granted).
    #[error("the session cannot be renewed: the provider issued no refresh token (is `offline_access` granted and `prompt` consent?); sign in again")]
    NoRefreshToken,
    /// The provider refused the refresh token: the session is over and was cleared.
    #[error("your session has ended ({0}); please sign in again")]
    SessionEnded(TokenError),
    /// An organization token was asked for without the organizations scope.
    #[error("organization tokens need the `urn:logto:scope:organizations` scope in `scopes`")]
    OrganizationsScopeMissing,
    /// The provider does not publish the endpoint needed.
    #[error("the provider does not publish a {0}")]
    MissingEndpoint(&'static str),
}

/// The sign-in client for one application.
#[derive(Debug, Clone)]
pub struct LogtoClient {
    config: LogtoConfig,
    storage: AppStorage,
}

impl LogtoClient {
    /// A client for `config`; storage keys are `logto:<appId>:…`.
    pub fn new(config: LogtoConfig) -> Self {
        let storage = AppStorage::new(config.app_id.as_str());
        Self { config, storage }
    }

    /// The configuration.
    pub fn config(&self) -> &LogtoConfig {
        &self.config
    }

    /// The scoped storage.
    pub fn storage(&self) -> &AppStorage {
        &self.storage
    }

    /// Reads the stored session without any network request. A session whose ID token has
    /// expired, or whose stored values are corrupt or foreign, is `None`, and corrupt values
    /// are removed.
    pub fn restore_session(&self, now: UnixTime) -> Option<Session> {
        match Session::load(&self.storage, &self.config) {
            Ok(Some(session)) if !session.is_expired(now, self.config.clock_skew_seconds) => Some(session),
            Ok(_) => None,
            Err(()) => {
                Session::remove(&self.storage);
                None
            }
        }
    }

    /// True when storage holds a session whose ID token may have expired but which has a
    /// refresh token to renew it with.
    pub fn has_renewable_session(&self) -> bool {
        matches!(Session::load(&self.storage, &self.config), Ok(Some(session)) if session.refresh_token.is_some())
    }

    /// A cached `{fetchedAt, value}` younger than [`METADATA_CACHE_TTL`]; a corrupt entry is
    /// removed.
    fn read_cache<T: JsonObjectCodec>(&self, name: &str, now: UnixTime) -> Option<T> {
        let json = self.storage.get(Area::Local, name)?;
        let cached = parse_object(&json).ok().and_then(|o| {
            let fetched_at = o.int("fetchedAt").ok()??;
            Some((fetched_at, T::from_object(o.object("value").ok()??).ok()?))
        });
        match cached {
            Some((fetched_at, value)) if (0..METADATA_CACHE_TTL).contains(&(now.0 - fetched_at)) => Some(value),
            Some(_) => None,
            None => {
                self.storage.remove(Area::Local, name);
                None
            }
        }
    }

    fn write_cache<T: JsonObjectCodec>(&self, name: &str, value: &T, now: UnixTime) {
        let cached = JsonObject::new()
            .with("fetchedAt", Some(now.0))
            .with("value", Some(value.to_object()));
        // A cache that cannot be written is only slower next time.
        let _ = self
            .storage
            .set(Area::Local, name, &Json::Object(cached).to_json_string());
    }

    /// The provider's metadata: from the cache when fresh and still valid, else fetched and
    /// checked against the configured issuer. A failed fetch is not cached.
    pub async fn provider_metadata(&self) -> Result<ProviderMetadata, AuthError> {
        let now = location::now();
        let issuer = self.config.issuer();
        if let Some(cached) = self.read_cache::<ProviderMetadata>(keys::DISCOVERY, now) {
            if cached.check(&issuer).is_ok() {
                return Ok(cached);
            }
        }
        let url = self.config.discovery_url();
        let body = http::get(&url, None).await?.success_body(&url)?;
        let metadata = ProviderMetadata::from_json(&body, &issuer)?;
        self.write_cache(keys::DISCOVERY, &metadata, now);
        Ok(metadata)
    }

    async fn fetch_jwks(&self, metadata: &ProviderMetadata, now: UnixTime) -> Result<JwkSet, AuthError> {
        let body = http::get(&metadata.jwks_uri, None)
            .await?
            .success_body(&metadata.jwks_uri)?;
        let jwks = JwkSet::from_json(&body)?;
        self.write_cache(keys::JWKS, &jwks, now);
        Ok(jwks)
    }

    /// Starts sign-in: saves a fresh sign-in session in sessionStorage and sends the browser
    /// to the provider. `return_to` is followed after the callback only if it is a safe
    /// relative path.
    pub async fn start_sign_in(&self, return_to: &str) -> Result<(), AuthError> {
        let metadata = self.provider_metadata().await?;
        // Warm the JWKS cache now, so the callback's critical path is the token request alone.
        // A failure here is not fatal: the callback fetches the keys itself.
        if self.read_cache::<JwkSet>(keys::JWKS, location::now()).is_none() {
            let _ = self.fetch_jwks(&metadata, location::now()).await;
        }
        let mut random = [0u8; SIGN_IN_RANDOM_BYTES];
        fill_random(&mut random)?;
        let session = SignInSession::new(&self.config, &random, return_to, location::now());
        let challenge = s256_challenge(&crypto::sha2(256, session.code_verifier.secret().as_bytes()).await?);
        let url = authorization_url(&self.config, &metadata, &session, &challenge)?;
        self.storage
            .set(Area::Session, keys::SIGN_IN_SESSION, &session.to_json())?;
        location::assign(&url)?;
        Ok(())
    }

    /// Takes this tab's sign-in session out of sessionStorage. Single use: it is gone
    /// whatever happens next, so a callback URL can be redeemed once at most.
    /// [`AuthError::NoSignInSession`] when there is none, or it is stale or corrupt.
    pub fn take_sign_in_session(&self) -> Result<SignInSession, AuthError> {
        let stored = self.storage.get(Area::Session, keys::SIGN_IN_SESSION);
        self.storage.remove(Area::Session, keys::SIGN_IN_SESSION);
        stored
            .and_then(|json| SignInSession::from_json(&json, location::now()))
            .ok_or(AuthError::NoSignInSession)
    }

    /// Completes sign-in on the redirect URI with the sign-in session taken by
    /// [`LogtoClient::take_sign_in_session`]: checks the callback URL against it, redeems the
    /// code, verifies the ID token (WebCrypto signature, then every claim), and only then
    /// stores the tokens. Returns the session and the path to return to.
    pub async fn handle_callback(
        &self,
        callback_url: &str,
        sign_in: SignInSession,
    ) -> Result<(Session, String), AuthError> {
        let metadata = self.provider_metadata().await?;
        let code = parse_callback(
            callback_url,
            &sign_in,
            metadata.authorization_response_iss_parameter_supported,
        )?;

        let body = authorization_code_body(
            &self.config.app_id,
            &code,
            &sign_in.code_verifier,
            &sign_in.redirect_uri,
        );
        let response = http::post_form(&metadata.token_endpoint, body).await?;
        let tokens = TokenResponse::from_http(
            response.status,
            &response.body,
            Grant::AuthorizationCode,
            location::now(),
        )?;
        let id_token = tokens.id_token.as_ref().ok_or(TokenError::Missing("id_token"))?;

        let expectations = IdTokenExpectations {
            issuer: &sign_in.issuer,
            client_id: &self.config.app_id,
            trusted_audiences: &[],
            nonce: NonceCheck::Required(&sign_in.nonce),
            access_token: Some(&tokens.access_token),
            original: None,
            now: location::now(),
            clock_skew: self.config.clock_skew_seconds,
        };
        let validated = self
            .verify_id_token(id_token.secret(), &metadata, &expectations)
            .await?;

        let mut access_tokens = crate::core::token::AccessTokenMap::new();
        access_tokens.insert(
            access_token_key(None, None),
            StoredAccessToken {
                token: tokens.access_token.clone(),
                scope: tokens.scope.clone().unwrap_or_default(),
                expires_at: tokens.expires_at,
            },
        );
        let session = Session {
            id_token: validated.token,
            claims: validated.claims,
            expires_at: validated.expires_at,
            refresh_token: tokens.refresh_token,
            access_tokens,
        };
        session.save(&self.storage, &self.config)?;
        Ok((session, sign_in.return_to))
    }

    /// Validates an ID token with the cached JWKS, refetching the JWKS once when the token's
    /// key id is unknown (the provider rotated its keys).
    pub async fn verify_id_token(
        &self,
        token: &str,
        metadata: &ProviderMetadata,
        expect: &IdTokenExpectations<'_>,
    ) -> Result<ValidatedIdToken, AuthError> {
        let now = expect.now;
        let (jwks, fresh) = match self.read_cache::<JwkSet>(keys::JWKS, now) {
            Some(cached) => (cached, false),
            None => (self.fetch_jwks(metadata, now).await?, true),
        };
        match validate_id_token(token, &jwks, &WebCrypto, expect).await {
            Err(error) if error.is_unknown_key_id() && !fresh => {
                let jwks = self.fetch_jwks(metadata, now).await?;
                Ok(validate_id_token(token, &jwks, &WebCrypto, expect).await?)
            }
            other => Ok(other?),
        }
    }

    /// Fetches userinfo with the default access token; refused unless its `sub` equals the
    /// ID token's.
    pub async fn fetch_user_info(&self, session: &Session) -> Result<UserInfo, AuthError> {
        let metadata = self.provider_metadata().await?;
        let endpoint = metadata
            .userinfo_endpoint
            .as_deref()
            .ok_or(AuthError::MissingEndpoint("userinfo endpoint"))?;
        let token = session
            .default_access_token()
            .ok_or(AuthError::UserInfo("no access token for userinfo".into()))?;
        let body = http::get(endpoint, Some(token.secret()))
            .await?
            .success_body(endpoint)?;
        let info = UserInfo::from_json(&body).map_err(AuthError::UserInfo)?;
        if info.sub.is_none() || info.sub != session.claims.sub {
            return Err(AuthError::UserInfoSubjectMismatch);
        }
        Ok(info)
    }

    /// Removes every `logto:<appId>:` key (tokens, caches, sign-in session). No redirect.
    pub fn sign_out_local(&self) {
        self.storage.clear_all();
        session::forget_memory_refresh_token(&self.storage);
    }

    /// Signs out: clears local state, then sends the browser to the provider's end-session
    /// endpoint with `id_token_hint`, `post_logout_redirect_uri` and `client_id`. When the
    /// provider cannot be reached, local state is still cleared and the error returned.
    pub async fn sign_out(&self, session: Option<&Session>) -> Result<(), AuthError> {
        let metadata = self.provider_metadata().await;
        self.sign_out_local();
        let metadata = metadata?;
        let endpoint = metadata
            .end_session_endpoint
            .as_deref()
            .ok_or(AuthError::MissingEndpoint("end-session endpoint"))?;
        let mut random = [0u8; 16];
        fill_random(&mut random)?;
        let state = CsrfState::new(crate::core::jose::base64url::encode(&random));
        let post_logout = self.config.post_logout_redirect_uri.as_ref().map(|u| u.as_str());
        let url = end_session_url(
            endpoint,
            &self.config.app_id,
            session.map(|s| &s.id_token),
            post_logout,
            &state,
        )?;
        // Remembered (this tab only) so the return can be recognised and the URL cleaned.
        let _ = self.storage.set(Area::Session, keys::SIGN_OUT_STATE, state.secret());
        location::assign(&url)?;
        Ok(())
    }

    /// On the page the provider sends the browser back to after sign-out: when the URL's
    /// `state` is the one this tab sent, removes it from the address bar. Always forgets the
    /// remembered state, so no `logto:` key outlives the sign-out.
    pub fn complete_sign_out_redirect(&self) {
        let Some(expected) = self.storage.get(Area::Session, keys::SIGN_OUT_STATE) else {
            return;
        };
        self.storage.remove(Area::Session, keys::SIGN_OUT_STATE);
        let Ok(url) = location::current_href()
            .map_err(|_| ())
            .and_then(|href| HttpUrl::parse(&href).map_err(|_| ()))
        else {
            return;
        };
        let pairs = parse_query(url.query().unwrap_or_default()).unwrap_or_default();
        let returned = pairs
            .iter()
            .any(|(k, v)| k == "state" && constant_time_eq(v, &expected));
        if returned && pairs.len() == 1 {
            let _ = location::replace_url(url.path());
        }
    }
}
