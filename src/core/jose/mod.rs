//! JOSE: strict base64url, compact JWS parsing, JWK sets and key selection. Every parser here
//! treats its input as hostile: size limits first, then strict decoding, then typed fields.

pub mod base64url;
pub mod jwk;
pub mod jws;

pub use jwk::{select_key, Jwk, JwkSet, KeySelectionError};
pub use jws::{CompactJws, JwsAlgorithm, JwsError, JwsHeader};

/// The cryptography the core needs from its host: JWS signature verification and SHA-2
/// digests (PKCE `S256`, `at_hash`). The browser implements it with WebCrypto
/// (`SubtleCrypto.verify` / `digest`), so the wasm bundle ships no crypto code; host tests
/// implement it with pure-Rust crates. Before `verify` is called the core has already checked
/// that the key fits the algorithm and that an ECDSA signature is raw `r‖s` of the right length.
#[allow(async_fn_in_trait)]
pub trait JoseCrypto {
    /// `Ok(true)` when `signature` is valid for `signing_input` under `key` with `alg`;
    /// `Ok(false)` when it is not; `Err` when verification could not be carried out
    /// (e.g. the key could not be imported).
    async fn verify(
        &self,
        alg: JwsAlgorithm,
        key: &Jwk,
        signing_input: &[u8],
        signature: &[u8],
    ) -> Result<bool, String>;

    /// The SHA-2 digest of `data` with `bits` = 256, 384 or 512 (SHA-256/384/512).
    async fn sha2(&self, bits: u16, data: &[u8]) -> Result<Vec<u8>, String>;
}
