//! The provider's discovery document (OpenID Connect Discovery 1.0 / RFC 8414).

use crate::core::json::{parse_object, FieldError, JsonObject, JsonObjectCodec};
use crate::core::types::IssuerUrl;
use crate::core::url::HttpUrl;

/// Largest discovery document accepted (bytes).
pub const MAX_DISCOVERY_BYTES: usize = 256 * 1024;

/// Why a discovery document was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DiscoveryError {
    /// Not JSON, or a required field is missing or of the wrong type.
    #[error("the provider's discovery document is not valid: {0}")]
    Malformed(String),
    /// Larger than [`MAX_DISCOVERY_BYTES`].
    #[error("the provider's discovery document is larger than {MAX_DISCOVERY_BYTES} bytes")]
    TooLarge,
    /// The document names another issuer (a mix-up or misconfiguration).
    #[error("the provider's discovery document names the issuer `{found}`, but the configured issuer is `{expected}`; check `endpoint` in the configuration")]
    IssuerMismatch {
        /// Configured issuer.
        expected: String,
        /// Issuer in the document.
        found: String,
    },
    /// An endpoint is not an absolute http(s) URL.
    #[error("the provider's `{field}` is not an absolute http(s) URL: {reason}")]
    BadEndpoint {
        /// The metadata field.
        field: &'static str,
        /// Why.
        reason: String,
    },
    /// The provider does not support PKCE S256.
    #[error("the provider does not support PKCE with S256, which this client requires")]
    NoPkceS256,
}

/// The parts of the provider's metadata this client uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderMetadata {
    /// The issuer identifier.
    pub issuer: String,
    /// Authorization endpoint.
    pub authorization_endpoint: String,
    /// Token endpoint.
    pub token_endpoint: String,
    /// JWKS URI.
    pub jwks_uri: String,
    /// Userinfo endpoint (Logto: `/oidc/me`).
    pub userinfo_endpoint: Option<String>,
    /// End-session endpoint (Logto: `/oidc/session/end`).
    pub end_session_endpoint: Option<String>,
    /// Revocation endpoint.
    pub revocation_endpoint: Option<String>,
    /// RFC 9207: the provider adds `iss` to authorization responses.
    pub authorization_response_iss_parameter_supported: bool,
    /// PKCE methods the provider supports, when it says.
    pub code_challenge_methods_supported: Option<Vec<String>>,
}

impl JsonObjectCodec for ProviderMetadata {
    fn to_object(&self) -> JsonObject {
        JsonObject::new()
            .with("issuer", Some(&self.issuer))
            .with("authorization_endpoint", Some(&self.authorization_endpoint))
            .with("token_endpoint", Some(&self.token_endpoint))
            .with("jwks_uri", Some(&self.jwks_uri))
            .with("userinfo_endpoint", self.userinfo_endpoint.as_ref())
            .with("end_session_endpoint", self.end_session_endpoint.as_ref())
            .with("revocation_endpoint", self.revocation_endpoint.as_ref())
            .with(
                "authorization_response_iss_parameter_supported",
                Some(self.authorization_response_iss_parameter_supported),
            )
            .with(
                "code_challenge_methods_supported",
                self.code_challenge_methods_supported.as_ref(),
            )
    }

    fn from_object(o: &JsonObject) -> Result<Self, FieldError> {
        Ok(Self {
            issuer: o.required_string("issuer")?,
            authorization_endpoint: o.required_string("authorization_endpoint")?,
            token_endpoint: o.required_string("token_endpoint")?,
            jwks_uri: o.required_string("jwks_uri")?,
            userinfo_endpoint: o.string("userinfo_endpoint")?,
            end_session_endpoint: o.string("end_session_endpoint")?,
            revocation_endpoint: o.string("revocation_endpoint")?,
            authorization_response_iss_parameter_supported: o
                .bool("authorization_response_iss_parameter_supported")?
                .unwrap_or(false),
            code_challenge_methods_supported: o.strings("code_challenge_methods_supported")?,
        })
    }
}

impl ProviderMetadata {
    /// Parses and checks a discovery document against the configured issuer (exact match,
    /// OpenID Connect Discovery §4.3).
    pub fn from_json(json: &str, expected_issuer: &IssuerUrl) -> Result<Self, DiscoveryError> {
        if json.len() > MAX_DISCOVERY_BYTES {
            return Err(DiscoveryError::TooLarge);
        }
        let metadata = parse_object(json)
            .map_err(|e| e.to_string())
            .and_then(|o| Self::from_object(&o).map_err(|e| e.to_string()))
            .map_err(DiscoveryError::Malformed)?;
        metadata.check(expected_issuer)?;
        Ok(metadata)
    }

    /// The checks [`ProviderMetadata::from_json`] makes; also run on a cached copy.
    pub fn check(&self, expected_issuer: &IssuerUrl) -> Result<(), DiscoveryError> {
        if self.issuer != expected_issuer.as_str() {
            return Err(DiscoveryError::IssuerMismatch {
                expected: expected_issuer.to_string(),
                found: self.issuer.clone(),
            });
        }
        let required = [
            ("authorization_endpoint", Some(&self.authorization_endpoint)),
            ("token_endpoint", Some(&self.token_endpoint)),
            ("jwks_uri", Some(&self.jwks_uri)),
            ("userinfo_endpoint", self.userinfo_endpoint.as_ref()),
            ("end_session_endpoint", self.end_session_endpoint.as_ref()),
            ("revocation_endpoint", self.revocation_endpoint.as_ref()),
        ];
        for (field, value) in required {
            if let Some(value) = value {
                HttpUrl::parse(value).map_err(|e| DiscoveryError::BadEndpoint {
                    field,
                    reason: e.to_string(),
                })?;
            }
        }
        if let Some(methods) = &self.code_challenge_methods_supported {
            if !methods.iter().any(|m| m == "S256") {
                return Err(DiscoveryError::NoPkceS256);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) const LOCAL: &str = r#"{
        "issuer": "http://127.0.0.1:3001/oidc",
        "authorization_endpoint": "http://127.0.0.1:3001/oidc/auth",
        "token_endpoint": "http://127.0.0.1:3001/oidc/token",
        "jwks_uri": "http://127.0.0.1:3001/oidc/jwks",
        "userinfo_endpoint": "http://127.0.0.1:3001/oidc/me",
        "end_session_endpoint": "http://127.0.0.1:3001/oidc/session/end",
        "authorization_response_iss_parameter_supported": true,
        "code_challenge_methods_supported": ["S256"],
        "id_token_signing_alg_values_supported": ["ES384", "RS256"]
    }"#;

    fn issuer() -> IssuerUrl {
        IssuerUrl::new("http://127.0.0.1:3001/oidc")
    }

    #[test]
    fn accepts_a_logto_like_document() {
        let metadata = ProviderMetadata::from_json(LOCAL, &issuer()).unwrap();
        assert_eq!(metadata.token_endpoint, "http://127.0.0.1:3001/oidc/token");
        assert!(metadata.authorization_response_iss_parameter_supported);
    }

    #[test]
    fn refuses_another_issuer_even_a_trailing_slash() {
        for other in [
            "http://127.0.0.1:3001/oidc/",
            "http://evil.test/oidc",
            "http://127.0.0.1:3001",
        ] {
            let json = LOCAL.replacen("\"http://127.0.0.1:3001/oidc\"", &format!("\"{other}\""), 1);
            assert!(
                matches!(
                    ProviderMetadata::from_json(&json, &issuer()),
                    Err(DiscoveryError::IssuerMismatch { .. })
                ),
                "{other}"
            );
        }
    }

    #[test]
    fn refuses_relative_endpoints_missing_fields_and_no_s256() {
        let relative = LOCAL.replace("\"http://127.0.0.1:3001/oidc/token\"", "\"/oidc/token\"");
        assert!(matches!(
            ProviderMetadata::from_json(&relative, &issuer()),
            Err(DiscoveryError::BadEndpoint {
                field: "token_endpoint",
                ..
            })
        ));
        let missing = LOCAL.replace("\"jwks_uri\"", "\"jwks\"");
        assert!(matches!(
            ProviderMetadata::from_json(&missing, &issuer()),
            Err(DiscoveryError::Malformed(_))
        ));
        let plain = LOCAL.replace("[\"S256\"]", "[\"plain\"]");
        assert_eq!(
            ProviderMetadata::from_json(&plain, &issuer()),
            Err(DiscoveryError::NoPkceS256)
        );
        let huge = " ".repeat(MAX_DISCOVERY_BYTES + 1);
        assert_eq!(
            ProviderMetadata::from_json(&huge, &issuer()),
            Err(DiscoveryError::TooLarge)
        );
    }
}
