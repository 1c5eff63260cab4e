//! Reading the authorization response on the redirect URI (`/callback`).

use crate::core::session::SignInSession;
use crate::core::types::{constant_time_eq, AuthorizationCode};
use crate::core::url::{parse_query, HttpUrl};

/// Why a callback URL was refused. None of these redeem the code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CallbackError {
    /// Not a URL this parser accepts.
    #[error("the callback URL is not a valid absolute URL: {0}")]
    BadUrl(String),
    /// Arrived on another origin or path than the configured redirect URI.
    #[error("the callback arrived at `{found}`, but the sign-in expected `{expected}`; check `redirectUri`")]
    RedirectUriMismatch {
        /// Expected origin + path.
        expected: String,
        /// Actual origin + path.
        found: String,
    },
    /// Response parameters in the fragment (this client asks for query responses only).
    #[error("the callback carries its response in the URL fragment; this client only accepts query responses")]
    ResponseInFragment,
    /// A response parameter appears twice (RFC 6749 §3.1).
    #[error("the callback has the parameter `{0}` more than once")]
    DuplicateParameter(String),
    /// The provider reported an error (e.g. `access_denied`).
    #[error("the sign-in was not completed: {error}{}", description.as_ref().map(|d| format!(" ({d})")).unwrap_or_default())]
    Provider {
        /// The OAuth error code.
        error: String,
        /// The provider's description, if any.
        description: Option<String>,
    },
    /// No `state` parameter.
    #[error("the callback has no `state` parameter; start the sign-in again")]
    MissingState,
    /// `state` differs from the one this browser sent (CSRF or a stale tab).
    #[error("the callback's `state` does not match this browser's sign-in; start the sign-in again")]
    StateMismatch,
    /// The `iss` parameter is missing though the provider advertises it (RFC 9207).
    #[error("the callback has no `iss` parameter, though the provider always sends one")]
    MissingIssuer,
    /// The `iss` parameter names another issuer (mix-up attack, RFC 9207).
    #[error("the callback's `iss` is `{found}`, but the sign-in went to `{expected}`")]
    IssuerMismatch {
        /// Issuer of the sign-in.
        expected: String,
        /// Issuer in the callback.
        found: String,
    },
    /// No `code`.
    #[error("the callback has no authorization `code`")]
    MissingCode,
    /// A response parameter is longer than [`MAX_PARAM_LEN`].
    #[error("the callback's `{0}` parameter is implausibly long; it was refused")]
    ParameterTooLong(String),
}

const RESPONSE_PARAMS: [&str; 5] = ["code", "state", "iss", "error", "error_description"];

/// Longest value accepted for any response parameter (characters). Real codes, states and
/// issuers are far shorter; anything longer is an attack or a broken provider.
pub const MAX_PARAM_LEN: usize = 2048;

/// Checks a callback URL against the saved sign-in session and returns the code to redeem.
///
/// Order: redirect URI (origin + path) → no response in the fragment → no duplicated response
/// parameter → provider `error` → `state` present and equal (constant time) → `iss` equal to
/// the session's issuer when present, required when `iss_required` (the provider advertises
/// `authorization_response_iss_parameter_supported`) → one `code`.
pub fn parse_callback(
    callback_url: &str,
    session: &SignInSession,
    iss_required: bool,
) -> Result<AuthorizationCode, CallbackError> {
    let url = HttpUrl::parse(callback_url).map_err(|e| CallbackError::BadUrl(e.to_string()))?;
    let expected = HttpUrl::parse(&session.redirect_uri).map_err(|e| CallbackError::BadUrl(e.to_string()))?;
    if !url.same_origin_and_path(&expected) {
        return Err(CallbackError::RedirectUriMismatch {
            expected: format!("{}{}", expected.origin(), expected.path()),
            found: format!("{}{}", url.origin(), url.path()),
        });
    }
    if let Some(fragment) = url.fragment() {
        let pairs = parse_query(fragment).unwrap_or_default();
        if pairs.iter().any(|(k, _)| RESPONSE_PARAMS.contains(&k.as_str())) || fragment.contains("code=") {
            return Err(CallbackError::ResponseInFragment);
        }
    }
    let pairs = parse_query(url.query().unwrap_or("")).map_err(|e| CallbackError::BadUrl(e.to_string()))?;
    let mut found: [Option<&str>; 5] = [None; 5];
    for (key, value) in &pairs {
        if let Some(i) = RESPONSE_PARAMS.iter().position(|p| p == key) {
            if found[i].is_some() {
                return Err(CallbackError::DuplicateParameter(key.clone()));
            }
            if value.len() > MAX_PARAM_LEN {
                return Err(CallbackError::ParameterTooLong(key.clone()));
            }
            found[i] = Some(value);
        }
    }
    let [code, state, iss, error, description] = found;
    if let Some(error) = error {
        return Err(CallbackError::Provider {
            error: error.to_owned(),
            description: description.map(str::to_owned),
        });
    }
    let state = state.ok_or(CallbackError::MissingState)?;
    if !constant_time_eq(state, session.state.secret()) {
        return Err(CallbackError::StateMismatch);
    }
    match iss {
        Some(iss) if iss != session.issuer.as_str() => {
            return Err(CallbackError::IssuerMismatch {
                expected: session.issuer.to_string(),
                found: iss.to_owned(),
            })
        }
        None if iss_required => return Err(CallbackError::MissingIssuer),
        _ => {}
    }
    match code {
        Some(code) if !code.is_empty() => Ok(AuthorizationCode::new(code)),
        _ => Err(CallbackError::MissingCode),
    }
}

/// True when a URL looks like an authorization response (`code`, `state` or `error` in the
/// query, or in the fragment, which [`parse_callback`] then refuses with a clear error), so the
/// app knows to run the callback.
pub fn looks_like_callback(callback_url: &str) -> bool {
    let Ok(url) = HttpUrl::parse(callback_url) else {
        return false;
    };
    let is_response = |part: &str| {
        parse_query(part)
            .unwrap_or_default()
            .iter()
            .any(|(k, _)| k == "code" || k == "error" || k == "state")
    };
    url.query().is_some_and(is_response) || url.fragment().is_some_and(is_response)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::config::LogtoConfig;
    use crate::core::types::UnixTime;

    fn session() -> SignInSession {
        let config = LogtoConfig::new("http://127.0.0.1:3001", "demo-app", "http://127.0.0.1:3000/callback").unwrap();
        SignInSession::new(&config, &[3; 96], "/", UnixTime(0))
    }

    fn url_with(query: &str) -> String {
        format!("http://127.0.0.1:3000/callback?{query}")
    }

    fn good_query(s: &SignInSession) -> String {
        format!(
            "code=abc&state={}&iss=http%3A%2F%2F127.0.0.1%3A3001%2Foidc",
            s.state.secret()
        )
    }

    #[test]
    fn accepts_a_good_callback() {
        let s = session();
        let code = parse_callback(&url_with(&good_query(&s)), &s, true).unwrap();
        assert_eq!(code.secret(), "abc");
    }

    #[test]
    fn redirect_uri_must_match_origin_and_path() {
        let s = session();
        let q = good_query(&s);
        for url in [
            format!("http://localhost:3000/callback?{q}"),
            format!("http://127.0.0.1:3000/callback2?{q}"),
            format!("https://127.0.0.1:3000/callback?{q}"),
        ] {
            assert!(
                matches!(
                    parse_callback(&url, &s, true),
                    Err(CallbackError::RedirectUriMismatch { .. })
                ),
                "{url}"
            );
        }
    }

    #[test]
    fn provider_error_is_typed_and_readable() {
        let s = session();
        let err = parse_callback(
            &url_with(&format!(
                "error=access_denied&error_description=User+said+no&state={}",
                s.state.secret()
            )),
            &s,
            true,
        )
        .unwrap_err();
        assert_eq!(
            err,
            CallbackError::Provider {
                error: "access_denied".into(),
                description: Some("User said no".into())
            }
        );
        assert_eq!(
            err.to_string(),
            "the sign-in was not completed: access_denied (User said no)"
        );
    }

    #[test]
    fn state_rules() {
        let s = session();
        assert_eq!(
            parse_callback(&url_with("code=abc"), &s, false),
            Err(CallbackError::MissingState)
        );
        let tampered = good_query(&s).replace("state=", "state=x");
        assert_eq!(
            parse_callback(&url_with(&tampered), &s, true),
            Err(CallbackError::StateMismatch)
        );
    }

    #[test]
    fn iss_rules_rfc9207() {
        let s = session();
        let without_iss = format!("code=abc&state={}", s.state.secret());
        assert_eq!(
            parse_callback(&url_with(&without_iss), &s, true),
            Err(CallbackError::MissingIssuer)
        );
        assert!(parse_callback(&url_with(&without_iss), &s, false).is_ok());
        let wrong = format!("{without_iss}&iss=http%3A%2F%2Fevil.test%2Foidc");
        assert!(matches!(
            parse_callback(&url_with(&wrong), &s, false),
            Err(CallbackError::IssuerMismatch { .. })
        ));
    }

    #[test]
    fn code_must_be_present_and_single() {
        let s = session();
        let no_code = format!("state={}&iss=http%3A%2F%2F127.0.0.1%3A3001%2Foidc", s.state.secret());
        assert_eq!(
            parse_callback(&url_with(&no_code), &s, true),
            Err(CallbackError::MissingCode)
        );
        assert_eq!(
            parse_callback(&url_with(&format!("code=&{no_code}")), &s, true),
            Err(CallbackError::MissingCode)
        );
        let twice = format!("code=a&{}", good_query(&s));
        assert_eq!(
            parse_callback(&url_with(&twice), &s, true),
            Err(CallbackError::DuplicateParameter("code".into()))
        );
        let state_twice = format!("{}&state=x", good_query(&s));
        assert_eq!(
            parse_callback(&url_with(&state_twice), &s, true),
            Err(CallbackError::DuplicateParameter("state".into()))
        );
    }

    #[test]
    fn huge_parameters_are_refused_before_anything_else() {
        let s = session();
        let huge = format!(
            "{}&x=1",
            good_query(&s).replace("code=abc", &format!("code={}", "a".repeat(MAX_PARAM_LEN + 1)))
        );
        assert_eq!(
            parse_callback(&url_with(&huge), &s, true),
            Err(CallbackError::ParameterTooLong("code".into()))
        );
        let long_error = format!("error=x&error_description={}", "d".repeat(MAX_PARAM_LEN + 1));
        assert!(matches!(
            parse_callback(&url_with(&long_error), &s, true),
            Err(CallbackError::ParameterTooLong(_))
        ));
    }

    #[test]
    fn response_in_fragment_is_refused() {
        let s = session();
        let url = format!("http://127.0.0.1:3000/callback#{}", good_query(&s));
        assert_eq!(parse_callback(&url, &s, true), Err(CallbackError::ResponseInFragment));
    }

    #[test]
    fn detects_callback_urls() {
        assert!(looks_like_callback("http://a/callback?code=1&state=2"));
        assert!(looks_like_callback("http://a/callback?error=access_denied"));
        assert!(!looks_like_callback("http://a/callback"));
        assert!(
            looks_like_callback("http://a/callback#code=1&state=2"),
            "so it can be refused loudly"
        );
        assert!(!looks_like_callback("not a url"));
    }
}
