//! ID-token validation on the host: RFC 7515 Appendix A and OpenID Connect Core Appendix A
//! vectors, ES384 tokens from a test key, and one token per broken rule.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{block_on, jwk_from, to_serde, vectors, Es384Signer, RustCrypto};
use leptos_logto::core::claims::IdTokenClaims;
use leptos_logto::core::id_token::{validate_id_token, IdTokenError, IdTokenExpectations, NonceCheck};
use leptos_logto::core::jose::{base64url, select_key, CompactJws, JoseCrypto, JwkSet, JwsError, KeySelectionError};
use leptos_logto::core::json::parse_object;
use leptos_logto::core::types::{AccessToken, ClientId, IssuerUrl, Nonce, UnixTime};
use serde_json::{json, Value};

const ISSUER: &str = "http://127.0.0.1:3001/oidc";
const CLIENT: &str = "demo-app";
const NONCE: &str = "n-0S6_WzA2Mj";
const NOW: i64 = 1_800_000_000;

fn verify_vector(jws: &str, key: &Value) -> Result<bool, String> {
    let parsed = CompactJws::parse(jws).map_err(|e| e.to_string())?;
    let set = JwkSet {
        keys: vec![jwk_from(key)],
    };
    let key = select_key(&set, parsed.header.kid.as_deref(), parsed.alg).map_err(|e| e.to_string())?;
    block_on(RustCrypto.verify(parsed.alg, key, parsed.signing_input.as_bytes(), &parsed.signature))
}

fn corrupt_signature(jws: &str) -> String {
    let (input, sig) = jws.rsplit_once('.').unwrap();
    let flipped: Vec<u8> = base64url::decode(sig).unwrap().iter().map(|b| b ^ 0x5a).collect();
    format!("{input}.{}", base64url::encode(&flipped))
}

#[test]
fn rfc7515_a2_rs256_and_a3_es256_verify_and_fail_when_corrupted() {
    let v = vectors();
    for name in ["A2_RS256", "A3_ES256"] {
        let case = &v["jws_rfc7515_appendix_a"][name];
        let jws = case["jws"].as_str().unwrap();
        assert_eq!(verify_vector(jws, &case["public_key"]), Ok(true), "{name}");
        assert_eq!(
            verify_vector(&corrupt_signature(jws), &case["public_key"]),
            Ok(false),
            "{name} corrupted"
        );
    }
}

#[test]
fn rfc7515_a1_hs256_and_a5_none_are_rejected_before_any_key_is_used() {
    let v = vectors();
    let a = &v["jws_rfc7515_appendix_a"];
    assert_eq!(
        CompactJws::parse(a["A1_HS256"]["jws"].as_str().unwrap()),
        Err(JwsError::UnsupportedAlgorithm("HS256".into()))
    );
    // A.5 has an empty signature part: "header.payload." – three parts, alg none.
    assert_eq!(
        CompactJws::parse(a["A5_none"]["jws"].as_str().unwrap()),
        Err(JwsError::UnsupportedAlgorithm("none".into()))
    );
    // Even with a symmetric key in the set, an HS256 token is never verified.
    let set = JwkSet::from_json(&json!({"keys": [a["A1_HS256"]["key"]]}).to_string()).unwrap();
    assert!(
        set.keys.iter().all(|k| k.n.is_none() && k.x.is_none()),
        "the oct secret is never read"
    );
}

#[test]
fn oidc_core_a3_id_token_validates_with_frozen_clock_and_at_hash() {
    let v = vectors();
    let a = &v["oidc_core_appendix_a"];
    let token = a["id_token_A3"]["jws"].as_str().unwrap();
    let jwks = JwkSet {
        keys: vec![jwk_from(&a["public_key_A7"])],
    };
    let issuer = IssuerUrl::new("https://server.example.com");
    let client = ClientId::new("s6BhdRkqt3");
    let nonce = Nonce::new("n-0S6_WzA2Mj");
    let access = AccessToken::new(a["at_hash"]["access_token"].as_str().unwrap());
    let mut expect = IdTokenExpectations {
        issuer: &issuer,
        client_id: &client,
        trusted_audiences: &[],
        nonce: NonceCheck::Required(&nonce),
        access_token: Some(&access),
        original: None,
        now: UnixTime(1_311_280_970 + 100),
        clock_skew: 60,
    };
    let validated = block_on(validate_id_token(token, &jwks, &RustCrypto, &expect)).unwrap();
    assert_eq!(validated.claims.sub.as_deref(), Some("248289761001"));
    assert_eq!(validated.expires_at, UnixTime(1_311_281_970));

    expect.now = UnixTime(1_800_000_000);
    assert!(matches!(
        block_on(validate_id_token(token, &jwks, &RustCrypto, &expect)),
        Err(IdTokenError::Expired { .. })
    ));
    let other_access = AccessToken::new("another-token");
    expect.now = UnixTime(1_311_280_970 + 100);
    expect.access_token = Some(&other_access);
    assert_eq!(
        block_on(validate_id_token(token, &jwks, &RustCrypto, &expect)),
        Err(IdTokenError::AccessTokenHashMismatch)
    );
}

fn good_claims() -> Value {
    json!({
        "iss": ISSUER, "sub": "alice", "aud": CLIENT, "exp": NOW + 3600, "iat": NOW,
        "nonce": NONCE, "name": "Alice Example", "roles": ["admin"],
    })
}

struct Fixture {
    signer: Es384Signer,
    jwks: JwkSet,
    issuer: IssuerUrl,
    client: ClientId,
    nonce: Nonce,
}

impl Fixture {
    fn new() -> Self {
        let signer = Es384Signer::new(7, "es384-test");
        let jwks = JwkSet {
            keys: vec![signer.jwk()],
        };
        Self {
            signer,
            jwks,
            issuer: IssuerUrl::new(ISSUER),
            client: ClientId::new(CLIENT),
            nonce: Nonce::new(NONCE),
        }
    }

    fn expect(&self) -> IdTokenExpectations<'_> {
        IdTokenExpectations {
            issuer: &self.issuer,
            client_id: &self.client,
            trusted_audiences: &[],
            nonce: NonceCheck::Required(&self.nonce),
            access_token: None,
            original: None,
            now: UnixTime(NOW + 5),
            clock_skew: 60,
        }
    }

    fn validate(&self, token: &str) -> Result<IdTokenClaims, IdTokenError> {
        block_on(validate_id_token(token, &self.jwks, &RustCrypto, &self.expect())).map(|v| v.claims)
    }

    fn with(&self, change: impl FnOnce(&mut serde_json::Map<String, Value>)) -> Result<IdTokenClaims, IdTokenError> {
        let mut claims = good_claims();
        change(claims.as_object_mut().unwrap());
        self.validate(&self.signer.sign(&claims))
    }
}

#[test]
fn es384_token_from_a_test_key_validates() {
    let f = Fixture::new();
    let claims = f.validate(&f.signer.sign(&good_claims())).unwrap();
    assert_eq!(claims.sub.as_deref(), Some("alice"));
    assert_eq!(claims.profile.name.as_deref(), Some("Alice Example"));
}

#[test]
fn each_claim_rule_refuses_a_token_that_breaks_only_it() {
    let f = Fixture::new();
    assert!(matches!(
        f.with(|c| {
            c.insert("iss".into(), json!("http://evil.test/oidc"));
        }),
        Err(IdTokenError::IssuerMismatch { .. })
    ));
    assert!(matches!(
        f.with(|c| {
            c.remove("iss");
        }),
        Err(IdTokenError::IssuerMismatch { .. })
    ));
    assert_eq!(
        f.with(|c| {
            c.remove("sub");
        }),
        Err(IdTokenError::MissingSubject)
    );
    assert_eq!(
        f.with(|c| {
            c.insert("sub".into(), json!(""));
        }),
        Err(IdTokenError::MissingSubject)
    );
    assert_eq!(
        f.with(|c| {
            c.insert("aud".into(), json!("other-app"));
        }),
        Err(IdTokenError::AudienceMismatch(CLIENT.into()))
    );
    assert_eq!(
        f.with(|c| {
            c.remove("aud");
        }),
        Err(IdTokenError::AudienceMismatch(CLIENT.into()))
    );
    assert_eq!(
        f.with(|c| {
            c.insert("aud".into(), json!([CLIENT, "untrusted"]));
            c.insert("azp".into(), json!(CLIENT));
        }),
        Err(IdTokenError::UntrustedAudience("untrusted".into()))
    );
    assert_eq!(
        f.with(|c| {
            c.insert("azp".into(), json!("other"));
        }),
        Err(IdTokenError::AuthorizedPartyMismatch("other".into()))
    );
    assert!(
        f.with(|c| {
            c.insert("azp".into(), json!(CLIENT));
        })
        .is_ok(),
        "azp equal to the client id is fine"
    );
    assert!(matches!(
        f.with(|c| {
            c.insert("exp".into(), json!(NOW - 100));
        }),
        Err(IdTokenError::Expired { .. })
    ));
    assert!(
        f.with(|c| {
            c.insert("exp".into(), json!(NOW - 30));
        })
        .is_ok(),
        "within the 60 s skew"
    );
    assert_eq!(
        f.with(|c| {
            c.remove("exp");
        }),
        Err(IdTokenError::MissingExpiry)
    );
    assert_eq!(
        f.with(|c| {
            c.remove("iat");
        }),
        Err(IdTokenError::MissingIssuedAt)
    );
    assert!(matches!(
        f.with(|c| {
            c.insert("iat".into(), json!(NOW + 3000));
        }),
        Err(IdTokenError::IssuedAtOutOfRange { .. })
    ));
    assert!(matches!(
        f.with(|c| {
            c.insert("iat".into(), json!(NOW - 86_400));
        }),
        Err(IdTokenError::IssuedAtOutOfRange { .. })
    ));
    assert_eq!(
        f.with(|c| {
            c.remove("nonce");
        }),
        Err(IdTokenError::MissingNonce)
    );
    assert_eq!(
        f.with(|c| {
            c.insert("nonce".into(), json!("replayed"));
        }),
        Err(IdTokenError::NonceMismatch)
    );
    assert!(matches!(
        f.with(|c| {
            c.insert("sub".into(), json!(42));
        }),
        Err(IdTokenError::BadClaims(_))
    ));
}

#[test]
fn at_hash_is_checked_when_present() {
    let f = Fixture::new();
    let access = AccessToken::new("the-access-token");
    let at_hash = leptos_logto::core::id_token::at_hash_from_digest(
        &block_on(RustCrypto.sha2(384, access.secret().as_bytes())).unwrap(),
    );
    let mut claims = good_claims();
    claims["at_hash"] = json!(at_hash);
    let token = f.signer.sign(&claims);
    let mut expect = f.expect();
    expect.access_token = Some(&access);
    assert!(block_on(validate_id_token(&token, &f.jwks, &RustCrypto, &expect)).is_ok());
    let other = AccessToken::new("swapped");
    expect.access_token = Some(&other);
    assert_eq!(
        block_on(validate_id_token(&token, &f.jwks, &RustCrypto, &expect)),
        Err(IdTokenError::AccessTokenHashMismatch)
    );
}

#[test]
fn refresh_rules_same_iss_sub_aud_and_nonce_if_present() {
    let f = Fixture::new();
    let original = IdTokenClaims::from_object(&parse_object(&good_claims().to_string()).unwrap()).unwrap();
    let check = |claims: Value| {
        let token = f.signer.sign(&claims);
        let mut expect = f.expect();
        expect.nonce = NonceCheck::IfPresent(NONCE);
        expect.original = Some(&original);
        block_on(validate_id_token(&token, &f.jwks, &RustCrypto, &expect)).map(|_| ())
    };
    let mut no_nonce = good_claims();
    no_nonce.as_object_mut().unwrap().remove("nonce");
    assert_eq!(check(no_nonce), Ok(()), "a refreshed token may omit the nonce");
    assert_eq!(check(good_claims()), Ok(()), "or repeat it, as Logto does");
    let mut other_nonce = good_claims();
    other_nonce["nonce"] = json!("other");
    assert_eq!(check(other_nonce), Err(IdTokenError::NonceMismatch));
    let mut other_sub = good_claims();
    other_sub["sub"] = json!("mallory");
    assert_eq!(check(other_sub), Err(IdTokenError::ChangedOnRefresh("sub")));
}

#[test]
fn signature_and_key_rules() {
    let f = Fixture::new();
    let token = f.signer.sign(&good_claims());
    assert_eq!(f.validate(&corrupt_signature(&token)), Err(IdTokenError::BadSignature));

    // Signed by another key with the same kid: signature fails.
    let impostor = Es384Signer::new(9, "es384-test");
    assert_eq!(
        f.validate(&impostor.sign(&good_claims())),
        Err(IdTokenError::BadSignature)
    );

    // Unknown kid: a distinct error so the caller refetches the JWKS once.
    let rotated = Es384Signer::new(11, "es384-rotated");
    let err = f.validate(&rotated.sign(&good_claims())).unwrap_err();
    assert!(err.is_unknown_key_id(), "{err:?}");

    // No kid with a single usable key: accepted.
    let no_kid = f.signer.sign_with_header(&json!({"alg": "ES384"}), &good_claims());
    assert!(f.validate(&no_kid).is_ok());

    // alg must fit the key: an ES256 header against a P-384 key.
    let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
    parts[0] = base64url::encode(json!({"alg": "ES256", "kid": "es384-test"}).to_string().as_bytes());
    parts[2] = base64url::encode(&[1u8; 64]);
    assert_eq!(
        f.validate(&parts.join(".")),
        Err(IdTokenError::Key(KeySelectionError::KeyDoesNotFitAlgorithm {
            kid: "es384-test".into(),
            alg: "ES256"
        }))
    );

    // alg none / HS256 with our claims are refused outright.
    for alg in ["none", "HS256"] {
        let header = base64url::encode(json!({"alg": alg}).to_string().as_bytes());
        let payload = base64url::encode(good_claims().to_string().as_bytes());
        let forged = format!("{header}.{payload}.{}", base64url::encode(b"sig"));
        assert!(
            matches!(
                f.validate(&forged),
                Err(IdTokenError::Jws(JwsError::UnsupportedAlgorithm(_)))
            ),
            "{alg}"
        );
    }
}

#[test]
fn malformed_input_is_an_error_never_a_panic() {
    let f = Fixture::new();
    let token = f.signer.sign(&good_claims());
    let (header, rest) = token.split_once('.').unwrap();
    let (payload, signature) = rest.split_once('.').unwrap();
    let der_like = {
        // A DER ECDSA signature (SEQUENCE of two INTEGERs) is longer than raw r||s (96 bytes).
        let raw = base64url::decode(signature).unwrap();
        let mut der = vec![0x30, 0x66, 0x02, 0x31, 0x00];
        der.extend_from_slice(&raw[..48]);
        der.extend_from_slice(&[0x02, 0x31, 0x00]);
        der.extend_from_slice(&raw[48..]);
        format!("{header}.{payload}.{}", base64url::encode(&der))
    };
    let cases = [
        ("two parts", format!("{header}.{payload}")),
        ("four parts", format!("{token}.extra")),
        ("bad base64 header", format!("{header}!.{payload}.{signature}")),
        ("padding", format!("{header}=.{payload}.{signature}")),
        (
            "standard alphabet",
            format!("{header}.{}+/.{signature}", &payload[..payload.len() - 2]),
        ),
        ("huge", format!("{header}.{}.{signature}", "A".repeat(200_000))),
        ("der signature", der_like),
        ("empty", String::new()),
        ("dots", "..".to_owned()),
        (
            "payload not json",
            format!("{header}.{}.{signature}", base64url::encode(b"not json")),
        ),
    ];
    for (name, input) in cases {
        let result = f.validate(&input);
        assert!(result.is_err(), "{name} was accepted");
    }
}

/// The ES384 fixture the browser tests verify with WebCrypto is this test key's output
/// (RFC 6979 signatures are deterministic). `UPDATE_FIXTURES=1` rewrites it.
#[test]
fn es384_browser_fixture_matches_the_test_signer() {
    let f = Fixture::new();
    let fixture = json!({
        "about": "ES384 ID token signed by tests/common Es384Signer(7) with good_claims(); checked by tests/id_token_validation.rs",
        "issuer": ISSUER, "client_id": CLIENT, "nonce": NONCE, "now": NOW + 5,
        "jwk": to_serde(&f.signer.jwk()),
        "id_token": f.signer.sign(&good_claims()),
    });
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/es384.json");
    if std::env::var_os("UPDATE_FIXTURES").is_some() {
        std::fs::write(path, serde_json::to_string_pretty(&fixture).unwrap() + "\n").unwrap();
    }
    let stored: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("run with UPDATE_FIXTURES=1 once")).unwrap();
    assert_eq!(stored, fixture);
    assert!(f.validate(stored["id_token"].as_str().unwrap()).is_ok());
}
