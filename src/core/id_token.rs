//! ID-token validation: OpenID Connect Core §3.1.3.7 (and §12.2 on refresh), in one function.

use crate::core::claims::IdTokenClaims;
use crate::core::jose::{base64url, select_key, CompactJws, JoseCrypto, JwkSet, JwsError, KeySelectionError};
use crate::core::json::parse_bytes;
use crate::core::types::{constant_time_eq, AccessToken, ClientId, IdToken, IssuerUrl, Nonce, UnixTime};

/// How old a fresh ID token's `iat` may be (seconds, before skew).
pub const MAX_ISSUED_AT_AGE: i64 = 10 * 60;

/// Why an ID token was refused. Each message says what was wrong with the token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IdTokenError {
    /// Not a well-formed compact JWS with an accepted algorithm.
    #[error("the ID token is malformed: {0}")]
    Jws(#[from] JwsError),
    /// No key to verify it (see [`IdTokenError::is_unknown_key_id`]).
    #[error("the ID token cannot be verified: {0}")]
    Key(#[from] KeySelectionError),
    /// The signature does not verify.
    #[error("the ID token's signature is invalid")]
    BadSignature,
    /// The verifier could not run.
    #[error("the ID token's signature could not be checked: {0}")]
    VerifierFailed(String),
    /// The payload is not a JSON object of claims with the right types.
    #[error("the ID token's claims are not valid JSON of the expected types: {0}")]
    BadClaims(String),
    /// `iss` differs from the configured issuer.
    #[error("the ID token's issuer `{found}` does not match the configured issuer `{expected}`")]
    IssuerMismatch {
        /// Configured.
        expected: String,
        /// In the token.
        found: String,
    },
    /// No `sub`.
    #[error("the ID token has no subject (`sub`)")]
    MissingSubject,
    /// `aud` does not contain the client id.
    #[error("the ID token is not meant for this application: its audience does not include `{0}`")]
    AudienceMismatch(String),
    /// `aud` contains an audience the client does not trust.
    #[error("the ID token also names the untrusted audience `{0}`")]
    UntrustedAudience(String),
    /// `azp` present and not the client id.
    #[error("the ID token's authorized party (`azp`) `{0}` is not this application")]
    AuthorizedPartyMismatch(String),
    /// No `exp`.
    #[error("the ID token has no expiry (`exp`)")]
    MissingExpiry,
    /// Expired (beyond the allowed clock skew).
    #[error(
        "the ID token expired at {exp} (now {now}, allowed skew {skew} s); check the device clock if this repeats"
    )]
    Expired {
        /// `exp`.
        exp: i64,
        /// Now.
        now: i64,
        /// Skew.
        skew: i64,
    },
    /// No `iat`.
    #[error("the ID token has no issue time (`iat`)")]
    MissingIssuedAt,
    /// `iat` too far from now.
    #[error("the ID token's issue time {iat} is too far from now ({now}); check the device clock")]
    IssuedAtOutOfRange {
        /// `iat`.
        iat: i64,
        /// Now.
        now: i64,
    },
    /// Nonce required but missing.
    #[error("the ID token has no `nonce`, but the sign-in sent one")]
    MissingNonce,
    /// Nonce differs.
    #[error("the ID token's `nonce` does not match this browser's sign-in (a replayed or foreign token)")]
    NonceMismatch,
    /// `at_hash` does not match the access token.
    #[error("the ID token's `at_hash` does not match the access token issued with it")]
    AccessTokenHashMismatch,
    /// On refresh: `iss`, `sub` or `aud` changed.
    #[error("the renewed ID token's `{0}` differs from the original one")]
    ChangedOnRefresh(&'static str),
}

impl IdTokenError {
    /// True when the token's `kid` is not in the JWKS: refetch the JWKS once and retry.
    pub fn is_unknown_key_id(&self) -> bool {
        matches!(self, Self::Key(KeySelectionError::UnknownKeyId(_)))
    }
}

/// How to check the `nonce` claim.
#[derive(Debug, Clone, Copy)]
pub enum NonceCheck<'a> {
    /// At sign-in: the nonce must be present and equal.
    Required(&'a Nonce),
    /// On refresh: when present, it must equal the original one.
    IfPresent(&'a str),
}

/// What the token is checked against.
#[derive(Debug, Clone)]
pub struct IdTokenExpectations<'a> {
    /// The configured issuer.
    pub issuer: &'a IssuerUrl,
    /// This application's client id.
    pub client_id: &'a ClientId,
    /// Extra audiences the application trusts (normally none).
    pub trusted_audiences: &'a [String],
    /// The nonce rule.
    pub nonce: NonceCheck<'a>,
    /// The access token issued with the ID token, for `at_hash`.
    pub access_token: Option<&'a AccessToken>,
    /// On refresh: the original token's claims (`iss`, `sub`, `aud` must not change).
    pub original: Option<&'a IdTokenClaims>,
    /// Now.
    pub now: UnixTime,
    /// Allowed clock skew (seconds).
    pub clock_skew: i64,
}

/// An ID token whose signature and claims have been checked.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidatedIdToken {
    /// The token as received.
    pub token: IdToken,
    /// Its claims.
    pub claims: IdTokenClaims,
    /// Its expiry.
    pub expires_at: UnixTime,
}

/// Decodes the claims of a compact JWS *without* verifying it. Only for a token this client
/// verified before storing it (start-up restore); never for a token from the network.
pub fn decode_claims_unverified(token: &str) -> Result<IdTokenClaims, IdTokenError> {
    let jws = CompactJws::parse(token)?;
    claims_from_payload(&jws.payload)
}

fn claims_from_payload(payload: &[u8]) -> Result<IdTokenClaims, IdTokenError> {
    let json = parse_bytes(payload).map_err(|e| IdTokenError::BadClaims(e.to_string()))?;
    let object = json
        .as_object()
        .ok_or_else(|| IdTokenError::BadClaims("the payload is not a JSON object".into()))?;
    IdTokenClaims::from_object(object).map_err(|e| IdTokenError::BadClaims(e.to_string()))
}

/// `at_hash` from the SHA-2 digest of the access token under the ID token's `alg` (SHA-256 for
/// `*256`, …): the left half of the digest, base64url.
///
/// ```
/// use leptos_logto::core::id_token::at_hash_from_digest;
/// assert_eq!(at_hash_from_digest(&[0xff; 32]), "_____________________w");
/// ```
pub fn at_hash_from_digest(digest: &[u8]) -> String {
    base64url::encode(&digest[..digest.len() / 2])
}

/// Validates an ID token: strict JWS parsing, key selection from the JWKS, signature through
/// `crypto`, then every claim rule. Nothing is trusted before the signature verifies.
pub async fn validate_id_token(
    token: &str,
    jwks: &JwkSet,
    crypto: &impl JoseCrypto,
    expect: &IdTokenExpectations<'_>,
) -> Result<ValidatedIdToken, IdTokenError> {
    let jws = CompactJws::parse(token)?;
    let key = select_key(jwks, jws.header.kid.as_deref(), jws.alg)?;
    match crypto
        .verify(jws.alg, key, jws.signing_input.as_bytes(), &jws.signature)
        .await
    {
        Ok(true) => {}
        Ok(false) => return Err(IdTokenError::BadSignature),
        Err(reason) => return Err(IdTokenError::VerifierFailed(reason)),
    }
    let claims = claims_from_payload(&jws.payload)?;
    let access_token_hash = match (&claims.at_hash, expect.access_token) {
        (Some(_), Some(access_token)) => Some(at_hash_from_digest(
            &crypto
                .sha2(jws.alg.hash_bits(), access_token.secret().as_bytes())
                .await
                .map_err(IdTokenError::VerifierFailed)?,
        )),
        _ => None,
    };
    let expires_at = check_claims(&claims, access_token_hash.as_deref(), expect)?;
    Ok(ValidatedIdToken {
        token: IdToken::new(token),
        claims,
        expires_at,
    })
}

/// The claim rules; `access_token_hash` is the `at_hash` computed for `expect.access_token`
/// when the token carries one.
fn check_claims(
    claims: &IdTokenClaims,
    access_token_hash: Option<&str>,
    expect: &IdTokenExpectations<'_>,
) -> Result<UnixTime, IdTokenError> {
    let iss = claims.iss.as_deref().unwrap_or_default();
    if iss != expect.issuer.as_str() {
        return Err(IdTokenError::IssuerMismatch {
            expected: expect.issuer.to_string(),
            found: iss.to_owned(),
        });
    }
    if claims.sub.as_deref().is_none_or(str::is_empty) {
        return Err(IdTokenError::MissingSubject);
    }
    let client_id = expect.client_id.as_str();
    if !claims.aud.iter().any(|a| a == client_id) {
        return Err(IdTokenError::AudienceMismatch(client_id.to_owned()));
    }
    if let Some(other) = claims
        .aud
        .iter()
        .find(|a| *a != client_id && !expect.trusted_audiences.contains(a))
    {
        return Err(IdTokenError::UntrustedAudience(other.chars().take(100).collect()));
    }
    match claims.azp.as_deref() {
        Some(azp) if azp != client_id => {
            return Err(IdTokenError::AuthorizedPartyMismatch(azp.chars().take(100).collect()))
        }
        None if claims.aud.len() > 1 => return Err(IdTokenError::AuthorizedPartyMismatch(String::new())),
        _ => {}
    }
    let now = expect.now.0;
    let skew = expect.clock_skew;
    let exp = claims.exp.ok_or(IdTokenError::MissingExpiry)?;
    if now > exp.saturating_add(skew) {
        return Err(IdTokenError::Expired { exp, now, skew });
    }
    let iat = claims.iat.ok_or(IdTokenError::MissingIssuedAt)?;
    if iat > now.saturating_add(skew) || iat < now.saturating_sub(MAX_ISSUED_AT_AGE + skew) {
        return Err(IdTokenError::IssuedAtOutOfRange { iat, now });
    }
    match (expect.nonce, claims.nonce.as_deref()) {
        (NonceCheck::Required(_), None) => return Err(IdTokenError::MissingNonce),
        (NonceCheck::Required(expected), Some(found)) if !constant_time_eq(found, expected.secret()) => {
            return Err(IdTokenError::NonceMismatch)
        }
        (NonceCheck::IfPresent(expected), Some(found)) if !constant_time_eq(found, expected) => {
            return Err(IdTokenError::NonceMismatch)
        }
        _ => {}
    }
    if let (Some(at_hash), Some(computed)) = (claims.at_hash.as_deref(), access_token_hash) {
        if !constant_time_eq(at_hash, computed) {
            return Err(IdTokenError::AccessTokenHashMismatch);
        }
    }
    if let Some(original) = expect.original {
        if original.iss != claims.iss {
            return Err(IdTokenError::ChangedOnRefresh("iss"));
        }
        if original.sub != claims.sub {
            return Err(IdTokenError::ChangedOnRefresh("sub"));
        }
        if original.aud != claims.aud {
            return Err(IdTokenError::ChangedOnRefresh("aud"));
        }
    }
    Ok(UnixTime(exp))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oidc_core_at_hash_example() {
        // OpenID Connect Core 1.0 Appendix A.3/A.4.
        use sha2::{Digest, Sha256};
        assert_eq!(
            at_hash_from_digest(&Sha256::digest("jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y")),
            "77QmUPtjPfzWtF2AnpK9RQ"
        );
    }

    #[test]
    fn unknown_kid_is_recognisable() {
        assert!(IdTokenError::Key(KeySelectionError::UnknownKeyId("k".into())).is_unknown_key_id());
        assert!(!IdTokenError::BadSignature.is_unknown_key_id());
    }
}
