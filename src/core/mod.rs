//! The protocol core: everything that decides what is safe, with no browser calls.
//!
//! Time ([`types::UnixTime`]), randomness (byte arrays) and signature verification
//! ([`jose::JoseCrypto`]) are passed in, so all of it runs under plain `cargo test`.
//!
//! | module | job |
//! |---|---|
//! | [`config`] | `LogtoConfig`, scopes, prompt, camelCase JSON |
//! | [`json`] | a strict JSON reader/writer and typed field readers (no serde in the wasm) |
//! | [`list_map`] | small string-keyed maps kept as lists (less wasm than tree/hash maps) |
//! | [`types`] | newtypes for protocol values; secrets redact in `Debug` |
//! | [`url`] | absolute http(s) URLs, percent-encoding, queries |
//! | [`pkce`] | RFC 7636 S256 |
//! | [`discovery`] | provider metadata, issuer check |
//! | [`session`] | the sign-in session kept across the redirect |
//! | [`authorize`] | the authorization URL |
//! | [`callback`] | checking the authorization response |
//! | [`token`] | token requests, responses, the stored token map |
//! | [`jose`] | base64url, JWS, JWK |
//! | [`claims`] | ID-token claims and userinfo |
//! | [`id_token`] | ID-token validation |
//! | [`end_session`] | the sign-out URL |
//! | [`return_path`] | safe in-app return paths |

pub mod authorize;
pub mod callback;
pub mod claims;
pub mod config;
pub mod discovery;
pub mod end_session;
pub mod id_token;
pub mod jose;
pub mod json;
pub mod list_map;
pub mod pkce;
pub mod return_path;
pub mod session;
pub mod token;
pub mod types;
pub mod url;
