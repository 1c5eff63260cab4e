//! Host-only helpers for the protocol-core tests: a pure-Rust `JoseCrypto`
//! (dev-dependencies only; the wasm bundle verifies with WebCrypto), an ES384 test signer,
//! the shared JOSE vectors, and a tiny executor.
#![allow(dead_code)]

use leptos_logto::core::jose::{base64url, JoseCrypto, Jwk, JwsAlgorithm};
use leptos_logto::core::json::{parse_object, Json, JsonObjectCodec};
use p384::ecdsa::signature::{Signer, Verifier};
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

/// Runs a future that never waits on I/O (our verifier is synchronous underneath).
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
            return out;
        }
    }
}

pub fn vectors() -> serde_json::Value {
    serde_json::from_str(include_str!("../fixtures/jose.json")).expect("fixture is JSON")
}

pub fn jwk_from(value: &serde_json::Value) -> Jwk {
    Jwk::from_object(&parse_object(&value.to_string()).expect("fixture is an object")).expect("fixture key")
}

fn field(key: &Jwk, name: &str, value: &Option<String>) -> Result<Vec<u8>, String> {
    value
        .as_deref()
        .and_then(base64url::decode)
        .ok_or_else(|| format!("{name} missing in {:?}", key.kid))
}

/// JoseCrypto over RustCrypto: p256, p384, rsa.
pub struct RustCrypto;

impl JoseCrypto for RustCrypto {
    async fn verify(&self, alg: JwsAlgorithm, key: &Jwk, input: &[u8], signature: &[u8]) -> Result<bool, String> {
        match alg {
            JwsAlgorithm::Es256 => {
                let point = p256::EncodedPoint::from_affine_coordinates(
                    field(key, "x", &key.x)?.as_slice().into(),
                    field(key, "y", &key.y)?.as_slice().into(),
                    false,
                );
                let vk = p256::ecdsa::VerifyingKey::from_encoded_point(&point).map_err(|e| e.to_string())?;
                let sig = p256::ecdsa::Signature::from_slice(signature).map_err(|e| e.to_string())?;
                Ok(vk.verify(input, &sig).is_ok())
            }
            JwsAlgorithm::Es384 => {
                let point = p384::EncodedPoint::from_affine_coordinates(
                    field(key, "x", &key.x)?.as_slice().into(),
                    field(key, "y", &key.y)?.as_slice().into(),
                    false,
                );
                let vk = p384::ecdsa::VerifyingKey::from_encoded_point(&point).map_err(|e| e.to_string())?;
                let sig = p384::ecdsa::Signature::from_slice(signature).map_err(|e| e.to_string())?;
                Ok(vk.verify(input, &sig).is_ok())
            }
            JwsAlgorithm::Rs256 | JwsAlgorithm::Ps256 => {
                use rsa::signature::Verifier as _;
                let n = rsa::BigUint::from_bytes_be(&field(key, "n", &key.n)?);
                let e = rsa::BigUint::from_bytes_be(&field(key, "e", &key.e)?);
                let pk = rsa::RsaPublicKey::new(n, e).map_err(|e| e.to_string())?;
                if alg == JwsAlgorithm::Rs256 {
                    let vk = rsa::pkcs1v15::VerifyingKey::<sha2::Sha256>::new(pk);
                    let Ok(sig) = rsa::pkcs1v15::Signature::try_from(signature) else {
                        return Ok(false);
                    };
                    Ok(vk.verify(input, &sig).is_ok())
                } else {
                    let vk = rsa::pss::VerifyingKey::<sha2::Sha256>::new(pk);
                    let Ok(sig) = rsa::pss::Signature::try_from(signature) else {
                        return Ok(false);
                    };
                    Ok(vk.verify(input, &sig).is_ok())
                }
            }
            other => Err(format!("{} is not implemented by the test verifier", other.as_str())),
        }
    }

    async fn sha2(&self, bits: u16, data: &[u8]) -> Result<Vec<u8>, String> {
        use sha2::Digest;
        match bits {
            256 => Ok(sha2::Sha256::digest(data).to_vec()),
            384 => Ok(sha2::Sha384::digest(data).to_vec()),
            512 => Ok(sha2::Sha512::digest(data).to_vec()),
            other => Err(format!("SHA-{other} is not a SHA-2 digest")),
        }
    }
}

/// A fixed ES384 test key (P-384), like Logto's default signing key.
pub struct Es384Signer {
    key: p384::ecdsa::SigningKey,
    pub kid: String,
}

impl Es384Signer {
    pub fn new(seed: u8, kid: &str) -> Self {
        let mut bytes = [seed; 48];
        bytes[0] = 1; // keep the scalar well below the curve order
        Self {
            key: p384::ecdsa::SigningKey::from_slice(&bytes).expect("valid scalar"),
            kid: kid.to_owned(),
        }
    }

    pub fn jwk(&self) -> Jwk {
        let point = self.key.verifying_key().to_encoded_point(false);
        jwk_from(&serde_json::json!({
            "kty": "EC", "crv": "P-384", "use": "sig", "alg": "ES384", "kid": self.kid,
            "x": base64url::encode(point.x().expect("x")),
            "y": base64url::encode(point.y().expect("y")),
        }))
    }

    /// Signs `claims` with the given header (the `alg` is always ES384 in the signature).
    pub fn sign_with_header(&self, header: &serde_json::Value, claims: &serde_json::Value) -> String {
        let input = format!(
            "{}.{}",
            base64url::encode(header.to_string().as_bytes()),
            base64url::encode(claims.to_string().as_bytes())
        );
        let sig: p384::ecdsa::Signature = self.key.sign(input.as_bytes());
        format!("{input}.{}", base64url::encode(&sig.to_bytes()))
    }

    pub fn sign(&self, claims: &serde_json::Value) -> String {
        self.sign_with_header(
            &serde_json::json!({"alg": "ES384", "kid": self.kid, "typ": "JWT"}),
            claims,
        )
    }
}

/// A value of ours as a `serde_json::Value`, for building test documents.
pub fn to_serde(object: &impl JsonObjectCodec) -> serde_json::Value {
    serde_json::from_str(&Json::Object(object.to_object()).to_json_string()).expect("our JSON parses")
}
