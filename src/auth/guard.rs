//! `<RequireAuth>`: a route guard, like angular-auth-oidc-client's
//! `autoLoginPartialRoutesGuard`.

use super::use_auth;
use leptos::either::Either;
use leptos::prelude::*;

/// Renders `children` for a signed-in user; for a signed-out user, starts sign-in and comes
/// back to the same page (path and query) after the callback. While an error is shown it does
/// not redirect again, so a failing provider cannot cause a redirect loop.
///
/// ```no_run
/// use leptos::prelude::*;
/// use leptos_logto::auth::RequireAuth;
/// # #[component] fn Dashboard() -> impl IntoView { () }
/// view! { <RequireAuth><Dashboard/></RequireAuth> };
/// ```
#[component]
pub fn RequireAuth(children: ChildrenFn) -> impl IntoView {
    let auth = use_auth();
    Effect::new(move |_| {
        if !auth.is_authenticated().get() && !auth.is_loading().get() && auth.error().get().is_none() {
            auth.sign_in(None);
        }
    });
    // `is_authenticated` is a memo, so this switches only when the user signs in or out.
    move || {
        if auth.is_authenticated().get() {
            Either::Left(children())
        } else {
            Either::Right(view! { <p class="muted" data-testid="auth-redirecting">"Redirecting to sign-in…"</p> })
        }
    }
}
