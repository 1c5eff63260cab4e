//! The Leptos layer: auth state as signals in context, and the `/callback` component.
//!
//! ```no_run
//! use leptos::prelude::*;
//! use leptos_logto::auth::{provide_auth, use_auth, Callback};
//! use leptos_logto::core::config::LogtoConfig;
//!
//! #[component]
//! fn SignInButton() -> impl IntoView {
//!     let auth = use_auth();
//!     view! {
//!         <Show when=move || auth.is_authenticated().get() fallback=move || view! {
//!             <button on:click=move |_| auth.sign_in(None)>"Sign in"</button>
//!         }>
//!             <button on:click=move |_| auth.sign_out()>"Sign out"</button>
//!         </Show>
//!     }
//! }
//!
//! # fn app(config: LogtoConfig) -> impl IntoView {
//! provide_auth(config);
//! // …and route "/callback" to <Callback/>.
//! # }
//! ```
//!
//! For angular-auth-oidc-client users: `is_authenticated` ≈ `isAuthenticated$`,
//! `user_info`/`id_token_claims` ≈ `userData$`, `sign_in` ≈ `authorize()`, `sign_out` ≈
//! `logoff()`, `sign_out_local` ≈ `logoffLocal()`, start-up restore and `<Callback/>` ≈
//! `checkAuth()`.

mod guard;
mod renewal;

pub use guard::RequireAuth;

use crate::browser::http::{self, HttpResponse};
use crate::browser::location;
use crate::client::{AuthError, LogtoClient, Session, TokenTarget};
use crate::core::callback::looks_like_callback;
use crate::core::claims::{IdTokenClaims, UserInfo};
use crate::core::config::LogtoConfig;
use crate::core::session::SignInSession;
use crate::core::url::HttpUrl;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::sync::Arc;

/// What happened to the session; delivered to [`Auth::on_event`] listeners (like
/// angular-auth-oidc-client's `PublicEventsService`).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum AuthEvent {
    /// A sign-in completed (here, or in another tab).
    SignedIn,
    /// The session ended: sign-out here or in another tab, or the provider refused renewal.
    SignedOut,
    /// Tokens were renewed (here, or in another tab).
    Renewed,
    /// A renewal failed; the session is kept when the failure may be temporary.
    RenewalFailed(AuthError),
}

type Listener = Arc<dyn Fn(&AuthEvent) + Send + Sync>;

/// The auth handle: a `Copy` bundle of signals and actions, from [`use_auth`].
#[derive(Clone, Copy)]
pub struct Auth {
    client: StoredValue<LogtoClient>,
    session: RwSignal<Option<Session>>,
    user_info: RwSignal<Option<UserInfo>>,
    loading: RwSignal<bool>,
    error: RwSignal<Option<AuthError>>,
    callback_started: StoredValue<bool>,
    renewing: RwSignal<bool>,
    renewal_error: RwSignal<Option<AuthError>>,
    listeners: StoredValue<Vec<Listener>>,
    renewal: StoredValue<renewal::RenewalState>,
    // Derived once here, so the accessors below are free to call from any render closure.
    authenticated: Signal<bool>,
    claims: Signal<Option<IdTokenClaims>>,
    raw_id_token: Signal<Option<String>>,
    default_access_token: Signal<Option<String>>,
}

/// Creates the auth state for `config`, restores a stored session (no network request when
/// its ID token is still valid), and provides it in context. Call once, near the root.
pub fn provide_auth(config: LogtoConfig) -> Auth {
    let client = LogtoClient::new(config);
    client.complete_sign_out_redirect();
    let session = client.restore_session(location::now());
    let renewable = session.is_none() && client.has_renewable_session();
    let session = RwSignal::new(session);
    let auth = Auth {
        client: StoredValue::new(client),
        session,
        // A memo: views that switch on it are not rebuilt by every token renewal.
        authenticated: Memo::new(move |_| session.with(Option::is_some)).into(),
        claims: Signal::derive(move || session.with(|s| s.as_ref().map(|s| s.claims.clone()))),
        raw_id_token: Signal::derive(move || session.with(|s| s.as_ref().map(|s| s.id_token.secret().to_owned()))),
        default_access_token: Signal::derive(move || {
            session.with(|s| {
                s.as_ref()
                    .and_then(|s| s.default_access_token())
                    .map(|t| t.secret().to_owned())
            })
        }),
        user_info: RwSignal::new(None),
        loading: RwSignal::new(renewable),
        error: RwSignal::new(None),
        callback_started: StoredValue::new(false),
        renewing: RwSignal::new(false),
        renewal_error: RwSignal::new(None),
        listeners: StoredValue::new(Vec::new()),
        renewal: StoredValue::new(renewal::RenewalState::default()),
    };
    if auth.session.with_untracked(Option::is_some) {
        auth.load_user_info();
    } else if renewable {
        // The ID token expired while the app was closed; a refresh token may still renew it.
        // Until then the app shows "loading", never a stale "signed in".
        spawn_local(async move {
            auth.renew_now(true).await;
            auth.loading.try_set(false);
        });
    }
    auth.watch_other_tabs();
    auth.keep_renewed();
    provide_context(auth);
    auth
}

/// The [`Auth`] handle from context.
///
/// # Panics
/// When [`provide_auth`] was not called in an ancestor: a wiring mistake in the app, not a
/// runtime condition.
pub fn use_auth() -> Auth {
    use_context::<Auth>().expect("use_auth() needs provide_auth(config) in an ancestor component")
}

impl Auth {
    /// True while a valid session is held.
    pub fn is_authenticated(&self) -> Signal<bool> {
        self.authenticated
    }

    /// True while the callback exchange or the redirect to sign-in is under way.
    pub fn is_loading(&self) -> Signal<bool> {
        self.loading.into()
    }

    /// The ID token's claims when signed in.
    pub fn id_token_claims(&self) -> Signal<Option<IdTokenClaims>> {
        self.claims
    }

    /// The raw ID token when signed in.
    pub fn id_token(&self) -> Signal<Option<String>> {
        self.raw_id_token
    }

    /// The default (resource-less) access token when signed in.
    pub fn access_token(&self) -> Signal<Option<String>> {
        self.default_access_token
    }

    /// The user info, once fetched after sign-in (it fills in after the claims).
    pub fn user_info(&self) -> Signal<Option<UserInfo>> {
        self.user_info.into()
    }

    /// The last error, as a message a user can act on.
    pub fn error(&self) -> Signal<Option<AuthError>> {
        self.error.into()
    }

    /// Clears the error.
    pub fn clear_error(&self) {
        self.error.set(None);
    }

    /// The configuration.
    pub fn config(&self) -> LogtoConfig {
        self.client.with_value(|c| c.config().clone())
    }

    /// Starts sign-in; after the callback the app returns to `return_to` (a same-origin
    /// relative path; anything else becomes `/`), or to the current path when `None`.
    pub fn sign_in(&self, return_to: Option<&str>) {
        let this = *self;
        let return_to = return_to.map(str::to_owned).unwrap_or_else(current_path);
        this.error.set(None);
        this.loading.set(true);
        spawn_local(async move {
            let Some(client) = this.client.try_get_value() else {
                return;
            };
            if let Err(error) = client.start_sign_in(&return_to).await {
                // The owner may be gone by now (unmounted); then there is no one to tell.
                this.error.try_set(Some(error));
                this.loading.try_set(false);
            }
        });
    }

    /// Signs out: clears local state and goes through the provider's end-session endpoint.
    pub fn sign_out(&self) {
        let this = *self;
        let session = this.session.get_untracked();
        this.session.set(None);
        this.user_info.set(None);
        this.emit(AuthEvent::SignedOut);
        spawn_local(async move {
            let Some(client) = this.client.try_get_value() else {
                return;
            };
            if let Err(error) = client.sign_out(session.as_ref()).await {
                this.error.try_set(Some(error));
            }
        });
    }

    /// Clears local state without the redirect to the provider.
    pub fn sign_out_local(&self) {
        self.client.with_value(LogtoClient::sign_out_local);
        let was_signed_in = self.session.with_untracked(Option::is_some);
        self.session.set(None);
        self.user_info.set(None);
        if was_signed_in {
            self.emit(AuthEvent::SignedOut);
        }
    }

    /// True while a token renewal is under way.
    pub fn is_renewing(&self) -> Signal<bool> {
        self.renewing.into()
    }

    /// The last renewal error (cleared by the next successful renewal).
    pub fn renewal_error(&self) -> Signal<Option<AuthError>> {
        self.renewal_error.into()
    }

    /// Calls `listener` for every [`AuthEvent`] from now on.
    ///
    /// ```no_run
    /// # let auth = leptos_logto::auth::use_auth();
    /// auth.on_event(|event| leptos::logging::log!("auth event: {event:?}"));
    /// ```
    pub fn on_event(&self, listener: impl Fn(&AuthEvent) + Send + Sync + 'static) {
        self.listeners.update_value(|l| l.push(Arc::new(listener)));
    }

    fn emit(&self, event: AuthEvent) {
        if let Some(listeners) = self.listeners.try_get_value() {
            for listener in listeners {
                listener(&event);
            }
        }
    }

    /// A valid access token for `resource` (RFC 8707), or the default token (`None`),
    /// renewed first when it is about to expire. Concurrent calls share one request, and tabs
    /// take turns (see [`crate::client`]'s refresh module).
    pub async fn get_access_token(&self, resource: Option<&str>) -> Result<String, AuthError> {
        self.token_for(TokenTarget::from_resource(resource), false).await
    }

    /// An access token for a Logto organization (audience `urn:logto:organization:<id>`).
    /// Needs the `urn:logto:scope:organizations` scope.
    pub async fn get_organization_token(&self, organization_id: &str) -> Result<String, AuthError> {
        self.token_for(TokenTarget::Organization(organization_id.to_owned()), false)
            .await
    }

    async fn token_for(&self, target: TokenTarget, force: bool) -> Result<String, AuthError> {
        self.token_replacing(target, force, None).await
    }

    async fn token_replacing(
        &self,
        target: TokenTarget,
        force: bool,
        rejected: Option<&str>,
    ) -> Result<String, AuthError> {
        let client = self.client.try_get_value().ok_or(AuthError::NotSignedIn)?;
        let result = match rejected {
            Some(rejected) => client.access_token_replacing(&target, rejected).await,
            None => client.access_token(&target, force).await,
        };
        match result {
            Ok((session, token)) => {
                self.adopt_session(session);
                Ok(token.token.secret().to_owned())
            }
            Err(error) => {
                self.after_failed_renewal(&error);
                Err(error)
            }
        }
    }

    /// Takes a session read back from storage after a renewal (here or in another tab).
    fn adopt_session(&self, session: Session) {
        let changed = self
            .session
            .try_with_untracked(|current| current.as_ref() != Some(&session));
        if changed == Some(true) {
            let was_signed_in = self.session.with_untracked(Option::is_some);
            self.session.try_set(Some(session));
            self.emit(if was_signed_in {
                AuthEvent::Renewed
            } else {
                AuthEvent::SignedIn
            });
        }
    }

    fn after_failed_renewal(&self, error: &AuthError) {
        self.renewal_error.try_set(Some(error.clone()));
        if matches!(error, AuthError::SessionEnded(_) | AuthError::NotSignedIn) {
            let was_signed_in = self.session.try_with_untracked(Option::is_some) == Some(true);
            self.session.try_set(None);
            self.user_info.try_set(None);
            if was_signed_in {
                if matches!(error, AuthError::SessionEnded(_)) {
                    self.error.try_set(Some(error.clone()));
                }
                self.emit(AuthEvent::SignedOut);
            }
        }
        self.emit(AuthEvent::RenewalFailed(error.clone()));
    }

    /// Renews the default access token (and the ID token) now, even if it is not due; once
    /// per call however many tabs ask at the same moment. Userinfo is fetched again after.
    pub fn renew(&self) {
        let this = *self;
        spawn_local(async move { this.renew_now(true).await });
    }

    async fn renew_now(&self, force: bool) {
        if self.renewing.try_get_untracked() == Some(true) {
            return;
        }
        self.renewing.try_set(true);
        let result = self.token_for(TokenTarget::Default, force).await;
        self.renewing.try_set(false);
        match result {
            Ok(_) => {
                self.renewal_error.try_set(None);
                self.renewal.update_value(|r| r.failures = 0);
                self.load_user_info();
            }
            Err(AuthError::Browser(_)) => {
                // Offline or the provider is down: keep the session, retry with backoff.
                self.schedule_retry();
            }
            Err(_) => {}
        }
    }

    /// Sends a request, attaching `Authorization: Bearer <token>` only when `url` is under one
    /// of the configured `secureRoutes` (with that route's resource token). The token is
    /// renewed first when needed; on a 401 it is renewed once and the request retried once.
    ///
    /// ```no_run
    /// # async fn example() -> Result<(), leptos_logto::client::AuthError> {
    /// let auth = leptos_logto::auth::use_auth();
    /// let response = auth.authorized_fetch("GET", "https://api.example.com/me", None).await?;
    /// # Ok(()) }
    /// ```
    pub async fn authorized_fetch(
        &self,
        method: &str,
        url: &str,
        body: Option<(&str, String)>,
    ) -> Result<HttpResponse, AuthError> {
        let route = self
            .client
            .try_with_value(|c| c.config().secure_route_for(url).cloned())
            .flatten();
        let Some(route) = route else {
            return Ok(http::send(method, url, None, body).await?);
        };
        let target = TokenTarget::from_resource(route.resource.as_deref());
        let token = self.token_for(target.clone(), false).await?;
        let response = http::send(method, url, Some(&token), body.clone()).await?;
        if response.status != 401 {
            return Ok(response);
        }
        let token = self.token_replacing(target, true, Some(&token)).await?;
        Ok(http::send(method, url, Some(&token), body).await?)
    }

    fn load_user_info(&self) {
        let this = *self;
        spawn_local(async move {
            let (Some(Some(session)), Some(client)) = (this.session.try_get_untracked(), this.client.try_get_value())
            else {
                return;
            };
            let result = client.fetch_user_info(&session).await;
            // Only for the session it was fetched for (not after a sign-out meanwhile).
            if this
                .session
                .try_with_untracked(|s| s.as_ref().map(|s| s.claims.sub.clone()))
                != Some(Some(session.claims.sub))
            {
                return;
            }
            match result {
                Ok(info) => {
                    this.user_info.try_set(Some(info));
                }
                Err(AuthError::UserInfoSubjectMismatch) => {
                    // The provider vouches for someone else than the ID token does: trust
                    // neither. End the local session (OpenID Connect Core §5.3.2).
                    client.sign_out_local();
                    this.session.try_set(None);
                    this.user_info.try_set(None);
                    this.error.try_set(Some(AuthError::UserInfoSubjectMismatch));
                    this.emit(AuthEvent::SignedOut);
                }
                Err(error) => {
                    this.error.try_set(Some(error));
                }
            }
        });
    }

    /// Completes sign-in on the redirect URI and returns the in-app path to go to, or `None`
    /// when another mount of the callback is already doing it. Runs the exchange at most once
    /// per page; removes `code`, `state` and `iss` from the address bar first.
    pub async fn complete_sign_in(&self) -> Option<String> {
        match self.start_sign_in_completion() {
            CallbackStart::NotACallback => Some("/".to_owned()),
            CallbackStart::AlreadyRunning => None,
            CallbackStart::Started(href, sign_in) => self.finish_sign_in_completion(&href, sign_in).await,
        }
    }

    /// The synchronous first half of [`Auth::complete_sign_in`]: captures the callback URL,
    /// takes the sign-in session (single use), marks the exchange as running (`is_loading`),
    /// and strips the URL's query.
    fn start_sign_in_completion(&self) -> CallbackStart {
        let href = location::current_href().unwrap_or_default();
        if !looks_like_callback(&href) {
            return CallbackStart::NotACallback;
        }
        if self.callback_started.get_value() {
            return CallbackStart::AlreadyRunning;
        }
        self.callback_started.set_value(true);
        self.loading.set(true);
        self.error.set(None);
        if let Ok(url) = HttpUrl::parse(&href) {
            let _ = location::replace_url(url.path());
        }
        let sign_in = self.client.with_value(LogtoClient::take_sign_in_session);
        CallbackStart::Started(href, sign_in)
    }

    async fn finish_sign_in_completion(&self, href: &str, sign_in: Result<SignInSession, AuthError>) -> Option<String> {
        let client = self.client.get_value();
        let result = match sign_in {
            Ok(sign_in) => client.handle_callback(href, sign_in).await,
            Err(error) => Err(error),
        };
        self.loading.set(false);
        match result {
            Ok((session, return_to)) => {
                self.session.set(Some(session));
                // Userinfo after the claims are on screen: it is not on the critical path.
                let this = *self;
                spawn_local(async move {
                    crate::browser::frame::after_next_paint().await;
                    this.load_user_info();
                });
                self.emit(AuthEvent::SignedIn);
                Some(return_to)
            }
            // A reload of the callback after success: the session stands; nothing to report.
            Err(AuthError::NoSignInSession) if self.session.with_untracked(Option::is_some) => Some("/".to_owned()),
            Err(error) => {
                self.error.set(Some(error));
                Some("/".to_owned())
            }
        }
    }
}

/// How a callback page starts.
enum CallbackStart {
    /// The URL carries no authorization response.
    NotACallback,
    /// Another mount of the callback is already exchanging the code.
    AlreadyRunning,
    /// This mount exchanges the code of this callback URL, with this tab's sign-in session.
    Started(String, Result<SignInSession, AuthError>),
}

fn current_path() -> String {
    location::current_href()
        .ok()
        .and_then(|href| HttpUrl::parse(&href).ok())
        .map(|url| {
            let mut path = url.path().to_owned();
            if let Some(query) = url.query() {
                path.push('?');
                path.push_str(query);
            }
            path
        })
        .unwrap_or_else(|| "/".to_owned())
}

/// The `/callback` route: completes the exchange and lands on the stored return path
/// (replacing history). The app goes to the return path at once, while the token request is
/// in flight (with `is_loading` true, so that page shows its loading state and a guard waits),
/// and the claims paint there as soon as the tokens are verified; a failed exchange ends on `/`
/// with the error. Shows a loading line meanwhile (`data-testid="auth-loading"`).
#[component]
pub fn Callback() -> impl IntoView {
    let auth = use_auth();
    let navigate = leptos_router::hooks::use_navigate();
    let go = move |path: &str| {
        navigate(
            path,
            leptos_router::NavigateOptions {
                replace: true,
                ..Default::default()
            },
        )
    };
    // Synchronously, while this route renders: the URL is captured and `is_loading` is set
    // before any navigation. The navigations themselves run in the task, never during render.
    let start = auth.start_sign_in_completion();
    spawn_local(async move {
        let (href, sign_in) = match start {
            CallbackStart::NotACallback => return go("/"),
            CallbackStart::AlreadyRunning => return,
            CallbackStart::Started(href, sign_in) => (href, sign_in),
        };
        let early = sign_in.as_ref().ok().map(|s| s.return_to.clone());
        if let Some(path) = &early {
            go(path);
        }
        if let Some(target) = auth.finish_sign_in_completion(&href, sign_in).await {
            if early.as_deref() != Some(target.as_str()) {
                go(&target);
            }
        }
    });
    view! { <p class="auth-loading" data-testid="auth-loading">"Completing sign-in…"</p> }
}
