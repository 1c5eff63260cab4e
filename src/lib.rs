//! # leptos-logto
//!
//! Sign-in for Leptos single-page apps (WebAssembly) with Logto and any OpenID Connect
//! provider: authorization code + PKCE, ID tokens verified with the browser's WebCrypto,
//! sessions in localStorage in @logto/browser's layout.
//!
//! Layers (see `ARCHITECTURE.md`):
//! - [`core`]: the pure protocol core, tested on the host;
//! - [`browser`]: thin wrappers over storage, HTTP, WebCrypto, randomness and history;
//! - [`auth`]: the Leptos layer: `provide_auth`, `use_auth`, `<Callback/>`.
#![deny(missing_docs)]

pub mod auth;
pub mod browser;
pub mod client;
pub mod core;
