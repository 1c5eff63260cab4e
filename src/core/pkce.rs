//! PKCE (RFC 7636) with the S256 method only.

use crate::core::jose::base64url;
use crate::core::types::{PkceCodeChallenge, PkceCodeVerifier};

/// Bytes of randomness in a verifier (RFC 7636 §7.1 asks for at least 32).
pub const VERIFIER_RANDOM_BYTES: usize = 32;

/// A verifier from 32 random bytes: base64url without padding (43 characters).
///
/// ```
/// use leptos_logto::core::pkce::verifier_from_random;
/// assert_eq!(verifier_from_random(&[0; 32]).secret().len(), 43);
/// ```
pub fn verifier_from_random(random: &[u8; VERIFIER_RANDOM_BYTES]) -> PkceCodeVerifier {
    PkceCodeVerifier::new(base64url::encode(random))
}

/// The S256 challenge `BASE64URL(SHA256(ASCII(verifier)))`, from the SHA-256 digest of the
/// verifier (computed by the host's [`crate::core::jose::JoseCrypto::sha2`], WebCrypto in
/// the browser).
///
/// ```
/// use leptos_logto::core::pkce::s256_challenge;
/// assert_eq!(s256_challenge(&[0; 32]).as_str(), "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
/// ```
pub fn s256_challenge(sha256_of_verifier: &[u8]) -> PkceCodeChallenge {
    PkceCodeChallenge::new(base64url::encode(sha256_of_verifier))
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::{Digest, Sha256};

    #[test]
    fn rfc7636_appendix_b_vector() {
        let verifier = PkceCodeVerifier::new("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
        assert_eq!(
            s256_challenge(&Sha256::digest(verifier.secret())).as_str(),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn rfc7636_appendix_b_random_bytes_give_the_verifier() {
        let octets: [u8; 32] = [
            116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212, 37, 77, 105, 214, 191,
            240, 91, 88, 5, 88, 83, 132, 141, 121,
        ];
        assert_eq!(
            verifier_from_random(&octets).secret(),
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
        );
    }
}
