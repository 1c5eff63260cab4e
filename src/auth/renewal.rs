//! Keeping the session renewed while the page is open, and in step with other tabs.
//!
//! A timer fires shortly before the access or ID token expires. Timers are throttled in hidden
//! tabs and stop while the machine sleeps, so the same check also runs when the page becomes
//! visible, gains focus, comes back online or is restored from the back-forward cache.
//! Other tabs' sign-in, renewal and sign-out arrive as `storage` events.

use super::{Auth, AuthEvent};
use crate::browser::location;
use crate::client::RENEW_MARGIN_SECONDS;
use crate::core::token::access_token_key;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::time::Duration;

/// The renewal timer and the count of consecutive failed attempts.
#[derive(Debug, Default)]
pub(super) struct RenewalState {
    timer: Option<TimeoutHandle>,
    pub(super) failures: u32,
}

/// Longest delay `setTimeout` accepts (about 24.8 days).
const MAX_TIMER_SECONDS: i64 = i32::MAX as i64 / 1000;
/// Backoff cap after network failures.
const MAX_RETRY_SECONDS: u64 = 60;

impl Auth {
    /// Seconds until the session should be renewed (≤ 0: now), or `None` when signed out.
    fn seconds_until_renewal(&self) -> Option<i64> {
        let now = location::now();
        self.session.try_with_untracked(|session| {
            session.as_ref().map(|s| {
                let access = s
                    .access_tokens
                    .get(&access_token_key(None, None))
                    .map(|t| t.expires_at.0);
                let due = access.map_or(s.expires_at.0, |a| a.min(s.expires_at.0));
                due - RENEW_MARGIN_SECONDS - now.0
            })
        })?
    }

    fn renew_if_due(&self) {
        if matches!(self.seconds_until_renewal(), Some(seconds) if seconds <= 0) {
            let this = *self;
            spawn_local(async move { this.renew_now(true).await });
        }
    }

    fn set_timer(&self, seconds: i64, then: impl FnOnce() + 'static) {
        self.renewal.update_value(|state| {
            if let Some(timer) = state.timer.take() {
                timer.clear();
            }
            let delay = Duration::from_secs(seconds.clamp(1, MAX_TIMER_SECONDS) as u64);
            state.timer = set_timeout_with_handle(then, delay).ok();
        });
    }

    /// Schedules renewal whenever the session changes, and checks on wake-up events.
    pub(super) fn keep_renewed(&self) {
        let this = *self;
        Effect::new(move |_| {
            this.session.track();
            if let Some(seconds) = this.seconds_until_renewal() {
                this.set_timer(seconds, move || this.renew_if_due());
            }
        });
        for event in ["visibilitychange", "focus", "online", "pageshow"] {
            let handle = window_event_listener_untyped(event, move |_| this.renew_if_due());
            on_cleanup(move || handle.remove());
        }
        on_cleanup(move || {
            this.renewal.try_update_value(|state| {
                if let Some(timer) = state.timer.take() {
                    timer.clear();
                }
            });
        });
    }

    /// After a network failure: try again after 2, 4, 8 … up to 60 seconds.
    pub(super) fn schedule_retry(&self) {
        let failures = self.renewal.try_with_value(|s| s.failures).unwrap_or(0);
        self.renewal
            .try_update_value(|s| s.failures = failures.saturating_add(1));
        let delay = 2u64.saturating_pow(failures.saturating_add(1)).min(MAX_RETRY_SECONDS);
        let this = *self;
        self.set_timer(delay as i64, move || {
            spawn_local(async move { this.renew_now(true).await });
        });
    }

    /// Follows sign-in, renewal and sign-out done in other tabs (they arrive as `storage`
    /// events for our keys), so no tab shows a stale state or uses a revoked token.
    pub(super) fn watch_other_tabs(&self) {
        let this = *self;
        let handle = window_event_listener(leptos::ev::storage, move |event| {
            let prefix = this
                .client
                .try_with_value(|c| c.storage().prefix().to_owned())
                .unwrap_or_default();
            let ours = match event.key() {
                None => true, // storage.clear()
                Some(key) => key
                    .strip_prefix(&prefix)
                    .is_some_and(|name| matches!(name, "idToken" | "refreshToken" | "accessToken")),
            };
            if ours {
                this.sync_from_storage();
            }
        });
        on_cleanup(move || handle.remove());
    }

    fn sync_from_storage(&self) {
        let Some(stored) = self.client.try_with_value(|c| c.restore_session(location::now())) else {
            return;
        };
        let Some(current) = self.session.try_get_untracked() else {
            return;
        };
        match (current, stored) {
            (Some(_), None) => {
                self.session.set(None);
                self.user_info.set(None);
                self.emit(AuthEvent::SignedOut);
            }
            (None, Some(stored)) => {
                self.session.set(Some(stored));
                self.error.set(None);
                self.load_user_info();
                self.emit(AuthEvent::SignedIn);
            }
            (Some(current), Some(stored)) if current != stored => {
                let same_user = current.claims.sub == stored.claims.sub;
                self.session.set(Some(stored));
                if !same_user {
                    self.load_user_info();
                }
                self.emit(AuthEvent::Renewed);
            }
            _ => {}
        }
    }
}
