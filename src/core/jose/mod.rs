//! JOSE: strict base64url, compact JWS parsing, JWK sets and key selection. Every parser here
//! treats its input as hostile: size limits first, then strict decoding, then typed fields.

pub mod base64url;
pub mod jwk;
pub mod jws;

pub use jwk::{select_key, Jwk, JwkSet, KeySelectionError};
pub use jws::{CompactJws, JwsAlgorithm, JwsError, JwsHeader};

/// Verifies a JWS signature with a public key. The browser implements it with WebCrypto
/// (`SubtleCrypto.verify`); host tests implement it with pure-Rust crates. The core has already
/// checked that the key fits the algorithm and that an ECDSA signature is raw `r‖s` of the
/// right length before calling it.
#[allow(async_fn_in_trait)]
pub trait SignatureVerifier {
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
}
