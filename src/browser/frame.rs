//! Waiting for the browser to paint what was just rendered.

use super::window;
use js_sys::{Function, Promise};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// The longest wait (ms), for a hidden tab whose frames are paused.
const MAX_WAIT_MS: i32 = 100;

/// Resolves once the next frame has been painted: a `requestAnimationFrame` callback runs just
/// before the paint and a `setTimeout(0)` queued from it runs after. In a hidden tab (no
/// frames) it resolves after 100 ms instead. For work that must not delay what was just
/// rendered, e.g. fetching userinfo after the claims are on screen.
///
/// ```no_run
/// # async fn example() {
/// leptos_logto::browser::frame::after_next_paint().await;
/// # }
/// ```
pub async fn after_next_paint() {
    let Ok(window) = window() else { return };
    let promise = Promise::new(&mut |resolve: Function, _reject| {
        let (frame_window, done) = (window.clone(), resolve.clone());
        let after_frame = Closure::once_into_js(move || {
            let _ = frame_window.set_timeout_with_callback_and_timeout_and_arguments_0(&done, 0);
        });
        if window.request_animation_frame(after_frame.unchecked_ref()).is_err() {
            let _ = resolve.call0(&JsValue::NULL);
        }
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, MAX_WAIT_MS);
    });
    let _ = JsFuture::from(promise).await;
}
