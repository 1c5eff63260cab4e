//! The RP-initiated logout URL (OpenID Connect RP-Initiated Logout 1.0 §2).

use crate::core::types::{ClientId, CsrfState, IdToken};
use crate::core::url::{HttpUrl, UrlError};

/// The end-session URL with `id_token_hint` (when there is an ID token),
/// `post_logout_redirect_uri` (when configured), `client_id` and `state`.
///
/// ```
/// use leptos_logto::core::end_session::end_session_url;
/// use leptos_logto::core::types::{ClientId, CsrfState};
/// let url = end_session_url("https://t/oidc/session/end", &ClientId::new("app"), None,
///     Some("https://app/"), &CsrfState::new("s")).unwrap();
/// assert_eq!(url, "https://t/oidc/session/end?client_id=app&post_logout_redirect_uri=https%3A%2F%2Fapp%2F&state=s");
/// ```
pub fn end_session_url(
    end_session_endpoint: &str,
    client_id: &ClientId,
    id_token_hint: Option<&IdToken>,
    post_logout_redirect_uri: Option<&str>,
    state: &CsrfState,
) -> Result<String, UrlError> {
    let endpoint = HttpUrl::parse(end_session_endpoint)?;
    let mut params = vec![("client_id", client_id.as_str())];
    if let Some(token) = id_token_hint {
        params.push(("id_token_hint", token.secret()));
    }
    if let Some(uri) = post_logout_redirect_uri {
        params.push(("post_logout_redirect_uri", uri));
    }
    params.push(("state", state.secret()));
    Ok(endpoint.with_query_params(params))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::url::parse_query;

    #[test]
    fn carries_the_hint_redirect_client_and_state() {
        let url = end_session_url(
            "http://127.0.0.1:3001/oidc/session/end",
            &ClientId::new("demo-app"),
            Some(&IdToken::new("a.b.c")),
            Some("http://127.0.0.1:3000/"),
            &CsrfState::new("st"),
        )
        .unwrap();
        let parsed = HttpUrl::parse(&url).unwrap();
        let pairs = parse_query(parsed.query().unwrap()).unwrap();
        let expected: Vec<(String, String)> = [
            ("client_id", "demo-app"),
            ("id_token_hint", "a.b.c"),
            ("post_logout_redirect_uri", "http://127.0.0.1:3000/"),
            ("state", "st"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        assert_eq!(pairs, expected);
        assert!(end_session_url("/relative", &ClientId::new("a"), None, None, &CsrfState::new("s")).is_err());
    }
}
