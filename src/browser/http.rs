//! HTTP through gloo-net: what the client sends to the provider.

use super::BrowserError;
use gloo_net::http::Request;

/// An HTTP answer: status and body text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// The status code.
    pub status: u16,
    /// The body as text.
    pub body: String,
}

impl HttpResponse {
    /// The body when the status is 2xx, else [`BrowserError::Status`].
    pub fn success_body(self, url: &str) -> Result<String, BrowserError> {
        if (200..300).contains(&self.status) {
            Ok(self.body)
        } else {
            Err(BrowserError::Status {
                url: url.to_owned(),
                status: self.status,
            })
        }
    }
}

fn network(url: &str, error: gloo_net::Error) -> BrowserError {
    BrowserError::Network {
        url: url.to_owned(),
        reason: error.to_string(),
    }
}

async fn finish(
    url: &str,
    response: Result<gloo_net::http::Response, gloo_net::Error>,
) -> Result<HttpResponse, BrowserError> {
    let response = response.map_err(|e| network(url, e))?;
    let status = response.status();
    let body = response.text().await.map_err(|e| network(url, e))?;
    Ok(HttpResponse { status, body })
}

/// `GET url` with `Accept: application/json` and, when given, `Authorization: Bearer`.
pub async fn get(url: &str, bearer: Option<&str>) -> Result<HttpResponse, BrowserError> {
    let mut request = Request::get(url).header("Accept", "application/json");
    if let Some(token) = bearer {
        request = request.header("Authorization", &format!("Bearer {token}"));
    }
    finish(url, request.send().await).await
}

/// `POST url` with an `application/x-www-form-urlencoded` body (token endpoint).
pub async fn post_form(url: &str, body: String) -> Result<HttpResponse, BrowserError> {
    let request = Request::post(url)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Accept", "application/json")
        .body(body)
        .map_err(|e| network(url, e))?;
    finish(url, request.send().await).await
}

/// Any request: `method` to `url`, with an optional Bearer token and an optional
/// `(content type, body)`. Used by the authorized fetch.
pub async fn send(
    method: &str,
    url: &str,
    bearer: Option<&str>,
    body: Option<(&str, String)>,
) -> Result<HttpResponse, BrowserError> {
    let method = match method.to_ascii_uppercase().as_str() {
        "GET" => gloo_net::http::Method::GET,
        "POST" => gloo_net::http::Method::POST,
        "PUT" => gloo_net::http::Method::PUT,
        "PATCH" => gloo_net::http::Method::PATCH,
        "DELETE" => gloo_net::http::Method::DELETE,
        other => {
            return Err(BrowserError::Network {
                url: url.to_owned(),
                reason: format!("unsupported method {other}"),
            })
        }
    };
    let mut request = gloo_net::http::RequestBuilder::new(url).method(method);
    if let Some(token) = bearer {
        request = request.header("Authorization", &format!("Bearer {token}"));
    }
    let sent = match body {
        Some((content_type, body)) => {
            request
                .header("Content-Type", content_type)
                .body(body)
                .map_err(|e| network(url, e))?
                .send()
                .await
        }
        None => request.send().await,
    };
    finish(url, sent).await
}
