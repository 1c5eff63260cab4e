//! The Web Locks API (`navigator.locks`), bound directly: web-sys only exposes it behind
//! `--cfg=web_sys_unstable_apis`, which every app using this crate would then need.
//!
//! Used to serialise token refreshes across the tabs of an origin, and to pass a fact from
//! one tab to the next through lock *names*, which `navigator.locks.query()` reports
//! consistently across tabs (localStorage writes are not guaranteed to be visible yet when the
//! next tab acquires the lock).

use super::{js_message, window, BrowserError};
use js_sys::{Function, Promise, Reflect};
use std::future::Future;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    /// `navigator.locks`.
    type LockManager;

    #[wasm_bindgen(method, catch)]
    fn request(this: &LockManager, name: &str, callback: &Function) -> Result<Promise, JsValue>;

    #[wasm_bindgen(method, catch)]
    fn query(this: &LockManager) -> Result<Promise, JsValue>;
}

fn lock_manager() -> Result<LockManager, BrowserError> {
    let navigator = window()?.navigator();
    let locks =
        Reflect::get(&navigator, &JsValue::from_str("locks")).map_err(|e| BrowserError::Lock(js_message(&e)))?;
    if locks.is_undefined() || locks.is_null() {
        return Err(BrowserError::Lock(
            "this browser has no Web Locks API (navigator.locks)".into(),
        ));
    }
    Ok(locks.unchecked_into())
}

/// A promise and the function that resolves it.
fn deferred() -> (Promise, Function) {
    let mut resolver = None;
    let promise = Promise::new(&mut |resolve, _reject| resolver = Some(resolve));
    // The executor runs synchronously inside `new Promise`, so the resolver is always set.
    (promise, resolver.unwrap_or_else(|| Function::new_no_args("")))
}

/// Requests the lock `name`; once it is granted, `hold` gives the promise whose settling
/// releases it. Returns, after the grant, the request's own promise (settles on release).
async fn acquire(name: &str, hold: impl FnOnce() -> Promise + 'static) -> Result<Promise, BrowserError> {
    let lock_error = |e: JsValue| BrowserError::Lock(js_message(&e));
    let (acquired, signal_acquired) = deferred();
    let callback = Closure::once_into_js(move |_lock: JsValue| -> Promise {
        let _ = signal_acquired.call0(&JsValue::NULL);
        hold()
    });
    let requested = lock_manager()?
        .request(name, callback.unchecked_ref())
        .map_err(lock_error)?;
    JsFuture::from(acquired).await.map_err(lock_error)?;
    Ok(requested)
}

/// Runs `work` while holding the exclusive lock `name` (across every tab of the origin) and
/// returns its output. Waits for the lock as long as another holder keeps it.
///
/// ```no_run
/// # async fn example() -> Result<(), leptos_logto::browser::BrowserError> {
/// use leptos_logto::browser::locks::with_lock;
/// let answer = with_lock("logto:my-app:refresh", || async { 42 }).await?;
/// # Ok(()) }
/// ```
pub async fn with_lock<F, Fut, T>(name: &str, work: F) -> Result<T, BrowserError>
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = T>,
{
    let (held, release) = deferred();
    let requested = acquire(name, move || held).await?;
    let output = work().await;
    let _ = release.call0(&JsValue::NULL);
    JsFuture::from(requested)
        .await
        .map_err(|e| BrowserError::Lock(js_message(&e)))?;
    Ok(output)
}

/// Takes the lock `name` and keeps it for `millis` milliseconds in the background; returns
/// once it is held. Used as a short-lived, cross-tab-visible marker.
pub async fn hold_for(name: &str, millis: i32) -> Result<(), BrowserError> {
    let window = window()?;
    // The request's own promise settles when the marker is released; nobody waits for it.
    let _released = acquire(name, move || {
        let (held, release) = deferred();
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&release, millis);
        held
    })
    .await?;
    Ok(())
}

/// The names of the locks currently held in this origin (all tabs).
pub async fn held_lock_names() -> Result<Vec<String>, BrowserError> {
    let snapshot = JsFuture::from(
        lock_manager()?
            .query()
            .map_err(|e| BrowserError::Lock(js_message(&e)))?,
    )
    .await
    .map_err(|e| BrowserError::Lock(js_message(&e)))?;
    let held = Reflect::get(&snapshot, &JsValue::from_str("held")).map_err(|e| BrowserError::Lock(js_message(&e)))?;
    let held: js_sys::Array = held
        .dyn_into()
        .map_err(|_| BrowserError::Lock("query() returned no list".into()))?;
    Ok(held
        .iter()
        .filter_map(|info| Reflect::get(&info, &JsValue::from_str("name")).ok()?.as_string())
        .collect())
}

/// Waits `millis` milliseconds (a `setTimeout` promise).
pub async fn sleep(millis: i32) {
    let (done, resolve) = deferred();
    if let Ok(window) = window() {
        if window
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, millis)
            .is_ok()
        {
            let _ = JsFuture::from(done).await;
        }
    }
}
