//! HTTP through gloo-net: what the client sends to the provider.

use super::{window, BrowserError};
use gloo_net::http::{Method, RequestBuilder};

/// Every request is abandoned after this long (ms), so a stalled provider never leaves the app
/// waiting forever.
pub const REQUEST_TIMEOUT_MS: i32 = 15_000;

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

/// Aborts the request after [`REQUEST_TIMEOUT_MS`]; dropping it cancels the timer.
struct Deadline {
    controller: web_sys::AbortController,
    timer: Option<i32>,
}

impl Deadline {
    fn start() -> Option<Self> {
        let controller = web_sys::AbortController::new().ok()?;
        let abort = js_sys::Function::from(js_sys::Reflect::get(&controller, &"abort".into()).ok()?).bind0(&controller);
        let timer = window()
            .ok()?
            .set_timeout_with_callback_and_timeout_and_arguments_0(&abort, REQUEST_TIMEOUT_MS)
            .ok();
        Some(Self { controller, timer })
    }

    fn timed_out(&self) -> bool {
        self.controller.signal().aborted()
    }
}

impl Drop for Deadline {
    fn drop(&mut self) {
        if let (Some(timer), Ok(window)) = (self.timer, window()) {
            window.clear_timeout_with_handle(timer);
        }
    }
}

fn with_deadline(builder: RequestBuilder, deadline: Option<&Deadline>) -> RequestBuilder {
    match deadline {
        Some(deadline) => builder.abort_signal(Some(&deadline.controller.signal())),
        None => builder,
    }
}

async fn finish(
    url: &str,
    response: Result<gloo_net::http::Response, gloo_net::Error>,
    deadline: Option<Deadline>,
) -> Result<HttpResponse, BrowserError> {
    let fail = |e: gloo_net::Error| {
        if deadline.as_ref().is_some_and(Deadline::timed_out) {
            BrowserError::Network {
                url: url.to_owned(),
                reason: format!("no answer within {} s", REQUEST_TIMEOUT_MS / 1000),
            }
        } else {
            network(url, e)
        }
    };
    let response = response.map_err(fail)?;
    let status = response.status();
    let body = response.text().await.map_err(fail)?;
    Ok(HttpResponse { status, body })
}

/// The one place a request is made: the deadline, the headers, the optional
/// `(content type, body)`, sending, and reading the answer.
async fn execute(
    method: Method,
    url: &str,
    accept_json: bool,
    bearer: Option<&str>,
    body: Option<(&str, String)>,
) -> Result<HttpResponse, BrowserError> {
    let deadline = Deadline::start();
    let mut request = with_deadline(RequestBuilder::new(url).method(method), deadline.as_ref());
    if accept_json {
        request = request.header("Accept", "application/json");
    }
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
    finish(url, sent, deadline).await
}

/// `GET url` with `Accept: application/json` and, when given, `Authorization: Bearer`.
pub async fn get(url: &str, bearer: Option<&str>) -> Result<HttpResponse, BrowserError> {
    execute(Method::GET, url, true, bearer, None).await
}

/// `POST url` with an `application/x-www-form-urlencoded` body (token endpoint).
pub async fn post_form(url: &str, body: String) -> Result<HttpResponse, BrowserError> {
    execute(
        Method::POST,
        url,
        true,
        None,
        Some(("application/x-www-form-urlencoded", body)),
    )
    .await
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
        "GET" => Method::GET,
        "POST" => Method::POST,
        "PUT" => Method::PUT,
        "PATCH" => Method::PATCH,
        "DELETE" => Method::DELETE,
        other => {
            return Err(BrowserError::Network {
                url: url.to_owned(),
                reason: format!("unsupported method {other}"),
            })
        }
    };
    execute(method, url, false, bearer, body).await
}
