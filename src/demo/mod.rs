//! The demo app's components. Stable `data-testid` hooks for the e2e tests: `sign-in`,
//! `sign-out`, `id-token-claims`, `user-info`, `access-token`, `auth-error`, `auth-loading`;
//! and for the token lifecycle: `renew`, `renew-status`, `call-api`, `api-result`,
//! `resource-token-claims`, `org-token-<id>`, `org-token-claims`, `auth-redirecting`.

use leptos::either::Either;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_logto::auth::{provide_auth, use_auth, Callback, RequireAuth};
use leptos_logto::browser::http::{self, HttpResponse};
use leptos_logto::browser::location;
use leptos_logto::core::config::LogtoConfig;
use leptos_logto::core::id_token::decode_claims_unverified;
use leptos_logto::core::json::{Json, JsonObject};
use leptos_router::components::{FlatRoutes, Route, Router};
use leptos_router::path;
use wasm_bindgen::JsCast;

/// `[status, body]`, as `index.html`'s early `/config.json` request records its answer.
fn response_from_pair(pair: &wasm_bindgen::JsValue) -> HttpResponse {
    let pair = js_sys::Array::from(pair);
    HttpResponse {
        status: pair.get(0).as_f64().unwrap_or_default() as u16,
        body: pair.get(1).as_string().unwrap_or_default(),
    }
}

/// The answer to the `/config.json` request `index.html` starts before the wasm is even
/// downloaded, when it has already arrived (`window.logtoConfigAnswer`); usually it has, so
/// the app renders at once instead of after a "Loading…" frame.
fn early_config_answer() -> Option<HttpResponse> {
    let answer = js_sys::Reflect::get(&js_sys::global(), &"logtoConfigAnswer".into()).ok()?;
    answer.is_object().then(|| response_from_pair(&answer))
}

/// Waits for that request when it is still under way (`window.logtoConfig`, a promise of
/// `[status, body]`). `None` when the page did not start one (then the app fetches it itself).
async fn early_config_response() -> Option<Result<HttpResponse, String>> {
    let promise: js_sys::Promise = js_sys::Reflect::get(&js_sys::global(), &"logtoConfig".into())
        .ok()?
        .dyn_into()
        .ok()?;
    Some(match wasm_bindgen_futures::JsFuture::from(promise).await {
        Ok(pair) => Ok(response_from_pair(&pair)),
        Err(_) => Err("the request failed (network error)".to_owned()),
    })
}

/// Checks the answer to `GET /config.json` and reads the configuration.
fn config_from_response(response: Result<HttpResponse, String>) -> Result<LogtoConfig, String> {
    let body = response
        .and_then(|r| r.success_body("/config.json").map_err(|e| e.to_string()))
        .map_err(|e| format!("could not load /config.json: {e}"))?;
    LogtoConfig::from_json(&body).map_err(|e| format!("/config.json: {e}"))
}

/// Loads and checks `/config.json`.
async fn load_config() -> Result<LogtoConfig, String> {
    let response = match early_config_response().await {
        Some(response) => response,
        None => {
            let url = format!("{}/config.json", location::current_origin().map_err(|e| e.to_string())?);
            http::get(&url, None).await.map_err(|e| e.to_string())
        }
    };
    config_from_response(response)
}

/// Loads the configuration, then renders the app (or what is wrong with the configuration).
#[component]
pub fn Root() -> impl IntoView {
    let ready = early_config_answer().map(|answer| config_from_response(Ok(answer)));
    let waiting = ready.is_none();
    let config = RwSignal::new(ready);
    if waiting {
        spawn_local(async move { config.set(Some(load_config().await)) });
    }
    move || match config.get() {
        None => view! { <p class="muted" data-testid="auth-loading">"Loading…"</p> }.into_any(),
        Some(Err(message)) => view! {
            <div class="banner error" role="alert" data-testid="config-error">
                <strong>"The app is not configured correctly. "</strong>{message}
            </div>
        }
        .into_any(),
        Some(Ok(config)) => view! { <App config/> }.into_any(),
    }
}

#[component]
fn App(config: LogtoConfig) -> impl IntoView {
    provide_auth(config);
    view! {
        <Router>
            <header class="topbar">
                <a class="brand" href="/">"leptos-logto"</a>
                <nav>
                    <a href="/">"Home"</a>
                    <a href="/protected" data-testid="nav-protected">"Protected"</a>
                </nav>
                <span class="tag">"Logto · OpenID Connect · WebAssembly"</span>
                <AuthButton/>
            </header>
            <ErrorBanner/>
            <main>
                <FlatRoutes fallback=NotFound>
                    <Route path=path!("/") view=Home/>
                    <Route path=path!("/callback") view=Callback/>
                    <Route path=path!("/protected") view=|| view! { <RequireAuth><Protected/></RequireAuth> }/>
                </FlatRoutes>
            </main>
        </Router>
    }
}

#[component]
fn AuthButton() -> impl IntoView {
    let auth = use_auth();
    move || {
        if auth.is_authenticated().get() {
            Either::Left(
                view! { <button class="button secondary" data-testid="sign-out" on:click=move |_| auth.sign_out()>"Sign out"</button> },
            )
        } else {
            Either::Right(view! {
                <button class="button" data-testid="sign-in" disabled=move || auth.is_loading().get() on:click=move |_| auth.sign_in(Some("/"))>
                    "Sign in"
                </button>
            })
        }
    }
}

#[component]
fn ErrorBanner() -> impl IntoView {
    let auth = use_auth();
    move || {
        auth.error().get().map(|error| {
            view! {
                <div class="banner error" role="alert">
                    <span data-testid="auth-error">{error.to_string()}</span>
                    <span class="actions">
                        <button class="button small" data-testid="retry-sign-in" on:click=move |_| auth.sign_in(Some("/"))>"Try again"</button>
                        <button class="button small secondary" on:click=move |_| auth.clear_error()>"Dismiss"</button>
                    </span>
                </div>
            }
        })
    }
}

#[component]
fn Home() -> impl IntoView {
    let auth = use_auth();
    move || {
        if auth.is_loading().get() {
            view! { <p class="muted" data-testid="auth-loading">"Signing in…"</p> }.into_any()
        } else if auth.is_authenticated().get() {
            view! { <Profile/> }.into_any()
        } else {
            view! {
                <section class="card hero">
                    <h1>"Sign in with Logto"</h1>
                    <p>"This demo signs you in with the authorization code flow and PKCE, verifies the ID token with the browser's WebCrypto, and shows what the provider says about you."</p>
                    <p class="muted">"With the local provider, any username and password work; try " <code>"alice"</code> "."</p>
                </section>
            }
            .into_any()
        }
    }
}

fn json_pretty(object: JsonObject) -> String {
    Json::Object(object).to_pretty_string()
}

fn display_value(value: &Json) -> String {
    match value {
        Json::String(s) => s.clone(),
        other => other.to_json_string(),
    }
}

#[component]
fn Profile() -> impl IntoView {
    let auth = use_auth();
    let claims = move || auth.id_token_claims().get().map(|c| c.to_object());
    let rows = move || {
        claims()
            .unwrap_or_default()
            .iter()
            .map(|(key, value)| view! { <tr><th>{key.to_owned()}</th><td>{display_value(value)}</td></tr> })
            .collect_view()
    };
    let user_info = move || auth.user_info().get().map(|info| json_pretty(info.to_object()));
    view! {
        <section class="card">
            <h2>"ID token claims"</h2>
            <table class="claims">{rows}</table>
            <details open>
                <summary>"Raw JSON"</summary>
                <pre data-testid="id-token-claims">{move || claims().map(json_pretty)}</pre>
            </details>
        </section>
        <section class="card">
            <h2>"User info"</h2>
            {move || match user_info() {
                Some(json) => view! { <pre data-testid="user-info">{json}</pre> }.into_any(),
                None => view! { <p class="muted">"Loading user info…"</p> }.into_any(),
            }}
        </section>
        <section class="card">
            <h2>"Access token"</h2>
            <pre class="token" data-testid="access-token">{auth.access_token()}</pre>
            <p class="row">
                <button class="button small" data-testid="renew" on:click=move |_| auth.renew()>"Renew now"</button>
                <span class="muted" data-testid="renew-status">
                    {move || if auth.is_renewing().get() { "renewing" } else { "idle" }}
                </span>
                <span class="muted" data-testid="renewal-error">{move || auth.renewal_error().get().map(|e| e.to_string())}</span>
            </p>
        </section>
    }
}

/// The claims of a JWT access token, for display only (the API checks it, not the app).
fn jwt_claims_json(token: &str) -> String {
    decode_claims_unverified(token)
        .map(|c| json_pretty(c.to_object()))
        .unwrap_or_else(|e| e.to_string())
}

/// Behind `<RequireAuth>`: calls the demo API with the API resource's token, and shows
/// organization tokens for the user's organizations.
#[component]
fn Protected() -> impl IntoView {
    let auth = use_auth();
    let api_result = RwSignal::new(None::<String>);
    let resource_claims = RwSignal::new(None::<String>);
    let org_claims = RwSignal::new(None::<String>);
    let call_api = move |_| {
        spawn_local(async move {
            let api = "http://127.0.0.1:3001/api/whoami";
            let text = match auth.authorized_fetch("GET", api, None).await {
                Ok(response) => format!("HTTP {}\n{}", response.status, response.body),
                Err(error) => format!("error: {error}"),
            };
            api_result.set(Some(text));
            if let Ok(token) = auth.get_access_token(Some("https://api.demo.test")).await {
                resource_claims.set(Some(jwt_claims_json(&token)));
            }
        });
    };
    let organizations = move || {
        auth.id_token_claims()
            .get()
            .and_then(|c| c.profile.organizations)
            .unwrap_or_default()
    };
    view! {
        <section class="card">
            <h2>"API resource"</h2>
            <p class="muted">"The app asks for a token whose audience is " <code>"https://api.demo.test"</code> " and sends it to the API, which checks signature and audience."</p>
            <button class="button" data-testid="call-api" on:click=call_api>"Call the API"</button>
            <pre data-testid="api-result">{api_result}</pre>
            <pre data-testid="resource-token-claims">{resource_claims}</pre>
        </section>
        <section class="card">
            <h2>"Organization tokens"</h2>
            <p class="row">
                {move || organizations().into_iter().map(|org| {
                    let id = org.clone();
                    let get = move |_| {
                        let id = id.clone();
                        spawn_local(async move {
                            let text = match auth.get_organization_token(&id).await {
                                Ok(token) => jwt_claims_json(&token),
                                Err(error) => format!("error: {error}"),
                            };
                            org_claims.set(Some(text));
                        });
                    };
                    view! { <button class="button small secondary" data-testid=format!("org-token-{org}") on:click=get>{format!("Token for {org}")}</button> }
                }).collect_view()}
            </p>
            <pre data-testid="org-token-claims">{org_claims}</pre>
        </section>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    view! {
        <section class="card">
            <h1>"Page not found"</h1>
            <p><a href="/">"Back home"</a></p>
        </section>
    }
}
