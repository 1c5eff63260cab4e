//! Compact JWS (RFC 7515 §7.1) parsing.

use super::base64url;
use crate::core::json::{parse_bytes, Json};

/// Longest compact JWS accepted (characters).
pub const MAX_JWS_LEN: usize = 64 * 1024;
/// Longest encoded protected header accepted (characters).
pub const MAX_HEADER_LEN: usize = 4 * 1024;

/// The signature algorithms a public client accepts: asymmetric only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JwsAlgorithm {
    /// RSASSA-PKCS1-v1_5 with SHA-256.
    Rs256,
    /// RSASSA-PKCS1-v1_5 with SHA-384.
    Rs384,
    /// RSASSA-PKCS1-v1_5 with SHA-512.
    Rs512,
    /// RSASSA-PSS with SHA-256.
    Ps256,
    /// RSASSA-PSS with SHA-384.
    Ps384,
    /// RSASSA-PSS with SHA-512.
    Ps512,
    /// ECDSA P-256 with SHA-256.
    Es256,
    /// ECDSA P-384 with SHA-384 (Logto's default).
    Es384,
    /// ECDSA P-521 with SHA-512.
    Es512,
}

impl JwsAlgorithm {
    /// From the header's `alg`; `None` for `none`, HMAC and anything unknown.
    pub fn parse(alg: &str) -> Option<Self> {
        Some(match alg {
            "RS256" => Self::Rs256,
            "RS384" => Self::Rs384,
            "RS512" => Self::Rs512,
            "PS256" => Self::Ps256,
            "PS384" => Self::Ps384,
            "PS512" => Self::Ps512,
            "ES256" => Self::Es256,
            "ES384" => Self::Es384,
            "ES512" => Self::Es512,
            _ => return None,
        })
    }

    /// The JOSE name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Rs256 => "RS256",
            Self::Rs384 => "RS384",
            Self::Rs512 => "RS512",
            Self::Ps256 => "PS256",
            Self::Ps384 => "PS384",
            Self::Ps512 => "PS512",
            Self::Es256 => "ES256",
            Self::Es384 => "ES384",
            Self::Es512 => "ES512",
        }
    }

    /// Bits of the SHA-2 hash the algorithm uses (256, 384 or 512).
    pub const fn hash_bits(self) -> u16 {
        match self {
            Self::Rs256 | Self::Ps256 | Self::Es256 => 256,
            Self::Rs384 | Self::Ps384 | Self::Es384 => 384,
            Self::Rs512 | Self::Ps512 | Self::Es512 => 512,
        }
    }

    /// For ECDSA: the JWK curve name and the raw `r‖s` signature length.
    pub const fn ec_curve(self) -> Option<(&'static str, usize)> {
        match self {
            Self::Es256 => Some(("P-256", 64)),
            Self::Es384 => Some(("P-384", 96)),
            Self::Es512 => Some(("P-521", 132)),
            _ => None,
        }
    }

    /// True for the RSA families (PKCS#1 v1.5 and PSS).
    pub const fn is_rsa(self) -> bool {
        self.ec_curve().is_none()
    }
}

/// Why a compact JWS was refused before any key was looked at.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum JwsError {
    /// Longer than [`MAX_JWS_LEN`] or a header longer than [`MAX_HEADER_LEN`].
    #[error("the token is too large to be a JWS this client accepts")]
    TooLarge,
    /// Not three dot-separated parts.
    #[error("the token is not a compact JWS (it must have exactly three parts separated by dots)")]
    NotCompact,
    /// A part is not strict base64url.
    #[error("the token's {0} is not valid base64url")]
    BadEncoding(&'static str),
    /// The header is not the JSON object expected.
    #[error("the token's header is not valid: {0}")]
    BadHeader(String),
    /// `alg` is `none`, symmetric or unknown.
    #[error("the token is signed with `{0}`, which this client does not accept (only RS*, PS* and ES* are)")]
    UnsupportedAlgorithm(String),
    /// The header has a `crit` parameter (no extensions are understood).
    #[error("the token's header has critical extensions this client does not understand")]
    CriticalExtension,
    /// The signature is empty, or (ECDSA) not raw `r‖s` of the curve's length — e.g. DER.
    #[error("the token's signature has the wrong length for {alg} (expected {expected} bytes, got {found})")]
    BadSignatureLength {
        /// The algorithm.
        alg: &'static str,
        /// Expected length.
        expected: usize,
        /// Actual length.
        found: usize,
    },
}

/// The protected header fields this client reads.
#[derive(Debug, Clone, PartialEq)]
pub struct JwsHeader {
    /// Algorithm name as sent.
    pub alg: String,
    /// Key id.
    pub kid: Option<String>,
    /// Type, e.g. `JWT`.
    pub typ: Option<String>,
    /// Critical extensions (RFC 7515 §4.1.11); any value is refused.
    pub crit: Option<Json>,
}

/// A parsed compact JWS whose signature is not yet verified.
#[derive(Debug, Clone, PartialEq)]
pub struct CompactJws<'a> {
    /// The header.
    pub header: JwsHeader,
    /// The accepted algorithm.
    pub alg: JwsAlgorithm,
    /// `BASE64URL(header) || '.' || BASE64URL(payload)`, the bytes that are signed.
    pub signing_input: &'a str,
    /// Decoded payload.
    pub payload: Vec<u8>,
    /// Decoded signature.
    pub signature: Vec<u8>,
}

impl<'a> CompactJws<'a> {
    /// Parses `token` strictly: size limits, exactly three parts, strict base64url, a JSON
    /// object header with an accepted `alg` and no `crit`, and an ECDSA signature of the
    /// curve's raw length.
    pub fn parse(token: &'a str) -> Result<Self, JwsError> {
        if token.len() > MAX_JWS_LEN {
            return Err(JwsError::TooLarge);
        }
        let mut parts = token.split('.');
        let (Some(header_b64), Some(payload_b64), Some(signature_b64), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(JwsError::NotCompact);
        };
        if header_b64.len() > MAX_HEADER_LEN {
            return Err(JwsError::TooLarge);
        }
        let header_bytes = base64url::decode(header_b64).ok_or(JwsError::BadEncoding("header"))?;
        let payload = base64url::decode(payload_b64).ok_or(JwsError::BadEncoding("payload"))?;
        let signature = base64url::decode(signature_b64).ok_or(JwsError::BadEncoding("signature"))?;
        if header_bytes.trim_ascii_start().first() != Some(&b'{') {
            return Err(JwsError::BadHeader("it is not a JSON object".into()));
        }
        let header = parse_bytes(&header_bytes)
            .map_err(|e| e.to_string())
            .and_then(|json| {
                let o = json.as_object().ok_or("it is not a JSON object")?;
                Ok(JwsHeader {
                    alg: o.required_string("alg").map_err(|e| e.to_string())?,
                    kid: o.string("kid").map_err(|e| e.to_string())?,
                    typ: o.string("typ").map_err(|e| e.to_string())?,
                    crit: o.get("crit").filter(|v| **v != Json::Null).cloned(),
                })
            })
            .map_err(JwsError::BadHeader)?;
        if header.crit.is_some() {
            return Err(JwsError::CriticalExtension);
        }
        let alg = JwsAlgorithm::parse(&header.alg)
            .ok_or_else(|| JwsError::UnsupportedAlgorithm(header.alg.chars().take(32).collect()))?;
        if let Some((_, expected)) = alg.ec_curve() {
            if signature.len() != expected {
                return Err(JwsError::BadSignatureLength {
                    alg: alg.as_str(),
                    expected,
                    found: signature.len(),
                });
            }
        } else if signature.is_empty() {
            return Err(JwsError::BadSignatureLength {
                alg: alg.as_str(),
                expected: 256,
                found: 0,
            });
        }
        let signing_input = &token[..header_b64.len() + 1 + payload_b64.len()];
        Ok(Self {
            header,
            alg,
            signing_input,
            payload,
            signature,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(s: &str) -> String {
        base64url::encode(s.as_bytes())
    }

    fn token(header: &str, sig_len: usize) -> String {
        format!(
            "{}.{}.{}",
            b64(header),
            b64("{}"),
            base64url::encode(&vec![1u8; sig_len])
        )
    }

    #[test]
    fn parses_a_well_formed_es384_token() {
        let t = token(r#"{"alg":"ES384","kid":"k1","typ":"JWT"}"#, 96);
        let jws = CompactJws::parse(&t).unwrap();
        assert_eq!(jws.alg, JwsAlgorithm::Es384);
        assert_eq!(jws.header.kid.as_deref(), Some("k1"));
        assert_eq!(jws.payload, b"{}");
        assert_eq!(jws.signing_input, &t[..t.rfind('.').unwrap()]);
    }

    #[test]
    fn refuses_none_hmac_and_unknown_algorithms() {
        for alg in ["none", "HS256", "HS512", "EdDSA", "RS1", "es256"] {
            let t = token(&format!(r#"{{"alg":"{alg}"}}"#), 64);
            assert!(
                matches!(CompactJws::parse(&t), Err(JwsError::UnsupportedAlgorithm(_))),
                "{alg}"
            );
        }
    }

    #[test]
    fn refuses_crit_and_bad_headers() {
        let crit = token(r#"{"alg":"ES256","crit":["b64"],"b64":false}"#, 64);
        assert_eq!(CompactJws::parse(&crit), Err(JwsError::CriticalExtension));
        for bad in [
            r#"["ES256"]"#,
            r#"{"kid":"x"}"#,
            r#"{"alg":256}"#,
            "not json",
            r#"{"alg":"ES256","alg":"none"}"#,
        ] {
            assert!(
                matches!(CompactJws::parse(&token(bad, 64)), Err(JwsError::BadHeader(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn refuses_wrong_part_counts_and_encodings() {
        let good = token(r#"{"alg":"ES256"}"#, 64);
        assert_eq!(CompactJws::parse("a.b"), Err(JwsError::NotCompact));
        assert_eq!(CompactJws::parse(&format!("{good}.x")), Err(JwsError::NotCompact));
        assert_eq!(CompactJws::parse(""), Err(JwsError::NotCompact));
        let padded = good.replacen('.', "=.", 1);
        assert_eq!(CompactJws::parse(&padded), Err(JwsError::BadEncoding("header")));
        let plus = format!(
            "{}.{}+.{}",
            b64(r#"{"alg":"ES256"}"#),
            b64("{}"),
            base64url::encode(&[1; 64])
        );
        assert_eq!(CompactJws::parse(&plus), Err(JwsError::BadEncoding("payload")));
        assert_eq!(CompactJws::parse(&"a".repeat(MAX_JWS_LEN + 1)), Err(JwsError::TooLarge));
    }

    #[test]
    fn ecdsa_signature_must_be_raw_r_s_not_der() {
        // A DER-encoded P-256 signature is 70-72 bytes; raw r||s is exactly 64.
        for len in [0, 63, 65, 70, 72] {
            assert!(
                matches!(
                    CompactJws::parse(&token(r#"{"alg":"ES256"}"#, len)),
                    Err(JwsError::BadSignatureLength { .. })
                ),
                "{len}"
            );
        }
        assert!(matches!(
            CompactJws::parse(&token(r#"{"alg":"ES384"}"#, 64)),
            Err(JwsError::BadSignatureLength { .. })
        ));
        assert!(CompactJws::parse(&token(r#"{"alg":"ES512"}"#, 132)).is_ok());
        assert!(matches!(
            CompactJws::parse(&token(r#"{"alg":"RS256"}"#, 0)),
            Err(JwsError::BadSignatureLength { .. })
        ));
    }
}
