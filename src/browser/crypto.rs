//! WebCrypto: randomness, SHA-2 digests and signature verification, so the wasm bundle ships
//! no crypto code of its own.

use super::{js_message, window, BrowserError};
use crate::core::jose::{JoseCrypto, Jwk, JwsAlgorithm};
use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

fn crypto() -> Result<web_sys::Crypto, BrowserError> {
    window()?.crypto().map_err(|e| BrowserError::Crypto(js_message(&e)))
}

/// Fills `buffer` from `crypto.getRandomValues` (a CSPRNG; never a userland RNG).
pub fn fill_random(buffer: &mut [u8]) -> Result<(), BrowserError> {
    crypto()?
        .get_random_values_with_u8_array(buffer)
        .map_err(|e| BrowserError::Crypto(js_message(&e)))?;
    Ok(())
}

fn object(entries: &[(&str, JsValue)]) -> Result<Object, BrowserError> {
    let object = Object::new();
    for (key, value) in entries {
        Reflect::set(&object, &JsValue::from_str(key), value).map_err(|e| BrowserError::Crypto(js_message(&e)))?;
    }
    Ok(object)
}

fn hash_name(bits: u16) -> &'static str {
    match bits {
        256 => "SHA-256",
        384 => "SHA-384",
        _ => "SHA-512",
    }
}

/// The WebCrypto algorithm objects for importing the key and for verifying.
fn algorithm_params(alg: JwsAlgorithm) -> Result<(Object, Object), BrowserError> {
    let hash = JsValue::from_str(hash_name(alg.hash_bits()));
    Ok(match alg {
        JwsAlgorithm::Es256 | JwsAlgorithm::Es384 | JwsAlgorithm::Es512 => {
            let curve = alg.ec_curve().map(|(c, _)| c).unwrap_or_default();
            (
                object(&[("name", "ECDSA".into()), ("namedCurve", curve.into())])?,
                object(&[("name", "ECDSA".into()), ("hash", hash)])?,
            )
        }
        JwsAlgorithm::Rs256 | JwsAlgorithm::Rs384 | JwsAlgorithm::Rs512 => (
            object(&[("name", "RSASSA-PKCS1-v1_5".into()), ("hash", hash)])?,
            object(&[("name", "RSASSA-PKCS1-v1_5".into())])?,
        ),
        JwsAlgorithm::Ps256 | JwsAlgorithm::Ps384 | JwsAlgorithm::Ps512 => {
            // RFC 7518 §3.5: salt length equals the hash length.
            let salt = f64::from(alg.hash_bits() / 8);
            (
                object(&[("name", "RSA-PSS".into()), ("hash", hash)])?,
                object(&[("name", "RSA-PSS".into()), ("saltLength", salt.into())])?,
            )
        }
    })
}

/// The public members of `key` as a JWK object for `importKey` (no `alg`/`use`/`key_ops`,
/// which the core has already checked).
fn jwk_object(key: &Jwk) -> Result<Object, BrowserError> {
    let mut entries: Vec<(&str, JsValue)> = vec![("kty", key.kty.as_str().into()), ("ext", true.into())];
    for (name, value) in [
        ("crv", &key.crv),
        ("x", &key.x),
        ("y", &key.y),
        ("n", &key.n),
        ("e", &key.e),
    ] {
        if let Some(value) = value {
            entries.push((name, value.as_str().into()));
        }
    }
    object(&entries)
}

/// `crypto.subtle.digest`: SHA-256, SHA-384 or SHA-512 (`bits` = 256, 384, 512) of `data`.
///
/// ```no_run
/// # async fn example() -> Result<(), leptos_logto::browser::BrowserError> {
/// let digest = leptos_logto::browser::crypto::sha2(256, b"abc").await?;
/// assert_eq!(digest.len(), 32);
/// # Ok(()) }
/// ```
pub async fn sha2(bits: u16, data: &[u8]) -> Result<Vec<u8>, BrowserError> {
    let crypto_error = |e: JsValue| BrowserError::Crypto(js_message(&e));
    let promise = crypto()?
        .subtle()
        .digest_with_str_and_u8_array(hash_name(bits), data)
        .map_err(crypto_error)?;
    let buffer = JsFuture::from(promise).await.map_err(crypto_error)?;
    Ok(Uint8Array::new(&buffer).to_vec())
}

/// The [`JoseCrypto`] of the browser, on `crypto.subtle`: signatures with ECDSA P-256/384/521
/// (raw `r‖s`, which is WebCrypto's own format), RSASSA-PKCS1-v1_5 and RSA-PSS; SHA-2 digests.
#[derive(Debug, Clone, Copy, Default)]
pub struct WebCrypto;

impl WebCrypto {
    async fn verify_inner(
        alg: JwsAlgorithm,
        key: &Jwk,
        signing_input: &[u8],
        signature: &[u8],
    ) -> Result<bool, BrowserError> {
        let subtle = crypto()?.subtle();
        let (import_params, verify_params) = algorithm_params(alg)?;
        let usages = Array::of1(&JsValue::from_str("verify"));
        let crypto_error = |e: JsValue| BrowserError::Crypto(js_message(&e));
        let imported = subtle
            .import_key_with_object("jwk", &jwk_object(key)?, &import_params, false, &usages)
            .map_err(crypto_error)?;
        let crypto_key: web_sys::CryptoKey = JsFuture::from(imported)
            .await
            .map_err(crypto_error)?
            .dyn_into()
            .map_err(|_| BrowserError::Crypto("importKey did not return a CryptoKey".into()))?;
        let signature = Uint8Array::from(signature);
        let data = Uint8Array::from(signing_input);
        let verified = subtle
            .verify_with_object_and_js_u8_array_and_js_u8_array(&verify_params, &crypto_key, &signature, &data)
            .map_err(crypto_error)?;
        Ok(JsFuture::from(verified).await.map_err(crypto_error)?.as_bool() == Some(true))
    }
}

impl JoseCrypto for WebCrypto {
    async fn verify(
        &self,
        alg: JwsAlgorithm,
        key: &Jwk,
        signing_input: &[u8],
        signature: &[u8],
    ) -> Result<bool, String> {
        Self::verify_inner(alg, key, signing_input, signature)
            .await
            .map_err(|e| e.to_string())
    }

    async fn sha2(&self, bits: u16, data: &[u8]) -> Result<Vec<u8>, String> {
        sha2(bits, data).await.map_err(|e| e.to_string())
    }
}
