//! The authorization request URL.

use crate::core::config::LogtoConfig;
use crate::core::discovery::ProviderMetadata;
use crate::core::session::SignInSession;
use crate::core::types::PkceCodeChallenge;
use crate::core::url::{HttpUrl, UrlError};

/// The URL to send the browser to for sign-in: authorization code flow with PKCE S256,
/// `state`, `nonce`, the scopes, one `resource` per resource (RFC 8707), and Logto's optional
/// parameters; every value percent-encoded. `challenge` is
/// [`crate::core::pkce::s256_challenge`] of the SHA-256 of `session.code_verifier`.
///
/// ```
/// # use leptos_logto::core::{config::LogtoConfig, discovery::ProviderMetadata, session::SignInSession, types::{IssuerUrl, UnixTime}};
/// # use leptos_logto::core::{authorize::authorization_url, pkce::s256_challenge};
/// let config = LogtoConfig::new("https://t.logto.app", "app", "https://app/callback").unwrap();
/// # let metadata = ProviderMetadata { issuer: "https://t.logto.app/oidc".into(), authorization_endpoint: "https://t.logto.app/oidc/auth".into(), token_endpoint: "https://t.logto.app/oidc/token".into(), jwks_uri: "https://t.logto.app/oidc/jwks".into(), userinfo_endpoint: None, end_session_endpoint: None, revocation_endpoint: None, authorization_response_iss_parameter_supported: true, code_challenge_methods_supported: None };
/// let session = SignInSession::new(&config, &[0; 96], "/", UnixTime(0));
/// let challenge = s256_challenge(&[0; 32]); // from SHA-256(session.code_verifier)
/// let url = authorization_url(&config, &metadata, &session, &challenge).unwrap();
/// assert!(url.starts_with("https://t.logto.app/oidc/auth?client_id=app&redirect_uri=https%3A%2F%2Fapp%2Fcallback"));
/// assert!(url.contains("&code_challenge_method=S256&"));
/// ```
pub fn authorization_url(
    config: &LogtoConfig,
    metadata: &ProviderMetadata,
    session: &SignInSession,
    challenge: &PkceCodeChallenge,
) -> Result<String, UrlError> {
    let endpoint = HttpUrl::parse(&metadata.authorization_endpoint)?;
    let scope = config.scopes().join(" ");
    let prompt = config.prompt.iter().map(|p| p.as_str()).collect::<Vec<_>>().join(" ");
    let resources = config.resources();
    let direct = config
        .direct_sign_in
        .as_ref()
        .map(|d| format!("{}:{}", d.method, d.target));

    let mut params: Vec<(&str, &str)> = vec![
        ("client_id", config.app_id.as_str()),
        ("redirect_uri", &session.redirect_uri),
        ("code_challenge", challenge.as_str()),
        ("code_challenge_method", "S256"),
        ("state", session.state.secret()),
        ("nonce", session.nonce.secret()),
        ("response_type", "code"),
        ("scope", &scope),
    ];
    if !prompt.is_empty() {
        params.push(("prompt", &prompt));
    }
    params.extend(resources.iter().map(|r| ("resource", r.as_str())));
    if let Some(hint) = &config.login_hint {
        params.push(("login_hint", hint));
    }
    if let Some(screen) = &config.first_screen {
        params.push(("first_screen", screen));
    }
    if let Some(direct) = &direct {
        params.push(("direct_sign_in", direct));
    }
    params.extend(config.extra_params.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    Ok(endpoint.with_query_params(params))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::pkce::s256_challenge;
    use crate::core::types::UnixTime;
    use crate::core::url::parse_query;
    use sha2::{Digest, Sha256};

    fn metadata() -> ProviderMetadata {
        ProviderMetadata {
            issuer: "http://127.0.0.1:3001/oidc".into(),
            authorization_endpoint: "http://127.0.0.1:3001/oidc/auth".into(),
            token_endpoint: "http://127.0.0.1:3001/oidc/token".into(),
            jwks_uri: "http://127.0.0.1:3001/oidc/jwks".into(),
            userinfo_endpoint: None,
            end_session_endpoint: None,
            revocation_endpoint: None,
            authorization_response_iss_parameter_supported: true,
            code_challenge_methods_supported: None,
        }
    }

    #[test]
    fn carries_every_parameter_encoded_and_decodes_back() {
        let json = r#"{"endpoint":"http://127.0.0.1:3001","appId":"demo app&=é","redirectUri":"http://127.0.0.1:3000/callback",
            "scopes":["email","urn:logto:scope:organizations"],"resources":["https://api.demo.test/x?a=b&c=d"],
            "loginHint":"a+b@c.d é","firstScreen":"register","directSignIn":{"method":"social","target":"google"},
            "extraParams":{"ui_locales":"fr CA"}}"#;
        let config = LogtoConfig::from_json(json).unwrap();
        let session = SignInSession::new(&config, &[9; 96], "/", UnixTime(0));
        let challenge = s256_challenge(&Sha256::digest(session.code_verifier.secret()));
        let url = authorization_url(&config, &metadata(), &session, &challenge).unwrap();
        let parsed = HttpUrl::parse(&url).unwrap();
        assert_eq!(parsed.path(), "/oidc/auth");
        let pairs = parse_query(parsed.query().unwrap()).unwrap();
        let get = |k: &str| {
            pairs
                .iter()
                .filter(|(key, _)| key == k)
                .map(|(_, v)| v.as_str())
                .collect::<Vec<_>>()
        };
        assert_eq!(get("client_id"), ["demo app&=é"]);
        assert_eq!(get("redirect_uri"), ["http://127.0.0.1:3000/callback"]);
        assert_eq!(get("response_type"), ["code"]);
        assert_eq!(get("code_challenge_method"), ["S256"]);
        assert_eq!(get("code_challenge"), [challenge.as_str()]);
        assert_eq!(get("state"), [session.state.secret()]);
        assert_eq!(get("nonce"), [session.nonce.secret()]);
        assert_eq!(
            get("scope"),
            ["openid offline_access profile email urn:logto:scope:organizations"]
        );
        assert_eq!(get("prompt"), ["consent"]);
        assert_eq!(
            get("resource"),
            ["https://api.demo.test/x?a=b&c=d", "urn:logto:resource:organizations"]
        );
        assert_eq!(get("login_hint"), ["a+b@c.d é"]);
        assert_eq!(get("first_screen"), ["register"]);
        assert_eq!(get("direct_sign_in"), ["social:google"]);
        assert_eq!(get("ui_locales"), ["fr CA"]);
        assert!(!url.contains(' '));
        assert!(
            get("code_verifier").is_empty(),
            "the verifier must never leave the browser here"
        );
    }
}
