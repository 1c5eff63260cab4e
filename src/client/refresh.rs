//! Token renewal with the refresh grant, one refresh at a time across tabs.
//!
//! Three rules keep a rotated refresh token from ever being sent twice (which makes Logto
//! revoke the whole grant and sign the user out everywhere):
//! 1. In a tab, concurrent callers for the same token share one in-flight request.
//! 2. Across tabs, the refresh runs under the Web Lock `logto:<appId>:refresh`; after taking
//!    it, the tab re-reads storage and skips the request if the refresh token was rotated
//!    meanwhile and the token it wants is now fresh.
//! 3. The hand-over is made consistent: a localStorage write made just before the lock is
//!    released can still be invisible to the next holder (seen in Chromium). So the tab that
//!    rotated the token also holds, for a few seconds, a marker lock named
//!    `logto:<appId>:rotated:<millis>:<fingerprint>`; the next holder reads the marker from
//!    `navigator.locks.query()` (consistent across tabs) and waits until its localStorage
//!    shows that refresh token before deciding anything.

use super::{AuthError, LogtoClient, Session};
use crate::browser::locks::{held_lock_names, hold_for, sleep, with_lock};
use crate::browser::{crypto, http, location};
use crate::core::id_token::{IdTokenExpectations, NonceCheck};
use crate::core::jose::base64url;
use crate::core::token::{access_token_key, refresh_token_body, Grant, StoredAccessToken, TokenResponse};
use crate::core::types::RefreshToken;
use futures::future::{FutureExt, LocalBoxFuture, Shared};
use std::cell::RefCell;

/// Tokens are renewed when they expire within this many seconds.
pub const RENEW_MARGIN_SECONDS: i64 = 10;
/// How long the rotation marker lock is held (ms): far beyond the storage propagation delay.
const HANDOVER_MARKER_MS: i32 = 10_000;
/// How long the next holder waits for its storage to show the rotated token (ms).
const HANDOVER_WAIT_MS: i32 = 3_000;
/// A forced renewal is satisfied by a rotation that completed this recently (ms): tabs that
/// ask "renew now" at about the same moment share one request.
const JUST_ROTATED_MS: f64 = 500.0;

/// Which access token: the default one (userinfo), an API resource's, or an organization's.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TokenTarget {
    /// The resource-less token (`@`).
    Default,
    /// An API resource (RFC 8707), `@<resource>`.
    Resource(String),
    /// A Logto organization, `@#<organization id>`.
    Organization(String),
}

impl TokenTarget {
    /// From an optional resource indicator.
    pub fn from_resource(resource: Option<&str>) -> Self {
        resource.map_or(Self::Default, |r| Self::Resource(r.to_owned()))
    }

    /// The key in the access-token map.
    pub fn key(&self) -> String {
        match self {
            Self::Default => access_token_key(None, None),
            Self::Resource(resource) => access_token_key(Some(resource), None),
            Self::Organization(org) => access_token_key(None, Some(org)),
        }
    }

    fn resource(&self) -> Option<&str> {
        match self {
            Self::Resource(resource) => Some(resource),
            _ => None,
        }
    }

    fn organization(&self) -> Option<&str> {
        match self {
            Self::Organization(org) => Some(org),
            _ => None,
        }
    }
}

type TokenResult = Result<(Session, StoredAccessToken), AuthError>;

thread_local! {
    /// In-flight renewals in this tab, by `logto:<appId>:<token key>`.
    /// A handful at most, so a list rather than a map.
    static IN_FLIGHT: RefCell<Vec<(String, Shared<LocalBoxFuture<'static, TokenResult>>)>> = const { RefCell::new(Vec::new()) };
}

/// A short, non-reversible fingerprint of a refresh token (for lock names; never the token):
/// 96 bits of its SHA-256 (WebCrypto), base64url. Empty when WebCrypto fails, which only makes
/// the hand-over wait time out and the rotation check conservative.
async fn fingerprint(token: &str) -> String {
    match crypto::sha2(256, token.as_bytes()).await {
        Ok(digest) => base64url::encode(&digest[..12]),
        Err(_) => String::new(),
    }
}

/// [`fingerprint`] of an optional token.
async fn fingerprint_of(token: Option<&RefreshToken>) -> Option<String> {
    match token {
        Some(token) => Some(fingerprint(token.secret()).await),
        None => None,
    }
}

impl LogtoClient {
    /// The name of the cross-tab refresh lock.
    pub fn refresh_lock_name(&self) -> String {
        format!("{}refresh", self.storage.prefix())
    }

    fn marker_prefix(&self) -> String {
        format!("{}rotated:", self.storage.prefix())
    }

    /// A valid access token for `target`: the stored one when it is not within
    /// [`RENEW_MARGIN_SECONDS`] of expiry (and `force` is false), else a renewed one.
    /// Returns the session as it is after the renewal.
    ///
    /// `invalid_grant` signs out locally ([`AuthError::SessionEnded`]), with no retry.
    pub async fn access_token(&self, target: &TokenTarget, force: bool) -> TokenResult {
        self.access_token_inner(target, force, None).await
    }

    /// A new access token for `target` to replace `rejected`, which a resource server refused
    /// (HTTP 401): never answers with `rejected` itself, even when another tab just rotated.
    pub async fn access_token_replacing(&self, target: &TokenTarget, rejected: &str) -> TokenResult {
        self.access_token_inner(target, true, Some(rejected.to_owned())).await
    }

    async fn access_token_inner(&self, target: &TokenTarget, force: bool, rejected: Option<String>) -> TokenResult {
        let session = self.stored_session()?;
        if !force {
            if let Some(token) = session.access_tokens.get(&target.key()) {
                if !token.expires_within(location::now(), RENEW_MARGIN_SECONDS) {
                    let token = token.clone();
                    return Ok((session, token));
                }
            }
        }
        if matches!(target, TokenTarget::Organization(_)) && !self.config.wants_organizations() {
            return Err(AuthError::OrganizationsScopeMissing);
        }
        let flight = format!("{}{}", self.storage.prefix(), target.key());
        let existing = IN_FLIGHT.with(|list| {
            list.borrow()
                .iter()
                .find(|(key, _)| *key == flight)
                .map(|(_, shared)| shared.clone())
        });
        let shared = match existing {
            Some(shared) => shared,
            None => {
                let refresh_token_seen = session.refresh_token.clone();
                let (this, target) = (self.clone(), target.clone());
                let lock = self.refresh_lock_name();
                let future = async move {
                    // The refresh token as this call saw it, before waiting for the lock.
                    let seen = fingerprint_of(refresh_token_seen.as_ref()).await;
                    match with_lock(&lock, || this.refresh_locked(&target, force, seen, rejected.as_deref())).await {
                        Ok(result) => result,
                        Err(error) => Err(error.into()),
                    }
                }
                .boxed_local()
                .shared();
                IN_FLIGHT.with(|list| list.borrow_mut().push((flight.clone(), future.clone())));
                future
            }
        };
        let result = shared.await;
        IN_FLIGHT.with(|list| list.borrow_mut().retain(|(key, _)| *key != flight));
        result
    }

    fn stored_session(&self) -> Result<Session, AuthError> {
        Session::load(&self.storage, &self.config)
            .ok()
            .flatten()
            .ok_or(AuthError::NotSignedIn)
    }

    /// Waits until this tab's storage shows the refresh token the last rotation stored, and
    /// returns that rotation's time (ms) and fingerprint.
    async fn wait_for_handover(&self) -> Option<(f64, String)> {
        let names = held_lock_names().await.ok()?;
        let prefix = self.marker_prefix();
        // Markers are `<13-digit millis>:<fingerprint>`, so the greatest is the newest.
        let latest = names.iter().filter_map(|n| n.strip_prefix(&prefix)).max()?;
        let (millis, expected) = latest.split_once(':')?;
        let marker = (millis.parse::<u64>().ok()? as f64, expected.to_owned());
        for _ in 0..HANDOVER_WAIT_MS / 5 {
            match super::session::read_refresh_token(&self.storage, &self.config) {
                Some(token) if fingerprint(&token).await == expected => return Some(marker),
                None => return None, // signed out meanwhile; the caller sees that
                Some(_) => sleep(5).await,
            }
        }
        None
    }

    async fn refresh_locked(
        &self,
        target: &TokenTarget,
        force: bool,
        seen: Option<String>,
        rejected: Option<&str>,
    ) -> TokenResult {
        let last_rotation = self.wait_for_handover().await;
        let session = self.stored_session()?;
        let current = fingerprint_of(session.refresh_token.as_ref()).await;
        let just_rotated = last_rotation.is_some_and(|(millis, fp)| {
            Some(&fp) == current.as_ref() && js_sys::Date::now() - millis < JUST_ROTATED_MS
        });
        let rotated_meanwhile = current != seen || just_rotated;
        if let Some(token) = session.access_tokens.get(&target.key()) {
            let fresh = !token.expires_within(location::now(), RENEW_MARGIN_SECONDS);
            let refused = rejected == Some(token.token.secret());
            if fresh && !refused && (rotated_meanwhile || !force) {
                // Another tab (or call) renewed it while this one waited for the lock.
                return Ok((session.clone(), token.clone()));
            }
        }
        let refresh_token = session.refresh_token.clone().ok_or(AuthError::NoRefreshToken)?;
        let metadata = self.provider_metadata().await?;
        let body = refresh_token_body(
            &self.config.app_id,
            &refresh_token,
            target.resource(),
            target.organization(),
            None,
        );
        let response = http::post_form(&metadata.token_endpoint, body).await?;
        let tokens =
            match TokenResponse::from_http(response.status, &response.body, Grant::RefreshToken, location::now()) {
                Err(error) if error.is_invalid_grant() => {
                    // The grant is gone (revoked, expired, or a reused token): the session is over.
                    self.sign_out_local();
                    return Err(AuthError::SessionEnded(error));
                }
                other => other?,
            };

        let mut next = session.clone();
        if let Some(id_token) = &tokens.id_token {
            let issuer = self.config.issuer();
            let original_nonce = session.claims.nonce.clone().unwrap_or_default();
            let expect = IdTokenExpectations {
                issuer: &issuer,
                client_id: &self.config.app_id,
                trusted_audiences: &[],
                nonce: NonceCheck::IfPresent(&original_nonce),
                access_token: Some(&tokens.access_token),
                original: Some(&session.claims),
                now: location::now(),
                clock_skew: self.config.clock_skew_seconds,
            };
            let validated = self.verify_id_token(id_token.secret(), &metadata, &expect).await?;
            next.id_token = validated.token;
            next.claims = validated.claims;
            next.expires_at = validated.expires_at;
        }
        let rotated = tokens.refresh_token.is_some() && tokens.refresh_token != session.refresh_token;
        if let Some(new_refresh_token) = tokens.refresh_token {
            next.refresh_token = Some(new_refresh_token);
        }
        let stored = StoredAccessToken {
            token: tokens.access_token,
            scope: tokens.scope.unwrap_or_default(),
            expires_at: tokens.expires_at,
        };
        next.access_tokens.insert(target.key(), stored.clone());
        next.save(&self.storage, &self.config)?;
        if rotated {
            if let Some(token) = &next.refresh_token {
                let marker = format!(
                    "{}{:013}:{}",
                    self.marker_prefix(),
                    js_sys::Date::now() as u64,
                    fingerprint(token.secret()).await
                );
                // Best effort: without Web Locks there is no other tab to hand over to.
                let _ = hold_for(&marker, HANDOVER_MARKER_MS).await;
            }
        }
        Ok((next, stored))
    }
}
