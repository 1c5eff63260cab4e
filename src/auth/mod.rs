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

use crate::browser::location;
use crate::client::{AuthError, LogtoClient, Session};
use crate::core::callback::looks_like_callback;
use crate::core::claims::{IdTokenClaims, UserInfo};
use crate::core::config::LogtoConfig;
use crate::core::url::HttpUrl;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The auth handle: a `Copy` bundle of signals and actions, from [`use_auth`].
#[derive(Clone, Copy)]
pub struct Auth {
    client: StoredValue<LogtoClient>,
    session: RwSignal<Option<Session>>,
    user_info: RwSignal<Option<UserInfo>>,
    loading: RwSignal<bool>,
    error: RwSignal<Option<AuthError>>,
    callback_started: StoredValue<bool>,
}

/// Creates the auth state for `config`, restores a stored session (no network request when
/// its ID token is still valid), and provides it in context. Call once, near the root.
pub fn provide_auth(config: LogtoConfig) -> Auth {
    let client = LogtoClient::new(config);
    client.complete_sign_out_redirect();
    let session = client.restore_session(location::now());
    let auth = Auth {
        client: StoredValue::new(client),
        session: RwSignal::new(session),
        user_info: RwSignal::new(None),
        loading: RwSignal::new(false),
        error: RwSignal::new(None),
        callback_started: StoredValue::new(false),
    };
    if auth.session.with_untracked(Option::is_some) {
        auth.load_user_info();
    }
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
        let session = self.session;
        Signal::derive(move || session.with(Option::is_some))
    }

    /// True while the callback exchange or the redirect to sign-in is under way.
    pub fn is_loading(&self) -> Signal<bool> {
        self.loading.into()
    }

    /// The ID token's claims when signed in.
    pub fn id_token_claims(&self) -> Signal<Option<IdTokenClaims>> {
        let session = self.session;
        Signal::derive(move || session.with(|s| s.as_ref().map(|s| s.claims.clone())))
    }

    /// The raw ID token when signed in.
    pub fn id_token(&self) -> Signal<Option<String>> {
        let session = self.session;
        Signal::derive(move || session.with(|s| s.as_ref().map(|s| s.id_token.secret().to_owned())))
    }

    /// The default (resource-less) access token when signed in.
    pub fn access_token(&self) -> Signal<Option<String>> {
        let session = self.session;
        Signal::derive(move || {
            session.with(|s| {
                s.as_ref()
                    .and_then(|s| s.default_access_token())
                    .map(|t| t.secret().to_owned())
            })
        })
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
        self.session.set(None);
        self.user_info.set(None);
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
        let href = location::current_href().unwrap_or_default();
        if !looks_like_callback(&href) {
            return Some("/".to_owned());
        }
        if self.callback_started.get_value() {
            return None;
        }
        self.callback_started.set_value(true);
        self.loading.set(true);
        self.error.set(None);
        if let Ok(url) = HttpUrl::parse(&href) {
            let _ = location::replace_url(url.path());
        }
        let client = self.client.get_value();
        let result = client.handle_callback(&href).await;
        self.loading.set(false);
        match result {
            Ok((session, return_to)) => {
                self.session.set(Some(session));
                self.load_user_info();
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

/// The `/callback` route: completes the exchange, then navigates (replacing history) to the
/// stored return path. Shows a loading line meanwhile (`data-testid="auth-loading"`).
#[component]
pub fn Callback() -> impl IntoView {
    let auth = use_auth();
    let navigate = leptos_router::hooks::use_navigate();
    spawn_local(async move {
        if let Some(target) = auth.complete_sign_in().await {
            navigate(
                &target,
                leptos_router::NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        }
    });
    view! { <p class="auth-loading" data-testid="auth-loading">"Completing sign-in…"</p> }
}
