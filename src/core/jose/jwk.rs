//! JSON Web Keys (RFC 7517) and choosing the key that verifies a token.

use super::base64url;
use super::jws::JwsAlgorithm;
use crate::core::json::{parse_object, FieldError, Json, JsonObject, JsonObjectCodec};

/// Largest JWKS document accepted (bytes).
pub const MAX_JWKS_BYTES: usize = 256 * 1024;
/// Most keys read from one JWKS.
pub const MAX_KEYS: usize = 100;
/// Smallest RSA modulus accepted (bytes): 2048 bits.
pub const MIN_RSA_MODULUS_BYTES: usize = 256;

/// A public JWK. Only the members this client reads; private members are never kept.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Jwk {
    /// Key type: `EC` or `RSA` (others are ignored).
    pub kty: String,
    /// Key id.
    pub kid: Option<String>,
    /// Intended use; only `sig` (or absent) verifies.
    pub use_: Option<String>,
    /// Algorithm the key is for, when stated.
    pub alg: Option<String>,
    /// Permitted operations, when stated; must include `verify`.
    pub key_ops: Option<Vec<String>>,
    /// EC curve.
    pub crv: Option<String>,
    /// EC x coordinate.
    pub x: Option<String>,
    /// EC y coordinate.
    pub y: Option<String>,
    /// RSA modulus.
    pub n: Option<String>,
    /// RSA public exponent.
    pub e: Option<String>,
}

impl Jwk {
    /// True when this key may verify a signature made with `alg`: right type and curve,
    /// well-formed public members, RSA ≥ 2048 bits, `use`/`key_ops`/`alg` permitting it.
    pub fn fits(&self, alg: JwsAlgorithm) -> bool {
        let use_ok = self.use_.as_deref().is_none_or(|u| u == "sig");
        let ops_ok = self
            .key_ops
            .as_ref()
            .is_none_or(|ops| ops.iter().any(|o| o == "verify"));
        let alg_ok = self.alg.as_deref().is_none_or(|a| a == alg.as_str());
        if !(use_ok && ops_ok && alg_ok) {
            return false;
        }
        let decoded_len = |v: &Option<String>| v.as_deref().and_then(base64url::decode).map(|b| b.len());
        match alg.ec_curve() {
            Some((curve, sig_len)) => {
                let coord = sig_len / 2;
                self.kty == "EC"
                    && self.crv.as_deref() == Some(curve)
                    && decoded_len(&self.x) == Some(coord)
                    && decoded_len(&self.y) == Some(coord)
            }
            None => {
                self.kty == "RSA"
                    && decoded_len(&self.n).is_some_and(|len| len >= MIN_RSA_MODULUS_BYTES)
                    && decoded_len(&self.e).is_some_and(|len| (1..=8).contains(&len))
            }
        }
    }
}

impl JsonObjectCodec for Jwk {
    fn to_object(&self) -> JsonObject {
        JsonObject::new()
            .with("kty", Some(&self.kty))
            .with("kid", self.kid.as_ref())
            .with("use", self.use_.as_ref())
            .with("alg", self.alg.as_ref())
            .with("key_ops", self.key_ops.as_ref())
            .with("crv", self.crv.as_ref())
            .with("x", self.x.as_ref())
            .with("y", self.y.as_ref())
            .with("n", self.n.as_ref())
            .with("e", self.e.as_ref())
    }

    fn from_object(o: &JsonObject) -> Result<Self, FieldError> {
        Ok(Self {
            kty: o.string("kty")?.unwrap_or_default(),
            kid: o.string("kid")?,
            use_: o.string("use")?,
            alg: o.string("alg")?,
            key_ops: o.strings("key_ops")?,
            crv: o.string("crv")?,
            x: o.string("x")?,
            y: o.string("y")?,
            n: o.string("n")?,
            e: o.string("e")?,
        })
    }
}

/// A JWK set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JwkSet {
    /// The keys.
    pub keys: Vec<Jwk>,
}

/// Why a JWKS document or key choice failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeySelectionError {
    /// The JWKS document is not valid.
    #[error("the provider's key set (JWKS) is not valid: {0}")]
    BadJwks(String),
    /// No key has the token's `kid`; refetch the JWKS once (the provider may have rotated keys).
    #[error("no key in the provider's key set has the id `{0}`")]
    UnknownKeyId(String),
    /// The key with the token's `kid` cannot verify this algorithm.
    #[error("the key `{kid}` cannot verify a {alg} signature")]
    KeyDoesNotFitAlgorithm {
        /// Key id.
        kid: String,
        /// Algorithm.
        alg: &'static str,
    },
    /// The token has no `kid` and no key fits its algorithm.
    #[error("the provider's key set has no key that can verify a {0} signature")]
    NoUsableKey(&'static str),
    /// The token has no `kid` and several keys fit; the client will not guess.
    #[error("the token has no key id and the provider's key set has several {0} keys")]
    AmbiguousKey(&'static str),
}

impl JwkSet {
    /// Parses a JWKS document (size-limited; at most [`MAX_KEYS`] keys are kept).
    pub fn from_json(json: &str) -> Result<Self, KeySelectionError> {
        if json.len() > MAX_JWKS_BYTES {
            return Err(KeySelectionError::BadJwks(format!(
                "larger than {MAX_JWKS_BYTES} bytes"
            )));
        }
        let object = parse_object(json).map_err(|e| KeySelectionError::BadJwks(e.to_string()))?;
        Self::from_object(&object).map_err(|e| KeySelectionError::BadJwks(e.to_string()))
    }

    /// JSON for caching.
    pub fn to_json(&self) -> String {
        Json::Object(self.to_object()).to_json_string()
    }
}

impl JsonObjectCodec for JwkSet {
    fn to_object(&self) -> JsonObject {
        let keys = self.keys.iter().map(|k| Json::Object(k.to_object())).collect();
        JsonObject::new().with("keys", Some(Json::Array(keys)))
    }

    /// At most [`MAX_KEYS`] keys are kept.
    fn from_object(o: &JsonObject) -> Result<Self, FieldError> {
        let wrong = || FieldError {
            field: "keys".into(),
            expected: "an array of key objects",
        };
        let items = o.get("keys").and_then(Json::as_array).ok_or_else(wrong)?;
        let keys = items
            .iter()
            .take(MAX_KEYS)
            .map(|item| match item {
                Json::Object(key) => Jwk::from_object(key),
                _ => Err(wrong()),
            })
            .collect::<Result<_, _>>()?;
        Ok(Self { keys })
    }
}

/// Picks the key to verify a token signed with `alg` whose header has `kid`.
///
/// With a `kid`: the key with that id, which must fit the algorithm
/// ([`KeySelectionError::UnknownKeyId`] tells the caller to refetch the JWKS once).
/// Without one: the single key that fits; none or several is an error. Keys of other types
/// or uses are ignored, never an error.
pub fn select_key<'k>(set: &'k JwkSet, kid: Option<&str>, alg: JwsAlgorithm) -> Result<&'k Jwk, KeySelectionError> {
    match kid {
        Some(kid) => {
            let mut with_kid = set.keys.iter().filter(|k| k.kid.as_deref() == Some(kid)).peekable();
            if with_kid.peek().is_none() {
                return Err(KeySelectionError::UnknownKeyId(kid.chars().take(64).collect()));
            }
            with_kid
                .find(|k| k.fits(alg))
                .ok_or_else(|| KeySelectionError::KeyDoesNotFitAlgorithm {
                    kid: kid.chars().take(64).collect(),
                    alg: alg.as_str(),
                })
        }
        None => {
            let mut fitting = set.keys.iter().filter(|k| k.fits(alg));
            match (fitting.next(), fitting.next()) {
                (Some(key), None) => Ok(key),
                (None, _) => Err(KeySelectionError::NoUsableKey(alg.as_str())),
                (Some(_), Some(_)) => Err(KeySelectionError::AmbiguousKey(alg.as_str())),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ec(kid: Option<&str>, crv: &str, coord: usize) -> Jwk {
        Jwk {
            kty: "EC".into(),
            kid: kid.map(Into::into),
            use_: Some("sig".into()),
            alg: None,
            key_ops: None,
            crv: Some(crv.into()),
            x: Some(base64url::encode(&vec![1; coord])),
            y: Some(base64url::encode(&vec![2; coord])),
            n: None,
            e: None,
        }
    }

    fn rsa(kid: Option<&str>, bytes: usize) -> Jwk {
        Jwk {
            kty: "RSA".into(),
            kid: kid.map(Into::into),
            use_: None,
            alg: None,
            key_ops: None,
            crv: None,
            x: None,
            y: None,
            n: Some(base64url::encode(&vec![0xff; bytes])),
            e: Some("AQAB".into()),
        }
    }

    #[test]
    fn selects_by_kid() {
        let set = JwkSet {
            keys: vec![ec(Some("a"), "P-384", 48), rsa(Some("b"), 256)],
        };
        assert_eq!(
            select_key(&set, Some("a"), JwsAlgorithm::Es384).unwrap().kid.as_deref(),
            Some("a")
        );
        assert_eq!(
            select_key(&set, Some("b"), JwsAlgorithm::Rs256).unwrap().kid.as_deref(),
            Some("b")
        );
        assert_eq!(
            select_key(&set, Some("zz"), JwsAlgorithm::Es384),
            Err(KeySelectionError::UnknownKeyId("zz".into()))
        );
        assert!(matches!(
            select_key(&set, Some("a"), JwsAlgorithm::Es256),
            Err(KeySelectionError::KeyDoesNotFitAlgorithm { .. })
        ));
        assert!(matches!(
            select_key(&set, Some("b"), JwsAlgorithm::Es384),
            Err(KeySelectionError::KeyDoesNotFitAlgorithm { .. })
        ));
    }

    #[test]
    fn without_kid_takes_the_single_usable_key_and_ignores_unusable_ones() {
        let mut enc = ec(Some("enc"), "P-384", 48);
        enc.use_ = Some("enc".into());
        let okp = Jwk {
            kty: "OKP".into(),
            crv: Some("Ed25519".into()),
            ..rsa(None, 256)
        };
        let set = JwkSet {
            keys: vec![enc, okp, rsa(Some("r"), 256), ec(Some("e"), "P-384", 48)],
        };
        assert_eq!(
            select_key(&set, None, JwsAlgorithm::Es384).unwrap().kid.as_deref(),
            Some("e")
        );
        assert_eq!(
            select_key(&set, None, JwsAlgorithm::Rs256).unwrap().kid.as_deref(),
            Some("r")
        );
        assert_eq!(
            select_key(&set, None, JwsAlgorithm::Es256),
            Err(KeySelectionError::NoUsableKey("ES256"))
        );
        let two = JwkSet {
            keys: vec![ec(Some("1"), "P-384", 48), ec(Some("2"), "P-384", 48)],
        };
        assert_eq!(
            select_key(&two, None, JwsAlgorithm::Es384),
            Err(KeySelectionError::AmbiguousKey("ES384"))
        );
    }

    #[test]
    fn key_must_be_well_formed_and_permitted() {
        assert!(!rsa(None, 128).fits(JwsAlgorithm::Rs256), "1024-bit RSA is refused");
        assert!(!ec(None, "P-384", 47).fits(JwsAlgorithm::Es384), "short coordinate");
        let mut wrong_alg = ec(None, "P-384", 48);
        wrong_alg.alg = Some("ES256".into());
        assert!(!wrong_alg.fits(JwsAlgorithm::Es384));
        let mut sign_only = ec(None, "P-384", 48);
        sign_only.key_ops = Some(vec!["sign".into()]);
        assert!(!sign_only.fits(JwsAlgorithm::Es384));
        assert!(ec(None, "P-521", 66).fits(JwsAlgorithm::Es512));
    }

    #[test]
    fn jwks_parsing_is_bounded_and_tolerant_of_foreign_keys() {
        let set =
            JwkSet::from_json(r#"{"keys":[{"kty":"oct","k":"c2VjcmV0"},{"kty":"EC","crv":"P-384","x":"","y":""},{}]}"#)
                .unwrap();
        assert_eq!(set.keys.len(), 3);
        assert!(set.keys.iter().all(|k| !k.fits(JwsAlgorithm::Es384)));
        assert!(JwkSet::from_json(r#"{"keys":"nope"}"#).is_err());
        assert!(JwkSet::from_json(&" ".repeat(MAX_JWKS_BYTES + 1)).is_err());
        let many = format!(r#"{{"keys":[{}]}}"#, vec![r#"{"kty":"EC"}"#; MAX_KEYS + 5].join(","));
        assert_eq!(JwkSet::from_json(&many).unwrap().keys.len(), MAX_KEYS);
    }
}
