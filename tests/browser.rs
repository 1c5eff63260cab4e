//! Browser tests (wasm-bindgen-test in headless Chromium): WebCrypto verification with the
//! RFC 7515 vectors and an ES384 token, storage round trips and corrupt values, the `Auth`
//! signals, and components rendering the claims.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use leptos_logto::auth::{provide_auth, use_auth};
use leptos_logto::browser::crypto::{fill_random, WebCrypto};
use leptos_logto::browser::storage::{keys, AppStorage, Area};
use leptos_logto::client::LogtoClient;
use leptos_logto::core::config::LogtoConfig;
use leptos_logto::core::id_token::{
    at_hash_from_digest, validate_id_token, IdTokenError, IdTokenExpectations, NonceCheck,
};
use leptos_logto::core::jose::{base64url, select_key, CompactJws, JoseCrypto, Jwk, JwkSet};
use leptos_logto::core::json::{parse_object, JsonObjectCodec};
use leptos_logto::core::pkce::s256_challenge;
use leptos_logto::core::types::{ClientId, IssuerUrl, Nonce, UnixTime};
use serde_json::{json, Value};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn vectors() -> Value {
    serde_json::from_str(include_str!("fixtures/jose.json")).unwrap()
}

fn es384() -> Value {
    serde_json::from_str(include_str!("fixtures/es384.json")).unwrap()
}

fn jwk(value: &Value) -> Jwk {
    Jwk::from_object(&parse_object(&value.to_string()).unwrap()).unwrap()
}

async fn webcrypto_verifies(jws: &str, key: &Value) -> Result<bool, String> {
    let parsed = CompactJws::parse(jws).map_err(|e| e.to_string())?;
    let set = JwkSet { keys: vec![jwk(key)] };
    let key = select_key(&set, parsed.header.kid.as_deref(), parsed.alg).map_err(|e| e.to_string())?;
    WebCrypto
        .verify(parsed.alg, key, parsed.signing_input.as_bytes(), &parsed.signature)
        .await
}

fn corrupt(jws: &str) -> String {
    let (input, sig) = jws.rsplit_once('.').unwrap();
    let flipped: Vec<u8> = base64url::decode(sig).unwrap().iter().map(|b| b ^ 0x5a).collect();
    format!("{input}.{}", base64url::encode(&flipped))
}

#[wasm_bindgen_test]
async fn webcrypto_digests_give_the_rfc7636_challenge_and_the_oidc_at_hash() {
    // RFC 7636 Appendix B: S256 of the verifier.
    let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    let digest = WebCrypto.sha2(256, verifier.as_bytes()).await.unwrap();
    assert_eq!(
        s256_challenge(&digest).as_str(),
        "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    );
    // OpenID Connect Core 1.0 Appendix A.3/A.4: at_hash of the access token (RS256).
    let access = "jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y";
    let digest = WebCrypto.sha2(256, access.as_bytes()).await.unwrap();
    assert_eq!(at_hash_from_digest(&digest), "77QmUPtjPfzWtF2AnpK9RQ");
    // FIPS 180-2 "abc" vectors for the longer hashes (ES384/ES512 at_hash).
    let abc384 = WebCrypto.sha2(384, b"abc").await.unwrap();
    assert_eq!(abc384.len(), 48);
    assert_eq!(&abc384[..4], [0xcb, 0x00, 0x75, 0x3f]);
    let abc512 = WebCrypto.sha2(512, b"abc").await.unwrap();
    assert_eq!(&abc512[..4], [0xdd, 0xaf, 0x35, 0xa1]);
}

#[wasm_bindgen_test]
async fn webcrypto_verifies_rfc7515_vectors_and_refuses_corrupted_ones() {
    let v = vectors();
    for name in ["A2_RS256", "A3_ES256", "A4_ES512"] {
        let case = &v["jws_rfc7515_appendix_a"][name];
        let jws = case["jws"].as_str().unwrap();
        assert_eq!(webcrypto_verifies(jws, &case["public_key"]).await, Ok(true), "{name}");
        assert_eq!(
            webcrypto_verifies(&corrupt(jws), &case["public_key"]).await,
            Ok(false),
            "{name} corrupted"
        );
    }
}

#[wasm_bindgen_test]
async fn webcrypto_validates_an_es384_id_token_and_refuses_a_tampered_one() {
    let f = es384();
    let jwks = JwkSet {
        keys: vec![jwk(&f["jwk"])],
    };
    let issuer = IssuerUrl::new(f["issuer"].as_str().unwrap());
    let client = ClientId::new(f["client_id"].as_str().unwrap());
    let nonce = Nonce::new(f["nonce"].as_str().unwrap());
    let expect = IdTokenExpectations {
        issuer: &issuer,
        client_id: &client,
        trusted_audiences: &[],
        nonce: NonceCheck::Required(&nonce),
        access_token: None,
        original: None,
        now: UnixTime(f["now"].as_i64().unwrap()),
        clock_skew: 60,
    };
    let token = f["id_token"].as_str().unwrap();
    let validated = validate_id_token(token, &jwks, &WebCrypto, &expect).await.unwrap();
    assert_eq!(validated.claims.sub.as_deref(), Some("alice"));
    assert_eq!(
        validate_id_token(&corrupt(token), &jwks, &WebCrypto, &expect).await,
        Err(IdTokenError::BadSignature)
    );
    // Claims swapped under a valid signature: the signature no longer matches.
    let (header, rest) = token.split_once('.').unwrap();
    let (_, sig) = rest.split_once('.').unwrap();
    let forged_claims = base64url::encode(
        json!({"iss": issuer.as_str(), "sub": "mallory", "aud": "demo-app"})
            .to_string()
            .as_bytes(),
    );
    let forged = format!("{header}.{forged_claims}.{sig}");
    assert_eq!(
        validate_id_token(&forged, &jwks, &WebCrypto, &expect).await,
        Err(IdTokenError::BadSignature)
    );
}

#[wasm_bindgen_test]
async fn after_next_paint_resolves_after_a_frame_and_never_hangs() {
    use std::{cell::Cell, rc::Rc};
    use wasm_bindgen::{closure::Closure, JsCast};
    // A frame callback registered first: it must have run when the wait is over.
    let frame_ran = Rc::new(Cell::new(false));
    let flag = frame_ran.clone();
    let on_frame = Closure::once_into_js(move || flag.set(true));
    web_sys::window()
        .unwrap()
        .request_animation_frame(on_frame.unchecked_ref())
        .unwrap();
    let started = js_sys::Date::now();
    leptos_logto::browser::frame::after_next_paint().await;
    let waited = js_sys::Date::now() - started;
    // After the next frame (or, in a page that draws no frames, after the 100 ms cap), and
    // never much longer.
    assert!(
        frame_ran.get() || waited >= 100.0,
        "resolved before any frame, after {waited} ms"
    );
    assert!(waited < 1_000.0, "waited {waited} ms");
}

#[wasm_bindgen_test]
fn random_bytes_come_from_the_browser_csprng() {
    let (mut a, mut b) = ([0u8; 32], [0u8; 32]);
    fill_random(&mut a).unwrap();
    fill_random(&mut b).unwrap();
    assert_ne!(a, [0u8; 32]);
    assert_ne!(a, b);
}

const APP: &str = "browser-test-app";

fn config() -> LogtoConfig {
    LogtoConfig::new("http://127.0.0.1:3001", APP, "http://127.0.0.1:3000/callback").unwrap()
}

/// A stored-looking ID token (claims only matter on restore; it was verified before storage).
fn stored_token(sub: &str, exp_offset: i64) -> String {
    stored_token_for(APP, sub, exp_offset)
}

fn stored_token_for(app: &str, sub: &str, exp_offset: i64) -> String {
    let now = (js_sys::Date::now() / 1000.0) as i64;
    let claims = json!({"iss": "http://127.0.0.1:3001/oidc", "aud": app, "sub": sub, "iat": now, "exp": now + exp_offset, "name": "Alice"});
    format!(
        "{}.{}.{}",
        base64url::encode(br#"{"alg":"ES384"}"#),
        base64url::encode(claims.to_string().as_bytes()),
        base64url::encode(&[0u8; 96])
    )
}

fn store_session(storage: &AppStorage, token: &str) {
    storage.set(Area::Local, keys::ID_TOKEN, token).unwrap();
    storage.set(Area::Local, keys::REFRESH_TOKEN, "rt").unwrap();
    let now = (js_sys::Date::now() / 1000.0) as i64;
    let map = json!({"@": {"token": "at", "scope": "openid", "expiresAt": now + 3600}});
    storage.set(Area::Local, keys::ACCESS_TOKEN, &map.to_string()).unwrap();
}

fn all_keys() -> Vec<String> {
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    let mut out: Vec<String> = (0..storage.length().unwrap())
        .filter_map(|i| storage.key(i).unwrap())
        .collect();
    out.sort();
    out
}

#[wasm_bindgen_test]
fn storage_round_trip_is_scoped_to_the_app_prefix() {
    let storage = AppStorage::new(APP);
    storage.clear_all();
    let local = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    local.set_item("unrelated", "keep me").unwrap();
    local.set_item("logto:other-app:idToken", "keep me too").unwrap();
    storage.set(Area::Local, keys::ID_TOKEN, "a.b.c").unwrap();
    storage.set(Area::Session, keys::SIGN_IN_SESSION, "{}").unwrap();
    assert_eq!(storage.get(Area::Local, keys::ID_TOKEN).as_deref(), Some("a.b.c"));
    assert_eq!(storage.key(keys::ID_TOKEN), format!("logto:{APP}:idToken"));
    storage.clear_all();
    assert_eq!(storage.get(Area::Local, keys::ID_TOKEN), None);
    assert_eq!(storage.get(Area::Session, keys::SIGN_IN_SESSION), None);
    assert_eq!(local.get_item("unrelated").unwrap().as_deref(), Some("keep me"));
    assert_eq!(
        local.get_item("logto:other-app:idToken").unwrap().as_deref(),
        Some("keep me too")
    );
    local.remove_item("unrelated").unwrap();
    local.remove_item("logto:other-app:idToken").unwrap();
}

#[wasm_bindgen_test]
fn restore_reads_a_valid_session_and_drops_corrupt_foreign_or_expired_ones() {
    let client = LogtoClient::new(config());
    let storage = client.storage().clone();
    let now = UnixTime((js_sys::Date::now() / 1000.0) as i64);

    storage.clear_all();
    store_session(&storage, &stored_token("alice", 3600));
    let session = client.restore_session(now).expect("valid stored session");
    assert_eq!(session.claims.sub.as_deref(), Some("alice"));
    assert_eq!(
        session.default_access_token().map(|t| t.secret().to_owned()).as_deref(),
        Some("at")
    );
    assert_eq!(
        session.refresh_token.as_ref().map(|t| t.secret().to_owned()).as_deref(),
        Some("rt")
    );

    // Corrupt values: random bytes, wrong JSON, a token from another app: cleared, no panic.
    for bad in [
        "\u{0}\u{1}garbage",
        "{\"not\":\"a token\"}",
        "a.b.c",
        &stored_token("x", 3600).replace('.', ".."),
    ] {
        store_session(&storage, bad);
        assert!(client.restore_session(now).is_none(), "{bad:?}");
        assert_eq!(
            storage.get(Area::Local, keys::ID_TOKEN),
            None,
            "corrupt value removed: {bad:?}"
        );
    }
    store_session(&storage, &stored_token_for("someone-else", "alice", 3600));
    assert!(
        client.restore_session(now).is_none(),
        "a token for another app id is not ours"
    );

    // Expired ID token: not shown as signed in.
    store_session(&storage, &stored_token("alice", -3600));
    assert!(client.restore_session(now).is_none());

    // A half-written access-token map does not break the session.
    store_session(&storage, &stored_token("alice", 3600));
    storage
        .set(Area::Local, keys::ACCESS_TOKEN, "{\"@\":{\"token\":")
        .unwrap();
    let session = client.restore_session(now).expect("still signed in");
    assert!(session.default_access_token().is_none());
    storage.clear_all();
}

#[wasm_bindgen_test]
fn auth_signals_follow_the_session() {
    let storage = AppStorage::new(APP);
    storage.clear_all();
    let owner = Owner::new();
    owner.with(|| {
        let auth = provide_auth(config());
        assert!(!auth.is_authenticated().get_untracked());
        assert!(auth.id_token_claims().get_untracked().is_none());
        assert!(!auth.is_loading().get_untracked());
    });

    store_session(&storage, &stored_token("alice", 3600));
    let owner = Owner::new();
    owner.with(|| {
        let auth = provide_auth(config());
        assert!(auth.is_authenticated().get_untracked());
        assert_eq!(
            auth.id_token_claims().get_untracked().and_then(|c| c.sub),
            Some("alice".into())
        );
        assert_eq!(auth.access_token().get_untracked().as_deref(), Some("at"));
        assert!(
            use_auth().is_authenticated().get_untracked(),
            "use_auth returns the same handle"
        );
        auth.sign_out_local();
        assert!(!auth.is_authenticated().get_untracked());
        assert!(auth.id_token().get_untracked().is_none());
    });
    assert!(
        all_keys().iter().all(|k| !k.starts_with(&format!("logto:{APP}:"))),
        "{:?}",
        all_keys()
    );
}

#[component]
fn ClaimsView() -> impl IntoView {
    let auth = use_auth();
    view! {
        <pre id="claims-under-test">{move || auth.id_token_claims().get().and_then(|c| c.profile.name)}</pre>
        <p id="status-under-test">{move || if auth.is_authenticated().get() { "signed in" } else { "signed out" }}</p>
    }
}

#[wasm_bindgen_test]
async fn components_render_the_claims_and_react_to_sign_out() {
    let storage = AppStorage::new(APP);
    storage.clear_all();
    store_session(&storage, &stored_token("alice", 3600));
    let document = web_sys::window().unwrap().document().unwrap();
    let host = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&host).unwrap();
    let auth_slot = StoredValue::new(None);
    let handle = leptos::mount::mount_to(host.clone().unchecked_into(), move || {
        auth_slot.set_value(Some(provide_auth(config())));
        view! { <ClaimsView/> }
    });
    let text = |id: &str| {
        document
            .get_element_by_id(id)
            .and_then(|e| e.text_content())
            .unwrap_or_default()
    };
    assert_eq!(text("claims-under-test"), "Alice");
    assert_eq!(text("status-under-test"), "signed in");
    auth_slot.get_value().unwrap().sign_out_local();
    // Effects run in a microtask.
    wasm_bindgen_futures::JsFuture::from(js_sys::Promise::resolve(&wasm_bindgen::JsValue::NULL))
        .await
        .unwrap();
    gloo_timers_sleep(20).await;
    assert_eq!(text("status-under-test"), "signed out");
    assert_eq!(text("claims-under-test"), "");
    drop(handle);
    storage.clear_all();
}

async fn gloo_timers_sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

use wasm_bindgen::JsCast;

#[wasm_bindgen_test]
fn memory_refresh_token_storage_never_reads_or_writes_local_storage() {
    let json = format!(
        r#"{{"endpoint":"http://127.0.0.1:3001","appId":"{APP}","redirectUri":"http://127.0.0.1:3000/callback","refreshTokenStorage":"memory"}}"#
    );
    let client = LogtoClient::new(LogtoConfig::from_json(&json).unwrap());
    let storage = client.storage().clone();
    storage.clear_all();
    store_session(&storage, &stored_token("alice", 3600));
    let now = UnixTime((js_sys::Date::now() / 1000.0) as i64);
    let session = client.restore_session(now).expect("the ID token is still valid");
    assert!(
        session.refresh_token.is_none(),
        "a refresh token in localStorage is ignored"
    );
    storage.clear_all();
}

#[wasm_bindgen_test]
async fn organization_tokens_need_the_organizations_scope() {
    let client = LogtoClient::new(config());
    let storage = client.storage().clone();
    storage.clear_all();
    store_session(&storage, &stored_token("alice", 3600));
    let result = client
        .access_token(
            &leptos_logto::client::TokenTarget::Organization("org-acme".into()),
            false,
        )
        .await;
    assert_eq!(
        result.err(),
        Some(leptos_logto::client::AuthError::OrganizationsScopeMissing)
    );
    storage.clear_all();
}
